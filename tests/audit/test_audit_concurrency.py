"""Appends from many connections at once form one chain without forks."""

import threading

import pytest
from django.db import connections, transaction

from creditrepair.audit.models import AuditEvent
from creditrepair.audit.services import record_event, verify_chain

THREADS = 8
EVENTS_PER_THREAD = 15


@pytest.mark.postgres
def test_concurrent_appends_form_one_unbroken_chain(transactional_db):
    barrier = threading.Barrier(THREADS)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            for i in range(EVENTS_PER_THREAD):
                # Each append inside its own business transaction, as callers do.
                with transaction.atomic():
                    record_event("test.appended", actor_label=f"system:worker{n}", target_type="test.item",
                                 target_id=f"{n}-{i}")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = THREADS * EVENTS_PER_THREAD
    assert AuditEvent.objects.count() == total
    assert AuditEvent.objects.values("prev_hash").distinct().count() == total  # no two share a parent
    report = verify_chain(batch_size=16)
    assert (report.ok, report.checked) == (True, total)
