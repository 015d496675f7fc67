"""Browser: the operator's statistics page draws its three charts (Chart.js, CSP-safe) from the hand-counted data."""

import pytest
from django.conf import settings

from tests.browser import browser_page, login, shot  # noqa: F401  (browser_page is a fixture)


@pytest.mark.browser
def test_the_statistics_page_renders_its_charts(transactional_db, live_server, browser_page, stats_world,
                                                 operator):  # noqa: F811
    page = browser_page
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, operator.username, settings.DEMO_PASSWORD)
    page.get_by_role("link", name="统计").click()
    page.get_by_label("起始日期").fill("2026-01-01")
    page.get_by_label("截止日期").fill("2026-12-31")
    page.get_by_role("button", name="统计", exact=True).click()
    page.wait_for_function("document.getElementById('stats-charts').dataset.rendered === 'true'")
    drawn = page.evaluate("""() => ['chart-monthly', 'chart-rates', 'chart-objections'].map((id) => {
        const canvas = document.getElementById(id);
        const chart = window.Chart.getChart(canvas);
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
        return {id, chart: !!chart, points: chart ? chart.data.datasets[0].data.length : 0, painted};
    })""")
    assert all(c["chart"] and c["painted"] > 500 for c in drawn), drawn
    assert drawn[0]["points"] == 12 and drawn[2]["points"] == 3
    assert errors == []
    kpis = page.locator(".kpis").inner_text()
    assert "7" in kpis and "5 / 12" in kpis  # all departments: 7 filed; median 5, p90 12
    shot(page, "portal", "09-statistics-operator")

    page.get_by_label("单位").select_option(label=stats_world["department"].name)
    page.get_by_role("button", name="统计", exact=True).click()
    page.wait_for_function("document.getElementById('stats-charts').dataset.rendered === 'true'")
    assert "6 / 12" in page.locator(".kpis").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 CSV").click()
    assert download.value.suggested_filename == "statistics-2026-01-01-2026-12-31.csv"
    shot(page, "portal", "10-statistics-department")
