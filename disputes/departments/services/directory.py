"""Writes for the departments' directory: departments themselves and the county's category map.

Nothing is deleted: a department leaves by deactivation. An inactive department
is not offered for routing and drops out of the category map; the routing
slips it has open stay with it until they are done, returned or withdrawn.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from disputes.cases.models import Category
from disputes.departments.models import CategoryRoute
from villages.models import County, Department, Township

NAME_MAX = 100
CODE_MAX = 30

# The demo's category map: seeded category code → the demo county departments
# (villages.services.demo_county.DEMO_DEPARTMENTS) responsible for it.
DEMO_CATEGORY_ROUTES = {
    "land-housing": ["县自然资源局", "县农业农村局"],
    "neighbours": ["县司法局"],
    "marriage-family": ["县司法局"],
    "labour-wages": ["县人力资源和社会保障局"],
    "requisition-demolition": ["县自然资源局", "县住房和城乡建设局"],
    "construction-property": ["县住房和城乡建设局"],
    "environment": ["县生态环境局"],
    "traffic": ["县公安局"],
}


def _department_errors(
    *, county: County, department: Department | None, name: str, code: str, township, only
) -> dict:
    errors = {}
    if only is not None and (township is None or township.pk != only.pk):
        errors["township"] = _("A township manages only its own stations.")
    if not name:
        errors["name"] = _("A department needs a name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("The name is longer than %(n)d characters.") % {"n": NAME_MAX}
    if len(code) > CODE_MAX:
        errors["code"] = _("The code is longer than %(n)d characters.") % {"n": CODE_MAX}
    if township is not None and township.county_id != county.pk:
        errors["township"] = _("The township is not in your county.")
    if "name" not in errors and "township" not in errors:
        same = Department.objects.filter(county=county, township=township, name=name)
        if department is not None:
            same = same.exclude(pk=department.pk)
        if same.exists():
            errors["name"] = (
                _("%(township)s already has a station named “%(name)s”.")
                % {"township": township.name, "name": name}
                if township is not None
                else _("The county already has a department named “%(name)s”.") % {"name": name}
            )
    return errors


def _saved(department: Department, fields: list[str] | None = None) -> Department:
    """Save, turning a name taken meanwhile (the unique constraint) into the form's message."""
    try:
        with transaction.atomic():
            department.save(update_fields=fields)
    except IntegrityError as error:
        raise ValidationError(
            {"name": _("Another department of this unit has just taken this name.")}
        ) from error
    return department


@transaction.atomic
def department_create(
    *,
    county: County,
    name: str,
    code: str = "",
    township: Township | None = None,
    only: Township | None = None,
) -> Department:
    """A new active department of `county`: a county department, or a township's station.

    `only`: the caller (a township) manages that township's stations and nothing else.
    """
    name, code = name.strip(), code.strip()
    errors = _department_errors(
        county=county, department=None, name=name, code=code, township=township, only=only
    )
    if errors:
        raise ValidationError(errors)
    return _saved(Department(county=county, township=township, name=name, code=code))


@transaction.atomic
def department_update(
    *,
    county: County,
    department: Department,
    name: str,
    code: str = "",
    township: Township | None = None,
    active: bool = True,
    only: Township | None = None,
) -> Department:
    """Change a department of `county`; deactivating it also takes it off the category map.

    `only`: the caller (a township) manages that township's stations and nothing else.
    """
    if department.county_id != county.pk or (
        only is not None and department.township_id != only.pk
    ):
        raise ValidationError(_("This department is not one of your county's."))
    department = Department.objects.select_for_update().get(pk=department.pk)
    name, code = name.strip(), code.strip()
    errors = _department_errors(
        county=county,
        department=department,
        name=name,
        code=code,
        township=township,
        only=only,
    )
    if errors:
        raise ValidationError(errors)
    department.name, department.code, department.township = name, code, township
    department.active = active
    _saved(department, ["name", "code", "township", "active"])
    if not active:
        CategoryRoute.objects.filter(department=department).delete()
    return department


@transaction.atomic
def category_map_save(*, county: County, routes: dict[Category, list[Department]]) -> int:
    """Replace the county's whole category map with `routes`; returns how many pairs it holds.

    Every department must be an active county department (县直部门) of `county`, and
    every category active; otherwise nothing changes (ValidationError by category code).
    """
    errors = {}
    for category, departments in routes.items():
        if not category.active:
            errors[category.code] = _("The category “%(name)s” is no longer used.") % {
                "name": category.name
            }
        wrong = [
            d.name
            for d in departments
            if d.county_id != county.pk or d.township_id is not None or not d.active
        ]
        if wrong:
            errors[category.code] = _(
                "Only your county's active county departments can be responsible: %(names)s."
            ) % {"names": "、".join(wrong)}
    if errors:
        raise ValidationError(errors)
    CategoryRoute.objects.filter(county=county).delete()
    made = CategoryRoute.objects.bulk_create(
        [
            CategoryRoute(county=county, category=category, department=department)
            for category, departments in routes.items()
            for department in dict.fromkeys(departments)
        ]
    )
    return len(made)


@transaction.atomic
def demo_category_routes(*, county: County) -> int:
    """The demo map (DEMO_CATEGORY_ROUTES) for a county that has none yet; returns pairs made.

    A county whose office already mapped anything is left alone; categories and
    departments the county does not have (or has deactivated) are skipped.
    """
    if CategoryRoute.objects.filter(county=county).exists():
        return 0
    categories = {
        c.code: c for c in Category.objects.filter(code__in=DEMO_CATEGORY_ROUTES, active=True)
    }
    departments = {
        d.name: d
        for d in Department.objects.filter(county=county, township__isnull=True, active=True)
    }
    routes = {
        categories[code]: [departments[name] for name in names if name in departments]
        for code, names in DEMO_CATEGORY_ROUTES.items()
        if code in categories
    }
    return category_map_save(county=county, routes={c: ds for c, ds in routes.items() if ds})
