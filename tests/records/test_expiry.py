"""A published record past its maximum period stops automatically, once, even if the job missed days."""

import datetime as dt

import pytest
from django.core.management import call_command

from creditrepair.records.models import PartnerNotice, PublicationHistory, Record
from creditrepair.records.services import publish_after_grace, stop_expired_publications
from tests.factories import MeasureFactory


def decided_months_ago(months, days=0):
    today = dt.date.today()
    from dateutil.relativedelta import relativedelta

    return today - relativedelta(months=months) - dt.timedelta(days=days)


@pytest.fixture
def straddling(dept_user, make_record):
    """General records (max 12 months, national 2026): one expired yesterday, one today, one tomorrow."""
    MeasureFactory(category="admin_penalty")
    MeasureFactory(category="admin_penalty")
    today = dt.date.today()
    from dateutil.relativedelta import relativedelta

    made = {}
    for label, offset in (("yesterday", 1), ("today", 0), ("tomorrow", -1)):
        record = make_record(dept_user, decided=today - relativedelta(months=12) + dt.timedelta(days=-offset))
        Record.objects.filter(pk=record.pk).update(
            status="published", max_until=today - dt.timedelta(days=offset)
        )
        made[label] = record.pk
    return made


def test_records_whose_maximum_period_ended_stop_and_the_rest_stay(straddling):
    result = stop_expired_publications()
    statuses = dict(Record.objects.filter(pk__in=straddling.values()).values_list("pk", "status"))
    assert statuses[straddling["yesterday"]] == "expired"
    assert statuses[straddling["today"]] == "expired"  # published through the day before max_until
    assert statuses[straddling["tomorrow"]] == "published"
    assert result.records == 2
    assert result.notices == 4  # two partners × two records


def test_running_the_job_twice_writes_no_duplicate_history_or_notices(straddling):
    stop_expired_publications(batch_size=1)
    history = PublicationHistory.objects.filter(reason="expiry").count()
    notices = PartnerNotice.objects.count()
    again = stop_expired_publications()
    assert again.records == 0
    assert PublicationHistory.objects.filter(reason="expiry").count() == history == 2
    assert PartnerNotice.objects.count() == notices == 4


def test_the_job_catches_up_after_missed_days(dept_user, make_record):
    record = make_record(dept_user)
    Record.objects.filter(pk=record.pk).update(max_until=dt.date.today() - dt.timedelta(days=40))
    stop_expired_publications()
    record.refresh_from_db()
    assert record.status == "expired"
    history = record.history.order_by("id").last()
    assert (history.from_status, history.to_status, history.actor_label) == ("published", "expired", "system:expiry")


def test_the_command_prints_a_summary(straddling, capsys):
    call_command("stop_expired_publications")
    out = capsys.readouterr().out
    assert "2" in out


def test_a_court_listing_in_its_grace_period_is_hidden_until_it_ends(court_staff, make_record, time_machine_days):
    today = dt.date.today()
    record = make_record(court_staff, category="court_debtor", severity="serious", decided=today,
                         grace_until=today + dt.timedelta(days=10))
    assert record.status == "not_published"
    assert publish_after_grace().records == 0
    with time_machine_days(11):
        assert publish_after_grace().records == 1
    record.refresh_from_db()
    assert record.status == "published"
