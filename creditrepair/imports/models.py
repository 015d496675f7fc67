"""An uploaded import file and the progress and outcome of its import."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未导入（有错误）")


class JobStage(models.TextChoices):
    VALIDATING = "validating", _("逐行校验")
    IMPORTING = "importing", _("写入记录")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (.xlsx)"


def upload_path(instance, filename):
    """Files are stored under MEDIA_ROOT/imports/ by a random name (the client's name is kept for display)."""
    return f"imports/{uuid.uuid4().hex}.{instance.file_format or 'bin'}"


class ImportJob(models.Model):
    """One uploaded file of records; the Celery task ``run_import_job`` imports it all or nothing."""

    department = models.ForeignKey(
        "registry.Department", verbose_name=_("导入单位"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to=upload_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    file_format = models.CharField(_("文件格式"), max_length=8, choices=FileFormat.choices)
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"))
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    stage = models.CharField(_("阶段"), max_length=16, choices=JobStage.choices, blank=True)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    created = models.PositiveIntegerField(_("新增记录"), default=0)
    skipped = models.PositiveIntegerField(_("已存在而跳过"), default=0)
    error_report = models.JSONField(_("错误报告"), default=list, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department", "-created_at"], name="importjob_department_recent")]

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def error_count(self) -> int:
        return len(self.error_report or [])
