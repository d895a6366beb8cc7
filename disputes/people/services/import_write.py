"""Write a checked sheet of people in one transaction: new people created, known ones updated."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import transaction

from disputes.people.services.import_check import PersonRow, people_sheet_check
from disputes.people.services.staff import temporary_password
from disputes.teams.models import TeamMember
from grid.models import Grid
from villages.models import County, Staff

# A temporary password is random (about 58 bits) and replaced at the first login, where
# Django hashes the new one at full strength: a thousand new people need not each cost
# the full iterations (minutes of hashing) at the import.
TEMPORARY_ITERATIONS = 20_000


@dataclass
class ImportResult:
    created: list[tuple[Staff, str]]  # (person, temporary password)
    updated: list[Staff]


def _temporary_hash(password: str) -> str:
    hasher = get_hasher("default")
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=TEMPORARY_ITERATIONS)
    return make_password(password)


def _township(person: PersonRow):
    """Department staff work for their department: a station's township only picked it."""
    return None if person.role == Staff.Role.DEPARTMENT_STAFF else person.township


def people_import(*, county: County, data: bytes) -> ImportResult:
    """Check the whole sheet (ImportFailed lists every problem), then write all of it or nothing."""
    people = people_sheet_check(county=county, data=data)
    with transaction.atomic():
        return _write(county, people)


def _write(county: County, people: list[PersonRow]) -> ImportResult:
    User = get_user_model()
    new = [p for p in people if p.staff is None]
    known = [p for p in people if p.staff is not None]
    passwords = [temporary_password() for _p in new]
    users = User.objects.bulk_create(
        [
            User(username=p.mobile, first_name=p.full_name, password=_temporary_hash(password))
            for p, password in zip(new, passwords, strict=True)
        ]
    )
    created = Staff.objects.bulk_create(
        [
            Staff(
                user=user,
                role=p.role,
                county=county,
                township=_township(p),
                village=p.village
                if p.role in (Staff.Role.GRID_WORKER, Staff.Role.VILLAGE_CADRE)
                else None,
                department=p.department,
                mobile=p.mobile,
                must_change_password=True,
            )
            for p, user in zip(new, users, strict=True)
        ]
    )
    changed_names = []
    for p in known:
        staff = p.staff
        if staff.user.first_name != p.full_name:
            staff.user.first_name = p.full_name
            changed_names.append(staff.user)
        staff.role, staff.township, staff.mobile = p.role, _township(p), p.mobile
        staff.department = p.department
        staff.village = (
            p.village if p.role in (Staff.Role.GRID_WORKER, Staff.Role.VILLAGE_CADRE) else None
        )
    User.objects.bulk_update(changed_names, ["first_name"])
    Staff.objects.bulk_update(
        [p.staff for p in known], ["role", "township", "village", "mobile", "department"]
    )
    # Grids: a row's grids replace the person's; a row without grids leaves a worker's alone.
    pairs = list(zip(new, users, strict=True)) + [(p, p.staff.user) for p in known]
    Through = Grid.workers.through
    regridded = [p.staff.user_id for p in known if p.grids or p.role != Staff.Role.GRID_WORKER]
    Through.objects.filter(user_id__in=regridded).delete()
    Through.objects.bulk_create(
        [Through(grid_id=grid.pk, user_id=user.pk) for p, user in pairs for grid in p.grids]
    )
    # Teams: the row's teams are added; memberships elsewhere stay.
    existing = set(
        TeamMember.objects.filter(user_id__in=[u.pk for _p, u in pairs]).values_list(
            "team_id", "user_id"
        )
    )
    TeamMember.objects.bulk_create(
        [
            TeamMember(team_id=team.pk, user_id=user.pk)
            for p, user in pairs
            for team in dict.fromkeys(p.teams)
            if (team.pk, user.pk) not in existing
        ]
    )
    return ImportResult(
        created=list(zip(created, passwords, strict=True)), updated=[p.staff for p in known]
    )
