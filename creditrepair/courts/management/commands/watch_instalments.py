"""``manage.py watch_instalments`` — the daily instalment watch of court suspensions (same as the beat job)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from creditrepair.courts.services import watch_instalments


class Command(BaseCommand):
    help = "Check every active court suspension for missed instalments (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, today=None, **options):
        result = watch_instalments(today)
        self.stdout.write(
            _("分期履行监督：违约 %(b)s 件，通知申请执行人 %(n)s 件，自动恢复惩戒 %(r)s 件。")
            % {"b": result.breaches, "n": result.notices, "r": result.resumed}
        )
        for case_no in result.cases:
            self.stdout.write(f"  {case_no}")
