"""Generated, signed PDF documents.

A ``Document`` row is written once, by ``services.issue_document``: the PDF is
rendered, signed by the platform and hashed before the row exists, and the
fields that describe the signed bytes never change afterwards (see ``save``).
"""

import json
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    COMMITMENT_LETTER = "commitment_letter", _("信用承诺书")
    CREDIT_KEEPING_COMMITMENT = "credit_keeping_commitment", _("守信承诺书")
    COURT_COMMITMENT = "court_commitment", _("履行承诺书")
    ACCEPTANCE_NOTICE = "acceptance_notice", _("受理通知书")
    REFUSAL_NOTICE = "refusal_notice", _("不予受理通知书")
    DECISION_NOTICE = "decision_notice", _("信用修复决定书")
    TRAINING_CERTIFICATE = "training_certificate", _("信用修复培训证明")
    OBJECTION_RECEIPT = "objection_receipt", _("异议受理回执")
    OBJECTION_ANSWER = "objection_answer", _("异议处理结果告知书")


def document_upload_to(instance, filename):
    """``documents/<yyyy>/<uuid>.pdf`` under MEDIA_ROOT (outside the web root)."""
    issued = timezone.localtime(instance.issued_at) if instance.issued_at else timezone.localtime()
    return f"documents/{issued:%Y}/{instance.id}.pdf"


class ImmutableDocumentError(Exception):
    """Raised when code tries to change what describes a signed document."""


class Document(models.Model):
    # Fields that describe the signed bytes: fixed once the row exists.
    IMMUTABLE_FIELDS = (
        "kind",
        "case_no",
        "subject_code",
        "file",
        "sha256",
        "size",
        "issued_at",
        "signed",
        "idempotency_key",
        "context",
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("文书类型"), max_length=40, choices=DocumentKind.choices)
    case_no = models.CharField(_("案件编号"), max_length=40, db_index=True)
    subject_code = models.CharField(_("主体代码"), max_length=32, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    file = models.FileField(_("文件"), upload_to=document_upload_to, max_length=200)
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        db_index=True,
        validators=[RegexValidator(r"^[0-9a-f]{64}$", _("须为 64 位小写十六进制。"))],
    )
    size = models.PositiveIntegerField(_("字节数"))
    issued_at = models.DateTimeField(_("出具时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed = models.BooleanField(_("已电子签章"), default=False)
    idempotency_key = models.CharField(_("幂等键"), max_length=200, unique=True)
    context = models.JSONField(_("渲染数据"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    owner_type = models.ForeignKey(
        ContentType,
        verbose_name=_("关联对象类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_id = models.CharField(_("关联对象编号"), max_length=64, null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")

    class Meta:
        verbose_name = _("电子文书")
        verbose_name_plural = _("电子文书")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="documents_owner_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_no}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self._refuse_changes_to_signed_content()
        super().save(*args, **kwargs)

    def _refuse_changes_to_signed_content(self):
        stored = type(self).objects.filter(pk=self.pk).values(*self.IMMUTABLE_FIELDS).first()
        if stored is None:
            return
        current = {name: getattr(self, name) for name in self.IMMUTABLE_FIELDS}
        current["file"] = self.file.name
        changed = [name for name in self.IMMUTABLE_FIELDS if stored[name] != current[name]]
        # JSON round-trips (dates become strings): compare the context as stored.
        if "context" in changed and json.loads(DjangoJSONEncoder().encode(current["context"])) == stored["context"]:
            changed.remove("context")
        if changed:
            raise ImmutableDocumentError(
                f"Document {self.pk} is signed and immutable; refused change to: {', '.join(changed)}"
            )
