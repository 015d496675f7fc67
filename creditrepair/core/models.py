"""What the apps share at the model level: a stored upload and an outgoing e-mail (abstract; the core app has no
tables)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredUpload(models.Model):
    """Abstract: a file a user uploaded to a case (PDF, JPEG or PNG, type decided from its content by
    ``creditrepair.core.uploads.validate_upload``), kept under a generated name with its hash.

    A concrete model adds its case FK and ``file`` (a FileField with its own storage path: the client's file name
    is never used), and may narrow ``original_name`` and ``content_type`` where its table was created narrower.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=64)
    extension = models.CharField(_("扩展名"), max_length=8)
    size = models.PositiveIntegerField(_("字节数"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]

    @property
    def display_name(self) -> str:
        """How the case's pages list the upload."""
        return self.original_name

    def store(self, name: str, content):
        """Write ``content`` (a Django File) as ``name`` under the model's storage path, then insert the row.

        A row that cannot be inserted takes its written file with it, so no orphan file stays on disk.
        """
        self.file.save(name, content, save=False)
        try:
            self.save(force_insert=True)
        except BaseException:
            self.file.delete(save=False)
            raise
        return self


class OutgoingMail(models.Model):
    """Abstract: an e-mail in an outbox, written in the transaction of what it tells and sent after commit
    (``creditrepair.core.mail``). Never lost: it stays pending until sent; a failed attempt is retried with backoff
    up to ``OUTGOING_MAIL_MAX_ATTEMPTS`` times, after which it is marked failed for the operator (``failed_at``).

    ``next_attempt_at`` is when the catch-up sweep takes a pending mail up: ``LOST_AFTER`` after it was written (by
    then its after-commit message has sent it, unless a broker outage lost the message), after each failure the
    backoff; it is empty once the mail is sent or failed, or when it has no recipient. A concrete model adds what
    the mail is about, ``recipients()``, and an index of the due mails (condition ``DUE``).
    """

    subject_line = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("生成时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    failed_at = models.DateTimeField(_("发送失败时间"), null=True, blank=True,
                                     help_text=_("多次发送失败后不再重试，须由运营人员处理"))

    # Neither sent nor given up.
    PENDING = models.Q(sent_at__isnull=True, failed_at__isnull=True)
    # Waiting for an attempt (pending, with a recipient): the rows the sweep reads.
    DUE = models.Q(next_attempt_at__isnull=False)

    class Meta:
        abstract = True

    def recipients(self) -> list[str]:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if self._state.adding and self.sent_at is None and self.next_attempt_at is None and self.recipients():
            from .tasks import LOST_AFTER

            self.next_attempt_at = self.created_at + LOST_AFTER
        super().save(*args, **kwargs)
