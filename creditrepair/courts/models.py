"""Court listings of dishonest judgment debtors (失信被执行人), consumption restrictions,
settlement-based suspensions of credit punishment with their instalments, and correction requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from creditrepair.core.models import OutgoingMail
from creditrepair.workflow.models import Case, StatusChange


class ListingGround(models.TextChoices):
    """SPC rules on publishing dishonest judgment debtors (2013, amended 2017), article 1."""

    ABLE_BUT_REFUSES = "able_but_refuses", _("有履行能力而拒不履行生效法律文书确定义务")
    OBSTRUCTS = "obstructs", _("以伪造证据、暴力、威胁等方法妨碍、抗拒执行")
    EVADES = "evades", _("以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行")
    PROPERTY_REPORT = "property_report", _("违反财产报告制度")
    CONSUMPTION_ORDER = "consumption_order", _("违反限制消费令")
    SETTLEMENT_REFUSED = "settlement_refused", _("无正当理由拒不履行执行和解协议")


class DeletionGround(models.TextChoices):
    """Grounds for deleting a listing (SPC rules 2017 art. 10; domain §5)."""

    FULL_PERFORMANCE = "full_performance", _("已全部履行")
    SETTLEMENT_PERFORMED = "settlement_performed", _("执行和解协议已履行完毕")
    CREDITOR_REQUEST = "creditor_request", _("申请执行人书面申请删除")
    TERM_ENDED = "term_ended", _("失信期限届满")
    OTHER = "other", _("其他法定事由")


class CourtListing(models.Model):
    """The court-specific data of a ``court_debtor`` record (one to one)."""

    record = models.OneToOneField("records.Record", verbose_name=_("失信记录"), on_delete=models.PROTECT,
                                  related_name="court_listing")
    court_case_no = models.CharField(_("执行案号"), max_length=64)
    executing_basis = models.CharField(_("执行依据"), max_length=200)
    obligation = models.TextField(_("生效法律文书确定的义务"))
    ground = models.CharField(_("纳入失信名单情形"), max_length=24, choices=ListingGround.choices)
    creditor_name = models.CharField(_("申请执行人"), max_length=200, blank=True)
    creditor_email = models.EmailField(_("申请执行人电子邮箱"), blank=True)
    at_creditor_request = models.BooleanField(_("依申请执行人申请纳入"), default=False)
    term_months = models.PositiveSmallIntegerField(_("失信期限（月）"))
    extension_months = models.PositiveSmallIntegerField(_("延长期限（月）"), default=0)
    grace_months = models.PositiveSmallIntegerField(_("宽限期（月）"), default=0)
    deleted_on = models.DateField(_("删除日期"), null=True, blank=True)
    deletion_ground = models.CharField(_("删除事由"), max_length=24, choices=DeletionGround.choices, blank=True)
    deletion_reason = models.TextField(_("删除说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("失信被执行人名单")
        verbose_name_plural = _("失信被执行人名单")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["deletion_ground", "deleted_on"], name="listing_deleted",
                         condition=Q(deleted_on__isnull=False)),
        ]

    def __str__(self):
        return f"{self.court_case_no}（{self.record.subject.name}）"


class Measure(models.TextChoices):
    """Consumption restrictions (SPC provisions on restricting high consumption, art. 3)."""

    FLIGHTS = "flights", _("乘坐飞机")
    TRAINS_FIRST_CLASS = "trains_first_class", _("乘坐列车软卧、轮船二等以上舱位、高铁及动车一等以上座位")
    STAR_HOTELS = "star_hotels", _("在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费")
    PROPERTY_PURCHASE = "property_purchase", _("购买不动产或者新建、扩建、高档装修房屋")
    OFFICE_RENTAL = "office_rental", _("租赁高档写字楼、宾馆、公寓等场所办公")
    VEHICLE_PURCHASE = "vehicle_purchase", _("购买非经营必需车辆")
    LUXURY_TRAVEL = "luxury_travel", _("旅游、度假")
    CHILDREN_SCHOOLS = "children_schools", _("子女就读高收费私立学校")
    INSURANCE = "insurance", _("支付高额保费购买保险理财产品")
    OTHER_LUXURY = "other_luxury", _("其他非生活和工作必需的高消费行为")


class AppliesTo(models.TextChoices):
    DEBTOR = "debtor", _("被执行人本人（单位）")
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
    PRINCIPAL = "principal", _("主要负责人")
    ACTUAL_CONTROLLER = "actual_controller", _("实际控制人")
    DIRECTLY_RESPONSIBLE = "directly_responsible", _("直接责任人员")


class ConsumptionRestriction(models.Model):
    """One restriction measure for one person (the unit or its legal representative), active or lifted."""

    listing = models.ForeignKey(CourtListing, verbose_name=_("失信名单"), on_delete=models.PROTECT,
                                related_name="restrictions")
    measure = models.CharField(_("限制措施"), max_length=24, choices=Measure.choices)
    applies_to = models.CharField(_("限制对象"), max_length=24, choices=AppliesTo.choices, default=AppliesTo.DEBTOR)
    person_name = models.CharField(_("姓名"), max_length=100, blank=True)
    active = models.BooleanField(_("生效中"), default=True)
    final = models.BooleanField(_("已永久解除"), default=False)
    changed_at = models.DateTimeField(_("状态变更时间"))

    class Meta:
        verbose_name = _("限制消费措施")
        verbose_name_plural = _("限制消费措施")
        ordering = ["listing", "id"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "measure", "applies_to", "person_name"],
                                    name="restriction_once_per_person"),
        ]

    def __str__(self):
        return f"{self.get_measure_display()}（{self.get_applies_to_display()}{self.person_name}）"


class RestrictionChange(models.Model):
    """Append-only history of consumption restrictions: imposed, lifted, reinstated."""

    class Action(models.TextChoices):
        IMPOSED = "imposed", _("限制")
        LIFTED = "lifted", _("解除")
        REINSTATED = "reinstated", _("恢复限制")

    restriction = models.ForeignKey(ConsumptionRestriction, on_delete=models.PROTECT, related_name="history")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    reference = models.CharField(_("关联案件"), max_length=64, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(_("操作人标识"), max_length=150)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("限制消费变更记录")
        verbose_name_plural = _("限制消费变更记录")
        ordering = ["id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Restriction history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Restriction history is append-only.")


class SuspensionStatus(models.TextChoices):
    ACTIVE = "active", _("暂停惩戒中")
    BREACH = "breach", _("未按期履行，待法院处理")
    RESUMED = "resumed", _("已恢复信用惩戒")
    COMPLETED = "completed", _("已履行完毕，信息已删除")


class CourtSuspension(Case):
    """A suspension of credit punishment on an enforcement settlement (执行和解, the Nanchang case)."""

    PREFIX = "ZX"
    # to_status: {from statuses} — the one table of this case type.
    TRANSITIONS = {
        SuspensionStatus.BREACH: {SuspensionStatus.ACTIVE},
        SuspensionStatus.ACTIVE: {SuspensionStatus.BREACH},  # the court grants more time after a breach
        SuspensionStatus.RESUMED: {SuspensionStatus.ACTIVE, SuspensionStatus.BREACH},
        SuspensionStatus.COMPLETED: {SuspensionStatus.ACTIVE, SuspensionStatus.BREACH},
    }

    status = models.CharField(_("状态"), max_length=16, choices=SuspensionStatus.choices,
                              default=SuspensionStatus.ACTIVE)
    court = models.ForeignKey("registry.Department", verbose_name=_("执行法院"), on_delete=models.PROTECT,
                              related_name="suspensions")
    agreement_no = models.CharField(_("和解协议编号"), max_length=64)
    total_amount = models.DecimalField(_("和解总金额"), max_digits=14, decimal_places=2)
    creditor_consent = models.BooleanField(_("申请执行人同意"), default=False)
    creditor_name = models.CharField(_("申请执行人"), max_length=200, blank=True)
    creditor_email = models.EmailField(_("申请执行人电子邮箱"), blank=True)
    commitment_document = models.ForeignKey("documents.Document", verbose_name=_("履行承诺书"), null=True,
                                            blank=True, on_delete=models.PROTECT, related_name="+")
    resume_reason = models.TextField(_("恢复惩戒理由"), blank=True)
    ended_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("暂停信用惩戒")
        verbose_name_plural = _("暂停信用惩戒")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["record"], name="suspension_one_open_per_record",
                                    condition=Q(status__in=["active", "breach"])),
        ]
        indexes = [models.Index(fields=["status"], name="suspension_watch",
                                condition=Q(status="active"))]

    @property
    def history_model(self):
        return SuspensionStatusChange

    @property
    def flow_class(self):
        from .flows import SuspensionFlow

        return SuspensionFlow


class SuspensionStatusChange(StatusChange):
    case = models.ForeignKey(CourtSuspension, on_delete=models.PROTECT, related_name="history")

    class Meta(StatusChange.Meta):
        verbose_name = _("暂停案件状态变更")
        verbose_name_plural = _("暂停案件状态变更")


class Instalment(models.Model):
    """One instalment of the settlement's schedule and what was paid on it."""

    suspension = models.ForeignKey(CourtSuspension, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("期次"))
    due_date = models.DateField(_("履行期限"))
    amount = models.DecimalField(_("应付金额"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("付款日期"), null=True, blank=True)
    paid_amount = models.DecimalField(_("已付金额"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("分期履行")
        verbose_name_plural = _("分期履行")
        ordering = ["suspension", "number"]
        constraints = [
            models.UniqueConstraint(fields=["suspension", "number"], name="instalment_number_unique"),
        ]

    @property
    def is_paid(self) -> bool:
        return self.paid_amount >= self.amount


class InstalmentBreach(models.Model):
    """A missed instalment found by the watch: once per instalment (the job's idempotency)."""

    suspension = models.ForeignKey(CourtSuspension, on_delete=models.PROTECT, related_name="breaches")
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="breaches")
    due_date = models.DateField(_("履行期限"))
    detected_on = models.DateField(_("发现日期"))
    auto_resumed = models.BooleanField(_("自动恢复惩戒"), default=False)

    class Meta:
        verbose_name = _("未按期履行")
        verbose_name_plural = _("未按期履行")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["instalment", "due_date"], name="breach_once_per_due_date"),
        ]


class CreditorNotice(OutgoingMail):
    """The outbox of notices to the creditor (申请执行人): one per breach, e-mailed if an address is known."""

    suspension = models.ForeignKey(CourtSuspension, on_delete=models.PROTECT, related_name="creditor_notices")
    breach = models.OneToOneField(InstalmentBreach, on_delete=models.PROTECT, related_name="notice")
    creditor_name = models.CharField(_("申请执行人"), max_length=200, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("申请执行人通知")
        verbose_name_plural = _("申请执行人通知")
        ordering = ["id"]
        indexes = [models.Index(fields=["next_attempt_at"], name="creditor_notice_due", condition=OutgoingMail.DUE)]

    def __str__(self):
        return f"{self.suspension.case_no} {self.creditor_name}"

    def recipients(self) -> list[str]:
        return [self.email] if self.email else []


class CorrectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交，法院审查中")
    CORRECTED = "corrected", _("已更正")
    REJECTED = "rejected", _("驳回")
    RECONSIDERATION = "reconsideration", _("复议中（上一级法院）")
    CLOSED = "closed", _("复议维持，已办结")


class CorrectionRequest(Case):
    """The debtor asks the court to correct its listing (纠正申请); review, correction, reconsideration (复议)."""

    PREFIX = "JZ"
    TRANSITIONS = {
        CorrectionStatus.CORRECTED: {CorrectionStatus.SUBMITTED, CorrectionStatus.RECONSIDERATION},
        CorrectionStatus.REJECTED: {CorrectionStatus.SUBMITTED},
        CorrectionStatus.RECONSIDERATION: {CorrectionStatus.REJECTED},
        CorrectionStatus.CLOSED: {CorrectionStatus.RECONSIDERATION},
    }

    listing = models.ForeignKey(CourtListing, verbose_name=_("失信名单"), on_delete=models.PROTECT,
                                related_name="corrections")
    status = models.CharField(_("状态"), max_length=16, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.SUBMITTED)
    statement = models.TextField(_("申请理由"))
    requested_correction = models.JSONField(_("请求更正内容"), default=dict, blank=True)
    applied_correction = models.JSONField(_("更正内容（原值/新值）"), default=dict, blank=True)
    decision_reason = models.TextField(_("审查意见"), blank=True)
    reconsideration_until = models.DateField(_("可申请复议至"), null=True, blank=True)
    reconsideration_statement = models.TextField(_("复议理由"), blank=True)
    reconsideration_reason = models.TextField(_("复议决定理由"), blank=True)

    class Meta:
        verbose_name = _("纠正申请")
        verbose_name_plural = _("纠正申请")
        ordering = ["-id"]

    @property
    def history_model(self):
        return CorrectionStatusChange


class CorrectionStatusChange(StatusChange):
    case = models.ForeignKey(CorrectionRequest, on_delete=models.PROTECT, related_name="history")

    class Meta(StatusChange.Meta):
        verbose_name = _("纠正申请状态变更")
        verbose_name_plural = _("纠正申请状态变更")


class SuspensionProcess(Process):
    """Viewflow process of a suspension (proxy)."""

    class Meta:
        proxy = True
        verbose_name = _("暂停信用惩戒流程")
        verbose_name_plural = _("暂停信用惩戒流程")
