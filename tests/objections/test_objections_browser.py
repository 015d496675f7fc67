"""Browser: the enterprise files an objection, the department resolves it with a correction; the public lookup
shows the record before, during (异议处理中) and after."""

import datetime as dt

import pytest
from django.conf import settings

from tests import factories
from tests.browser import browser_page, login, shot  # noqa: F401  (browser_page is a fixture)

AREA = "objections"


def lookup(page, live_server, code):
    page.goto(f"{live_server.url}/lookup/?code={code}")
    return page.locator("table.table tbody tr")


@pytest.mark.browser
def test_objection_filed_in_the_portal_resolved_with_a_correction_and_seen_in_the_public_lookup(
    transactional_db, live_server, browser_page, make_record  # noqa: F811  (the database outlives the server)
):
    page = browser_page
    department = factories.DepartmentFactory(name="雅安市市场监督管理局")
    dept_user = factories.department_user(department, username="amr-b")
    enterprise = factories.SubjectFactory(name="雅安青衣江茶业有限公司")
    factories.subject_user(enterprise, username="ent-b")
    factories.operator_user(username="operator-b")
    record = make_record(dept_user, enterprise, decided=dt.date.today() - dt.timedelta(days=60),
                         decision_no="雅市监罚〔2026〕88号")
    password = settings.DEMO_PASSWORD

    # Before: published, no mark.
    rows = lookup(page, live_server, enterprise.code)
    assert rows.count() == 1
    assert "雅市监罚〔2026〕88号" in rows.first.inner_text()
    assert "异议处理中" not in rows.first.inner_text()
    shot(page, AREA, "01-lookup-before")

    # The enterprise files an objection from its list of records.
    login(page, live_server, "ent-b", password)
    page.goto(f"{live_server.url}/objections/")
    page.click(f"a[href='/objections/new/?record={record.pk}']")
    page.select_option("#id_grounds", "error")
    page.fill("#id_statement", "决定文书号录入有误，应为雅市监罚〔2026〕89号。")
    page.fill("#correct_decision_no", "雅市监罚〔2026〕89号")
    shot(page, AREA, "02-file-form")
    page.click("#objection-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "异议已提交" in page.inner_text(".messages")
    assert page.inner_text("#case-status") == "已提交"
    shot(page, AREA, "03-case-filed")

    # During: the public sees the mark at once.
    rows = lookup(page, live_server, enterprise.code)
    assert "异议处理中" in rows.first.inner_text()
    shot(page, AREA, "04-lookup-during")

    # The operator accepts (intake + platform check: no difference) from the back-office queue.
    login(page, live_server, "operator-b", password)
    page.goto(f"{live_server.url}/staff/objections/")
    page.click("#staff-queue a")
    shot(page, AREA, "05-operator-case")
    page.click("#form-accept button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#case-status") == "核实中"

    # The department resolves with a correction.
    login(page, live_server, "amr-b", password)
    page.goto(f"{live_server.url}/staff/objections/")
    shot(page, AREA, "06-department-queue")
    page.click("#staff-queue a")
    page.select_option("#resolve-outcome", "corrected")
    page.fill("#resolve-reason", "经核对原始处罚决定书，文书号录入有误，予以更正。")
    page.fill("#correct_decision_no", "雅市监罚〔2026〕89号")
    shot(page, AREA, "07-department-resolve-form")
    page.click("#form-resolve button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#case-status") == "已办结"
    corrections = page.inner_text("#corrections")
    assert "雅市监罚〔2026〕88号" in corrections and "雅市监罚〔2026〕89号" in corrections
    shot(page, AREA, "08-case-resolved")

    # The enterprise sees the outcome and its documents.
    login(page, live_server, "ent-b", password)
    page.goto(f"{live_server.url}/objections/")
    page.click("#objection-list a")
    assert "予以更正" in page.inner_text("#case-outcome")
    assert page.locator("#documents li").count() == 2  # receipt and answer
    shot(page, AREA, "09-enterprise-case-resolved")

    # After: the corrected record, published, without the mark.
    rows = lookup(page, live_server, enterprise.code)
    text = rows.first.inner_text()
    assert "雅市监罚〔2026〕89号" in text and "异议处理中" not in text
    shot(page, AREA, "10-lookup-after")
