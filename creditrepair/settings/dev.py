"""The embedded default used by ``make demo`` and ``manage.py`` (SQLite, eager Celery)."""

from .base import *  # noqa: F401,F403
