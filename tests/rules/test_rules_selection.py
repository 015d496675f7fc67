"""Which rule set applies: by date (decision vs filing) and by the most specific jurisdiction."""

import datetime as dt

import pytest

from creditrepair.core.errors import Conflict, InvalidInput, NotFound
from creditrepair.rules.loader import load_rules
from creditrepair.rules.selectors import (
    publicity_window,
    rule_set_by_code,
    rule_set_for,
    rules_for_decision,
    rules_for_filing,
)


pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    "on, code",
    [
        (D(2019, 7, 1), "national-2019"),
        (D(2022, 6, 30), "national-2019"),
        (D(2022, 12, 31), "national-2019"),
        (D(2023, 1, 1), "national-2023"),
        (D(2024, 8, 15), "national-2023"),
        (D(2026, 3, 31), "national-2023"),
        (D(2026, 4, 1), "national-2026"),
        (D(2026, 5, 20), "national-2026"),
        (D(2031, 1, 1), "national-2026"),  # open-ended
    ],
)
def test_the_rule_set_in_force_on_the_date_applies(on, code):
    assert rule_set_for("110105", on).code == code


def test_a_2022_decision_keeps_the_2019_rules_while_its_2026_case_follows_the_2026_procedure():
    decided, filed = D(2022, 6, 30), D(2026, 5, 11)
    for_window = rules_for_decision("110105", decided)
    for_procedure = rules_for_filing("110105", filed)
    assert for_window.code == "national-2019"
    assert for_procedure.code == "national-2026"
    window = publicity_window(for_window, category="admin_penalty", severity="serious", decision_date=decided)
    assert window.min_until == D(2022, 12, 30)  # 2019: 6 months, not the 2026 year
    assert for_procedure.required_materials("repair", "serious", "admin_penalty") == (
        "performance_proof",
        "rectification_report",
        "commitment_letter",
    )


def test_a_2024_decision_gets_the_2023_rules():
    assert rules_for_decision("110105", D(2024, 2, 29)).code == "national-2023"


def test_a_may_2026_decision_gets_the_2026_rules():
    assert rules_for_decision("110105", D(2026, 5, 6)).code == "national-2026"


@pytest.mark.parametrize(
    "jurisdiction, code",
    [
        ("511802", "yaan-local"),  # 雨城区, Ya'an
        ("511800", "yaan-local"),  # Ya'an itself
        ("511827", "yaan-local"),  # 宝兴县, Ya'an
        ("110105", "national-2026"),  # 朝阳区, Beijing
        ("510104", "national-2026"),  # Chengdu: Sichuan, not Ya'an
        ("511702", "national-2026"),  # Dazhou: shares "51" but not "5118"
    ],
)
def test_the_most_specific_jurisdiction_wins(jurisdiction, code):
    assert rule_set_for(jurisdiction, D(2026, 5, 20)).code == code


def test_yaan_uses_the_national_rules_before_its_own_take_effect():
    assert rule_set_for("511802", D(2026, 3, 31)).code == "national-2023"


def test_a_province_rule_set_sits_between_the_city_and_the_nation(rules_dir, shipped_text, edit_text):
    edit = edit_text
    text = shipped_text("national-2026")
    text = edit(text, 'code = "national-2026"', 'code = "sichuan-test"')
    text = edit(text, 'jurisdiction = "000000" ', 'jurisdiction = "510000" ')
    load_rules(rules_dir({"sichuan-test.toml": text}))
    assert rule_set_for("510104", D(2026, 5, 20)).code == "sichuan-test"
    assert rule_set_for("511802", D(2026, 5, 20)).code == "yaan-local"
    assert rule_set_for("110105", D(2026, 5, 20)).code == "national-2026"


def test_no_rule_set_in_force_is_a_conflict_named_no_rule_set():
    with pytest.raises(Conflict) as raised:
        rule_set_for("110105", D(2018, 12, 31))
    assert raised.value.code == "no_rule_set"
    assert raised.value.status == 409
    assert "110105" in str(raised.value.message) and "2018-12-31" in str(raised.value.message)


@pytest.mark.parametrize("bad", ["5118", "51180a", 511802, "5118020"])
def test_the_jurisdiction_must_be_six_digits(bad):
    with pytest.raises(InvalidInput):
        rule_set_for(bad, D(2026, 5, 20))


def test_rule_set_by_code():
    assert rule_set_by_code("yaan-local").jurisdiction == "511800"
    with pytest.raises(NotFound) as raised:
        rule_set_by_code("atlantis-2026")
    assert raised.value.code == "no_rule_set"


def test_parsed_rule_sets_are_cached_and_follow_a_reloaded_file(
    rules_dir, shipped_text, edit_text, django_assert_num_queries
):
    edit = edit_text
    rule_set_by_code("national-2026")
    with django_assert_num_queries(1):  # the digest only; the document comes from the cache
        rules = rule_set_by_code("national-2026")
    assert rules.limit("repair_intake").days == 3
    changed = edit(shipped_text("national-2026"), "repair_intake = { days = 3 }", "repair_intake = { days = 4 }")
    load_rules(rules_dir({"national-2026.toml": changed}))
    assert rule_set_by_code("national-2026").limit("repair_intake").days == 4
