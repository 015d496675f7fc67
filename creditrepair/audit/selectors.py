"""Reads of the audit log."""

from django.db import models

from .models import AuditEvent


def events_for_target(target: models.Model):
    """Events about one model instance, oldest first."""
    return AuditEvent.objects.filter(
        target_type=f"{target._meta.app_label}.{target._meta.model_name}", target_id=str(target.pk)
    ).order_by("id")


def events_for_subject(subject_code: str):
    """Events concerning one credit subject, oldest first."""
    return AuditEvent.objects.filter(subject_code=subject_code).order_by("id")
