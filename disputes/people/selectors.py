"""Reads for the county office's people pages: its county's staff, units, grids and teams."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from disputes.departments.selectors.directory import county_departments as departments_of
from disputes.people.policies import ROLES_GIVEN
from disputes.teams.models import Team
from grid.models import Grid
from villages.models import County, Department, Staff, Township, Village


def staff_list(*, county: County, text: str = "", role: str = "", active: str = "") -> QuerySet:
    """The county's staff (the county office included), filtered; newest accounts last.

    `text` matches the name, the user name, the mobile number or the unit's name
    or code; `active` is "1", "0" or "" (everyone).
    """
    rows = Staff.objects.filter(county=county).select_related(
        "user", "township", "village", "department__township"
    )
    if text:
        rows = rows.filter(
            Q(department__name__contains=text)
            | Q(user__first_name__icontains=text)
            | Q(user__username__icontains=text)
            | Q(mobile__contains=text)
            | Q(township__name__contains=text)
            | Q(village__name__contains=text)
            | Q(township__code=text)
            | Q(village__code=text)
        )
    if role:
        rows = rows.filter(role=role)
    if active in ("0", "1"):
        rows = rows.filter(user__is_active=active == "1")
    return rows.order_by("township__code", "village__code", "role", "user__username")


def staff_managed(*, county: County, staff_id: int) -> Staff:
    """A person the county office may change: of its county, with a role it gives; else 404."""
    staff = (
        Staff.objects.select_related("user", "township", "village", "department")
        .filter(pk=staff_id, county=county, role__in=ROLES_GIVEN, user__is_superuser=False)
        .first()
    )
    if staff is None:
        raise Http404
    return staff


def staff_grids(staff: Staff) -> list[Grid]:
    return list(staff.user.grids.order_by("code"))


def staff_teams(staff: Staff) -> list[Team]:
    return list(staff.user.teams.filter(county_id=staff.county_id).order_by("name"))


def county_townships(county: County) -> QuerySet:
    return Township.objects.filter(county=county).order_by("code")


def county_villages(county: County) -> QuerySet:
    return Village.objects.filter(county=county).select_related("township").order_by("code")


def county_grids(county: County) -> QuerySet:
    return Grid.objects.filter(county=county).select_related("village").order_by("code")


def county_teams(county: County) -> QuerySet:
    return Team.objects.filter(county=county, active=True).order_by("township__code", "name")


def county_departments(county: County) -> QuerySet:
    """The departments a person of `county` may work for (inactive ones too, to keep a
    person's own; the services refuse to give an inactive one)."""
    return departments_of(county)


def department_label(department: Department) -> str:
    label = (
        f"{department.township.name} {department.name}"
        if department.township_id
        else (department.name)
    )
    return label if department.active else _("%(name)s (inactive)") % {"name": label}
