"""Registering a case at the desk (/desk/cases/new/): channels, place, parties, repeats, receipt."""

import io
import re
import subprocess
import time
import uuid
from datetime import timedelta

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from disputes.cases.query_codes import ALPHABET, query_code_matches
from disputes.desk.receipts import SESSION_KEY
from disputes.models import Attachment, Case, CaseEvent, Party
from tests.disputes.cases.test_bad_input import png
from tests.disputes.conftest import NANZHOU_01, WUCHENG_01, XINGYANG_01
from tests.factories import CountyFactory, GridFactory, TownshipFactory, VillageFactory, box
from villages.models import Staff

pytestmark = pytest.mark.django_db

ID_NUMBER = "360425199001011230"  # the conftest's complainant
A5_POINTS = (419.53, 595.28)


def client_for(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def form(**overrides) -> dict:
    """A visit in 兴杨 grid 01 from 张三 against 李四, as the page sends it."""
    point = overrides.pop("point", XINGYANG_01)
    if isinstance(point, tuple):
        point = f"{point[0]},{point[1]}"
    parties = overrides.pop(
        "parties",
        [
            {"role": "complainant", "name": "张三", "phone": "13812345678", "id_number": ID_NUMBER},
            {"role": "respondent", "name": "李四", "phone": "13987654321"},
        ],
    )
    data = {
        "uuid": str(uuid.uuid4()),
        "channel": "visit",
        "category": "neighbours",
        "occurred_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "description": "两户因排水沟堵塞发生争执，要求村里协调疏通",
        "people_involved": "2",
        "amount_at_stake": "",
        "urgency": "normal",
        "placement": "point",
        "point": point,
        "village": "",
        "address": "兴杨村三组",
        "hotline_ticket": "",
        "agent_name": "",
        "agent_unit": "",
        "agent_phone": "",
        "party-TOTAL_FORMS": str(len(parties)),
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "0",
        "party-MAX_NUM_FORMS": "20",
    }
    for i, party in enumerate(parties):
        for key in ("role", "name", "phone", "id_number"):
            data[f"party-{i}-{key}"] = party.get(key, "")
    data.update(overrides)
    return data


def register(client, **overrides):
    return client.post("/desk/cases/new/", form(**overrides))


def letter_scan():
    return SimpleUploadedFile("来信.png", png((300, 400)), content_type="image/png")


def valid_id_number(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def field_errors(response, field_id: str) -> str:
    """The error list rendered right after the field (its container's text)."""
    html = response.content.decode()
    match = re.search(rf'id="{field_id}".*?(<ul class="errorlist[^"]*".*?</ul>)', html, re.S)
    return match.group(1) if match else ""


# --- the page and who may open it ---------------------------------------------------------


@pytest.mark.parametrize("role", ["village_cadre", "township_leader", "county_office"])
def test_the_registering_roles_open_the_form_from_the_desk(territory, role):
    client = client_for(territory.users[role])
    home = client.get("/desk/").content.decode()
    assert 'href="/desk/cases/new/"' in home and 'id="register"' in home
    page = client.get("/desk/cases/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="uuid"' in html and 'name="point"' in html and "desk/register.js" in html
    assert "<script>" not in html  # data by attributes, no inline script (CSP)
    for channel in ("visit", "letter", "phone", "web", "mailbox", "hotline", "video", "agent"):
        assert f'value="{channel}"' in html
    assert 'value="patrol"' not in html


@pytest.mark.parametrize("role", ["grid_worker", "mediator", "no_role"])
def test_others_get_a_404_on_every_registration_page(territory, role, report):
    case_id = report().data["id"]
    client = client_for(territory.users[role])
    assert client.get("/desk/cases/new/").status_code == 404
    assert client.post("/desk/cases/new/", form()).status_code == 404
    assert client.get("/desk/cases/new/places/?q=兴杨").status_code == 404
    assert client.post("/desk/cases/new/check/", form()).status_code == 404
    assert client.get(f"/desk/cases/{case_id}/receipt/").status_code == 404
    assert client.get(f"/desk/cases/{case_id}/receipt.pdf").status_code == 404
    assert Case.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/desk/cases/new/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- channels -------------------------------------------------------------------------------

CHANNEL_EXTRAS = {
    "visit": {},
    "letter": {},  # the scan is added below
    "phone": {},
    "web": {},
    "mailbox": {},
    "hotline": {"hotline_ticket": "jx2026-1201-0042"},
    "video": {},
    "agent": {"agent_name": "王五", "agent_unit": "兴杨村委会", "agent_phone": "13700001111"},
}


@pytest.mark.parametrize("channel", list(CHANNEL_EXTRAS))
def test_each_channel_registers_a_case(territory, channel):
    leader = territory.users["township_leader"]
    extras = dict(CHANNEL_EXTRAS[channel])
    if channel == "letter":
        extras["scan"] = letter_scan()
    response = register(client_for(leader), channel=channel, **extras)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert response["Location"] == f"/desk/cases/{case.pk}/"
    assert (case.channel, case.reporter, case.status) == (channel, leader, "reported")
    assert case.grid.code == "360425100201-01" and case.level == "grid" and case.point_known
    assert case.deadline_kind == "acceptance" and case.due_date is not None
    assert case.description.startswith("两户因排水沟") and case.address == "兴杨村三组"
    assert [p.role for p in case.parties.all()] == ["complainant", "respondent"]
    assert len(case.query_code_hash) == 64
    assert CaseEvent.objects.filter(case=case, action="report").count() == 1
    if channel == "hotline":
        assert case.hotline_ticket == "JX2026-1201-0042"
    else:
        assert case.hotline_ticket == ""
    if channel == "letter":
        scan = Attachment.objects.get(case=case)
        assert (scan.kind, scan.uploaded_by) == ("document", leader)
        assert scan.content_type.startswith("image/")  # re-encoded
    page = client_for(leader).get(response["Location"]).content.decode()
    assert 'id="receipt-link"' in page


def test_each_channel_asks_for_what_it_needs(territory):
    client = client_for(territory.users["township_leader"])
    letter = register(client, channel="letter")
    assert letter.status_code == 400 and "Attach the scan" in field_errors(letter, "scan")
    hotline = register(client, channel="hotline")
    assert "ticket number" in field_errors(hotline, "ticket")
    agent = register(client, channel="agent", agent_name="王五")
    assert "name, unit and phone" in field_errors(agent, "agent")
    no_complainant = register(
        client, parties=[{"role": "respondent", "name": "李四", "phone": "13987654321"}]
    )
    assert no_complainant.status_code == 400
    assert "complainant" in field_errors(no_complainant, "party-errors")
    assert not Case.objects.exists()


def test_a_scan_that_is_no_image_nor_pdf_keeps_nothing(territory):
    fake = SimpleUploadedFile(
        "来信.pdf", b"<html>not a letter</html>", content_type="application/pdf"
    )
    response = register(client_for(territory.users["township_leader"]), channel="letter", scan=fake)
    assert response.status_code == 400
    assert "not an image" in field_errors(response, "scan")
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_errors_are_in_chinese_next_to_their_field(territory):
    client = client_for(territory.users["township_leader"], language="zh-hans")
    response = register(client, **{"party-0-id_number": "123", "category": "", "point": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "必填项" in field_errors(response, "id_category")  # Django's “This field is required.”
    assert "不是有效的18位居民身份证号码" in field_errors(response, "id_party-0-id_number")


def test_a_hotline_ticket_is_registered_once_per_county(territory):
    client = client_for(territory.users["township_leader"])
    first = register(client, channel="hotline", hotline_ticket="JX20261201-0042")
    assert first.status_code == 302
    again = register(client, channel="hotline", hotline_ticket="jx20261201-0042")
    assert again.status_code == 400
    assert "already registered" in field_errors(again, "ticket")
    assert Case.objects.count() == 1
    # Another county has its own 12345 tickets.
    other = CountyFactory(code="360426", name="德安县", boundary=box(116.00, 28.90, 116.20, 29.15))
    township = TownshipFactory(
        county=other, code="360426100", name="蒲亭镇", boundary=box(116.00, 28.90, 116.20, 29.15)
    )
    village = VillageFactory(
        township=township,
        code="360426100201",
        name="东佳村委会",
        boundary=box(116.05, 29.00, 116.10, 29.05),
    )
    GridFactory(village=village, code="360426100201-01", boundary=box(116.05, 29.00, 116.10, 29.05))
    clerk = territory.users["no_role"]
    Staff.objects.create(user=clerk, role=Staff.Role.COUNTY_OFFICE, county=other)
    elsewhere = register(
        client_for(clerk),
        channel="hotline",
        hotline_ticket="JX20261201-0042",
        point=(116.07, 29.02),
    )
    assert elsewhere.status_code == 302
    assert Case.objects.filter(hotline_ticket="JX20261201-0042").count() == 2


# --- the agent (代办) --------------------------------------------------------------------------


def test_a_visit_filed_by_an_agent_keeps_the_agent_masked_for_those_who_may_not_see(territory):
    leader = territory.users["township_leader"]
    response = register(
        client_for(leader),
        channel="visit",
        agent_name="王五",
        agent_unit="涂埠镇信访代办站",
        agent_phone="137 0000 1111",
        parties=[{"role": "complainant", "name": "张三", "phone": "13812345678"}],
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.agent_name, case.agent_unit, case.agent_phone) == (
        "visit",
        "王五",
        "涂埠镇信访代办站",
        "13700001111",
    )
    assert Party.objects.get(case=case).role == "complainant"  # the resident
    url = f"/desk/cases/{case.pk}/"
    # The reporter may see identities: masked until revealed, like the parties.
    page = client_for(leader).get(url).content.decode()
    assert "王*" in page and "137****1111" in page and "13700001111" not in page
    revealed = client_for(leader).post(f"{url}parties/").content.decode()
    assert "王五" in revealed and "13700001111" in revealed
    # The village cadre sees the case (their village) but neither holds it nor reported it.
    cadre = client_for(territory.users["village_cadre"])
    assert "137****1111" in cadre.get(url).content.decode()
    assert "13700001111" not in cadre.post(f"{url}parties/").content.decode()
    # Nor does the history keep the agent's name or phone.
    from disputes.models import CaseChange

    change = CaseChange.objects.filter(pgh_obj=case).first()
    assert change is not None and not hasattr(change, "agent_phone")
    assert change.agent_unit == "涂埠镇信访代办站"


# --- the place --------------------------------------------------------------------------------


def test_with_no_point_known_the_case_is_placed_inside_the_village(territory):
    client = client_for(territory.users["township_leader"])
    response = register(client, placement="village", village=str(territory.xingyang.pk), point="")
    assert response.status_code == 302
    case = Case.objects.get()
    assert not case.point_known
    assert (case.village, case.grid, case.level) == (territory.xingyang, None, "village")
    assert territory.xingyang.boundary.contains(case.location)
    note = CaseEvent.objects.get(case=case, action="report").note
    assert "兴杨村委会" in note and "网格" in note
    page = client.get(response["Location"]).content.decode()
    assert 'id="no-point"' in page


def test_a_point_outside_the_clerks_area_is_refused_next_to_the_map(territory):
    client = client_for(territory.users["township_leader"])  # 涂埠镇
    response = register(client, point=WUCHENG_01)
    assert response.status_code == 400
    assert "outside your own area" in field_errors(response, "point-errors")
    far = register(client, point=(120.0, 31.0))
    assert far.status_code == 400 and "outside the territory" in field_errors(far, "point-errors")
    cadre = client_for(territory.users["village_cadre"])  # 兴杨 only
    assert register(cadre, point=NANZHOU_01).status_code == 400
    village = register(
        client, placement="village", village=str(territory.wucheng.villages.get().pk), point=""
    )
    assert village.status_code == 400 and field_errors(village, "village-field")
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"point": "abc"},
        {"point": "1e400,29"},
        {"point": "nan,nan"},
        {"point": "115.81," + "1" * 70},
        {"amount_at_stake": "NaN"},
        {"amount_at_stake": "1e30"},
        {"people_involved": "0"},
        {"people_involved": "99999999999999999999"},
        {"occurred_at": "2999-01-01T00:00"},
        {"occurred_at": "1900-01-01T00:00"},
        {"category": "no-such"},
        {"channel": "patrol"},
        {"uuid": "not-a-uuid"},
        {"description": "x" * 5001},
        {"party-TOTAL_FORMS": "100000000"},
        {"party-TOTAL_FORMS": "x"},
        {"party-0-role": "judge"},
        {"party-0-phone": "12345"},
        {"village": "999999999999999999999", "placement": "village"},
        {"placement": "moon"},
        {"hotline_ticket": "工单?", "channel": "hotline"},
    ],
)
def test_bad_input_is_a_400_with_the_form_never_a_500(territory, bad):
    response = register(client_for(territory.users["township_leader"]), **bad)
    assert response.status_code == 400
    assert 'id="register-form"' in response.content.decode()
    assert not Case.objects.exists()


def test_the_same_form_sent_twice_makes_one_case(territory):
    client = client_for(territory.users["township_leader"])
    data = form()
    first = client.post("/desk/cases/new/", data)
    second = client.post("/desk/cases/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1
    changed = client.post("/desk/cases/new/", {**data, "description": "另一件事"})
    assert changed.status_code == 409 and Case.objects.count() == 1


def test_the_place_search_lists_only_the_clerks_area(territory):
    leader = client_for(territory.users["township_leader"])
    found = leader.get("/desk/cases/new/places/", {"q": "村委会"}).content.decode()
    assert "兴杨村委会" in found and "南洲村委会" in found and "吴城村委会" not in found
    assert "data-pick-village" in found and "data-bounds=" in found
    grids = leader.get("/desk/cases/new/places/", {"q": "网格"}).content.decode()
    assert grids.count('data-level="grid"') == 3  # 兴杨 01, 02 and 南洲 01, not 吴城
    cadre = client_for(territory.users["village_cadre"])
    assert "南洲村委会" not in cadre.get("/desk/cases/new/places/", {"q": "村"}).content.decode()
    assert leader.get("/desk/cases/new/places/", {"q": "x" * 31}).status_code == 400
    assert leader.get("/desk/cases/new/places/", {"q": ""}).status_code == 200


# --- possible repeats ----------------------------------------------------------------------


def test_the_preview_shows_the_same_party_and_the_same_category_nearby(territory, report):
    earlier = report().data["id"]  # a grid worker's report: 张三 with his ID number, neighbours
    elsewhere = report(
        user_key="other_township_leader",
        point=WUCHENG_01,
        parties=[{"role": "complainant", "name": "张三", "phone": "13812345678"}],
    ).data["id"]
    client = client_for(territory.users["township_leader"])
    # The same person by ID number, somewhere else and of another category.
    by_id = client.post(
        "/desk/cases/new/check/",
        form(
            point=NANZHOU_01,
            category="land-housing",
            parties=[{"role": "complainant", "name": "张三丰", "id_number": ID_NUMBER}],
        ),
    )
    html = by_id.content.decode()
    assert by_id.status_code == 200
    assert f'data-case="{earlier}"' in html and "same ID number" in html and "张*" in html
    assert "南洲村委会" in html  # where it would go
    assert f'data-case="{elsewhere}"' not in html  # not the clerk's to open
    # Someone else, of the same category 60 m away.
    near = client.post(
        "/desk/cases/new/check/",
        form(
            point=(XINGYANG_01[0] + 0.0006, XINGYANG_01[1]),
            parties=[{"role": "complainant", "name": "赵六", "phone": "13600000000"}],
        ),
    ).content.decode()
    assert f'data-case="{earlier}"' in near and "same category within 100 m" in near
    # By name and phone, placed at a village (no point: the parties only).
    pair = client.post(
        "/desk/cases/new/check/",
        form(
            placement="village",
            village=str(territory.nanzhou.pk),
            point="",
            parties=[{"role": "complainant", "name": "李四", "phone": "13987654321"}],
        ),
    ).content.decode()
    assert f'data-case="{earlier}"' in pair and "same name and phone" in pair
    # Nothing alike.
    none = client.post(
        "/desk/cases/new/check/",
        form(
            point=NANZHOU_01,
            category="land-housing",
            parties=[{"role": "complainant", "name": "钱七"}],
        ),
    ).content.decode()
    assert 'id="no-repeats"' in none
    assert Case.objects.count() == 2  # the preview saved nothing


def test_the_preview_says_when_the_point_is_outside_the_area(territory):
    client = client_for(territory.users["township_leader"])
    html = client.post("/desk/cases/new/check/", form(point=WUCHENG_01)).content.decode()
    assert 'id="place-error"' in html and "outside your own area" in html


def test_the_saved_case_repeats_what_the_preview_showed(territory, report):
    earlier = report().data["id"]
    response = register(client_for(territory.users["township_leader"]))
    assert response.status_code == 302
    assert Case.objects.get(pk=int(response["Location"].split("/")[-2])).repeat_of_id == earlier


def test_a_case_placed_at_a_village_is_no_ones_neighbour(territory):
    client = client_for(territory.users["township_leader"])
    for _ in range(2):
        response = register(
            client,
            uuid=str(uuid.uuid4()),
            placement="village",
            village=str(territory.xingyang.pk),
            point="",
            parties=[
                {
                    "role": "complainant",
                    "name": f"村民{_}",
                    "id_number": valid_id_number(f"36042519900101{_:03d}"),
                }
            ],
        )
        assert response.status_code == 302
    # Same village point and category, different people: not a repeat.
    assert not Case.objects.filter(repeat_of__isnull=False).exists()


# --- the receipt ------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def _registered(territory, **overrides):
    leader = territory.users["township_leader"]
    client = client_for(leader)
    response = register(client, **overrides)
    assert response.status_code == 302
    return client, Case.objects.get(pk=int(response["Location"].split("/")[-2]))


def test_the_receipt_is_an_a5_pdf_with_the_case_number_and_the_query_code(territory):
    client, case = _registered(territory)
    page = client.get(f"/desk/cases/{case.pk}/")
    assert 'id="receipt-link"' in page.content.decode()
    html = client.get(f"/desk/cases/{case.pk}/receipt/")
    assert html.status_code == 200 and html["Cache-Control"] == "no-store"
    code = re.search(r'id="query-code">([^<]+)<', html.content.decode()).group(1)
    assert re.fullmatch(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", code)
    assert query_code_matches(case.query_code_hash, code)
    assert query_code_matches(case.query_code_hash, code.lower().replace("-", " "))
    assert not query_code_matches(case.query_code_hash, "2345-6789-ABCD")
    # Stored only hashed: the code is in no column of the case.
    row = Case.objects.filter(pk=case.pk).values().get()
    assert not any(code.replace("-", "") in str(v).replace("-", "") for v in row.values())

    pdf = client.get(f"/desk/cases/{case.pk}/receipt.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store"
    with pikepdf.open(io.BytesIO(pdf.content)) as document:
        assert len(document.pages) == 1
        x0, y0, x1, y1 = (float(v) for v in document.pages[0].mediabox)
        assert (x1 - x0, y1 - y0) == pytest.approx(A5_POINTS, abs=1)
    text = pdf_text(pdf.content)
    assert str(case.pk) in text and code in text
    assert case.due_date.isoformat() in text  # the time limit of the decision on acceptance


def test_the_receipt_in_chinese_prints_chinese(territory):
    client, case = _registered(territory)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    text = pdf_text(client.get(f"/desk/cases/{case.pk}/receipt.pdf").content)
    assert "涂埠镇" in text and "张*" in text and "邻里纠纷" in text


def test_the_code_is_shown_only_right_after_it_is_given(territory):
    client, case = _registered(territory)
    assert 'id="query-code"' in client.get(f"/desk/cases/{case.pk}/receipt/").content.decode()
    # Another clerk (or later, the same one) sees no code.
    other = client_for(territory.users["county_office"])
    assert 'id="no-code"' in other.get(f"/desk/cases/{case.pk}/receipt/").content.decode()
    session = client.session
    session[SESSION_KEY]["until"] = time.time() - 1
    session.save()
    later = client.get(f"/desk/cases/{case.pk}/receipt/").content.decode()
    assert 'id="no-code"' in later and 'id="new-code"' in later
    old_hash = Case.objects.get(pk=case.pk).query_code_hash
    issued = client.post(f"/desk/cases/{case.pk}/receipt/new-code/")
    assert issued.status_code == 302
    code = re.search(
        r'id="query-code">([^<]+)<', client.get(issued["Location"]).content.decode()
    ).group(1)
    new_hash = Case.objects.get(pk=case.pk).query_code_hash
    assert new_hash != old_hash and query_code_matches(new_hash, code)
    assert CaseEvent.objects.filter(case=case, action="note", note__contains="查询码").exists()


def test_another_townships_receipt_is_a_404(territory):
    _client, case = _registered(territory)
    other = client_for(territory.users["other_township_leader"])
    for url in (f"/desk/cases/{case.pk}/receipt/", f"/desk/cases/{case.pk}/receipt.pdf"):
        assert other.get(url).status_code == 404
    assert other.post(f"/desk/cases/{case.pk}/receipt/new-code/").status_code == 404
    before = Case.objects.get(pk=case.pk).query_code_hash
    assert Case.objects.get(pk=case.pk).query_code_hash == before
    assert (
        client_for(territory.users["grid_worker"])
        .get(f"/desk/cases/{case.pk}/receipt/")
        .status_code
        == 404
    )
