"""Issue 8, item 1: the authorization matrix (tests/security/authz_matrix.py) walked on a real world.

* Every URL pattern of the project, found by walking the URL configuration, has exactly one entry in the
  table, and every entry names a pattern (a new endpoint without an entry fails here, by name).
* Every entry × every role answers the declared status: API calls authenticate with the DRF token, pages
  with a session; a page answers the same with its ``/en/`` prefix.
* A refusal never tells whether the object exists: the same role asking for ids no object has gets the
  same status and the same answer (the API's error ``code`` and ``message``, the same page) — except in
  ``SEEN`` cells, where the role may read the object anyway (checked too).
* A 200 list or page shows the world's object exactly to the roles the table says may see it.
* A file is found only through its own case (A's file asked for through B's case: 404).
* The Django admin is for staff only.

The world is built once for the module (``authz_world.build_world``) inside a transaction rolled back at
the end; every request runs in a savepoint rolled back after it, so no row changes what a later row sees.
"""

import json
import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import resolve, reverse
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from django.utils import translation

from tests.repairs.conftest import _rendered_once  # noqa: F401 (a fixture: one real PDF render, reused)
from tests.security.authz_matrix import (
    ADMIN,
    ADMIN_LOGIN,
    API,
    LOGIN,
    PAGES,
    TABLE,
    Seen,
    walked_patterns,
)
from tests.security.authz_world import MISSING_UUID, ROLES, Ids, build_world

pytestmark = pytest.mark.django_db

DENIALS = (401, 403, 404, LOGIN, ADMIN_LOGIN)
LOGIN_PATH = re.compile(r"^(/en)?/login/$")
ADMIN_LOGIN_PATH = re.compile(r"^(/en)?/admin/login/$")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _rendered_once):  # noqa: F811
    """The users and objects of ``authz_world``, made once for the module and rolled back after it.

    Documents are signed for real; their HTML is rendered once (``_rendered_once``) to keep this fast.
    Tasks run in-process, as in every test not marked ``celery_worker`` (tests/conftest.py).
    """
    from creditrepair.celery import app as celery_app
    from creditrepair.documents import services as documents

    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
            patch.setattr(documents, "render_pdf", lambda template_name, context: _rendered_once)
            with transaction.atomic():
                yield build_world()
                transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The public pages and endpoints are rate-limited per client: every row starts with empty counters."""
    cache.clear()
    yield
    cache.clear()


# --------------------------------------------------------------------------- requests


class Caller:
    """Requests as one role: the API with its token, pages with a session (one login, reused)."""

    def __init__(self, world, role):
        self.world, self.role, self.user = world, role, world.users[role]
        self._session = None

    def _client(self, api):
        client, headers = Client(), {}
        if self.user is None:
            return client, headers
        if api:
            headers["HTTP_AUTHORIZATION"] = f"Token {self.world.tokens[self.role]}"
        else:
            if self._session is None:
                login = Client()
                login.force_login(self.user)
                self._session = login.cookies[settings.SESSION_COOKIE_NAME].value
            client.cookies[settings.SESSION_COOKIE_NAME] = self._session
        return client, headers

    def call(self, method, url, *, api, body=None, files=False):
        """The response, with whatever the request wrote rolled back."""
        client, headers = self._client(api)
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, **headers)
            elif api and not files:
                response = client.generic(method, url, json.dumps(body or {}), content_type="application/json",
                                          **headers)
            else:
                response = client.generic(method, url, encode_multipart(BOUNDARY, body or {}),
                                          content_type=MULTIPART_CONTENT, **headers)
            if getattr(response, "streaming", False):
                response.content_bytes = b"".join(response.streaming_content)
            transaction.set_rollback(True)
        return response


def outcome(response):
    """The status, or LOGIN / ADMIN_LOGIN for a redirect to a login page."""
    if response.status_code == 302:
        path = urlsplit(response["Location"]).path
        if LOGIN_PATH.match(path):
            return LOGIN
        if ADMIN_LOGIN_PATH.match(path):
            return ADMIN_LOGIN
    return response.status_code


def refusal(response):
    """What a refusal tells: its outcome and the API's error ``code`` and ``message``, or the page's text."""
    got = outcome(response)
    if got in (LOGIN, ADMIN_LOGIN):
        return got, None
    if "json" in response.get("Content-Type", ""):
        body = json.loads(response.content)
        return got, (body.get("code"), body.get("message"))
    return got, _text(response).replace(response.request["PATH_INFO"], "<path>")  # e.g. a login link's ?next=


def url_of(key, entry, o, *, language="zh-hans"):
    if entry.url:
        return entry.url
    with translation.override(language):
        path = reverse(key, kwargs=entry.kwargs(o))
    query = entry.query(o)
    return f"{path}?{urlencode(query)}" if query else path


def _text(response):
    data = getattr(response, "content_bytes", None)
    return (data if data is not None else response.content).decode("utf-8", errors="replace")


# --------------------------------------------------------------------------- the table is complete


def test_every_url_pattern_has_an_entry_in_the_matrix_and_every_entry_names_a_pattern():
    walked = list(walked_patterns())
    keys = [w.key for w in walked if w.key != ADMIN]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    assert not twice, f"URL names used by more than one pattern (the matrix cannot tell them apart): {twice}"
    missing = sorted({w.key for w in walked} - set(TABLE))
    stale = sorted(set(TABLE) - {w.key for w in walked})
    assert not missing, (f"URL patterns without an entry in tests/security/authz_matrix.py: {missing} "
                         "(declare who may use them)")
    assert not stale, f"Entries of tests/security/authz_matrix.py that name no URL pattern: {stale}"
    assert sum(1 for w in walked if w.key == ADMIN) > 20  # the admin's patterns were walked too


def test_every_api_method_a_view_implements_is_in_the_matrix():
    """A new method on an existing endpoint (say a PATCH) needs its own row."""
    problems = []
    for walked in walked_patterns():
        view_class = getattr(walked.callback, "view_class", None)
        if not walked.key.startswith("api:") or view_class is None:
            continue
        implemented = {m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)}
        declared = set(TABLE[walked.key].checks)
        if implemented != declared:
            problems.append(f"{walked.key}: view implements {sorted(implemented)}, matrix has {sorted(declared)}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- the matrix


def _rows():
    return [pytest.param(key, role, id=f"{key}-{role}") for key in sorted({**API, **PAGES}) for role in ROLES]


@pytest.mark.parametrize("key,role", _rows())
def test_each_role_gets_what_the_matrix_says_and_a_refusal_never_reveals_existence(key, role, world):
    entry, api = TABLE[key], key.startswith("api:")
    caller, real, missing = Caller(world, role), Ids(world), Ids(world, missing=True)
    problems = []
    for method, check in entry.checks.items():
        expected, label = check.expect[role], f"{method} {key} as {role}"
        url = url_of(key, entry, real)

        def send(target, o):
            return caller.call(method, target, api=api, body=check.body(o) if check.body else None,
                               files=check.files)

        response = send(url, real)
        got = outcome(response)
        if got != expected:
            problems.append(f"{label}: expected {expected!r}, got {got!r} ({url}): {_text(response)[:300]}")
            continue
        if isinstance(expected, Seen):
            name, obj = entry.reads
            read = caller.call("GET", reverse(name, kwargs={"pk": getattr(real, obj)}), api=True)
            if read.status_code != 200:
                problems.append(f"{label}: SEEN, but {name} answers {read.status_code} to this role")
        if check.marker and got == 200:
            shown = check.marker(real) in _text(response)
            if shown != (role in check.seen_by):
                problems.append(f"{label}: the world's object is {'shown' if shown else 'not shown'} ({url})")
        if expected in DENIALS and not isinstance(expected, Seen):
            other_url = url_of(key, entry, missing)
            other_body = check.body(missing) if check.body else None
            if other_url != url or (other_body != (check.body(real) if check.body else None) and not check.files):
                probe = send(other_url, missing)
                if refusal(probe) != refusal(response):
                    problems.append(f"{label}: the refusal reveals existence: {refusal(response)!r:.200} for the "
                                    f"object, {refusal(probe)!r:.200} for none ({other_url})")
        english = url_of(key, entry, real, language="en")
        if english != url:  # a page under i18n_patterns: the same answer whatever the language
            if outcome(send(english, real)) != got:
                problems.append(f"{label}: {english} answers otherwise than {url}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- a file through another case

# URL → (case, file) of A and of B: a file (material, document, evidence) is found only through its own case.
FILES = {
    "api:repair-material-download": ("material_id", "repair", "material", "b_repair", "b_material"),
    "repairs:material": ("material_id", "repair", "material", "b_repair", "b_material"),
    "repairs:document": ("document_id", "repair", "repair_document", "b_repair", "b_repair_document"),
    "objections:document": ("document_id", "objection", "objection_document", "b_objection", "b_objection_document"),
    "objections:evidence": ("evidence_id", "objection", "evidence", "b_objection", "b_evidence"),
}


@pytest.mark.parametrize("key", FILES)
@pytest.mark.parametrize("role", ["other_subject", "operator"])
def test_a_file_is_found_only_through_its_own_case(key, role, world):
    """B's user (who sees its own case) and the operator (who sees both) ask for A's file through B's case."""
    field, a_case, a_file, b_case, b_file = FILES[key]
    o, caller, api = Ids(world), Caller(world, role), key.startswith("api:")

    def get(case, file):
        with translation.override(settings.LANGUAGE_CODE):
            url = reverse(key, kwargs={"pk": getattr(o, case), field: getattr(o, file)})
        return caller.call("GET", url, api=api).status_code

    assert get(b_case, b_file) == 200  # B's file through B's case: the probe reaches the download
    assert get(b_case, a_file) == 404
    if role == "operator":
        assert get(a_case, a_file) == 200 and get(a_case, b_file) == 404


# --------------------------------------------------------------------------- the admin


SAMPLE = {"int": "1", "path": "1", "str": "x", "slug": "x", "uuid": str(MISSING_UUID)}  # converter → value


def sample_url(walked) -> str:
    """A concrete URL for a walked pattern (regex alternatives: the first; a catch-all: an unknown page)."""
    out = ""
    for pattern in walked.parts:
        if isinstance(pattern, LocalePrefixPattern):
            continue
        text = str(pattern)
        if isinstance(pattern, RoutePattern):
            out += re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], text)
            continue
        text = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m.group(1).split("|")[0], text)
        text = re.sub(r"\(\?P<\w+>\.\*\)", "no-such-page/", text)
        out += text.lstrip("^").rstrip("$").replace("\\", "")
    return "/" + out


# Anyone who is not staff: the login page opens, logout leads back to the index (then to the login page),
# every other admin URL to the admin's login page. Staff are sent from the login page to the index.
NON_STAFF = {"admin:login": 200, "admin:logout": 302}
STAFF = {"admin:login": 302}


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_staff_only(role, world):
    with translation.override(settings.LANGUAGE_CODE):  # URLs without a language prefix
        _check_admin(role, world)


def _check_admin(role, world):
    caller = Caller(world, role)
    staff = world.users[role] is not None and world.users[role].is_staff
    problems = []
    for walked in walked_patterns():
        if walked.key != ADMIN:
            continue
        url = sample_url(walked)
        assert resolve(url).func == walked.callback, f"sample URL {url} does not reach {walked.route}"
        if staff and walked.name not in STAFF:
            continue  # staff: the model permissions decide (below)
        expected = (STAFF if staff else NON_STAFF).get(walked.name, ADMIN_LOGIN)
        got = outcome(caller.call("GET", url, api=False))
        if got != expected:
            problems.append(f"GET {url} ({walked.name or walked.route}) as {role}: expected {expected!r}, got {got!r}")
    if staff:
        user = world.users[role]
        assert outcome(caller.call("GET", reverse("admin:index"), api=False)) == 200
        for model in admin.site._registry:
            opts = model._meta
            may = any(user.has_perm(f"{opts.app_label}.{p}_{opts.model_name}") for p in ("view", "change"))
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            got = outcome(caller.call("GET", url, api=False))
            if got != (200 if may else 403):
                problems.append(f"GET {url} as {role} (may view: {may}): got {got!r}")
    assert not problems, "\n".join(problems)
