"""What a rule set says about procedure: limits, materials, refusals, courts, privacy."""

import datetime as dt

import pytest

from creditrepair.rules.schema import MonthRange, RepeatLimit, UnknownRuleName
from creditrepair.rules.selectors import rule_set_by_code, rules_for_filing
from creditrepair.workdays.services import Limit, deadline_for

pytestmark = pytest.mark.django_db

D = dt.date


EXPECTED_LIMITS = {
    "repair_intake": Limit(3),
    "repair_review": Limit(3),
    "repair_review_extension": Limit(3),
    "repair_answer_total": Limit(10),
    "partner_ack": Limit(3),
    "decision_revoked_removal": Limit(3),
    "objection_intake": Limit(2),
    "objection_platform_check": Limit(1),
    "objection_verification": Limit(5),
    "objection_verification_extension": Limit(5),
    "objection_total": Limit(20),
    "objection_review": Limit(5),
    "court_deletion": Limit(3),
    "court_correction_review": Limit(15, "calendar"),
    "court_correction": Limit(3),
    "court_reconsideration_apply": Limit(10, "calendar"),
    "court_reconsideration_decide": Limit(15, "calendar"),
    "reminder_before": Limit(1),
}


@pytest.mark.parametrize("code", ["national-2019", "national-2023", "national-2026", "yaan-local"])
def test_every_rule_set_defines_every_limit(code):
    rules = rule_set_by_code(code)
    assert {name: rules.limit(name) for name in EXPECTED_LIMITS} == EXPECTED_LIMITS


def test_a_repair_filed_before_spring_festival_2026_must_be_taken_in_by_25_february():
    rules = rules_for_filing("511802", D(2026, 2, 13))
    assert deadline_for(D(2026, 2, 13), rules.limit("repair_intake")) == D(2026, 2, 25)


def test_a_court_correction_review_counts_calendar_days():
    rules = rules_for_filing("110105", D(2026, 9, 29))
    assert deadline_for(D(2026, 9, 29), rules.limit("court_correction_review")) == D(2026, 10, 14)


def test_an_unknown_limit_is_a_clear_error():
    with pytest.raises(UnknownRuleName, match="rule set national-2026: no limit named 'repair_intake_days'"):
        rule_set_by_code("national-2026").limit("repair_intake_days")


def test_national_2026_repair_materials():
    rules = rule_set_by_code("national-2026")
    for severity in ("minor", "general"):
        assert rules.required_materials("repair", severity, "admin_penalty") == ("performance_proof", "commitment_letter")
    assert rules.required_materials("repair", "serious", "admin_penalty") == (
        "performance_proof",
        "rectification_report",
        "commitment_letter",
    )


def test_serious_list_exit_materials():
    rules = rule_set_by_code("national-2026")
    assert rules.required_materials("list_exit", "serious", "serious_list") == (
        "performance_proof",
        "rectification_report",
        "credit_report",
        "commitment_letter",
    )


def test_2019_serious_repairs_also_need_training_and_a_credit_report():
    rules = rule_set_by_code("national-2019")
    assert rules.required_materials("repair", "serious", "admin_penalty") == (
        "performance_proof",
        "rectification_report",
        "credit_report",
        "commitment_letter",
        "training_certificate",
    )
    assert rules.required_materials("repair", "general", "admin_penalty") == ("performance_proof", "commitment_letter")


def test_yaan_serious_repairs_need_interview_training_plan_report_and_both_commitments():
    rules = rules_for_filing("511802", D(2026, 6, 1))
    assert rules.code == "yaan-local"
    assert set(rules.required_materials("repair", "serious", "admin_penalty")) == {
        "performance_proof",
        "interview_record",
        "training_certificate",
        "rectification_plan",
        "rectification_report",
        "commitment_letter",
        "credit_keeping_commitment",
    }
    for severity in ("minor", "general"):
        assert rules.required_materials("repair", severity, "admin_penalty") == (
            "performance_proof", "commitment_letter")


def test_additional_materials_by_category(build_rules):
    rules = build_rules(
        extra='\n[[materials.additional]]\ncase_type = "repair"\ncategory = "abnormal_list"\nkinds = ["credit_report"]\n'
    )
    assert rules.required_materials("repair", "general", "abnormal_list") == (
        "performance_proof",
        "credit_report",
        "commitment_letter",
    )
    assert rules.required_materials("repair", "general", "admin_penalty") == ("performance_proof", "commitment_letter")


def test_unknown_case_type_is_a_clear_error():
    with pytest.raises(UnknownRuleName, match="case type 'objection'"):
        rule_set_by_code("national-2026").required_materials("objection", "general", "admin_penalty")


def test_national_refusals_have_no_repeat_limits():
    refusals = rule_set_by_code("national-2026").refusals
    assert refusals.not_repairable_categories == ()
    assert refusals.category_is_repairable("admin_penalty")
    assert refusals.revocation_bar_months == 36
    assert refusals.min_months_since_last_repair == 0
    assert refusals.max_repairs is None
    assert refusals.serious_act_within_months is None
    assert refusals.max_ignored_interviews is None


def test_yaan_repeat_limits():
    refusals = rule_set_by_code("yaan-local").refusals
    assert refusals.min_months_since_last_repair == 12
    assert refusals.max_repairs == RepeatLimit(count=2, within_months=60)
    assert refusals.serious_act_within_months == 12
    assert refusals.revocation_bar_months == 36


def test_a_rule_set_can_exclude_categories_from_repair_and_limit_ignored_interviews(build_rules):
    rules = build_rules(
        edits=[
            ("not_repairable_categories = []", 'not_repairable_categories = ["court_debtor"]'),
            ("min_months_since_last_repair = 0 ", "max_ignored_interviews = 2\nmin_months_since_last_repair = 0 "),
        ]
    )
    assert not rules.refusals.category_is_repairable("court_debtor")
    assert rules.refusals.category_is_repairable("admin_penalty")
    assert rules.refusals.max_ignored_interviews == 2


def test_court_rules():
    courts = rule_set_by_code("national-2026").courts
    assert courts.listing_term_months == 24
    assert courts.listing_extension_months == MonthRange(12, 36)
    assert courts.grace_period_months == MonthRange(1, 3)
    assert courts.instalment_grace_days == 10
    assert courts.auto_resume_on_breach is False
    assert courts.creditor_request_relisting_bar_months == 6


def test_a_rule_set_may_resume_court_punishment_automatically_on_breach(build_rules):
    rules = build_rules(edits=[("auto_resume_on_breach = false", "auto_resume_on_breach = true")])
    assert rules.courts.auto_resume_on_breach is True


def test_privacy_rules():
    privacy = rule_set_by_code("national-2026").privacy
    assert (privacy.publish_natural_persons, privacy.mask_name, privacy.mask_id) == (False, True, True)


def test_rules_are_immutable():
    rules = rule_set_by_code("national-2026")
    with pytest.raises(AttributeError):
        rules.code = "other"
    with pytest.raises(TypeError):
        rules.limits["repair_intake"] = Limit(30)
