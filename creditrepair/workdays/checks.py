"""System check: tell the operator to enter holidays the calendar does not know."""

from django.core.checks import Warning
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from .services import LIBRARY_FIRST_YEAR, LIBRARY_LAST_YEAR, year_is_covered


def calendar_covers_this_and_next_year(app_configs=None, databases=None, **kwargs):
    """Warn (workdays.W001) for this year and next year when neither the library nor an override covers them.

    A database check: it runs only when the caller names databases (``migrate``,
    ``check --database default``).
    """
    if not databases:
        return []
    if app_configs is not None and not any(config.label == "workdays" for config in app_configs):
        return []
    this_year = timezone.localdate().year
    try:
        missing = [year for year in (this_year, this_year + 1) if not year_is_covered(year)]
    except DatabaseError:
        # The table does not exist yet (``migrate`` checks before it migrates).
        return []
    return [
        Warning(
            _("%(year)s 年的法定节假日尚未录入：工作日历库只包含 %(first)s–%(last)s 年，且没有该年的日历调整记录。")
            % {"year": year, "first": LIBRARY_FIRST_YEAR, "last": LIBRARY_LAST_YEAR},
            hint=_(
                "国务院办公厅公布 %(year)s 年节假日安排后，请在管理后台“工作日历 › 日历调整”中录入放假日和调休上班日；"
                "录入前按周一至周五为工作日计算期限。"
            )
            % {"year": year},
            id="workdays.W001",
        )
        for year in missing
    ]
