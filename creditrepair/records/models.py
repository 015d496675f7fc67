"""Dishonesty records, their publication state and history, and joint-punishment partners."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    ADMIN_PENALTY = "admin_penalty", _("行政处罚信息")
    SERIOUS_LIST = "serious_list", _("严重失信主体名单")
    ABNORMAL_LIST = "abnormal_list", _("经营异常名录")
    COURT_DEBTOR = "court_debtor", _("失信被执行人")
    OTHER = "other", _("其他失信信息")


class Severity(models.TextChoices):
    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


class PublicationStatus(models.TextChoices):
    PUBLISHED = "published", _("公示中")
    NOT_PUBLISHED = "not_published", _("不公示")
    SUSPENDED = "suspended", _("暂停公示")
    REPAIRED = "repaired", _("已修复，停止公示")
    EXPIRED = "expired", _("公示期满，停止公示")
    REMOVED = "removed", _("已撤除（屏蔽）")


class Record(models.Model):
    """One dishonesty record as recognised by its department ("谁认定、谁修复")."""

    subject = models.ForeignKey(
        "registry.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="records"
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name=_("认定单位"), on_delete=models.PROTECT, related_name="records"
    )
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    severity = models.CharField(_("失信程度"), max_length=8, choices=Severity.choices)
    sector = models.CharField(_("领域"), max_length=32, blank=True, help_text=_("如 food、drug、fire，用于规则中的领域特别规定"))
    penalty_types = models.JSONField(_("处罚种类"), default=list, blank=True)
    decision_no = models.CharField(_("决定文书号"), max_length=100)
    decision_date = models.DateField(_("决定日期"))
    summary = models.TextField(_("失信行为摘要"))
    legal_basis = models.TextField(_("法律依据"), blank=True)
    obligations = models.TextField(_("应履行义务"), blank=True)
    obligations_fulfilled_on = models.DateField(_("义务履行完毕日期"), null=True, blank=True)
    obligations_evidence = models.TextField(_("履行证明"), blank=True)
    jurisdiction = models.CharField(_("行政区划代码"), max_length=6)
    rule_set_code = models.CharField(_("适用规则"), max_length=64)

    status = models.CharField(
        _("公示状态"), max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED
    )
    objection_pending = models.BooleanField(_("异议处理中"), default=False)
    published_from = models.DateField(_("公示起始日"))
    min_until = models.DateField(_("最短公示期届满日"))
    max_until = models.DateField(_("最长公示期届满日"))
    grace_until = models.DateField(_("宽限期至"), null=True, blank=True)
    publication_stopped_on = models.DateField(_("停止公示日"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), auto_now_add=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("失信记录")
        verbose_name_plural = _("失信记录")
        ordering = ["-decision_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "decision_no"], name="record_unique_decision_per_department"),
            models.CheckConstraint(name="record_window_ordered", condition=Q(min_until__lte=models.F("max_until"))),
        ]
        indexes = [
            models.Index(fields=["subject", "status"], name="record_subject_status"),
            models.Index(fields=["department", "status"], name="record_department_status"),
            models.Index(
                fields=["max_until", "id"], name="record_published_expiry",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["grace_until", "id"], name="record_grace_pending",
                condition=Q(status="not_published", grace_until__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.decision_no}（{self.subject.name}）"


class PublicationHistory(models.Model):
    """Append-only: every change of a record's publication state, who made it, when and why."""

    record = models.ForeignKey(Record, verbose_name=_("记录"), on_delete=models.PROTECT, related_name="history")
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=PublicationStatus.choices)
    reason = models.CharField(_("原因"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_label = models.CharField(_("操作人标识"), max_length=150)
    reference = models.CharField(_("关联案件"), max_length=64, blank=True)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("公示状态变更记录")
        verbose_name_plural = _("公示状态变更记录")
        ordering = ["record_id", "id"]
        indexes = [models.Index(fields=["record", "id"], name="history_record")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Publication history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Publication history is append-only.")


class Partner(models.Model):
    """A department applying joint punishment (联合惩戒单位) because of records."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    department = models.OneToOneField(
        "registry.Department", verbose_name=_("对应单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="partner",
    )
    webhook_url = models.URLField(_("推送地址"), blank=True, help_text=_("留空则由对方通过接口拉取"))
    webhook_secret = models.CharField(_("推送签名密钥"), max_length=128, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("联合惩戒单位")
        verbose_name_plural = _("联合惩戒单位")
        ordering = ["code"]

    def __str__(self):
        return self.name


class PunishmentMeasure(models.Model):
    """A measure a partner applies to records of a category (and severity, if given).

    The measures of a record are the active measures matching its category and
    severity: one catalogue row serves millions of records.
    """

    partner = models.ForeignKey(Partner, verbose_name=_("联合惩戒单位"), on_delete=models.CASCADE, related_name="measures")
    category = models.CharField(_("记录类别"), max_length=16, choices=Category.choices)
    severity = models.CharField(_("失信程度"), max_length=8, choices=Severity.choices, blank=True, help_text=_("留空表示任意程度"))
    description = models.CharField(_("惩戒措施"), max_length=200)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("惩戒措施")
        verbose_name_plural = _("惩戒措施")
        ordering = ["partner", "category"]

    def __str__(self):
        return f"{self.partner}：{self.description}"


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("待送达")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("送达失败，重试中")
    ACKNOWLEDGED = "acknowledged", _("已确认")


class PartnerNotice(models.Model):
    """The outbox: one notice per partner for each publication change of a record it punishes.

    Written in the same transaction as the change (so none is lost), delivered
    by a Celery task with retries, acknowledged by the partner.
    """

    partner = models.ForeignKey(Partner, verbose_name=_("联合惩戒单位"), on_delete=models.PROTECT, related_name="notices")
    record = models.ForeignKey(Record, verbose_name=_("记录"), on_delete=models.PROTECT, related_name="notices")
    history = models.ForeignKey(
        PublicationHistory, verbose_name=_("状态变更"), on_delete=models.PROTECT, related_name="notices"
    )
    from_status = models.CharField(_("原状态"), max_length=16)
    to_status = models.CharField(_("新状态"), max_length=16, choices=PublicationStatus.choices)
    reason = models.CharField(_("原因"), max_length=32)
    status = models.CharField(_("送达状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.PENDING)
    attempts = models.PositiveIntegerField(_("推送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次推送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("生成时间"))
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    ack_due = models.DateField(_("确认期限"))
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协同通知")
        verbose_name_plural = _("协同通知")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["history", "partner"], name="notice_once_per_change_and_partner"),
        ]
        indexes = [
            models.Index(fields=["partner", "id"], name="notice_partner_feed"),
            models.Index(
                fields=["next_attempt_at"], name="notice_undelivered",
                condition=Q(status__in=["pending", "failed"]),
            ),
            models.Index(
                fields=["ack_due"], name="notice_unacknowledged",
                condition=~Q(status="acknowledged") & Q(escalated_at__isnull=True),
            ),
        ]
