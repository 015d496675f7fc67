"""Working days around the 2025 and 2026 Spring Festival and National Day weeks (dates from chinese_calendar 1.11)."""

import datetime as dt
import time

import pytest

from creditrepair.workdays.services import (
    CALENDAR,
    WORKING,
    Limit,
    add_working_days,
    deadline_for,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db

D = dt.date


# ---------------------------------------------------------------- which days are working days


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2026, 2, 13), True),  # Friday before the 2026 Spring Festival
        (D(2026, 2, 14), True),  # Saturday, make-up working day (调休)
        (D(2026, 2, 15), False),  # Sunday, first day of the holiday
        (D(2026, 2, 16), False),  # Monday inside the holiday
        (D(2026, 2, 23), False),  # Monday, last day of the holiday
        (D(2026, 2, 24), True),  # Tuesday, back to work
        (D(2026, 2, 28), True),  # Saturday, second make-up day
        (D(2025, 1, 26), True),  # Sunday, make-up day before the 2025 Spring Festival
        (D(2025, 1, 28), False),  # 2025 Spring Festival holiday (28 Jan – 4 Feb)
        (D(2025, 2, 4), False),
        (D(2025, 2, 8), True),  # Saturday, make-up day after it
        (D(2025, 9, 28), True),  # Sunday, make-up day before National Day 2025
        (D(2025, 10, 8), False),  # National Day 2025 holiday runs 1–8 October
        (D(2025, 10, 11), True),  # Saturday, make-up day after it
        (D(2026, 9, 20), True),  # Sunday, make-up day before Mid-Autumn/National Day 2026
        (D(2026, 10, 7), False),  # National Day 2026 holiday runs 1–7 October
        (D(2026, 10, 10), True),  # Saturday, make-up day after it
        (D(2026, 10, 11), False),  # an ordinary Sunday
    ],
)
def test_holidays_are_off_and_make_up_days_count(day, working):
    assert is_working_day(day) is working


# ---------------------------------------------------------------- N working days after D


def test_three_working_days_from_the_friday_before_spring_festival_2026_end_on_25_february():
    # Sat 14 Feb (make-up) is day 1, Tue 24 Feb day 2, Wed 25 Feb day 3.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)


def test_three_working_days_from_the_friday_before_spring_festival_2025_end_on_5_february():
    # Sun 26 Jan (make-up) day 1, Mon 27 Jan day 2, holiday 28 Jan–4 Feb, Wed 5 Feb day 3.
    assert add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)


def test_a_make_up_saturday_after_national_day_2025_counts():
    # From Fri 26 Sep: Sun 28 Sep (make-up) 1, 29 Sep 2, 30 Sep 3, holiday 1–8 Oct, 9 Oct 4, 10 Oct 5, Sat 11 Oct 6.
    assert add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 10)
    assert add_working_days(D(2025, 9, 26), 6) == D(2025, 10, 11)
    assert add_working_days(D(2025, 9, 26), 7) == D(2025, 10, 13)


def test_five_working_days_across_national_day_2026_end_on_12_october():
    # From Tue 29 Sep: 30 Sep 1, holiday 1–7 Oct, 8 Oct 2, 9 Oct 3, Sat 10 Oct (make-up) 4, Mon 12 Oct 5.
    assert add_working_days(D(2026, 9, 29), 5) == D(2026, 10, 12)


def test_the_start_day_never_counts_even_when_it_is_a_working_day():
    assert add_working_days(D(2026, 2, 24), 1) == D(2026, 2, 25)


def test_a_limit_started_on_a_holiday_runs_from_the_first_working_day_after_it():
    assert add_working_days(D(2026, 2, 16), 1) == D(2026, 2, 24)


def test_zero_working_days_is_the_start_day_itself_even_on_a_holiday():
    assert add_working_days(D(2026, 2, 16), 0) == D(2026, 2, 16)


def test_negative_n_counts_back_over_the_holiday():
    assert add_working_days(D(2026, 2, 25), -3) == D(2026, 2, 13)
    assert add_working_days(D(2026, 2, 24), -1) == D(2026, 2, 14)  # the make-up Saturday


def test_dates_only_not_datetimes():
    with pytest.raises(TypeError):
        add_working_days(dt.datetime(2026, 2, 13, 9, 0), 3)
    with pytest.raises(TypeError):
        is_working_day("2026-02-13")


# ---------------------------------------------------------------- counting working days


def test_working_days_between_counts_the_days_after_a_through_b():
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 25)) == 3
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 13)) == 0
    assert working_days_between(D(2026, 2, 14), D(2026, 2, 23)) == 0  # all holiday after the make-up day


def test_working_days_between_is_negative_when_b_is_before_a():
    assert working_days_between(D(2026, 2, 25), D(2026, 2, 13)) == -3


def test_working_days_of_whole_years_and_across_new_year():
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248  # all of 2026
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 248  # all of 2025
    assert working_days_between(D(2026, 1, 31), D(2026, 2, 28)) == 16  # February 2026
    # 31 Dec 2025 is a Wednesday; 1–3 Jan 2026 are New Year holidays, Sun 4 Jan a make-up day.
    assert working_days_between(D(2025, 12, 30), D(2026, 1, 4)) == 2


@pytest.mark.parametrize("start", [D(2025, 1, 20), D(2025, 9, 25), D(2025, 12, 29), D(2026, 2, 12), D(2026, 9, 18)])
def test_counting_and_adding_agree(start):
    for n in range(0, 40):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_counting_years_of_working_days_is_fast_and_needs_no_query_per_day(django_assert_max_num_queries):
    is_working_day(D(2026, 1, 5))  # loads the overrides once
    with django_assert_max_num_queries(0):
        started = time.perf_counter()
        for offset in range(500):
            working_days_between(D(2019, 1, 1) + dt.timedelta(days=offset), D(2026, 12, 31))
        elapsed = time.perf_counter() - started
    assert elapsed < 2.0


# ---------------------------------------------------------------- limits


def test_a_working_day_limit_uses_working_days():
    assert deadline_for(D(2026, 2, 13), Limit(3)) == D(2026, 2, 25)
    assert Limit(3).unit == WORKING


def test_a_calendar_day_limit_counts_every_day_including_holidays():
    assert deadline_for(D(2026, 2, 13), Limit(15, CALENDAR)) == D(2026, 2, 28)
    assert deadline_for(D(2026, 9, 29), Limit(10, "calendar")) == D(2026, 10, 9)


@pytest.mark.parametrize("days, unit", [(-1, "working"), (3, "weeks"), (True, "working"), (1.5, "calendar")])
def test_a_limit_must_be_a_non_negative_whole_number_of_working_or_calendar_days(days, unit):
    with pytest.raises(ValueError):
        Limit(days, unit)


def test_a_limit_is_immutable():
    limit = Limit(3)
    with pytest.raises(AttributeError):
        limit.days = 4
