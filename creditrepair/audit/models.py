"""The audit log: one append-only, hash-chained table.

Rows are written only by :mod:`creditrepair.audit.services` (which takes the
chain lock and computes the hash). Nothing in the application updates or
deletes them: ``save()`` refuses updates, ``delete()`` refuses, the queryset's
``update()``/``delete()`` refuse, the admin is read-only, and database triggers
(migration 0002) refuse UPDATE and DELETE underneath all of that.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import hashing


class AuditAppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event through the ORM."""


def _refuse_change():
    raise AuditAppendOnlyError(gettext("审计日志只能追加，不能修改。"))


def _refuse_delete():
    raise AuditAppendOnlyError(gettext("审计日志只能追加，不能删除。"))


class AuditEventQuerySet(models.QuerySet):
    """Queries only: bulk update, bulk delete and bulk create are refused."""

    def update(self, **kwargs):
        _refuse_change()

    def delete(self):
        _refuse_delete()

    def bulk_update(self, objs, fields, batch_size=None):
        _refuse_change()

    def bulk_create(self, objs, *args, **kwargs):
        # Bulk inserts would skip the chain lock and the per-row hash check.
        raise AuditAppendOnlyError(gettext("审计事件只能通过 record_event 逐条写入。"))

    def update_or_create(self, *args, **kwargs):
        _refuse_change()


class AuditEvent(models.Model):
    """One audited fact: a state change, a decision, or a read of personal data."""

    id = models.BigAutoField(primary_key=True, verbose_name=_("序号"))
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(
        _("操作人标识"), max_length=200, help_text=_("用户名，或系统任务的 system:<任务名>。")
    )
    action = models.CharField(_("动作"), max_length=64)
    target_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=128, blank=True)
    subject_code = models.CharField(_("信用主体代码"), max_length=64, blank=True)
    authority = models.CharField(_("依据"), max_length=255, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["id"]
        # Only viewing exists as a permission: nobody can be granted the rest.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["subject_code"], name="audit_subject_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
            models.Index(fields=["action"], name="audit_action_idx"),
        ]
        constraints = [
            # Two events claiming the same predecessor would fork the chain.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_prev_hash_unique"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.actor_label}"

    def hashed_content(self) -> dict:
        """The content covered by the hash, as plain JSON-ready values."""
        return {name: getattr(self, name) for name in hashing.HASHED_FIELDS}

    def compute_hash(self) -> str:
        return hashing.event_hash(self.hashed_content(), self.prev_hash)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _refuse_change()
        if not self.hash or self.hash != self.compute_hash():
            raise AuditAppendOnlyError(gettext("审计事件只能通过 record_event 写入（哈希缺失或不符）。"))
        kwargs["force_insert"] = True
        kwargs.pop("force_update", None)
        kwargs.pop("update_fields", None)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_delete()
