"""The test suite: the same real PostGIS and Redis, on a separate database and Redis db."""

import os

from .local_services import LOCAL_DATABASE_URL, LOCAL_REDIS_SOCKET

os.environ.setdefault("DATABASE_URL", LOCAL_DATABASE_URL)
os.environ.setdefault("REDIS_URL", f"unix://{LOCAL_REDIS_SOCKET}?db=15")
os.environ.setdefault("CELERY_BROKER_URL", f"redis+socket://{LOCAL_REDIS_SOCKET}?virtual_host=14")

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DEMO_PASSWORD = "test-demo-password"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PARTY_HASH_KEY = "test-party-hash-key"
PARTY_ENCRYPTION_KEY = "dGVzdC1vbmx5LXBhcnR5LWtleS0zMmJ5dGVzLWxvbmc="
MEDIA_ROOT = DATA_DIR / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = DATA_DIR / "test-private"  # noqa: F405
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
