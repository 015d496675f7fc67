"""Delivery of partner notices: push to partners with a webhook, feed for the others.

A partner without a webhook pulls its notices from ``GET /api/v1/notices``; a
partner with one receives each notice as a signed POST (HMAC-SHA256 of the body
with the partner's secret in ``X-Creditrepair-Signature``). Failed pushes are
retried with exponential backoff; a beat task sweeps the outbox so a lost
broker message only delays a notice, never loses it.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditrepair.audit.services import record_event
from creditrepair.core.errors import InvalidTransition, NotFound
from creditrepair.core.tasks import retry_backoff

from .models import NoticeStatus, PartnerNotice

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Creditrepair-Signature"
PUSH_TIMEOUT_SECONDS = 10


def notice_payload(notice: PartnerNotice) -> dict:
    """What a partner receives about one publication change (pushed or pulled)."""
    record = notice.record
    return {
        "id": notice.id,
        "record": record.id,
        "subject_code": record.subject.code,
        "decision_no": record.decision_no,
        "department": record.department.name,
        "category": record.category,
        "severity": record.severity,
        "from_status": notice.from_status,
        "to_status": notice.to_status,
        "reason": notice.reason,
        "changed_at": notice.history.at.isoformat(),
        "ack_due": notice.ack_due.isoformat(),
        "status": notice.status,
    }


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def push_notice(notice_id: int) -> str:
    """Try to push one notice to its partner's webhook; returns the notice's new status."""
    with transaction.atomic():
        notice = (
            PartnerNotice.objects.select_for_update(skip_locked=True)
            .select_related("partner", "record__subject", "record__department", "history")
            .filter(pk=notice_id, status__in=[NoticeStatus.PENDING, NoticeStatus.FAILED])
            .first()
        )
        if notice is None or not notice.partner.webhook_url:
            return notice.status if notice else "skipped"
        body = json.dumps(notice_payload(notice), ensure_ascii=False).encode()
        request = urllib.request.Request(
            notice.partner.webhook_url, data=body, method="POST",
            headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(notice.partner.webhook_secret, body)},
        )
        notice.attempts += 1
        try:
            with urllib.request.urlopen(request, timeout=PUSH_TIMEOUT_SECONDS) as response:
                ok = 200 <= response.status < 300
                error = "" if ok else f"HTTP {response.status}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            ok, error = False, str(exc)[:500]
        now = timezone.now()
        if ok:
            notice.status, notice.delivered_at, notice.last_error, notice.next_attempt_at = (
                NoticeStatus.DELIVERED, now, "", None)
        else:
            logger.warning("Push of notice %s to %s failed: %s", notice.pk, notice.partner.code, error)
            notice.status, notice.last_error, notice.next_attempt_at = (
                NoticeStatus.FAILED, error, now + retry_backoff(notice.attempts))
        notice.save(update_fields=["status", "attempts", "delivered_at", "last_error", "next_attempt_at"])
        return notice.status


def due_push_notice_ids(limit: int = 500):
    """Notices waiting for a push whose next attempt is due."""
    return list(
        PartnerNotice.objects.filter(
            status__in=[NoticeStatus.PENDING, NoticeStatus.FAILED],
            next_attempt_at__lte=timezone.now(),
            partner__webhook_url__gt="",
        )
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )


def notice_acknowledge(notice_id: int, *, actor) -> PartnerNotice:
    """A partner's staff acknowledge a notice addressed to their department."""
    with transaction.atomic():
        notice = (
            PartnerNotice.objects.select_for_update().select_related("partner", "record__subject")
            .filter(pk=notice_id, partner__department_id=actor.department_id or -1)
            .first()
        )
        if notice is None:
            raise NotFound()
        if notice.status == NoticeStatus.ACKNOWLEDGED:
            raise InvalidTransition(_("该通知已确认。"))
        now = timezone.now()
        notice.status, notice.acknowledged_at, notice.acknowledged_by = NoticeStatus.ACKNOWLEDGED, now, actor
        notice.delivered_at = notice.delivered_at or now
        notice.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "delivered_at"])
        record_event("notice.acknowledged", actor=actor, target=notice, subject_code=notice.record.subject.code,
                     data={"partner": notice.partner.code, "record": notice.record_id})
    return notice


def escalate_overdue_notices(today=None) -> int:
    """Mark notices not acknowledged by their due date as escalated to the operator (set-based)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        overdue = PartnerNotice.objects.filter(ack_due__lt=today, escalated_at__isnull=True).exclude(
            status=NoticeStatus.ACKNOWLEDGED
        )
        ids = list(overdue.values_list("id", flat=True)[:100000])
        if not ids:
            return 0
        count = PartnerNotice.objects.filter(id__in=ids).update(escalated_at=timezone.now())
        record_event("notice.escalated", actor_label="system:escalation", target_type="records.partnernotice",
                     target_id=f"{ids[0]}-{ids[-1]}", data={"notices": ids})
    return count
