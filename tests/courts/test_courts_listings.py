"""Court listings: grace period, term and extension bounds, consumption restrictions, the relisting bar."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from creditrepair.core.errors import Conflict, InvalidInput, NotFound
from creditrepair.courts import services
from creditrepair.courts.models import ConsumptionRestriction, RestrictionChange
from creditrepair.records.services import publish_after_grace
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_grace_period_hides_a_listing_through_its_last_day_then_the_sweep_publishes_it(judge, make_listing):
    today = dt.date.today()
    listing = make_listing(judge, decided=today, grace_months=1)
    record = listing.record
    assert record.grace_until == today + relativedelta(months=1) - dt.timedelta(days=1)
    assert record.status == "not_published"

    publish_after_grace(today=record.grace_until)  # the last day of grace: still hidden
    record.refresh_from_db()
    assert record.status == "not_published"

    publish_after_grace(today=record.grace_until + dt.timedelta(days=1))
    record.refresh_from_db()
    assert record.status == "published"


def test_a_listing_without_grace_is_published_at_once_for_the_two_year_term(judge, make_listing):
    listing = make_listing(judge)
    assert listing.record.status == "published"
    assert listing.term_months == 24
    assert listing.record.max_until == listing.record.decision_date + relativedelta(months=24)


@pytest.mark.parametrize("months", [4, 12 + 0])
def test_grace_period_outside_the_rule_sets_bounds_is_refused(judge, make_listing, months):
    with pytest.raises(InvalidInput) as exc:
        make_listing(judge, grace_months=months)
    assert "grace_months" in exc.value.details


def test_an_extension_of_one_to_three_years_lengthens_the_listing(judge, make_listing):
    listing = make_listing(judge, extension_months=12)
    assert listing.record.max_until == listing.record.decision_date + relativedelta(months=36)
    with pytest.raises(InvalidInput):
        make_listing(judge, extension_months=6)
    with pytest.raises(InvalidInput):
        make_listing(judge, extension_months=48)


def test_restrictions_bind_the_unit_and_its_legal_representative_with_history(judge, make_listing):
    listing = make_listing(judge)
    rows = ConsumptionRestriction.objects.filter(listing=listing)
    assert {(r.measure, r.applies_to, r.person_name) for r in rows} == {
        ("flights", "debtor", ""), ("star_hotels", "debtor", ""), ("flights", "legal_representative", "李明")}
    assert all(r.active for r in rows)
    assert RestrictionChange.objects.filter(restriction__listing=listing, action="imposed").count() == 3


def test_a_restriction_on_a_representative_needs_a_name(judge, make_listing):
    with pytest.raises(InvalidInput):
        make_listing(judge, restrictions=[{"measure": "flights", "applies_to": "legal_representative"}])


def test_deletion_at_the_creditors_request_bars_relisting_at_its_request_for_six_months(judge, make_listing, at_date):
    debtor = factories.SubjectFactory()
    first = make_listing(judge, debtor, at_creditor_request=True)
    services.court_listing_delete(judge, first, ground="creditor_request", reason="申请执行人书面申请删除")
    first.record.refresh_from_db()
    assert first.record.status == "removed"
    deleted_on = dt.date.today()

    with pytest.raises(Conflict) as exc:
        make_listing(judge, debtor, at_creditor_request=True)
    assert exc.value.code == "relisting_barred"
    assert exc.value.details["barred_until"] == (deleted_on + relativedelta(months=6)).isoformat()

    # Another creditor's request, or the court of its own motion: not barred.
    make_listing(judge, debtor, at_creditor_request=True, creditor_name="雅安农商银行")
    make_listing(judge, debtor, at_creditor_request=False)

    with at_date(deleted_on + relativedelta(months=6) - dt.timedelta(days=1)):
        with pytest.raises(Conflict):
            make_listing(judge, debtor, at_creditor_request=True, decided=deleted_on)
    with at_date(deleted_on + relativedelta(months=6)):
        listing = make_listing(judge, debtor, at_creditor_request=True, decided=deleted_on)
    assert listing.record.subject == debtor


def test_only_the_listing_court_can_delete_its_listing(judge, other_judge, make_listing):
    listing = make_listing(judge)
    with pytest.raises(NotFound):
        services.court_listing_delete(other_judge, listing, ground="full_performance")
    listing.record.refresh_from_db()
    assert listing.record.status == "published"


def test_deletion_on_full_performance_lifts_restrictions_for_good_and_keeps_history(judge, make_listing):
    listing = make_listing(judge)
    services.court_listing_delete(judge, listing, ground="full_performance")
    listing.refresh_from_db()
    assert listing.deleted_on == dt.date.today() and listing.deletion_ground == "full_performance"
    assert not listing.restrictions.filter(active=True).exists()
    assert all(r.final for r in listing.restrictions.all())
    assert [h.reason for h in listing.record.history.order_by("id")] == ["created", "court_deletion"]
