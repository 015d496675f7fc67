"""A bad rule file is refused with an error naming the file and the field."""

import pytest

from creditrepair.rules.loader import read_rule_file, read_rules_dir
from creditrepair.rules.schema import RuleSetInvalid

from tests.rules.conftest import edit



def _errors_of(rules_dir, shipped_text, edits, stem="national-2026", extra=""):
    text = shipped_text(stem)
    for old, new in edits:
        text = edit(text, old, new)
    directory = rules_dir({f"{stem}.toml": text + extra})
    with pytest.raises(RuleSetInvalid) as raised:
        read_rule_file(directory / f"{stem}.toml")
    return str(raised.value)


@pytest.mark.parametrize("stem", ["national-2019", "national-2023", "national-2026", "yaan-local"])
def test_every_shipped_file_validates_on_its_own(rules_dir, shipped_text, stem):
    directory = rules_dir({f"{stem}.toml": shipped_text(stem)})
    assert read_rule_file(directory / f"{stem}.toml").rules.code == stem


def test_the_shipped_files_validate_together(settings):
    assert {f.rules.code for f in read_rules_dir(settings.RULES_DIR)} == {
        "national-2019",
        "national-2023",
        "national-2026",
        "yaan-local",
    }


def test_a_maximum_below_the_minimum_names_file_and_field(rules_dir, shipped_text):
    message = _errors_of(
        rules_dir, shipped_text, [("min_months = 3                     # minimum 3 months", "min_months = 13 #")]
    )
    assert "national-2026.toml: publicity.general.max_months: must be an integer ≥ min_months" in message


def test_an_unknown_key_is_rejected(rules_dir, shipped_text):
    message = _errors_of(rules_dir, shipped_text, [("# effective_to: open", 'efective_to = 2030-01-01\n#')])
    assert "national-2026.toml: efective_to: unknown key" in message


def test_a_misspelt_limit_is_an_unknown_key_and_leaves_the_real_one_missing(rules_dir, shipped_text):
    message = _errors_of(rules_dir, shipped_text, [("repair_intake = { days = 3 }", "repair_intak = { days = 3 }")])
    assert "national-2026.toml: limits.repair_intak: unknown key" in message
    assert "national-2026.toml: limits.repair_intake: is required" in message


def test_an_unknown_key_inside_a_table_is_rejected(rules_dir, shipped_text):
    message = _errors_of(rules_dir, shipped_text, [("mask_id = true", "mask_id = true\nmask_phone = true")])
    assert "national-2026.toml: privacy.mask_phone: unknown key" in message


def test_material_kinds_are_the_contracts(rules_dir, shipped_text):
    message = _errors_of(
        rules_dir,
        shipped_text,
        [('general = ["performance_proof", "commitment_letter"]', 'general = ["performance_proof", "fine_receipt"]')],
    )
    assert "national-2026.toml: materials.repair.general[1]: must be one of performance_proof," in message
    assert "(got 'fine_receipt')" in message


def test_categories_are_the_contracts(rules_dir, shipped_text):
    message = _errors_of(
        rules_dir,
        shipped_text,
        [("not_repairable_categories = []", 'not_repairable_categories = ["court_listing"]')],
    )
    assert "national-2026.toml: refusals.not_repairable_categories[0]: must be one of admin_penalty," in message


def test_an_override_category_is_checked(rules_dir, shipped_text):
    message = _errors_of(rules_dir, shipped_text, [('category = "court_debtor"', 'category = "court"')])
    assert "national-2026.toml: publicity.overrides[0].category: must be one of" in message


def test_an_override_must_match_something(rules_dir, shipped_text):
    message = _errors_of(
        rules_dir, shipped_text, [], extra="\n[[publicity.overrides]]\nmin_months = 6\n"
    )
    assert "publicity.overrides[1]: must match on at least one of category, sector, penalty_type, severity" in message


def test_an_override_may_not_give_a_maximum_below_the_minimum(rules_dir, shipped_text):
    message = _errors_of(rules_dir, shipped_text, [], extra='\n[[publicity.overrides]]\nsector = "food"\nmin_months = 6\n')
    assert "publicity.overrides[1].min_months: gives a maximum (3) below the minimum (6) for minor" in message


def test_the_court_listing_override_must_match_the_listing_term(rules_dir, shipped_text):
    message = _errors_of(
        rules_dir, shipped_text, [("listing_term_months = 24 ", "listing_term_months = 36 ")]
    )
    assert "publicity.overrides[0].max_months: must equal courts.listing_term_months (36) for court_debtor" in message


def test_a_limit_unit_is_working_or_calendar(rules_dir, shipped_text):
    message = _errors_of(
        rules_dir, shipped_text, [('court_correction_review = { days = 15, unit = "calendar" }',
                                   'court_correction_review = { days = 15, unit = "weeks" }')]
    )
    assert "national-2026.toml: limits.court_correction_review.unit: must be one of working, calendar" in message


def test_a_limit_needs_whole_days(rules_dir, shipped_text):
    message = _errors_of(rules_dir, shipped_text, [("objection_intake = { days = 2 }", "objection_intake = { days = -2 }")])
    assert "national-2026.toml: limits.objection_intake.days: must be an integer ≥ 0" in message


def test_the_jurisdiction_is_a_six_digit_code(rules_dir, shipped_text):
    message = _errors_of(rules_dir, shipped_text, [('jurisdiction = "000000"', 'jurisdiction = "0"')])
    assert "national-2026.toml: jurisdiction: must be a 6-digit administrative division code" in message


def test_dates_are_toml_dates_and_in_order(rules_dir, shipped_text):
    message = _errors_of(
        rules_dir,
        shipped_text,
        [("effective_from = 2026-04-01", 'effective_from = "2026-04-01"')],
    )
    assert "national-2026.toml: effective_from: must be a date (YYYY-MM-DD, unquoted)" in message
    message = _errors_of(rules_dir, shipped_text, [("# effective_to: open", "effective_to = 2026-03-31\n#")])
    assert "national-2026.toml: effective_to: must not be before effective_from" in message


def test_a_missing_section_is_named(rules_dir, shipped_text):
    text = shipped_text("national-2026")
    text = text[: text.index("[privacy]")]
    directory = rules_dir({"national-2026.toml": text})
    with pytest.raises(RuleSetInvalid, match="national-2026.toml: privacy: is required"):
        read_rule_file(directory / "national-2026.toml")


def test_a_repair_must_list_materials_for_every_severity(rules_dir, shipped_text):
    message = _errors_of(
        rules_dir, shipped_text, [('minor = ["performance_proof", "commitment_letter"]\n', "")]
    )
    assert "national-2026.toml: materials.repair: must list kinds for minor (or give a default)" in message


def test_broken_toml_names_the_file(rules_dir):
    directory = rules_dir({"broken.toml": 'code = "x\n'})
    with pytest.raises(RuleSetInvalid, match=r"^broken.toml: not valid TOML"):
        read_rule_file(directory / "broken.toml")


def test_all_errors_of_a_file_are_reported_together(rules_dir, shipped_text):
    message = _errors_of(
        rules_dir,
        shipped_text,
        [("mask_name = true", 'mask_name = "yes"'), ("instalment_grace_days = 10", "instalment_grace_days = 1.5")],
    )
    assert "privacy.mask_name: must be true or false" in message
    assert "courts.instalment_grace_days: must be an integer ≥ 0" in message


def test_two_files_may_not_share_a_code(rules_dir, shipped_text):
    text = shipped_text("national-2026")
    directory = rules_dir({"a.toml": text, "b.toml": edit(text, 'jurisdiction = "000000" ', 'jurisdiction = "110000" ')})
    with pytest.raises(RuleSetInvalid, match="b.toml: code: 'national-2026' is already used by a.toml"):
        read_rules_dir(directory)


def test_two_rule_sets_of_one_jurisdiction_may_not_be_in_force_on_the_same_day(rules_dir, shipped_text):
    text = shipped_text("national-2026")
    directory = rules_dir(
        {"national-2026.toml": text, "overlap.toml": edit(text, 'code = "national-2026"', 'code = "overlap"')}
    )
    with pytest.raises(RuleSetInvalid, match="overlap.toml: effective_from: in force on the same days as national-2026.toml"):
        read_rules_dir(directory)
