"""Celery tasks of records: the daily publication sweep and notice delivery. All idempotent."""

from celery import shared_task

from . import delivery, services


@shared_task
def stop_expired_publications():
    """Daily: publish listings whose grace ended, stop expired ones, escalate overdue acknowledgements."""
    grace = services.publish_after_grace()
    expired = services.stop_expired_publications()
    escalated = delivery.escalate_overdue_notices()
    return {"grace_ended": grace.records, "expired": expired.records, "notices": expired.notices + grace.notices,
            "escalated": escalated}


@shared_task
def deliver_pending_notices():
    """Push every due notice to partners with a webhook (the outbox sweep)."""
    ids = delivery.due_push_notice_ids()
    for notice_id in ids:
        push_notice.delay(notice_id)
    return len(ids)


@shared_task
def push_notice(notice_id):
    return delivery.push_notice(notice_id)
