"""A realistic set of 三治 and mediation teams for the demo county, with gaps left in."""

import random

from django.db import transaction

from disputes.cases.models import Category
from disputes.teams.models import Team
from disputes.teams.services.teams import team_save
from villages.models import County, Staff

K = Team.Kind
# The share of villages that have each village-level team.
VILLAGE_TEAMS = [
    (K.RESIDENTS_COUNCIL, "百姓参政团", 0.85),
    (K.MORAL_PANEL, "道德评判团", 0.75),
    (K.LEGAL_VILLAGER, "法律明白人", 0.9),
    (K.SERVICE_TEAM, "百事服务团", 0.4),
]
STUDIO_SURNAMES = "王李张刘陈杨黄赵吴周"


@transaction.atomic
def demo_teams_create(*, county: County, seed: int = 2026) -> int:
    """Teams for every township and most villages; one township lacks its legal adviser.

    The demo mediator leads the mediation committee of their township.
    """
    rng = random.Random(seed)
    made = 0
    townships = list(county.townships.exclude(boundary=None).order_by("code"))
    without_adviser = townships[len(townships) // 2] if townships else None
    family = list(
        Category.objects.filter(code__in=["marriage-family", "neighbours", "land-housing"])
    )
    for township in townships:
        centre = township.boundary.point_on_surface
        made += _team(
            K.MEDIATION_COMMITTEE, f"{township.name}人民调解委员会", township, None, centre, 12
        )
        if township != without_adviser:
            made += _team(K.LEGAL_ADVISER, f"{township.name}法律顾问", township, None, centre, 8)
        if rng.random() < 0.4:
            made += _team(
                K.MEDIATION_STUDIO,
                f"老{rng.choice(STUDIO_SURNAMES)}调解工作室",
                township,
                None,
                centre,
                6,
                radius=rng.choice([3000, 5000, 8000]),
                categories=family,
            )
        for village in township.villages.exclude(boundary=None).order_by("code"):
            point = village.boundary.point_on_surface
            for kind, suffix, share in VILLAGE_TEAMS:
                if rng.random() < share:
                    made += _team(
                        kind,
                        f"{village.name.removesuffix('委会')}{suffix}",
                        township,
                        village,
                        point,
                        4,
                    )
    _demo_mediator_leads(county)
    return made


def _team(kind, name, township, village, base, capacity, radius=None, categories=None) -> int:
    team = Team(
        name=name,
        kind=kind,
        township=township,
        village=village,
        base=base,
        capacity=capacity,
        service_radius_m=radius,
    )
    team_save(team=team, categories=categories)
    return 1


def _demo_mediator_leads(county: County):
    staff = (
        Staff.objects.filter(role=Staff.Role.MEDIATOR, county=county).select_related("user").first()
    )
    if staff is None or staff.township_id is None:
        return
    committee = Team.objects.filter(
        township_id=staff.township_id, kind=K.MEDIATION_COMMITTEE
    ).first()
    if committee is not None:
        team_save(team=committee, leader=staff.user)
