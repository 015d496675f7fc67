"""Settings of the benchmarks: the app's base settings, DEBUG off, a dedicated PostgreSQL database.

``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/creditrepair_bench``) is created
fresh by ``bench.generate``. Throttles are set out of reach (the load generator is one client) and
Celery queues into an in-process memory broker: the web path and the sweeps enqueue their tasks as in
production, and no worker renders documents behind the measurement's back.
"""

import os

import environ

from creditrepair.settings.base import *  # noqa: F401,F403
from creditrepair.settings.base import BASE_DIR, REST_FRAMEWORK, VAR_DIR

_env = environ.Env()

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {
    "default": _env.db_url_config(
        os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/creditrepair_bench")
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = 60  # persistent connections, as in production behind gunicorn
ROOT_URLCONF = "bench.urls"

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"public": "100000000/s", "login": "100000000/s"},
}
PUBLIC_PAGE_RATE = "100000000/s"
PUBLIC_CASE_FAILURE_RATE = "100000000/s"

CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = False

MEDIA_ROOT = VAR_DIR / "bench" / "media"
DOCUMENT_SIGNING_DIR = VAR_DIR / "bench" / "signing"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
BENCH_DIR = BASE_DIR / "bench"
