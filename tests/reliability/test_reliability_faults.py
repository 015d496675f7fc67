"""Faults on PostgreSQL with real processes: a killed worker, a stopped broker, a failing partner, a lost database.

These tests start and stop what they break themselves — a private ``redis-server`` and dedicated Celery
workers on it — so the suite's own worker and broker are never disturbed; everything is stopped on the
way out, failures included.
"""

import datetime as dt
import http.server
import json
import threading
import time

import pytest
from celery import Celery
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.db.models import Count, F
from django.utils import timezone

from creditrepair.core.tasks import LOST_AFTER
from creditrepair.courts.models import CourtSuspension
from creditrepair.documents.models import Document
from creditrepair.imports.models import ImportJob, JobStatus
from creditrepair.objections.models import ApplicantNotice, Objection
from creditrepair.records.models import NoticeStatus, PartnerNotice, PublicationHistory, PublicationStatus, Record
from creditrepair.repairs.models import RepairCase
from tests import factories
from tests.celery_support import web_app_on
from tests.imports.conftest import csv_bytes, record_row
from tests.reliability.processes import PrivateRedis, Worker, running, wait_until

SWEEP_TASK = "creditrepair.records.tasks.stop_expired_publications"
DELIVERY_SWEEP_TASK = "creditrepair.records.tasks.deliver_pending_notices"
COURTS_CATCH_UP_TASK = "creditrepair.courts.tasks.catch_up"
IMPORTS_REQUEUE_TASK = "creditrepair.imports.tasks.requeue_lost_jobs"
REPAIRS_CATCH_UP_TASK = "creditrepair.repairs.tasks.catch_up"
OBJECTIONS_CATCH_UP_TASK = "creditrepair.objections.tasks.catch_up"


def client_app(broker_url):
    """A Celery client of the private broker (the suite's app keeps pointing at the suite's broker)."""
    client = Celery("reliability-client", set_as_current=False)
    # Not ``broker=``: CELERY_BROKER_URL in the environment (the suite's broker) would win over it.
    client.conf.update(broker_write_url=broker_url, broker_read_url=broker_url)
    return client


class Endpoint:
    """A partner's webhook on loopback: records each POST and answers ``status``."""

    def __init__(self, status=200):
        self.status, self.received = status, []
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                endpoint.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(endpoint.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/notices"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


# --------------------------------------------------------------------------- the worker killed mid-sweep

RECORDS = 100_000


def _bulk_expired_records(department, count):
    """``count`` published records past their maximum period, written set-based (not through the services)."""
    subject = factories.SubjectFactory()
    today = timezone.localdate()
    decided = today - dt.timedelta(days=1200)
    batch = []
    for n in range(count):
        batch.append(Record(
            subject=subject, department=department, category="admin_penalty", severity="general",
            decision_no=f"雅测罚〔2023〕{n}号", decision_date=decided, summary="批量测试记录", jurisdiction="510100",
            rule_set_code="national-2026", status=PublicationStatus.PUBLISHED, published_from=decided,
            min_until=decided + dt.timedelta(days=90), max_until=today - dt.timedelta(days=1),
        ))
        if len(batch) == 10_000:
            Record.objects.bulk_create(batch)
            batch = []
    Record.objects.bulk_create(batch)


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sweep_leaves_every_record_stopped_exactly_once_after_restart(department, tmp_path):
    partners = [factories.MeasureFactory(category="admin_penalty").partner for _ in range(2)]
    _bulk_expired_records(department, RECORDS)
    queue = f"reliability-sweep-{time.monotonic_ns()}"
    broker = PrivateRedis().start()
    worker = Worker(broker.url, queues=(queue,), log_dir=tmp_path)
    with running(worker, broker):
        worker.start()
        client = client_app(broker.url)
        client.send_task(SWEEP_TASK, queue=queue)
        expiry = PublicationHistory.objects.filter(reason="expiry")
        wait_until(lambda: expiry.count() >= RECORDS // 4, 240, interval=0.05, message="the sweep to get going")
        worker.kill()  # SIGKILL, half-way

        stopped = expiry.count()
        assert 0 < stopped < RECORDS, "the kill must land in the middle of the sweep"
        # Batches are transactions: what was committed is whole (history, status and notices together).
        assert Record.objects.filter(status=PublicationStatus.EXPIRED).count() == stopped
        assert PartnerNotice.objects.count() == stopped * len(partners)

        worker.start()  # the next run (the beat's next tick) picks up exactly what is left
        client.send_task(SWEEP_TASK, queue=queue)
        wait_until(lambda: not Record.objects.filter(status=PublicationStatus.PUBLISHED).exists(), 300,
                   interval=0.5, message="the second run to stop the rest")
        wait_until(lambda: "succeeded" in worker.log.read_text(errors="replace"), 60,
                   message="the second run to finish")

    assert Record.objects.filter(status=PublicationStatus.PUBLISHED).count() == 0
    assert Record.objects.filter(status=PublicationStatus.EXPIRED).count() == RECORDS
    assert expiry.count() == RECORDS
    assert expiry.values("record_id").distinct().count() == RECORDS  # no record stopped twice
    assert PartnerNotice.objects.count() == RECORDS * len(partners)
    assert not PartnerNotice.objects.values("record_id", "partner_id").annotate(n=Count("id")).filter(n__gt=1).exists()


# --------------------------------------------------------------------------- the broker down during an approval


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_an_approval_while_the_broker_is_down_commits_and_its_notices_go_out_when_it_returns(
        ent_user, operator, dept_user, repairable_record, walk, api, tmp_path):
    from creditrepair.celery import app

    endpoint = Endpoint()
    partners = [factories.MeasureFactory(partner=factories.PartnerFactory(webhook_url=endpoint.url,
                                                                          webhook_secret=f"s{n}"),
                                         category="admin_penalty").partner for n in range(2)]
    case = walk.accepted(ent_user, repairable_record(), operator)
    broker = PrivateRedis().start()
    worker = Worker(broker.url, log_dir=tmp_path)
    with running(worker, broker, endpoint), web_app_on(app, broker.url):
        assert app.connection_for_write().as_uri().endswith(f":{broker.port}/0")
        broker.kill()  # the broker is gone while the department approves
        started = time.monotonic()
        response = api.as_user(dept_user).post(f"/api/v1/repairs/{case.pk}/approve", {"reason": "同意修复"},
                                               format="json")
        assert response.status_code == 200, response.content
        assert time.monotonic() - started < 30, "the user must not wait for the broker"
        case.refresh_from_db()
        assert case.status == "completed"
        notices = PartnerNotice.objects.filter(record=case.record)
        assert notices.count() == len(partners)
        assert set(notices.values_list("status", flat=True)) == {NoticeStatus.PENDING}  # in the outbox
        assert endpoint.received == []

        broker.start()  # the broker returns (same port), a worker consumes it
        worker.start()
        client_app(broker.url).send_task(DELIVERY_SWEEP_TASK)  # the beat's outbox sweep
        wait_until(lambda: notices.filter(status=NoticeStatus.DELIVERED).count() == len(partners), 90,
                   message="the outbox sweep to deliver every notice")
    assert sorted(n["id"] for n in endpoint.received) == sorted(notices.values_list("id", flat=True))


# --------------------------------------------------------------------------- the broker down for courts and imports


def _taken_as_lost(queryset, field="created_at"):
    """Age committed rows past ``LOST_AFTER``: the beat's next catch-up run, after the outage."""
    queryset.update(**{field: F(field) - LOST_AFTER - dt.timedelta(seconds=1)})


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_suspension_filed_while_the_broker_is_down_commits_and_its_commitment_is_issued_when_it_returns(
        judge, make_listing, api, tmp_path):
    from creditrepair.celery import app

    record = make_listing(judge).record
    broker = PrivateRedis().start()
    worker = Worker(broker.url, log_dir=tmp_path)
    with running(worker, broker), web_app_on(app, broker.url):
        broker.kill()  # the broker is gone while the court files the suspension
        started = time.monotonic()
        response = api.as_user(judge).post("/api/v1/court-suspensions", {
            "record": record.pk, "creditor_consent": True,
            "settlement": {"agreement_no": "HJ-2026-0099", "total_amount": "80000.00", "instalments": [
                {"due_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(), "amount": "80000.00"}]},
        }, format="json")
        assert response.status_code == 201, response.content
        assert time.monotonic() - started < 30, "the user must not wait for the broker"
        cases = CourtSuspension.objects.filter(pk=response.json()["id"])
        assert cases.get().status == "active" and cases.get().commitment_document_id is None

        broker.start()  # the broker returns (same port), a worker consumes it
        worker.start()
        _taken_as_lost(cases)
        client_app(broker.url).send_task(COURTS_CATCH_UP_TASK)  # the beat's catch-up
        wait_until(lambda: cases.filter(commitment_document__isnull=False).exists(), 120,
                   message="the catch-up to issue the commitment")
    assert cases.get().commitment_document.kind == "court_commitment"


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_an_import_uploaded_while_the_broker_is_down_is_accepted_and_runs_when_it_returns(client, dept_user, tmp_path):
    from creditrepair.celery import app

    client.force_login(dept_user)
    broker = PrivateRedis().start()
    worker = Worker(broker.url, log_dir=tmp_path)
    with running(worker, broker), web_app_on(app, broker.url):
        broker.kill()  # the broker is gone while the department uploads
        started = time.monotonic()
        upload = SimpleUploadedFile("五月.csv", csv_bytes([record_row() for _ in range(3)]))
        response = client.post("/imports/", {"file": upload})
        assert time.monotonic() - started < 30, "the user must not wait for the broker"
        jobs = ImportJob.objects.filter(department=dept_user.department)
        assert response.status_code == 302 and response["Location"] == f"/imports/{jobs.get().pk}/"
        assert jobs.get().status == JobStatus.PENDING

        broker.start()
        worker.start()
        _taken_as_lost(jobs)
        client_app(broker.url).send_task(IMPORTS_REQUEUE_TASK)  # the beat's sweep
        wait_until(lambda: jobs.get().finished, 120, message="the requeued job to run")
    assert (jobs.get().status, jobs.get().created) == (JobStatus.DONE, 3)
    assert Record.objects.filter(department=dept_user.department).count() == 3


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_repair_accepted_while_the_broker_is_down_commits_and_its_acceptance_notice_is_issued_when_it_returns(
        ent_user, operator, repairable_record, walk, api, tmp_path):
    from creditrepair.celery import app

    case = walk.submitted(ent_user, repairable_record())
    broker = PrivateRedis().start()
    worker = Worker(broker.url, log_dir=tmp_path)
    with running(worker, broker), web_app_on(app, broker.url):
        broker.kill()  # the broker is gone while the operator accepts
        started = time.monotonic()
        response = api.as_user(operator).post(f"/api/v1/repairs/{case.pk}/accept", format="json")
        assert response.status_code == 200, response.content
        assert time.monotonic() - started < 30, "the user must not wait for the broker"
        cases = RepairCase.objects.filter(pk=case.pk)
        notices = Document.objects.filter(case_no=case.case_no, kind="acceptance_notice")
        assert cases.get().status == "accepted" and not notices.exists()

        broker.start()  # the broker returns (same port), a worker consumes it
        worker.start()
        _taken_as_lost(cases, "documents_due_at")
        client_app(broker.url).send_task(REPAIRS_CATCH_UP_TASK)  # the beat's catch-up
        wait_until(notices.exists, 120, message="the catch-up to issue the acceptance notice")
        client_app(broker.url).send_task(REPAIRS_CATCH_UP_TASK)  # the next run sees it issued
        wait_until(lambda: cases.get().documents_due_at is None, 60, message="the next run to unmark the case")
    assert notices.count() == 1


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_an_objection_filed_while_the_broker_is_down_commits_and_its_receipt_and_email_follow_when_it_returns(
        ent_user, make_record, dept_user, enterprise, api, tmp_path):
    from creditrepair.celery import app

    ent_user.email = "ent@example.cn"
    ent_user.save()
    record = make_record(dept_user, enterprise, decided=timezone.localdate() - dt.timedelta(days=60))
    broker = PrivateRedis().start()
    worker = Worker(broker.url, log_dir=tmp_path)
    with running(worker, broker), web_app_on(app, broker.url):
        broker.kill()  # the broker is gone while the subject files
        started = time.monotonic()
        response = api.as_user(ent_user).post("/api/v1/objections", {
            "record": record.pk, "grounds": "error", "statement": "罚款金额有误"}, format="json")
        assert response.status_code == 201, response.content
        assert time.monotonic() - started < 30, "the user must not wait for the broker"
        cases = Objection.objects.filter(pk=response.json()["id"])
        receipts = Document.objects.filter(case_no=cases.get().case_no, kind="objection_receipt")
        emails = ApplicantNotice.objects.filter(objection__in=cases)
        assert not receipts.exists() and emails.get().sent_at is None  # the e-mail waits in the outbox

        broker.start()
        worker.start()
        _taken_as_lost(cases, "documents_due_at")
        _taken_as_lost(emails, "next_attempt_at")
        client_app(broker.url).send_task(OBJECTIONS_CATCH_UP_TASK)  # the beat's catch-up
        wait_until(lambda: receipts.exists() and emails.get().sent_at, 120,
                   message="the catch-up to issue the receipt and send the e-mail")
    assert receipts.count() == 1 and emails.get().attempts == 1


# --------------------------------------------------------------------------- a partner's webhook failing


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failing_webhook_is_retried_with_backoff_then_escalated_into_the_operators_queue(
        dept_user, make_record, operators_admin_list):
    from creditrepair.records.delivery import due_push_notice_ids, escalate_overdue_notices
    from creditrepair.records.tasks import deliver_pending_notices

    endpoint = Endpoint(status=503)
    try:
        partner = factories.PartnerFactory(webhook_url=endpoint.url, webhook_secret="s3cret")
        factories.MeasureFactory(partner=partner, category="admin_penalty")
        record = make_record(dept_user)
        from creditrepair.records.services import publication_change

        publication_change(record, reason="repair", actor=dept_user)  # delivery attempt 1 (eager, after commit)
        notice = PartnerNotice.objects.get(record=record)
        waits = []
        for attempt in range(1, 4):
            notice.refresh_from_db()
            assert notice.status == NoticeStatus.FAILED and notice.attempts == attempt
            assert "503" in notice.last_error
            waits.append(notice.next_attempt_at - timezone.now())
            assert notice.pk not in due_push_notice_ids()  # not before its backoff is over
            PartnerNotice.objects.filter(pk=notice.pk).update(next_attempt_at=timezone.now())
            deliver_pending_notices()  # the beat's outbox sweep retries it
        assert waits[0] < waits[1] < waits[2]  # exponential backoff
        assert len(endpoint.received) == 4

        notice.refresh_from_db()
        assert escalate_overdue_notices(today=notice.ack_due) == 0  # not before the rule set's working days
        assert escalate_overdue_notices(today=notice.ack_due + dt.timedelta(days=1)) == 1
        notice.refresh_from_db()
        assert notice.escalated_at is not None

        assert operators_admin_list("/admin/records/partnernotice/", escalated_at__isempty="0") == [notice.pk]
    finally:
        endpoint.stop()


# --------------------------------------------------------------------------- the database lost mid-request


def terminate_this_connection():
    """Have the server end this thread's database connection, as a failover or a network cut would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_connection_dropped_mid_filing_answers_503_and_writes_nothing(
        ent_user, repairable_record, api, monkeypatch):
    from creditrepair.repairs import services
    from creditrepair.workflow import gateway

    record = repairable_record()
    real_start = gateway.start

    def start_then_lose_the_database(flow_class, case, *, actor=None):
        terminate_this_connection()
        return real_start(flow_class, case, actor=actor)

    monkeypatch.setattr(services.gateway, "start", start_then_lose_the_database)
    response = api.as_user(ent_user).post("/api/v1/repairs", {"record": record.pk, "statement": "已整改"},
                                          format="json")
    assert response.status_code == 503, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "service_unavailable"
    assert response["Retry-After"]
    connection.close()  # the test's own connection was the one terminated
    assert not RepairCase.objects.filter(record=record).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_connection_dropped_during_a_page_answers_a_plain_503_page(client, enterprise):
    from django.test import modify_settings

    terminate_this_connection()
    # (idempotent when settings already list the middleware)
    with modify_settings(MIDDLEWARE={"append": "creditrepair.core.middleware.DatabaseUnavailableMiddleware"}):
        response = client.get("/lookup/", {"code": enterprise.code})  # the public lookup reads the database
    connection.close()
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html") and response["Retry-After"]
    assert "服务暂时不可用" in response.content.decode()
