"""Browser: a department uploads a file with one bad row (nothing imported, the error named), downloads the
report, fixes the row and imports the file; a running job shows its progress bar."""

import pytest
from django.conf import settings

from creditrepair.imports.models import ImportJob, JobStatus
from creditrepair.records.models import Record
from tests import factories
from tests.browser import browser_page, login, shot  # noqa: F401  (browser_page is a fixture)
from tests.imports.conftest import csv_bytes, record_row, xlsx_bytes

AREA = "imports"


@pytest.mark.browser
def test_an_import_with_one_bad_row_then_fixed(browser_page, live_server, transactional_db, tmp_path):  # noqa: F811
    page = browser_page
    department = factories.DepartmentFactory(name="雅安市市场监督管理局")
    user = factories.department_user(department, username="amr-import")
    rows = [record_row() for _ in range(4)]
    good_code = rows[2]["subject_code"]
    rows[2]["subject_code"] = good_code[:-1] + ("0" if good_code[-1] != "0" else "1")  # wrong check digit
    bad_file = tmp_path / "雅安市监局-2026年11月.xlsx"
    bad_file.write_bytes(xlsx_bytes(rows))

    login(page, live_server, user.username, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/imports/")
    assert page.locator("a", has_text="下载 Excel 模板").count() == 1
    shot(page, AREA, "01-upload-page")

    page.set_input_files("#id_file", str(bad_file))
    page.click("#upload-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "发现 1 处错误，本文件未导入任何记录。" in page.inner_text("main")
    cells = page.locator("#import-errors tbody tr td").all_inner_texts()
    assert cells[0] == "4" and "subject_code" in cells[1] and "校验不通过" in cells[2]
    assert not Record.objects.exists()
    shot(page, AREA, "02-job-failed-with-errors")

    with page.expect_download() as download_info:
        page.click("text=下载错误报告（CSV）")
    report = (tmp_path / "errors.csv")
    download_info.value.save_as(report)
    text = report.read_bytes().decode("utf-8-sig")
    assert "4,subject_code" in text

    rows[2]["subject_code"] = good_code
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes(csv_bytes(rows, encoding="gb18030"))
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("#id_file", str(fixed))
    page.click("#upload-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "导入完成：新增 4 条记录，0 条已存在而跳过。" in page.inner_text("main")
    assert Record.objects.filter(department=department).count() == 4
    shot(page, AREA, "03-job-done")

    page.goto(f"{live_server.url}/imports/")
    assert page.locator("#import-jobs tbody tr").count() == 2
    shot(page, AREA, "04-job-list")

    running = ImportJob.objects.create(
        department=department, actor=user, original_name="大文件.xlsx", file_format="xlsx", sha256="a" * 64,
        size=1024, status=JobStatus.RUNNING, stage="validating", total_rows=1200, processed_rows=450)
    page.goto(f"{live_server.url}/imports/{running.pk}/")
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    assert page.locator("progress#job-progress").get_attribute("value") == "450"
    shot(page, AREA, "05-job-running")
    ImportJob.objects.filter(pk=running.pk).update(status=JobStatus.DONE, total_rows=1200, processed_rows=1200,
                                                   created=1200)
    page.wait_for_timeout(2600)  # the page refreshes itself every 2 seconds
    assert "导入完成" in page.inner_text("main")
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
