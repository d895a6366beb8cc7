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
