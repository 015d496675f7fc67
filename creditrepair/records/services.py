"""Writes on records and their publication.

``publication_change`` is the one path by which a record's publication state
changes, whatever the reason (repair, expiry, objection outcome, court
suspension or deletion, revoked decision): it applies the transition table,
writes the history row, the audit event and the partner notices in the
caller's transaction. The daily sweeps do the same in set-based batches.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditrepair.accounts.models import Role
from creditrepair.audit.services import record_event
from creditrepair.core.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from creditrepair.core.tasks import delay_on_commit
from creditrepair.registry.models import SubjectType
from creditrepair.registry.services import subject_upsert
from creditrepair.rules.selectors import publicity_window, rules_for_decision, rules_for_filing
from creditrepair.workdays.services import deadline_for

from .models import (
    Category,
    NoticeStatus,
    PartnerNotice,
    PublicationHistory,
    PublicationStatus,
    PunishmentMeasure,
    Record,
    Severity,
)
from .transitions import RESUMING, TRANSITIONS, Reason, target_status


def _actor_label(actor, fallback):
    return actor.get_username() if actor is not None else fallback


# --------------------------------------------------------------------------- creation


def record_create(
    *,
    actor,
    subject: dict,
    category: str,
    severity: str,
    decision_no: str,
    decision_date: date,
    summary: str,
    legal_basis: str = "",
    obligations: str = "",
    jurisdiction: str | None = None,
    grace_until: date | None = None,
    sector: str = "",
    penalty_types=(),
    publish_minor: bool = False,
) -> Record:
    """A department or court enters a record it recognised; it is published per the rules."""
    if not actor.has_role(Role.DEPARTMENT, Role.COURT):
        raise PermissionDenied(_("只有认定单位或法院可以录入失信记录。"))
    is_court = actor.role == Role.COURT
    if (category == Category.COURT_DEBTOR) != is_court:
        raise PermissionDenied(
            _("失信被执行人信息只能由法院录入。") if not is_court else _("法院只能录入失信被执行人信息。")
        )
    if category not in Category.values:
        raise InvalidInput(details={"category": [_("未知的记录类别。")]})
    if severity not in Severity.values:
        raise InvalidInput(details={"severity": [_("未知的失信程度。")]})
    today = timezone.localdate()
    if decision_date > today:
        raise InvalidInput(details={"decision_date": [_("决定日期不能晚于今天。")]})
    if grace_until is not None and not is_court:
        raise InvalidInput(details={"grace_until": [_("只有法院可以设置宽限期。")]})
    if grace_until is not None and grace_until < decision_date:
        raise InvalidInput(details={"grace_until": [_("宽限期不能早于决定日期。")]})

    jurisdiction = jurisdiction or actor.department.jurisdiction or settings.PLATFORM_JURISDICTION
    rules = rules_for_decision(jurisdiction, decision_date)
    window = publicity_window(
        rules, category=category, severity=severity, decision_date=decision_date,
        sector=sector, penalty_types=tuple(penalty_types),
    )
    with transaction.atomic():
        subject_obj = subject_upsert(code=subject.get("code", ""), name=subject.get("name", ""), type=subject.get("type", ""))
        published = window.published or (severity == Severity.MINOR and publish_minor)
        if subject_obj.type == SubjectType.NATURAL_PERSON and category != Category.COURT_DEBTOR:
            published = published and rules.privacy.publish_natural_persons
        if grace_until is not None and grace_until >= today:
            published = False  # hidden through the last day of the grace period
        status = PublicationStatus.PUBLISHED if published else PublicationStatus.NOT_PUBLISHED
        if window.max_until <= today and status == PublicationStatus.PUBLISHED:
            status = PublicationStatus.EXPIRED
        try:
            with transaction.atomic():
                record = Record.objects.create(
                    subject=subject_obj,
                    department=actor.department,
                    category=category,
                    severity=severity,
                    sector=sector,
                    penalty_types=list(penalty_types),
                    decision_no=decision_no.strip(),
                    decision_date=decision_date,
                    summary=summary,
                    legal_basis=legal_basis,
                    obligations=obligations,
                    jurisdiction=jurisdiction,
                    rule_set_code=rules.code,
                    status=status,
                    published_from=grace_until + timedelta(days=1) if grace_until else window.published_from,
                    min_until=window.min_until,
                    max_until=window.max_until,
                    grace_until=grace_until,
                    created_by=actor,
                )
        except IntegrityError:
            raise Conflict(
                _("本单位已录入决定文书号为“%(no)s”的记录。") % {"no": decision_no}, code="duplicate_case"
            ) from None
        PublicationHistory.objects.create(
            record=record, from_status="", to_status=status, reason=Reason.CREATED,
            actor=actor, actor_label=_actor_label(actor, ""), at=timezone.now(),
        )
        record_event(
            "record.created", actor=actor, target=record, subject_code=subject_obj.code,
            data={"decision_no": record.decision_no, "status": status, "rule_set": rules.code},
        )
    return record


# --------------------------------------------------------------------------- publication changes


@dataclass(frozen=True)
class _PartnerIndex:
    """Which partners punish which (category, severity): a small catalogue, read once per batch."""

    by_class: dict

    @classmethod
    def load(cls):
        by_class = defaultdict(set)
        for partner_id, category, severity in PunishmentMeasure.objects.filter(
            active=True, partner__active=True
        ).values_list("partner_id", "category", "severity"):
            for sev in [severity] if severity else Severity.values:
                by_class[(category, sev)].add(partner_id)
        return cls({k: sorted(v) for k, v in by_class.items()})

    def partners_for(self, category, severity):
        return self.by_class.get((category, severity), [])


def _ack_due(jurisdiction: str, today: date, cache: dict) -> date:
    if jurisdiction not in cache:
        cache[jurisdiction] = deadline_for(today, rules_for_filing(jurisdiction, today).limit("partner_ack"))
    return cache[jurisdiction]


def _notices_for(history_rows, records_by_id, partners: _PartnerIndex, now, today):
    due_cache = {}
    notices = []
    for history in history_rows:
        record = records_by_id[history.record_id]
        for partner_id in partners.partners_for(record["category"], record["severity"]):
            notices.append(
                PartnerNotice(
                    partner_id=partner_id, record_id=history.record_id, history=history,
                    from_status=history.from_status, to_status=history.to_status, reason=history.reason,
                    status=NoticeStatus.PENDING, created_at=now, next_attempt_at=now,
                    ack_due=_ack_due(record["jurisdiction"], today, due_cache),
                )
            )
    return PartnerNotice.objects.bulk_create(notices)


def _schedule_delivery():
    from .tasks import deliver_pending_notices

    # The notices are already in the outbox: if the broker is down, the beat's outbox sweep
    # (deliver_pending_notices) sends them later.
    delay_on_commit(deliver_pending_notices)


def publication_change(
    record: Record, *, reason: str, actor=None, actor_label: str = "", note: str = "", reference: str = ""
) -> PublicationHistory:
    """Move a record's publication state for ``reason``; the single path for every change.

    Locks the record, checks the transition table, writes history, audit and one
    notice per joint-punishment partner, all in one transaction. Resuming
    publication (repair revoked, court resumption) restores the remaining period.
    """
    actor_label = _actor_label(actor, actor_label or "system")
    with transaction.atomic():
        locked = Record.objects.select_for_update().select_related("subject").get(pk=record.pk)
        target = target_status(reason, locked.status)
        if target is None:
            raise InvalidTransition(
                _("记录当前为“%(status)s”，不能因“%(reason)s”变更公示状态。")
                % {"status": locked.get_status_display(), "reason": Reason(reason).label}
            )
        now = timezone.now()
        today = timezone.localdate()
        from_status = locked.status
        locked.status = target
        locked.status_changed_at = now
        if reason in RESUMING:
            if locked.publication_stopped_on is not None:
                # The period stood still while publication was stopped.
                locked.max_until = locked.max_until + (today - locked.publication_stopped_on)
            locked.publication_stopped_on = None
        else:
            locked.publication_stopped_on = today
        locked.save(update_fields=["status", "status_changed_at", "max_until", "publication_stopped_on"])
        history = PublicationHistory.objects.create(
            record=locked, from_status=from_status, to_status=target, reason=reason,
            actor=actor, actor_label=actor_label, reference=reference, note=note, at=now,
        )
        notices = _notices_for(
            [history], {locked.pk: {"category": locked.category, "severity": locked.severity,
                                    "jurisdiction": locked.jurisdiction}},
            _PartnerIndex.load(), now, today,
        )
        record_event(
            "record.publication_changed", actor=actor, actor_label=actor_label, target=locked,
            subject_code=locked.subject.code,
            data={"from": from_status, "to": target, "reason": reason, "reference": reference,
                  "note": note, "notices": len(notices)},
        )
        if notices:
            _schedule_delivery()
    record.refresh_from_db()
    return history


def record_obligations_fulfilled(record: Record, *, actor, fulfilled_on: date, evidence: str) -> Record:
    """The recognising department confirms the subject performed its obligations."""
    if fulfilled_on > timezone.localdate():
        raise InvalidInput(details={"fulfilled_on": [_("履行日期不能晚于今天。")]})
    with transaction.atomic():
        locked = Record.objects.select_for_update().select_related("subject").get(pk=record.pk)
        if fulfilled_on < locked.decision_date:
            raise InvalidInput(details={"fulfilled_on": [_("履行日期不能早于决定日期。")]})
        locked.obligations_fulfilled_on = fulfilled_on
        locked.obligations_evidence = evidence
        locked.save(update_fields=["obligations_fulfilled_on", "obligations_evidence"])
        record_event(
            "record.obligations_fulfilled", actor=actor, target=locked, subject_code=locked.subject.code,
            data={"fulfilled_on": fulfilled_on.isoformat(), "evidence": evidence},
        )
    record.refresh_from_db()
    return record


def record_revoke_decision(record: Record, *, actor, reason: str) -> PublicationHistory:
    """The source decision was revoked (撤销): the record is removed, its history kept."""
    if not (reason or "").strip():
        raise InvalidInput(details={"reason": [_("请说明撤销原因。")]})
    return publication_change(record, reason=Reason.DECISION_REVOKED, actor=actor, note=reason)


# --------------------------------------------------------------------------- daily sweeps


@dataclass
class SweepResult:
    records: int = 0
    notices: int = 0
    batches: int = 0


def _sweep_batch_orm(ids, *, sources, target, reason, label, now, today, stopped_on, partners):
    """One batch through the ORM (SQLite, the embedded default): returns (records changed, notices written)."""
    rows = {
        r["id"]: r
        for r in Record.objects.filter(id__in=ids).values("id", "status", "category", "severity", "jurisdiction")
    }
    changed = Record.objects.filter(id__in=ids, status__in=sources).update(
        status=target, status_changed_at=now, publication_stopped_on=stopped_on,
    )
    history = PublicationHistory.objects.bulk_create(
        [
            PublicationHistory(
                record_id=record_id, from_status=rows[record_id]["status"], to_status=target,
                reason=reason, actor_label=label, at=now,
            )
            for record_id in ids
        ]
    )
    return changed, len(_notices_for(history, rows, partners, now, today))


_SWEEP_BATCH_SQL = """
WITH batch AS (
    SELECT r.id, r.status AS from_status, r.category, r.severity, r.jurisdiction
    FROM {record} r WHERE r.id = ANY(%(ids)s) AND r.status = ANY(%(sources)s)
), changed AS (
    UPDATE {record} r SET status = %(target)s, status_changed_at = %(now)s, publication_stopped_on = %(stopped_on)s
    FROM batch WHERE r.id = batch.id
    RETURNING r.id
), history AS (
    INSERT INTO {history} (record_id, from_status, to_status, reason, actor_label, reference, note, at)
    SELECT batch.id, batch.from_status, %(target)s, %(reason)s, %(label)s, '', '', %(now)s
    FROM batch JOIN changed ON changed.id = batch.id
    RETURNING id, record_id, from_status
), partner_class (partner_id, category, severity) AS (
    SELECT * FROM unnest(%(partner_ids)s::bigint[], %(categories)s::text[], %(severities)s::text[])
), ack (jurisdiction, ack_due) AS (
    SELECT * FROM unnest(%(jurisdictions)s::text[], %(ack_dues)s::date[])
), notices AS (
    INSERT INTO {notice} (partner_id, record_id, history_id, from_status, to_status, reason, status, attempts,
                          next_attempt_at, last_error, created_at, ack_due)
    SELECT pc.partner_id, history.record_id, history.id, history.from_status, %(target)s, %(reason)s,
           %(pending)s, 0, %(now)s, '', %(now)s, ack.ack_due
    FROM history
    JOIN batch ON batch.id = history.record_id
    JOIN partner_class pc ON pc.category = batch.category AND pc.severity = batch.severity
    JOIN ack ON ack.jurisdiction = batch.jurisdiction
    ORDER BY history.id, pc.partner_id
    RETURNING 1
)
SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM notices)
"""


def _sweep_batch_sql(ids, *, sources, target, reason, label, now, today, stopped_on, partners):
    """One batch as a single set-based statement on PostgreSQL (update, history, notices): same rows as the ORM path.

    The rows are already locked by the caller; only the (small) partner catalogue and the
    acknowledgement due date per jurisdiction travel from Python.
    """
    jurisdictions = list(
        Record.objects.filter(id__in=ids).order_by().values_list("jurisdiction", flat=True).distinct()
    )
    cache = {}
    classes = [(pid, cat, sev) for (cat, sev), pids in partners.by_class.items() for pid in pids]
    sql = _SWEEP_BATCH_SQL.format(record=Record._meta.db_table, history=PublicationHistory._meta.db_table,
                                  notice=PartnerNotice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {
            "ids": list(ids), "sources": list(sources), "target": target, "now": now, "stopped_on": stopped_on,
            "reason": reason, "label": label, "pending": NoticeStatus.PENDING,
            "partner_ids": [c[0] for c in classes], "categories": [c[1] for c in classes],
            "severities": [c[2] for c in classes], "jurisdictions": jurisdictions,
            "ack_dues": [_ack_due(j, today, cache) for j in jurisdictions],
        })
        changed, notices = cursor.fetchone()
    return changed, notices


def _sweep(queryset, *, reason: str, label: str, batch_size: int, progress=None) -> SweepResult:
    """Apply ``reason`` to every record of ``queryset`` in set-based batches.

    Each batch is one transaction: lock up to ``batch_size`` ids (skipping rows
    another worker holds), update them with a guard on their current state,
    bulk-insert their history rows and partner notices, and write one audit
    event. Killed half-way, a re-run picks up exactly the rows not yet changed.

    Batches walk the ids upwards (``id > last batch's last id``): without it every batch scanned the
    primary key from the start past all the rows already changed, and a sweep of n rows cost O(n²)
    (docs/performance.md). Rows a concurrent sweep holds are skipped and left to it.
    """
    sources, target = TRANSITIONS[reason]
    partners = _PartnerIndex.load()
    result = SweepResult()
    last_id = 0
    while True:
        with transaction.atomic():
            now = timezone.now()
            today = timezone.localdate()
            ids = list(
                queryset.filter(status__in=sources, id__gt=last_id)
                .select_for_update(skip_locked=True)
                .order_by("id")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                break
            last_id = ids[-1]
            stopped_on = None if reason in RESUMING else today
            if connection.vendor == "postgresql":
                changed, notices = _sweep_batch_sql(ids, sources=sources, target=target, reason=reason, label=label,
                                                    now=now, today=today, stopped_on=stopped_on, partners=partners)
            else:
                changed, notices = _sweep_batch_orm(ids, sources=sources, target=target, reason=reason, label=label,
                                                    now=now, today=today, stopped_on=stopped_on, partners=partners)
            assert changed == len(ids), "rows locked for the sweep changed under it"
            record_event(
                f"record.sweep.{reason}", actor_label=label, target_type="records.record",
                target_id=f"{ids[0]}-{ids[-1]}",
                data={"records": ids, "to": target, "notices": notices},
            )
            if notices:
                _schedule_delivery()
        result.records += len(ids)
        result.notices += notices
        result.batches += 1
        if progress is not None:
            progress(len(ids))
    return result


def expired_publications(today: date | None = None):
    """Published records whose maximum period is over (the ``record_published_expiry`` index)."""
    today = today or timezone.localdate()
    return Record.objects.filter(status=PublicationStatus.PUBLISHED, max_until__lte=today)


def ended_grace_periods(today: date | None = None):
    """Court listings whose grace period is over and that are not yet published."""
    today = today or timezone.localdate()
    return Record.objects.filter(status=PublicationStatus.NOT_PUBLISHED, grace_until__lt=today, grace_until__isnull=False)


def stop_expired_publications(*, today: date | None = None, batch_size: int = 2000, progress=None) -> SweepResult:
    """Stop every published record past its maximum period (idempotent; correct after missed days)."""
    return _sweep(expired_publications(today), reason=Reason.EXPIRY, label="system:expiry",
                  batch_size=batch_size, progress=progress)


def publish_after_grace(*, today: date | None = None, batch_size: int = 2000, progress=None) -> SweepResult:
    """Publish court listings whose grace period (宽限期) has ended."""
    return _sweep(ended_grace_periods(today), reason=Reason.GRACE_ENDED, label="system:grace",
                  batch_size=batch_size, progress=progress)
