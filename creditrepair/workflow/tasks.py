"""Beat jobs of the workflows: viewflow's own timers and the working-day deadlines."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers

from creditrepair.rules.selectors import rule_set_for

from .deadlines import remind_and_escalate


@shared_task
def sweep_deadlines_and_timers():
    """Fire viewflow's due timers, then remind and escalate working-day deadlines (idempotent)."""
    fired = fire_due_timers()
    today = timezone.localdate()
    remind_before = rule_set_for(settings.PLATFORM_JURISDICTION, today).limit("reminder_before")
    return {"timers_fired": fired, **remind_and_escalate(today, remind_before=remind_before)}
