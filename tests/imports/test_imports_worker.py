"""With a real Celery worker: an uploaded file is imported by the worker after the upload commits."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from creditrepair.imports import services
from creditrepair.imports.models import ImportJob, JobStatus
from creditrepair.records.models import Record
from tests import factories
from tests.imports.conftest import csv_bytes, record_row


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_an_uploaded_file(settings):
    if not settings.CELERY_BROKER_URL:
        reason = "celery_worker tests need CELERY_BROKER_URL and a running worker (make test-postgres)"
        pytest.fail(reason) if os.environ.get("CI") == "true" else pytest.skip(reason)
    user = factories.department_user()
    job = services.import_job_create(user, SimpleUploadedFile("w.csv", csv_bytes([record_row() for _ in range(3)])))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            break
        time.sleep(0.5)
    assert (job.status, job.created, job.skipped, job.error_report) == (JobStatus.DONE, 3, 0, [])
    assert Record.objects.filter(department=user.department).count() == 3
    assert ImportJob.objects.get(pk=job.pk).finished_at is not None
