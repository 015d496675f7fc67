"""The statistics against the hand-counted fixture (tests/stats/conftest.py), department scoping, the page and CSV."""

import csv
import datetime as dt
import io

import pytest

from creditrepair.portal.statistics import Period, median, percentile_90, statistics_for

from tests import factories

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
TODAY = dt.date(2026, 11, 22)


def test_median_and_nearest_rank_p90():
    assert median([]) is None and percentile_90([]) is None
    assert median([2, 4, 6, 8, 12]) == 6 and median([1, 2, 4, 6, 8, 12]) == 5
    assert percentile_90([2, 4, 6, 8, 12]) == 12 and percentile_90(list(range(1, 11))) == 9
    assert percentile_90([7]) == 7


def test_a_departments_figures_match_the_hand_count(stats_world):
    figures = statistics_for(YEAR, stats_world["department"], today=TODAY)
    repairs = figures["repairs"]
    assert repairs["filed"] == 6 and repairs["decided"] == 5
    assert repairs["decided_by_status"] == {"approved": 1, "completed": 2, "denied": 1, "refused": 1}
    assert repairs["working_days"] == {"count": 5, "median": 6.0, "p90": 12, "limit": 10, "limits": [10]}
    assert repairs["on_time"] == 4 and repairs["on_time_rate"] == 0.8
    assert repairs["repaired"] == 3 and repairs["repair_rate"] == 0.6
    assert repairs["committed"] == 2 and repairs["commitment_rate"] == 0.3333
    assert figures["training"] == {"listed_subjects": 3, "trained_subjects": 1, "coverage": 0.3333}
    assert figures["objections"]["filed"] == 4 and figures["objections"]["decided"] == 4
    assert {row["outcome"]: row["count"] for row in figures["objections"]["by_outcome"]} == {
        "corrected": 2, "kept": 1, "refused": 1}
    assert figures["notices"] == {"overdue": 2, "overdue_by_partner": [{"partner": "雅安市发展和改革委员会", "count": 2}]}
    monthly = dict(zip(figures["monthly"]["months"], zip(figures["monthly"]["filed"], figures["monthly"]["decided"])))
    assert len(monthly) == 12 and monthly["2026-09"] == (5, 1) and monthly["2026-10"] == (0, 4)
    assert monthly["2026-11"] == (1, 0) and monthly["2026-01"] == (0, 0)


def test_the_whole_platform_adds_the_other_department(stats_world):
    repairs = statistics_for(YEAR, None, today=TODAY)["repairs"]
    assert repairs["filed"] == 7 and repairs["decided"] == 6
    assert repairs["working_days"]["median"] == 5.0 and repairs["working_days"]["p90"] == 12
    assert repairs["on_time"] == 5 and repairs["on_time_rate"] == round(5 / 6, 4)


def test_the_other_department_sees_only_its_own(stats_world):
    figures = statistics_for(YEAR, stats_world["other"], today=TODAY)
    assert figures["repairs"]["filed"] == 1 and figures["repairs"]["working_days"]["median"] == 1.0
    assert figures["objections"]["decided"] == 0 and figures["notices"]["overdue"] == 0
    assert figures["training"]["listed_subjects"] == 0 and figures["training"]["coverage"] is None


def test_the_period_bounds_are_inclusive_local_dates(stats_world):
    one_day = statistics_for(Period(dt.date(2026, 9, 30), dt.date(2026, 9, 30)), stats_world["department"],
                             today=TODAY)["repairs"]
    assert one_day["filed"] == 1 and one_day["decided"] == 1  # A2 filed, A4 decided that day
    empty = statistics_for(Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31)), None, today=TODAY)["repairs"]
    assert empty["filed"] == 0 and empty["on_time_rate"] is None and empty["working_days"]["median"] is None


QUERY = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def test_a_department_user_gets_its_own_figures_whatever_it_asks(client, stats_world, dept_user):
    client.force_login(dept_user)
    other = stats_world["other"]
    page = client.get("/stats/", {**QUERY, "department": other.pk})
    html = page.content.decode()
    assert page.status_code == 200 and stats_world["department"].name in html
    assert 'name="department"' not in html  # no department filter for a department
    assert page.context["figures"]["repairs"]["filed"] == 6


def test_the_operator_sees_everything_and_filters_by_department(client, stats_world, operator):
    client.force_login(operator)
    everything = client.get("/stats/", QUERY)
    assert everything.context["figures"]["repairs"]["filed"] == 7 and 'name="department"' in everything.content.decode()
    other = client.get("/stats/", {**QUERY, "department": stats_world["other"].pk})
    assert other.context["figures"]["repairs"]["filed"] == 1


def test_the_page_carries_the_chart_data_safely(client, stats_world, operator):
    client.force_login(operator)
    html = client.get("/stats/", QUERY).content.decode()
    assert '<script id="stats-data" type="application/json">' in html and "chart.umd.min.js" in html
    assert "js/stats.js" in html and "onclick" not in html and "<script>" not in html


def test_subjects_get_403_and_anonymous_users_log_in(client, stats_world, ent_user):
    assert client.get("/stats/").status_code == 302
    client.force_login(ent_user)
    assert client.get("/stats/").status_code == 403 and client.get("/stats/export.csv").status_code == 403


def test_a_bad_period_is_refused(client, operator):
    client.force_login(operator)
    response = client.get("/stats/", {"date_from": "2026-12-01", "date_to": "2026-01-01"})
    assert response.status_code == 400 and "起始日期不能晚于截止日期" in response.content.decode()


def test_the_default_period_is_the_current_year(client, operator):
    from django.utils import timezone

    client.force_login(operator)
    figures = client.get("/stats/").context["figures"]
    assert figures["period"] == {"start": f"{timezone.localdate().year}-01-01",
                                 "end": f"{timezone.localdate().year}-12-31"}


def test_the_csv_export_has_the_same_figures_with_a_bom(client, stats_world, dept_user):
    client.force_login(dept_user)
    response = client.get("/stats/export.csv", QUERY)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = dict(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows["修复申请受理数（提交）"] == "6" and rows["办理用时中位数（工作日）"] == "6"
    assert rows["办理用时第90百分位（工作日）"] == "12" and rows["按期办结率"] == "80.0%"
    assert rows["修复率"] == "60.0%" and rows["培训覆盖率"] == "33.3%" and rows["承诺率"] == "33.3%"
    assert rows["异议结果：予以更正"] == "2" and rows["联合惩戒单位逾期未确认通知数"] == "2"
    assert rows["统计范围"] == stats_world["department"].name


@pytest.mark.django_db
def test_a_court_user_sees_its_court(client):
    court_user = factories.court_user()
    client.force_login(court_user)
    response = client.get("/stats/")
    assert response.status_code == 200 and response.context["figures"]["department"] == court_user.department.name
