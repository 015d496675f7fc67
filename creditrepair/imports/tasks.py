"""Celery tasks of imports: run one uploaded file's import (idempotent), and queue again what a broker outage lost."""

from celery import shared_task

from creditrepair.core.tasks import lost_since

from . import services


@shared_task
def run_import_job(job_id):
    """Import a queued job's file; a job already finished is not run again."""
    report = services.import_job_run(job_id)
    if report is None:
        return {"job": job_id, "skipped": "already finished"}
    return {"job": job_id, "created": report.created, "skipped_existing": report.skipped_existing,
            "errors": len(report.errors)}


@shared_task
def requeue_lost_jobs():
    """Beat: queue again the jobs whose message a broker outage lost (uploaded a while ago, never claimed by a run).

    A job is claimed and finished under a row lock, so a message that was only late imports nothing twice.
    """
    ids = services.lost_job_ids(lost_since())
    for job_id in ids:
        run_import_job.delay(job_id)
    return len(ids)
