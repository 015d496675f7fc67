"""``python manage.py load_demo``: the demo departments, partners, subjects, records and users (idempotent).

Refused where ``settings.REFUSE_DEMO_USERS`` is set (production). The data are
``fixtures/demo/*.toml``; see ``creditrepair.registry.management.demo``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from creditrepair.records.models import PublicationStatus
from creditrepair.registry.management.demo import DemoDataInvalid, DemoRefused, load_demo


class Command(BaseCommand):
    help = _("载入演示数据（单位、联合惩戒单位、信用主体、失信记录和演示用户）；可重复执行。生产环境拒绝执行。")

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", type=Path, default=None,
                            help=_("演示数据目录（默认 fixtures/demo）。"))

    def handle(self, *args, directory=None, **options):
        try:
            report = load_demo(directory)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from None
        except DemoDataInvalid as exc:
            raise CommandError(_("演示数据未载入，数据库未作任何修改：%(error)s") % {"error": exc}) from None

        lines = [
            _("单位 %(total)d 个（新增 %(created)d）") % {"total": report.departments, "created": report.departments_created},
            _("联合惩戒单位 %(total)d 个（新增 %(created)d，新增惩戒措施 %(measures)d 项）")
            % {"total": report.partners, "created": report.partners_created, "measures": report.measures_created},
            _("信用主体 %(total)d 个（新增 %(created)d）") % {"total": report.subjects, "created": report.subjects_created},
            _("演示用户 %(total)d 个（新增 %(created)d）") % {"total": report.users, "created": report.users_created},
            _("失信记录 %(total)d 条（新增 %(created)d）") % {"total": report.records, "created": report.records_created},
            "  " + "；".join(
                f"{label} {report.statuses[value]}" for value, label in PublicationStatus.choices if report.statuses[value]
            ),
            _("宽限期届满发布 %(grace)d 条，公示期满停止公示 %(expired)d 条，登记义务履行 %(fulfilled)d 条")
            % {"grace": report.grace_ended, "expired": report.expired, "fulfilled": report.obligations_recorded},
        ]
        for line in lines:
            self.stdout.write(line)
        for username in report.users_mismatched:
            self.stderr.write(
                self.style.WARNING(_("用户 %(username)s 已存在且角色或归属与演示数据不同，未作修改。") % {"username": username})
            )
        if report.changed:
            self.stdout.write(self.style.SUCCESS(_("演示数据已载入。演示用户密码见 README。")))
        else:
            self.stdout.write(self.style.SUCCESS(_("演示数据已是最新，未作任何修改。")))
