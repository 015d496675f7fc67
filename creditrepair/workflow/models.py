"""What every case type shares: readable case numbers, query codes, status history and deadlines."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CaseNumberCounter(models.Model):
    """The last number handed out for a case-number prefix in a year (XF-2026-000123)."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="case_counter_unique")]


class Case(models.Model):
    """Abstract base of a case about one record: a repair application, an objection, a suspension.

    The domain ``status`` (a TextChoices of the concrete case) is what the public
    and auditors read; viewflow's process decides who acts next. Both change in
    one locked transaction through ``creditrepair.workflow.gateway``.
    """

    case_no = models.CharField(_("案件编号"), max_length=32, unique=True)
    query_code = models.CharField(_("查询码"), max_length=16)
    record = models.ForeignKey("records.Record", verbose_name=_("失信记录"), on_delete=models.PROTECT,
                               related_name="+")
    subject = models.ForeignKey("registry.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT,
                                related_name="+")
    rule_set_code = models.CharField(_("适用程序规则"), max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    filed_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.case_no


class OwesDocuments(models.Model):
    """Abstract, for a case whose PDFs are issued after commit (``creditrepair.workflow.owed``).

    ``documents_due_at`` is set, in the transaction of the action, whenever an action owes the case a document;
    the catch-up sweep looks at the cases marked longer than ``LOST_AFTER`` ago, issues what their state says
    must exist and is missing, and clears the mark once nothing is. A concrete model indexes the marked rows
    (``DOCUMENTS_DUE``), so the sweep never reads the other cases. ``documents_catch_ups`` counts the sweeps that
    found a document still missing and queued it again; at ``DOCUMENT_CATCH_UP_MAX_RUNS`` the sweep stops and the
    case waits, still marked, in the operator's list (admin filter "文书出具受阻") until re-queued from there.
    """

    documents_due_at = models.DateTimeField(_("待出具文书时间"), null=True, blank=True, editable=False,
                                            help_text=_("有应出具而尚未核对的文书；全部出具后清空"))
    documents_catch_ups = models.PositiveSmallIntegerField(
        _("补出具次数"), default=0, db_default=0, editable=False,
        help_text=_("巡检补发出具任务的次数；达到上限后不再自动补发，由运维人员排查后重新出具"))

    DOCUMENTS_DUE = Q(documents_due_at__isnull=False)

    class Meta:
        abstract = True


class StatusChange(models.Model):
    """Abstract append-only status history of a case; the concrete model adds the ``case`` FK."""

    from_status = models.CharField(_("原状态"), max_length=24, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("操作人标识"), max_length=150)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        abstract = True
        ordering = ["id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Case status history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case status history is append-only.")


class Deadline(models.Model):
    """The statutory limit of one step of one case, in working (or calendar) days from the rule set."""

    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    case_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("case_type", "case_id")
    case_no = models.CharField(_("案件编号"), max_length=32, db_index=True)
    step = models.CharField(_("环节"), max_length=48)
    responsible = models.ForeignKey("registry.Department", verbose_name=_("责任单位"), on_delete=models.PROTECT,
                                    related_name="deadlines")
    started_on = models.DateField(_("起算日"))
    limit_days = models.PositiveSmallIntegerField(_("时限（天）"))
    unit = models.CharField(_("计算方式"), max_length=8, default="working")
    due_on = models.DateField(_("期限届满日"))
    extended = models.BooleanField(_("已延期"), default=False)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    met_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "case_id", "step"], name="deadline_once_per_step"),
        ]
        indexes = [
            models.Index(fields=["due_on"], name="deadline_open", condition=Q(met_at__isnull=True)),
            models.Index(fields=["case_type", "case_id"], name="deadline_case"),
        ]

    def __str__(self):
        return f"{self.case_no} {self.step} → {self.due_on}"

    @property
    def is_open(self):
        return self.met_at is None
