"""WSGI entry point. Under production settings it refuses to start while demo users exist."""

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


_refuse_demo_users()
