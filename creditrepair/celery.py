"""The Celery application: timers, partner-notice delivery and background work."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditrepair.settings.dev")

app = Celery("creditrepair")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
