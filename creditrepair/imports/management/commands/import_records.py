"""python manage.py import_records FILE --user USERNAME — import a CSV/XLSX file of records, all or nothing.

Prints the summary, or every error (row, column, message) and exits with status 1.
A progress bar is shown on a terminal.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from creditrepair.core.errors import DomainError
from creditrepair.imports.columns import BY_KEY
from creditrepair.imports.services import IMPORTING, import_records


class Command(BaseCommand):
    help = _("从 CSV 或 Excel（.xlsx）文件批量导入失信记录：全部导入或全部不导入；重复导入不产生重复记录。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("CSV 或 .xlsx 文件"))
        parser.add_argument("--user", required=True, help=_("以该认定单位或法院工作人员的名义导入"))

    def handle(self, *args, file, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": file}, returncode=1)
        actor = get_user_model().objects.filter(username=user).select_related("department").first()
        if actor is None:
            raise CommandError(_("用户不存在：%(user)s") % {"user": user}, returncode=1)

        interactive = sys.stdout.isatty() and options.get("verbosity", 1) > 0
        bar = tqdm(total=0, disable=not interactive, unit=_("行"), desc=_("校验"))
        stage = {"name": None}

        def progress(name, done, total):
            if stage["name"] != name:
                stage["name"] = name
                bar.reset(total=total)
                bar.set_description(_("写入") if name == IMPORTING else _("校验"))
            bar.update(done - bar.n)

        try:
            report = import_records(actor, path, progress=progress)
        except DomainError as exc:
            raise CommandError(str(exc.message), returncode=1) from None
        finally:
            bar.close()

        if report.errors:
            for e in report.errors:
                column = BY_KEY[e["field"]].label + f"（{e['field']}）" if e["field"] in BY_KEY else (e["field"] or "—")
                row = _("第 %(row)s 行") % {"row": e["row"]} if e["row"] is not None else _("文件")
                self.stderr.write(f"{row}  {column}：{e['message']}")
            raise CommandError(
                _("发现 %(n)d 处错误，未导入任何记录（共 %(rows)d 行数据）。") % {
                    "n": len(report.errors), "rows": report.total_rows},
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(
            _("导入完成：共 %(rows)d 行数据，新增 %(created)d 条记录，%(skipped)d 条已存在而跳过。") % {
                "rows": report.total_rows, "created": report.created, "skipped": report.skipped_existing}
        ))
