"""What the case apps share at the model level: a stored upload (abstract; the core app has no tables)."""

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
