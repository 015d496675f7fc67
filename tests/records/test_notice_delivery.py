"""Partner notices: pushed with an HMAC signature, retried with backoff, pulled from the feed, acknowledged."""

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from creditrepair.records.delivery import SIGNATURE_HEADER, escalate_overdue_notices, push_notice
from creditrepair.records.models import NoticeStatus, PartnerNotice
from creditrepair.records.services import publication_change
from tests.factories import MeasureFactory, PartnerFactory


class PartnerEndpoint:
    """A partner's webhook on loopback that records what it receives and answers ``status``."""

    def __init__(self, status=200):
        self.status, self.received = status, []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                endpoint.received.append((self.headers[SIGNATURE_HEADER], body))
                self.send_response(endpoint.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/notices"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def endpoint():
    server = PartnerEndpoint()
    yield server
    server.close()


def push_partner(url):
    partner = PartnerFactory(webhook_url=url, webhook_secret="s3cret")
    MeasureFactory(partner=partner, category="admin_penalty")
    return partner


def test_a_notice_is_pushed_signed_with_the_partners_secret(dept_user, make_record, endpoint,
                                                            django_capture_on_commit_callbacks):
    push_partner(endpoint.url)
    record = make_record(dept_user)
    with django_capture_on_commit_callbacks(execute=True):
        publication_change(record, reason="repair", actor=dept_user)
    notice = PartnerNotice.objects.get(record=record)
    assert notice.status == NoticeStatus.DELIVERED and notice.attempts == 1
    signature, body = endpoint.received[0]
    assert signature == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert json.loads(body)["to_status"] == "repaired"


def test_a_failing_webhook_is_retried_with_backoff(dept_user, make_record):
    failing = PartnerEndpoint(status=503)
    try:
        push_partner(failing.url)
        record = make_record(dept_user)
        publication_change(record, reason="repair", actor=dept_user)
        notice = PartnerNotice.objects.get(record=record)
        assert push_notice(notice.id) == NoticeStatus.FAILED
        notice.refresh_from_db()
        first_wait = notice.next_attempt_at - timezone.now()
        assert push_notice(notice.id) == NoticeStatus.FAILED
        notice.refresh_from_db()
        assert notice.attempts == 2 and "503" in notice.last_error
        assert notice.next_attempt_at - timezone.now() > first_wait  # exponential backoff
        failing.status = 200
        assert push_notice(notice.id) == NoticeStatus.DELIVERED
    finally:
        failing.close()


def test_unacknowledged_notices_are_escalated_once_after_their_limit(dept_user, make_record):
    MeasureFactory(category="admin_penalty")
    record = make_record(dept_user)
    publication_change(record, reason="repair", actor=dept_user)
    notice = PartnerNotice.objects.get(record=record)
    assert escalate_overdue_notices(today=notice.ack_due) == 0
    assert escalate_overdue_notices(today=notice.ack_due + dt.timedelta(days=1)) == 1
    assert escalate_overdue_notices(today=notice.ack_due + dt.timedelta(days=2)) == 0


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_outbox_after_the_change_commits(dept_user, make_record, endpoint):
    push_partner(endpoint.url)
    record = make_record(dept_user)
    publication_change(record, reason="repair", actor=dept_user)
    deadline = time.monotonic() + 60
    while not endpoint.received and time.monotonic() < deadline:
        time.sleep(0.2)
    assert endpoint.received, "the worker never pushed the notice"
    for _ in range(50):
        if PartnerNotice.objects.get(record=record).status == NoticeStatus.DELIVERED:
            break
        time.sleep(0.2)
    assert PartnerNotice.objects.get(record=record).status == NoticeStatus.DELIVERED
