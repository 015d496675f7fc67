"""Fixtures shared by every test area: one user of each role, records made through the services."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from pytest_django.fixtures import validate_django_db
from rest_framework.test import APIClient

from creditrepair.records.services import record_create

from tests import factories
from tests.audit_support import TABLE as AUDIT_TABLE
from tests.audit_support import append_only_lifted
from tests.celery_support import down_broker_url, unused_loopback_port, web_app_on

_decision_serial = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` only mean something on PostgreSQL (row locks, concurrency)."""
    # The vendor is known from settings before the database is set up.
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if not on_postgres:
        skip = pytest.mark.skip(reason="PostgreSQL-only behaviour; runs in the PostgreSQL pass of .ci/run")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def department(db):
    return factories.DepartmentFactory(name="雅安市市场监督管理局")


@pytest.fixture
def other_department(db):
    return factories.DepartmentFactory(name="雅安市税务局")


@pytest.fixture
def dept_user(department):
    return factories.department_user(department)


@pytest.fixture
def other_dept_user(other_department):
    return factories.department_user(other_department)


@pytest.fixture
def court_staff(db):
    return factories.court_user()


@pytest.fixture
def operator(db):
    return factories.operator_user()


@pytest.fixture
def enterprise(db):
    return factories.SubjectFactory(name="雅安青衣江茶业有限公司")


@pytest.fixture
def ent_user(enterprise):
    return factories.subject_user(enterprise)


@pytest.fixture
def other_ent_user(db):
    return factories.subject_user()


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` authenticates it."""

    class Client(APIClient):
        def as_user(self, user):
            self.force_authenticate(user)
            return self

    return Client()


@pytest.fixture
def make_record(db):
    """Create a record through the service, as its department would."""

    def make(actor, subject=None, *, decided=None, severity="general", category="admin_penalty", **extra):
        subject = subject or factories.SubjectFactory()
        return record_create(
            actor=actor,
            subject={"code": subject.code, "name": subject.name, "type": subject.type},
            category=category,
            severity=severity,
            decision_no=extra.pop("decision_no", f"雅测罚〔2026〕{next(_decision_serial)}号"),
            decision_date=decided or (dt.date.today() - dt.timedelta(days=150)),
            summary=extra.pop("summary", "未按规定公示年度报告"),
            legal_basis=extra.pop("legal_basis", "《企业信息公示暂行条例》第八条"),
            **extra,
        )

    return make


def on_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def time_machine_days(monkeypatch):
    """Shift ``timezone.now``/``localdate`` by N days inside a ``with`` block."""
    import contextlib

    from django.utils import timezone

    real_now = timezone.now

    @contextlib.contextmanager
    def shift(days):
        with monkeypatch.context() as m:
            m.setattr(timezone, "now", lambda: real_now() + dt.timedelta(days=days))
            yield

    return shift


@pytest.fixture
def at_date(monkeypatch):
    """Freeze ``timezone.now`` at noon (Asia/Shanghai) of a given date inside a ``with`` block."""
    import contextlib
    import zoneinfo

    from django.utils import timezone

    @contextlib.contextmanager
    def freeze(day):
        moment = dt.datetime.combine(day, dt.time(12, 0), tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
        with monkeypatch.context() as m:
            m.setattr(timezone, "now", lambda: moment)
            yield

    return freeze


_TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _transactional_db_in_use(item):
    """Whether ``item`` set up a transactional test database (so a flush will follow)."""
    funcargs = getattr(item, "funcargs", {})  # filled only by a completed fixture set-up
    marker = item.get_closest_marker("django_db")
    if marker and any(validate_django_db(marker)[:2]) and "_django_db_marker" in funcargs:
        return True  # transaction=True or reset_sequences=True
    return bool(_TRANSACTIONAL_FIXTURES & set(funcargs))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Before a transactional test's flush, empty the audit table past its triggers.

    Django flushes SQLite with ``DELETE``, which the append-only triggers refuse
    (PostgreSQL flushes with ``TRUNCATE``, which row triggers do not see). This
    runs before the fixtures are torn down, so before the flush.
    """
    if connection.vendor == "sqlite" and _transactional_db_in_use(item) and not connection.in_atomic_block:
        with append_only_lifted() as cursor:
            cursor.execute(f"DELETE FROM {AUDIT_TABLE}")
    return (yield)


@pytest.fixture
def broker_down():
    """``with broker_down():`` the web process's Celery app publishes to a broker that is down (every connection
    refused) instead of running tasks in-process; afterwards it is as before (the broker is back)."""
    from creditrepair.celery import app

    return lambda: web_app_on(app, down_broker_url())


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``committed(fn, *args)``: call ``fn`` and run what it scheduled after commit (documents, notices)."""

    from creditrepair.celery import app as celery_app

    def run(fn, *args, **kwargs):
        # Tasks run in-process here, inside the test's transaction, even when a broker is configured
        # (a worker could not see uncommitted test data); test_repairs_worker.py covers the real worker.
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        try:
            with django_capture_on_commit_callbacks(execute=True):
                result = fn(*args, **kwargs)
        finally:
            celery_app.conf.task_always_eager = eager
        if hasattr(result, "refresh_from_db"):
            result.refresh_from_db()
        return result

    return run


@pytest.fixture
def operators_admin_list(client, operator):
    """``operators_admin_list(url, **filters)``: the ids an admin change list shows the operator (staff, as in the
    demo) under ``filters`` — the operator's queues of what needs a human (escalated notices, failed e-mails)."""
    operator.is_staff = True
    operator.save()
    client.force_login(operator)

    def listed(url, **filters):
        response = client.get(url, filters)
        assert response.status_code == 200
        return [obj.pk for obj in response.context["cl"].result_list]

    return listed


@pytest.fixture
def mail_server_down():
    """``with mail_server_down():`` e-mail is sent by SMTP to a loopback port nothing listens on (every send is
    refused, as by a mail server that is down); afterwards the suite's in-memory outbox is back."""
    from django.test import override_settings

    return lambda: override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                                     EMAIL_HOST="127.0.0.1", EMAIL_PORT=unused_loopback_port(), EMAIL_TIMEOUT=5)


@pytest.fixture(autouse=True)
def _tasks_eager_unless_worker_test(request):
    """Tasks run in-process except in tests marked ``celery_worker``.

    Most tests run inside a transaction that is rolled back, which a real worker
    could never see; they prove the business logic. Tests marked
    ``celery_worker`` (transactional, run in the PostgreSQL pass of .ci/run with
    a real worker on Redis) prove the production path.
    """
    from creditrepair.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous
