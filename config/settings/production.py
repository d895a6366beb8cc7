"""Production: every secret and address comes from the environment, with no default.

The settings refuse to load (ImproperlyConfigured, naming the variable) when
DEBUG is switched on or a secret is missing or too weak, so a county's server
never starts half-configured.
"""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env


def _refuse(message: str):
    raise ImproperlyConfigured(f"Production settings refused: {message}")


# DEBUG shows settings, SQL and every URL to whoever triggers an error.
if env.bool("DJANGO_DEBUG", default=False):
    _refuse("DJANGO_DEBUG is on. Never run production with DEBUG; unset DJANGO_DEBUG.")
DEBUG = False

# Django's own floor for a secret key (check --deploy, security.W009).
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    _refuse(
        "DJANGO_SECRET_KEY is missing or weak: it needs at least 50 random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

# The key of the hashes that match repeat parties: anyone who knows it can test
# guessed ID numbers against the hashes.
PARTY_HASH_KEY = env("PARTY_HASH_KEY", default="")
if len(PARTY_HASH_KEY) < 32:
    _refuse(
        "PARTY_HASH_KEY is missing or shorter than 32 characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(32))'). "
        "Keep it: changing it breaks the matching of repeat parties."
    )

# A Fernet key (32 url-safe base64-encoded bytes) for the encrypted ID numbers.
PARTY_ENCRYPTION_KEY = env("PARTY_ENCRYPTION_KEY", default="")
try:
    Fernet(PARTY_ENCRYPTION_KEY.encode())
except ValueError:  # binascii.Error for bad base64 is one too
    _refuse(
        "PARTY_ENCRYPTION_KEY is missing or not a Fernet key (32 url-safe base64-encoded bytes: "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'). "
        "Keep it: the ID numbers already stored can only be read with it."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CACHES["default"]["LOCATION"] = env("REDIS_URL")  # noqa: F405
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
DEMO_PASSWORD = None

# HTTPS only. Behind a proxy that terminates TLS it must set X-Forwarded-Proto;
# one that already redirects http:// may turn the redirect here off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
