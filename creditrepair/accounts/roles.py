"""Roles as groups with explicit permissions.

The table below is the whole grant: a role's group gets exactly these model
permissions (``app_label.codename``). Object scoping (a department sees only its
own records, a subject only its own) is enforced by the selectors and services,
not by these permissions alone.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role

ROLE_PERMISSIONS = {
    Role.SUBJECT: [
        "records.view_record",
    ],
    Role.DEPARTMENT: [
        "records.view_record",
        "records.add_record",
        "records.change_record",
        "records.view_publicationhistory",
    ],
    Role.COURT: [
        "records.view_record",
        "records.add_record",
        "records.change_record",
        "records.view_publicationhistory",
    ],
    Role.OPERATOR: [
        "records.view_record",
        "records.view_publicationhistory",
        "records.view_partner",
        "records.view_partnernotice",
        # The e-mail outboxes: which e-mails failed after their last attempt (docs/security.md, section 3).
        "courts.view_creditornotice",
        "objections.view_applicantnotice",
        "registry.view_subject",
        "registry.view_department",
        "rules.view_ruleset",
        "audit.view_auditevent",
    ],
}


def _permissions(names):
    wanted = {tuple(name.split(".", 1)) for name in names}
    perms = Permission.objects.filter(content_type__app_label__in={a for a, _ in wanted}).select_related(
        "content_type"
    )
    return [p for p in perms if (p.content_type.app_label, p.codename) in wanted]


def sync_role_groups(**kwargs):
    """Create one group per role holding exactly the permissions of ROLE_PERMISSIONS."""
    with transaction.atomic():
        for role, names in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=role.value)
            group.permissions.set(_permissions(names))


def sync_user_groups(user):
    """Keep a user in exactly the group of its role."""
    role_groups = Group.objects.filter(name__in=Role.values)
    current = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    if current == ({user.role} if user.role else set()):
        return
    user.groups.remove(*role_groups)
    if user.role:
        group, _ = Group.objects.get_or_create(name=user.role)
        user.groups.add(group)
