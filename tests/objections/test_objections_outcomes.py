"""Domain §4: the mark on filing, each outcome's effect on the record and the public lookup, corrections."""

import datetime as dt

import pytest

from creditrepair.audit.models import AuditEvent
from creditrepair.core.errors import Conflict, InvalidInput
from creditrepair.objections import services
from creditrepair.records.models import PublicationHistory, Record


def public_records(api, code):
    api.force_authenticate(None)
    response = api.get(f"/api/v1/public/subjects/{code}/records")
    assert response.status_code == 200
    return {r["decision_no"]: r for r in response.json()["results"]}


def test_filing_marks_the_record_at_once_and_the_public_sees_it(api, published_record, file_objection, enterprise):
    assert public_records(api, enterprise.code)[published_record.decision_no]["objection_pending"] is False
    case = file_objection(published_record)
    published_record.refresh_from_db()
    assert case.status == "submitted"
    assert published_record.objection_pending is True
    assert published_record.status == "published"  # an objection does not change the state
    assert public_records(api, enterprise.code)[published_record.decision_no]["objection_pending"] is True
    assert AuditEvent.objects.filter(action="record.objection_marked", target_id=str(published_record.pk)).exists()


OUTCOMES = [
    # outcome, corrections, record status after, still public
    ("kept", {}, "published", True),
    ("corrected", {"summary": "未按期公示 2025 年度报告"}, "published", True),
    ("supplemented", {"obligations": "已于 2026 年补报"}, "published", True),
    ("publication_stopped", {}, "expired", False),
    ("removed", {}, "removed", False),
]


@pytest.mark.parametrize(("outcome", "corrections", "record_status", "public"), OUTCOMES)
def test_every_outcome_lifts_the_mark_and_has_its_effect_on_the_public_lookup(
    api, verifying, dept_user, published_record, enterprise, outcome, corrections, record_status, public
):
    case = services.objection_resolve(verifying, actor=dept_user, outcome=outcome, reason="经核实", corrections=corrections)
    published_record.refresh_from_db()
    assert case.status == "resolved" and case.outcome == outcome
    assert published_record.objection_pending is False
    assert published_record.status == record_status
    listed = public_records(api, enterprise.code)
    assert (published_record.decision_no in listed) is public
    if public:
        assert listed[published_record.decision_no]["objection_pending"] is False
    for field, value in corrections.items():
        assert getattr(published_record, field) == value


@pytest.mark.parametrize(("outcome", "reason_code"), [("publication_stopped", "objection_expired"),
                                                      ("removed", "objection_removed")])
def test_stopping_outcomes_go_through_publication_change_with_the_objection_reason(
    verifying, dept_user, published_record, outcome, reason_code
):
    services.objection_resolve(verifying, actor=dept_user, outcome=outcome, reason="经核实")
    last = PublicationHistory.objects.filter(record=published_record).order_by("-id").first()
    assert last.reason == reason_code and last.reference == verifying.case_no and last.actor == dept_user


def test_a_corrected_field_shows_its_old_and_new_value_in_history_and_audit(verifying, dept_user, published_record):
    old = published_record.summary
    case = services.objection_resolve(verifying, actor=dept_user, outcome="corrected", reason="摘要有误",
                                      corrections={"summary": "更正后的摘要"})
    assert case.corrections == [{"field": "summary", "old": old, "new": "更正后的摘要"}]
    note = case.history.get(to_status="resolved").note
    assert f"失信行为摘要（summary）：{old} → 更正后的摘要" in note
    event = AuditEvent.objects.get(action="record.corrected", target_id=str(published_record.pk))
    assert event.data["changes"] == [{"field": "summary", "old": old, "new": "更正后的摘要"}]
    assert event.data["case_no"] == case.case_no


def test_correcting_the_decision_date_recomputes_the_publicity_window_under_the_rules(
    verifying, dept_user, published_record
):
    new_date = published_record.decision_date - dt.timedelta(days=10)
    case = services.objection_resolve(verifying, actor=dept_user, outcome="corrected", reason="决定日期录入有误",
                                      corrections={"decision_date": new_date.isoformat()})
    published_record.refresh_from_db()
    assert published_record.decision_date == new_date
    # national 2026, general: 3 months minimum, 1 year maximum, from the decision date
    assert published_record.min_until.isoformat() > new_date.isoformat()
    assert published_record.max_until == new_date.replace(year=new_date.year + 1)
    fields = {c["field"]: c for c in case.corrections}
    assert fields["decision_date"]["new"] == new_date.isoformat()
    assert fields["max_until"]["derived"] is True


def test_a_correction_that_ends_the_window_stops_publication(verifying, dept_user, published_record):
    long_ago = (dt.date.today() - dt.timedelta(days=1200)).isoformat()
    services.objection_resolve(verifying, actor=dept_user, outcome="corrected", reason="决定日期录入有误",
                               corrections={"decision_date": long_ago})
    published_record.refresh_from_db()
    assert published_record.status == "expired"
    assert published_record.history.order_by("-id").first().reason == "objection_expired"


def test_refusal_at_intake_keeps_the_record_unchanged_and_lifts_the_mark(objection, operator, published_record):
    before = Record.objects.filter(pk=published_record.pk).values().get()
    case = services.objection_refuse(objection, actor=operator, reason="异议事项不属于本平台公示的信息")
    after = Record.objects.filter(pk=published_record.pk).values().get()
    assert case.status == "refused" and case.refusal_reason
    assert after.pop("objection_pending") is False
    before.pop("objection_pending")
    assert after == before
    assert not PublicationHistory.objects.filter(record=published_record).exclude(reason="created").exists()


def test_only_whitelisted_fields_may_be_corrected(verifying, dept_user):
    with pytest.raises(InvalidInput) as exc:
        services.objection_resolve(verifying, actor=dept_user, outcome="corrected", reason="x",
                                   corrections={"status": "removed"})
    assert "corrections" in exc.value.details


def test_corrected_needs_a_real_change(verifying, dept_user, published_record):
    with pytest.raises(InvalidInput):
        services.objection_resolve(verifying, actor=dept_user, outcome="corrected", reason="x",
                                   corrections={"summary": published_record.summary})


def test_one_objection_in_progress_per_record(objection, file_objection, published_record):
    with pytest.raises(Conflict) as exc:
        file_objection(published_record)
    assert exc.value.code == "duplicate_case"


def test_the_platform_corrects_its_own_copy_at_once(objection, operator, published_record):
    case = services.objection_platform_check(objection, actor=operator, differs=True,
                                             corrections={"legal_basis": "《企业信息公示暂行条例》第十条"})
    published_record.refresh_from_db()
    assert case.status == "resolved" and case.outcome == "corrected" and case.platform_corrected
    assert published_record.legal_basis == "《企业信息公示暂行条例》第十条"
    assert published_record.objection_pending is False
    assert [h.to_status for h in case.history.order_by("id")] == ["submitted", "accepted", "resolved"]


def test_accept_goes_through_intake_and_the_platform_check_to_verification(verifying):
    assert [h.to_status for h in verifying.history.order_by("id")] == ["submitted", "accepted", "verifying"]
