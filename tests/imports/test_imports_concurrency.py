"""Concurrent imports of one file (PostgreSQL row locks): one creates the records, the other skips them."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from creditrepair.imports import services
from creditrepair.imports.models import JobStatus
from creditrepair.records.models import Record
from tests import factories
from tests.imports.conftest import csv_bytes, record_row


def _in_threads(target, count=2):
    barrier = threading.Barrier(count)
    results, failures = [None] * count, []

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = target()
        except Exception as exc:  # noqa: BLE001 — reported by the test
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    return results


@pytest.mark.postgres
def test_two_simultaneous_imports_of_one_file_create_each_record_once(transactional_db):
    user = factories.department_user()
    data = csv_bytes([record_row() for _ in range(5)])
    reports = _in_threads(lambda: services.import_records(user, data))
    assert all(r.ok for r in reports)
    assert sorted((r.created, r.skipped_existing) for r in reports) == [(0, 5), (5, 0)]
    assert Record.objects.count() == 5


@pytest.mark.postgres
def test_a_job_run_twice_at_once_is_imported_once(transactional_db, monkeypatch):
    """A redelivered task running beside the first: the job is completed once, with the first run's figures."""
    from creditrepair.imports import tasks

    monkeypatch.setattr(tasks.run_import_job, "delay", lambda *a, **k: None)
    user = factories.department_user()
    job = services.import_job_create(user, SimpleUploadedFile("a.csv", csv_bytes([record_row() for _ in range(3)])))
    reports = _in_threads(lambda: services.import_job_run(job.pk))
    job.refresh_from_db()
    assert (job.status, job.created, job.skipped) == (JobStatus.DONE, 3, 0)
    assert Record.objects.count() == 3
    assert [(r.created, r.skipped_existing) for r in reports if r is not None] in ([(3, 0)], [(3, 0), (3, 0)])
