"""The PDFs a case is owed after commit, and the catch-up that issues those a lost message left undone.

An action that owes a case a document calls ``owe_document`` in its transaction: the case is marked
(``OwesDocuments.documents_due_at``) and the issuing task is handed to Celery after commit. A broker outage loses
the message but not the mark. The area's beat task then calls ``catch_up_documents``: it reads only the cases
marked before ``lost_since()`` (an index of the marked rows), asks the area which documents each case's state
requires (``owed``), and queues the issuing of those that do not exist. A case with nothing missing is unmarked.
Documents are idempotent by their key, so a message that was only late, or a second run, issues nothing twice.
"""

from django.utils import timezone

from creditrepair.core.tasks import delay_on_commit
from creditrepair.documents.models import Document

BATCH_SIZE = 500


def owe_document(case, task, *args):
    """In the caller's transaction: mark ``case`` as owed a document, and queue ``task.delay(*args)`` (the
    idempotent issuing of that document) after commit."""
    now = timezone.now()
    type(case).objects.filter(pk=case.pk).update(documents_due_at=now)
    case.documents_due_at = now
    delay_on_commit(task, *args)


def catch_up_documents(model, owed, before, *, batch_size=BATCH_SIZE) -> int:
    """Queue the issuing of every document missing from the cases of ``model`` marked before ``before``.

    ``owed(cases)`` returns, for a batch of cases, ``{case pk: {idempotency key: (task, args)}}``: the documents
    the state of each case requires and how each is issued. Returns how many documents were queued. A case whose
    documents all exist is unmarked, unless an action marked it again since (its mark is then after ``before``);
    a case with a document still missing stays marked and is looked at again by the next run.
    """
    queued, last = 0, 0
    while True:
        cases = list(model.objects.filter(documents_due_at__lt=before, pk__gt=last).order_by("pk")[:batch_size])
        if not cases:
            return queued
        last = cases[-1].pk
        wanted = owed(cases)
        keys = [key for documents in wanted.values() for key in documents]
        existing = set(Document.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
        complete = []
        for case in cases:
            missing = [call for key, call in wanted.get(case.pk, {}).items() if key not in existing]
            for task, args in missing:
                task.delay(*args)
            queued += len(missing)
            if not missing:
                complete.append(case.pk)
        model.objects.filter(pk__in=complete, documents_due_at__lt=before).update(documents_due_at=None)
