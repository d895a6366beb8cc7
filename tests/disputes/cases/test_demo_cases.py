import pytest
from django.core.management import call_command
from django.utils import timezone

from disputes.desk.mailbox import mailbox_demo_open
from disputes.models import Case, CaseEvent, MailboxLeader, ZeroReport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_cases_are_made_through_the_services_in_every_state(territory, capsys):
    UserFactory(username="admin", is_superuser=True, is_staff=True)

    call_command("build_demo_cases", count=40, seed=3)

    assert "40" in capsys.readouterr().out
    cases = Case.objects.all()
    assert cases.count() == 40
    assert len(set(cases.values_list("status", flat=True))) >= 4
    assert all(c.grid_id for c in cases)
    # Every case has its history, starting with the report, on the day it was reported.
    for case in cases:
        events = list(case.events.all())
        assert events[0].action == "report"
        assert (
            events[0].at == case.reported_at
            or abs(events[0].at - case.reported_at).total_seconds() < 1
        )
        assert events[-1].to_status == case.status
    assert CaseEvent.objects.filter(action="close").exists()
    assert Case.objects.filter(amount_at_stake__gt=0).exists()
    # The unit wrote to the complainant when it accepted and resolved.
    for event in CaseEvent.objects.filter(action__in=["accept", "resolve"]):
        assert event.reply

    # Zero reports: only grids with a worker, never today, each linking its day's cases.
    reports = ZeroReport.objects.all()
    assert 0 < reports.count() <= 60 * 2  # the territory's two grids with a worker
    assert set(reports.values_list("grid__code", flat=True)) <= {
        territory.grids["xingyang-01"].code,
        territory.grids["xingyang-02"].code,
    }
    for report in reports.filter(nothing_found=False):
        assert all(
            case.grid_id == report.grid_id and timezone.localdate(case.reported_at) == report.day
            for case in report.cases.all()
        )
        assert report.cases.exists()

    call_command("build_demo_cases", count=40, if_empty=True)
    assert Case.objects.count() == 40


def test_demo_cases_make_hotspots_one_in_the_demo_grid_workers_grid(territory, client):
    UserFactory(username="admin", is_superuser=True, is_staff=True)

    call_command("build_demo_cases", count=50, seed=5)

    # 兴杨 grid 01 is the first grid with a worker: a hotspot is there, open and recent,
    # and the hotspot map of its grid worker finds it.
    grid = territory.grids["xingyang-01"]
    assert Case.objects.filter(grid=grid, status__in=["reported", "accepted"]).count() >= 6
    client.force_login(territory.users["grid_worker"])
    clusters = client.get("/maps/api/clusters/").json()["features"]
    assert clusters and clusters[0]["properties"]["size"] >= 6


def test_the_demo_leaders_are_in_the_leaders_mailbox_once(territory):
    for role in ("township_leader", "county_office"):
        territory.users[role].username = role
        territory.users[role].save()
    assert mailbox_demo_open() == 2
    assert MailboxLeader.objects.get(user=territory.users["township_leader"]).title == "镇长"
    assert mailbox_demo_open() == 0
