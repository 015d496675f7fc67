"""The import page: upload → job run by Celery → progress and summary; the error report; who sees what."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from creditrepair.imports import services
from creditrepair.imports.models import ImportJob, JobStatus
from creditrepair.imports.tasks import run_import_job
from creditrepair.records.models import Record
from tests.imports.conftest import csv_bytes, record_row, xlsx_bytes

BAD_USCC = "91511800MA62XY3D05"


def upload(client, data, name, capture):
    with capture(execute=True):
        return client.post("/imports/", {"file": SimpleUploadedFile(name, data)})


def test_upload_runs_the_job_and_the_page_shows_the_summary(client, dept_user, django_capture_on_commit_callbacks):
    client.force_login(dept_user)
    response = upload(client, xlsx_bytes([record_row() for _ in range(3)]), "三月处罚.xlsx",
                      django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert (job.status, job.file_format, job.total_rows, job.created, job.skipped) == ("done", "xlsx", 3, 3, 0)
    assert job.file.name.startswith("imports/") and job.original_name == "三月处罚.xlsx"
    assert Record.objects.filter(department=dept_user.department).count() == 3
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "导入完成：新增 3 条记录，0 条已存在而跳过。" in page
    assert '<progress id="job-progress"' in page and 'value="3"' in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing
    listing = client.get("/imports/").content.decode()
    assert "三月处罚.xlsx" in listing and "已完成" in listing


def test_a_file_with_a_bad_row_shows_its_errors_and_a_csv_report(client, dept_user, django_capture_on_commit_callbacks):
    client.force_login(dept_user)
    rows = [record_row(), record_row(subject_code=BAD_USCC), record_row(decision_date="2026-13-01")]
    upload(client, csv_bytes(rows, encoding="gb18030"), "records.csv", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED and job.created == 0 and not Record.objects.exists()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "发现 2 处错误，本文件未导入任何记录。" in page and 'id="import-errors"' in page
    assert f"/imports/{job.pk}/errors.csv" in page

    response = client.get(f"/imports/{job.pk}/errors.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel shows the Chinese
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert lines[0] == ["行号", "字段", "列名", "错误说明"]
    assert [line[:3] for line in lines[1:]] == [["3", "subject_code", "统一社会信用代码或身份证号"],
                                                ["4", "decision_date", "决定日期"]]
    assert BAD_USCC in lines[1][3]


def test_another_department_cannot_see_a_job(client, dept_user, other_dept_user, django_capture_on_commit_callbacks):
    client.force_login(dept_user)
    upload(client, csv_bytes([record_row()]), "mine.csv", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    client.force_login(other_dept_user)
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert client.get(f"/imports/{job.pk}/errors.csv").status_code == 404
    assert "mine.csv" not in client.get("/imports/").content.decode()


def test_a_colleague_of_the_same_department_sees_the_job(client, dept_user, django_capture_on_commit_callbacks):
    from tests.factories import department_user

    client.force_login(dept_user)
    upload(client, csv_bytes([record_row()]), "ours.csv", django_capture_on_commit_callbacks)
    client.force_login(department_user(dept_user.department))
    assert client.get(f"/imports/{ImportJob.objects.get().pk}/").status_code == 200


def test_only_department_and_court_staff_reach_the_page(client, ent_user, operator, court_staff):
    assert client.get("/imports/").status_code == 302  # to the login page
    for user, status in ((ent_user, 403), (operator, 403), (court_staff, 200)):
        client.force_login(user)
        assert client.get("/imports/").status_code == status


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7\n\x00\x01binary", "records.csv", "仅接受 CSV 或 Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "records.xls", "另存为 .xlsx"),
    ],
)
def test_other_file_types_are_refused_with_a_clear_error(client, dept_user, data, name, message):
    client.force_login(dept_user)
    response = client.post("/imports/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 415 and message in response.content.decode()
    assert not ImportJob.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=200)
def test_a_file_over_the_size_cap_is_refused(client, dept_user):
    client.force_login(dept_user)
    response = client.post("/imports/", {"file": SimpleUploadedFile("big.csv", csv_bytes([record_row()] * 3))})
    assert response.status_code == 413 and "文件超过" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_running_job_page_refreshes_itself_and_shows_live_progress(client, dept_user):
    job = ImportJob.objects.create(
        department=dept_user.department, actor=dept_user, original_name="x.csv", file_format="csv",
        sha256="0" * 64, size=1, status=JobStatus.RUNNING, stage="validating", total_rows=40, processed_rows=10)
    client.force_login(dept_user)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "逐行校验：10 / 40 行" in page and 'max="40" value="10"' in page
    assert "<script" not in page
    cache.set(services._progress_key(job.pk), {"stage": "importing", "done": 30, "total": 40})
    try:
        page = client.get(f"/imports/{job.pk}/").content.decode()
    finally:
        cache.delete(services._progress_key(job.pk))
    assert "写入记录：30 / 40 行" in page and 'value="30"' in page


def test_the_templates_can_be_downloaded(client, dept_user):
    client.force_login(dept_user)
    csv_response = client.get("/imports/template.csv")
    assert csv_response.status_code == 200 and b"subject_code" in b"".join(csv_response.streaming_content)
    xlsx_response = client.get("/imports/template.xlsx")
    assert xlsx_response.status_code == 200
    assert b"".join(xlsx_response.streaming_content).startswith(b"PK\x03\x04")
    assert "records-template.xlsx" in xlsx_response["Content-Disposition"]


def test_the_task_does_not_run_a_finished_job_again(dept_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(dept_user, SimpleUploadedFile("a.csv", csv_bytes([record_row()] * 1)))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.created == 1
    result = run_import_job.delay(job.pk).get()
    assert result == {"job": job.pk, "skipped": "already finished"}
    job.refresh_from_db()
    assert (job.created, job.skipped) == (1, 0) and Record.objects.count() == 1


def test_a_job_claimed_twice_is_completed_once(dept_user):
    """A redelivered task that reaches the write stage after the job is done leaves it alone."""
    job = services.import_job_create(dept_user, SimpleUploadedFile("a.csv", csv_bytes([record_row()])))
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    first = services.import_records(dept_user, job.file, job=job)
    assert first.created == 1
    again = services.import_records(dept_user, job.file, job=job)
    assert (again.created, again.skipped_existing) == (1, 0)  # the stored outcome, not a second run
    job.refresh_from_db()
    assert (job.status, job.created, job.skipped) == ("done", 1, 0) and Record.objects.count() == 1


def test_reuploading_the_same_file_creates_no_duplicates(client, dept_user, django_capture_on_commit_callbacks):
    client.force_login(dept_user)
    data = csv_bytes([record_row() for _ in range(2)])
    upload(client, data, "a.csv", django_capture_on_commit_callbacks)
    upload(client, data, "a.csv", django_capture_on_commit_callbacks)
    first, second = ImportJob.objects.order_by("id")
    assert (first.created, first.skipped, second.created, second.skipped) == (2, 0, 0, 2)
    assert Record.objects.count() == 2


def test_the_error_report_cannot_smuggle_a_formula_into_excel(client, dept_user, django_capture_on_commit_callbacks):
    client.force_login(dept_user)
    data = csv_bytes([record_row()]).replace(b"\r\n", b',=HYPERLINK("http://x")\r\n', 1)
    upload(client, data, "evil.csv", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED and job.error_report[0]["field"] == '=HYPERLINK("http://x")'
    body = client.get(f"/imports/{job.pk}/errors.csv").content.decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(body.splitlines()[1])))
    assert row[1] == "'=HYPERLINK(\"http://x\")"
