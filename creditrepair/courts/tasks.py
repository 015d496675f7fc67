"""Celery tasks of the courts area (idempotent)."""

from celery import shared_task

from . import services


@shared_task
def watch_instalments():
    """Daily beat: missed instalments past their grace days → breach (and auto-resumption where the rules say)."""
    result = services.watch_instalments()
    return {"breaches": result.breaches, "notices": result.notices, "resumed": result.resumed}


@shared_task
def issue_commitment(case_id):
    """Generate the signed written credit commitment of a suspension (after commit; idempotent)."""
    return str(services.suspension_issue_commitment(case_id).pk)


@shared_task
def send_creditor_notice(notice_id):
    return services.creditor_notice_send(notice_id)


@shared_task
def catch_up():
    """Beat: queue again what a broker outage lost after commit — commitments not issued, creditor notices not
    sent — and the creditor notices whose retry is due (both tasks are idempotent, so a message that was only late
    does no harm)."""
    lost = services.lost_after_commit_work()
    for case_id in lost["commitments"]:
        issue_commitment.delay(case_id)
    for notice_id in lost["notices"]:
        send_creditor_notice.delay(notice_id)
    return {kind: len(ids) for kind, ids in lost.items()}
