"""The PDFs a case is owed after commit, and the catch-up that issues those a lost message left undone.

An action that owes a case a document calls ``owe_document`` in its transaction: the case is marked
(``OwesDocuments.documents_due_at``) and the issuing task is handed to Celery after commit. A broker outage loses
the message but not the mark. The area's beat task then calls ``catch_up_documents``: it reads only the cases
marked before ``lost_since()`` (an index of the marked rows), asks the area which documents each case's state
requires (``owed``), and queues the issuing of those that do not exist. A case with nothing missing is unmarked.
Documents are idempotent by their key, so a message that was only late, or a second run, issues nothing twice.

A document whose issuing keeps failing (a template or a key that is broken, not a lost message) is queued again by
at most ``DOCUMENT_CATCH_UP_MAX_RUNS`` sweeps; then the sweep logs an error and leaves the case, still marked, to
the operator (``stuck_cases``; the admin lists them and re-queues them with ``requeue_documents`` once mended).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from creditrepair.core.tasks import delay_on_commit
from creditrepair.documents.models import Document

BATCH_SIZE = 500

logger = logging.getLogger(__name__)


def owe_document(case, task, *args):
    """In the caller's transaction: mark ``case`` as owed a document, and queue ``task.delay(*args)`` (the
    idempotent issuing of that document) after commit."""
    now = timezone.now()
    type(case).objects.filter(pk=case.pk).update(documents_due_at=now, documents_catch_ups=0)
    case.documents_due_at, case.documents_catch_ups = now, 0
    delay_on_commit(task, *args)


def stuck_cases(queryset):
    """The cases of ``queryset`` the catch-up gave up on: still owed a document after the last allowed sweep."""
    return queryset.filter(documents_due_at__isnull=False,
                           documents_catch_ups__gte=settings.DOCUMENT_CATCH_UP_MAX_RUNS)


def requeue_documents(queryset, actor) -> int:
    """Give the cases of ``queryset`` the catch-up gave up on a new round of sweeps (the operator ``actor``, after
    mending the cause), each recorded in the audit trail; returns how many."""
    from creditrepair.audit.services import record_event

    with transaction.atomic():
        cases = list(stuck_cases(queryset).select_related("subject").select_for_update(of=("self",)))
        for case in cases:
            record_event(f"{case._meta.model_name}.documents_requeued", actor=actor, target=case,
                         subject_code=case.subject.code,
                         data={"case_no": case.case_no, "catch_ups": case.documents_catch_ups})
        queryset.model.objects.filter(pk__in=[c.pk for c in cases]).update(documents_catch_ups=0)
    return len(cases)


def catch_up_documents(model, owed, before, *, batch_size=BATCH_SIZE) -> int:
    """Queue the issuing of every document missing from the cases of ``model`` marked before ``before``.

    ``owed(cases)`` returns, for a batch of cases, ``{case pk: {idempotency key: (task, args)}}``: the documents
    the state of each case requires and how each is issued. Returns how many documents were queued. A case whose
    documents all exist is unmarked, unless an action marked it again since (its mark is then after ``before``);
    a case with a document still missing stays marked and counts the run (``documents_catch_ups``): the next run
    looks at it again, up to ``DOCUMENT_CATCH_UP_MAX_RUNS`` runs.
    """
    limit = settings.DOCUMENT_CATCH_UP_MAX_RUNS
    queued, last = 0, 0
    while True:
        cases = list(model.objects.filter(documents_due_at__lt=before, documents_catch_ups__lt=limit, pk__gt=last)
                     .order_by("pk")[:batch_size])
        if not cases:
            return queued
        last = cases[-1].pk
        wanted = owed(cases)
        keys = [key for documents in wanted.values() for key in documents]
        existing = set(Document.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
        complete, retried = [], []
        for case in cases:
            missing = [call for key, call in wanted.get(case.pk, {}).items() if key not in existing]
            for task, args in missing:
                task.delay(*args)
            queued += len(missing)
            (retried if missing else complete).append(case)
        model.objects.filter(pk__in=[c.pk for c in complete], documents_due_at__lt=before).update(documents_due_at=None)
        model.objects.filter(pk__in=[c.pk for c in retried]).update(documents_catch_ups=F("documents_catch_ups") + 1)
        for case in retried:
            if case.documents_catch_ups + 1 >= limit:
                logger.error("Case %s is still owed a document after %s catch-up runs: left to the operator",
                             case.case_no, limit)
