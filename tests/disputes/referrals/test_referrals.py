"""访调诉: a referred case stops the petition clock, counts as referred, and its result comes back."""

from datetime import date

import pytest

from disputes.cases.deadlines import HANDLING_DAYS, deadline_after
from disputes.cases.services import lifecycle
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.desk.selectors import desk_counts
from disputes.models import Case, SupervisionNotice
from disputes.oversight.services.supervision import supervision_run
from disputes.referrals.models import Referral
from disputes.referrals.selectors.referrals import referral_tally
from disputes.referrals.services.referrals import (
    referral_refer,
    referral_reference_set,
    referral_result,
)
from disputes.reporting.selectors.figures import Scope, figures_report
from disputes.reporting.services.figures import figures_refresh
from tests.disputes.referrals.conftest import COURT, COURT_REFERENCE, at
from tests.factories import UserFactory
from villages.models import Department, Staff

pytestmark = pytest.mark.django_db


def refer(case_id, actor, **overrides):
    values = {
        "body": Referral.Body.COURT_MEDIATION,
        "body_name": COURT,
        "referred_on": date(2026, 3, 9),
        "reference": "",
        "note": "双方同意诉前调解",
        "reply": "您的纠纷已转永修县人民法院诉前调解，请留意法院通知。",
    }
    values.update(overrides)
    return referral_refer(case_id=case_id, actor=actor, **values)


def overdue_count(user) -> int:
    return {tally["key"]: tally["count"] for tally in desk_counts(user=user)}["overdue"]


def test_a_referral_to_a_court_stops_the_clock(accepted, territory):
    leader = territory.users["township_leader"]
    referred_id, waiting_id = accepted(), accepted(point=(115.812, 29.03))
    with at(date(2026, 3, 10)):
        referral = refer(referred_id, leader, reference=COURT_REFERENCE)
    case = Case.objects.get(pk=referred_id)
    assert (case.status, case.due_date, case.deadline_kind) == ("referred", None, "")
    assert (referral.body_name, referral.reference, referral.referred_by) == (
        COURT,
        COURT_REFERENCE,
        leader,
    )
    event = case.events.get(action="refer")
    assert (event.from_status, event.to_status, event.on_date) == (
        "accepted",
        "referred",
        date(2026, 3, 9),
    )
    assert COURT in event.note and COURT_REFERENCE in event.note and "诉前调解" in event.note
    assert event.reply.startswith("您的纠纷已转永修县人民法院")

    # Long after the 60-day handling limit: the other case is supervised, the referred one not.
    with at(date(2026, 6, 30)):
        supervision_run()
        assert overdue_count(leader) == 1
        assert overdue_count(territory.users["grid_worker"]) == 1
    assert not SupervisionNotice.objects.filter(case_id=referred_id).exists()
    assert SupervisionNotice.objects.filter(case_id=waiting_id, kind="overdue").exists()
    case = Case.objects.get(pk=referred_id)
    assert (case.status, case.level) == ("referred", "grid")


def test_a_referred_case_counts_as_referred_in_the_figures(accepted, territory):
    case_id = accepted()
    accepted(point=(115.812, 29.03))
    with at(date(2026, 3, 10)):
        refer(case_id, territory.users["grid_worker"])
    figures_refresh()
    with at(date(2026, 4, 2)):
        figures = figures_report(
            Scope("township", territory.tubu), date(2026, 3, 1), date(2026, 3, 31)
        )["figures"]
    assert (figures["received"], figures["accepted"], figures["referred"]) == (2, 2, 1)
    assert figures["resolved"] == 0


def test_settled_there_the_case_is_resolved_as_referred_and_the_return_visit_follows(
    accepted, territory
):
    worker = territory.users["grid_worker"]
    case_id = accepted()
    with at(date(2026, 3, 10)):
        referral = refer(case_id, worker)
    with at(date(2026, 8, 3)):  # months later: no clock ran meanwhile
        referral_result(
            referral_id=referral.pk,
            actor=worker,
            result="法院主持调解，双方达成调解协议，赔偿3000元",
            result_on=date(2026, 7, 28),
            outcome_back="resolved",
            reply="法院已主持调解结案，请您对处理结果进行评价。",
        )
    case = Case.objects.get(pk=case_id)
    assert (case.status, case.outcome, case.resolved_on_time) == ("resolved", "referred", None)
    assert case.resolved_at is not None and case.deadline_kind == "follow_up"
    assert case.due_date > date(2026, 8, 3)
    referral.refresh_from_db()
    assert (referral.result_on, referral.result_by) == (date(2026, 7, 28), worker)
    done = case.events.get(action="refer_done")
    assert (done.from_status, done.to_status, done.on_date) == (
        "referred",
        "resolved",
        date(2026, 7, 28),
    )
    assert "赔偿3000元" in done.note and done.reply.startswith("法院已主持调解结案")

    with at(date(2026, 8, 5)):
        lifecycle.case_follow_up(case_id=case_id, actor=worker, satisfaction="satisfied")
    assert Case.objects.get(pk=case_id).status == "followed_up"
    figures_refresh()
    with at(date(2026, 8, 6)):
        figures = figures_report(
            Scope("township", territory.tubu), date(2026, 3, 1), date(2026, 3, 31)
        )["figures"]
    # Resolved, counted as referred, and neither on time nor late: no clock ran.
    assert (figures["resolved"], figures["referred"], figures["resolved_on_time"]) == (1, 1, 0)
    assert figures["settled"] == 0


def test_back_from_arbitration_the_case_is_handled_again_with_a_new_time_limit(accepted, territory):
    leader = territory.users["township_leader"]
    case_id = accepted()
    with at(date(2026, 3, 10)):
        referral = refer(
            case_id,
            leader,
            body=Referral.Body.LABOUR_ARBITRATION,
            body_name="永修县劳动人事争议仲裁委员会",
        )
    with at(date(2026, 5, 20)):
        referral_result(
            referral_id=referral.pk,
            actor=leader,
            result="不属于劳动争议受理范围，不予受理",
            result_on=date(2026, 5, 18),
            outcome_back="handling",
            reply="仲裁委不予受理，您的诉求由镇里继续办理。",
        )
    case = Case.objects.get(pk=case_id)
    assert (case.status, case.deadline_kind, case.outcome) == ("in_handling", "handling", "")
    assert case.due_date == deadline_after(date(2026, 5, 18), HANDLING_DAYS).due
    # The clock runs again: past the new limit the case is supervised like any other.
    with at(date(2026, 5, 25)):
        supervision_run()
    assert not SupervisionNotice.objects.filter(case_id=case_id).exists()
    with at(date(2026, 8, 20)):
        supervision_run()
    assert SupervisionNotice.objects.filter(case_id=case_id, kind="overdue").exists()


def test_the_reference_may_arrive_later(accepted, territory):
    worker = territory.users["grid_worker"]
    case_id = accepted()
    with at(date(2026, 3, 10)):
        referral = refer(case_id, worker)
        referral_reference_set(referral_id=referral.pk, actor=worker, reference=COURT_REFERENCE)
    referral.refresh_from_db()
    assert referral.reference == COURT_REFERENCE
    note = Case.objects.get(pk=case_id).events.filter(action="note").get()
    assert COURT in note.note and COURT_REFERENCE in note.note
    with pytest.raises(CaseInputError) as empty:
        referral_reference_set(referral_id=referral.pk, actor=worker, reference="  ")
    assert empty.value.field == "reference"


def test_who_may_refer_and_when(accepted, report, territory):
    u = territory.users
    with at(date(2026, 3, 2)):
        reported_id = report(point=(115.812, 29.03)).data["id"]
    case_id = accepted()
    with at(date(2026, 3, 10)):
        with pytest.raises(TransitionRefused):  # not accepted yet
            refer(reported_id, u["township_leader"])
        for outsider in ("village_cadre", "other_grid_worker", "other_township_leader"):
            with pytest.raises(NotAllowed):
                refer(case_id, u[outsider])
        referral = refer(case_id, u["county_office"])  # the county leads over every unit
        with pytest.raises(TransitionRefused):  # once referred, not again
            refer(case_id, u["grid_worker"])
        with pytest.raises(NotAllowed):
            referral_result(
                referral_id=referral.pk,
                actor=u["village_cadre"],
                result="x",
                result_on=date(2026, 3, 10),
                reply="x",
            )
        referral_result(
            referral_id=referral.pk,
            actor=u["grid_worker"],
            result="已调解",
            result_on=date(2026, 3, 10),
            reply="已调解",
        )
        with pytest.raises(TransitionRefused):  # the result is recorded once
            referral_result(
                referral_id=referral.pk,
                actor=u["grid_worker"],
                result="again",
                result_on=date(2026, 3, 10),
                reply="x",
            )
        with pytest.raises(TransitionRefused):
            referral_reference_set(referral_id=referral.pk, actor=u["grid_worker"], reference="1")


def test_the_department_that_holds_a_case_may_refer_it(accepted, territory):
    case_id = accepted()
    department = Department.objects.create(county=territory.county, name="县人力资源和社会保障局")
    clerk = UserFactory(username="rsj_clerk")
    Staff.objects.create(
        user=clerk, role=Staff.Role.DEPARTMENT_STAFF, county=territory.county, department=department
    )
    Case.objects.filter(pk=case_id).update(department=department)
    with at(date(2026, 3, 10)):
        with pytest.raises(NotAllowed):  # the grid no longer holds it
            refer(case_id, territory.users["grid_worker"])
        refer(case_id, clerk, body=Referral.Body.LABOUR_ARBITRATION, body_name="仲裁委")
    assert Case.objects.get(pk=case_id).status == "referred"


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("referred_on", {"referred_on": date(2026, 3, 11)}),  # tomorrow
        ("referred_on", {"referred_on": date(2026, 3, 1)}),  # before the case was reported
        ("body", {"body": "moon_court"}),
        ("body_name", {"body_name": "   "}),
        ("body_name", {"body_name": "法" * 101}),
        ("reference", {"reference": "号" * 61}),
    ],
)
def test_referral_input_out_of_bounds_names_its_field(accepted, territory, field, values):
    case_id = accepted()
    with at(date(2026, 3, 10)), pytest.raises(CaseInputError) as refused:
        refer(case_id, territory.users["grid_worker"], **values)
    assert refused.value.field == field
    case = Case.objects.get(pk=case_id)
    assert case.status == "accepted" and case.due_date is not None
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("result_on", {"result_on": date(2026, 3, 8)}),  # before the referral (9 March)
        ("result_on", {"result_on": date(2026, 3, 11)}),  # tomorrow
        ("result", {"result": ""}),
        ("outcome_back", {"outcome_back": "elsewhere"}),
    ],
)
def test_result_input_out_of_bounds_names_its_field(accepted, territory, field, values):
    worker = territory.users["grid_worker"]
    case_id = accepted()
    with at(date(2026, 3, 10)):
        referral = refer(case_id, worker)
        arguments = {
            "result": "已调解",
            "result_on": date(2026, 3, 10),
            "outcome_back": "resolved",
            "reply": "已调解",
            **values,
        }
        with pytest.raises(CaseInputError) as refused:
            referral_result(referral_id=referral.pk, actor=worker, **arguments)
    assert refused.value.field == field
    assert Case.objects.get(pk=case_id).status == "referred"


def test_the_county_s_referrals_by_body_and_result(accepted, territory):
    worker = territory.users["grid_worker"]
    ids = [accepted(point=(115.81, 29.003 + n * 0.004)) for n in range(4)]
    with at(date(2026, 3, 10)):
        settled = refer(ids[0], worker)
        back = refer(ids[1], worker)
        refer(ids[2], worker)
        refer(ids[3], worker, body=Referral.Body.LABOUR_ARBITRATION, body_name="仲裁委")
    with at(date(2026, 3, 20)):
        referral_result(
            referral_id=settled.pk,
            actor=worker,
            result="调解成功",
            result_on=date(2026, 3, 19),
            reply="x",
        )
        referral_result(
            referral_id=back.pk,
            actor=worker,
            result="退回",
            result_on=date(2026, 3, 19),
            outcome_back="handling",
            reply="x",
        )
    county = territory.users["county_office"]
    tally = {
        row.body: (row.referred, row.awaiting, row.settled_there, row.came_back)
        for row in referral_tally(user=county, start=date(2026, 3, 1), end=date(2026, 3, 31))
    }
    assert tally["court_mediation"] == (3, 1, 1, 1)
    assert tally["labour_arbitration"] == (1, 1, 0, 0)
    assert tally["litigation"] == (0, 0, 0, 0)
    assert list(tally) == list(Referral.Body.values)
    before = referral_tally(user=county, start=date(2026, 2, 1), end=date(2026, 2, 28))
    assert sum(row.referred for row in before) == 0
    # Another township's leader sees none of them.
    elsewhere = referral_tally(
        user=territory.users["other_township_leader"], start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    assert sum(row.referred for row in elsewhere) == 0
