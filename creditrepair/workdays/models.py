"""Corrections and additions to the Chinese working-day calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """One day whose status the operator sets by hand; it always wins over the library.

    Used for years the ``chinesecalendar`` library does not know yet (the State
    Council publishes next year's holidays each autumn) and for corrections.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"), help_text=_("勾选为工作日（含调休上班日），不勾选为休息日（法定节假日）。"))
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("例如“春节”“国庆节调休”。"))
    note = models.TextField(_("备注"), blank=True, help_text=_("依据，例如国务院办公厅通知文号。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")
        ordering = ["date"]

    def __str__(self):
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date.isoformat()} {kind} {self.name}".strip()
