"""Logins: failed passwords lock out a username and an address, tokens expire and can be revoked.

An attacker guessing passwords is stopped after AXES_FAILURE_LIMIT failures
(django-axes), by username and by address, on the API and on the login page;
the right password then gets nothing until the cool-off has passed. Each
failure is logged. A token lives API_TOKEN_DAYS unused, each login makes a
new one, and logging out revokes it.
"""

import logging
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.conf import settings
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from disputes.api.auth import LoginRateThrottle

pytestmark = pytest.mark.django_db
PASSWORD = "zhengque-mima-2026"


@pytest.fixture
def worker(territory):
    user = territory.users["grid_worker"]
    user.set_password(PASSWORD)
    user.save()
    return user


def token_login(username, password, address="10.0.0.1", language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
    return client.post("/api/auth/token/", {"username": username, "password": password})


def with_token(token):
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


class TestLockout:
    def test_after_the_failure_limit_even_the_right_password_gets_no_token(self, worker):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert token_login(worker.username, "wrong").status_code == 400
        assert token_login(worker.username, "wrong").status_code == 429  # the one that locks
        locked = token_login(worker.username, PASSWORD)
        assert locked.status_code == 429
        assert "Too many failed logins" in locked.json()["detail"]
        assert "token" not in locked.json()
        chinese = token_login(worker.username, PASSWORD, language="zh-hans")
        assert "登录失败次数过多" in chinese.json()["detail"]

    def test_120_wrong_passwords_then_the_right_one_give_no_token(self, worker):
        statuses = {token_login(worker.username, f"guess{i}").status_code for i in range(120)}
        assert statuses == {400, 429}
        assert token_login(worker.username, PASSWORD).status_code == 429

    def test_the_lockout_holds_from_another_address_for_that_username(self, worker):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            token_login(worker.username, "wrong", address="10.0.0.1")
        assert token_login(worker.username, PASSWORD, address="10.9.9.9").status_code == 429

    def test_an_address_guessing_many_usernames_is_locked_out(self, territory, worker):
        for i in range(settings.AXES_FAILURE_LIMIT):
            token_login(f"someone{i}", "wrong", address="10.6.6.6")
        assert token_login(worker.username, PASSWORD, address="10.6.6.6").status_code == 429
        assert token_login(worker.username, PASSWORD, address="10.7.7.7").status_code == 200

    def test_the_lockout_ends_after_the_cool_off(self, worker):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            token_login(worker.username, "wrong")
        later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
        with time_machine.travel(later):
            assert token_login(worker.username, PASSWORD).status_code == 200

    def test_each_failure_is_logged(self, worker, caplog):
        with caplog.at_level(logging.WARNING, logger="axes"):
            token_login(worker.username, "wrong", address="10.3.3.3")
        failure = AccessFailureLog.objects.get()
        assert (failure.username, failure.ip_address) == (worker.username, "10.3.3.3")
        assert "login failure" in caplog.text

    def test_the_login_page_locks_out_too_and_says_so_in_chinese(self, worker):
        page = Client(REMOTE_ADDR="10.4.4.4", HTTP_ACCEPT_LANGUAGE="zh-hans")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = page.post("/login/", {"username": worker.username, "password": "x"})
            assert response.status_code == 200  # the form again, with its error
        page.post("/login/", {"username": worker.username, "password": "x"})
        locked = page.post("/login/", {"username": worker.username, "password": PASSWORD})
        assert locked.status_code == 429
        assert "登录失败次数过多" in locked.content.decode()
        assert "_auth_user_id" not in page.session

    def test_the_token_login_is_throttled_by_address(self, worker, monkeypatch):
        monkeypatch.setattr(LoginRateThrottle, "rate", "3/minute", raising=False)
        from django.core.cache import cache

        cache.delete_many([f"throttle_login_10.5.5.{n}" for n in range(3)])
        answers = [token_login(worker.username, PASSWORD, "10.5.5.1").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        assert token_login(worker.username, PASSWORD, "10.5.5.2").status_code == 200


class TestTokens:
    def test_each_login_gives_a_new_token_that_expires(self, worker):
        first = token_login(worker.username, PASSWORD).json()
        second = token_login(worker.username, PASSWORD).json()
        assert first["token"] != second["token"]
        for answer in (first, second):
            assert with_token(answer["token"]).get("/api/cases/").status_code == 200
        expiry = AuthToken.objects.filter(user=worker).latest("created").expiry
        assert expiry - timezone.now() == pytest.approx(
            timedelta(days=settings.API_TOKEN_DAYS), abs=timedelta(minutes=1)
        )

    def test_a_token_unused_past_its_lifetime_is_refused(self, worker):
        token = token_login(worker.username, PASSWORD).json()["token"]
        later = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS, hours=1)
        with time_machine.travel(later):
            assert with_token(token).get("/api/cases/").status_code == 401

    def test_use_keeps_a_token_alive(self, worker):
        token = token_login(worker.username, PASSWORD).json()["token"]
        start = timezone.now()
        for week in range(1, 5):  # used weekly for a month: still valid
            with time_machine.travel(start + timedelta(days=7 * week)):
                assert with_token(token).get("/api/cases/").status_code == 200

    def test_logging_out_revokes_the_token(self, worker):
        token = token_login(worker.username, PASSWORD).json()["token"]
        other = token_login(worker.username, PASSWORD).json()["token"]
        assert with_token(token).post("/api/auth/logout/").status_code == 204
        assert with_token(token).get("/api/cases/").status_code == 401
        assert with_token(other).get("/api/cases/").status_code == 200  # another phone
        assert with_token(other).post("/api/auth/logout-all/").status_code == 204
        assert with_token(other).get("/api/cases/").status_code == 401
        assert not AuthToken.objects.filter(user=worker).exists()

    def test_a_user_keeps_only_the_latest_devices_tokens(self, worker):
        tokens = [
            token_login(worker.username, PASSWORD).json()["token"]
            for _ in range(settings.API_TOKENS_PER_USER + 1)
        ]
        assert with_token(tokens[0]).get("/api/cases/").status_code == 401
        assert with_token(tokens[-1]).get("/api/cases/").status_code == 200

    def test_tokens_are_not_stored_in_clear(self, worker):
        token = token_login(worker.username, PASSWORD).json()["token"]
        stored = AuthToken.objects.get(user=worker)
        assert token not in (stored.digest, stored.token_key) and len(stored.digest) >= 64
