"""Nothing internal on any resident page: a case full of internal notes, parties, a team
and other cases, rendered on every page a resident can open, shows none of it."""

import pytest
from django.test import Client

from disputes.cases.models import Party
from disputes.cases.services import lifecycle, remarks
from disputes.residents.models import MailboxLeader
from tests.disputes.conftest import tubu_committee
from tests.disputes.residents.conftest import PHONE, last_sms_code, resident_report

SECRETS = (
    "内部备注：当事人有上访史",  # internal notes
    "内部：建议冷处理",
    "李四",  # the other party
    "13987654321",
    "赵六",
    "王小明",  # the complainant's own name and numbers
    PHONE,
    "360425199001011230",
    "201230",  # the ID number's tail
    "gw_xingyang_01",  # staff (the actors)
    "leader_tubu",
    "涂埠镇人民调解委员会",  # the team
    "resident-portal",  # the reporter
    "阳光信访用户",
    "<script>alert(1)</script>",  # resident text is escaped where shown
)


def test_no_resident_page_shows_anything_internal(territory):
    leader = territory.users["township_leader"]
    leader.first_name = "赵六"
    leader.save()
    MailboxLeader.objects.create(user=leader, title="涂埠镇党委书记")
    case, code = resident_report(
        id_number="360425199001011230", address="<script>alert(1)</script>"
    )
    Party.objects.create(
        case=case, county=case.county, role="respondent", name="李四", phone="13987654321"
    )
    other, _ = resident_report(description="另一件事：别人的案件", phone="13900001111")
    holder = territory.users["grid_worker"]
    lifecycle.case_accept(
        case_id=case.pk, actor=holder, note="内部备注：当事人有上访史", reply="已受理 <b>粗体</b>"
    )
    remarks.case_note_add(case_id=case.pk, actor=holder, note="内部：建议冷处理")
    lifecycle.case_escalate(case_id=case.pk, actor=holder, reason="内部：建议冷处理")
    lifecycle.case_escalate(
        case_id=case.pk, actor=territory.users["village_cadre"], reason="内部：建议冷处理"
    )
    team = tubu_committee(territory, leader=territory.users["mediator"])
    case.team = team
    case.save(update_fields=["team"])
    lifecycle.case_resolve(
        case_id=case.pk,
        actor=leader,
        outcome="settled",
        note="内部备注：当事人有上访史",
        reply="已处理完毕",
    )

    client = Client()
    pages = {}
    pages["home"] = client.get("/r/")
    pages["report"] = client.get("/r/report/")
    pages["mailbox"] = client.get("/r/mailbox/")
    pages["letter"] = client.get(f"/r/mailbox/{leader.mailbox.pk}/")
    pages["track"] = client.get("/r/track/")
    client.post("/r/track/", {"kind": "code", "c-number": case.pk, "c-query_code": code})
    pages["case"] = client.get(f"/r/cases/{case.pk}/")
    client.post("/r/code/", {"phone": PHONE, "purpose": "track"})
    client.post("/r/track/", {"kind": "phone", "p-phone": PHONE, "p-code": last_sms_code()})
    pages["mine"] = client.get("/r/track/mine/")
    client.post(f"/r/cases/{case.pk}/rate/", {"satisfaction": "not_satisfied", "comment": "x"})
    pages["case rated"] = client.get(f"/r/cases/{case.pk}/")
    pages["outline"] = client.get("/r/outline.json")
    for name, page in pages.items():
        assert page.status_code == 200, name
        text = page.content.decode()
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} on the {name} page"
        assert "另一件事" not in text and f"#{other.pk}" not in text, name
    case_page = pages["case"].content.decode()
    assert "已受理 &lt;b&gt;粗体&lt;/b&gt;" in case_page and "已处理完毕" in case_page
    assert "138****5678" in pages["mine"].content.decode()


@pytest.mark.parametrize("path", ["/r/cases/{id}/", "/r/cases/{id}/rate/", "/r/cases/{id}/review/"])
def test_a_case_id_alone_opens_nothing(territory, path):
    case, _code = resident_report()
    client = Client()
    url = path.format(id=case.pk)
    page = client.get(url) if url.endswith(f"cases/{case.pk}/") else client.post(url, {})
    assert page.status_code == 404
