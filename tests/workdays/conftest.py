"""Fixtures of the working-day tests: a clean calendar cache around every test."""

import factory
import pytest

from creditrepair.workdays import services
from creditrepair.workdays.models import CalendarOverride


class CalendarOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarOverride
        django_get_or_create = ["date"]

    is_working_day = False
    name = "春节"
    note = "国务院办公厅关于 2027 年部分节假日安排的通知（测试数据）"


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test starts with no cached overrides and no remembered fallback warnings."""
    services.clear_cache()
    services._warned_years.clear()
    yield
    services.clear_cache()
    services._warned_years.clear()


@pytest.fixture
def override():
    """Create a calendar override: ``override(date, is_working_day=False, name="春节")``."""

    def make(day, **fields):
        return CalendarOverrideFactory(date=day, **fields)

    return make
