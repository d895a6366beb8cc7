"""POST requests.[format]: a client's report becomes a case of its county, once per ticket."""

import pytest
from django.test import Client

from disputes.cases.models import Case, Category, Party
from tests.disputes.open311.conftest import (
    DONGJIA_01,
    as_json,
    as_xml,
    call,
    client_new,
    errors_of,
    post_request,
    request_fields,
    xml_items,
)

pytestmark = pytest.mark.django_db


def test_a_post_reports_a_case_of_the_county_by_the_client(hotline, territory):
    response = post_request(hotline.key)
    assert response.status_code == 201
    answer = as_json(response)
    assert len(answer) == 1
    assert list(answer[0]) == ["service_request_id", "service_notice", "account_id"]
    case = Case.objects.get()
    assert answer[0]["service_request_id"] == str(case.pk)
    assert answer[0]["account_id"] == "caller-88"
    assert f"case {case.pk}" in answer[0]["service_notice"]
    assert case.due_date.isoformat() in answer[0]["service_notice"]
    assert case.reporter == hotline.client.user
    assert case.channel == Case.Channel.HOTLINE
    assert case.hotline_ticket == "JX20261201-0042"
    assert case.county == territory.county
    assert case.grid == territory.grids["xingyang-01"]
    assert case.category.code == "neighbours"
    assert case.description == "两户因排水沟堵塞发生争执，请村里协调。"
    assert case.address == "永修县涂埠镇兴杨村3组"
    party = Party.objects.get(case=case)
    assert (party.role, party.name, party.phone) == ("complainant", "王五", "13912345678")


def test_the_client_account_cannot_log_in(hotline):
    user = hotline.client.user
    assert not user.is_active
    assert not user.has_usable_password()
    assert not hasattr(user, "staff")
    assert user.first_name == hotline.client.name


def test_the_answer_in_xml(hotline):
    response = call("post", "requests.xml", **request_fields(hotline.key))
    assert response.status_code == 201
    root = as_xml(response)
    assert root.tag == "service_requests"
    (item,) = xml_items(root, "request")
    assert list(item) == ["service_request_id", "service_notice", "account_id"]
    assert item["service_request_id"] == str(Case.objects.get().pk)


def test_a_post_sent_again_with_the_same_ticket_returns_the_same_case(hotline):
    first = as_json(post_request(hotline.key))
    again = post_request(hotline.key)
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert as_json(again) == first
    # The ticket is read as the desk reads it: upper case.
    lower = post_request(hotline.key, **{"attribute[ticket]": "jx20261201-0042"})
    assert as_json(lower)[0]["service_request_id"] == first[0]["service_request_id"]
    assert Case.objects.count() == 1


def test_the_same_ticket_with_other_content_is_refused(hotline):
    post_request(hotline.key)
    response = post_request(hotline.key, description="另一件事")
    assert response.status_code == 400
    (error,) = errors_of(response)
    assert "JX20261201-0042" in error["description"]
    assert "different content" in error["description"]
    assert Case.objects.count() == 1


def test_the_refusal_is_in_chinese_by_default(hotline):
    post_request(hotline.key)
    response = post_request(hotline.key, language=None, description="另一件事")
    (error,) = errors_of(response)
    assert "工单号" in error["description"]


def test_without_a_ticket_each_post_is_a_new_case(hotline):
    post_request(hotline.key, **{"attribute[ticket]": None})
    post_request(hotline.key, **{"attribute[ticket]": None})
    assert Case.objects.count() == 2
    assert set(Case.objects.values_list("hotline_ticket", flat=True)) == {""}


def test_a_12345_ticket_is_one_case_per_county_whoever_posts_it(hotline, territory):
    post_request(hotline.key)
    other = client_new(territory.county, name="另一个热线系统")
    response = post_request(other.key)
    assert response.status_code == 400
    assert "already registered" in errors_of(response)[0]["description"]


def test_a_client_of_another_channel_keeps_its_ticket_out_of_the_12345_number(territory):
    web = client_new(territory.county, name="网上信访平台", channel=Case.Channel.WEB)
    first = as_json(post_request(web.key))
    again = as_json(post_request(web.key))
    assert first == again
    case = Case.objects.get()
    assert (case.channel, case.hotline_ticket) == ("web", "")


def test_a_key_is_required_and_must_be_known_and_active(hotline):
    for key in (None, "", "not-a-key", hotline.key + "x"):
        response = post_request(key)
        assert response.status_code == 403, key
        errors_of(response)
    hotline.client.active = False
    hotline.client.save()
    assert post_request(hotline.key).status_code == 403
    assert "Invalid api_key" in errors_of(post_request(hotline.key))[0]["description"]
    assert Case.objects.count() == 0


def test_a_key_in_the_query_string_works_too(hotline):
    fields = request_fields(None)
    response = Client().post(f"/open311/v2/requests.json?api_key={hotline.key}", fields)
    assert response.status_code == 201


def test_a_key_of_another_county_cannot_post_a_point_of_this_one(dean_hotline):
    response = post_request(dean_hotline.key)
    assert response.status_code == 400
    (error,) = errors_of(response)
    assert "outside the county served here" in error["description"]
    assert Case.objects.count() == 0
    # Its own county's point is fine.
    assert post_request(dean_hotline.key, point=DONGJIA_01).status_code == 201


def test_a_jurisdiction_id_must_be_the_client_s_county(hotline):
    assert post_request(hotline.key, jurisdiction_id="360425").status_code == 201
    response = post_request(hotline.key, jurisdiction_id="360426")
    assert response.status_code == 404
    assert "360426" in errors_of(response)[0]["description"]


def test_a_point_outside_the_territory_is_refused(hotline):
    response = post_request(hotline.key, point=(2.35, 48.85))
    assert response.status_code == 400
    errors_of(response)


def test_swapped_coordinates_are_named(hotline):
    response = post_request(hotline.key, point=(29.02, 115.81))
    assert response.status_code == 400
    assert "swapped" in errors_of(response)[0]["description"]


def test_a_location_is_required(hotline):
    response = post_request(hotline.key, lat=None, long=None)
    assert response.status_code == 400
    assert "lat and long" in errors_of(response)[0]["description"]


@pytest.mark.parametrize("code", ["potholes", "NEIGHBOURS", "x" * 40, "邻里", "a.b"])
def test_an_unknown_service_code_is_404(hotline, code):
    response = post_request(hotline.key, service_code=code)
    assert response.status_code == 404
    errors_of(response)


def test_an_inactive_service_is_404_and_a_missing_one_400(hotline):
    Category.objects.filter(code="neighbours").update(active=False)
    assert post_request(hotline.key).status_code == 404
    assert post_request(hotline.key, service_code=None).status_code == 400


def test_the_description_is_kept_as_typed(hotline):
    typed = '<script>alert("x")</script> & 排水沟\n第二行'
    post_request(hotline.key, description=typed)
    assert Case.objects.get().description == typed


def test_without_a_name_no_party_is_kept(hotline):
    response = post_request(hotline.key, first_name=None, last_name=None, phone=None)
    assert response.status_code == 201
    assert not Party.objects.exists()


def test_a_name_in_latin_letters_is_family_name_first_with_a_space(hotline):
    post_request(hotline.key, first_name="Anna", last_name="Schmidt", phone=None)
    assert Party.objects.get().name == "Schmidt Anna"


def test_the_description_is_escaped_where_the_desk_shows_it(hotline, territory):
    post_request(hotline.key, description='<script>alert("x")</script> 排水沟')
    case = Case.objects.get()
    desk = Client()
    desk.force_login(territory.users["township_leader"])
    page = desk.get(f"/desk/cases/{case.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 排水沟" in page
    assert '<script>alert("x")' not in page
    # The desk names the client system as the reporter, in the hotline channel.
    assert hotline.client.name in page
