"""Objections (异议): a subject disputes its own record; the record carries the mark "异议处理中" meanwhile."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from creditrepair.core.models import OutgoingMail, StoredUpload
from creditrepair.workflow.models import Case, OwesDocuments, StatusChange


class Grounds(models.TextChoices):
    ERROR = "error", _("信息错误")
    OMISSION = "omission", _("信息遗漏")
    EXPIRED = "expired", _("公示期满仍在公示")
    WRONGLY_LISTED = "wrongly_listed", _("错误列入或未按规定移出名单")
    RIGHTS = "rights", _("侵犯合法权益或个人隐私")
    REPAIR_RESULT = "repair_result", _("对信用修复结果有异议")
    OTHER = "other", _("其他")


class ObjectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")
    VERIFYING = "verifying", _("核实中")
    RESOLVED = "resolved", _("已办结")
    UNDER_REVIEW = "under_review", _("复核中")
    CLOSED = "closed", _("已归档")


class Outcome(models.TextChoices):
    CORRECTED = "corrected", _("予以更正")
    SUPPLEMENTED = "supplemented", _("予以补充")
    PUBLICATION_STOPPED = "publication_stopped", _("停止公示")
    REMOVED = "removed", _("移出名单")
    KEPT = "kept", _("维持原信息")


S = ObjectionStatus

# Statuses in which the objection is still being handled (the record carries the mark).
OPEN_STATUSES = (S.SUBMITTED, S.ACCEPTED, S.VERIFYING)


class Objection(Case, OwesDocuments):
    """An objection to one record, handled by the operator (intake, own-copy check) and the source department."""

    TRANSITIONS = {
        #  to                from
        S.SUBMITTED:        {""},
        S.ACCEPTED:         {S.SUBMITTED},
        S.REFUSED:          {S.SUBMITTED},
        S.VERIFYING:        {S.ACCEPTED},
        S.RESOLVED:         {S.ACCEPTED, S.VERIFYING},  # from accepted: the platform corrected its own copy
        S.UNDER_REVIEW:     {S.RESOLVED},
        S.CLOSED:           {S.RESOLVED, S.UNDER_REVIEW},
    }

    grounds = models.CharField(_("异议事由"), max_length=16, choices=Grounds.choices)
    statement = models.TextField(_("异议陈述"))
    requested_correction = models.JSONField(_("申请更正内容"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ObjectionStatus.choices, default=S.SUBMITTED)
    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    platform_corrected = models.BooleanField(_("平台核对后已直接更正"), default=False)
    outcome = models.CharField(_("处理结果"), max_length=24, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("处理理由"), blank=True)
    corrections = models.JSONField(_("更正明细"), default=list, blank=True,
                                   help_text=_("[{field, old, new}]，包括据此重新计算的公示期"))
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    review_statement = models.TextField(_("复核申请理由"), blank=True)
    review_requested_at = models.DateTimeField(_("申请复核时间"), null=True, blank=True)
    review_outcome = models.CharField(_("复核结果"), max_length=24, choices=Outcome.choices, blank=True)
    review_reason = models.TextField(_("复核理由"), blank=True)
    review_corrections = models.JSONField(_("复核更正明细"), default=list, blank=True)
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("异议案件")
        verbose_name_plural = _("异议案件")
        ordering = ["-id"]
        constraints = [
            # One objection in progress per record at a time.
            models.UniqueConstraint(fields=["record"], name="objection_one_open_per_record",
                                    condition=Q(status__in=["submitted", "accepted", "verifying"])),
        ]
        indexes = [
            models.Index(fields=["subject", "status"], name="objection_subject_status"),
            models.Index(fields=["documents_due_at"], name="objection_documents_due",
                         condition=OwesDocuments.DOCUMENTS_DUE),
        ]

    @property
    def flow_class(self):
        from .flows import ObjectionFlow

        return ObjectionFlow

    @property
    def history_model(self):
        return ObjectionStatusChange

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def final_outcome(self):
        """The outcome in force: the review's if there was one."""
        return self.review_outcome or self.outcome


class ObjectionStatusChange(StatusChange):
    case = models.ForeignKey(Objection, verbose_name=_("异议案件"), on_delete=models.PROTECT, related_name="history")

    class Meta(StatusChange.Meta):
        verbose_name = _("异议状态变更")
        verbose_name_plural = _("异议状态变更")


class ApplicantNotice(OutgoingMail):
    """The outbox of e-mails to the applicant (the subject's users with an address): one per event of an objection,
    written with the event (``services``) and sent after commit (``tasks.notify_applicant``)."""

    objection = models.ForeignKey(Objection, verbose_name=_("异议案件"), on_delete=models.PROTECT,
                                  related_name="applicant_notices")
    event = models.CharField(_("事项"), max_length=24)
    emails = models.JSONField(_("收件人"), default=list, blank=True)

    class Meta:
        verbose_name = _("申请人通知")
        verbose_name_plural = _("申请人通知")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["objection", "event"], name="applicant_notice_once_per_event"),
        ]
        indexes = [models.Index(fields=["next_attempt_at"], name="applicant_notice_due", condition=OutgoingMail.DUE)]

    def __str__(self):
        return f"{self.objection.case_no} {self.event}"

    def recipients(self) -> list[str]:
        return list(self.emails)


def evidence_upload_to(instance, filename):
    """``objections/<yyyy>/<case_no>/<uuid><ext>`` under MEDIA_ROOT: never the uploader's name."""
    return f"objections/{timezone.localdate():%Y}/{instance.objection.case_no}/{instance.id}{instance.extension}"


class ObjectionEvidence(StoredUpload):
    """Proof attached to an objection (PDF, JPEG or PNG), kept with its hash."""

    objection = models.ForeignKey(Objection, verbose_name=_("异议案件"), on_delete=models.PROTECT,
                                  related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=200)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta(StoredUpload.Meta):
        verbose_name = _("异议证明材料")
        verbose_name_plural = _("异议证明材料")

    def __str__(self):
        return self.original_name


class ObjectionProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("异议处理流程")
        verbose_name_plural = _("异议处理流程")
