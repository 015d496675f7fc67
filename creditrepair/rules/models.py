"""Rule sets as loaded from ``settings.RULES_DIR`` (the files are the source; these rows are their copy)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSet(models.Model):
    """One validated rule-set file: its identity, validity period and normalised document."""

    code = models.CharField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    jurisdiction = models.CharField(_("行政区划代码"), max_length=6, help_text=_("000000 表示全国。"))
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    basis = models.TextField(_("依据"))
    data = models.JSONField(_("规则内容"))
    source_file = models.CharField(_("来源文件"), max_length=255)
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64)
    loaded_at = models.DateTimeField(_("载入时间"))

    class Meta:
        verbose_name = _("规则集")
        verbose_name_plural = _("规则集")
        ordering = ["jurisdiction", "-effective_from"]
        indexes = [models.Index(fields=["effective_from", "effective_to"], name="rules_ruleset_in_force")]

    def __str__(self):
        return f"{self.name}（{self.code}）"
