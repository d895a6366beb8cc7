"""Writes for teams: one function that saves a team and keeps its coverage."""

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.translation import gettext as _

from disputes.core import areas
from disputes.core.errors import CaseInputError, NotAllowed
from disputes.teams import spatial
from disputes.teams.models import Team, TeamMember
from villages.models import Staff, Township, Village


@transaction.atomic
def team_save(*, team: Team, categories=None, leader=None, members=()) -> Team:
    """Save a team: its pillar follows its kind, its county its township, its coverage its area.

    `categories` (None keeps them; empty means all), `leader` and `members`
    (users) replace the current ones when given.
    """
    team.pillar = Team.PILLAR_OF_KIND[team.kind]
    if team.village_id:
        team.township_id = team.village.township_id
    team.county_id = team.township.county_id
    team.save()
    if categories is not None:
        team.categories.set(categories)
    if leader is not None or members:
        TeamMember.objects.filter(team=team).delete()
        if leader is not None:
            TeamMember.objects.create(team=team, user=leader, is_leader=True)
        TeamMember.objects.bulk_create(
            [TeamMember(team=team, user=user) for user in members if user != leader]
        )
    spatial.team_coverage_refresh([team.pk])
    team.refresh_from_db(fields=["coverage"])
    return team


def team_from_input(*, actor, data: dict, team: Team | None = None) -> Team:
    """Create or change a team from API input, within the actor's area (township leader or above)."""
    staff = areas.staff_of(actor)
    allowed = Township.objects.all() if actor.is_superuser else Township.objects.none()
    if staff and staff.role == Staff.Role.COUNTY_OFFICE:
        allowed = Township.objects.filter(county_id=staff.county_id)
    elif staff and staff.role == Staff.Role.TOWNSHIP_LEADER:
        allowed = Township.objects.filter(pk=staff.township_id)
    if not allowed.exists():
        raise NotAllowed(_("Teams are managed by a township leader or above."))
    village = None
    if data.get("village"):
        village = Village.objects.filter(code=data["village"], township__in=allowed).first()
        if village is None:
            raise CaseInputError("village", _("No village with this code in your area."))
    township = (
        village.township if village else allowed.filter(code=data.get("township") or "").first()
    )
    if township is None:
        township = team.township if team else (allowed.first() if allowed.count() == 1 else None)
    if township is None:
        raise CaseInputError("township", _("Give the township code of the team."))
    base = Point(data["longitude"], data["latitude"], srid=4326)
    area = areas.area_boundary(actor)
    if area is not None and not area.covers(base):
        raise CaseInputError("location", _("The team's base must lie in your own area."))
    leader = None
    if data.get("leader") is not None:
        leader = (
            get_user_model().objects.filter(areas.staff_in_area_q(actor), pk=data["leader"]).first()
        )
        if leader is None:  # the same answer for a user elsewhere and for no user
            raise CaseInputError("leader", _("No staff member with this id in your area."))
    team = team or Team()
    team.name, team.kind, team.village, team.township = (
        data["name"],
        data["kind"],
        village,
        township,
    )
    team.base = base
    team.service_radius_m = data.get("service_radius_m")
    team.capacity, team.active = data["capacity"], data["active"]
    return team_save(team=team, categories=data.get("categories"), leader=leader)
