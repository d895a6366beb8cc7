"""The test suite: the same real PostGIS and Redis, on a separate database and Redis db."""

import os

from django.core.exceptions import ImproperlyConfigured

from .local_services import LOCAL_DATABASE_URL, LOCAL_REDIS_SOCKET

os.environ.setdefault("DATABASE_URL", LOCAL_DATABASE_URL)
# pytest-xdist's workers (gw0, gw1, …; scripts/test.sh runs two) each get their own Redis
# databases (the cache, the broker) and media folders, as pytest-django gives each its
# own test database (test_grid_gw0, …). Subprocesses a test starts (a Celery worker,
# gunicorn) inherit the variable, and with it the same databases.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_worker = int(XDIST_WORKER.removeprefix("gw") or 0)
if _worker > 6:  # Redis has 16 databases; a local run uses 0
    raise ImproperlyConfigured("at most 7 pytest-xdist workers (-n 7)")
os.environ.setdefault("REDIS_URL", f"unix://{LOCAL_REDIS_SOCKET}?db={15 - 2 * _worker}")
os.environ.setdefault(
    "CELERY_BROKER_URL", f"redis+socket://{LOCAL_REDIS_SOCKET}?virtual_host={14 - 2 * _worker}"
)

from .base import *  # noqa: E402, F403  (after the environment above)

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DEMO_PASSWORD = "test-demo-password"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PARTY_HASH_KEY = "test-party-hash-key"
PARTY_ENCRYPTION_KEY = "dGVzdC1vbmx5LXBhcnR5LWtleS0zMmJ5dGVzLWxvbmc="
MEDIA_ROOT = DATA_DIR / f"test-media{XDIST_WORKER}"  # noqa: F405
PRIVATE_MEDIA_ROOT = DATA_DIR / f"test-private{XDIST_WORKER}"  # noqa: F405
# Several suites at once on one machine (one per worktree or helper): a test database each.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
# No collectstatic before the tests: {% static %} gives plain names, and WhiteNoise
# looks files up per request instead of scanning a STATIC_ROOT that may not exist.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# The token login's throttle by address: every test client is 127.0.0.1 (one test lowers it).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "10000/minute"}}  # noqa: F405
# Text messages are kept in config.sms.outbox, where tests read the codes.
SMS_BACKEND = "config.sms.backends.MemoryBackend"
