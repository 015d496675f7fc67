"""Writes of the courts area: listings, consumption restrictions, suspensions, the instalment watch,
deletion and correction requests.

Every change of a record's publication goes through
``records.services.publication_change`` (history, audit, partner notices);
every suspension step through the workflow gateway (flow lock, one transaction).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from creditrepair.accounts.models import Role
from creditrepair.audit.services import record_event
from creditrepair.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound, PermissionDenied
from creditrepair.core.mail import due_mail, send_outgoing_mail
from creditrepair.core.tasks import delay_on_commit, lost_since
from creditrepair.documents.models import Document, DocumentKind
from creditrepair.records.models import Category, Record
from creditrepair.records.services import publication_change, record_create
from creditrepair.records.transitions import Reason
from creditrepair.rules.selectors import rule_set_by_code, rules_for_decision, rules_for_filing
from creditrepair.workflow import gateway
from creditrepair.workflow.deadlines import deadline_close_all, deadline_meet, deadline_open
from creditrepair.workflow.numbers import new_query_code, next_case_no
from creditrepair.workflow.status import change_status
from creditrepair.workdays.services import deadline_for

from .models import (
    AppliesTo,
    ConsumptionRestriction,
    CorrectionRequest,
    CorrectionStatus,
    CourtListing,
    CourtSuspension,
    CreditorNotice,
    DeletionGround,
    Instalment,
    InstalmentBreach,
    ListingGround,
    Measure,
    RestrictionChange,
    SuspensionStatus,
)

SYSTEM_WATCH = "system:instalment-watch"
# An 18-character resident ID number (or USCC-like string) written into free text.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


# --------------------------------------------------------------------------- who may act


def _label(actor, fallback=SYSTEM_WATCH):
    return actor.get_username() if actor is not None else fallback


def own_court_record(actor, record_or_id) -> Record:
    """The ``court_debtor`` record of the actor's own court, else NotFound (another court sees nothing)."""
    record_id = record_or_id.pk if isinstance(record_or_id, Record) else record_or_id
    if actor is None or actor.role != Role.COURT:
        raise PermissionDenied(_("只有人民法院执行人员可以办理。"))
    record = Record.objects.select_related("subject", "department").filter(
        pk=record_id, department_id=actor.department_id
    ).first()
    if record is None:
        raise NotFound(_("未找到该失信被执行人记录。"))
    if record.category != Category.COURT_DEBTOR:
        raise InvalidInput(details={"record": [_("只能对失信被执行人信息办理。")]})
    return record


def _authorize_court(actor, case):
    if actor is None:  # the system (the watch job)
        return
    if actor.role != Role.COURT or case.court_id != actor.department_id:
        raise NotFound(_("未找到该案件。"))


# --------------------------------------------------------------------------- consumption restrictions


def _restriction_log(restriction, action, *, reason, actor, reference="", now=None):
    RestrictionChange.objects.create(
        restriction=restriction, action=action, reason=reason[:200], reference=reference, actor=actor,
        actor_label=_label(actor, "system"), at=now or timezone.now(),
    )


def restrictions_impose(listing, measures, *, actor) -> list[ConsumptionRestriction]:
    """Impose consumption restrictions: ``measures`` = [{measure, applies_to, person_name}]."""
    now = timezone.now()
    created = []
    for item in measures:
        measure = item.get("measure")
        applies_to = item.get("applies_to") or AppliesTo.DEBTOR
        person_name = (item.get("person_name") or "").strip()
        if measure not in Measure.values:
            raise InvalidInput(details={"restrictions": [_("未知的限制消费措施：%(m)s") % {"m": measure}]})
        if applies_to not in AppliesTo.values:
            raise InvalidInput(details={"restrictions": [_("未知的限制对象：%(a)s") % {"a": applies_to}]})
        if applies_to != AppliesTo.DEBTOR and not person_name:
            raise InvalidInput(details={"restrictions": [_("对法定代表人等人员限制消费须写明姓名。")]})
        if applies_to != AppliesTo.DEBTOR and listing.record.subject.is_natural_person:
            raise InvalidInput(details={"restrictions": [_("被执行人为自然人时，限制对象只能是其本人。")]})
        restriction, was_created = ConsumptionRestriction.objects.get_or_create(
            listing=listing, measure=measure, applies_to=applies_to, person_name=person_name,
            defaults={"active": True, "changed_at": now},
        )
        if was_created:
            _restriction_log(restriction, RestrictionChange.Action.IMPOSED, reason=_("纳入失信名单"), actor=actor, now=now)
            created.append(restriction)
    return created


def _restrictions_lift(record, *, reason, actor, reference, final=False):
    """Lift the active restrictions of a record's listing (``final``: for good, on full performance)."""
    listing = CourtListing.objects.filter(record=record).first()
    if listing is None:
        return 0
    now = timezone.now()
    rows = list(listing.restrictions.select_for_update().filter(final=False))
    for r in rows:
        was_active = r.active
        r.active, r.final, r.changed_at = False, final, now
        r.save(update_fields=["active", "final", "changed_at"])
        if was_active:
            _restriction_log(r, RestrictionChange.Action.LIFTED, reason=reason, actor=actor, reference=reference, now=now)
    return len(rows)


def _restrictions_reinstate(record, *, reason, actor, reference):
    listing = CourtListing.objects.filter(record=record).first()
    if listing is None:
        return 0
    now = timezone.now()
    rows = list(listing.restrictions.select_for_update().filter(active=False, final=False))
    for r in rows:
        r.active, r.changed_at = True, now
        r.save(update_fields=["active", "changed_at"])
        _restriction_log(r, RestrictionChange.Action.REINSTATED, reason=reason, actor=actor, reference=reference,
                         now=now)
    return len(rows)


# --------------------------------------------------------------------------- listings


def relisting_barred_until(subject, creditor_name: str, today: date | None = None) -> date | None:
    """The day until which the subject may not be relisted at this creditor's request (None if free)."""
    today = today or timezone.localdate()
    creditor_name = (creditor_name or "").strip()
    if not creditor_name:
        return None
    latest = None
    for listing in CourtListing.objects.select_related("record").filter(
        record__subject=subject, deletion_ground=DeletionGround.CREDITOR_REQUEST,
        creditor_name=creditor_name, deleted_on__isnull=False,
    ):
        bar = rules_for_filing(listing.record.jurisdiction, listing.deleted_on).courts
        until = listing.deleted_on + relativedelta(months=bar.creditor_request_relisting_bar_months)
        if today < until and (latest is None or until > latest):
            latest = until
    return latest


def _check_no_id_number(subject, **texts):
    """A person's listing is published masked: free text must not carry an ID number."""
    if not subject.is_natural_person:
        return
    bad = {name: [_("公开的文字中不得包含身份证号码。")] for name, text in texts.items() if ID_NUMBER_RE.search(text or "")}
    if bad:
        raise InvalidInput(details=bad)


def court_listing_create(
    actor,
    record,
    *,
    court_case_no: str,
    executing_basis: str,
    obligation: str,
    ground: str,
    creditor_name: str = "",
    creditor_email: str = "",
    at_creditor_request: bool = False,
    extension_months: int = 0,
    grace_months: int = 0,
    restrictions=(),
) -> CourtListing:
    """Attach the court-specific data (and consumption restrictions) to a ``court_debtor`` record of the court."""
    record = own_court_record(actor, record)
    if ground not in ListingGround.values:
        raise InvalidInput(details={"ground": [_("未知的纳入失信名单情形。")]})
    for name, value in (("court_case_no", court_case_no), ("executing_basis", executing_basis),
                        ("obligation", obligation)):
        if not (value or "").strip():
            raise InvalidInput(details={name: [_("必填。")]})
    courts = rules_for_decision(record.jurisdiction, record.decision_date).courts
    if extension_months:
        rng = courts.listing_extension_months
        if not rng.min <= extension_months <= rng.max:
            raise InvalidInput(details={"extension_months": [
                _("延长期限应为 %(min)s 至 %(max)s 个月。") % {"min": rng.min, "max": rng.max}]})
    _check_no_id_number(record.subject, summary=record.summary, obligation=obligation)
    with transaction.atomic():
        try:
            with transaction.atomic():
                listing = CourtListing.objects.create(
                    record=record, court_case_no=court_case_no.strip(), executing_basis=executing_basis.strip(),
                    obligation=obligation.strip(), ground=ground, creditor_name=(creditor_name or "").strip(),
                    creditor_email=creditor_email or "", at_creditor_request=at_creditor_request,
                    term_months=courts.listing_term_months, extension_months=extension_months or 0,
                    grace_months=grace_months or 0, created_by=actor,
                )
        except IntegrityError:
            raise Conflict(_("该记录已有失信名单信息。"), code="duplicate_case") from None
        if extension_months:
            max_until = record.decision_date + relativedelta(months=courts.listing_term_months + extension_months)
            Record.objects.filter(pk=record.pk).update(max_until=max_until)
            record.refresh_from_db()
        restrictions_impose(listing, restrictions, actor=actor)
        record_event("court_listing.created", actor=actor, target=listing, subject_code=record.subject.code,
                     data={"record": record.pk, "court_case_no": listing.court_case_no, "ground": ground,
                           "extension_months": extension_months, "grace_months": grace_months,
                           "restrictions": len(restrictions)})
    return listing


def court_listing_file(
    actor,
    *,
    subject: dict,
    decision_no: str,
    decision_date: date,
    summary: str,
    court_case_no: str,
    executing_basis: str,
    obligation: str,
    ground: str,
    severity: str = "serious",
    legal_basis: str = "",
    jurisdiction: str | None = None,
    grace_months: int = 0,
    creditor_name: str = "",
    creditor_email: str = "",
    at_creditor_request: bool = False,
    extension_months: int = 0,
    restrictions=(),
) -> CourtListing:
    """A court lists a debtor: the ``court_debtor`` record and its listing in one transaction.

    A grace period (宽限期) of ``grace_months`` (the rule set's bounds) keeps the
    listing unpublished through its last day; the daily sweep publishes it then.
    Relisting at a creditor's request is refused within the bar after a deletion at its request.
    """
    if actor is None or actor.role != Role.COURT:
        raise PermissionDenied(_("只有人民法院执行人员可以纳入失信被执行人名单。"))
    jurisdiction = jurisdiction or actor.department.jurisdiction or settings.PLATFORM_JURISDICTION
    courts = rules_for_decision(jurisdiction, decision_date).courts
    grace_until = None
    if grace_months:
        rng = courts.grace_period_months
        if not rng.min <= grace_months <= rng.max:
            raise InvalidInput(details={"grace_months": [
                _("宽限期应为 %(min)s 至 %(max)s 个月。") % {"min": rng.min, "max": rng.max}]})
        grace_until = decision_date + relativedelta(months=grace_months) - relativedelta(days=1)
    if at_creditor_request:
        from creditrepair.registry.models import Subject

        existing = Subject.objects.filter(code=(subject.get("code") or "").strip().upper()).first()
        until = relisting_barred_until(existing, creditor_name) if existing else None
        if until is not None:
            raise Conflict(
                _("申请执行人申请删除后六个月内，不得依其申请再次纳入失信名单（至 %(until)s）。")
                % {"until": until.isoformat()},
                code="relisting_barred", details={"barred_until": until.isoformat()},
            )
    with transaction.atomic():
        record = record_create(
            actor=actor, subject=subject, category=Category.COURT_DEBTOR, severity=severity,
            decision_no=decision_no, decision_date=decision_date, summary=summary, legal_basis=legal_basis,
            obligations=obligation, jurisdiction=jurisdiction, grace_until=grace_until,
        )
        return court_listing_create(
            actor, record, court_case_no=court_case_no, executing_basis=executing_basis, obligation=obligation,
            ground=ground, creditor_name=creditor_name, creditor_email=creditor_email,
            at_creditor_request=at_creditor_request, extension_months=extension_months,
            grace_months=grace_months, restrictions=restrictions,
        )


def court_listing_delete(actor, listing: CourtListing, *, ground: str, reason: str = "") -> CourtListing:
    """Delete (shield) a listing on a statutory ground: record ``removed``, restrictions lifted for good."""
    record = own_court_record(actor, listing.record_id)
    if ground not in DeletionGround.values:
        raise InvalidInput(details={"ground": [_("未知的删除事由。")]})
    if ground == DeletionGround.OTHER and not (reason or "").strip():
        raise InvalidInput(details={"reason": [_("其他法定事由须说明理由。")]})
    if CourtSuspension.objects.filter(record=record, status__in=[SuspensionStatus.ACTIVE, SuspensionStatus.BREACH]).exists():
        raise InvalidTransition(_("该记录有正在办理的暂停信用惩戒案件，请先办结该案件。"))
    with transaction.atomic():
        listing = CourtListing.objects.select_for_update().get(pk=listing.pk)
        if listing.deleted_on is not None:
            raise InvalidTransition(_("该失信信息已删除。"))
        _delete(record, listing, ground=ground, reason=reason, actor=actor, reference=listing.court_case_no)
    listing.refresh_from_db()
    return listing


def _delete(record, listing, *, ground, reason, actor, reference, case=None):
    """Delete at once (the 3-WD limit is met on the day): publication, restrictions, listing, deadline."""
    today = timezone.localdate()
    publication_change(record, reason=Reason.COURT_DELETION, actor=actor, actor_label=_label(actor),
                       note=reason or DeletionGround(ground).label, reference=reference)
    _restrictions_lift(record, reason=str(DeletionGround(ground).label), actor=actor, reference=reference, final=True)
    if listing is not None:
        listing.deleted_on, listing.deletion_ground, listing.deletion_reason = today, ground, reason or ""
        listing.save(update_fields=["deleted_on", "deletion_ground", "deletion_reason"])
    if case is not None:
        deadline_open(case, "deletion", responsible=case.court, limit_name="court_deletion", start=today)
        deadline_meet(case, "deletion")
    record_event("court_listing.deleted", actor=actor, actor_label=_label(actor), target=record,
                 subject_code=record.subject.code, data={"ground": ground, "reason": reason, "reference": reference})


# --------------------------------------------------------------------------- suspensions


@dataclass
class InstalmentInput:
    due_date: date
    amount: Decimal


def suspension_create(
    actor,
    *,
    record,
    agreement_no: str,
    total_amount: Decimal,
    instalments: list,
    creditor_consent: bool,
    commitment_document=None,
    creditor_name: str = "",
    creditor_email: str = "",
) -> CourtSuspension:
    """Suspend credit punishment on a settlement: record ``suspended``, restrictions lifted, the flow started."""
    record = own_court_record(actor, record)
    if creditor_consent is not True:
        raise InvalidInput(details={"creditor_consent": [_("暂停信用惩戒须经申请执行人同意。")]})
    if not (agreement_no or "").strip():
        raise InvalidInput(details={"settlement": {"agreement_no": [_("必填。")]}})
    items = sorted(
        (InstalmentInput(i["due_date"], Decimal(str(i["amount"]))) for i in instalments), key=lambda i: i.due_date
    )
    if not items:
        raise InvalidInput(details={"settlement": {"instalments": [_("至少应有一期履行安排。")]}})
    if any(i.amount <= 0 for i in items):
        raise InvalidInput(details={"settlement": {"instalments": [_("每期金额应大于零。")]}})
    total_amount = Decimal(str(total_amount))
    if sum(i.amount for i in items) != total_amount:
        raise InvalidInput(details={"settlement": {"total_amount": [_("各期金额之和应等于和解总金额。")]}})
    document = None
    if commitment_document:
        document = Document.objects.filter(pk=commitment_document).first()
        if document is None or document.kind != DocumentKind.COURT_COMMITMENT:
            raise InvalidInput(details={"commitment_document": [_("未找到该履行承诺书。")]})
    if CourtSuspension.objects.filter(record=record, status__in=[SuspensionStatus.ACTIVE, SuspensionStatus.BREACH]).exists():
        raise Conflict(_("该记录已有正在办理的暂停信用惩戒案件。"), code="duplicate_case")
    listing = CourtListing.objects.filter(record=record).first()
    today = timezone.localdate()
    rules = rules_for_filing(record.jurisdiction, today)
    with transaction.atomic():
        now = timezone.now()
        try:
            with transaction.atomic():
                case = CourtSuspension.objects.create(
                    case_no=next_case_no(CourtSuspension.PREFIX), query_code=new_query_code(), record=record,
                    subject=record.subject, rule_set_code=rules.code, created_by=actor, filed_at=now,
                    court=record.department, agreement_no=agreement_no.strip(), total_amount=total_amount,
                    creditor_consent=True,
                    creditor_name=(creditor_name or (listing.creditor_name if listing else "")).strip(),
                    creditor_email=creditor_email or (listing.creditor_email if listing else ""),
                    commitment_document=document,
                )
        except IntegrityError:
            raise Conflict(_("该记录已有正在办理的暂停信用惩戒案件。"), code="duplicate_case") from None
        Instalment.objects.bulk_create(
            [Instalment(suspension=case, number=n, due_date=i.due_date, amount=i.amount)
             for n, i in enumerate(items, start=1)]
        )
        case.history_model.objects.create(case=case, from_status="", to_status=SuspensionStatus.ACTIVE, actor=actor,
                                          actor_label=_label(actor), note=case.agreement_no, at=now)
        publication_change(record, reason=Reason.COURT_SUSPENSION, actor=actor, note=_("执行和解，暂停信用惩戒"),
                           reference=case.case_no)
        _restrictions_lift(record, reason=_("执行和解，申请执行人同意"), actor=actor, reference=case.case_no)
        record_event("courtsuspension.active", actor=actor, target=case, subject_code=record.subject.code,
                     data={"case_no": case.case_no, "record": record.pk, "agreement_no": case.agreement_no,
                           "total_amount": str(total_amount), "instalments": len(items)})
        gateway.start(case.flow_class, case, actor=actor)
        if document is None:
            from .tasks import issue_commitment

            delay_on_commit(issue_commitment, case.pk)  # lost to a broker outage: catch_up issues it later
    case.refresh_from_db()
    return case


# The debtor's commitments in the court's commitment form (translated when the document is issued).
COMMITMENTS = (
    gettext_noop("按执行和解协议约定的期限和金额足额履行各期付款义务。"),
    gettext_noop("履行期间不转移、隐匿财产，不实施高消费行为。"),
    gettext_noop("如未按期履行，同意法院恢复信用惩戒措施并依法恢复执行。"),
)


def commitment_context(case: CourtSuspension) -> dict:
    """The context of templates/documents/court_commitment.html for a suspension."""
    listing = CourtListing.objects.filter(record=case.record).first()
    representative = None
    if listing is not None:
        representative = listing.restrictions.filter(applies_to=AppliesTo.LEGAL_REPRESENTATIVE).first()
    subject = case.subject
    return {
        "subject": {"name": subject.name, "code": subject.code},
        "court": {"name": case.court.name},
        "court_case_no": listing.court_case_no if listing else case.record.decision_no,
        "creditor": {"name": case.creditor_name} if case.creditor_name else {},
        "settlement": {
            "agreement_no": case.agreement_no,
            "total_amount": str(case.total_amount),
            "instalments": [{"due_date": i.due_date, "amount": str(i.amount)} for i in case.instalments.all()],
        },
        "commitments": [_(c) for c in COMMITMENTS],
        "signatory": {
            "name": representative.person_name if representative else subject.name,
            "title": _("法定代表人") if representative else _("被执行人"),
        },
        "signed_at": case.filed_at,
        "signed_by": case.created_by.get_username() if case.created_by else "",
        "signed_ip": "",
    }


def suspension_issue_commitment(case_id) -> Document:
    """Generate and sign the debtor's written credit commitment of a suspension (idempotent)."""
    from creditrepair.documents.services import issue_document

    case = CourtSuspension.objects.select_related("subject", "court", "record", "created_by").get(pk=case_id)
    if case.commitment_document_id:
        return case.commitment_document
    document = issue_document(
        kind=DocumentKind.COURT_COMMITMENT, template_name="documents/court_commitment.html",
        context=commitment_context(case), case_no=case.case_no, subject_code=case.subject.code,
        idempotency_key=f"{case.case_no}:court_commitment", owner=case, issued_by=case.created_by,
    )
    CourtSuspension.objects.filter(pk=case.pk, commitment_document__isnull=True).update(commitment_document=document)
    return document


def _pending_step(case) -> str:
    steps = gateway.pending_steps(case)
    for step in ("watch", "decide_breach"):
        if step in steps:
            return step
    raise InvalidTransition(_("案件 %(case_no)s 已办结。") % {"case_no": case.case_no})


def _all_paid(case) -> bool:
    return not case.instalments.filter(paid_amount__lt=F("amount")).exists()


def suspension_record_payment(actor, case, *, instalment, paid_on: date, amount: Decimal) -> Instalment:
    """Record a payment on an instalment; the last one completes the suspension (deletion at once)."""
    amount = Decimal(str(amount))
    if amount <= 0:
        raise InvalidInput(details={"amount": [_("金额应大于零。")]})
    if paid_on > timezone.localdate():
        raise InvalidInput(details={"paid_on": [_("付款日期不能晚于今天。")]})
    _authorize_court(actor, case)
    step = _pending_step(case)

    def apply(locked):
        rows = Instalment.objects.select_for_update().filter(suspension=locked)
        # The instalment's id; a number (期次) is accepted when no instalment of this case has that id.
        row = rows.filter(pk=instalment).first() or rows.filter(number=instalment).first()
        if row is None:
            raise InvalidInput(details={"instalment": [_("该和解协议没有这一期。")]})
        if row.is_paid:
            raise InvalidTransition(_("第 %(n)s 期已履行完毕。") % {"n": row.number})
        if row.paid_amount + amount > row.amount:
            raise InvalidInput(details={"amount": [_("超过本期未付金额 %(rest)s 元。") % {"rest": row.amount - row.paid_amount}]})
        row.paid_amount += amount
        row.paid_on = paid_on
        row.save(update_fields=["paid_amount", "paid_on"])
        record_event("courtsuspension.payment", actor=actor, target=locked, subject_code=locked.subject.code,
                     data={"case_no": locked.case_no, "instalment": row.number, "paid_on": paid_on.isoformat(),
                           "amount": str(amount)})
        return row

    row = gateway.act_in_step(case, step, actor=actor, authorize=_authorize_court, apply=apply)
    case.refresh_from_db()
    if _all_paid(case):
        suspension_complete(actor, case)
    return row


def suspension_complete(actor, case) -> CourtSuspension:
    """Full performance of the settlement: completed, the listing deleted at once (within the 3-WD limit)."""
    _authorize_court(actor, case)
    step = _pending_step(case)

    def apply(locked):
        if not _all_paid(locked):
            raise Conflict(_("和解协议尚未全部履行，不能办结。"), code="obligations_not_fulfilled")
        change_status(locked, SuspensionStatus.COMPLETED, actor=actor, actor_label=SYSTEM_WATCH,
                      note=_("和解协议履行完毕"))
        locked.ended_on = timezone.localdate()
        locked.decided_at = timezone.now()
        locked.save(update_fields=["ended_on", "decided_at"])
        listing = CourtListing.objects.select_for_update().filter(record=locked.record).first()
        _delete(locked.record, listing, ground=DeletionGround.SETTLEMENT_PERFORMED, reason=_("执行和解协议已履行完毕"),
                actor=actor, reference=locked.case_no, case=locked)
        deadline_close_all(locked)
        return locked

    gateway.complete_step(case, step, actor=actor, authorize=_authorize_court, apply=apply)
    case.refresh_from_db()
    return case


def suspension_resume(actor, case, *, reason: str, automatic: bool = False) -> CourtSuspension:
    """Resume credit punishment: republication for the remaining term, restrictions back, partners told."""
    if not (reason or "").strip():
        raise InvalidInput(details={"reason": [_("请说明恢复信用惩戒的理由。")]})
    _authorize_court(actor, case)
    step = _pending_step(case)

    def apply(locked):
        change_status(locked, SuspensionStatus.RESUMED, actor=actor, actor_label=SYSTEM_WATCH, note=reason)
        locked.resume_reason = reason
        locked.ended_on = timezone.localdate()
        locked.decided_at = timezone.now()
        locked.save(update_fields=["resume_reason", "ended_on", "decided_at"])
        publication_change(locked.record, reason=Reason.COURT_RESUMPTION, actor=actor, actor_label=SYSTEM_WATCH,
                           note=reason, reference=locked.case_no)
        _restrictions_reinstate(locked.record, reason=reason, actor=actor, reference=locked.case_no)
        deadline_close_all(locked)
        InstalmentBreach.objects.filter(suspension=locked).update(auto_resumed=automatic)
        return locked

    gateway.complete_step(case, step, actor=actor, authorize=_authorize_court, apply=apply)
    case.refresh_from_db()
    return case


def suspension_grant(actor, case, *, new_due_date: date, reason: str) -> CourtSuspension:
    """After a breach the court grants more time for the missed instalment: back to ``active``."""
    if not (reason or "").strip():
        raise InvalidInput(details={"reason": [_("请说明理由。")]})
    if new_due_date <= timezone.localdate():
        raise InvalidInput(details={"new_due_date": [_("新的履行期限应晚于今天。")]})
    _authorize_court(actor, case)

    def apply(locked):
        change_status(locked, SuspensionStatus.ACTIVE, actor=actor, note=reason)
        for breach in InstalmentBreach.objects.select_related("instalment").filter(suspension=locked):
            row = breach.instalment
            if not row.is_paid and row.due_date < new_due_date:
                row.due_date = new_due_date
                row.save(update_fields=["due_date"])
        deadline_meet(locked, "decide_breach")
        return locked

    gateway.complete_step(case, "decide_breach", actor=actor, authorize=_authorize_court, apply=apply)
    case.refresh_from_db()
    return case


# --------------------------------------------------------------------------- the instalment watch


@dataclass
class WatchResult:
    breaches: int = 0
    notices: int = 0
    resumed: int = 0
    cases: list = field(default_factory=list)


def overdue_instalments(today: date):
    """Unpaid instalments of active suspensions past due (grace checked per rule set by the caller)."""
    return (
        Instalment.objects.select_related("suspension")
        .filter(suspension__status=SuspensionStatus.ACTIVE, paid_amount__lt=F("amount"), due_date__lt=today)
        .order_by("suspension_id", "number")
    )


def _breach_notice(case, breach):
    subject_line = _("【%(court)s】%(case_no)s 被执行人未按期履行和解协议") % {"court": case.court.name,
                                                                    "case_no": case.case_no}
    body = _(
        "%(creditor)s：\n被执行人%(debtor)s未按执行和解协议（%(agreement)s）于 %(due)s 前履行第 %(n)s 期款项 %(amount)s 元，"
        "宽限期已满。法院将依法处理，是否恢复信用惩戒将另行告知。\n案件编号：%(case_no)s"
    ) % {"creditor": case.creditor_name or _("申请执行人"), "debtor": case.subject.name,
         "agreement": case.agreement_no, "due": breach.instalment.due_date.isoformat(),
         "n": breach.instalment.number, "amount": breach.instalment.amount, "case_no": case.case_no}
    return CreditorNotice.objects.create(
        suspension=case, breach=breach, creditor_name=case.creditor_name, email=case.creditor_email,
        subject_line=subject_line[:200], body=body, created_at=timezone.now(),
    )


def creditor_notice_send(notice_id) -> bool:
    """E-mail one creditor notice if an address is known (idempotent: sent once; a failure is retried with
    backoff, then the notice is marked failed for the operator — ``creditrepair.core.mail``)."""
    return send_outgoing_mail(CreditorNotice, notice_id)


def watch_instalments(today: date | None = None) -> WatchResult:
    """Daily: a missed instalment past its grace days (calendar) moves the suspension to ``breach``.

    Opens the court's ``decide_breach`` task with its deadline, writes the
    creditor's notice (e-mailed after commit), and resumes at once where the
    rule set says ``auto_resume_on_breach``. Idempotent: a breach and its notice
    exist once per instalment and due date; a breached suspension is not watched.
    """
    today = today or timezone.localdate()
    result = WatchResult()
    seen = set()
    for row in overdue_instalments(today):
        case = row.suspension
        if case.pk in seen:
            continue
        courts = rule_set_by_code(case.rule_set_code).courts
        if (today - row.due_date).days <= courts.instalment_grace_days:
            continue
        seen.add(case.pk)
        created = {}

        def apply(locked, row=row):
            if locked.status != SuspensionStatus.ACTIVE:
                raise InvalidTransition(_("案件状态已变更。"))
            breach, was_created = InstalmentBreach.objects.get_or_create(
                instalment=row, due_date=row.due_date, defaults={"suspension": locked, "detected_on": today},
            )
            change_status(locked, SuspensionStatus.BREACH, actor_label=SYSTEM_WATCH,
                          note=_("第 %(n)s 期未按期履行（履行期限 %(due)s，宽限 %(days)s 日）")
                          % {"n": row.number, "due": row.due_date.isoformat(), "days": courts.instalment_grace_days})
            deadline_open(locked, "decide_breach", responsible=locked.court, limit_name="court_breach_decision",
                          start=today)
            if was_created:
                notice = _breach_notice(locked, breach)
                created["notice"] = notice
                if notice.email:
                    from .tasks import send_creditor_notice

                    delay_on_commit(send_creditor_notice, notice.pk)  # lost to a broker outage: catch_up sends it
            return breach

        try:
            gateway.complete_step(case, "watch", actor=None, authorize=_authorize_court, apply=apply)
        except InvalidTransition:
            continue  # another run (or the court) got there first
        result.breaches += 1
        result.notices += 1 if created.get("notice") else 0
        result.cases.append(case.case_no)
        if courts.auto_resume_on_breach:
            suspension_resume(None, case, reason=_("未按期履行和解协议，依规则自动恢复信用惩戒"), automatic=True)
            result.resumed += 1
    return result


def lost_after_commit_work(now=None) -> dict:
    """The after-commit work still undone, i.e. whose message a broker outage lost, or that failed and is due
    again: ``{"commitments": [ids of suspensions committed before ``lost_since(now)`` without their commitment],
    "notices": [ids of creditor notices due to be sent]}`` (a notice is due ``LOST_AFTER`` after it was written,
    then after each failed attempt's backoff, until it is sent or given up)."""
    return {
        "commitments": list(CourtSuspension.objects.filter(commitment_document__isnull=True,
                                                           created_at__lt=lost_since(now))
                            .order_by("id").values_list("id", flat=True)),
        "notices": list(due_mail(CreditorNotice.objects, now).order_by("id").values_list("id", flat=True)),
    }


# --------------------------------------------------------------------------- correction requests

CORRECTABLE_FIELDS = ("court_case_no", "executing_basis", "obligation", "ground")


def _listing_for_subject_or_court(actor, listing):
    if actor.role == Role.SUBJECT and actor.subject_id == listing.record.subject_id:
        return
    if actor.role == Role.COURT and actor.department_id == listing.record.department_id:
        return
    raise NotFound(_("未找到该失信名单。"))


def correction_file(actor, listing: CourtListing, *, statement: str, requested_correction: dict | None = None):
    """The debtor (or the court on its behalf) asks for a correction; the court reviews within 15 calendar days."""
    _listing_for_subject_or_court(actor, listing)
    if not (statement or "").strip():
        raise InvalidInput(details={"statement": [_("请说明申请理由。")]})
    requested = requested_correction or {}
    unknown = sorted(set(requested) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise InvalidInput(details={"requested_correction": [_("不可更正的字段：%(f)s") % {"f": ", ".join(unknown)}]})
    record = listing.record
    today = timezone.localdate()
    with transaction.atomic():
        now = timezone.now()
        case = CorrectionRequest.objects.create(
            case_no=next_case_no(CorrectionRequest.PREFIX), query_code=new_query_code(), record=record,
            subject=record.subject, rule_set_code=rules_for_filing(record.jurisdiction, today).code,
            created_by=actor, filed_at=now, listing=listing, statement=statement, requested_correction=requested,
        )
        case.history_model.objects.create(case=case, from_status="", to_status=CorrectionStatus.SUBMITTED,
                                          actor=actor, actor_label=_label(actor), at=now)
        deadline_open(case, "review", responsible=record.department, limit_name="court_correction_review", start=today)
        record_event("correctionrequest.submitted", actor=actor, target=case, subject_code=record.subject.code,
                     data={"case_no": case.case_no, "listing": listing.pk})
    return case


def _apply_correction(case, corrections, actor):
    listing = CourtListing.objects.select_for_update().get(pk=case.listing_id)
    diff = {}
    for name, value in (corrections or {}).items():
        if name not in CORRECTABLE_FIELDS:
            raise InvalidInput(details={"corrections": [_("不可更正的字段：%(f)s") % {"f": name}]})
        if name == "ground" and value not in ListingGround.values:
            raise InvalidInput(details={"corrections": [_("未知的纳入失信名单情形。")]})
        old = getattr(listing, name)
        if old != value:
            diff[name] = {"from": old, "to": value}
            setattr(listing, name, value)
    if not diff:
        raise InvalidInput(details={"corrections": [_("请写明更正内容。")]})
    listing.save(update_fields=list(diff))
    case.applied_correction = diff
    today = timezone.localdate()
    deadline_open(case, "correct", responsible=case.record.department, limit_name="court_correction", start=today)
    deadline_meet(case, "correct")
    record_event("court_listing.corrected", actor=actor, target=listing, subject_code=case.subject.code,
                 data={"case_no": case.case_no, "diff": diff})


def correction_review(actor, case: CorrectionRequest, *, decision: str, reason: str = "", corrections=None):
    """The listing court decides: ``correct`` (applied at once, within the 3-WD limit) or ``reject``."""
    if actor.role != Role.COURT or actor.department_id != case.record.department_id:
        raise NotFound(_("未找到该案件。"))
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().get(pk=case.pk)
        if decision == "correct":
            _apply_correction(locked, corrections if corrections is not None else locked.requested_correction, actor)
            change_status(locked, CorrectionStatus.CORRECTED, actor=actor, note=reason)
        elif decision == "reject":
            if not (reason or "").strip():
                raise InvalidInput(details={"reason": [_("驳回须说明理由。")]})
            change_status(locked, CorrectionStatus.REJECTED, actor=actor, note=reason)
            limit = rule_set_by_code(locked.rule_set_code).limit("court_reconsideration_apply")
            locked.reconsideration_until = deadline_for(timezone.localdate(), limit)
        else:
            raise InvalidInput(details={"decision": [_("应为 correct 或 reject。")]})
        locked.decision_reason = reason
        locked.decided_at = timezone.now()
        locked.save(update_fields=["applied_correction", "decision_reason", "decided_at", "reconsideration_until"])
        deadline_meet(locked, "review")
    case.refresh_from_db()
    return case


def correction_reconsider(actor, case: CorrectionRequest, *, statement: str):
    """复议 to the higher court (the court's parent department) within the calendar-day limit."""
    _listing_for_subject_or_court(actor, case.listing)
    higher = case.record.department.parent
    if higher is None:
        raise Conflict(_("未配置上一级法院，无法申请复议。"), code="no_higher_court")
    if case.reconsideration_until and timezone.localdate() > case.reconsideration_until:
        raise Conflict(_("已超过申请复议的期限。"), code="deadline_passed")
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().get(pk=case.pk)
        change_status(locked, CorrectionStatus.RECONSIDERATION, actor=actor, note=statement)
        locked.reconsideration_statement = statement
        locked.save(update_fields=["reconsideration_statement"])
        deadline_open(locked, "reconsideration", responsible=higher, limit_name="court_reconsideration_decide")
    case.refresh_from_db()
    return case


def correction_decide_reconsideration(actor, case: CorrectionRequest, *, outcome: str, reason: str,
                                      corrections=None):
    """The higher court decides: ``upheld`` (closed) or ``corrected`` (applied at once)."""
    higher = case.record.department.parent
    if actor.role != Role.COURT or higher is None or actor.department_id != higher.pk:
        raise NotFound(_("未找到该案件。"))
    if not (reason or "").strip():
        raise InvalidInput(details={"reason": [_("请说明复议决定理由。")]})
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().get(pk=case.pk)
        if outcome == "corrected":
            _apply_correction(locked, corrections if corrections is not None else locked.requested_correction, actor)
            change_status(locked, CorrectionStatus.CORRECTED, actor=actor, note=reason)
        elif outcome == "upheld":
            change_status(locked, CorrectionStatus.CLOSED, actor=actor, note=reason)
        else:
            raise InvalidInput(details={"outcome": [_("应为 corrected 或 upheld。")]})
        locked.reconsideration_reason = reason
        locked.save(update_fields=["applied_correction", "reconsideration_reason"])
        deadline_meet(locked, "reconsideration")
    case.refresh_from_db()
    return case
