"""Web defaults (issue 8, item 6): CSRF, the Content-Security-Policy, production settings, login throttling,
the public rate limit, password validation and the staff idle timeout."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.template.loaders.app_directories import get_app_template_dirs
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from creditrepair.core import security

from tests import factories

ROOT = Path(settings.BASE_DIR)
EXPECTED_CSP = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "object-src": "'none'", "frame-ancestors": "'none'", "base-uri": "'self'", "form-action": "'self'",
}


def csp_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in (p.strip() for p in header.split(";")) if part}


# --------------------------------------------------------------------------- Content-Security-Policy


@pytest.mark.parametrize("path", ["/", "/login/", "/lookup/", "/api/v1/docs/"])
def test_pages_carry_the_content_security_policy(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert csp_of(response) == EXPECTED_CSP


def _project_templates():
    folders = [ROOT / "templates", *(Path(d) for d in get_app_template_dirs("templates")
                                      if Path(d).resolve().is_relative_to(ROOT / "creditrepair"))]
    for folder in folders:
        for path in folder.rglob("*.html"):
            # PDFs are rendered by WeasyPrint, never served as web pages.
            if "documents" not in path.relative_to(folder).parts[:1]:
                yield path


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:", re.I)


def test_no_template_has_inline_script_style_or_event_handlers():
    """script-src/style-src 'self' forbid all three: a template with one would break under the CSP."""
    offenders = []
    for path in _project_templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)!r}" for m in pattern.finditer(text)]
    assert offenders == []
    assert any(p.name == "base.html" for p in _project_templates())


def test_swagger_ui_is_self_hosted_and_starts_from_a_script_file(db):
    page = Client().get("/api/v1/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources  # nothing from a CDN
    assert any("swagger-ui-bundle" in s and s.startswith(settings.STATIC_URL) for s in sources)
    assert not INLINE_SCRIPT.search(page) and not re.search(r"<style\b", page)
    script = Client().get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert "SwaggerUIBundle" in script.content.decode()


# --------------------------------------------------------------------------- CSRF


# Views exempt from CSRF besides DRF's, each with its reason.
JUSTIFIED_EXEMPT = {
    # The API's catch-all 404 (the contract's envelope for unknown /api/v1/ paths): it writes nothing.
    "creditrepair.api.errors.not_found_view",
}


def _callbacks(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def test_only_drf_views_skip_djangos_csrf_middleware_and_drf_enforces_it_for_sessions():
    """DRF's as_view() marks views csrf_exempt because SessionAuthentication checks CSRF itself; token
    calls carry no cookie to forge. No other view may be exempt."""
    exempt = [cb for cb in _callbacks() if getattr(cb, "csrf_exempt", False)]
    assert exempt
    offenders = {f"{cb.__module__}.{cb.__name__}" for cb in exempt
                 if not (isinstance(getattr(cb, "cls", None), type) and issubclass(cb.cls, APIView))}
    assert offenders <= JUSTIFIED_EXEMPT
    assert "rest_framework.authentication.SessionAuthentication" in settings.REST_FRAMEWORK[
        "DEFAULT_AUTHENTICATION_CLASSES"]
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "creditrepair").rglob("*.py")
               if "@csrf_exempt" in p.read_text(encoding="utf-8")}
    assert sources <= {"creditrepair/api/errors.py"}


def test_the_exempt_api_not_found_view_changes_nothing(db, dept_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dept_user)
    for method in (client.post, client.delete, client.put):
        response = method("/api/v1/no-such-endpoint")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_post_without_the_csrf_token_is_refused_on_pages_and_session_api_calls(db, dept_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dept_user)
    assert client.post("/logout/").status_code == 403
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 403
    api = client.post("/api/v1/records", {}, content_type="application/json")
    assert api.status_code == 403 and api.json()["code"] == "forbidden"


# --------------------------------------------------------------------------- production settings


def _production(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    environment.update({"DJANGO_SETTINGS_MODULE": "creditrepair.settings.production",
                        "SECRET_KEY": "x7!Qm2#vL9pR4sT8wY1zB6nC3dF5gH0jK-prod-test-key-6fe1a9d0c4b27e35", "DEBUG": "false",
                        "ALLOWED_HOSTS": "credit.example.gov.cn", **env})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=300)


def test_production_settings_have_secure_cookies_hsts_and_a_bounded_session():
    done = _production(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_CONTENT_TYPE_NOSNIFF, s.SESSION_COOKIE_AGE, "
        "s.STAFF_SESSION_IDLE_SECONDS, s.X_FRAME_OPTIONS)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True", "31536000", "True", "True", "28800", "1800", "DENY"]


def test_production_settings_refuse_a_default_secret_key():
    done = _production("import django; django.setup()", SECRET_KEY="dev-insecure-creditrepair-key-change-me")
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr


def test_manage_py_check_deploy_is_clean_for_production_settings(tmp_path):
    # A database of its own: the demo's (var/, with its demo users) is rightly refused in production.
    done = _production("import sys; from django.core.management import execute_from_command_line; "
                       "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
                       DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


# --------------------------------------------------------------------------- login throttling (django-axes)


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def test_the_login_page_locks_a_username_out_from_an_address_after_repeated_failures(db, limit):
    user = factories.department_user()
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(limit - 1):
        assert client.post("/login/", {"username": user.username, "password": "wrong-password"}).status_code == 200
    locked = client.post("/login/", {"username": user.username, "password": "wrong-password"})
    assert locked.status_code == 429 and "登录已暂时锁定" in locked.content.decode()
    # Now even the right password is refused from that address …
    right = client.post("/login/", {"username": user.username, "password": settings.DEMO_PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    # … while the same user from another address, and another user from this one, still log in.
    elsewhere = Client(REMOTE_ADDR="198.51.100.4")
    assert elsewhere.post("/login/", {"username": user.username, "password": settings.DEMO_PASSWORD}).status_code == 302
    other = factories.subject_user()
    assert client.post("/login/", {"username": other.username, "password": settings.DEMO_PASSWORD}).status_code == 302


def test_a_successful_login_resets_the_failure_count(db, limit):
    user = factories.subject_user()
    client = Client(REMOTE_ADDR="203.0.113.8")
    for _round in range(3):
        for _ in range(limit - 1):
            client.post("/login/", {"username": user.username, "password": "wrong-password"})
        assert client.post("/login/", {"username": user.username,
                                       "password": settings.DEMO_PASSWORD}).status_code == 302
        client.logout()


def test_the_api_token_endpoint_locks_out_with_the_contract_envelope(db, api, limit):
    cache.clear()  # the DRF "login" scope rate counts in the cache
    user = factories.department_user()
    for _ in range(limit):
        response = api.post("/api/v1/auth/token", {"username": user.username, "password": "wrong-password"},
                            format="json", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    right = api.post("/api/v1/auth/token", {"username": user.username, "password": settings.DEMO_PASSWORD},
                     format="json", REMOTE_ADDR="203.0.113.9")
    assert right.status_code == 429 and right.json()["code"] == "rate_limited" and "token" not in right.json()
    elsewhere = api.post("/api/v1/auth/token", {"username": user.username, "password": settings.DEMO_PASSWORD},
                         format="json", REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 200 and elsewhere.json()["token"]


def test_authenticate_without_a_request_still_works_for_commands(db):
    from django.contrib.auth import authenticate

    user = factories.operator_user()
    assert authenticate(username=user.username, password=settings.DEMO_PASSWORD) == user


# --------------------------------------------------------------------------- rate limit, passwords


def test_public_api_endpoints_are_rate_limited(db, api, settings, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "public": "2/min"})
    codes = [api.get("/api/v1/public/subjects/91511800MA000000X0/records", REMOTE_ADDR="203.0.113.20").status_code
             for _ in range(3)]
    assert codes[:2] != [429, 429] and codes[2] == 429
    cache.clear()


@pytest.mark.parametrize("password", ["12345678901", "password123", "short1!"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_is_accepted():
    validate_password("青衣江-tea-2026-Strong!")


# --------------------------------------------------------------------------- staff idle timeout


@pytest.fixture
def clock(monkeypatch):
    """``clock.now``: the time the idle-timeout middleware sees."""

    class Clock:
        now = time.time()

    monkeypatch.setattr(security.time, "time", lambda: Clock.now)
    return Clock


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("make_staff", [factories.department_user, factories.court_user, factories.operator_user])
def test_staff_are_logged_out_after_the_idle_timeout(db, clock, make_staff):
    client = _logged_in(make_staff())
    assert client.get("/imports/").wsgi_request.user.is_authenticated
    clock.now += settings.STAFF_SESSION_IDLE_SECONDS - 5
    assert client.get("/").wsgi_request.user.is_authenticated  # activity renews the window
    clock.now += settings.STAFF_SESSION_IDLE_SECONDS - 5
    assert client.get("/").wsgi_request.user.is_authenticated
    clock.now += settings.STAFF_SESSION_IDLE_SECONDS + 1
    response = client.get("/staff/objections/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_subjects_keep_the_ordinary_session_and_the_timeout_comes_from_settings(db, clock, settings):
    subject = _logged_in(factories.subject_user())
    subject.get("/")
    clock.now += settings.STAFF_SESSION_IDLE_SECONDS * 4
    assert subject.get("/").wsgi_request.user.is_authenticated
    settings.STAFF_SESSION_IDLE_SECONDS = 60
    staff = _logged_in(factories.department_user())
    staff.get("/")
    clock.now += 61
    assert not staff.get("/").wsgi_request.user.is_authenticated
