"""After-commit work of objections: the signed PDFs and telling the applicant (idempotent, retried), and the
catch-up of what a broker outage lost."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from creditrepair.audit.services import record_event
from creditrepair.core.mail import due_mail, send_outgoing_mail
from creditrepair.core.tasks import lost_since
from creditrepair.documents.models import Document, DocumentKind
from creditrepair.documents.services import issue_document
from creditrepair.workflow.owed import catch_up_documents

from .models import ApplicantNotice, Grounds, Objection, Outcome
from .selectors import review_request_until


def _record_context(record):
    return {"decision_no": record.decision_no, "department": record.department.name,
            "decision_date": record.decision_date, "summary": record.summary}


def _field_label(field):
    from creditrepair.records.models import Record

    return str(Record._meta.get_field(field).verbose_name)


def _local_day(moment):
    return timezone.localdate(moment) if moment else timezone.localdate()


def receipt_key(case):
    return f"objection-receipt:{case.case_no}"


def answer_key(case, stage):
    return f"objection-answer:{stage}:{case.case_no}"


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def issue_objection_receipt(self, case_id):
    """异议受理回执, issued on filing (once per case)."""
    case = Objection.objects.select_related("record__department", "subject").get(pk=case_id)
    from creditrepair.workflow.deadlines import deadlines_of

    with translation.override(settings.LANGUAGE_CODE):
        try:
            document = issue_document(
                kind=DocumentKind.OBJECTION_RECEIPT, template_name="documents/objection_receipt.html",
                context={
                    "subject": {"name": case.subject.name, "code": case.subject.code},
                    "record": _record_context(case.record),
                    "grounds_label": str(Grounds(case.grounds).label),
                    "statement": case.statement,
                    "requested_correction": [{"label": _field_label(f), "value": v}
                                             for f, v in case.requested_correction.items()],
                    "filed_on": _local_day(case.filed_at),
                    "accepted_on": _local_day(case.filed_at),
                    "answer_due": deadlines_of(case).get("total"),
                    "marked": True,
                },
                case_no=case.case_no, subject_code=case.subject.code, idempotency_key=receipt_key(case),
                owner=case, issued_by=case.created_by,
            )
        except Exception as exc:  # rendering/signing hiccup: retry, the key keeps it single
            raise self.retry(exc=exc) from exc
    return str(document.pk)


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def issue_objection_answer(self, case_id, stage="resolution"):
    """异议处理结果告知书: on resolution, and again after a review (``stage="review"``)."""
    case = Objection.objects.select_related("record__department", "subject").get(pk=case_id)
    review = stage == "review"
    outcome = case.review_outcome if review else case.outcome
    reason = case.review_reason if review else case.outcome_reason
    changes = case.review_corrections if review else case.corrections
    with translation.override(settings.LANGUAGE_CODE):
        if review:
            review_text = _("本告知书为复核结果，复核决定为最终处理结果。")
            decided = case.reviewed_at
        else:
            review_text = _("如对处理结果有异议，可于%(until)s前通过本平台申请复核。") % {
                "until": review_request_until(case).strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")}
            decided = case.decided_at
        try:
            document = issue_document(
                kind=DocumentKind.OBJECTION_ANSWER, template_name="documents/objection_answer.html",
                context={
                    "subject": {"name": case.subject.name, "code": case.subject.code},
                    "record": _record_context(case.record),
                    "filed_on": _local_day(case.filed_at),
                    "outcome": outcome,
                    "outcome_label": str(Outcome(outcome).label) + (_("（复核）") if review else ""),
                    "reason": reason,
                    "corrections": [{"label": _field_label(c["field"]), "old": c["old"], "new": c["new"]}
                                    for c in changes],
                    "resolved_on": _local_day(decided),
                    "review": review_text,
                },
                case_no=case.case_no, subject_code=case.subject.code, idempotency_key=answer_key(case, stage),
                owner=case, issued_by=case.reviewed_by if review else case.resolved_by,
            )
        except Exception as exc:
            raise self.retry(exc=exc) from exc
    record_event("objection.answer_issued", actor_label="system:objections", target=case,
                 subject_code=case.subject.code,
                 data={"case_no": case.case_no, "stage": stage, "document": str(document.pk), "outcome": outcome})
    return str(document.pk)


@shared_task
def notify_applicant(case_id, event):
    """Send the applicant's e-mail about ``event`` from the outbox (Django's mail; the console backend unless
    configured): once, retried with backoff by the catch-up, then marked failed (``creditrepair.core.mail``).
    Returns how many addresses it was sent to."""
    notice = ApplicantNotice.objects.select_related("objection__subject").filter(objection_id=case_id,
                                                                                  event=event).first()
    if notice is None or not send_outgoing_mail(ApplicantNotice, notice.pk):
        return 0
    case = notice.objection
    record_event("objection.applicant_notified", actor_label="system:objections", target=case,
                 subject_code=case.subject.code,
                 data={"case_no": case.case_no, "event": event, "sent": len(notice.recipients())})
    return len(notice.recipients())


def owed_documents(cases) -> dict:
    """The PDFs the state of each case requires (``workflow.owed.catch_up_documents``): the receipt from filing,
    the answer once an outcome is applied, the review's answer once the review is decided."""
    owed = {}
    for case in cases:
        owed[case.pk] = {receipt_key(case): (issue_objection_receipt, (case.pk,))}
        for stage, decided in (("resolution", case.outcome), ("review", case.review_outcome)):
            if decided:
                owed[case.pk][answer_key(case, stage)] = (issue_objection_answer, (case.pk, stage))
    return owed


@shared_task
def catch_up():
    """Beat: what a broker outage lost after commit — the receipts and answers a case's state requires but no
    message issued (cases marked as owed a document before ``lost_since()``), and the applicant's e-mails not sent
    (their retries included). Both tasks are idempotent, so a message that was only late does no harm."""
    documents = catch_up_documents(Objection, owed_documents, lost_since())
    notices = list(due_mail(ApplicantNotice.objects).order_by("id").values_list("objection_id", "event"))
    for case_id, event in notices:
        notify_applicant.delay(case_id, event)
    return {"documents": documents, "notifications": len(notices)}


def documents_of(case):
    """The case's issued documents, oldest first."""
    return Document.objects.filter(case_no=case.case_no).order_by("issued_at")
