from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "creditrepair.workdays"
    label = "workdays"
    verbose_name = _("工作日历")

    def ready(self):
        from django.core import checks

        from . import signals  # noqa: F401  (connects the cache invalidation)
        from .checks import calendar_covers_this_and_next_year

        # A database check: it reads the overrides, so it runs with ``migrate``
        # (every deploy) and ``check --database default``, never without a database.
        checks.register(calendar_covers_this_and_next_year, checks.Tags.database)
