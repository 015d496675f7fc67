"""Browser: the public status check, the lookup of a masked person, the verification of a genuine and a tampered
PDF — on a desktop and on a 390 px phone; screenshots in test-output/screenshots/portal/."""

import re
import tempfile
from pathlib import Path

import pytest

from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES
from creditrepair.documents.services import issue_document

from tests import factories
from tests.browser import browser_page, shot  # noqa: F401  (browser_page is a fixture)
from tests.portal.conftest import PERSON_ID_PATTERN

AREA = "portal"
PHONE = {"width": 390, "height": 844}


def _no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
def test_the_status_check_explains_what_happens_next(transactional_db, live_server, browser_page, make_case,
                                                     make_record):  # noqa: F811
    page = browser_page
    department = factories.DepartmentFactory(name="雅安市市场监督管理局")
    enterprise = factories.SubjectFactory(name="雅安青衣江茶业有限公司")
    record = make_record(factories.department_user(department), enterprise)
    case = make_case("repair", record, deadline=("review", 3))

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="进度查询").click()
    page.get_by_label("案件编号").fill(case.case_no)
    page.get_by_label("查询码").fill("ABCD2345")
    page.get_by_label("查询码").press("Enter")  # keyboard submits the form
    page.wait_for_selector(".case-status")
    text = page.locator(".case-status").inner_text()
    assert "已受理" in text and "雅安市市场监督管理局将在" in text and "雅安青衣江茶业有限公司" in text
    shot(page, AREA, "01-status-desktop")

    page.set_viewport_size(PHONE)
    page.reload()  # re-post shows the same answer
    page.wait_for_selector(".case-status")
    assert _no_horizontal_overflow(page)
    shot(page, AREA, "02-status-phone")

    page.goto(f"{live_server.url}/status/")
    page.get_by_label("案件编号").fill(case.case_no)
    page.get_by_label("查询码").fill("WRONG123")
    page.get_by_role("button", name="查询").click()
    assert "未查询到该案件，或查询码不正确" in page.locator("[role=alert]").inner_text()
    assert _no_horizontal_overflow(page)
    shot(page, AREA, "03-status-wrong-code-phone")


@pytest.mark.browser
def test_the_lookup_of_a_person_shows_only_a_masked_court_listing(transactional_db, live_server, browser_page,
                                                                  person, person_listing):  # noqa: F811
    page = browser_page
    page.goto(f"{live_server.url}/lookup/")
    page.get_by_label("统一社会信用代码或身份证号码").fill(person.code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("section.result")
    body = page.content()
    assert "王*" in body and person_listing.decision_no in body and person.name not in body
    assert not re.search(PERSON_ID_PATTERN, body)
    assert page.get_by_label("统一社会信用代码或身份证号码").input_value() == ""
    assert "失信被执行人" in page.locator("table.table tbody").inner_text()
    shot(page, AREA, "04-lookup-person-desktop")

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector("section.result")
    assert _no_horizontal_overflow(page)
    shot(page, AREA, "05-lookup-person-phone")


@pytest.fixture
def signed_notice(transactional_db):
    """Issued before the browser starts: signing runs its own asyncio loop, Playwright's would be in the way."""
    kind = "decision_notice"
    return issue_document(kind=kind, template_name=TEMPLATES[kind], context=SAMPLE_CONTEXTS[kind],
                          case_no="XF-2026-000321", subject_code="91511800MA62X0Q12T",
                          idempotency_key="browser:portal:verify")


@pytest.mark.browser
def test_a_genuine_pdf_verifies_and_a_tampered_one_does_not(transactional_db, signed_notice, live_server,
                                                             browser_page):  # noqa: F811
    page, document = browser_page, signed_notice
    genuine = document.file.open("rb").read()
    folder = Path(tempfile.mkdtemp())
    (folder / "genuine.pdf").write_bytes(genuine)
    (folder / "tampered.pdf").write_bytes(genuine.replace(b"/Producer", b"/Producex", 1))

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="文书核验").click()
    page.get_by_label("上传 PDF 文件").set_input_files(str(folder / "genuine.pdf"))
    page.get_by_role("button", name="核验").click()
    verdict = page.locator(".verdict")
    assert verdict.get_attribute("data-verdict") == "valid"
    facts = page.locator("dl.facts").inner_text()
    assert "信用修复决定书" in facts and "XF-2026-000321" in facts and "校验通过" in facts
    shot(page, AREA, "06-verify-genuine")

    page.get_by_label("上传 PDF 文件").set_input_files(str(folder / "tampered.pdf"))
    page.get_by_role("button", name="核验").click()
    assert page.locator(".verdict").get_attribute("data-verdict") == "invalid"
    assert "XF-2026-000321" not in page.locator("main").inner_text()
    shot(page, AREA, "07-verify-tampered")

    # The QR code's landing page.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/verify/{document.id}/")
    assert page.locator(".verdict").first.get_attribute("data-verdict") == "valid"
    assert _no_horizontal_overflow(page)
    shot(page, AREA, "08-verify-qr-page-phone")
