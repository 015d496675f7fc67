"""Overrides win over the library; beyond the library the calendar falls back to Monday–Friday and says so."""

import datetime as dt
import logging

import pytest
from django.utils import timezone

from creditrepair.workdays import checks
from creditrepair.workdays.models import CalendarOverride
from creditrepair.workdays.services import add_working_days, is_working_day, working_days_between, year_is_covered

pytestmark = pytest.mark.django_db

D = dt.date


def test_an_override_wins_over_the_library(override):
    assert is_working_day(D(2026, 2, 16)) is False
    override(D(2026, 2, 16), is_working_day=True, name="更正")
    assert is_working_day(D(2026, 2, 16)) is True


def test_a_2027_holiday_entered_as_override_is_off(override):
    # Spring Festival 2027 falls on Sat 6 Feb; the library (to 2026) does not know it.
    assert is_working_day(D(2027, 2, 8)) is True  # Monday: fallback says working
    for day in (D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10), D(2027, 2, 11), D(2027, 2, 12)):
        override(day, is_working_day=False, name="春节")
    override(D(2027, 2, 20), is_working_day=True, name="春节调休")  # a make-up Saturday
    assert is_working_day(D(2027, 2, 8)) is False
    # From Fri 5 Feb 2027: holiday Mon–Fri, weekend, Mon 15 Feb day 1 … Fri 19 Feb day 5, Sat 20 Feb day 6.
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 15)
    assert add_working_days(D(2027, 2, 5), 6) == D(2027, 2, 20)
    assert working_days_between(D(2027, 2, 5), D(2027, 2, 20)) == 6


def test_saving_or_deleting_an_override_takes_effect_at_once(override, django_assert_num_queries):
    day = D(2027, 3, 1)  # a Monday
    assert is_working_day(day) is True
    with django_assert_num_queries(0):  # cached: no query per call
        assert is_working_day(day) is True
    entry = override(day, is_working_day=False, name="测试")
    assert is_working_day(day) is False
    entry.is_working_day = True
    entry.save()
    assert is_working_day(day) is True
    entry.delete()
    CalendarOverride.objects.create(date=day, is_working_day=False)
    assert is_working_day(day) is False


def test_beyond_the_library_monday_to_friday_work_with_one_warning_per_year(caplog):
    caplog.set_level(logging.WARNING, logger="creditrepair.workdays.services")
    assert is_working_day(D(2028, 3, 6)) is True  # Monday
    assert is_working_day(D(2028, 3, 11)) is False  # Saturday
    assert working_days_between(D(2028, 3, 5), D(2028, 3, 12)) == 5
    warnings = [r for r in caplog.records if "2028" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING


def test_a_year_with_overrides_is_covered_and_not_warned_about(override, caplog):
    caplog.set_level(logging.WARNING, logger="creditrepair.workdays.services")
    override(D(2029, 1, 1), is_working_day=False, name="元旦")
    assert year_is_covered(2029)
    assert is_working_day(D(2029, 1, 1)) is False
    assert not [r for r in caplog.records if "2029" in r.getMessage()]


def _checks_on(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    return checks.calendar_covers_this_and_next_year(databases=["default"])


def test_system_check_warns_when_next_year_has_no_holidays(monkeypatch):
    warnings = _checks_on(monkeypatch, D(2026, 6, 1))
    assert [w.id for w in warnings] == ["workdays.W001"]
    assert "2027" in warnings[0].msg


def test_system_check_is_silent_once_next_years_holidays_are_entered(monkeypatch, override):
    override(D(2027, 2, 8), is_working_day=False, name="春节")
    assert _checks_on(monkeypatch, D(2026, 6, 1)) == []


def test_system_check_needs_a_database(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2030, 1, 2))
    assert checks.calendar_covers_this_and_next_year(databases=None) == []


def test_system_check_warns_for_this_year_and_next_beyond_the_library(monkeypatch):
    warnings = _checks_on(monkeypatch, D(2030, 1, 2))
    assert len(warnings) == 2
    assert "2030" in warnings[0].msg and "2031" in warnings[1].msg
