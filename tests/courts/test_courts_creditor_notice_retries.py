"""A creditor's notice the mail server keeps refusing: retried by the catch-up with a growing wait, given up after
``OUTGOING_MAIL_MAX_ATTEMPTS`` attempts and then listed for the operator (admin filter "发送失败时间")."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from creditrepair.courts import services
from creditrepair.courts.models import CreditorNotice
from creditrepair.courts.tasks import catch_up

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def test_a_creditor_notice_refused_by_the_mail_server_is_retried_with_backoff_then_marked_failed_for_the_operator(
        judge, make_listing, suspend, operators_admin_list, settings, mail_server_down, time_machine_days,
        django_capture_on_commit_callbacks):
    settings.OUTGOING_MAIL_MAX_ATTEMPTS = 3
    listing = make_listing(judge, decided=TODAY - dt.timedelta(days=90))
    case = suspend(judge, listing.record, due_dates=[TODAY - dt.timedelta(days=30)])
    with mail_server_down():
        with django_capture_on_commit_callbacks(execute=True):
            services.watch_instalments(TODAY)  # the breach; its notice's first attempt after commit
        notice = CreditorNotice.objects.get(suspension=case)
        waits = [notice.next_attempt_at - timezone.now()]
        assert catch_up()["notices"] == 0  # not before its backoff is over
        for day in (1, 2):
            notice.refresh_from_db()
            assert (notice.attempts, notice.sent_at, notice.failed_at) == (day, None, None)
            assert "Connection refused" in notice.last_error
            with time_machine_days(day):  # the beat's next runs, the server still down
                assert catch_up()["notices"] == 1
                notice.refresh_from_db()
                if notice.next_attempt_at:
                    waits.append(notice.next_attempt_at - timezone.now())
    assert dt.timedelta(seconds=50) < waits[0] <= dt.timedelta(minutes=1)
    assert dt.timedelta(seconds=110) < waits[1] <= dt.timedelta(minutes=2)  # doubled
    assert notice.attempts == 3 and notice.failed_at is not None and notice.next_attempt_at is None
    assert "Connection refused" in notice.last_error

    with time_machine_days(3):  # the server is back: a notice given up is not tried again
        assert catch_up()["notices"] == 0
    notice.refresh_from_db()
    assert notice.sent_at is None and notice.attempts == 3 and mail.outbox == []

    assert operators_admin_list("/admin/courts/creditornotice/", failed_at__isempty="0") == [notice.pk]
    assert operators_admin_list("/admin/courts/creditornotice/", failed_at__isempty="1") == []


def test_a_creditor_notice_sent_at_the_second_attempt_is_sent_once(
        judge, make_listing, suspend, mail_server_down, time_machine_days, django_capture_on_commit_callbacks):
    listing = make_listing(judge, decided=TODAY - dt.timedelta(days=90))
    case = suspend(judge, listing.record, due_dates=[TODAY - dt.timedelta(days=30)])
    with mail_server_down(), django_capture_on_commit_callbacks(execute=True):
        services.watch_instalments(TODAY)
    with time_machine_days(1):
        assert catch_up()["notices"] == 1
        assert catch_up()["notices"] == 0
    notice = CreditorNotice.objects.get(suspension=case)
    assert notice.attempts == 2 and notice.sent_at is not None and notice.last_error == ""
    assert len(mail.outbox) == 1 and case.case_no in mail.outbox[0].subject
