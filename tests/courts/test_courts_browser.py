"""Browser: a court lists a debtor, suspends credit punishment on a settlement, records the instalments and the
listing is deleted on full performance."""

import datetime as dt

import pytest
from django.conf import settings

from creditrepair.courts.models import CourtListing, CourtSuspension
from tests import factories
from tests.browser import browser_page, login, shot  # noqa: F401  (browser_page is a fixture)

AREA = "courts"


@pytest.mark.browser
def test_court_suspension_from_listing_to_completion(browser_page, live_server, transactional_db, real_pdf):  # noqa: F811
    page = browser_page
    court = factories.CourtFactory(name="雅安市雨城区人民法院")
    factories.court_user(court, username="court-b")
    debtor = factories.SubjectFactory(name="雅安市雨城区顺达建材经营部")
    today = dt.date.today()

    login(page, live_server, "court-b", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/court/")
    shot(page, AREA, "01-desk-empty")
    page.click("text=纳入失信被执行人名单")
    page.select_option("#id_subject_type", "legal_person")
    page.fill("#id_subject_name", debtor.name)
    page.fill("#id_subject_code", debtor.code)
    page.fill("#id_legal_representative", "李明")
    page.fill("#id_court_case_no", "（2025）川1802执123号")
    page.fill("#id_decision_no", "（2025）川1802执123号之一")
    page.fill("#id_decision_date", (today - dt.timedelta(days=10)).isoformat())
    page.fill("#id_executing_basis", "（2025）川1802民初88号民事判决书")
    page.fill("#id_obligation", "支付货款 120000 元")
    page.select_option("#id_ground", "able_but_refuses")
    page.fill("#id_summary", "有履行能力而拒不履行生效法律文书确定的给付义务")
    page.fill("#id_creditor_name", "四川蒙顶建设工程有限公司")
    page.check("input[name=measures][value=flights]")
    page.check("input[name=measures][value=star_hotels]")
    shot(page, AREA, "02-listing-form")
    page.click("form.stack-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已纳入失信被执行人名单" in page.inner_text(".messages")
    assert "公示中" in page.inner_text("main")
    shot(page, AREA, "03-listing-published")

    # Settlement: two instalments, the creditor consents → suspended, restrictions lifted.
    page.fill("#id_agreement_no", "HJ-2026-0031")
    page.fill("#id_total_amount", "120000.00")
    page.fill("#id_instalments", f"{today.isoformat()} 40000.00\n{(today + dt.timedelta(days=60)).isoformat()} 80000.00")
    page.check("#id_creditor_consent")
    shot(page, AREA, "04-settlement-form")
    page.click("form[aria-labelledby=suspend] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#case-status") == "暂停惩戒中"
    assert page.inner_text("#record-status") == "暂停公示"
    assert page.locator("a", has_text="下载 PDF").count() == 1  # the signed written commitment
    shot(page, AREA, "05-suspension-active")

    case = CourtSuspension.objects.get()
    first, second = case.instalments.all()
    for instalment in (first, second):
        page.select_option("#id_instalment", str(instalment.pk))
        page.fill("#id_paid_on", today.isoformat())
        page.fill("#id_amount", str(instalment.amount))
        page.click("form[aria-labelledby=pay-h] button[type=submit]")
        page.wait_for_load_state("networkidle")
    assert page.inner_text("#case-status") == "已履行完毕，信息已删除"
    assert page.inner_text("#record-status") == "已撤除（屏蔽）"
    shot(page, AREA, "06-suspension-completed")

    listing = CourtListing.objects.get()
    assert listing.deletion_ground == "settlement_performed"
    page.goto(f"{live_server.url}/court/listings/{listing.pk}/")
    assert "已永久解除" in page.inner_text("main")
    shot(page, AREA, "07-listing-deleted")
    page.goto(f"{live_server.url}/court/")
    shot(page, AREA, "08-desk")
