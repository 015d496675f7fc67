"""Writes on objections: filing, intake, the platform's own check, verification, outcome, review.

Every step runs through ``creditrepair.workflow.gateway`` (flow lock, one
transaction, the case row locked, the caller checked) and applies its effect
on the record through the records app's services — ``publication_change`` is
the only way an outcome stops publication. Documents and the applicant's
e-mail go out after commit (``tasks``).
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from creditrepair.accounts.models import Role
from creditrepair.audit.services import record_event
from creditrepair.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound, PermissionDenied, RuleRefusal
from creditrepair.core.tasks import delay_on_commit
from creditrepair.records.models import Category, PublicationStatus, Record, Severity
from creditrepair.records.selectors import records_visible_to
from creditrepair.records.services import publication_change
from creditrepair.records.transitions import Reason
from creditrepair.rules.selectors import publicity_window, rules_for_decision, rules_for_filing
from creditrepair.workflow import gateway
from creditrepair.workflow.deadlines import deadline_close_all, deadline_extend, deadline_meet, deadline_open
from creditrepair.workflow.numbers import new_query_code, next_case_no
from creditrepair.workflow.owed import owe_document
from creditrepair.workflow.status import change_status

from .models import OPEN_STATUSES, ApplicantNotice, Grounds, Objection, ObjectionEvidence, ObjectionStatus, Outcome
from .selectors import CORRECTABLE_FIELDS, WINDOW_FIELDS, platform_department, review_request_until

S = ObjectionStatus
CASE_PREFIX = "YY"

# Outcomes that take the record out of publication, and the reason each passes to publication_change.
STOPPING_OUTCOMES = {
    Outcome.PUBLICATION_STOPPED: Reason.OBJECTION_PERIOD_EXPIRED,
    Outcome.REMOVED: Reason.OBJECTION_REMOVED,
}
# Outcomes that change record fields (corrections required / optional).
CORRECTING_OUTCOMES = {Outcome.CORRECTED: True, Outcome.SUPPLEMENTED: False}


# --------------------------------------------------------------------------- who may act


def _visible(actor, case) -> bool:
    from .selectors import objections_visible_to

    return objections_visible_to(actor).filter(pk=case.pk).exists()


def _deny(actor, case):
    """403 to someone who may see the case, 404 to anyone else (existence not revealed)."""
    if _visible(actor, case):
        raise PermissionDenied()
    raise NotFound()


def _authorize_subject(actor, case):
    if not (actor.role == Role.SUBJECT and actor.subject_id == case.subject_id):
        _deny(actor, case)


def _authorize_operator(actor, case):
    if actor.role != Role.OPERATOR:
        _deny(actor, case)


def _authorize_department(actor, case):
    """Only the record's recognising department (谁认定、谁核实)."""
    if not (actor.role in (Role.DEPARTMENT, Role.COURT) and actor.department_id == case.record.department_id):
        _deny(actor, case)


def _require_reason(reason, field="reason"):
    if not (reason or "").strip():
        raise InvalidInput(details={field: [_("请说明理由。")]})
    return reason.strip()


# --------------------------------------------------------------------------- the mark


def _set_mark(record_id, pending: bool, *, actor=None, actor_label=None, case_no=""):
    """Put or lift "异议处理中" on a record (not a publication change: the state stays as it is)."""
    record = Record.objects.select_related("subject").get(pk=record_id)
    Record.objects.filter(pk=record_id).update(objection_pending=pending)
    record_event("record.objection_marked" if pending else "record.objection_mark_lifted",
                 actor=actor, actor_label=actor_label, target=record, subject_code=record.subject.code,
                 data={"case_no": case_no})


# --------------------------------------------------------------------------- corrections


def _parse_value(field, value):
    if value is None:
        value = ""
    if field == "decision_date":
        if isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.date.fromisoformat(str(value).strip())
            except ValueError:
                raise InvalidInput(details={field: [_("日期格式应为 YYYY-MM-DD。")]}) from None
        if day > timezone.localdate():
            raise InvalidInput(details={field: [_("决定日期不能晚于今天。")]})
        return day
    value = str(value).strip()
    if field == "severity" and value not in Severity.values:
        raise InvalidInput(details={field: [_("未知的失信程度。")]})
    if field == "category" and value not in Category.values:
        raise InvalidInput(details={field: [_("未知的记录类别。")]})
    if field == "category" and Category.COURT_DEBTOR in (value,):
        raise InvalidInput(details={field: [_("异议处理不能将记录改为失信被执行人信息。")]})
    max_length = Record._meta.get_field(field).max_length
    if max_length and len(value) > max_length:
        raise InvalidInput(details={field: [_("内容过长。")]})
    if field in ("summary", "decision_no") and not value:
        raise InvalidInput(details={field: [_("不能为空。")]})
    return value


def validate_corrections(corrections) -> dict:
    """``{field: value}`` restricted to the whitelist of correctable fields, values parsed."""
    if corrections in (None, ""):
        return {}
    if not isinstance(corrections, dict):
        raise InvalidInput(details={"corrections": [_("应为 {字段: 新值} 形式。")]})
    unknown = sorted(set(corrections) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise InvalidInput(details={"corrections": [
            _("以下字段不能通过异议更正：%(fields)s。") % {"fields": "、".join(unknown)}]})
    return {field: _parse_value(field, value) for field, value in corrections.items()}


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _apply_corrections(case, record_id, corrections: dict, *, actor, required: bool) -> list[dict]:
    """Apply a field-by-field correction to the record; returns ``[{field, old, new}]`` (with a recomputed window).

    A change of the decision date, severity, category or sector recomputes the
    publicity window under the rule set in force on the (new) decision date; a
    window that is then already over stops publication at once.
    """
    record = Record.objects.select_for_update().select_related("subject").get(pk=record_id)
    changes = []
    for field, new in corrections.items():
        old = getattr(record, field)
        if old != new:
            changes.append({"field": field, "old": _plain(old), "new": _plain(new)})
            setattr(record, field, new)
    if not changes:
        if required:
            raise InvalidInput(details={"corrections": [_("请填写与原信息不同的更正内容。")]})
        return []
    update_fields = [c["field"] for c in changes]
    if any(c["field"] in WINDOW_FIELDS for c in changes):
        rules = rules_for_decision(record.jurisdiction, record.decision_date)
        window = publicity_window(rules, category=record.category, severity=record.severity,
                                  decision_date=record.decision_date, sector=record.sector,
                                  penalty_types=tuple(record.penalty_types))
        derived = {"rule_set_code": rules.code, "min_until": window.min_until, "max_until": window.max_until}
        if record.grace_until is None:
            derived["published_from"] = window.published_from
        for field, new in derived.items():
            old = getattr(record, field)
            if old != new:
                changes.append({"field": field, "old": _plain(old), "new": _plain(new), "derived": True})
                setattr(record, field, new)
                update_fields.append(field)
    try:
        with transaction.atomic():
            record.save(update_fields=update_fields)
    except IntegrityError:
        raise Conflict(_("本单位已有决定文书号为“%(no)s”的记录。") % {"no": record.decision_no},
                       code="duplicate_case") from None
    record_event("record.corrected", actor=actor, target=record, subject_code=record.subject.code,
                 data={"case_no": case.case_no, "changes": changes})
    if record.status == PublicationStatus.PUBLISHED and record.max_until <= timezone.localdate():
        publication_change(record, reason=Reason.OBJECTION_PERIOD_EXPIRED, actor=actor, reference=case.case_no,
                           note=_("更正后公示期已满"))
        _close_moot_repairs(record, case)
    return changes


def _close_moot_repairs(record, case):
    """The record left publication: an open repair case on it is moot and is closed, naming this objection."""
    from creditrepair.repairs.selectors import open_case_on
    from creditrepair.repairs.services import repair_close_as_moot

    repair = open_case_on(record)
    if repair is not None:
        repair_close_as_moot(repair, note=_("异议 %(case_no)s 处理后该信息已停止公示，修复申请无需继续办理。")
                             % {"case_no": case.case_no})


def _apply_outcome(case, outcome, reason, corrections, *, actor) -> list[dict]:
    """The effect of an outcome on the record, through the records app's services."""
    if outcome not in Outcome.values:
        raise InvalidInput(details={"outcome": [_("未知的处理结果。")]})
    corrections = validate_corrections(corrections)
    if corrections and outcome not in CORRECTING_OUTCOMES:
        raise InvalidInput(details={"corrections": [_("只有“予以更正”或“予以补充”可以填写更正内容。")]})
    changes = []
    if outcome in CORRECTING_OUTCOMES:
        required = CORRECTING_OUTCOMES[outcome]
        if required and not corrections:
            raise InvalidInput(details={"corrections": [_("予以更正须列明更正的字段和新值。")]})
        changes = _apply_corrections(case, case.record_id, corrections, actor=actor, required=required)
    elif outcome in STOPPING_OUTCOMES:
        publication_change(case.record, reason=STOPPING_OUTCOMES[outcome], actor=actor, note=reason,
                           reference=case.case_no)
        _close_moot_repairs(case.record, case)
    return changes


def _history_note(outcome, reason, changes):
    lines = [f"{Outcome(outcome).label}：{reason}"]
    for change in changes:
        label = Record._meta.get_field(change["field"]).verbose_name
        lines.append(f"{label}（{change['field']}）：{change['old']} → {change['new']}")
    return "\n".join(lines)


# What the applicant is told by e-mail of each event of its objection.
MESSAGES = {
    "filed": gettext_noop("您对决定文书号为 %(decision_no)s 的信息提出的异议已提交（案件编号 %(case_no)s），该信息已标注“异议处理中”。"),
    "refused": gettext_noop("您提出的异议（案件编号 %(case_no)s）不予受理。"),
    "resolved": gettext_noop("您提出的异议（案件编号 %(case_no)s）已处理完毕：%(outcome)s。请登录平台下载《异议处理结果告知书》。"),
    "review_requested": gettext_noop("您对异议（案件编号 %(case_no)s）的复核申请已提交。"),
    "reviewed": gettext_noop("您申请复核的异议（案件编号 %(case_no)s）已复核完毕：%(outcome)s。"),
}


def _notify(case, event):
    """Write the applicant's e-mail about ``event`` to the outbox, in the event's transaction, and send it after
    commit: to the subject's active users with an address (none: the row records that nobody could be told)."""
    from .tasks import notify_applicant

    outcome = case.review_outcome if event == "reviewed" else case.outcome
    with translation.override(settings.LANGUAGE_CODE):
        body = _(MESSAGES[event]) % {"case_no": case.case_no, "decision_no": case.record.decision_no,
                                     "outcome": str(Outcome(outcome).label) if outcome else ""}
        subject_line = _("【信用雅安】异议处理通知 %(case_no)s") % {"case_no": case.case_no}
    emails = list(case.subject.users.filter(is_active=True).exclude(Q(email="") | Q(email__isnull=True))
                  .order_by("id").values_list("email", flat=True))
    notice = ApplicantNotice.objects.create(objection=case, event=event, emails=emails, subject_line=subject_line,
                                            body=body, created_at=timezone.now())
    if notice.next_attempt_at is not None:
        delay_on_commit(notify_applicant, case.pk, event)


def _answer(case, stage):
    from .tasks import issue_objection_answer

    owe_document(case, issue_objection_answer, case.pk, stage)


# --------------------------------------------------------------------------- filing and evidence


def objection_file(*, actor, record, grounds: str, statement: str, requested_correction=None) -> Objection:
    """A subject objects to one of its own records; the record is marked "异议处理中" in the same transaction."""
    if actor.role != Role.SUBJECT:
        raise PermissionDenied(_("只有信用主体可以对本主体的信息提出异议。"))
    record_id = getattr(record, "pk", record)
    if not records_visible_to(actor).filter(pk=record_id).exists():
        raise NotFound(_("未找到该信用记录。"))
    if grounds not in Grounds.values:
        raise InvalidInput(details={"grounds": [_("未知的异议事由。")]})
    statement = _require_reason(statement, "statement")
    requested = requested_correction or {}
    if not isinstance(requested, dict):
        raise InvalidInput(details={"requested_correction": [_("应为 {字段: 申请更正为} 形式。")]})
    unknown = sorted(set(requested) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise InvalidInput(details={"requested_correction": [
            _("以下字段不能通过异议更正：%(fields)s。") % {"fields": "、".join(unknown)}]})
    requested = {k: str(v) for k, v in requested.items()}

    from .flows import ObjectionFlow

    today = timezone.localdate()
    with transaction.atomic():
        locked = Record.objects.select_for_update().select_related("subject", "department").get(pk=record_id)
        if Objection.objects.filter(record=locked, status__in=OPEN_STATUSES).exists():
            raise Conflict(_("该信息已有正在处理的异议，请勿重复提出。"), code="duplicate_case")
        rules = rules_for_filing(locked.jurisdiction, today)
        case = Objection.objects.create(
            case_no=next_case_no(CASE_PREFIX), query_code=new_query_code(), record=locked, subject=locked.subject,
            rule_set_code=rules.code, created_by=actor, filed_at=timezone.now(), status="",
            grounds=grounds, statement=statement, requested_correction=requested,
        )
        change_status(case, S.SUBMITTED, actor=actor, note=Grounds(grounds).label)
        _set_mark(locked.pk, True, actor=actor, case_no=case.case_no)
        gateway.start(ObjectionFlow, case, actor=actor)
        platform = platform_department(locked)
        deadline_open(case, "intake", responsible=platform, limit_name="objection_intake", start=today)
        deadline_open(case, "total", responsible=platform, limit_name="objection_total", start=today)

        from .tasks import issue_objection_receipt

        owe_document(case, issue_objection_receipt, case.pk)
        _notify(case, "filed")
    case.refresh_from_db()
    return case


def objection_add_evidence(case, *, actor, uploaded_file, description: str = "") -> ObjectionEvidence:
    """The subject attaches proof while the objection is being handled (PDF, JPEG or PNG)."""
    from creditrepair.core.uploads import safe_filename, validate_upload

    _authorize_subject(actor, case)
    if case.status not in OPEN_STATUSES:
        raise InvalidTransition(_("异议已办结，不能再补充证明材料。"))
    content_type, extension = validate_upload(uploaded_file)
    uploaded_file.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    name = safe_filename(uploaded_file.name or "evidence")
    with transaction.atomic():
        evidence = ObjectionEvidence(
            objection=case, original_name=name, description=(description or "")[:200],
            content_type=content_type, extension=extension if extension.startswith(".") else f".{extension}",
            size=uploaded_file.size, sha256=digest.hexdigest(), uploaded_by=actor,
        )
        evidence.store(f"evidence{evidence.extension}", uploaded_file)
        record_event("objection.evidence_added", actor=actor, target=case, subject_code=case.subject.code,
                     data={"case_no": case.case_no, "evidence": str(evidence.pk), "sha256": evidence.sha256,
                           "name": name, "size": evidence.size})
    return evidence


# --------------------------------------------------------------------------- intake and the platform check


def _intake_accept(case, actor):
    def apply(locked):
        change_status(locked, S.ACCEPTED, actor=actor)
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        deadline_meet(locked, "intake")
        deadline_open(locked, "platform_check", responsible=platform_department(locked.record),
                      limit_name="objection_platform_check")

    gateway.complete_step(case, "intake", actor=actor, authorize=_authorize_operator, apply=apply)


def _platform_found_nothing(case, actor):
    def apply(locked):
        locked.platform_corrected = False
        locked.save(update_fields=["platform_corrected"])
        deadline_meet(locked, "platform_check")
        change_status(locked, S.VERIFYING, actor=actor, note=_("平台信息与来源一致，转认定单位核实"))
        deadline_open(locked, "verification", responsible=locked.record.department,
                      limit_name="objection_verification")

    gateway.complete_step(case, "platform_check", actor=actor, authorize=_authorize_operator, apply=apply)


def objection_accept(case, *, actor) -> Objection:
    """Intake by the operator; the platform's copy is taken as matching the source, so verification starts.

    (To correct the platform's own copy instead, the operator calls ``objection_platform_check`` with
    ``differs=True`` rather than accepting.)
    """
    with transaction.atomic():
        _intake_accept(case, actor)
        _platform_found_nothing(case, actor)
    case.refresh_from_db()
    return case


def objection_refuse(case, *, actor, reason: str) -> Objection:
    """Refusal at intake, with reasons: the record stays as it is and the mark is lifted."""
    reason = _require_reason(reason)

    def apply(locked):
        change_status(locked, S.REFUSED, actor=actor, note=reason)
        locked.refusal_reason, locked.decided_at, locked.resolved_by = reason, timezone.now(), actor
        locked.save(update_fields=["refusal_reason", "decided_at", "resolved_by"])
        deadline_close_all(locked)
        _set_mark(locked.record_id, False, actor=actor, case_no=locked.case_no)
        _notify(locked, "refused")

    gateway.complete_step(case, "intake", actor=actor, authorize=_authorize_operator, apply=apply)
    case.refresh_from_db()
    return case


def _resolve(locked, *, actor, outcome, reason, corrections):
    """The common end of verification and of a platform correction: outcome applied, mark lifted, answer sent."""
    changes = _apply_outcome(locked, outcome, reason, corrections, actor=actor)
    now = timezone.now()
    locked.outcome, locked.outcome_reason, locked.corrections = outcome, reason, changes
    locked.decided_at, locked.resolved_by = now, actor
    locked.save(update_fields=["outcome", "outcome_reason", "corrections", "decided_at", "resolved_by",
                               "platform_corrected"])
    change_status(locked, S.RESOLVED, actor=actor, note=_history_note(outcome, reason, changes))
    deadline_close_all(locked)
    _set_mark(locked.record_id, False, actor=actor, case_no=locked.case_no)
    record_event("objection.outcome_applied", actor=actor, target=locked, subject_code=locked.subject.code,
                 data={"case_no": locked.case_no, "outcome": outcome, "reason": reason, "changes": changes})
    _answer(locked, "resolution")
    _notify(locked, "resolved")


def objection_platform_check(case, *, actor, differs: bool, corrections=None, reason: str = "") -> Objection:
    """The operator compares the platform's copy with the source department's.

    ``differs=True``: the platform's copy was wrong; it is corrected at once and the objection resolved as
    ``corrected``. ``differs=False``: same as accepting (verification by the department). A case still at
    intake is accepted first, in the same transaction.
    """
    with transaction.atomic():
        case.refresh_from_db()
        if case.status == S.SUBMITTED:
            _intake_accept(case, actor)
        if not differs:
            _platform_found_nothing(case, actor)
        else:
            reason = reason.strip() or _("平台信息与认定单位来源信息不一致，已按来源信息更正")

            def apply(locked):
                locked.platform_corrected = True
                deadline_meet(locked, "platform_check")
                _resolve(locked, actor=actor, outcome=Outcome.CORRECTED, reason=reason, corrections=corrections)

            gateway.complete_step(case, "platform_check", actor=actor, authorize=_authorize_operator, apply=apply)
    case.refresh_from_db()
    return case


# --------------------------------------------------------------------------- verification by the department


def objection_extend(case, *, actor, reason: str) -> Objection:
    """The one extension of verification, with a stated reason (by the configured working days)."""
    reason = _require_reason(reason)

    def apply(locked):
        deadline_extend(locked, "verification", limit_name="objection_verification_extension", reason=reason,
                        actor=actor)

    gateway.act_in_step(case, "verification", actor=actor, authorize=_authorize_department, apply=apply)
    case.refresh_from_db()
    return case


def objection_resolve(case, *, actor, outcome: str, reason: str, corrections=None) -> Objection:
    """The recognising department's outcome, applied at once to the record."""
    reason = _require_reason(reason)

    def apply(locked):
        deadline_meet(locked, "verification")
        _resolve(locked, actor=actor, outcome=outcome, reason=reason, corrections=corrections)

    gateway.complete_step(case, "verification", actor=actor, authorize=_authorize_department, apply=apply)
    case.refresh_from_db()
    return case


# --------------------------------------------------------------------------- review (复核)


def objection_request_review(case, *, actor, statement: str) -> Objection:
    """The subject asks for 复核 within the rule set's window after the answer."""
    statement = _require_reason(statement, "statement")

    def apply(locked):
        if timezone.localdate() > review_request_until(locked):
            raise RuleRefusal(_("已超过申请复核的期限。"), code="deadline_passed",
                              details={"until": review_request_until(locked).isoformat()})
        change_status(locked, S.UNDER_REVIEW, actor=actor, note=statement)
        locked.review_statement, locked.review_requested_at = statement, timezone.now()
        locked.save(update_fields=["review_statement", "review_requested_at"])
        deadline_open(locked, "review", responsible=platform_department(locked.record), limit_name="objection_review")
        _notify(locked, "review_requested")

    def authorize(actor_, locked):
        _authorize_subject(actor_, locked)
        if locked.status == S.CLOSED and locked.review_requested_at is None:
            raise RuleRefusal(_("已超过申请复核的期限。"), code="deadline_passed")
        if locked.status != S.RESOLVED:
            raise InvalidTransition(_("只有已办结的异议可以申请复核。"))

    gateway.complete_step(case, "review_request", actor=actor, authorize=authorize, apply=apply)
    case.refresh_from_db()
    return case


def objection_review_decide(case, *, actor, outcome: str, reason: str, corrections=None) -> Objection:
    """The operator's review decision: the outcome stands or is changed, and the new outcome is applied."""
    reason = _require_reason(reason)

    def apply(locked):
        if outcome not in Outcome.values:
            raise InvalidInput(details={"outcome": [_("未知的处理结果。")]})
        changes = []
        if outcome != locked.outcome or corrections:
            if outcome == Outcome.KEPT and locked.outcome in STOPPING_OUTCOMES:
                raise InvalidTransition(_("已停止公示或移出名单的信息不能通过复核恢复公示。"))
            changes = _apply_outcome(locked, outcome, reason, corrections, actor=actor)
        locked.review_outcome, locked.review_reason, locked.review_corrections = outcome, reason, changes
        locked.reviewed_at, locked.reviewed_by = timezone.now(), actor
        locked.save(update_fields=["review_outcome", "review_reason", "review_corrections", "reviewed_at",
                                   "reviewed_by"])
        note = _("复核：") + _history_note(outcome, reason, changes)
        change_status(locked, S.CLOSED, actor=actor, note=note)
        deadline_close_all(locked)
        record_event("objection.reviewed", actor=actor, target=locked, subject_code=locked.subject.code,
                     data={"case_no": locked.case_no, "from": locked.outcome, "to": outcome, "changes": changes})
        _answer(locked, "review")
        _notify(locked, "reviewed")

    gateway.complete_step(case, "review", actor=actor, authorize=_authorize_operator, apply=apply)
    case.refresh_from_db()
    return case


def objection_close_unreviewed(case) -> Objection:
    """The review window passed without a request: the case is archived (run by the flow's timer)."""
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=case.pk)
        if locked.status == S.RESOLVED:
            change_status(locked, S.CLOSED, actor_label="system:review-window", note=_("复核申请期限届满，归档"))
            deadline_close_all(locked)
    return locked
