"""A resident's report becomes a case through the intake; a letter goes to a leader's unit."""

import pytest

from config.sms import outbox
from disputes.cases.models import Attachment, Case, CaseEvent, Party
from disputes.cases.query_codes import ALPHABET, query_code_matches
from disputes.core.errors import CaseInputError
from disputes.residents.models import MailboxLeader
from disputes.residents.portal import PORTAL_USERNAME, portal_user
from tests.disputes.conftest import WUCHENG_01, XINGYANG_01
from tests.disputes.residents.conftest import PHONE, photo, resident_report


def test_a_report_is_a_web_case_of_the_portal_with_the_resident_as_complainant(
    territory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case, code = resident_report(photos=(photo(), photo("b.png")))
    case.refresh_from_db()
    assert case.channel == Case.Channel.WEB
    assert case.reporter.username == PORTAL_USERNAME
    assert case.grid == territory.grids["xingyang-01"]
    assert case.status == Case.Status.REPORTED
    assert case.deadline_kind == Case.DeadlineKind.ACCEPTANCE and case.due_date
    party = Party.objects.get(case=case)
    assert (party.role, party.name, party.phone) == ("complainant", "王小明", PHONE)
    # the code: 12 characters of the alphabet without look-alikes, kept only as its hash
    letters = code.replace("-", "")
    assert len(letters) == 12 and set(letters) <= set(ALPHABET)
    assert query_code_matches(case.query_code_hash, code)
    assert code not in case.query_code_hash
    assert Attachment.objects.filter(case=case, kind="photo").count() == 2
    # the SMS carries the number and the code
    assert [m.to for m in outbox] == [PHONE]
    assert f"#{case.pk}" in outbox[0].text and code in outbox[0].text


def test_the_portal_user_cannot_log_in(db):
    user = portal_user()
    assert not user.is_active and not user.has_usable_password()
    assert portal_user().pk == user.pk


def test_a_resident_not_on_the_spot_chooses_the_village(territory):
    case, _code = resident_report(point=None, village_id=territory.nanzhou.pk)
    assert case.village == territory.nanzhou and case.grid is None and not case.point_known


def test_a_place_outside_the_county_is_refused_and_nothing_is_kept(territory):
    with pytest.raises(CaseInputError) as refused:
        resident_report(point=(116.5, 29.5))
    assert refused.value.field == "location"
    assert not Case.objects.exists()


def test_the_id_number_is_kept_only_masked_hashed_and_encrypted(territory):
    case, _code = resident_report(id_number="360425199001011230")
    party = Party.objects.get(case=case)
    assert party.id_number_masked != "360425199001011230"
    assert "360425199001011230" not in party.id_number_encrypted


def leader(territory, key, title, position=0):
    return MailboxLeader.objects.create(user=territory.users[key], title=title, position=position)


def test_a_letter_to_the_township_leader_goes_to_the_township_marked_for_them(territory):
    mailbox = leader(territory, "township_leader", "涂埠镇党委书记")
    case, _code = resident_report(leader=mailbox)
    case.refresh_from_db()
    assert case.channel == Case.Channel.MAILBOX
    assert case.addressed_to == territory.users["township_leader"]
    assert case.level == "township"
    event = case.events.get(action=CaseEvent.Action.NOTE)
    assert (event.from_level, event.to_level) == ("grid", "township")


def test_a_letter_to_the_county_office_goes_to_the_county(territory):
    mailbox = leader(territory, "county_office", "县信访局局长")
    case, _code = resident_report(point=WUCHENG_01, leader=mailbox)
    assert case.level == "county" and case.addressed_to == territory.users["county_office"]


def test_a_letter_about_another_township_is_refused(territory):
    mailbox = leader(territory, "township_leader", "涂埠镇党委书记")
    with pytest.raises(CaseInputError) as refused:
        resident_report(point=WUCHENG_01, leader=mailbox)
    assert refused.value.field == "location"
    assert not Case.objects.exists()


def test_only_active_leaders_of_a_unit_are_listed(territory):
    from disputes.residents.selectors import mailbox_leaders

    leader(territory, "county_office", "县长", position=1)
    leader(territory, "township_leader", "涂埠镇镇长", position=2)
    leader(territory, "village_cadre", "村支书", position=3)  # no leader of a unit
    MailboxLeader.objects.create(
        user=territory.users["other_township_leader"], title="x", active=False
    )
    rows = mailbox_leaders()
    assert [(r.title, r.unit) for r in rows] == [
        ("县长", territory.county.name),
        ("涂埠镇镇长", territory.tubu.name),
    ]


def test_photos_are_at_most_three(territory):
    case, _code = resident_report(point=XINGYANG_01, photos=tuple(photo() for _ in range(4)))
    assert Attachment.objects.filter(case=case).count() == 3
