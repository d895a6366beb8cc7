"""Production: every secret and address comes from the environment, with no default."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CACHES["default"]["LOCATION"] = env("REDIS_URL")  # noqa: F405
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
DEMO_PASSWORD = None
PARTY_HASH_KEY = env("PARTY_HASH_KEY")
PARTY_ENCRYPTION_KEY = env("PARTY_ENCRYPTION_KEY")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
