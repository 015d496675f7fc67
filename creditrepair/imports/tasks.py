"""Celery task of imports: run one uploaded file's import (idempotent)."""

from celery import shared_task

from . import services


@shared_task
def run_import_job(job_id):
    """Import a queued job's file; a job already finished is not run again."""
    report = services.import_job_run(job_id)
    if report is None:
        return {"job": job_id, "skipped": "already finished"}
    return {"job": job_id, "created": report.created, "skipped_existing": report.skipped_existing,
            "errors": len(report.errors)}
