"""Production settings pass Django's deployment checks and refuse to start half-configured.

Each test loads config.settings.production in a fresh interpreter with fake
values: the settings must load without reaching any database or Redis.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]

GOOD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k7Qp2xW9zR4mN8vB3cT6yH1jL5dF0gS-aE2uI7oP9wZ3xC6vB8nM4qR1tY5hJ0",
    "DJANGO_ALLOWED_HOSTS": "grid.yongxiu.example",
    "DATABASE_URL": "postgis://grid:secret@db.invalid:5432/grid",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "CELERY_BROKER_URL": "redis://redis.invalid:6379/1",
    "PARTY_HASH_KEY": "Zt3-9wLq8Rk2Vn7Xc4Bm1Hs6Jd0Fg5Pa",
    "PARTY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
}


def run(code_or_args, **env_changes):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PARTY_"))}
    env.update(GOOD)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_finds_nothing_to_warn_about():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_https_is_enforced_and_the_redirect_can_be_left_to_a_proxy():
    show = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    assert run(show).stdout.split() == ["False", "True", "31536000", "True", "True"]
    assert run(show, DJANGO_SECURE_SSL_REDIRECT="0").stdout.split()[1] == "False"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG is on"),
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG is on"),
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY is missing or weak"),
        ({"DJANGO_SECRET_KEY": "short-secret"}, "DJANGO_SECRET_KEY is missing or weak"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "DJANGO_SECRET_KEY"),
        ({"PARTY_HASH_KEY": None}, "PARTY_HASH_KEY is missing or shorter than 32"),
        ({"PARTY_HASH_KEY": ""}, "PARTY_HASH_KEY is missing or shorter than 32"),
        ({"PARTY_HASH_KEY": "a" * 31}, "PARTY_HASH_KEY is missing or shorter than 32"),
        ({"PARTY_ENCRYPTION_KEY": None}, "PARTY_ENCRYPTION_KEY is missing or not a Fernet key"),
        ({"PARTY_ENCRYPTION_KEY": ""}, "PARTY_ENCRYPTION_KEY is missing or not a Fernet key"),
        # valid base64, but 24 bytes instead of 32
        ({"PARTY_ENCRYPTION_KEY": "c2hvcnQtc2hvcnQtc2hvcnQtc2hvcnQh"}, "not a Fernet key"),
        ({"PARTY_ENCRYPTION_KEY": "not base64 at all!"}, "not a Fernet key"),
    ],
)
def test_production_refuses_to_start(changes, message):
    result = run("import config.settings.production", **changes)
    assert result.returncode != 0
    assert "ImproperlyConfigured: Production settings refused" in result.stderr
    assert message in result.stderr


def test_debug_off_is_accepted():
    assert run("import config.settings.production", DJANGO_DEBUG="false").returncode == 0
