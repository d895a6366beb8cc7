"""Registering major projects (稳评), their follow-ups, and linking the cases reported inside them."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from disputes.cases.models import Case
from disputes.core.errors import CaseInputError, NotAllowed
from disputes.risks.models import MajorProject, ProjectCase, ProjectFollowUp
from disputes.risks.policies import projects_q, register_area

FIELDS = ("name", "kind", "responsible_unit", "assessed_on", "risk", "measures")


def _check_area(actor, area):
    county_id, boundary, _township = register_area(actor)
    if boundary is not None:
        inside = area.intersection(boundary).area / area.area
        if inside < settings.BOUNDARY_WITHIN_PARENT:
            raise CaseInputError(
                "area",
                _("%(share).0f%% of the area lies outside your area; is it the right file?")
                % {"share": (1 - inside) * 100},
            )
    return county_id


@transaction.atomic
def project_register(*, actor, area, **values) -> MajorProject:
    """Register a project (area: a valid MultiPolygon, see areas.area_parse) and link its cases."""
    if register_area(actor) is None:
        raise NotAllowed(_("Projects are registered by the county office or a township leader."))
    county_id = _check_area(actor, area)
    project = MajorProject.objects.create(
        county_id=county_id,
        area=area,
        registered_by=actor,
        **{name: values[name] for name in FIELDS},
    )
    cases_link(project)
    return project


@transaction.atomic
def project_update(*, project_id: int, actor, area=None, **values) -> MajorProject:
    project = _locked(project_id, actor)
    for name in FIELDS:
        setattr(project, name, values[name])
    if area is not None:
        _check_area(actor, area)
        project.area = area
    project.save()
    if area is not None:
        ProjectCase.objects.filter(project=project).delete()
        cases_link(project)
    return project


@transaction.atomic
def project_follow_up(*, project_id: int, actor, note: str) -> ProjectFollowUp:
    project = _locked(project_id, actor)
    if not note.strip():
        raise CaseInputError("note", _("Write what was done."))
    return ProjectFollowUp.objects.create(
        project=project, county_id=project.county_id, note=note.strip(), by=actor
    )


@transaction.atomic
def project_close(*, project_id: int, actor) -> MajorProject:
    """A project done: kept in the register, no longer linking new cases or raising alerts."""
    project = _locked(project_id, actor)
    project.active = False
    project.save(update_fields=["active"])
    return project


def _locked(project_id, actor) -> MajorProject:
    """The project if the actor keeps it; MajorProject.DoesNotExist (a 404) else."""
    return MajorProject.objects.select_for_update().filter(projects_q(actor)).get(pk=project_id)


def cases_link(project: MajorProject) -> int:
    """Link every case of the county reported inside the project's area; how many were linked."""
    ids = Case.objects.filter(
        county_id=project.county_id, location__coveredby=project.area
    ).values_list("pk", flat=True)
    links = ProjectCase.objects.bulk_create(
        [ProjectCase(project=project, case_id=pk, county_id=project.county_id) for pk in ids],
        ignore_conflicts=True,
    )
    return len(links)


def case_link_new(case: Case) -> int:
    """Link a case just reported to the active projects whose area holds its point."""
    projects = MajorProject.objects.filter(
        county_id=case.county_id, active=True, area__covers=case.location
    ).values_list("pk", flat=True)
    links = ProjectCase.objects.bulk_create(
        [ProjectCase(project_id=pk, case=case, county_id=case.county_id) for pk in projects],
        ignore_conflicts=True,
    )
    return len(links)
