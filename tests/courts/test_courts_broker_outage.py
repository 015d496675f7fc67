"""A broker that is down when a court's work is handed to Celery after commit: the court's action still succeeds,
and the beat's catch-up sweep (``courts.tasks.catch_up``) does the lost work once the broker is back."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from creditrepair.courts.models import CourtSuspension, CreditorNotice, SuspensionStatus
from creditrepair.courts.tasks import catch_up

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def test_a_suspension_filed_while_the_broker_is_down_is_saved_and_the_catch_up_issues_its_commitment(
    real_pdf, api, judge, make_listing, broker_down, django_capture_on_commit_callbacks, time_machine_days, caplog
):
    record = make_listing(judge).record
    with broker_down(), django_capture_on_commit_callbacks(execute=True) as handed_over:
        response = api.as_user(judge).post("/api/v1/court-suspensions", {
            "record": record.pk, "creditor_consent": True,
            "settlement": {"agreement_no": "HJ-2026-0077", "total_amount": "100000.00", "instalments": [
                {"due_date": (TODAY + dt.timedelta(days=30)).isoformat(), "amount": "100000.00"}]},
        }, format="json")
    assert response.status_code == 201, response.content
    assert handed_over and "Connection refused" in caplog.text  # the commitment's message never reached a broker
    case = CourtSuspension.objects.get(pk=response.json()["id"])
    assert case.status == SuspensionStatus.ACTIVE and case.commitment_document is None

    assert catch_up.delay().get()["commitments"] == 0  # just committed: not taken as lost yet
    with time_machine_days(1):  # the broker is back; the beat's next run
        assert catch_up.delay().get()["commitments"] == 1
    case.refresh_from_db()
    assert case.commitment_document is not None and case.commitment_document.kind == "court_commitment"
    with time_machine_days(1):
        assert catch_up.delay().get()["commitments"] == 0  # issued once


def test_a_breach_found_while_the_broker_is_down_keeps_its_creditor_notice_until_the_catch_up_sends_it(
    judge, make_listing, suspend, broker_down, django_capture_on_commit_callbacks, time_machine_days, capsys
):
    listing = make_listing(judge, decided=TODAY - dt.timedelta(days=90))
    case = suspend(judge, listing.record, due_dates=[TODAY - dt.timedelta(days=30)])
    with broker_down(), django_capture_on_commit_callbacks(execute=True) as handed_over:
        call_command("watch_instalments", "--today", TODAY.isoformat())  # the daily watch, run from cron
    assert case.case_no in capsys.readouterr().out
    case.refresh_from_db()
    assert case.status == SuspensionStatus.BREACH and handed_over
    notice = CreditorNotice.objects.get(suspension=case)
    assert notice.email and notice.sent_at is None and mail.outbox == []  # kept in the outbox

    with time_machine_days(1):
        assert catch_up.delay().get()["notices"] == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert len(mail.outbox) == 1 and case.case_no in mail.outbox[0].subject
    with time_machine_days(1):
        assert catch_up.delay().get()["notices"] == 0  # sent once
