"""Sending the e-mails of an outbox (``core.models.OutgoingMail``): once, retried with backoff, failed after a cap.

A mail is sent under its row lock, so the after-commit message and a catch-up sweep that takes the same mail up
meanwhile never send it twice; a mail already sent or given up is left alone (the tasks are idempotent).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .tasks import retry_backoff

logger = logging.getLogger(__name__)


def send_outgoing_mail(model, mail_id) -> bool:
    """Send the pending mail ``mail_id`` of ``model`` to its recipients; True once it is sent.

    A failure is kept on the row (``attempts``, ``last_error``) and the next attempt is due after the backoff;
    the ``OUTGOING_MAIL_MAX_ATTEMPTS``-th failure marks it failed (``failed_at``, logged as an error) and it is
    not tried again.
    """
    with transaction.atomic():
        mail = model.objects.select_for_update(skip_locked=True).filter(model.PENDING, pk=mail_id).first()
        recipients = mail.recipients() if mail is not None else []
        if not recipients:
            return False
        mail.attempts += 1
        now = timezone.now()
        try:
            send_mail(mail.subject_line, mail.body, None, recipients)
        except Exception as exc:  # noqa: BLE001 - kept on the row and retried; the mail stays in the outbox
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if mail.attempts >= settings.OUTGOING_MAIL_MAX_ATTEMPTS:
                mail.failed_at, mail.next_attempt_at = now, None
                logger.error("%s %s not sent after %s attempts, given up: %s", model._meta.label, mail.pk,
                             mail.attempts, exc)
            else:
                mail.next_attempt_at = now + retry_backoff(mail.attempts)
                logger.warning("%s %s not sent (attempt %s): %s", model._meta.label, mail.pk, mail.attempts, exc)
        else:
            mail.sent_at, mail.last_error, mail.next_attempt_at = now, "", None
        mail.save(update_fields=["attempts", "sent_at", "last_error", "next_attempt_at", "failed_at"])
        return mail.sent_at is not None


def due_mail(queryset, now=None):
    """The mails of ``queryset`` still to send whose next attempt is due (their message lost, or a retry)."""
    return queryset.filter(next_attempt_at__lte=now or timezone.now())
