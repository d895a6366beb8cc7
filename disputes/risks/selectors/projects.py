"""Reading the register: a user's projects, and the cases inside and near a project."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from disputes.cases.models import Case
from disputes.risks import spatial
from disputes.risks.models import MajorProject
from disputes.risks.policies import projects_q


def project_list(*, user):
    """The projects the user sees, with how many cases are linked to each (inside its area)."""
    return (
        MajorProject.objects.filter(projects_q(user))
        .annotate(inside=Count("links"))
        .defer("area")
        .order_by("-active", "-assessed_on", "-id")
    )


def project_get(*, user, project_id: int) -> MajorProject:
    """The project if the user sees it; MajorProject.DoesNotExist (a 404) else."""
    return MajorProject.objects.filter(projects_q(user)).get(pk=project_id)


def project_cases(project: MajorProject, *, limit: int = 200) -> list[dict]:
    """The cases inside the area and within settings.PROJECT_NEAR_M of it, newest first."""
    found = spatial.cases_near(project.pk, settings.PROJECT_NEAR_M, limit=limit)
    inside = dict(found)
    cases = Case.objects.filter(pk__in=inside).select_related("category", "village")
    return [
        {"case": case, "inside": inside[case.pk]}
        for case in sorted(cases, key=lambda c: c.pk, reverse=True)
    ]


def project_day_counts(project_id: int, *, first: date, last: date) -> dict:
    """{local date: cases reported that day inside or near the project}, from `first` to `last`."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    stop = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return spatial.cases_per_day_near(
        project_id, settings.PROJECT_NEAR_M, start, stop, settings.TIME_ZONE
    )
