"""A developer's machine: the project-local PostGIS and Redis of scripts/run.sh."""

import os

from .local_services import LOCAL_DATABASE_URL

os.environ.setdefault("DATABASE_URL", LOCAL_DATABASE_URL)

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
DEMO_PASSWORD = env("DEMO_PASSWORD", default="wangge2026")
# Development keys; production sets its own (see production.py).
PARTY_HASH_KEY = env("PARTY_HASH_KEY", default="local-party-hash-key-not-secret")
PARTY_ENCRYPTION_KEY = env(
    "PARTY_ENCRYPTION_KEY", default="bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ="
)
