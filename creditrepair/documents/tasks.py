"""Celery task: issue a document in the background (idempotent by its key)."""

from celery import shared_task
from django.apps import apps
from django.contrib.auth import get_user_model

from . import services


def owner_reference(owner) -> str | None:
    """``"app_label.model:pk"`` for passing a case object to the task."""
    if owner is None:
        return None
    return f"{owner._meta.label_lower}:{owner.pk}"


def _resolve_owner(reference):
    if not reference:
        return None
    label, pk = reference.split(":", 1)
    return apps.get_model(label)._default_manager.get(pk=pk)


@shared_task(acks_late=True)
def issue_document_task(
    *,
    kind,
    template_name,
    context,
    case_no,
    subject_code,
    idempotency_key,
    owner=None,
    issued_by_id=None,
    title=None,
):
    """Run ``services.issue_document``; safe to retry or deliver twice (same key → same document).

    ``owner`` is ``owner_reference(obj)``; ``context`` must survive Celery's
    JSON serialisation (kombu encodes dates, datetimes and decimals).
    Returns the document id.
    """
    issued_by = get_user_model()._default_manager.filter(pk=issued_by_id).first() if issued_by_id else None
    document = services.issue_document(
        kind=kind,
        template_name=template_name,
        context=context,
        case_no=case_no,
        subject_code=subject_code,
        idempotency_key=idempotency_key,
        owner=_resolve_owner(owner),
        issued_by=issued_by,
        title=title,
    )
    return str(document.pk)
