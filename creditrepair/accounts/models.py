"""The platform's users: each bound to one credit subject or to one department."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUBJECT = "subject", _("信用主体用户")
    DEPARTMENT = "department", _("认定单位工作人员")
    COURT = "court", _("法院执行人员")
    OPERATOR = "operator", _("平台运营人员")


STAFF_ROLES = (Role.DEPARTMENT, Role.COURT, Role.OPERATOR)


class User(AbstractUser):
    """A person using the platform.

    A subject user acts for exactly one credit subject; department staff, court
    staff and operators act for exactly one department (of the matching kind).
    Superusers used only for the admin may have no role.
    """

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, blank=True)
    subject = models.ForeignKey(
        "registry.Subject", verbose_name=_("所属主体"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name=_("所属单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="staff",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="user_role_binding",
                condition=(
                    Q(role="", subject__isnull=True, department__isnull=True)
                    | Q(role=Role.SUBJECT, subject__isnull=False, department__isnull=True)
                    | Q(role__in=STAFF_ROLES, subject__isnull=True, department__isnull=False)
                ),
                violation_error_message=_("主体用户须绑定一个主体，工作人员须绑定一个单位。"),
            )
        ]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .roles import sync_user_groups

        sync_user_groups(self)

    def has_role(self, *roles) -> bool:
        return self.is_authenticated and self.role in roles

    @property
    def is_subject_user(self):
        return self.role == Role.SUBJECT

    @property
    def is_operator(self):
        return self.role == Role.OPERATOR
