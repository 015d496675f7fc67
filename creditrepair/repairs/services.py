"""Writes on repair cases: one function per action, each checking its actor explicitly.

Who may act (the table the API, the pages and the back office rely on):

==================================  ==============================================
filing, commitment, materials,      the subject's own users
submit, withdraw
accept, refuse (intake)             the platform operator
interview, extend, approve, deny    the record's recognising department (its staff)
training                            the subject's users or that department / operator
revoke (after completion)           the operator or the recognising department
==================================  ==============================================

Each action goes through the workflow gateway: flow lock, one transaction,
the case row locked, the domain status changed (history + audit) and the
viewflow task completed together. PDFs other than the signed commitment are
issued after commit by ``tasks.issue_case_document`` (idempotent keys
``repair:<id>:<kind>``).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditrepair.accounts.models import Role
from creditrepair.audit.services import record_event
from creditrepair.core.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    RuleRefusal,
)
from creditrepair.core.uploads import safe_filename, validate_upload
from creditrepair.documents.models import DocumentKind
from creditrepair.documents.services import issue_document
from creditrepair.records.services import publication_change, record_obligations_fulfilled
from creditrepair.records.transitions import Reason
from creditrepair.registry.selectors import operator_department_for
from creditrepair.rules.selectors import rule_set_by_code, rules_for_filing
from creditrepair.workflow import deadlines, gateway
from creditrepair.workflow.numbers import new_query_code, next_case_no
from creditrepair.workflow.owed import owe_document
from creditrepair.workflow.status import change_status

from . import selectors
from .models import (
    SIGNED,
    UPLOADED,
    WITHDRAWABLE,
    MaterialKind,
    RepairCase,
    RepairKind,
    RepairMaterial,
    RepairStatus,
    RepairStatusChange,
)

CASE_PREFIX = "XF"

# Deadline steps on a repair case (``deadlines`` in the API) and their limits in the rule set.
STEP_INTAKE, STEP_REVIEW, STEP_ANSWER = "intake", "review", "answer_total"
LIMIT_INTAKE, LIMIT_REVIEW, LIMIT_EXTENSION, LIMIT_ANSWER = (
    "repair_intake", "repair_review", "repair_review_extension", "repair_answer_total",
)


# --------------------------------------------------------------------------- who may act


def _is_subject_user(actor, case) -> bool:
    return actor.has_role(Role.SUBJECT) and actor.subject_id == case.subject_id


def _is_recognising_staff(actor, case) -> bool:
    return actor.has_role(Role.DEPARTMENT, Role.COURT) and actor.department_id == case.record.department_id


def _is_operator(actor) -> bool:
    return actor.has_role(Role.OPERATOR)


def _may_see(actor, case) -> bool:
    return _is_subject_user(actor, case) or _is_recognising_staff(actor, case) or _is_operator(actor)


def _require(allowed: bool, actor, case, message):
    """Refuse an actor: 404 to someone who may not even see the case, else 403."""
    if allowed:
        return
    if not _may_see(actor, case):
        raise NotFound(_("案件不存在。"))
    raise PermissionDenied(message)


def _subject_only(actor, case):
    _require(_is_subject_user(actor, case), actor, case, _("只有申请主体本身的用户可以办理此事项。"))


def _operator_only(actor, case):
    _require(_is_operator(actor), actor, case, _("受理审查由平台运营机构办理。"))


def _department_only(actor, case):
    _require(_is_recognising_staff(actor, case), actor, case,
             _("只有作出认定的单位（%(department)s）可以审核和决定。") % {"department": case.record.department.name})


def _reason_required(reason, field="reason"):
    if not (reason or "").strip():
        raise InvalidInput(details={field: [_("请说明理由。")]})
    return reason.strip()


# --------------------------------------------------------------------------- filing


def repair_file(actor, record, statement: str, kind: str | None = None) -> RepairCase:
    """The subject files a draft application; refused (409, the first reason's code) when not repairable.

    The procedure rule set in force today for the record's jurisdiction is
    frozen on the case, with the materials it requires; the viewflow process
    starts, waiting for the subject to submit.
    """
    if not (actor.has_role(Role.SUBJECT) and actor.subject_id == record.subject_id):
        raise PermissionDenied(_("只有信用主体本身的用户可以为其信息申请信用修复。"))
    if not (statement or "").strip():
        raise InvalidInput(details={"statement": [_("请填写申请说明。")]})
    expected_kind = selectors.case_kind_for(record)
    if kind and kind != expected_kind:
        raise InvalidInput(details={"kind": [_("该信息应申请“%(kind)s”。") % {"kind": RepairKind(expected_kind).label}]})
    with transaction.atomic():
        check = selectors.repairability(record)
        if not check.repairable:
            first = check.reasons[0]
            raise RuleRefusal(first.message, code=first.code,
                              details={"reasons": [r.as_dict() for r in check.reasons],
                                       "earliest_date": check.earliest_date.isoformat() if check.earliest_date else None})
        try:
            with transaction.atomic():
                case = RepairCase.objects.create(
                    case_no=next_case_no(CASE_PREFIX), query_code=new_query_code(), record=record,
                    subject=record.subject, rule_set_code=check.rule_set_code, created_by=actor,
                    kind=check.kind, statement=statement.strip(), required_materials=list(check.required_materials),
                )
        except IntegrityError:
            raise RuleRefusal(_("该信息已有正在办理的信用修复申请。"), code="duplicate_case") from None
        case.history_model.objects.create(case=case, from_status="", to_status=RepairStatus.DRAFT, actor=actor,
                                          actor_label=actor.get_username(), at=timezone.now())
        record_event("repaircase.draft", actor=actor, target=case, subject_code=case.subject.code,
                     data={"case_no": case.case_no, "record": record.pk, "kind": case.kind,
                           "rule_set": case.rule_set_code, "required_materials": case.required_materials})
        gateway.start(case.flow_class, case, actor=actor)
    return case


# --------------------------------------------------------------------------- the applicant's materials


def _letter_context(case, *, signatory_name, signatory_title, actor, ip, commitments, signed_at):
    record = case.record
    return {
        "subject": {"name": case.subject.name, "code": case.subject.code},
        "record": {"decision_no": record.decision_no, "department": record.department.name,
                   "decision_date": record.decision_date, "summary": record.summary},
        "commitments": list(commitments),
        "signatory": {"name": signatory_name, "title": signatory_title},
        "signed_at": signed_at,
        "signed_by": actor.get_username(),
        "signed_ip": ip or _("未知"),
    }


def repair_sign_commitment(actor, case, signatory_name: str, signatory_title: str,
                           kind: str = MaterialKind.COMMITMENT_LETTER, ip: str | None = None):
    """The subject signs a commitment letter online; returns the signed PDF ``Document``.

    The letter states the commitments of the case's rule set, the signatory,
    the signing time, user and IP (also in the audit log). Signing again
    returns the letter already signed: a signed document never changes.
    """
    if kind not in [k.value for k in SIGNED]:
        raise InvalidInput(details={"kind": [_("只能签署信用承诺书或守信承诺书。")]})
    errors = {}
    if not (signatory_name or "").strip():
        errors["signatory_name"] = [_("请填写签署人姓名。")]
    if not (signatory_title or "").strip():
        errors["signatory_title"] = [_("请填写签署人职务。")]
    if errors:
        raise InvalidInput(details=errors)
    commitments = rule_set_by_code(case.rule_set_code).commitments.get(kind)
    if not commitments:
        raise Conflict(_("现行规则未规定该承诺书的承诺事项，请联系平台运营机构。"), code="no_commitments")
    key = f"repair:{case.pk}:{kind}"

    def apply(locked):
        from creditrepair.documents.selectors import document_by_key

        existing = document_by_key(key)
        if existing is not None:
            return existing
        signed_at = timezone.now()
        context = _letter_context(locked, signatory_name=signatory_name.strip(),
                                  signatory_title=signatory_title.strip(), actor=actor, ip=ip,
                                  commitments=commitments, signed_at=signed_at)
        document = issue_document(
            kind=kind, template_name=f"documents/{kind}.html", context=context, case_no=locked.case_no,
            subject_code=locked.subject.code, idempotency_key=key, owner=locked, issued_by=actor,
        )
        record_event(f"repaircase.{kind}_signed", actor=actor, target=locked, subject_code=locked.subject.code,
                     ip=ip, data={"case_no": locked.case_no, "document": str(document.pk), "sha256": document.sha256,
                                  "signatory_name": signatory_name.strip(), "signatory_title": signatory_title.strip(),
                                  "signed_at": signed_at.isoformat()})
        return document

    return gateway.act_in_step(case, "submit", actor=actor, authorize=_subject_only, apply=apply)


def repair_upload_material(actor, case, kind: str, uploaded_file) -> RepairMaterial:
    """The subject attaches a PDF, JPEG or PNG (type sniffed from content, size capped) before submitting."""
    if kind not in [k.value for k in UPLOADED]:
        raise InvalidInput(details={"kind": [_("材料种类无效：可上传 %(kinds)s。") % {"kinds": ", ".join(k.value for k in UPLOADED)}]})
    if uploaded_file is None:
        raise InvalidInput(details={"file": [_("请选择文件。")]})
    _subject_only(actor, case)  # before reading the file
    content_type, extension = validate_upload(uploaded_file)
    uploaded_file.seek(0)
    data = uploaded_file.read()

    def apply(locked):
        material = RepairMaterial(case=locked, kind=kind, original_name=safe_filename(uploaded_file.name or ""),
                                  content_type=content_type, extension=extension, size=len(data),
                                  sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor)
        material.store(f"{material.id}.{extension}", ContentFile(data))
        record_event("repaircase.material_uploaded", actor=actor, target=locked, subject_code=locked.subject.code,
                     data={"case_no": locked.case_no, "kind": kind, "material": str(material.pk),
                           "sha256": material.sha256, "size": material.size, "content_type": content_type})
        return material

    return gateway.act_in_step(case, "submit", actor=actor, authorize=_subject_only, apply=apply)


def repair_record_training(actor, case, certificate_no: str, completed_on: dt.date) -> RepairCase:
    """Record completed credit-repair training (the subject with its certificate, or staff); issues the certificate PDF."""
    errors = {}
    if not (certificate_no or "").strip():
        errors["certificate_no"] = [_("请填写培训证明编号。")]
    if completed_on is None or completed_on > timezone.localdate():
        errors["completed_on"] = [_("培训完成日期不能晚于今天。")]
    if errors:
        raise InvalidInput(details=errors)

    def authorize(user, locked):
        _require(_is_subject_user(user, locked) or _is_recognising_staff(user, locked) or _is_operator(user),
                 user, locked, _("无权记录培训情况。"))

    steps = gateway.pending_steps(case)
    if not steps:
        authorize(actor, case)
        raise InvalidTransition(_("案件 %(case_no)s 已办结，不能再记录培训。") % {"case_no": case.case_no})

    def apply(locked):
        locked.training_certificate_no = certificate_no.strip()
        locked.training_completed_on = completed_on
        locked.save(update_fields=["training_certificate_no", "training_completed_on"])
        record_event("repaircase.training_recorded", actor=actor, target=locked, subject_code=locked.subject.code,
                     data={"case_no": locked.case_no, "certificate_no": locked.training_certificate_no,
                           "completed_on": completed_on.isoformat()})
        _issue_after_commit(locked, DocumentKind.TRAINING_CERTIFICATE)
        return locked

    gateway.act_in_step(case, steps[0], actor=actor, authorize=authorize, apply=apply)
    return case


def repair_submit(actor, case) -> RepairCase:
    """The subject submits. Everything missing is listed at once (一次性告知, 409 ``materials_missing``).

    Repairability is checked again (the record may have changed since filing);
    the intake and total-answer clocks start.
    """

    def apply(locked):
        check = selectors.repairability(locked.record, exclude_case=locked)
        if not check.repairable:
            first = check.reasons[0]
            raise RuleRefusal(first.message, code=first.code, details={"reasons": [r.as_dict() for r in check.reasons]})
        missing = selectors.materials_missing(locked, for_submission=True)
        if missing:
            raise Conflict(
                _("申请材料不齐全，请一次性补齐以下材料：%(list)s。") % {"list": "、".join(selectors.material_labels(missing))},
                code="materials_missing",
                details={"missing": missing, "labels": selectors.material_labels(missing)},
            )
        operator_department = operator_department_for(locked.record.jurisdiction)
        if operator_department is None:
            raise Conflict(_("平台尚未设置运营机构，暂不能受理申请。"), code="no_operator")
        locked.filed_at = timezone.now()
        locked.save(update_fields=["filed_at"])
        change_status(locked, RepairStatus.SUBMITTED, actor=actor)
        deadlines.deadline_open(locked, STEP_INTAKE, responsible=operator_department, limit_name=LIMIT_INTAKE)
        deadlines.deadline_open(locked, STEP_ANSWER, responsible=operator_department, limit_name=LIMIT_ANSWER)
        return locked

    gateway.complete_step(case, "submit", actor=actor, authorize=_subject_only, apply=apply)
    return case


# --------------------------------------------------------------------------- intake (the operator)


def repair_accept(actor, case) -> RepairCase:
    """The operator accepts after the formal check; the department's review clock starts."""

    def apply(locked):
        change_status(locked, RepairStatus.ACCEPTED, actor=actor)
        deadlines.deadline_meet(locked, STEP_INTAKE)
        deadlines.deadline_open(locked, STEP_REVIEW, responsible=locked.record.department, limit_name=LIMIT_REVIEW)
        _issue_after_commit(locked, DocumentKind.ACCEPTANCE_NOTICE)
        return locked

    gateway.complete_step(case, "intake", actor=actor, authorize=_operator_only, apply=apply)
    return case


def repair_refuse(actor, case, reason: str) -> RepairCase:
    """The operator refuses at intake, with the reason; the case ends."""
    reason = _reason_required(reason)

    def apply(locked):
        locked.refusal_reason = reason
        locked.decided_at = timezone.now()
        locked.save(update_fields=["refusal_reason", "decided_at"])
        change_status(locked, RepairStatus.REFUSED, actor=actor, note=reason)
        deadlines.deadline_close_all(locked)
        _issue_after_commit(locked, DocumentKind.REFUSAL_NOTICE)
        return locked

    gateway.complete_step(case, "intake", actor=actor, authorize=_operator_only, apply=apply)
    return case


# --------------------------------------------------------------------------- review (the recognising department)


def _start_review(locked, actor):
    """The department's first action on an accepted case moves it to ``under_review``."""
    if locked.status == RepairStatus.ACCEPTED:
        change_status(locked, RepairStatus.UNDER_REVIEW, actor=actor)


def repair_record_interview(actor, case, held_on: dt.date, notes: str) -> RepairCase:
    """The department records the interview (约谈) it held with the subject."""
    errors = {}
    if held_on is None or held_on > timezone.localdate():
        errors["held_on"] = [_("约谈日期不能晚于今天。")]
    if not (notes or "").strip():
        errors["notes"] = [_("请填写约谈记录。")]
    if errors:
        raise InvalidInput(details=errors)

    def apply(locked):
        _start_review(locked, actor)
        locked.interview_held_on, locked.interview_notes = held_on, notes.strip()
        locked.interview_recorded_by = actor
        locked.save(update_fields=["interview_held_on", "interview_notes", "interview_recorded_by"])
        record_event("repaircase.interview_recorded", actor=actor, target=locked, subject_code=locked.subject.code,
                     data={"case_no": locked.case_no, "held_on": held_on.isoformat()})
        return locked

    gateway.act_in_step(case, "review", actor=actor, authorize=_department_only, apply=apply)
    return case


def repair_extend(actor, case, reason: str) -> RepairCase:
    """The department's one extension of the review limit, with a stated reason."""
    reason = _reason_required(reason)

    def apply(locked):
        _start_review(locked, actor)
        deadlines.deadline_extend(locked, STEP_REVIEW, limit_name=LIMIT_EXTENSION, reason=reason, actor=actor)
        locked.extension_reason = reason
        locked.save(update_fields=["extension_reason"])
        return locked

    gateway.act_in_step(case, "review", actor=actor, authorize=_department_only, apply=apply)
    return case


def _decide(actor, case, reason, outcome):
    reason = _reason_required(reason)

    def apply(locked):
        _start_review(locked, actor)
        if outcome == RepairStatus.APPROVED:
            missing = selectors.materials_missing(locked, for_submission=False)
            if missing:
                raise Conflict(
                    _("尚缺以下材料或环节，不能准予修复：%(list)s。") % {"list": "、".join(selectors.material_labels(missing))},
                    code="materials_missing",
                    details={"missing": missing, "labels": selectors.material_labels(missing)},
                )
            record = locked.record
            if (record.obligations or "").strip() and record.obligations_fulfilled_on is None:
                # Approving on the strength of the proof of performance confirms the obligations.
                record_obligations_fulfilled(
                    record, actor=actor, fulfilled_on=timezone.localdate(),
                    evidence=_("信用修复案件 %(case_no)s 提交的履行证明材料") % {"case_no": locked.case_no},
                )
        locked.decision_reason, locked.decided_by, locked.decided_at = reason, actor, timezone.now()
        locked.save(update_fields=["decision_reason", "decided_by", "decided_at"])
        change_status(locked, outcome, actor=actor, note=reason)
        deadlines.deadline_close_all(locked)
        if outcome == RepairStatus.DENIED:
            _issue_after_commit(locked, DocumentKind.DECISION_NOTICE)
        return locked

    gateway.complete_step(case, "review", actor=actor, authorize=_department_only, apply=apply)
    return case


def repair_approve(actor, case, reason: str) -> RepairCase:
    """The department approves: in the same transaction publication stops, partners are told and the case completes."""
    return _decide(actor, case, reason, RepairStatus.APPROVED)


def repair_deny(actor, case, reason: str) -> RepairCase:
    """The department denies, with reasons; the record stays published."""
    return _decide(actor, case, reason, RepairStatus.DENIED)


# --------------------------------------------------------------------------- the system steps of the flow


def stop_publication_for(case) -> None:
    """Flow step ``stop_publication``: the one stop service, at the moment of approval."""
    publication_change(case.record, reason=Reason.REPAIR, actor=case.decided_by, reference=case.case_no,
                       note=case.decision_reason)


def complete_case(case) -> None:
    """Flow step ``complete``: the case is done; the decision notice follows after commit."""
    locked = RepairCase.objects.select_for_update().select_related("subject", "record").get(pk=case.pk)
    change_status(locked, RepairStatus.COMPLETED, actor=None, actor_label="system:repair-flow",
                  note=_("已停止公示并通知联合惩戒单位"))
    _issue_after_commit(locked, DocumentKind.DECISION_NOTICE)


# --------------------------------------------------------------------------- withdrawal and revocation


def repair_withdraw(actor, case) -> RepairCase:
    """The subject withdraws before a decision; the process is cancelled and the clocks stop."""

    def apply(locked):
        if locked.status not in WITHDRAWABLE:
            raise InvalidTransition(_("案件已作出决定，不能撤回。"))
        change_status(locked, RepairStatus.WITHDRAWN, actor=actor)
        deadlines.deadline_close_all(locked)
        return locked

    gateway.cancel(case, actor=actor, authorize=_subject_only, apply=apply)
    return case


def repair_close_as_moot(case, *, note: str, actor_label: str = "system:objections") -> RepairCase | None:
    """The system ends an open repair case made moot (e.g. an objection removed the record or stopped its
    publication): status ``withdrawn`` with ``note`` in the history, clocks stopped, process cancelled.

    Returns the case, or ``None`` when it was no longer open (nothing to do).
    """

    def system(_user, _locked):
        return None

    def apply(locked):
        if locked.status not in WITHDRAWABLE:
            raise InvalidTransition(_("案件已作出决定。"))
        change_status(locked, RepairStatus.WITHDRAWN, actor=None, actor_label=actor_label, note=note)
        deadlines.deadline_close_all(locked)
        return locked

    if case.status not in WITHDRAWABLE:
        return None
    try:
        return gateway.cancel(case, actor=None, authorize=system, apply=apply)
    except InvalidTransition:  # decided (or ended) meanwhile: not moot any more, nothing to close
        return None


def repair_revoke(actor, case, reason: str) -> RepairCase:
    """Revoke a completed repair (false materials or a broken commitment).

    Publication resumes for the remaining period (the one publication service,
    which also tells the partners), and the subject is barred from repair until
    ``bars_until`` (the rule set's ``revocation_bar_months`` from today).
    """
    reason = _reason_required(reason)

    def authorize(user, locked):
        _require(_is_operator(user) or _is_recognising_staff(user, locked), user, locked,
                 _("只有平台运营机构或认定单位可以撤销信用修复。"))

    authorize(actor, case)
    with transaction.atomic():
        locked = RepairCase.objects.select_for_update().select_related("record", "subject").get(pk=case.pk)
        today = timezone.localdate()
        bar_months = rules_for_filing(locked.record.jurisdiction, today).refusals.revocation_bar_months
        locked.revocation_reason, locked.revoked_at = reason, timezone.now()
        locked.bars_until = today + relativedelta(months=bar_months)
        change_status(locked, RepairStatus.REVOKED, actor=actor, note=reason)
        locked.save(update_fields=["revocation_reason", "revoked_at", "bars_until"])
        publication_change(locked.record, reason=Reason.REPAIR_REVOKED, actor=actor, reference=locked.case_no,
                           note=reason)
        record_event("repaircase.bar_recorded", actor=actor, target=locked, subject_code=locked.subject.code,
                     data={"case_no": locked.case_no, "bars_until": locked.bars_until.isoformat(),
                           "months": bar_months})
    case.refresh_from_db()
    return case


# --------------------------------------------------------------------------- documents after commit


APPLICATION_LABELS = {RepairKind.REPAIR: _("信用修复申请"), RepairKind.LIST_EXIT: _("移出严重失信主体名单申请")}


def _record_view(record) -> dict:
    return {"decision_no": record.decision_no, "department": record.department.name,
            "decision_date": record.decision_date, "summary": record.summary}


def _document_context(case, kind) -> dict:
    """The view-model of a notice or certificate of ``case`` (see each template's header)."""
    subject = {"name": case.subject.name, "code": case.subject.code}
    application = {"kind_label": str(APPLICATION_LABELS.get(case.kind, _("信用修复申请"))),
                   "filed_on": timezone.localdate(case.filed_at or case.created_at)}
    if kind == DocumentKind.ACCEPTANCE_NOTICE:
        due = deadlines.deadlines_of(case).get(STEP_REVIEW)
        return {"subject": subject, "application": application, "record": _record_view(case.record),
                "accepted_on": _status_day(case, RepairStatus.ACCEPTED), "reviewer": case.record.department.name,
                "decision_due": due}
    if kind == DocumentKind.REFUSAL_NOTICE:
        return {"subject": subject, "application": application, "record": _record_view(case.record),
                "refused_on": _status_day(case, RepairStatus.REFUSED), "reason": case.refusal_reason}
    if kind == DocumentKind.DECISION_NOTICE:
        approved = case.status in (RepairStatus.APPROVED, RepairStatus.COMPLETED, RepairStatus.REVOKED)
        stopped = (case.record.history.filter(reason=Reason.REPAIR, reference=case.case_no)
                   .order_by("id").values_list("at", flat=True).first())
        notified = stopped is not None and case.record.notices.filter(
            history__reason=Reason.REPAIR, history__reference=case.case_no).exists()
        return {"subject": subject, "application": application, "record": _record_view(case.record),
                "outcome": "approved" if approved else "denied", "reason": case.decision_reason,
                "decided_on": timezone.localdate(case.decided_at), "decided_by": case.record.department.name,
                "publication_stopped_at": stopped if approved else None, "partners_notified": notified}
    if kind == DocumentKind.TRAINING_CERTIFICATE:
        return {"subject": subject, "certificate_no": case.training_certificate_no,
                "training_name": _("信用修复专题培训"), "organiser": _platform_name(),
                "completed_on": case.training_completed_on}
    raise InvalidInput(details={"kind": [str(kind)]})


def _platform_name():
    from creditrepair.documents.signing import platform_name

    return platform_name()


def _status_day(case, status):
    at = case.history.filter(to_status=status).order_by("-id").values_list("at", flat=True).first()
    return timezone.localdate(at) if at else timezone.localdate()


def document_key(case_id, kind) -> str:
    """The idempotency key of a case's document of ``kind``: each is issued once."""
    return f"repair:{case_id}:{DocumentKind(kind).value}"


def issue_case_document(case, kind):
    """Issue (once: idempotency key ``repair:<id>:<kind>``) a notice or certificate of ``case``."""
    kind = DocumentKind(kind)
    return issue_document(
        kind=kind, template_name=f"documents/{kind.value}.html", context=_document_context(case, kind),
        case_no=case.case_no, subject_code=case.subject.code, idempotency_key=document_key(case.pk, kind),
        owner=case,
    )


def _issue_after_commit(case, kind):
    from .tasks import issue_case_document

    # A failed PDF must not turn a committed decision into an error either: the task retries itself, and the
    # case stays marked as owed it until the catch-up has seen it issued (``owed_documents``).
    owe_document(case, issue_case_document, case.pk, str(kind))


# The status changes after which a case must have a notice (the first time it reaches them).
NOTICE_ON = {
    RepairStatus.ACCEPTED: DocumentKind.ACCEPTANCE_NOTICE,
    RepairStatus.REFUSED: DocumentKind.REFUSAL_NOTICE,
    RepairStatus.DENIED: DocumentKind.DECISION_NOTICE,
    RepairStatus.COMPLETED: DocumentKind.DECISION_NOTICE,
}


def owed_documents(cases) -> dict:
    """The notices and certificates the state of each case requires (``workflow.owed.catch_up_documents``):
    a notice for each status of ``NOTICE_ON`` it reached (from its history: a case accepted and then withdrawn
    keeps its acceptance notice), the training certificate once training is recorded."""
    from .tasks import issue_case_document

    reached = RepairStatusChange.objects.filter(case__in=cases, to_status__in=list(NOTICE_ON))
    kinds = {case.pk: {DocumentKind.TRAINING_CERTIFICATE} if case.training_certificate_no else set() for case in cases}
    for case_id, status in reached.values_list("case_id", "to_status"):
        kinds[case_id].add(NOTICE_ON[status])
    return {case_id: {document_key(case_id, kind): (issue_case_document, (case_id, kind.value)) for kind in owed}
            for case_id, owed in kinds.items()}
