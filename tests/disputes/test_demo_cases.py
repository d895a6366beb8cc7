import pytest
from django.core.management import call_command

from disputes.models import Case, CaseEvent
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

    call_command("build_demo_cases", count=40, if_empty=True)
    assert Case.objects.count() == 40
