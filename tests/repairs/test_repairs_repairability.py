"""Domain §3 refusals, one scenario each; the repairability endpoint and filing always agree."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from creditrepair.core.errors import RuleRefusal
from creditrepair.records.services import publication_change, record_obligations_fulfilled
from creditrepair.records.transitions import Reason
from creditrepair.repairs import services
from creditrepair.repairs.models import RepairCase, RepairStatus
from creditrepair.repairs.selectors import repairability
from creditrepair.workflow.numbers import new_query_code, next_case_no

from tests import factories


def codes(result):
    return [r.code for r in result.reasons]


def past_repair(record, *, months_ago, status=RepairStatus.COMPLETED, bars_until=None):
    """A repair decided ``months_ago`` (history data for the repeat limits and the bar)."""
    decided = timezone.now() - relativedelta(months=months_ago)
    return RepairCase.objects.create(
        case_no=next_case_no("XF"), query_code=new_query_code(), record=record, subject=record.subject,
        rule_set_code=record.rule_set_code, statement="往期修复", status=status, decided_at=decided,
        bars_until=bars_until,
    )


# --------------------------------------------------------------------------- the minimum period


def test_a_general_penalty_cannot_be_repaired_the_day_before_the_minimum_period_ends(make_record, dept_user, at_date):
    record = make_record(dept_user, decided=dt.date(2026, 5, 10))
    assert record.min_until == dt.date(2026, 8, 10)
    result = repairability(record, on=dt.date(2026, 8, 9))
    assert not result.repairable and codes(result) == ["too_early"]
    assert result.earliest_date == dt.date(2026, 8, 10)


def test_a_general_penalty_can_be_repaired_on_the_day_the_minimum_period_ends(make_record, dept_user):
    record = make_record(dept_user, decided=dt.date(2026, 5, 10))
    result = repairability(record, on=dt.date(2026, 8, 10))
    assert result.repairable and result.reasons == [] and result.earliest_date is None


def test_filing_the_day_before_is_refused_too_early_and_on_the_day_is_accepted(make_record, dept_user, ent_user,
                                                                               enterprise, at_date):
    record = make_record(dept_user, enterprise, decided=dt.date(2026, 5, 10))
    with at_date(dt.date(2026, 8, 9)), pytest.raises(RuleRefusal) as refused:
        services.repair_file(ent_user, record, "申请修复")
    assert refused.value.code == "too_early"
    assert refused.value.details["earliest_date"] == "2026-08-10"
    with at_date(dt.date(2026, 8, 10)):
        case = services.repair_file(ent_user, record, "申请修复")
    assert case.status == RepairStatus.DRAFT


# --------------------------------------------------------------------------- obligations


@pytest.fixture
def confirmed_first(local_rule_set):
    """Staff of a jurisdiction whose rules want performance confirmed by the department before filing."""

    def confirm_first(document):
        document["refusals"]["obligations_confirmed_before_filing"] = True

    local_rule_set("520000", confirm_first)
    return factories.department_user(factories.DepartmentFactory(jurisdiction="520100"))


def test_obligations_not_confirmed_as_performed_block_repair_until_the_department_confirms(make_record,
                                                                                            confirmed_first):
    record = make_record(confirmed_first, decided=timezone.localdate() - relativedelta(months=5), obligations="缴纳罚款")
    assert codes(repairability(record)) == ["obligations_not_fulfilled"]
    record_obligations_fulfilled(record, actor=confirmed_first, fulfilled_on=timezone.localdate(), evidence="缴款书")
    assert repairability(record).repairable


def test_under_the_national_rules_the_proof_comes_with_the_application(make_record, dept_user):
    record = make_record(dept_user, decided=timezone.localdate() - relativedelta(months=5), obligations="缴纳罚款")
    assert repairability(record).repairable


# --------------------------------------------------------------------------- not repairable


def test_a_kind_the_rule_set_declares_unrepairable_cannot_be_repaired(local_rule_set, make_record):
    def exclude_abnormal_list(document):
        document["refusals"]["not_repairable_categories"] = ["abnormal_list"]

    local_rule_set("520000", exclude_abnormal_list)
    department = factories.DepartmentFactory(jurisdiction="520100")
    staff = factories.department_user(department)
    record = make_record(staff, decided=timezone.localdate() - relativedelta(months=5), category="abnormal_list")
    assert record.rule_set_code == "test-local"
    assert codes(repairability(record)) == ["not_repairable"]
    other = make_record(staff, decided=timezone.localdate() - relativedelta(months=5), category="admin_penalty")
    assert repairability(other).repairable


def test_a_minor_record_that_is_not_published_has_nothing_to_repair(make_record, dept_user):
    record = make_record(dept_user, severity="minor", decided=timezone.localdate() - relativedelta(months=1))
    assert record.status == "not_published"
    assert codes(repairability(record)) == ["not_repairable"]


def test_a_record_already_repaired_cannot_be_repaired_again(repairable_record, dept_user):
    record = repairable_record()
    publication_change(record, reason=Reason.REPAIR, actor=dept_user)
    assert codes(repairability(record)) == ["not_repairable"]


# --------------------------------------------------------------------------- duplicate case


def test_a_second_case_on_a_record_with_an_open_case_is_refused(repairable_record, ent_user):
    record = repairable_record()
    first = services.repair_file(ent_user, record, "申请修复")
    result = repairability(record)
    assert codes(result) == ["duplicate_case"] and first.case_no in result.reasons[0].message
    with pytest.raises(RuleRefusal) as refused:
        services.repair_file(ent_user, record, "再次申请")
    assert refused.value.code == "duplicate_case"


def test_a_withdrawn_case_no_longer_blocks_a_new_one(repairable_record, ent_user):
    record = repairable_record()
    services.repair_withdraw(ent_user, services.repair_file(ent_user, record, "申请修复"))
    assert repairability(record).repairable


# --------------------------------------------------------------------------- revocation bar


def test_a_revoked_repair_bars_the_subject_until_the_recorded_date(repairable_record, enterprise):
    done = repairable_record()
    bar = timezone.localdate() + relativedelta(months=30)
    past_repair(done, months_ago=6, status=RepairStatus.REVOKED, bars_until=bar)
    record = repairable_record()
    result = repairability(record)
    assert codes(result) == ["barred"] and bar.isoformat() in result.reasons[0].message
    assert codes(repairability(record, on=bar - dt.timedelta(days=1))) == ["barred"]


def test_the_revocation_bar_expires_on_the_recorded_date(repairable_record):
    done = repairable_record()
    bar = timezone.localdate() - dt.timedelta(days=1)
    past_repair(done, months_ago=40, status=RepairStatus.REVOKED, bars_until=bar)
    assert repairability(repairable_record()).repairable


# --------------------------------------------------------------------------- local repeat limits (yaan-local)


@pytest.fixture
def yaan_serious(repairable_record, yaan_user):
    """A serious Ya'an record past its one-year minimum: Yaan's repeat limits apply to serious records."""
    return lambda: repairable_record(yaan_user, severity="serious",
                                     decided=timezone.localdate() - relativedelta(months=13))


def test_yaan_refuses_a_repair_less_than_a_year_after_the_last_one(yaan_serious):
    earlier = yaan_serious()
    assert repairability(earlier).rule_set_code == "yaan-local"  # procedure follows the filing date's rules
    past_repair(earlier, months_ago=11)
    result = repairability(yaan_serious())
    assert codes(result) == ["repeat_limit"] and "12" in result.reasons[0].message


def test_yaan_allows_a_repair_a_year_after_the_last_one(yaan_serious):
    past_repair(yaan_serious(), months_ago=13)
    assert repairability(yaan_serious()).repairable


def test_yaan_refuses_a_third_repair_within_five_years(yaan_serious):
    past_repair(yaan_serious(), months_ago=20)
    past_repair(yaan_serious(), months_ago=40)
    result = repairability(yaan_serious())
    assert codes(result) == ["repeat_limit"] and "60" in result.reasons[0].message


def test_yaan_refuses_repair_after_a_serious_act_within_the_last_year(make_record, yaan_serious, yaan_user,
                                                                     enterprise):
    make_record(yaan_user, enterprise, severity="serious", decided=timezone.localdate() - relativedelta(months=2))
    assert codes(repairability(yaan_serious())) == ["repeat_limit"]


def test_yaan_repeat_limits_leave_general_records_alone(repairable_record, yaan_user):
    past_repair(repairable_record(yaan_user), months_ago=2)
    assert repairability(repairable_record(yaan_user)).repairable


def test_the_national_rules_have_no_repeat_limits(repairable_record, make_record, dept_user, enterprise):
    past_repair(repairable_record(), months_ago=2)
    past_repair(repairable_record(), months_ago=3)
    make_record(dept_user, enterprise, severity="serious", decided=timezone.localdate() - relativedelta(months=2))
    assert repairability(repairable_record()).repairable


def test_every_blocking_reason_is_listed_not_only_the_first(make_record, confirmed_first):
    record = make_record(confirmed_first, decided=timezone.localdate() - relativedelta(months=1), obligations="缴纳罚款")
    assert codes(repairability(record)) == ["too_early", "obligations_not_fulfilled"]


# --------------------------------------------------------------------------- endpoint and filing agree


def _too_early(ctx):
    return ctx["make_record"](ctx["dept_user"], ctx["enterprise"], decided=timezone.localdate() - relativedelta(months=1))


def _obligations(ctx):
    return ctx["make_record"](ctx["confirmed_first"], ctx["enterprise"],
                              decided=timezone.localdate() - relativedelta(months=5), obligations="缴纳罚款")


def _not_published(ctx):
    return ctx["make_record"](ctx["dept_user"], ctx["enterprise"], severity="minor",
                              decided=timezone.localdate() - relativedelta(months=1))


def _duplicate(ctx):
    record = ctx["repairable_record"]()
    services.repair_file(ctx["ent_user"], record, "第一次申请")
    return record


def _barred(ctx):
    past_repair(ctx["repairable_record"](), months_ago=3, status=RepairStatus.REVOKED,
                bars_until=timezone.localdate() + relativedelta(months=33))
    return ctx["repairable_record"]()


def _repeat(ctx):
    past_repair(ctx["yaan_serious"](), months_ago=3)
    return ctx["yaan_serious"]()


@pytest.mark.parametrize("scenario, code", [
    (_too_early, "too_early"),
    (_obligations, "obligations_not_fulfilled"),
    (_not_published, "not_repairable"),
    (_duplicate, "duplicate_case"),
    (_barred, "barred"),
    (_repeat, "repeat_limit"),
])
def test_the_repairability_endpoint_and_filing_give_the_same_answer(scenario, code, api, ent_user, enterprise,
                                                                    dept_user, yaan_serious, make_record,
                                                                    repairable_record, confirmed_first):
    ctx = {"make_record": make_record, "dept_user": dept_user, "enterprise": enterprise, "ent_user": ent_user,
           "repairable_record": repairable_record, "yaan_serious": yaan_serious, "confirmed_first": confirmed_first}
    record = scenario(ctx)
    checked = api.as_user(ent_user).get(f"/api/v1/records/{record.pk}/repairability")
    assert checked.status_code == 200
    body = checked.json()
    assert body["repairable"] is False and body["reasons"][0]["code"] == code
    filed = api.post("/api/v1/repairs", {"record": record.pk, "statement": "申请修复"}, format="json")
    assert filed.status_code == 409
    assert filed.json()["code"] == body["reasons"][0]["code"] == code
    assert [r["code"] for r in filed.json()["details"]["reasons"]] == [r["code"] for r in body["reasons"]]


def test_a_repairable_record_is_repairable_at_the_endpoint_and_filing_succeeds(api, ent_user, repairable_record):
    record = repairable_record()
    body = api.as_user(ent_user).get(f"/api/v1/records/{record.pk}/repairability").json()
    assert body == {"repairable": True, "earliest_date": None, "reasons": [],
                    "required_materials": ["performance_proof", "commitment_letter"], "kind": "repair",
                    "rule_set": "national-2026"}
    assert api.post("/api/v1/repairs", {"record": record.pk, "statement": "申请修复"}, format="json").status_code == 201
