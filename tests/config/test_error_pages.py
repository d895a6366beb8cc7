"""Errors look like the product: the project's pages in the user's language, JSON under the API."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.config.error_urls")]

PAGES = {
    # path: (status, zh-hans heading, English heading)
    "/no-such-page/": (404, "页面不存在", "Page not found"),
    "/forbidden/": (403, "无权访问", "Access denied"),
    "/bad/": (400, "请求有误", "Bad request"),
    "/boom/": (500, "服务器出错", "Server error"),
}


@pytest.fixture(autouse=True)
def no_debug(settings):
    settings.DEBUG = False


def get(path, **headers):
    return Client(raise_request_exception=False).get(path, **headers)


def assert_project_page(response, status, heading):
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"<h2>{heading}</h2>" in page
    assert "maps/maps.css" in page and 'href="/"' in page
    # Nothing of Django's debug or default pages, nor of the exception.
    for leak in ("URLconf", "urlpatterns", "Traceback", "not for the user", "a bug"):
        assert leak not in page


@pytest.mark.parametrize("path", list(PAGES))
def test_error_pages_are_the_projects_in_chinese(path):
    status, chinese, _english = PAGES[path]
    response = get(path)
    assert_project_page(response, status, chinese)
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.parametrize("path", list(PAGES))
def test_error_pages_speak_english_when_asked(path):
    status, _chinese, english = PAGES[path]
    response = get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert_project_page(response, status, english)
    assert '<html lang="en">' in response.content.decode()


def test_an_unknown_host_gets_the_400_page():
    assert_project_page(get("/m/", HTTP_HOST="attacker.example"), 400, "请求有误")


def test_the_500_page_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert_project_page(get("/boom/"), 500, "服务器出错")


def test_a_form_sent_without_its_csrf_token_gets_the_projects_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert_project_page(response, 403, "表单已失效")
    english = client.post("/login/", {"username": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert_project_page(english, 403, "The form has expired")


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/api/no-such-endpoint/", 404, "未找到。"),
        ("/api/cases/0/", 401, "身份认证信息未提供。"),  # DRF's own answer, unchanged
        ("/api/forbidden/", 403, "您没有执行该操作的权限。"),
        ("/api/boom/", 500, "服务器出现了错误。"),
        ("/maps/api/no-such/", 404, "未找到。"),
    ],
)
def test_the_api_keeps_answering_json(path, status, detail):
    response = get(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail}


def test_api_errors_speak_english_when_asked():
    assert get("/api/boom/", HTTP_ACCEPT_LANGUAGE="en").json() == {
        "detail": "A server error occurred."
    }
