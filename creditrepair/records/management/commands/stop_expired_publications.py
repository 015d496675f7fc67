"""python manage.py stop_expired_publications — the daily job Celery beat runs; idempotent."""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from creditrepair.records import delivery, services


class Command(BaseCommand):
    help = _("停止公示所有已超过最长公示期的记录，并发布宽限期届满的法院名单。")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size, **options):
        interactive = sys.stdout.isatty() and options.get("verbosity", 1) > 0
        grace = services.publish_after_grace(batch_size=batch_size)
        total = services.expired_publications().count() if interactive else None
        with tqdm(total=total, disable=not interactive, unit=_("条"), desc=_("停止公示")) as bar:
            expired = services.stop_expired_publications(batch_size=batch_size, progress=bar.update)
        escalated = delivery.escalate_overdue_notices()
        self.stdout.write(
            _("已停止公示 %(expired)d 条记录（%(batches)d 批），生成协同通知 %(notices)d 条；"
              "宽限期届满发布 %(grace)d 条；督办逾期未确认通知 %(escalated)d 条。")
            % {"expired": expired.records, "batches": expired.batches, "notices": expired.notices + grace.notices,
               "grace": grace.records, "escalated": escalated}
        )
