"""评 by the complainant: rating once resolved, asking for a review within 30 days."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from disputes.cases.models import Case, CaseEvent
from disputes.cases.services import lifecycle
from disputes.core.errors import TransitionRefused
from disputes.residents import services
from tests.disputes.residents.conftest import resident_report


def resolved_case(territory) -> Case:
    case, _code = resident_report()
    holder = territory.users["grid_worker"]
    lifecycle.case_accept(case_id=case.pk, actor=holder, reply="已受理")
    lifecycle.case_resolve(case_id=case.pk, actor=holder, outcome="settled", reply="已疏通")
    return Case.objects.get(pk=case.pk)


def test_rating_is_the_return_visit_with_the_comment_in_the_note(territory):
    case = resolved_case(territory)
    services.resident_rate(case_id=case.pk, satisfaction="basically_satisfied", comment="还行")
    case.refresh_from_db()
    assert case.status == Case.Status.FOLLOWED_UP
    assert case.satisfaction == "basically_satisfied"
    assert case.due_date is None
    event = case.events.order_by("-id").first()
    assert event.action == CaseEvent.Action.FOLLOW_UP and "还行" in event.note
    assert event.reply == ""


def test_rating_before_resolution_or_twice_is_refused(territory):
    case, _code = resident_report()
    with pytest.raises(TransitionRefused):
        services.resident_rate(case_id=case.pk, satisfaction="satisfied", comment="")
    case = resolved_case(territory)
    services.resident_rate(case_id=case.pk, satisfaction="satisfied", comment="")
    with pytest.raises(TransitionRefused):
        services.resident_rate(case_id=case.pk, satisfaction="not_satisfied", comment="")


def test_a_review_after_not_satisfied_reopens_the_case_on_the_desk(territory):
    case = resolved_case(territory)
    services.resident_rate(case_id=case.pk, satisfaction="not_satisfied", comment="没解决")
    services.resident_review(case_id=case.pk, reason="水沟又堵了")
    case.refresh_from_db()
    assert case.status == Case.Status.IN_REVIEW and case.reviews == 1
    assert case.deadline_kind == Case.DeadlineKind.REVIEW
    assert case.events.order_by("-id").first().action == CaseEvent.Action.REOPEN


def test_no_review_when_satisfied(territory):
    case = resolved_case(territory)
    services.resident_rate(case_id=case.pk, satisfaction="satisfied", comment="")
    with pytest.raises(TransitionRefused):
        services.resident_review(case_id=case.pk, reason="再看看")


def test_a_review_is_asked_for_within_30_days_of_the_resolution(territory):
    case = resolved_case(territory)
    services.resident_rate(case_id=case.pk, satisfaction="not_satisfied", comment="")
    with (
        time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)),
        pytest.raises(TransitionRefused),
    ):
        services.resident_review(case_id=case.pk, reason="水沟又堵了")
    with time_machine.travel(timezone.now() + timedelta(days=29, hours=23)):
        services.resident_review(case_id=case.pk, reason="水沟又堵了")
    assert Case.objects.get(pk=case.pk).status == Case.Status.IN_REVIEW
