"""Credit subjects (信用主体) and the departments that recognise, judge or run the platform."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectType(models.TextChoices):
    LEGAL_PERSON = "legal_person", _("法人")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    OTHER_ORG = "other_org", _("其他组织")
    NATURAL_PERSON = "natural_person", _("自然人")


class Subject(models.Model):
    """A credit subject, identified by its USCC (GB 32100) or, for persons, the resident ID number."""

    code = models.CharField(_("统一社会信用代码/身份证号"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    type = models.CharField(_("主体类型"), max_length=24, choices=SubjectType.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信用主体")
        verbose_name_plural = _("信用主体")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def is_natural_person(self):
        return self.type == SubjectType.NATURAL_PERSON


class DepartmentKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("行政机关")
    COURT = "court", _("人民法院")
    OPERATOR = "operator", _("平台运营机构")


class Department(models.Model):
    """A recognising department (认定单位), a court, or the platform operator (信用办/信用中心)."""

    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    name = models.CharField(_("单位名称"), max_length=200)
    kind = models.CharField(_("单位类型"), max_length=16, choices=DepartmentKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    jurisdiction = models.CharField(_("行政区划代码"), max_length=6)
    sector = models.CharField(_("领域"), max_length=64, blank=True, help_text=_("如 市场监管、税务、生态环境"))

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self):
        return self.name
