"""Settings shared by every environment; values come from the environment."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

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
    "knox",
    "axes",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "csp",
    "pgtrigger",
    "pghistory",
    # The resident pages' captcha, drawn here with Pillow (no outside service).
    "captcha",
    "villages",
    "grid",
    "disputes",
    "maps",
]

MIDDLEWARE = [
    "config.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whatever reads or writes the body: HTML and JSON gzipped for slow phones.
    "config.middleware.CompressedPagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: records the user and path of every change (config/history.py).
    "pghistory.middleware.HistoryMiddleware",
    # A temporary password (set by an office) is replaced before any other page opens.
    "disputes.people.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: it turns a login refused for too many failures into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

# Logins: django-axes counts failed passwords (every login goes through authenticate())
# and locks out a username, and an address, after AXES_FAILURE_LIMIT failures for
# AXES_COOLOFF_TIME; each failure is logged (AccessFailureLog and the log).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "config.auth_backends.PermissionsBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=8)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "config.logins.lockout_response"
# The client's address: REMOTE_ADDR, unless AXES_PROXY_COUNT says how many reverse proxies
# in front add X-Forwarded-For (trusting it without a proxy would let anyone pick an address).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

ROOT_URLCONF = "config.urls"
# Error pages: config/errors.py and templates/{400,403,404,500,403_csrf}.html.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
# Pages behind @login_required send people to this login (there is no /accounts/login/).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
WSGI_APPLICATION = "config.wsgi.application"

# The disputes app keeps each capability's pages and files in the capability's folder
# (disputes/<capability>/templates/disputes/..., .../static/disputes/...), under the
# names the app's own folders would give them.
DISPUTES_CAPABILITY_DIRS = [
    BASE_DIR / "disputes" / name
    for name in (
        "oversight",
        "reporting",
        "audit",
        "desk",
        "residents",
        "people",
        "risks",
        "meetings",
        "ownership",
        "departments",
        "reception",
    )
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [
            BASE_DIR / "templates",
            *(d / "templates" for d in DISPUTES_CAPABILITY_DIRS if (d / "templates").is_dir()),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.navigation.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", engine="django.contrib.gis.db.backends.postgis")}
# Keep connections between requests: opening one costs more than a whole case intake.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT compilation: PostgreSQL compiles a query whose estimated cost is high, and for a
# map's bins tile that took 505 of its 562 ms (zoom 9, 1M cases); no query of the
# platform runs long enough to win it back.
DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"].get("OPTIONS", {}),
    "options": "-c jit=off",
}
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
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(DATA_DIR / "static")))
STATICFILES_DIRS = [d / "static" for d in DISPUTES_CAPABILITY_DIRS if (d / "static").is_dir()]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # disputes/phone.js: the phone page's modules joined into one file (one round trip)
    "disputes.phone_script.PhoneScriptFinder",
]
# collectstatic writes hashed names with gzip and brotli copies; WhiteNoise serves
# them compressed with a cache of ten years (the name changes with the content).
# JavaScript module imports are rewritten to the hashed names (config/static_files.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.static_files.StaticFilesStorage"},
}
# Source maps are read by developer tools only; brotli at its best takes seconds a megabyte.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Exports and bulletins: served only by views that check who asks (disputes/storage.py).
PRIVATE_MEDIA_ROOT = Path(env("DJANGO_PRIVATE_MEDIA_ROOT", default=str(DATA_DIR / "private")))

CACHES = {
    "default": {
        # Django's Redis cache, but a request goes on uncached while Redis is away.
        "BACKEND": "config.cache.FailOpenRedisCache",
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
# A worker waits out a Redis restart instead of exiting.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task a dead worker had taken goes back to the queue after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_BEAT_SCHEDULE = {
    "team-proposals-expire": {"task": "disputes.tasks.assignments_expire", "schedule": 300.0},
    # Tasks a committed change could not hand to the broker (disputes.outbox), and accepted
    # cases whose team proposal never ran: nothing is lost while Redis is away.
    "outbox-sweep": {"task": "disputes.tasks.outbox_sweep", "schedule": 60.0},
    "team-proposals-sweep": {"task": "disputes.tasks.team_proposals_sweep", "schedule": 300.0},
    "supervision-hourly": {"task": "disputes.tasks.supervision_run", "schedule": 3600.0},
    # Co-handling replies (协办) past their date: the department and the routing unit, once.
    "routing-assist-overdue": {"task": "disputes.tasks.routing_assist_overdue", "schedule": 3600.0},
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
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a missing or expired token answers 401 with WWW-Authenticate.
        "disputes.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # The token login, by address; the lockout by username and address is axes'.
    "DEFAULT_THROTTLE_RATES": {"login": env("API_LOGIN_RATE", default="20/minute")},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["disputes.core.api.StrictFilterBackend"],
    "EXCEPTION_HANDLER": "disputes.core.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "config.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Grid governance API",
    "VERSION": "0.1.0",
    # The API page works offline: Swagger UI is served from our static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies as components of their own: what a client must send (required
    # fields, no blank text where none is taken) apart from what it gets back.
    "COMPONENT_SPLIT_REQUEST": True,
    # Bodies are documented as JSON (files as multipart where an operation takes one);
    # form posts are still read, for browser forms.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_schema.closed_response_objects",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AttachmentKindEnum": "disputes.cases.models.Attachment.Kind",
        "TeamKindEnum": "disputes.teams.models.Team.Kind",
        "CaseStatusEnum": "disputes.cases.models.Case.Status",
        "JobStatusEnum": "disputes.reporting.models.JobStatus",
    },
}

# API tokens (django-rest-knox): stored hashed; a token unused for API_TOKEN_DAYS expires,
# each use extends it, none lives past API_TOKEN_MAX_DAYS; a user keeps
# API_TOKENS_PER_USER devices' tokens, the oldest revoked by a new login.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=14)
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=5)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(days=env.int("API_TOKEN_MAX_DAYS", default=90)),
    "MIN_REFRESH_INTERVAL": 3600,
    "TOKEN_LIMIT_PER_USER": None,
}

# Open311 GeoReport v2 (/open311/v2/): who client systems contact, as discovery.json says.
OPEN311_CONTACT = env("OPEN311_CONTACT", default="")

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


def _basemap_origin(url: str) -> list[str]:
    """The origin of the basemap's tiles for the CSP ("https://t{s}.x.cn/…" -> "https://*.x.cn")."""
    if not url:
        return []
    parts = urlsplit(url)
    host = parts.netloc.split("@")[-1]
    if "{" in host:
        host = "*." + host.split(".", 1)[1]
    return [f"{parts.scheme}://{host}"]


# Content-Security-Policy: scripts only from this server, never inline, never eval.
# The only nonce is the admin's map widget (django-leaflet puts it on its own
# script); our pages have no inline script. Styles may be inline (Leaflet and
# the admin set style attributes); that cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *_basemap_origin(MAP_BASEMAP_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
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
# The levels at which a mediation team that settled a case resolves it itself; above
# them the team hands the case back to the level that holds it.
TEAM_RESOLVES_AT_LEVELS = env.list("TEAM_RESOLVES_AT_LEVELS", default=["grid", "village"])
# 转办: days a department has to accept or return a case routed to it.
ROUTING_ACCEPT_DAYS = env.int("ROUTING_ACCEPT_DAYS", default=5)
# 积案: an open case older than this many days is backlog and must have a 包案 leader.
BACKLOG_DAYS = env.int("BACKLOG_DAYS", default=90)
# 每周上报推进情况: on Monday mornings, leaders and holders of backlog cases without last
# week's progress note are reminded (hourly until noon in case beat was down; once a week).
CELERY_BEAT_SCHEDULE["backlog-progress-reminders"] = {
    "task": "disputes.tasks.progress_reminders",
    "schedule": crontab(day_of_week="mon", hour="8-12", minute=5),
}
# 联席会议: the number of joint-conference meetings a county is to hold in a year.
JOINT_MEETINGS_PER_YEAR = env.int("JOINT_MEETINGS_PER_YEAR", default=6)
# Emerging-hotspot alerts (disputes.alerts): the last HOTSPOT_WINDOW_DAYS days of a
# village's cases of a category against its HOTSPOT_BASELINE_WEEKS windows before; an
# alert needs HOTSPOT_MIN_CASES cases and p below HOTSPOT_ALPHA / the number of tests.
HOTSPOT_WINDOW_DAYS = env.int("HOTSPOT_WINDOW_DAYS", default=7)
HOTSPOT_BASELINE_WEEKS = env.int("HOTSPOT_BASELINE_WEEKS", default=8)
HOTSPOT_MIN_CASES = env.int("HOTSPOT_MIN_CASES", default=5)
HOTSPOT_ALPHA = env.float("HOTSPOT_ALPHA", default=0.05)
# 稳评: the cases within this many metres of a major project's area are shown with it and
# counted in its alerts.
PROJECT_NEAR_M = env.float("PROJECT_NEAR_M", default=500.0)
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
# Text messages to residents (config/sms): the dotted path of a backend and its options
# as JSON. The console backend only writes them to the log: set a provider's backend
# (a class with `send(to, text)`) before residents use the resident pages.
SMS_BACKEND = env("SMS_BACKEND", default="config.sms.backends.ConsoleBackend")
SMS_OPTIONS = env.json("SMS_OPTIONS", default={})
# The resident pages (/r/, disputes.residents): the county they serve (its 6-digit code;
# empty: the first county), and their captcha, shown after a few wrong codes.
RESIDENT_COUNTY_CODE = env("RESIDENT_COUNTY_CODE", default="")
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_FONT_SIZE = 30
# The address people open the platform at, for links in emails (e.g. https://grid.example.gov.cn).
SITE_URL = env("SITE_URL", default="")
# Largest upload a case accepts, in bytes, and the most pixels an image may claim
# (checked before it is decoded: 40 million pixels decode to about 160 MB).
CASE_UPLOAD_MAX_BYTES = env.int("CASE_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
CASE_UPLOAD_MAX_PIXELS = env.int("CASE_UPLOAD_MAX_PIXELS", default=40_000_000)
# No request body may be larger than an upload and its form (413 before it is read);
# a body without files (JSON, a form) is read into memory only up to 1 MB.
REQUEST_MAX_BYTES = CASE_UPLOAD_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
# Uploads larger than this are spooled to a temporary file, not kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Parties' identities: a key for the hashes that match repeats, and a Fernet
# key for the encrypted ID numbers. Production has no default for either.
PARTY_HASH_KEY = env("PARTY_HASH_KEY", default="")
PARTY_ENCRYPTION_KEY = env("PARTY_ENCRYPTION_KEY", default="")

# Retention (disputes/upkeep/services/retention.py): a nightly task deletes what has been kept long enough.
PARTY_ACCESS_LOG_KEEP_DAYS = env.int("PARTY_ACCESS_LOG_KEEP_DAYS", default=1095)
# Notifications are deleted this many days after they were read; unread ones stay.
NOTIFICATION_KEEP_DAYS = env.int("NOTIFICATION_KEEP_DAYS", default=180)
# Records of logins and failed logins (django-axes), kept this many days.
LOGIN_RECORD_KEEP_DAYS = env.int("LOGIN_RECORD_KEEP_DAYS", default=180)
CELERY_BEAT_SCHEDULE["hotspot-alerts"] = {
    "task": "disputes.tasks.hotspot_alerts",
    "schedule": crontab(hour=6, minute=30),
}
CELERY_BEAT_SCHEDULE["retention-nightly"] = {
    "task": "disputes.tasks.retention_run",
    "schedule": crontab(hour=3, minute=45),
}
# Joint-meeting decisions due soon or overdue (联席会议交办督办), each told once.
CELERY_BEAT_SCHEDULE["decisions-supervise"] = {
    "task": "disputes.tasks.decisions_supervise",
    "schedule": crontab(hour=7, minute=15),
}

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
        "pikepdf": {"level": "WARNING"},
    },
}
# Change history (config/history.py): each row is stamped with the time of the change
# itself rather than the start of its transaction, so the changes of one request keep their order.
PGHISTORY_CREATED_AT_FUNCTION = "clock_timestamp()"

# Boundary imports: at least this share of a unit's area must lie inside its parent's
# boundary (digitising differences along shared edges stay well under 2 %).
BOUNDARY_WITHIN_PARENT = env.float("BOUNDARY_WITHIN_PARENT", default=0.98)
