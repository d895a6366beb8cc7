"""Settings shared by every environment; values come from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .local_services import BASE_DIR, DATA_DIR, LOCAL_REDIS_SOCKET

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "pgtrigger",
    "pghistory",
    "villages",
    "grid",
    "disputes",
    "maps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: records the user and path of every change (config/history.py).
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", engine="django.contrib.gis.db.backends.postgis")}
# Keep connections between requests: opening one costs more than a whole case intake.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Exports and bulletins: served only by views that check who asks (disputes/storage.py).
PRIVATE_MEDIA_ROOT = Path(env("DJANGO_PRIVATE_MEDIA_ROOT", default=str(DATA_DIR / "private")))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL", default=f"unix://{LOCAL_REDIS_SOCKET}?db=0"),
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=f"redis+socket://{LOCAL_REDIS_SOCKET}")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task a dead worker had taken goes back to the queue after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_BEAT_SCHEDULE = {
    "team-proposals-expire": {"task": "disputes.tasks.assignments_expire", "schedule": 300.0},
    "supervision-hourly": {"task": "disputes.tasks.supervision_run", "schedule": 3600.0},
    # Roll-ups of changed days; every change also queues it, this catches what was missed.
    "figures-refresh": {"task": "disputes.tasks.figures_refresh", "schedule": 60.0},
    "exports-expire": {
        "task": "disputes.tasks.exports_expire",
        "schedule": crontab(hour=3, minute=30),
    },
    # Last month's bulletin of every county and township (月度通报).
    "bulletins-monthly": {
        "task": "disputes.tasks.bulletins_monthly",
        "schedule": crontab(day_of_month=1, hour=1, minute=0),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Grid governance API",
    "VERSION": "0.1.0",
    # The API page works offline: Swagger UI is served from our static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AttachmentKindEnum": "disputes.models.cases.Attachment.Kind",
        "TeamKindEnum": "disputes.models.teams.Team.Kind",
        "CaseStatusEnum": "disputes.models.cases.Case.Status",
        "JobStatusEnum": "disputes.models.documents.JobStatus",
    },
}

# The admin's map widgets. With no basemap URL the boundaries themselves are
# the context, and nothing is fetched from the internet.
MAP_BASEMAP_URL = env("MAP_BASEMAP_URL", default="")
MAP_BASEMAP_ATTRIBUTION = env("MAP_BASEMAP_ATTRIBUTION", default="")
LEAFLET_CONFIG = {
    "TILES": (
        [(_("Basemap"), MAP_BASEMAP_URL, {"attribution": MAP_BASEMAP_ATTRIBUTION})]
        if MAP_BASEMAP_URL
        else []
    ),
    "DEFAULT_CENTER": (
        env.float("MAP_CENTER_LAT", default=29.0),
        env.float("MAP_CENTER_LON", default=115.8),
    ),
    "DEFAULT_ZOOM": env.int("MAP_DEFAULT_ZOOM", default=9),
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "SCALE": "metric",
}

# Territory: how far (metres) a point in a gap between grids may lie from the
# nearest grid and still be placed in it.
GRID_GAP_TOLERANCE_M = env.float("GRID_GAP_TOLERANCE_M", default=50.0)

# GDAL 3.6 (Debian 12) cannot block network access from spatial references;
# only staff import files, and the server has no route it should not have.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Teams: how far (metres) from a case a team's base may be for it to be proposed.
TEAM_MAX_DISTANCE_M = env.float("TEAM_MAX_DISTANCE_M", default=10_000.0)
# Supervision: a case overdue by more than this many days goes one level up by itself.
SUPERVISION_ESCALATE_AFTER_DAYS = env.int("SUPERVISION_ESCALATE_AFTER_DAYS", default=7)
# Cases: deadlines in "calendar" days (the default) or "working" days.
CASE_DEADLINE_DAYS = env("CASE_DEADLINE_DAYS", default="calendar")
# Follow-up (回访): days after resolution for the return visit; no law sets it.
CASE_FOLLOW_UP_DAYS = env.int("CASE_FOLLOW_UP_DAYS", default=15)
# Daily zero report: grids that have not reported by this local time are listed and reminded.
ZERO_REPORT_CUTOFF = env("ZERO_REPORT_CUTOFF", default="18:00")
# Reminders at the cutoff, then hourly to midnight in case beat was down (they go once a day).
CELERY_BEAT_SCHEDULE["zero-report-reminders"] = {
    "task": "disputes.tasks.zero_reminders",
    "schedule": crontab(
        hour=f"{ZERO_REPORT_CUTOFF.split(':')[0]}-23", minute=ZERO_REPORT_CUTOFF.split(":")[1]
    ),
}
# Rankings leave out units with fewer cases than this in the period.
FIGURES_RANKING_MIN_CASES = env.int("FIGURES_RANKING_MIN_CASES", default=10)
# Exports with more rows than this run in the background and end as a download link.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=10_000)
# Background exports and their files are kept this many days.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
# Email for notifications: off unless EMAIL_URL is set (e.g. smtp://user:pass@host:587).
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
    NOTIFY_BY_EMAIL = True
else:
    NOTIFY_BY_EMAIL = False
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="grid@localhost")
# The address people open the platform at, for links in emails (e.g. https://grid.example.gov.cn).
SITE_URL = env("SITE_URL", default="")
# Largest upload a case accepts, in bytes.
CASE_UPLOAD_MAX_BYTES = env.int("CASE_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Parties' identities: a key for the hashes that match repeats, and a Fernet
# key for the encrypted ID numbers. Production has no default for either.
PARTY_HASH_KEY = env("PARTY_HASH_KEY", default="")
PARTY_ENCRYPTION_KEY = env("PARTY_ENCRYPTION_KEY", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # GEOS notices repeat validity reasons that the importers already report.
        "django.contrib.gis": {"level": "ERROR"},
        # WeasyPrint (the bulletins' PDF) logs each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}
# Change history (config/history.py): each row is stamped with the time of the change
# itself rather than the start of its transaction, so the changes of one request keep their order.
PGHISTORY_CREATED_AT_FUNCTION = "clock_timestamp()"
