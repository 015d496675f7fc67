"""Deployment checks: production must never run with the demo identities."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

DEMO_USERNAMES = ("operator", "amr", "tax", "court", "ent1", "ent2", "eco", "court2", "ema", "housing", "admin")


@register(Tags.security, deploy=True)
def no_demo_users(app_configs, **kwargs):
    if not getattr(settings, "REFUSE_DEMO_USERS", False):
        return []
    from django.contrib.auth import get_user_model

    User = get_user_model()
    try:
        present = [u for u in User.objects.filter(username__in=DEMO_USERNAMES) if u.check_password(settings.DEMO_PASSWORD)]
    except DatabaseError:
        return []
    if not present:
        return []
    return [
        Error(
            "Demo users with the published demo password exist: %s." % ", ".join(u.username for u in present),
            hint="Delete them or change their passwords before running in production.",
            id="accounts.E001",
        )
    ]
