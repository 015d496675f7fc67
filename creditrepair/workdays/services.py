"""Chinese working days (工作日): weekends and statutory holidays are off, make-up days (调休) count.

The calendar is the ``chinesecalendar`` library (years it knows) plus the
operator's ``CalendarOverride`` rows, which always win. A day the library does
not know and no override covers falls back to Monday–Friday, with one warning
per process and year.

Domain rule (domain page §7): a limit of N working days from day D ends at the
end of the N-th working day after D; D itself never counts.

Speed: the overrides are read with one query and kept per process (cleared by
the signals in ``signals.py`` on save/delete, and re-read at least every
``OVERRIDE_CACHE_SECONDS`` so other processes follow). Each year is turned
into a table of working-day flags with running totals once, so
``working_days_between`` costs O(number of years), not one lookup per day.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass
from typing import Literal

import chinese_calendar

logger = logging.getLogger(__name__)

WORKING = "working"
CALENDAR = "calendar"
LIMIT_UNITS = (WORKING, CALENDAR)

#: How long a process trusts its copy of the overrides when no signal told it
#: otherwise (changes made by another process show up after at most this long).
OVERRIDE_CACHE_SECONDS = 300

#: Years the installed library has data for (inclusive).
LIBRARY_FIRST_YEAR = min(chinese_calendar.holidays).year
LIBRARY_LAST_YEAR = max(chinese_calendar.holidays).year


@dataclass(frozen=True)
class Limit:
    """A time limit: ``days`` working days (default) or calendar days."""

    days: int
    unit: Literal["working", "calendar"] = WORKING

    def __post_init__(self):
        if isinstance(self.days, bool) or not isinstance(self.days, int) or self.days < 0:
            raise ValueError(f"Limit.days must be a non-negative integer, not {self.days!r}")
        if self.unit not in LIMIT_UNITS:
            raise ValueError(f"Limit.unit must be one of {LIMIT_UNITS}, not {self.unit!r}")


def library_knows(year: int) -> bool:
    """True when the ``chinesecalendar`` library has the holidays of ``year``."""
    return LIBRARY_FIRST_YEAR <= year <= LIBRARY_LAST_YEAR


class _Year:
    """Working-day flags of one year and the running count (``cum[i]`` = working days among the first i days)."""

    __slots__ = ("first", "flags", "cum")

    def __init__(self, year: int, overrides: dict[dt.date, bool]):
        self.first = dt.date(year, 1, 1)
        length = (dt.date(year + 1, 1, 1) - self.first).days
        known = library_knows(year)
        flags = bytearray(length)
        cum = [0] * (length + 1)
        for i in range(length):
            day = self.first + dt.timedelta(days=i)
            if day in overrides:
                working = overrides[day]
            elif known:
                working = chinese_calendar.is_workday(day)
            else:
                working = day.weekday() < 5
            flags[i] = working
            cum[i + 1] = cum[i] + working
        self.flags = bytes(flags)
        self.cum = cum

    @property
    def total(self) -> int:
        return self.cum[-1]


_warned_years: set[int] = set()


class _Calendar:
    """An immutable snapshot: the overrides as loaded, and year tables built on demand."""

    def __init__(self, overrides: dict[dt.date, bool]):
        self.overrides = overrides
        self.override_years = frozenset(day.year for day in overrides)
        self.loaded_at = time.monotonic()
        self._years: dict[int, _Year] = {}

    def covers(self, year: int) -> bool:
        return library_knows(year) or year in self.override_years

    def year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            if not self.covers(year) and year not in _warned_years:
                _warned_years.add(year)
                logger.warning(
                    "Working-day calendar: no holiday data for %s (library knows %s–%s, no override); "
                    "counting Monday–Friday as working days. Enter the year's holidays as calendar overrides.",
                    year,
                    LIBRARY_FIRST_YEAR,
                    LIBRARY_LAST_YEAR,
                )
            table = self._years[year] = _Year(year, self.overrides)
        return table

    def is_working(self, day: dt.date) -> bool:
        table = self.year(day.year)
        return bool(table.flags[(day - table.first).days])

    def count_through(self, day: dt.date) -> int:
        """Working days from 1 January of ``day``'s year through ``day`` inclusive."""
        table = self.year(day.year)
        return table.cum[(day - table.first).days + 1]


_lock = threading.Lock()
_calendar_cache: _Calendar | None = None


def _calendar() -> _Calendar:
    global _calendar_cache
    cal = _calendar_cache
    if cal is not None and time.monotonic() - cal.loaded_at < OVERRIDE_CACHE_SECONDS:
        return cal
    from .models import CalendarOverride

    with _lock:
        cal = _calendar_cache
        if cal is None or time.monotonic() - cal.loaded_at >= OVERRIDE_CACHE_SECONDS:
            cal = _Calendar(dict(CalendarOverride.objects.values_list("date", "is_working_day")))
            _calendar_cache = cal
    return cal


def clear_cache() -> None:
    """Forget the cached overrides; the next call reads them again (signals call this)."""
    global _calendar_cache
    with _lock:
        _calendar_cache = None


def year_is_covered(year: int) -> bool:
    """True when the library knows ``year`` or at least one override falls in it."""
    return _calendar().covers(year)


def _check_date(value, name: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name} must be a datetime.date (use timezone.localdate() for a datetime), not {value!r}")
    return value


def is_working_day(day: dt.date) -> bool:
    """True when ``day`` is a Chinese working day (make-up days included, holidays and weekends not)."""
    return _calendar().is_working(_check_date(day, "day"))


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The N-th working day after ``start`` (``start`` never counts); ``n=0`` returns ``start``.

    A negative ``n`` gives the |n|-th working day before ``start``.
    """
    _check_date(start, "start")
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an integer, not {n!r}")
    cal = _calendar()
    step = dt.timedelta(days=1 if n > 0 else -1)
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if cal.is_working(day):
            remaining -= 1
    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Number of working days d with a < d <= b; negative (−count of b < d <= a) when b < a.

    ``working_days_between(d, add_working_days(d, n)) == n`` for every n >= 0.
    """
    _check_date(a, "a")
    _check_date(b, "b")
    if b < a:
        return -working_days_between(b, a)
    cal = _calendar()
    total = sum(cal.year(year).total for year in range(a.year, b.year))
    return total + cal.count_through(b) - cal.count_through(a)


def deadline_for(start: dt.date, limit: Limit) -> dt.date:
    """The last day of ``limit`` counted from ``start`` (working or calendar days after it)."""
    _check_date(start, "start")
    if limit.unit == WORKING:
        return add_working_days(start, limit.days)
    return start + dt.timedelta(days=limit.days)
