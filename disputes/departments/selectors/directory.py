"""Reads for the departments' pages: who manages which departments, the list, the category map.

A county office manages its county's departments (县直部门) and every township's
stations (乡镇站所), and edits the county's category map; a township leader
manages its own township's stations only (the county's departments are the
county office's, and are not shown to it). Everyone else has no such pages.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from disputes.cases.models import Category
from disputes.core.areas import staff_of
from disputes.departments.models import CategoryRoute
from disputes.departments.selectors.load import department_loads
from villages.models import County, Department, Staff, Township


@dataclass(frozen=True)
class DepartmentArea:
    """The departments a user manages: all of `county`'s, or only `township`'s stations."""

    county: County
    township: Township | None = None

    @property
    def edits_category_map(self) -> bool:
        return self.township is None


def department_area(user) -> DepartmentArea | None:
    """A county office's county, a township leader's township; None for everyone else."""
    staff = staff_of(user)
    if staff is None or not user.is_active:
        return None
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return DepartmentArea(staff.county)
    if staff.role == Staff.Role.TOWNSHIP_LEADER:
        return DepartmentArea(staff.county, staff.township)
    return None


def department_area_or_404(user) -> DepartmentArea:
    area = department_area(user)
    if area is None:
        raise Http404
    return area


def may_manage_departments(user) -> bool:
    return department_area(user) is not None


def may_edit_category_map(user) -> bool:
    area = department_area(user)
    return area is not None and area.edits_category_map


def _in_area(area: DepartmentArea) -> QuerySet:
    rows = Department.objects.filter(county=area.county)
    if area.township is not None:
        rows = rows.filter(township=area.township)
    return rows


def department_list(*, area: DepartmentArea) -> list[Department]:
    """The area's departments, county ones first, with `staff_count` (active accounts),
    `categories` (the category map's, by position) and `load` ({"open", "overdue"} slips)."""
    rows = list(
        _in_area(area)
        .select_related("township")
        .annotate(
            staff_count=Count(
                "staff",
                filter=Q(staff__role=Staff.Role.DEPARTMENT_STAFF, staff__user__is_active=True),
            )
        )
        .prefetch_related(
            Prefetch(
                "category_routes",
                queryset=CategoryRoute.objects.filter(county=area.county)
                .select_related("category")
                .order_by("category__position"),
            )
        )
        .order_by(F("township__code").asc(nulls_first=True), "name")
    )
    loads = department_loads([d.pk for d in rows])
    for department in rows:
        department.categories = [route.category for route in department.category_routes.all()]
        department.load = loads[department.pk]
    return rows


def department_managed(*, area: DepartmentArea, department_id: int) -> Department:
    """A department of the user's area; 404 for any other (another county's included)."""
    department = _in_area(area).select_related("township").filter(pk=department_id).first()
    if department is None:
        raise Http404
    return department


def area_townships(area: DepartmentArea) -> QuerySet:
    """The townships a department of the area may belong to."""
    if area.township is not None:
        return Township.objects.filter(pk=area.township.pk)
    return Township.objects.filter(county=area.county).order_by("code")


def category_map_departments(county: County) -> QuerySet:
    """The departments the category map may name: the county's active county departments."""
    return Department.objects.filter(county=county, township__isnull=True, active=True).order_by(
        "name"
    )


def category_map_categories() -> QuerySet:
    return Category.objects.filter(active=True).order_by("position")


def category_map(county: County) -> dict[int, list[int]]:
    """{category id: [department ids]} of the county's map, departments by name."""
    routes: dict[int, list[int]] = {}
    for category_id, department_id in (
        CategoryRoute.objects.filter(county=county)
        .order_by("category__position", "department__name")
        .values_list("category_id", "department_id")
    ):
        routes.setdefault(category_id, []).append(department_id)
    return routes


def county_departments(county: County) -> QuerySet:
    """All of the county's departments, active or not: county ones first, then by township."""
    return (
        Department.objects.filter(county=county)
        .select_related("township")
        .order_by("-active", F("township__code").asc(nulls_first=True), "name")
    )


def department_open_routings(department: Department) -> int:
    """How many routing slips the department still has open (pending or accepted)."""
    return department_loads([department.pk])[department.pk]["open"]


def department_staff(department: Department) -> list[Staff]:
    """The department's staff accounts, active first, by name."""
    return list(
        Staff.objects.filter(department=department, role=Staff.Role.DEPARTMENT_STAFF)
        .select_related("user")
        .order_by("-user__is_active", "user__first_name", "user__username")
    )
