"""Reads on repair cases: repairability (the one check filing also uses), scoping, what a case still needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from creditrepair.accounts.models import Role
from creditrepair.core.errors import NotFound
from creditrepair.documents.models import Document
from creditrepair.records.models import Category, PublicationStatus, Record, Severity
from creditrepair.rules.selectors import rules_for_filing

from .models import (
    DEPARTMENT_SUPPLIED,
    OPEN_STATUSES,
    SIGNED,
    UPLOADED,
    MaterialKind,
    RepairCase,
    RepairKind,
    RepairStatus,
)

# Repairs that happened (count for the repeat limits): completed ones, and completed ones revoked later.
_REPAIRED = (RepairStatus.COMPLETED, RepairStatus.REVOKED)


@dataclass(frozen=True)
class Reason:
    """Why a record cannot be repaired now: the contract's machine code and a readable text."""

    code: str
    message: str

    def as_dict(self):
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Repairability:
    repairable: bool
    earliest_date: dt.date | None
    reasons: list[Reason] = field(default_factory=list)
    required_materials: tuple[str, ...] = ()
    kind: str = RepairKind.REPAIR
    rule_set_code: str = ""

    def as_contract(self) -> dict:
        """The body of ``GET /api/v1/records/{id}/repairability``."""
        return {
            "repairable": self.repairable,
            "earliest_date": self.earliest_date,
            "reasons": [r.as_dict() for r in self.reasons],
            "required_materials": list(self.required_materials),
            "kind": self.kind,
            "rule_set": self.rule_set_code,
        }


def case_kind_for(record: Record) -> str:
    """A serious-dishonesty list entry leaves the list (移出名单); anything else is repaired."""
    return RepairKind.LIST_EXIT if record.category == Category.SERIOUS_LIST else RepairKind.REPAIR


def _months(n: int) -> relativedelta:
    return relativedelta(months=n)


def repairability(record: Record, *, on: dt.date | None = None, exclude_case=None) -> Repairability:
    """Whether ``record`` can be repaired on ``on`` (default today), under the filing rule set in force.

    Every blocking reason is listed (not only the first), each with its machine
    code; ``earliest_date`` is when the minimum period ends if that is what
    blocks. Filing calls this very function and refuses with the first reason,
    so the endpoint and filing cannot disagree. ``exclude_case`` ignores one
    case in the duplicate check (a draft re-checked at submission).
    """
    on = on or timezone.localdate()
    rules = rules_for_filing(record.jurisdiction, on)
    refusals = rules.refusals
    kind = case_kind_for(record)
    reasons: list[Reason] = []
    earliest = None

    # The record must be of a repairable kind and currently published.
    if not refusals.category_is_repairable(record.category):
        reasons.append(Reason("not_repairable", _("依照现行规则，“%(category)s”类信息不适用信用修复。")
                              % {"category": record.get_category_display()}))
    elif record.status != PublicationStatus.PUBLISHED:
        reasons.append(Reason("not_repairable", _("该信息当前状态为“%(status)s”，不在公示中，无需也不能申请信用修复。")
                              % {"status": record.get_status_display()}))

    # The minimum publicity period.
    if on < record.min_until:
        earliest = record.min_until
        reasons.append(Reason("too_early", _("最短公示期尚未届满，最早可于 %(date)s 申请信用修复。")
                              % {"date": record.min_until.isoformat()}))

    # Obligations performed, confirmed by the recognising department before filing where the rules say
    # so; otherwise the proof of performance comes with the application and approval confirms it.
    if (refusals.obligations_confirmed_before_filing and (record.obligations or "").strip()
            and record.obligations_fulfilled_on is None):
        reasons.append(Reason("obligations_not_fulfilled",
                              _("认定单位尚未确认该信息所涉法定义务已履行完毕（%(obligations)s）。")
                              % {"obligations": record.obligations.strip()}))

    # One case at a time per record.
    open_cases = RepairCase.objects.filter(record=record, status__in=OPEN_STATUSES)
    if exclude_case is not None:
        open_cases = open_cases.exclude(pk=exclude_case.pk)
    open_case = open_cases.values_list("case_no", flat=True).first()
    if open_case:
        reasons.append(Reason("duplicate_case", _("该信息已有正在办理的信用修复申请（%(case_no)s）。")
                              % {"case_no": open_case}))

    subject_cases = RepairCase.objects.filter(subject_id=record.subject_id)

    # A revoked repair bars the subject for the period recorded at revocation.
    bar = (subject_cases.filter(status=RepairStatus.REVOKED, bars_until__gt=on)
           .order_by("-bars_until").values_list("bars_until", flat=True).first())
    if bar:
        reasons.append(Reason("barred", _("该主体的信用修复曾因提供虚假材料或违反承诺被撤销，%(date)s 前不得申请信用修复。")
                              % {"date": bar.isoformat()}))

    # Local repeat limits, for the severities (or list exits) they apply to.
    repairs = subject_cases.filter(status__in=_REPAIRED, decided_at__isnull=False)
    limited = kind == RepairKind.LIST_EXIT or refusals.repeat_limits_apply_to(record.severity)
    if limited and refusals.min_months_since_last_repair:
        since = on - _months(refusals.min_months_since_last_repair)
        last = repairs.order_by("-decided_at").values_list("decided_at", flat=True).first()
        if last and timezone.localdate(last) > since:
            reasons.append(Reason("repeat_limit", _("距上次信用修复不足 %(months)s 个月（上次修复：%(date)s）。")
                                  % {"months": refusals.min_months_since_last_repair,
                                     "date": timezone.localdate(last).isoformat()}))
    if limited and refusals.max_repairs:
        limit = refusals.max_repairs
        window_start = on - _months(limit.within_months)
        count = sum(1 for d in repairs.values_list("decided_at", flat=True) if timezone.localdate(d) > window_start)
        if count >= limit.count:
            reasons.append(Reason("repeat_limit", _("%(months)s 个月内已信用修复 %(count)s 次，达到上限。")
                                  % {"months": limit.within_months, "count": count}))
    if limited and refusals.serious_act_within_months:
        since = on - _months(refusals.serious_act_within_months)
        serious = (Record.objects.filter(subject_id=record.subject_id, severity=Severity.SERIOUS,
                                         decision_date__gt=since)
                   .exclude(pk=record.pk).exclude(status=PublicationStatus.REMOVED).exists())
        if serious:
            reasons.append(Reason("repeat_limit", _("该主体近 %(months)s 个月内有严重失信行为。")
                                  % {"months": refusals.serious_act_within_months}))

    materials = rules.required_materials(kind, record.severity, record.category)
    return Repairability(
        repairable=not reasons,
        earliest_date=earliest,
        reasons=reasons,
        required_materials=materials,
        kind=kind,
        rule_set_code=rules.code,
    )


# --------------------------------------------------------------------------- scoping


def repairs_visible_to(user):
    """The cases a user may read: a subject its own, a department or court those on its records, the operator all."""
    qs = RepairCase.objects.select_related("record", "record__department", "subject")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.role == Role.OPERATOR:
        return qs
    if user.role == Role.SUBJECT:
        return qs.filter(subject_id=user.subject_id)
    if user.role in (Role.DEPARTMENT, Role.COURT):
        return qs.filter(record__department_id=user.department_id)
    return qs.none()


def case_for(user, case_id) -> RepairCase:
    """A case the user may see; ``NotFound`` otherwise (never revealing that it exists)."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise NotFound(_("案件不存在。")) from None
    case = repairs_visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("案件不存在。"))
    return case


# --------------------------------------------------------------------------- what a case has and needs


def case_documents(case):
    """Signed documents of the case (commitments, notices, certificate), oldest first."""
    return Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(RepairCase), owner_id=str(case.pk)
    ).order_by("issued_at")


def materials_present(case) -> list[str]:
    """Material kinds the case holds: uploaded files, signed letters, recorded training and interview."""
    present = set(case.materials.values_list("kind", flat=True))
    present.update(case_documents(case).filter(kind__in=[k.value for k in SIGNED]).values_list("kind", flat=True))
    if case.training_certificate_no:
        present.add(MaterialKind.TRAINING_CERTIFICATE)
    if case.interview_held_on:
        present.add(MaterialKind.INTERVIEW_RECORD)
    return [k.value for k in MaterialKind if k.value in present]


def materials_missing(case, *, for_submission: bool) -> list[str]:
    """Required kinds the case lacks, in the rule set's order.

    For submission, the kinds the recognising department supplies during review
    (the interview record) are not the applicant's to provide and are left out.
    """
    present = set(materials_present(case))
    missing = [k for k in case.required_materials if k not in present]
    if for_submission:
        missing = [k for k in missing if k not in DEPARTMENT_SUPPLIED]
    return missing


def material_labels(kinds) -> list[str]:
    labels = dict(MaterialKind.choices)
    return [str(labels.get(k, k)) for k in kinds]


def uploadable_kinds() -> list[str]:
    return [k.value for k in UPLOADED]


def open_case_on(record):
    """The repair case in progress on ``record`` (at most one), or ``None``."""
    return RepairCase.objects.filter(record=record, status__in=OPEN_STATUSES).first()


def cases_on_record(record):
    return RepairCase.objects.filter(record=record).order_by("-id")


# --------------------------------------------------------------------------- what a user may do now


def available_actions(user, case) -> list[str]:
    """The service actions ``user`` may take on ``case`` now (for pages and queues to show the right buttons).

    Names: ``sign_commitment``, ``upload_material``, ``record_training``, ``submit``, ``withdraw``,
    ``accept``, ``refuse``, ``record_interview``, ``extend``, ``approve``, ``deny``, ``revoke``.
    The services check the same conditions again when called.
    """
    from creditrepair.workflow.gateway import pending_steps

    from .models import WITHDRAWABLE

    steps = set(pending_steps(case)) if case.is_open else set()
    is_subject = user.role == Role.SUBJECT and user.subject_id == case.subject_id
    is_department = user.role in (Role.DEPARTMENT, Role.COURT) and user.department_id == case.record.department_id
    is_operator = user.role == Role.OPERATOR
    actions = []
    if is_subject and "submit" in steps:
        actions += ["sign_commitment", "upload_material", "record_training", "submit"]
    if (is_department or is_operator) and steps and "submit" not in steps:
        actions.append("record_training")
    if is_operator and "intake" in steps:
        actions += ["accept", "refuse"]
    if is_department and "review" in steps:
        from creditrepair.workflow.models import Deadline

        extended = Deadline.objects.filter(case_no=case.case_no, step="review", extended=True).exists()
        actions += ["record_interview"] + ([] if extended else ["extend"]) + ["approve", "deny"]
    if is_subject and case.status in WITHDRAWABLE:
        actions.append("withdraw")
    if (is_operator or is_department) and case.status == RepairStatus.COMPLETED:
        actions.append("revoke")
    return actions
