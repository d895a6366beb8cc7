"""The leaders' mailbox at the desk: a leader opts in, and letters addressed to them are marked."""

import re

import pytest
from django.test import Client

from disputes.models import Case, MailboxLeader
from tests.disputes.conftest import api, case_payload

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_a_township_leader_opts_in_changes_the_title_and_stops(territory):
    leader = territory.users["township_leader"]
    client = browser(leader)
    page = client.get("/desk/mailbox/").content.decode()
    assert "您不在领导信箱中" in page
    assert client.post("/desk/mailbox/", {"title": "镇长", "active": "on"}).status_code == 302
    assert MailboxLeader.objects.get(user=leader).title == "镇长"
    assert "“镇长”" in client.get("/desk/mailbox/").content.decode()
    client.post("/desk/mailbox/", {"title": "镇长"})
    assert MailboxLeader.objects.get(user=leader).active is False
    empty = client.post("/desk/mailbox/", {"title": "", "active": "on"})
    assert empty.status_code == 400 and "该字段是必填项" in empty.content.decode()


def test_the_mailbox_page_is_not_there_for_cadres_workers_and_mediators(territory):
    for role in ("village_cadre", "grid_worker", "mediator"):
        assert browser(territory.users[role]).get("/desk/mailbox/").status_code == 404


def test_a_letter_is_counted_listed_and_marked_for_its_leader_only(territory):
    leader = territory.users["township_leader"]
    MailboxLeader.objects.create(user=leader, title="镇长")
    letter = api(territory.users["grid_worker"]).post("/api/cases/", case_payload(), format="json")
    other = api(territory.users["grid_worker"]).post(
        "/api/cases/", case_payload(description="另一件事"), format="json"
    )
    Case.objects.filter(pk=letter.data["id"]).update(addressed_to=leader, channel="mailbox")
    client = browser(leader)
    home = client.get("/desk/").content.decode()
    count = re.search(r'data-count="letters">\s*<span class="n">(\d+)</span>', home)
    assert count and count.group(1) == "1"
    listed = client.get("/desk/cases/?addressed=me&open=yes").content.decode()
    assert f'data-case="{letter.data["id"]}"' in listed
    assert f'data-case="{other.data["id"]}"' not in listed
    page = client.get(f"/desk/cases/{letter.data['id']}/").content.decode()
    assert 'id="addressed"' in page and "致您" in page
    # the county office sees whom it was addressed to, and has no letters count of its own
    county = browser(territory.users["county_office"])
    assert "镇长" in county.get(f"/desk/cases/{letter.data['id']}/").content.decode()
    assert 'data-count="letters"' not in county.get("/desk/").content.decode()
