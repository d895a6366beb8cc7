"""The admin issues a client's key once and keeps only its hash."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from disputes.cases.models import Case
from disputes.open311.models import Open311Client
from tests.disputes.open311.conftest import post_request

pytestmark = pytest.mark.django_db

ADD = "/admin/disputes/open311client/add/"


@pytest.fixture
def admin_browser(territory):
    admin = get_user_model().objects.create_superuser("admin311", password="pw-admin-311")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(admin)
    return browser


def shown_key(response) -> str:
    (message,) = [str(m) for m in response.context["messages"] if "<code>" in str(m)]
    return message.split("<code>")[1].split("</code>")[0]


def test_adding_a_client_shows_its_key_once(admin_browser, territory):
    response = admin_browser.post(
        ADD,
        {
            "name": "永修县12345热线",
            "county": territory.county.pk,
            "channel": "hotline",
            "requests_per_minute": 60,
            "active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    key = shown_key(response)
    client = Open311Client.objects.get()
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert client.key_prefix == key[:8]
    assert key not in str(Open311Client.objects.values_list()[0])
    assert not client.user.is_active
    assert post_request(key).status_code == 201
    assert Case.objects.get().reporter == client.user
    # The list shows the prefix, never the key again.
    page = admin_browser.get("/admin/disputes/open311client/").content.decode()
    assert client.key_prefix in page and key not in page


def test_a_channel_must_be_one_of_the_cases(admin_browser, territory):
    response = admin_browser.post(
        ADD,
        {"name": "X", "county": territory.county.pk, "channel": "fax", "requests_per_minute": 5},
    )
    assert response.status_code == 200
    assert not Open311Client.objects.exists()


def test_renaming_keeps_the_key_and_a_new_key_replaces_the_old(admin_browser, hotline):
    change = f"/admin/disputes/open311client/{hotline.client.pk}/change/"
    admin_browser.post(
        change,
        {
            "name": "新名称",
            "county": hotline.client.county_id,
            "channel": "hotline",
            "requests_per_minute": 30,
            "active": "on",
        },
    )
    hotline.client.refresh_from_db()
    assert hotline.client.name == "新名称"
    assert hotline.client.user.first_name == "新名称"
    assert post_request(hotline.key).status_code == 201
    response = admin_browser.post(
        "/admin/disputes/open311client/",
        {"action": "issue_new_key", "_selected_action": [hotline.client.pk]},
        follow=True,
    )
    new_key = shown_key(response)
    assert new_key != hotline.key
    assert post_request(hotline.key).status_code == 403
    assert post_request(new_key).status_code == 200  # the same ticket: the same case


def test_a_client_is_not_deleted_but_made_inactive(admin_browser, hotline):
    response = admin_browser.get(f"/admin/disputes/open311client/{hotline.client.pk}/delete/")
    assert response.status_code == 403
