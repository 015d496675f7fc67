"""Settings shared by every environment.

With no environment variables at all the app runs on the *embedded default*:
a SQLite file under ``var/``, Celery tasks executed eagerly in-process, e-mail to
the console. ``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch to PostgreSQL and
a real broker without any code change.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# A development-only key; production settings refuse to start with it.
DEFAULT_SECRET_KEY = "dev-insecure-creditrepair-key-change-me"
SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "viewflow",
    "viewflow.workflow",
    "creditrepair.core",
    "creditrepair.accounts",
    "creditrepair.registry",
    "creditrepair.workdays",
    "creditrepair.rules",
    "creditrepair.audit",
    "creditrepair.records",
    "creditrepair.imports",
    "creditrepair.documents",
    "creditrepair.workflow",
    "creditrepair.repairs",
    "creditrepair.courts",
    "creditrepair.objections",
    "creditrepair.portal",
    "creditrepair.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "creditrepair.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "creditrepair.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "creditrepair.core.security.StaffIdleTimeoutMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "creditrepair.urls"
WSGI_APPLICATION = "creditrepair.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'creditrepair.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if env.str("TEST_DATABASE_NAME", default=""):
    # .ci/run points the test database and the real Celery worker at one name.
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server and a management command share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses a locked-out username+address before the password is checked.
    "creditrepair.core.security.RequestLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "repairs:after-login"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes) for the login page, the admin login and POST /api/v1/auth/token:
# after AXES_FAILURE_LIMIT failures for one username from one address, that pair is locked out for
# AXES_COOLOFF_MINUTES (HTTP 429). A success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "creditrepair.core.security.lockout_response"
AXES_VERBOSE = False
# Staff (department, court, operator, admin) sessions end after this long without a request.
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)

# Content-Security-Policy (django-csp): no inline script or style anywhere; files come from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Internationalisation: Simplified Chinese first, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "creditrepair" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
# Uploaded materials and generated documents live outside the web root and are
# served only through views that check who may see them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@credit.example.gov.cn")
# An outbox e-mail (a creditor's notice, an applicant's notification) that failed this many times is marked failed
# for the operator instead of being tried again; the waits between attempts double from 1 minute (≈8.5 h for 10).
OUTGOING_MAIL_MAX_ATTEMPTS = env.int("OUTGOING_MAIL_MAX_ATTEMPTS", default=10)
# Catch-up sweeps (every 5 min) that queue a case's missing document again before leaving it to the operator.
DOCUMENT_CATCH_UP_MAX_RUNS = env.int("DOCUMENT_CATCH_UP_MAX_RUNS", default=12)

# Where the public pages live; used for QR codes on PDFs and notices.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# The platform's own jurisdiction (administrative division code); records
# without one belong here.
PLATFORM_JURISDICTION = env.str("PLATFORM_JURISDICTION", default="511800")
RULES_DIR = BASE_DIR / "fixtures" / "rules"

# Documents: the platform's PAdES signing key and certificate (PEM paths). Without them a
# self-signed demo certificate is generated under DOCUMENT_SIGNING_DIR (manage.py make_signing_cert).
PLATFORM_NAME = env.str("PLATFORM_NAME", default="信用雅安")
DOCUMENT_SIGNING_DIR = env.path("DOCUMENT_SIGNING_DIR", default=VAR_DIR / "signing")
DOCUMENT_SIGNING_KEY = env.str("DOCUMENT_SIGNING_KEY", default="")
DOCUMENT_SIGNING_CERT = env.str("DOCUMENT_SIGNING_CERT", default="")
DOCUMENT_SIGNING_KEY_PASSPHRASE = env.str("DOCUMENT_SIGNING_KEY_PASSPHRASE", default="")
DOCUMENT_SIGNING_TRUSTED_CERTS = env.list("DOCUMENT_SIGNING_TRUSTED_CERTS", default=[])

# Celery: eager in-process execution unless a broker is configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "stop-expired-publications": {
        "task": "creditrepair.records.tasks.stop_expired_publications",
        "schedule": 60 * 60 * 24,
    },
    "sweep-deadlines-and-timers": {
        "task": "creditrepair.workflow.tasks.sweep_deadlines_and_timers",
        "schedule": 60 * 15,
    },
    "watch-court-instalments": {
        "task": "creditrepair.courts.tasks.watch_instalments",
        "schedule": 60 * 60 * 24,
    },
    "deliver-pending-notices": {
        "task": "creditrepair.records.tasks.deliver_pending_notices",
        "schedule": 60,
    },
    # After-commit work a broker outage lost (see creditrepair.core.tasks.delay_on_commit).
    "courts-catch-up": {
        "task": "creditrepair.courts.tasks.catch_up",
        "schedule": 60 * 5,
    },
    "requeue-lost-import-jobs": {
        "task": "creditrepair.imports.tasks.requeue_lost_jobs",
        "schedule": 60 * 5,
    },
    "repairs-catch-up": {
        "task": "creditrepair.repairs.tasks.catch_up",
        "schedule": 60 * 5,
    },
    "objections-catch-up": {
        "task": "creditrepair.objections.tasks.catch_up",
        "schedule": 60 * 5,
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "creditrepair.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "creditrepair.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "public": env.str("PUBLIC_THROTTLE_RATE", default="120/min"),
        "login": env.str("LOGIN_THROTTLE_RATE", default="60/min"),
    },
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "信用修复与异议处理 Integration Interface",
    "DESCRIPTION": "Integration interface v1 for partner platforms (see docs/).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI served from this site (drf-spectacular-sidecar), never a CDN: works offline and under the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several serializers have a "kind" field with different choices: name the repair kinds explicitly
    # (an unresolved collision is a drf_spectacular.W001 warning in `check --deploy`).
    "ENUM_NAME_OVERRIDES": {"RepairKindEnum": "creditrepair.repairs.models.RepairKind"},
}

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://creditrepair"),
}

# Abuse limits of the public pages (docs/public.md). Counters live in the default cache: locmem is
# per process, so with several web processes set CACHE_URL (Redis) to share them.
# Anonymous HTML lookups (/lookup/, /status/, /verify/) per client IP; the API uses the DRF "public" rate.
PUBLIC_PAGE_RATE = env.str("PUBLIC_PAGE_RATE", default="120/min")
# Failed case-status lookups (unknown case or wrong query code) per client IP, page and API together;
# once exceeded every case lookup from that client answers 429 until the window ends.
PUBLIC_CASE_FAILURE_RATE = env.str("PUBLIC_CASE_FAILURE_RATE", default="10/hour")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Demo identities exist only when the demo set-up created them.
DEMO_PASSWORD = "demo-pass-2026"
