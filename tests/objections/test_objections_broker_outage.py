"""A broker that is down when an objection's PDF or the applicant's e-mail is handed to Celery after commit: the
action still succeeds, the e-mail waits in the outbox, and the beat's catch-up (``objections.tasks.catch_up``)
issues the receipt or answer the case's state requires and sends the e-mail, once."""

import pytest
from django.core import mail

from creditrepair.documents.models import Document
from creditrepair.objections import services
from creditrepair.objections.models import ApplicantNotice, Objection
from creditrepair.objections.tasks import catch_up

pytestmark = pytest.mark.django_db

NOTHING = {"documents": 0, "notifications": 0}


def issued(case, kind):
    return Document.objects.filter(case_no=case.case_no, kind=kind).count()


@pytest.fixture
def applicant(ent_user):
    ent_user.email = "ent@example.cn"
    ent_user.save()
    return ent_user


@pytest.fixture
def while_broker_down(broker_down, django_capture_on_commit_callbacks, caplog):
    """``while_broker_down(fn, *args, **kwargs)``: run an action while the broker is down (its messages are lost)."""

    def run(fn, *args, **kwargs):
        with broker_down(), django_capture_on_commit_callbacks(execute=True) as handed_over:
            result = fn(*args, **kwargs)
        assert handed_over and "Connection refused" in caplog.text
        return result

    return run


def test_an_objection_filed_while_the_broker_is_down_is_filed_and_the_catch_up_issues_its_receipt_and_emails_once(
        api, applicant, published_record, while_broker_down, time_machine_days):
    response = while_broker_down(api.as_user(applicant).post, "/api/v1/objections",
                                 {"record": published_record.pk, "grounds": "error", "statement": "金额有误"},
                                 format="json")
    assert response.status_code == 201, response.content
    case = Objection.objects.get(pk=response.json()["id"])
    assert case.status == "submitted" and issued(case, "objection_receipt") == 0
    notice = ApplicantNotice.objects.get(objection=case)
    assert (notice.event, notice.emails, notice.sent_at) == ("filed", ["ent@example.cn"], None)
    assert mail.outbox == []  # kept in the outbox

    assert catch_up.delay().get() == NOTHING  # just committed: not taken as lost yet
    with time_machine_days(1):  # the broker is back; the beat's next run
        assert catch_up.delay().get() == {"documents": 1, "notifications": 1}
    assert issued(case, "objection_receipt") == 1
    assert [m.to for m in mail.outbox] == [["ent@example.cn"]] and case.case_no in mail.outbox[0].body
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 1
    with time_machine_days(1):
        assert catch_up.delay().get() == NOTHING  # issued and sent once
    assert issued(case, "objection_receipt") == 1 and len(mail.outbox) == 1


def test_an_outcome_applied_while_the_broker_is_down_gets_its_answer_and_email_from_the_catch_up_once(
        applicant, published_record, file_objection, operator, dept_user, committed, while_broker_down,
        time_machine_days):
    case = committed(file_objection, published_record)
    committed(services.objection_accept, case, actor=operator)
    sent_before = len(mail.outbox)
    while_broker_down(services.objection_resolve, case, actor=dept_user, outcome="kept", reason="信息无误")
    case.refresh_from_db()
    assert case.status == "resolved" and issued(case, "objection_answer") == 0

    with time_machine_days(1):
        assert catch_up.delay().get() == {"documents": 1, "notifications": 1}
        assert catch_up.delay().get() == NOTHING
    answer = Document.objects.get(case_no=case.case_no, kind="objection_answer")
    assert answer.context["outcome"] == "kept" and issued(case, "objection_receipt") == 1
    told = mail.outbox[sent_before:]
    assert len(told) == 1 and "维持原信息" in told[0].body


def test_a_review_decided_while_the_broker_is_down_gets_its_second_answer_and_email_from_the_catch_up_once(
        applicant, published_record, file_objection, operator, dept_user, committed, while_broker_down,
        time_machine_days):
    case = committed(file_objection, published_record)
    committed(services.objection_accept, case, actor=operator)
    committed(services.objection_resolve, case, actor=dept_user, outcome="kept", reason="信息无误")
    committed(services.objection_request_review, case, actor=applicant, statement="仍有误")
    sent_before = len(mail.outbox)
    while_broker_down(services.objection_review_decide, case, actor=operator, outcome="removed", reason="经复核移出")
    assert issued(case, "objection_answer") == 1  # the resolution's answer only

    with time_machine_days(1):
        assert catch_up.delay().get() == {"documents": 1, "notifications": 1}
        assert catch_up.delay().get() == NOTHING
    assert issued(case, "objection_answer") == 2
    review = Document.objects.get(idempotency_key=f"objection-answer:review:{case.case_no}")
    assert review.context["outcome"] == "removed"
    told = mail.outbox[sent_before:]
    assert len(told) == 1 and "移出名单" in told[0].body


def test_an_applicants_email_refused_by_the_mail_server_is_retried_by_the_catch_up_until_it_is_sent(
        applicant, published_record, file_objection, committed, mail_server_down, time_machine_days):
    with mail_server_down():
        case = committed(file_objection, published_record)
        notice = ApplicantNotice.objects.get(objection=case, event="filed")
        assert (notice.sent_at, notice.attempts) == (None, 1) and "Connection refused" in notice.last_error
        assert catch_up.delay().get() == NOTHING  # not before its backoff is over
        with time_machine_days(1):
            assert catch_up.delay().get()["notifications"] == 1  # the server is still down
        notice.refresh_from_db()
        assert (notice.sent_at, notice.attempts, notice.failed_at) == (None, 2, None)
    with time_machine_days(2):  # the mail server is back
        assert catch_up.delay().get()["notifications"] == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 3 and notice.last_error == ""
    assert [m.to for m in mail.outbox] == [["ent@example.cn"]]


def test_an_applicant_without_an_email_address_is_not_emailed_and_nothing_waits_for_the_catch_up(
        ent_user, published_record, file_objection, committed, time_machine_days):
    case = committed(file_objection, published_record)
    notice = ApplicantNotice.objects.get(objection=case, event="filed")
    assert notice.emails == [] and notice.next_attempt_at is None and mail.outbox == []
    with time_machine_days(1):
        assert catch_up.delay().get() == NOTHING
