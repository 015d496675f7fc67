"""Infrastructure tasks."""

from celery import shared_task


@shared_task
def ping():
    """Answer "pong": proves that a worker receives, runs and returns our tasks."""
    return "pong"
