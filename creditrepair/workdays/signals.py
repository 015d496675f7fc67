"""Keep the per-process override cache honest: clear it whenever an override is saved or deleted."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarOverride
from .services import clear_cache


@receiver(post_save, sender=CalendarOverride, dispatch_uid="workdays.override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="workdays.override_deleted")
def _override_changed(sender, using=None, **kwargs):
    # Now, so this transaction sees its own change, and again after commit, so a
    # read made in between (before the commit) is not kept.
    clear_cache()
    transaction.on_commit(clear_cache, using=using)
