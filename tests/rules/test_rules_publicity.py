"""Publicity windows of every shipped rule set, at their boundaries (domain §2)."""

import datetime as dt

import pytest

from creditrepair.rules.selectors import Window, publicity_window, rule_set_by_code, rules_for_decision
from creditrepair.rules.schema import Publicity, UnknownRuleName

pytestmark = pytest.mark.django_db

D = dt.date
ONE_DAY = dt.timedelta(days=1)

# rule set, jurisdiction, decision date, category, severity, sector, published, min_until, max_until
WINDOWS = [
    # national 2026 (decided 2026-05-15)
    ("national-2026", "110105", D(2026, 5, 15), "admin_penalty", "minor", None, False, D(2026, 5, 15), D(2026, 8, 15)),
    ("national-2026", "110105", D(2026, 5, 15), "admin_penalty", "general", None, True, D(2026, 8, 15), D(2027, 5, 15)),
    ("national-2026", "110105", D(2026, 5, 15), "admin_penalty", "serious", None, True, D(2027, 5, 15), D(2029, 5, 15)),
    ("national-2026", "110105", D(2026, 5, 15), "admin_penalty", "general", "food", True, D(2026, 8, 15), D(2027, 5, 15)),
    ("national-2026", "110105", D(2026, 5, 15), "court_debtor", "serious", None, True, D(2026, 5, 15), D(2028, 5, 15)),
    ("national-2026", "110105", D(2026, 5, 15), "court_debtor", "minor", None, True, D(2026, 5, 15), D(2028, 5, 15)),
    # Ya'an 2026 (decided in a district of Ya'an): same periods as nationally
    ("yaan-local", "511802", D(2026, 5, 15), "admin_penalty", "minor", None, False, D(2026, 5, 15), D(2026, 8, 15)),
    ("yaan-local", "511802", D(2026, 5, 15), "admin_penalty", "general", None, True, D(2026, 8, 15), D(2027, 5, 15)),
    ("yaan-local", "511802", D(2026, 5, 15), "serious_list", "serious", None, True, D(2027, 5, 15), D(2029, 5, 15)),
    ("yaan-local", "511802", D(2026, 5, 15), "court_debtor", "general", None, True, D(2026, 5, 15), D(2028, 5, 15)),
    # national 2023 (decided 2024-03-10): general up to 3 years, 1 year minimum in five sectors
    ("national-2023", "110105", D(2024, 3, 10), "admin_penalty", "minor", None, False, D(2024, 3, 10), D(2024, 6, 10)),
    ("national-2023", "110105", D(2024, 3, 10), "admin_penalty", "general", None, True, D(2024, 6, 10), D(2027, 3, 10)),
    ("national-2023", "110105", D(2024, 3, 10), "admin_penalty", "general", "tax", True, D(2024, 6, 10), D(2027, 3, 10)),
    ("national-2023", "110105", D(2024, 3, 10), "admin_penalty", "general", "food", True, D(2025, 3, 10), D(2027, 3, 10)),
    ("national-2023", "110105", D(2024, 3, 10), "admin_penalty", "general", "drug", True, D(2025, 3, 10), D(2027, 3, 10)),
    ("national-2023", "110105", D(2024, 3, 10), "admin_penalty", "general", "special_equipment", True, D(2025, 3, 10), D(2027, 3, 10)),
    ("national-2023", "110105", D(2024, 3, 10), "admin_penalty", "general", "work_safety", True, D(2025, 3, 10), D(2027, 3, 10)),
    ("national-2023", "110105", D(2024, 3, 10), "admin_penalty", "general", "fire", True, D(2025, 3, 10), D(2027, 3, 10)),
    ("national-2023", "110105", D(2024, 3, 10), "admin_penalty", "serious", None, True, D(2025, 3, 10), D(2027, 3, 10)),
    ("national-2023", "110105", D(2024, 3, 10), "admin_penalty", "serious", "food", True, D(2025, 3, 10), D(2027, 3, 10)),
    ("national-2023", "110105", D(2024, 3, 10), "court_debtor", "serious", None, True, D(2024, 3, 10), D(2026, 3, 10)),
    # national 2023, decided on 31 January: month ends clamp (2026-01-31 + 3 months = 2026-04-30)
    ("national-2023", "110105", D(2026, 1, 31), "admin_penalty", "general", None, True, D(2026, 4, 30), D(2029, 1, 31)),
    # national 2019 (decided 2021-08-31): general 3 months–1 year, serious 6 months–3 years
    ("national-2019", "110105", D(2021, 8, 31), "admin_penalty", "minor", None, False, D(2021, 8, 31), D(2021, 11, 30)),
    ("national-2019", "110105", D(2021, 8, 31), "admin_penalty", "general", None, True, D(2021, 11, 30), D(2022, 8, 31)),
    ("national-2019", "110105", D(2021, 8, 31), "admin_penalty", "general", "food", True, D(2021, 11, 30), D(2022, 8, 31)),
    ("national-2019", "110105", D(2021, 8, 31), "admin_penalty", "serious", None, True, D(2022, 2, 28), D(2024, 8, 31)),
    ("national-2019", "110105", D(2021, 8, 31), "court_debtor", "general", None, True, D(2021, 8, 31), D(2023, 8, 31)),
]


@pytest.mark.parametrize(
    "code, jurisdiction, decided, category, severity, sector, published, min_until, max_until", WINDOWS
)
def test_publicity_window_of_every_rule_set(
    code, jurisdiction, decided, category, severity, sector, published, min_until, max_until
):
    rules = rules_for_decision(jurisdiction, decided)
    assert rules.code == code
    window = publicity_window(rules, category=category, severity=severity, decision_date=decided, sector=sector)
    assert window == Window(published, decided, min_until, max_until)
    # The minimum period: repair may not be requested the day before it ends, and may on that day.
    assert not window.min_period_over(min_until - ONE_DAY)
    assert window.min_period_over(min_until)
    # The maximum period: published through the day before max_until, stopped on it.
    assert window.published_on(max_until - ONE_DAY) is published
    assert window.published_on(max_until) is False
    assert window.published_on(decided - ONE_DAY) is False


def test_a_general_penalty_cannot_be_repaired_before_three_months():
    rules = rule_set_by_code("national-2026")
    window = publicity_window(rules, category="admin_penalty", severity="general", decision_date=D(2026, 4, 20))
    assert not window.min_period_over(D(2026, 7, 19))
    assert window.min_period_over(D(2026, 7, 20))


def test_a_minor_decision_is_repairable_at_once_and_not_published():
    rules = rule_set_by_code("national-2026")
    window = publicity_window(rules, category="admin_penalty", severity="minor", decision_date=D(2026, 6, 1))
    assert window.min_period_over(D(2026, 6, 1))
    assert not window.published_on(D(2026, 6, 1))


def test_a_court_listing_lasts_24_months_whatever_its_severity():
    rules = rule_set_by_code("national-2026")
    for severity in ("minor", "general", "serious"):
        assert rules.publicity("court_debtor", severity) == Publicity(True, 0, 24)


def test_sector_override_2023_food_needs_12_months_only_in_its_sector():
    rules = rule_set_by_code("national-2023")
    assert rules.publicity("admin_penalty", "general", sector="food") == Publicity(True, 12, 36)
    assert rules.publicity("admin_penalty", "general", sector=" Food ") == Publicity(True, 12, 36)
    assert rules.publicity("admin_penalty", "general", sector="environment") == Publicity(True, 3, 36)
    assert rules.publicity("admin_penalty", "general") == Publicity(True, 3, 36)
    assert rules.publicity("admin_penalty", "minor", sector="food") == Publicity(False, 0, 3)


PENALTY_OVERRIDES = """
[[publicity.overrides]]
penalty_type = "license_revocation"
min_months = 6
max_months = 24

[[publicity.overrides]]
penalty_type = "warning"
min_months = 1
max_months = 6

[[publicity.overrides]]
sector = "food"
severity = "general"
min_months = 9
"""


def test_the_longest_period_applies_when_a_decision_has_several_penalty_types(build_rules):
    rules = build_rules("national-2026", extra=PENALTY_OVERRIDES)
    # one type: its override replaces the severity's period, shorter or longer
    assert rules.publicity("admin_penalty", "general", penalty_types=["warning"]) == Publicity(True, 1, 6)
    assert rules.publicity("admin_penalty", "general", penalty_types=["license_revocation"]) == Publicity(True, 6, 24)
    # several types: the longest wins; a type without an override keeps the severity's period (3–12)
    assert rules.publicity("admin_penalty", "general", penalty_types=["warning", "license_revocation"]) == Publicity(
        True, 6, 24
    )
    assert rules.publicity("admin_penalty", "general", penalty_types=["warning", "fine"]) == Publicity(True, 3, 12)
    assert rules.publicity("admin_penalty", "general", penalty_types="warning") == Publicity(True, 1, 6)


def test_the_longest_period_applies_when_several_overrides_match(build_rules):
    rules = build_rules("national-2026", extra=PENALTY_OVERRIDES)
    # food (9–12) and warning (1–6) both match: the longest minimum and maximum apply
    assert rules.publicity("admin_penalty", "general", sector="food", penalty_types=["warning"]) == Publicity(True, 9, 12)
    assert rules.publicity("admin_penalty", "general", sector="food", penalty_types=["license_revocation"]) == Publicity(
        True, 9, 24
    )


def test_publicity_window_follows_the_longest_penalty_type(build_rules):
    rules = build_rules("national-2026", extra=PENALTY_OVERRIDES)
    window = publicity_window(
        rules,
        category="admin_penalty",
        severity="general",
        decision_date=D(2026, 5, 31),
        penalty_types=("fine", "license_revocation"),
    )
    assert (window.min_until, window.max_until) == (D(2026, 11, 30), D(2028, 5, 31))


def test_unknown_severity_or_category_is_a_clear_error():
    rules = rule_set_by_code("national-2026")
    with pytest.raises(UnknownRuleName, match="severity 'grave'"):
        rules.publicity("admin_penalty", "grave")
    with pytest.raises(UnknownRuleName, match="category 'penalty'"):
        rules.publicity("penalty", "general")
