"""The phone page's pieces served by Django: the page itself under a strict CSP, its
service worker, and the session probe its outbox asks after a 403."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client

STATIC = Path(__file__).resolve().parents[2] / "disputes" / "static" / "disputes"
MODULES = sorted((STATIC / "phone").glob("*.js"))


@pytest.fixture
def worker_client(territory):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(territory.users["grid_worker"])
    return client


def test_the_page_has_no_inline_script_and_builds_its_texts_with_json_script(worker_client):
    response = worker_client.get("/m/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-eval'" not in policy
    assert "worker-src 'self'" in policy
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    inline = [attrs for attrs, body in scripts if body.strip() and "application/json" not in attrs]
    assert inline == []
    assert all("src=" in attrs for attrs, body in scripts if "application/json" not in attrs)
    # the modules of phone/ joined into one file (disputes/phone_script.py)
    assert '<script type="module" src="/static/disputes/phone.js"></script>' in html
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers
    texts = json.loads(re.search(r'<script id="texts"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert texts["fields"]["category"] == "类别"
    assert texts["labelled"] == "%(label)s：%(message)s"
    config = json.loads(re.search(r'<script id="config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert (config["user"], config["serviceWorker"], config["page"]) == (
        "gw_xingyang_01",
        "/m/sw.js",
        "/m/",
    )


def test_the_phone_scripts_put_text_into_the_dom_as_text():
    assert len(MODULES) > 10
    for path in MODULES:
        code = path.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in code, (path.name, sink)
        assert "new Function" not in code


def test_the_service_worker_is_served_from_the_page_with_its_shell(db):
    response = Client().get("/m/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/m/"
    # asked for again after a morning's work at most (registered with updateViaCache "all")
    assert response["Cache-Control"] == "max-age=14400"
    body = response.content.decode()
    # the page's script (its modules joined), so that the page starts with no network
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", body).group(1))  # escapejs: \u002D
    assert "/static/disputes/phone.js" in shell
    assert "/static/leaflet/leaflet.js" in shell
    version = re.search(r'const VERSION = "([0-9a-f]{12})";', body).group(1)
    assert version in Client().get("/m/sw.js").content.decode()  # stable while nothing changes
    assert "/api/" not in body  # API answers (parties) are never cached


def test_the_session_probe_tells_who_is_logged_in_and_renews_the_csrf_cookie(worker_client):
    anonymous = Client()
    response = anonymous.get("/m/session/")
    assert response.json() == {"user": None}
    assert response.cookies["csrftoken"].value
    assert "no-cache" in response["Cache-Control"]
    assert worker_client.get("/m/session/").json() == {"user": "gw_xingyang_01"}
