"""A broker that is down when an uploaded file's import is handed to Celery: the upload still succeeds, and the
beat's sweep (``imports.tasks.requeue_lost_jobs``) queues the lost job again once the broker is back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from creditrepair.imports.models import ImportJob, JobStatus
from creditrepair.imports.tasks import requeue_lost_jobs
from creditrepair.records.models import Record
from tests.imports.conftest import csv_bytes, record_row

pytestmark = pytest.mark.django_db


def test_a_file_uploaded_while_the_broker_is_down_is_accepted_and_imported_once_by_the_sweep(
    client, dept_user, broker_down, django_capture_on_commit_callbacks, time_machine_days, caplog
):
    client.force_login(dept_user)
    with broker_down(), django_capture_on_commit_callbacks(execute=True) as handed_over:
        upload = SimpleUploadedFile("四月.csv", csv_bytes([record_row(), record_row()]))
        response = client.post("/imports/", {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert handed_over and "Connection refused" in caplog.text  # the job's message never reached a broker
    assert job.status == JobStatus.PENDING and not Record.objects.filter(department=dept_user.department).exists()
    assert "排队中" in client.get(f"/imports/{job.pk}/").content.decode()

    assert requeue_lost_jobs.delay().get() == 0  # just uploaded: not taken as lost yet
    with time_machine_days(1):  # the broker is back; the beat's next run
        assert requeue_lost_jobs.delay().get() == 1
    job.refresh_from_db()
    assert (job.status, job.created, job.skipped) == (JobStatus.DONE, 2, 0)
    assert Record.objects.filter(department=dept_user.department).count() == 2
    with time_machine_days(1):
        assert requeue_lost_jobs.delay().get() == 0  # imported once
