"""Records are entered by the recognising department and published per the rule set of the decision date."""

import datetime as dt

import pytest

from creditrepair.core.errors import Conflict, InvalidCode, PermissionDenied
from tests.factories import PersonFactory


def test_a_general_penalty_is_published_with_its_window(dept_user, make_record, at_date):
    decided = dt.date(2026, 5, 10)
    with at_date(dt.date(2026, 11, 22)):
        record = make_record(dept_user, decided=decided)
    assert record.status == "published"
    assert (record.published_from, record.min_until, record.max_until) == (
        decided, dt.date(2026, 8, 10), dt.date(2027, 5, 10))
    assert record.rule_set_code == "national-2026"
    assert record.history.get().reason == "created"


def test_a_minor_penalty_is_not_published_by_default(dept_user, make_record):
    assert make_record(dept_user, severity="minor").status == "not_published"


def test_a_minor_penalty_is_published_where_the_department_decides_so(dept_user, make_record):
    recent = dt.date.today() - dt.timedelta(days=20)  # minor: at most 3 months
    assert make_record(dept_user, severity="minor", publish_minor=True, decided=recent).status == "published"


def test_a_natural_persons_administrative_record_is_not_published(dept_user, make_record):
    assert make_record(dept_user, PersonFactory()).status == "not_published"


def test_a_natural_persons_court_listing_is_published(court_staff, make_record):
    record = make_record(court_staff, PersonFactory(), category="court_debtor", severity="serious")
    assert record.status == "published"


def test_a_record_entered_after_its_maximum_period_is_expired_at_once(dept_user, make_record):
    assert make_record(dept_user, decided=dt.date(2021, 1, 5)).status == "expired"


def test_the_same_decision_number_twice_is_a_duplicate(dept_user, make_record):
    make_record(dept_user, decision_no="雅市监罚〔2026〕1号")
    with pytest.raises(Conflict) as exc:
        make_record(dept_user, decision_no="雅市监罚〔2026〕1号")
    assert exc.value.code == "duplicate_case"


def test_a_department_cannot_enter_a_court_listing(dept_user, make_record):
    with pytest.raises(PermissionDenied):
        make_record(dept_user, category="court_debtor")


def test_a_court_enters_only_court_listings(court_staff, make_record):
    with pytest.raises(PermissionDenied):
        make_record(court_staff, category="admin_penalty")


def test_a_subject_user_cannot_enter_records(ent_user, make_record):
    with pytest.raises(PermissionDenied):
        make_record(ent_user)


def test_an_invalid_subject_code_is_refused(dept_user, make_record):
    from creditrepair.registry.models import Subject

    bad = Subject(code="91511800MA00000000", name="坏代码公司", type="legal_person")
    with pytest.raises(InvalidCode):
        make_record(dept_user, bad)
