"""Infrastructure tasks, and how every area hands work to Celery after a commit."""

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

# After-commit work still undone this long after it was committed is taken as lost (its message never reached
# the broker) and is queued again by its area's catch-up sweep; a message merely waiting in the queue is younger.
LOST_AFTER = dt.timedelta(minutes=2)
# The longest wait between two attempts of a delivery that keeps failing (partner pushes, e-mails).
MAX_BACKOFF = dt.timedelta(hours=6)


@shared_task
def ping():
    """Answer "pong": proves that a worker receives, runs and returns our tasks."""
    return "pong"


def delay_on_commit(task, *args, **kwargs):
    """Queue ``task.delay(*args, **kwargs)`` once the caller's transaction commits (at once outside one).

    Robust: a broker that is down or unreachable must not turn a committed action into an error for the user —
    the failure is logged (``django.db.backends.base``) and the work stays recorded in the database (an outbox
    row, a pending job, a case without its document), where the area's catch-up sweep finds it and queues it
    again. So every task given here must be idempotent.
    """
    transaction.on_commit(lambda: task.delay(*args, **kwargs), robust=True)


def lost_since(now=None):
    """The cut-off of the catch-up sweeps: work committed before it and still undone was lost (``LOST_AFTER``)."""
    return (now or timezone.now()) - LOST_AFTER


def retry_backoff(attempts: int) -> dt.timedelta:
    """The wait before the next attempt of a delivery that failed ``attempts`` times: 1, 2, 4 … minutes (at most
    ``MAX_BACKOFF``)."""
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)
