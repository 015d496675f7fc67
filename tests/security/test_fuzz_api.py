"""Fuzzing the REST interface v1 against its own OpenAPI schema (schemathesis, in-process through WSGI).

As anonymous and as each role (a subject's user, a department's staff, a court's staff, the operator),
every operation of ``/api/v1/schema/`` gets a bounded, derandomized number of generated requests —
valid ones (positive) and invalid ones (negative) — and every answer must:

* never be a server error (5xx);
* match the schema where the status is documented (``response_schema_conformance``);
* carry the contract's error envelope ``{code, message, details}`` when it is an error (status >= 400).

Path identifiers are either generated or those of real objects seeded for the role, so the happy paths and
the denials of existing objects are both exercised.
"""

import json

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance


# Examples per operation and role: valid requests, invalid ones, and valid ones on a real object (CI < 3 min).
POSITIVE, NEGATIVE, ON_REAL_OBJECTS = 6, 4, 4
ROLES = ["anonymous", "subject", "department", "court", "operator"]
ENVELOPE_KEYS = {"code", "message", "details"}


@pytest.fixture(scope="module")
def api_schema(django_db_blocker):
    with django_db_blocker.unblock():
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    return schema


@pytest.fixture
def wsgi_in_test_transaction():
    """Like Django's test client: the handler must not close the test's connection after each request.

    The rate-limit counters (the cache) are emptied before and after, so fuzzing neither trips over
    another test's counters nor leaves this client blocked for the tests that follow.
    """
    cache.clear()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        cache.clear()


def _user_for(role, world):
    return {
        "anonymous": None,
        "subject": world["ent_user"],
        "department": world["dept_user"],
        "court": world["court_user"],
        "operator": world["operator"],
    }[role]


@pytest.fixture
def world(db, dept_user, court_staff, operator, ent_user, make_record):
    """A record of the enterprise recognised by the department, published, so ids in paths can be real."""
    record = make_record(dept_user, ent_user.subject)
    return {"dept_user": dept_user, "court_user": court_staff, "operator": operator, "ent_user": ent_user,
            "record": record}


def _envelope_problem(response):
    if response.status_code < 400:
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return f"error body is not JSON: {response.content[:200]!r}"
    if not isinstance(body, dict) or set(body) != ENVELOPE_KEYS:
        return f"error body is not the envelope {{code, message, details}}: {body!r}"[:500]
    if not (isinstance(body["code"], str) and body["code"] and isinstance(body["message"], str)
            and isinstance(body["details"], dict)):
        return f"error envelope has wrong types: {body!r}"[:500]
    return None


def _fuzz_operation(operation, headers, mode, examples, path_parameters=None):
    failures = []
    kwargs = {"path_parameters": path_parameters} if path_parameters else {}

    @given(case=operation.as_strategy(generation_mode=mode, **kwargs))
    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance],
                                   headers=headers)
        except (FailureGroup, AssertionError) as exc:  # keep one line per problem, go on fuzzing
            title = str(exc).strip().splitlines()[0]
            failures.append(((operation.label, response.status_code, title),
                             f"{case.method} {case.formatted_path} [{response.status_code}] {title}: "
                             f"{str(exc)[:1500]}"))
            return
        problem = _envelope_problem(response)
        if problem:
            failures.append(((operation.label, response.status_code, "envelope"),
                             f"{case.method} {case.formatted_path} [{response.status_code}]: {problem}"))

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to negate (an operation without parameters or body)
    except (FailureGroup, Exception) as exc:  # a failure hypothesis re-raises after the run
        title = str(exc).strip().splitlines()[0]
        failures.append(((operation.label, "run", title), f"{operation.label}: {str(exc)[:1500]}"))
    return failures


def _real_ids(operation, world):
    """Path parameters naming a real object of the world, when the operation's path takes a ``pk``."""
    names = {p.name for p in operation.path_parameters}
    if names == {"id"} or names == {"pk"}:
        return {next(iter(names)): world["record"].pk}
    return None


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_5xx_or_breaks_the_schema_or_the_error_envelope(
        role, api_schema, world, wsgi_in_test_transaction):
    user = _user_for(role, world)
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        failures += _fuzz_operation(operation, headers, GenerationMode.POSITIVE, POSITIVE)
        failures += _fuzz_operation(operation, headers, GenerationMode.NEGATIVE, NEGATIVE)
        real = _real_ids(operation, world)
        if real:
            failures += _fuzz_operation(operation, headers, GenerationMode.POSITIVE, ON_REAL_OBJECTS, real)
    seen, unique = set(), []
    for key, failure in failures:  # one example per (operation, status, kind of problem)
        if key not in seen:
            seen.add(key)
            unique.append(failure)
    assert not unique, f"{len(unique)} problem(s) as {role}:\n" + "\n".join(unique[:60])
