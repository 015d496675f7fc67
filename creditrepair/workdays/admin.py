import chinese_calendar
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CalendarOverride
from .services import library_knows

_WEEKDAYS = (_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日"))


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "is_working_day", "name", "library_value", "note", "created_at")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("name", "note")
    ordering = ("-date",)

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return _WEEKDAYS[obj.date.weekday()]

    @admin.display(description=_("日历库"))
    def library_value(self, obj):
        if not library_knows(obj.date.year):
            return _("库中无此年份")
        return _("工作日") if chinese_calendar.is_workday(obj.date) else _("休息日")
