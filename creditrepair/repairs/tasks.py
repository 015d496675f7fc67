"""Celery tasks of repair cases: the notices and certificates, issued after commit (idempotent), and the catch-up
of those a broker outage lost."""

from celery import shared_task

from creditrepair.core.tasks import lost_since
from creditrepair.workflow.owed import catch_up_documents

from .models import RepairCase


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def issue_case_document(self, case_id, kind):
    """Issue the ``kind`` document of a case once; a re-run returns the same signed document."""
    from .services import issue_case_document as issue

    case = RepairCase.objects.select_related("record", "record__department", "subject").get(pk=case_id)
    try:
        document = issue(case, kind)
    except Exception as exc:  # rendering or storage failed: retry later, the key keeps it idempotent
        raise self.retry(exc=exc)
    return str(document.pk)


@shared_task
def catch_up():
    """Beat: issue the notices and certificates a case's state requires but a lost message left unissued (the
    cases marked as owed a document before ``lost_since()``; see ``creditrepair.workflow.owed``)."""
    from .services import owed_documents

    return {"documents": catch_up_documents(RepairCase, owed_documents, lost_since())}
