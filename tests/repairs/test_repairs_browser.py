"""Browser: the enterprise checks repairability, files, signs the letter, uploads, submits; the operator accepts;
the department approves; the public lookup no longer shows the record. Screenshots of each page under
test-output/screenshots/repairs/."""

import datetime as dt

import pytest
from django.conf import settings

from creditrepair.repairs.models import RepairCase, RepairStatus
from tests import factories
from tests.browser import browser_page, login, shot  # noqa: F401  (browser_page is a fixture)
from tests.repairs.repairs_support import PDF_BYTES

AREA = "repairs"
PHONE = {"width": 390, "height": 844}


def lookup(page, live_server, code):
    page.goto(f"{live_server.url}/lookup/?code={code}")
    return page.locator("table.table tbody tr")


def go(page, selector):
    page.click(selector)
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
def test_repair_filed_signed_submitted_accepted_approved_and_gone_from_the_public_lookup(
    transactional_db, live_server, browser_page, make_record  # noqa: F811  (the database outlives the server)
):
    page = browser_page
    department = factories.DepartmentFactory(name="雅安市市场监督管理局")
    dept_user = factories.department_user(department, username="amr-r")
    enterprise = factories.SubjectFactory(name="雅安蒙顶山茶业有限公司")
    factories.subject_user(enterprise, username="ent-r")
    factories.operator_user(username="operator-r")
    record = make_record(dept_user, enterprise, decided=dt.date.today() - dt.timedelta(days=160),
                         decision_no="雅市监罚〔2026〕120号", obligations="")
    early = make_record(dept_user, enterprise, decided=dt.date.today() - dt.timedelta(days=20),
                        decision_no="雅市监罚〔2026〕301号", obligations="")
    password = settings.DEMO_PASSWORD

    lookup(page, live_server, enterprise.code)
    assert "雅市监罚〔2026〕120号" in page.inner_text("table.table tbody")
    shot(page, AREA, "01-lookup-before")

    # 我的信用: one record repairable now, one too early with its date and reason.
    login(page, live_server, "ent-r", password)
    assert page.url.endswith("/me/")  # the login sends subjects to 我的信用
    card = page.locator(f"#record-{record.pk}")
    assert "现在可以申请信用修复" in card.inner_text() and "信用承诺书" in card.inner_text()
    early_card = page.locator(f"#record-{early.pk}").inner_text()
    assert "暂不能申请信用修复" in early_card and early.min_until.isoformat() in early_card
    assert page.locator(f"#record-{early.pk} a[href='/repairs/new/?record={early.pk}']").count() == 0
    shot(page, AREA, "02-my-credit")
    page.set_viewport_size(PHONE)
    shot(page, AREA, "02b-my-credit-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # File.
    go(page, f"#record-{record.pk} a[href='/repairs/new/?record={record.pk}']")
    page.fill("#id_statement", "罚款已于2026年6月全额缴纳，违法行为已整改完毕，申请信用修复。")
    shot(page, AREA, "03-file-form")
    go(page, "#repair-form button[type=submit]")
    assert page.inner_text("#case-status") == "待提交"
    assert "尚缺" in page.inner_text("#materials-checklist")
    shot(page, AREA, "04-case-draft")

    # Sign the commitment letter.
    go(page, "#sign-commitment_letter a")
    assert "本人已阅读并确认承诺内容" in page.content()
    page.fill("#id_signatory_name", "李明")
    page.fill("#id_signatory_title", "法定代表人")
    page.check("#id_confirm")
    shot(page, AREA, "05-sign-letter")
    go(page, "#sign-form button[type=submit]")
    assert "信用承诺书已签署" in page.inner_text(".messages")

    # Upload the proof of performance.
    page.select_option("#upload-kind", "performance_proof")
    page.set_input_files("#upload-file", {"name": "缴款凭证.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES})
    go(page, "#form-upload button[type=submit]")
    assert "材料已上传" in page.inner_text(".messages")
    assert "材料已齐全" in page.inner_text("#materials-checklist")
    shot(page, AREA, "06-case-ready")

    # Submit.
    go(page, "#form-submit button[type=submit]")
    assert page.inner_text("#case-status") == "已提交，待受理"
    shot(page, AREA, "07-case-submitted")
    case = RepairCase.objects.get(record=record)

    # The operator accepts from its intake queue; no approve form for it.
    login(page, live_server, "operator-r", password)
    assert page.url.endswith("/staff/repairs/")
    assert case.case_no in page.inner_text("#staff-queue")
    shot(page, AREA, "08-operator-queue")
    go(page, "#staff-queue a")
    assert page.locator("#form-approve").count() == 0
    shot(page, AREA, "09-operator-case")
    go(page, "#form-accept button[type=submit]")
    assert page.inner_text("#case-status") == "已受理"

    # The department approves from its queue.
    login(page, live_server, "amr-r", password)
    assert case.case_no in page.inner_text("#staff-queue")
    shot(page, AREA, "10-department-queue")
    go(page, "#staff-queue a")
    page.fill("#approve-reason", "罚款已缴清，整改到位，同意信用修复。")
    shot(page, AREA, "11-department-case")
    go(page, "#form-approve button[type=submit]")
    assert page.inner_text("#case-status") == "修复完成，已停止公示"
    shot(page, AREA, "12-department-approved")
    case.refresh_from_db()
    assert case.status == RepairStatus.COMPLETED

    # The enterprise follows its case: timeline and documents.
    login(page, live_server, "ent-r", password)
    page.goto(f"{live_server.url}/repairs/")
    shot(page, AREA, "13-my-repairs")
    go(page, "#repair-list a")
    assert "修复完成，已停止公示" in page.inner_text("#timeline")
    assert page.locator("#documents li").count() >= 3  # letter, acceptance notice, decision notice
    shot(page, AREA, "14-enterprise-case-completed")

    # The public lookup no longer lists the record.
    lookup(page, live_server, enterprise.code)
    body = page.inner_text("main")
    assert "雅市监罚〔2026〕120号" not in body and "雅市监罚〔2026〕301号" in body
    shot(page, AREA, "15-lookup-after")
