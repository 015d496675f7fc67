"""``python manage.py verify_audit_chain``: exit status 0 if the chain is intact, 1 at the first broken link."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from creditrepair.audit.services import verify_chain


class Command(BaseCommand):
    help = _("校验审计日志哈希链，报告第一处断裂。")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000, help=_("每批读取的事件数。"))

    def handle(self, *args, batch_size, **options):
        report = verify_chain(batch_size=batch_size)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(_("审计链完整：已校验 %(n)d 条事件") % {"n": report.checked}))
            return
        self.stderr.write(
            self.style.ERROR(
                _("审计链断裂：事件 #%(id)d：%(reason)s") % {"id": report.first_broken_id, "reason": report.reason}
            )
        )
        raise SystemExit(1)
