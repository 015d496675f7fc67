"""Flow tests: whole paths in code, asserting statuses, history, audit, deadlines, documents and pending steps."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from creditrepair.audit.models import AuditEvent
from creditrepair.core.errors import InvalidInput, InvalidTransition
from creditrepair.documents.models import Document
from creditrepair.records.models import PartnerNotice, PublicationHistory
from creditrepair.records.selectors import public_records_of_subject
from creditrepair.repairs import services
from creditrepair.repairs.models import RepairStatus
from creditrepair.repairs.selectors import case_documents, repairability
from creditrepair.workdays.services import add_working_days
from creditrepair.workflow.deadlines import deadlines_of
from creditrepair.workflow.gateway import pending_steps, process_of
from creditrepair.workflow.models import Deadline

from tests import factories
from tests.repairs.repairs_support import supply_materials


def statuses(case):
    return [(h.from_status, h.to_status) for h in case.history.order_by("id")]


def audit_actions(case):
    return list(AuditEvent.objects.filter(target_type="repairs.repaircase", target_id=str(case.pk))
                .order_by("id").values_list("action", flat=True))


def kinds(case):
    return sorted(case_documents(case).values_list("kind", flat=True))


def test_a_repair_walks_from_filing_to_completion(ent_user, operator, dept_user, repairable_record, committed):
    record = repairable_record()
    case = services.repair_file(ent_user, record, "已缴纳罚款")
    assert case.status == RepairStatus.DRAFT and pending_steps(case) == ["submit"]
    assert deadlines_of(case) == {}
    supply_materials(case, ent_user)

    case = services.repair_submit(ent_user, case)
    today = timezone.localdate()
    assert case.status == RepairStatus.SUBMITTED and pending_steps(case) == ["intake"]
    assert deadlines_of(case) == {"intake": add_working_days(today, 3), "answer_total": add_working_days(today, 10)}
    intake = Deadline.objects.get(case_no=case.case_no, step="intake")
    assert intake.responsible == operator.department

    case = committed(services.repair_accept, operator, case)
    assert case.status == RepairStatus.ACCEPTED and pending_steps(case) == ["review"]
    review = Deadline.objects.get(case_no=case.case_no, step="review")
    assert review.responsible == record.department and review.due_on == add_working_days(today, 3)
    assert Deadline.objects.get(case_no=case.case_no, step="intake").met_at is not None
    assert "acceptance_notice" in kinds(case)

    case = committed(services.repair_approve, dept_user, case, "整改到位")
    assert case.status == RepairStatus.COMPLETED and pending_steps(case) == []
    assert statuses(case) == [("", "draft"), ("draft", "submitted"), ("submitted", "accepted"),
                              ("accepted", "under_review"), ("under_review", "approved"), ("approved", "completed")]
    assert audit_actions(case) == [
        "repaircase.draft", "repaircase.commitment_letter_signed", "repaircase.material_uploaded",
        "repaircase.submitted", "repaircase.accepted", "repaircase.under_review", "repaircase.approved",
        "repaircase.completed",
    ]
    assert not Deadline.objects.filter(case_no=case.case_no, met_at__isnull=True).exists()
    assert process_of(case).status == "DONE"
    assert kinds(case) == ["acceptance_notice", "commitment_letter", "decision_notice"]
    record.refresh_from_db()
    assert record.status == "repaired"


def test_approval_stops_publication_writes_history_and_audit_and_tells_every_partner(
        ent_user, operator, dept_user, repairable_record, enterprise, walk):
    partners = [factories.MeasureFactory(category="admin_penalty").partner for _ in range(2)]
    factories.MeasureFactory(category="serious_list")  # a partner not punishing this kind: not told
    record = repairable_record()
    assert public_records_of_subject(enterprise.code).filter(pk=record.pk).exists()

    case = walk.completed(ent_user, record, operator, dept_user)

    record.refresh_from_db()
    assert record.status == "repaired" and record.publication_stopped_on == timezone.localdate()
    history = PublicationHistory.objects.get(record=record, reason="repair")
    assert history.reference == case.case_no and history.actor == dept_user
    notices = PartnerNotice.objects.filter(history=history)
    assert sorted(n.partner_id for n in notices) == sorted(p.pk for p in partners)
    assert AuditEvent.objects.filter(action="record.publication_changed", target_id=str(record.pk)).exists()
    # The public lookup no longer lists the record once the approval committed.
    assert not public_records_of_subject(enterprise.code).filter(pk=record.pk).exists()
    notice = Document.objects.get(idempotency_key=f"repair:{case.pk}:decision_notice")
    assert notice.context["outcome"] == "approved" and notice.context["partners_notified"] is True


def test_a_second_approval_is_refused_as_an_invalid_transition(ent_user, operator, dept_user, repairable_record,
                                                              walk):
    case = walk.completed(ent_user, repairable_record(), operator, dept_user)
    with pytest.raises(InvalidTransition) as refused:
        services.repair_approve(dept_user, case, "再次同意")
    assert refused.value.code == "invalid_transition"
    assert PublicationHistory.objects.filter(reference=case.case_no).count() == 1


def test_refusal_at_intake_ends_the_case_with_a_refusal_notice(ent_user, operator, repairable_record, walk,
                                                              committed):
    case = walk.submitted(ent_user, repairable_record())
    with pytest.raises(InvalidInput):
        services.repair_refuse(operator, case, "  ")
    case = committed(services.repair_refuse, operator, case, "申请材料与信息不符")
    assert case.status == RepairStatus.REFUSED and case.refusal_reason == "申请材料与信息不符"
    assert pending_steps(case) == [] and process_of(case).status == "DONE"
    assert "refusal_notice" in kinds(case)
    assert not Deadline.objects.filter(case_no=case.case_no, met_at__isnull=True).exists()
    assert repairability(case.record).repairable  # a refused case no longer blocks a new application


def test_denial_keeps_the_record_published_and_issues_the_decision_notice(ent_user, operator, dept_user,
                                                                         repairable_record, walk, committed):
    case = walk.accepted(ent_user, repairable_record(), operator)
    case = committed(services.repair_deny, dept_user, case, "整改不到位")
    assert case.status == RepairStatus.DENIED and case.decision_reason == "整改不到位"
    assert statuses(case)[-2:] == [("accepted", "under_review"), ("under_review", "denied")]
    case.record.refresh_from_db()
    assert case.record.status == "published"
    notice = Document.objects.get(idempotency_key=f"repair:{case.pk}:decision_notice")
    assert notice.context["outcome"] == "denied"


def test_the_department_extends_the_review_once_with_a_reason(ent_user, operator, dept_user, repairable_record, walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    due = deadlines_of(case)["review"]
    case = services.repair_extend(dept_user, case, "需现场核查整改情况")
    assert case.status == RepairStatus.UNDER_REVIEW and case.extension_reason == "需现场核查整改情况"
    assert deadlines_of(case)["review"] == add_working_days(due, 3)
    with pytest.raises(InvalidTransition) as again:
        services.repair_extend(dept_user, case, "再延期")
    assert again.value.code == "deadline_passed"
    assert pending_steps(case) == ["review"]


def test_the_interview_is_recorded_in_the_review_step(ent_user, operator, dept_user, repairable_record, walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    case = services.repair_record_interview(dept_user, case, timezone.localdate(), "约谈法定代表人")
    assert case.status == RepairStatus.UNDER_REVIEW and case.interview_recorded_by == dept_user
    assert "repaircase.interview_recorded" in audit_actions(case) and pending_steps(case) == ["review"]


def test_revocation_restores_publication_for_the_remaining_period_and_records_the_bar(
        ent_user, operator, dept_user, repairable_record, walk, time_machine_days):
    factories.MeasureFactory(category="admin_penalty")
    record = repairable_record()
    max_until = record.max_until
    case = walk.completed(ent_user, record, operator, dept_user)
    with time_machine_days(20):
        case = services.repair_revoke(operator, case, "提供虚假缴款凭证")
        today = timezone.localdate()
    assert case.status == RepairStatus.REVOKED and case.revocation_reason == "提供虚假缴款凭证"
    assert case.bars_until == today + relativedelta(months=36)
    record.refresh_from_db()
    assert record.status == "published"
    assert record.max_until == max_until + dt.timedelta(days=20)  # the stopped days do not count
    resumed = PublicationHistory.objects.get(record=record, reason="repair_revoked")
    assert resumed.reference == case.case_no
    assert PartnerNotice.objects.filter(history=resumed).count() == 1
    assert statuses(case)[-1] == ("completed", "revoked")
    assert "repaircase.bar_recorded" in audit_actions(case)
    other = repairable_record()
    assert [r.code for r in repairability(other).reasons] == ["barred"]


def test_only_a_completed_repair_can_be_revoked(ent_user, operator, repairable_record, walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    with pytest.raises(InvalidTransition):
        services.repair_revoke(operator, case, "虚假材料")


@pytest.mark.parametrize("stage", ["filed", "submitted", "accepted"])
def test_the_subject_withdraws_before_a_decision(stage, ent_user, operator, repairable_record, walk):
    record = repairable_record()
    case = walk.filed(ent_user, record) if stage == "filed" else (
        walk.submitted(ent_user, record) if stage == "submitted" else walk.accepted(ent_user, record, operator))
    case = services.repair_withdraw(ent_user, case)
    assert case.status == RepairStatus.WITHDRAWN and pending_steps(case) == []
    assert process_of(case).status == "CANCELED"
    assert statuses(case)[-1][1] == "withdrawn"
    assert not Deadline.objects.filter(case_no=case.case_no, met_at__isnull=True).exists()


def test_a_decided_case_cannot_be_withdrawn(ent_user, operator, dept_user, repairable_record, walk):
    case = walk.completed(ent_user, repairable_record(), operator, dept_user)
    with pytest.raises(InvalidTransition):
        services.repair_withdraw(ent_user, case)


def test_submission_rechecks_repairability(ent_user, dept_user, repairable_record):
    record = repairable_record()
    case = services.repair_file(ent_user, record, "申请修复")
    supply_materials(case, ent_user)
    from creditrepair.records.services import record_revoke_decision

    record_revoke_decision(record, actor=dept_user, reason="原处罚决定被撤销")
    with pytest.raises(Exception) as refused:
        services.repair_submit(ent_user, case)
    assert getattr(refused.value, "code", None) == "not_repairable"


def test_the_training_certificate_is_issued_where_training_is_recorded(ent_user, repairable_record, committed):
    case = services.repair_file(ent_user, repairable_record(), "申请修复")
    committed(services.repair_record_training, ent_user, case, "PX-2026-0099", timezone.localdate())
    certificate = Document.objects.get(idempotency_key=f"repair:{case.pk}:training_certificate")
    assert certificate.context["certificate_no"] == "PX-2026-0099"


def test_signing_the_same_letter_twice_returns_the_signed_document(ent_user, repairable_record):
    case = services.repair_file(ent_user, repairable_record(), "申请修复")
    first = services.repair_sign_commitment(ent_user, case, "张三", "法定代表人", ip="203.0.113.9")
    again = services.repair_sign_commitment(ent_user, case, "李四", "授权代理人", ip="203.0.113.10")
    assert again.pk == first.pk and again.context["signatory"]["name"] == "张三"
    signed = AuditEvent.objects.get(action="repaircase.commitment_letter_signed")
    assert signed.data["signatory_name"] == "张三" and str(signed.ip) == "203.0.113.9"


def test_the_operator_department_of_a_jurisdiction_is_the_most_specific_one(db):
    from creditrepair.registry.selectors import operator_department_for

    national = factories.OperatorDepartmentFactory(jurisdiction="000000")
    yaan = factories.OperatorDepartmentFactory(jurisdiction="511800")
    assert operator_department_for("511802") == yaan
    assert operator_department_for("511800") == yaan
    assert operator_department_for("440300") == national


def test_staff_may_record_training_during_review(ent_user, operator, dept_user, repairable_record, walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    case = services.repair_record_training(dept_user, case, "PX-STAFF-1", timezone.localdate())
    assert case.training_certificate_no == "PX-STAFF-1" and pending_steps(case) == ["review"]
    with pytest.raises(InvalidInput):
        services.repair_record_training(dept_user, case, "PX-2", timezone.localdate() + dt.timedelta(days=1))
