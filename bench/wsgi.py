"""WSGI entry point of the benchmark server (gunicorn bench.wsgi:application): the app's, with bench.settings."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from creditrepair.wsgi import application  # noqa: E402,F401
