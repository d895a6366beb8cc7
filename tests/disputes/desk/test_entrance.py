"""The site's entrance: one login page, `/` leading each role home, and each role's navigation."""

import re

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough password 1"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert client.get("/")["Location"] == "/login/"
    response = client.get("/desk/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/desk/"
    page = client.get("/login/")
    assert page.status_code == 200 and 'name="username"' in page.content.decode()


def test_the_old_phone_login_leads_to_the_one_login_page(client):
    response = client.get("/m/login/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=%2Fm%2F"


@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("grid_worker", "/m/"),
        ("mediator", "/m/"),
        ("village_cadre", "/desk/"),
        ("township_leader", "/desk/"),
        ("county_office", "/desk/"),
    ],
)
def test_each_role_logs_in_on_one_page_and_lands_at_its_home(territory, role, home):
    user = territory.users[role]
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/")["Location"] == home
    assert client.get(home).status_code == 200


def test_a_wrong_password_is_refused_in_chinese(territory):
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        "/login/", {"username": "leader_tubu", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_the_admin_is_for_administrators_only(territory):
    response = client_for(territory.users["county_office"]).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'href="([^"]+)"', nav)


ROLES = ["grid_worker", "village_cadre", "township_leader", "county_office", "mediator"]


@pytest.mark.parametrize("role", ROLES)
def test_every_link_of_every_roles_navigation_opens(territory, role):
    client = client_for(territory.users[role])
    links = _nav_links(client.get("/desk/").content.decode())
    assert "/desk/cases/" in links
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("role", ROLES)
def test_the_navigation_hides_the_pages_a_role_may_not_open(territory, role):
    client = client_for(territory.users[role])
    shown = set(_nav_links(client.get("/desk/").content.decode()))
    pages = [
        "/supervision/",
        "/zero-reports/",
        "/figures/",
        "/bulletins/",
        "/maps/territory/",
        "/maps/coverage/",
        "/maps/hotspots/",
        "/exports/",
        "/history/",
    ]
    for page in pages:
        if page not in shown:
            assert client.get(page).status_code == 404, page


def test_every_page_offers_a_logout(territory):
    client = client_for(territory.users["township_leader"])
    for page in ("/desk/", "/desk/cases/", "/maps/hotspots/", "/figures/"):
        assert 'action="/logout/"' in client.get(page).content.decode(), page
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/desk/").status_code == 302


def test_a_user_without_a_role_has_no_desk(db):
    client = client_for(UserFactory(username="nobody"))
    assert client.get("/desk/").status_code == 404
