"""Demo cases for the demo county, made through the same services as real ones.

The cases are spread over past months by moving the clock with time-machine
(a development dependency: demo data is for development machines).
"""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from disputes.cases.models import Case, Category
from disputes.cases.services import intake, lifecycle

DESCRIPTIONS = {
    "land-housing": "宅基地界址不清，两户因围墙位置发生争执",
    "neighbours": "楼上漏水渗到楼下，双方多次协商未果",
    "marriage-family": "夫妻因赡养老人问题发生矛盾",
    "labour-wages": "工地班组拖欠农民工工资约三个月",
    "requisition-demolition": "对征地补偿标准有异议",
    "construction-property": "小区物业费上涨引发业主不满",
    "environment": "养殖场异味影响周边住户",
    "consumer": "购买的农资产品质量有问题",
    "medical": "对卫生院诊疗结果有异议",
    "traffic": "电动车与三轮车相撞，赔偿未谈拢",
    "other": "村道路灯长期不亮，群众意见较大",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗"


def demo_cases_create(*, count: int = 300, seed: int = 2026, days: int = 120) -> int:
    """Report `count` cases at random points of the county's grids over the last `days`,
    and move most of them along their lifecycle. Returns how many were made."""
    import time_machine

    rng = random.Random(seed)
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    categories = list(Category.objects.filter(active=True))
    hotspots = count // HOTSPOT_EVERY
    points = [
        (lon, lat, None, days, False)
        for lon, lat in _points_in_grids(count, seed)[: count - hotspots * HOTSPOT_SIZE]
    ]
    points += _hotspot_points(hotspots, random.Random(seed + 1), categories)
    made = 0
    for lon, lat, hotspot_category, within_days, open_only in points:
        category = hotspot_category or rng.choice(categories)
        when = timezone.now() - timedelta(days=rng.uniform(0, within_days))
        with time_machine.travel(when, tick=False):
            case = intake.case_report(
                reporter=admin,
                report=intake.CaseReport(
                    uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                    channel=rng.choice(Case.Channel.values),
                    occurred_at=when,
                    lon=lon,
                    lat=lat,
                    category=category,
                    description=DESCRIPTIONS.get(category.code, "群众反映的矛盾纠纷"),
                    people_involved=rng.randint(1, 12),
                    amount_at_stake=rng.choice(AMOUNTS),
                    parties=[
                        intake.PartyInput(
                            role="complainant",
                            name=rng.choice(SURNAMES) + rng.choice("明华伟芳军英秀兰强"),
                            phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}",
                        )
                    ],
                ),
                fingerprint=f"demo-{made}",
            ).case
        _advance(case, admin, rng, when, time_machine, open_only=open_only)
        made += 1
    return made


# Money at stake: none in most disputes, up to tens of thousands of yuan in some.
AMOUNTS = [None, None, None, Decimal(500), Decimal(2000), Decimal(8000), Decimal(30000)]


# What the handling unit writes to the complainant (答复) at each step of the demo.
ACCEPTED_REPLY = "您反映的问题已受理，我们将在法定期限内办理并答复。"
RESOLVED_REPLY = {
    Case.Outcome.SETTLED: "经调解，双方已达成一致，问题已解决。",
    Case.Outcome.PARTLY_SETTLED: "经调解，双方就主要问题达成一致，其余事项继续跟进。",
    Case.Outcome.NOT_SETTLED: "经多次调解未能达成一致，建议通过其他法定途径解决。",
    Case.Outcome.REFERRED: "本事项已引导至法院（仲裁机构）依法处理。",
}


def _advance(case, admin, rng, when, time_machine, open_only=False):
    """Take a case some way along its life: accept, maybe escalate, resolve, follow up, close.

    `open_only`: at most accept it.
    """
    if open_only:
        if rng.random() < 0.6:
            with time_machine.travel(min(when + timedelta(days=1), timezone.now()), tick=False):
                lifecycle.case_accept(case_id=case.pk, actor=admin, reply=ACCEPTED_REPLY)
        return
    steps = [lambda: lifecycle.case_accept(case_id=case.pk, actor=admin, reply=ACCEPTED_REPLY)]
    if rng.random() < 0.3:
        steps.append(
            lambda: lifecycle.case_escalate(case_id=case.pk, actor=admin, reason="需上级协调")
        )
    outcome = rng.choices(Case.Outcome.values, weights=[7, 2, 1, 1])[0]
    satisfaction = rng.choices(Case.Satisfaction.values, weights=[7, 2, 1])[0]
    steps += [
        lambda: lifecycle.case_resolve(
            case_id=case.pk, actor=admin, outcome=outcome, reply=RESOLVED_REPLY[outcome]
        ),
        lambda: lifecycle.case_follow_up(case_id=case.pk, actor=admin, satisfaction=satisfaction),
        lambda: lifecycle.case_close(case_id=case.pk, actor=admin),
    ]
    taken = rng.choices(range(len(steps) + 1), weights=[3, 4, *[3] * (len(steps) - 1)])[0]
    at = when
    for step in steps[:taken]:
        at = min(at + timedelta(days=rng.uniform(0.5, 20)), timezone.now())
        with time_machine.travel(at, tick=False):
            step()


# One case in HOTSPOT_EVERY is reported in a hotspot: HOTSPOT_SIZE open cases of the last
# HOTSPOT_DAYS within about 100 m, mostly of one category, as the hotspot map clusters them.
HOTSPOT_EVERY, HOTSPOT_SIZE, HOTSPOT_DAYS = 50, 6, 45


def _hotspot_points(hotspots: int, rng, categories) -> list:
    """Points of `hotspots` hotspots: the first in the first grid someone patrols (the demo
    grid worker's, so that the demo logins' areas have one), the others in random grids."""
    if not hotspots:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_X(ST_PointOnSurface(g.boundary)), ST_Y(ST_PointOnSurface(g.boundary)),
                   EXISTS (SELECT 1 FROM grid_grid_workers w WHERE w.grid_id = g.id)
              FROM grid_grid g WHERE g.boundary IS NOT NULL ORDER BY g.code
            """
        )
        grids = cursor.fetchall()
    patrolled = [(lon, lat) for lon, lat, has_worker in grids if has_worker]
    centres = patrolled[:1] + [
        (lon, lat) for lon, lat, _worker in rng.sample(grids, min(hotspots, len(grids)))
    ]
    points = []
    for lon, lat in centres[:hotspots]:
        main = rng.choice(categories)
        for _ in range(HOTSPOT_SIZE):
            category = main if rng.random() < 0.7 else rng.choice(categories)
            offset = (rng.uniform(-0.0008, 0.0008), rng.uniform(-0.0008, 0.0008))  # ~80 m
            points.append((lon + offset[0], lat + offset[1], category, HOTSPOT_DAYS, True))
    return points


def _points_in_grids(count: int, seed: int) -> list[tuple[float, float]]:
    """Random points in the grids, more of them in some grids than others (hotspots)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        cursor.execute(
            """
            SELECT ST_X(p.geom), ST_Y(p.geom)
              FROM (SELECT boundary,
                           (random() ^ 3 * 8 * %s / count(*) OVER ())::int + 1 AS weight
                      FROM grid_grid WHERE boundary IS NOT NULL ORDER BY code) g,
                   LATERAL ST_Dump(ST_GeneratePoints(g.boundary, g.weight, %s)) p
             ORDER BY random() LIMIT %s
            """,
            [count, seed, count],
        )
        return cursor.fetchall()
