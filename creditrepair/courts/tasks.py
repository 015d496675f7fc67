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
