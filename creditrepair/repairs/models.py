"""Credit repair cases (信用修复申请), their status history and uploaded materials.

The domain status below is what applicants, the public and auditors read;
``flows.RepairFlow`` decides who acts next. Both change together through the
workflow gateway (``creditrepair.workflow.gateway``), in one locked transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from viewflow.workflow.models import Process

from creditrepair.core.models import StoredUpload
from creditrepair.workflow.models import Case, OwesDocuments, StatusChange


class RepairKind(models.TextChoices):
    REPAIR = "repair", _("信用修复")
    LIST_EXIT = "list_exit", _("移出严重失信主体名单")


class RepairStatus(models.TextChoices):
    DRAFT = "draft", _("待提交")
    SUBMITTED = "submitted", _("已提交，待受理")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")
    UNDER_REVIEW = "under_review", _("审核中")
    APPROVED = "approved", _("准予修复")
    DENIED = "denied", _("不予修复")
    COMPLETED = "completed", _("修复完成，已停止公示")
    REVOKED = "revoked", _("修复已撤销")
    WITHDRAWN = "withdrawn", _("已撤回")


S = RepairStatus

# A case still in progress: blocks a second case on the same record (duplicate_case).
OPEN_STATUSES = (S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.UNDER_REVIEW, S.APPROVED)
# Before a decision: the subject may still withdraw.
WITHDRAWABLE = (S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.UNDER_REVIEW)


class MaterialKind(models.TextChoices):
    """Every material kind of the contract; how each is supplied is in ``UPLOADED``/``SIGNED``/``RECORDED``."""

    PERFORMANCE_PROOF = "performance_proof", _("履行义务证明")
    RECTIFICATION_REPORT = "rectification_report", _("整改报告")
    RECTIFICATION_PLAN = "rectification_plan", _("整改方案")
    CREDIT_REPORT = "credit_report", _("信用报告")
    COMMITMENT_LETTER = "commitment_letter", _("信用承诺书")
    CREDIT_KEEPING_COMMITMENT = "credit_keeping_commitment", _("守信承诺书")
    TRAINING_CERTIFICATE = "training_certificate", _("信用修复培训证明")
    INTERVIEW_RECORD = "interview_record", _("约谈记录")


UPLOADED = (
    MaterialKind.PERFORMANCE_PROOF,
    MaterialKind.RECTIFICATION_REPORT,
    MaterialKind.RECTIFICATION_PLAN,
    MaterialKind.CREDIT_REPORT,
)
SIGNED = (MaterialKind.COMMITMENT_LETTER, MaterialKind.CREDIT_KEEPING_COMMITMENT)
RECORDED = (MaterialKind.TRAINING_CERTIFICATE, MaterialKind.INTERVIEW_RECORD)
# Supplied by the recognising department during review, not by the applicant before submitting.
DEPARTMENT_SUPPLIED = (MaterialKind.INTERVIEW_RECORD,)


class RepairCase(Case, OwesDocuments):
    """One application to repair a record (or to leave the serious-dishonesty list)."""

    # Who may move each edge is in services.py; this table is which edges exist.
    TRANSITIONS = {
        #  to                  from
        S.SUBMITTED:    {S.DRAFT},
        S.ACCEPTED:     {S.SUBMITTED},
        S.REFUSED:      {S.SUBMITTED},
        S.UNDER_REVIEW: {S.ACCEPTED},
        S.APPROVED:     {S.UNDER_REVIEW},
        S.DENIED:       {S.UNDER_REVIEW},
        S.COMPLETED:    {S.APPROVED},
        S.REVOKED:      {S.COMPLETED},
        S.WITHDRAWN:    set(WITHDRAWABLE),
    }

    kind = models.CharField(_("类型"), max_length=16, choices=RepairKind.choices, default=RepairKind.REPAIR)
    status = models.CharField(_("状态"), max_length=16, choices=RepairStatus.choices, default=RepairStatus.DRAFT)
    statement = models.TextField(_("申请说明"))
    required_materials = models.JSONField(_("应提交材料"), default=list,
                                          help_text=_("提交时适用规则集规定的材料种类（申请时固定）"))

    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    decision_reason = models.TextField(_("审核决定理由"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    interview_held_on = models.DateField(_("约谈日期"), null=True, blank=True)
    interview_notes = models.TextField(_("约谈记录"), blank=True)
    interview_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("约谈记录人"), null=True,
                                              blank=True, on_delete=models.PROTECT, related_name="+")

    training_certificate_no = models.CharField(_("培训证明编号"), max_length=64, blank=True)
    training_completed_on = models.DateField(_("培训完成日期"), null=True, blank=True)

    extension_reason = models.TextField(_("延期理由"), blank=True)

    revocation_reason = models.TextField(_("撤销理由"), blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    bars_until = models.DateField(_("禁止再次申请修复至"), null=True, blank=True,
                                  help_text=_("撤销修复后，该主体在此日期前不得申请信用修复"))

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-id"]
        constraints = [
            # At most one case in progress per record (duplicate_case), even under concurrent filing.
            models.UniqueConstraint(
                fields=["record"], name="repair_one_open_case_per_record",
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "status"], name="repair_subject_status"),
            models.Index(fields=["status", "id"], name="repair_status"),
            models.Index(fields=["documents_due_at"], name="repair_documents_due",
                         condition=OwesDocuments.DOCUMENTS_DUE),
        ]

    @property
    def history_model(self):
        return RepairStatusChange

    @property
    def flow_class(self):
        from .flows import RepairFlow

        return RepairFlow

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class RepairStatusChange(StatusChange):
    """Append-only status history of a repair case."""

    case = models.ForeignKey(RepairCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="history")

    class Meta(StatusChange.Meta):
        verbose_name = _("修复案件状态变更")
        verbose_name_plural = _("修复案件状态变更")


def material_upload_to(instance, filename):
    """``materials/<case_no>/<uuid>.<ext>`` under MEDIA_ROOT (outside the web root; served only by the API)."""
    return f"materials/{instance.case.case_no}/{instance.id}.{instance.extension}"


class RepairMaterial(StoredUpload):
    """An uploaded material (PDF, JPEG or PNG, type decided from content)."""

    case = models.ForeignKey(RepairCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField(_("材料种类"), max_length=32, choices=[(k.value, k.label) for k in UPLOADED])
    file = models.FileField(_("文件"), upload_to=material_upload_to, max_length=200)
    # The table's columns as created, narrower than StoredUpload's.
    original_name = models.CharField(_("原文件名"), max_length=128)
    content_type = models.CharField(_("文件类型"), max_length=32)

    class Meta(StoredUpload.Meta):
        verbose_name = _("修复材料")
        verbose_name_plural = _("修复材料")

    def __str__(self):
        return f"{self.case.case_no} {self.get_kind_display()}"

    @property
    def display_name(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"


class RepairProcess(Process):
    """A repair case's viewflow process; its ``artifact`` is the ``RepairCase``."""

    class Meta:
        proxy = True
        verbose_name = _("信用修复流程")
        verbose_name_plural = _("信用修复流程")
