"""Production settings refuse to start with DEBUG, a default secret key or the demo users."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from creditrepair.accounts.checks import no_demo_users

BASE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def import_production(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import creditrepair.settings.production"],
        cwd=BASE, env=environment, capture_output=True, text=True,
    )


def test_production_refuses_the_default_secret_key():
    result = import_production()
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = import_production(SECRET_KEY="x" * 50, DEBUG="true")
    assert result.returncode != 0 and "DEBUG" in result.stderr


def test_production_starts_with_a_private_key():
    assert import_production(SECRET_KEY="x" * 50).returncode == 0


@pytest.mark.django_db
def test_the_deployment_check_refuses_demo_users(monkeypatch):
    monkeypatch.setattr(settings, "REFUSE_DEMO_USERS", True, raising=False)
    assert no_demo_users(None) == []
    get_user_model().objects.create_user("amr", password=settings.DEMO_PASSWORD)
    errors = no_demo_users(None)
    assert [e.id for e in errors] == ["accounts.E001"]
