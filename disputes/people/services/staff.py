"""Writes for the county office's people: create, change, deactivate, reset a password.

Every function runs in one transaction; the history triggers (config/history.py)
record the Staff row, the account, grid workers and team members with the
request's user as context. Nothing is ever deleted: a person leaves by
deactivation.
"""

import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken

from disputes.core.areas import grids_forget
from disputes.people.policies import ROLES_GIVEN, TOWNSHIP_ROLES, VILLAGE_ROLES
from disputes.teams.models import Team, TeamMember
from grid.models import Grid
from villages.models import County, Department, Staff, Township, Village

# No 0/O, 1/l/I: a temporary password is read out or copied by hand.
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 10


@dataclass
class StaffInput:
    """What the office says about a person; area objects already looked up in its county."""

    full_name: str
    mobile: str
    role: str
    username: str = ""
    township: Township | None = None
    village: Village | None = None
    grids: list[Grid] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    # Department staff only; ignored (and cleared) for every other role, like their area.
    department: Department | None = None


def temporary_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))


def staff_input_errors(
    *, county: County, data: StaffInput, staff: Staff | None = None
) -> dict[str, str]:
    """Why `data` cannot be a person of `county` (or what `staff` becomes), by field; {} when it can.

    A department must be active to be given; a person already in a department
    deactivated since keeps it.
    """
    errors = {}
    if data.role not in ROLES_GIVEN:
        errors["role"] = _(
            "A county office gives only township, village, grid, team and department roles."
        )
        return errors
    if data.role == Staff.Role.DEPARTMENT_STAFF:
        kept = staff is not None and data.department is not None
        kept = kept and staff.department_id == data.department.pk
        if data.department is None:
            errors["department"] = _("Department staff need a department.")
        elif data.department.county_id != county.pk:
            errors["department"] = _("The department is not in your county.")
        elif not data.department.active and not kept:
            errors["department"] = _("The department %(name)s is inactive.") % {
                "name": data.department.name
            }
    if data.role in VILLAGE_ROLES:
        if data.village is None:
            errors["village"] = _("A village cadre or grid worker needs a village.")
        elif data.village.county_id != county.pk:
            errors["village"] = _("The village is not in your county.")
    if data.role in TOWNSHIP_ROLES:
        if data.township is None:
            errors["township"] = _("A township leader or mediator needs a township.")
        elif data.township.county_id != county.pk:
            errors["township"] = _("The township is not in your county.")
    if data.grids and data.role != Staff.Role.GRID_WORKER:
        errors["grids"] = _("Only a grid worker has grids.")
    elif data.village is not None and any(g.village_id != data.village.pk for g in data.grids):
        errors["grids"] = _("Every grid must be in the worker's village.")
    if any(team.county_id != county.pk for team in data.teams):
        errors["teams"] = _("Every team must be in your county.")
    return errors


def _area(data: StaffInput):
    """(township, village) of the person; department staff work for their department instead."""
    if data.role == Staff.Role.DEPARTMENT_STAFF:
        return None, None
    if data.role in VILLAGE_ROLES:
        return data.village.township, data.village
    return data.township, None


def _department(data: StaffInput) -> Department | None:
    return data.department if data.role == Staff.Role.DEPARTMENT_STAFF else None


def _memberships_set(user, *, county: County, data: StaffInput):
    if data.role == Staff.Role.GRID_WORKER:
        user.grids.set(data.grids)
    else:
        user.grids.clear()
    grids_forget(user)
    wanted = {team.pk for team in data.teams}
    current = set(
        TeamMember.objects.filter(user=user, team__county=county).values_list("team_id", flat=True)
    )
    TeamMember.objects.filter(user=user, team_id__in=current - wanted).delete()
    TeamMember.objects.bulk_create(
        [TeamMember(team_id=team_id, user=user) for team_id in sorted(wanted - current)]
    )


@transaction.atomic
def staff_create(*, county: County, data: StaffInput) -> tuple[Staff, str]:
    """A new person of `county` with a temporary password, to change at the first login.

    Returns the Staff row and the temporary password (shown once, never stored in clear).
    """
    errors = staff_input_errors(county=county, data=data)
    username = data.username or data.mobile
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        errors["username"] = _("The user name %(name)s is taken.") % {"name": username}
    if Staff.objects.filter(mobile=data.mobile).exists():
        errors["mobile"] = _("Another person already has the mobile number %(mobile)s.") % {
            "mobile": data.mobile
        }
    if errors:
        raise ValidationError(errors)
    password = temporary_password()
    user = User(username=username, first_name=data.full_name)
    user.set_password(password)
    user.save()
    township, village = _area(data)
    staff = Staff.objects.create(
        user=user,
        role=data.role,
        county=county,
        township=township,
        village=village,
        department=_department(data),
        mobile=data.mobile,
        must_change_password=True,
    )
    _memberships_set(user, county=county, data=data)
    return staff, password


@transaction.atomic
def staff_update(*, county: County, staff: Staff, data: StaffInput) -> Staff:
    """Change a person of `county`: name, mobile, role, area, grids and teams."""
    if staff.county_id != county.pk or staff.role not in ROLES_GIVEN:
        raise ValidationError(_("This person is not one of your county's staff."))
    errors = staff_input_errors(county=county, data=data, staff=staff)
    if Staff.objects.filter(mobile=data.mobile).exclude(pk=staff.pk).exists():
        errors["mobile"] = _("Another person already has the mobile number %(mobile)s.") % {
            "mobile": data.mobile
        }
    if errors:
        raise ValidationError(errors)
    user = staff.user
    if user.first_name != data.full_name:
        user.first_name = data.full_name
        user.save(update_fields=["first_name"])
    staff.township, staff.village = _area(data)
    staff.role, staff.mobile, staff.department = data.role, data.mobile, _department(data)
    staff.save(update_fields=["role", "township", "village", "mobile", "department"])
    _memberships_set(user, county=county, data=data)
    return staff


@transaction.atomic
def staff_deactivate(*, county: County, staff: Staff) -> Staff:
    """The person can no longer log in; their account, history and cases stay."""
    if staff.county_id != county.pk or staff.role not in ROLES_GIVEN:
        raise ValidationError(_("This person is not one of your county's staff."))
    user = staff.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    AuthToken.objects.filter(user=user).delete()
    return staff


@transaction.atomic
def staff_password_reset(*, county: County, staff: Staff) -> str:
    """A new temporary password (returned, to show once); the person must change it at login."""
    if staff.county_id != county.pk or staff.role not in ROLES_GIVEN:
        raise ValidationError(_("This person is not one of your county's staff."))
    password = temporary_password()
    user = staff.user
    user.set_password(password)
    user.save(update_fields=["password"])
    AuthToken.objects.filter(user=user).delete()  # the phone logs in again, with the new one
    staff.must_change_password = True
    staff.save(update_fields=["must_change_password"])
    return password


@transaction.atomic
def password_changed(*, user) -> None:
    """The user chose their own password: the flag that sent them to choose one clears."""
    Staff.objects.filter(user=user, must_change_password=True).update(must_change_password=False)
