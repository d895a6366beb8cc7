import pytest
from django.core.management import call_command

from disputes.models import Team
from disputes.teams.selectors import coverage_report

pytestmark = pytest.mark.django_db


def test_demo_teams_cover_most_villages_and_leave_gaps(territory, capsys):
    call_command("build_demo_teams", seed=5)

    assert "demo teams" in capsys.readouterr().out or Team.objects.exists()
    report = coverage_report(township_ids=[territory.tubu.pk, territory.wucheng.pk])
    assert sum(1 for t in report["townships"] if not t["legal_adviser"]) == 1
    assert Team.objects.filter(kind="mediation_committee").count() == 2
    committee = Team.objects.get(township=territory.tubu, kind="mediation_committee")
    assert committee.memberships.get(is_leader=True).user == territory.users["mediator"]
    assert all(team.coverage is not None for team in Team.objects.all())

    call_command("build_demo_teams", if_empty=True)
    assert Team.objects.count() == len({t.pk for t in Team.objects.all()})
