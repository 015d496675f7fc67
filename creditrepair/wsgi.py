"""WSGI entry point. Under production settings it refuses to start while demo users exist.

Each web process loads the URLconf up front and freezes what it has loaded out of the garbage collector's
reach (``gc.freeze``): the full collections every few hundred requests then scan only what requests
allocate. Without it each one walked the whole of Django, DRF, viewflow and the app — 50–180 ms pauses that
were the p99 of the public lookup (docs/performance.md).
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditrepair.settings.dev")
application = get_wsgi_application()


def _refuse_demo_users():
    from creditrepair.accounts.checks import no_demo_users

    errors = no_demo_users(None)
    if errors:
        raise ImproperlyConfigured(errors[0].msg + " " + errors[0].hint)


def _freeze_loaded_objects():
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 -- Django would import the views at the first request
    gc.collect()
    gc.freeze()


_refuse_demo_users()
_freeze_loaded_objects()
