"""``python manage.py restore_data BACKUP_DIR [--yes]``: restore a backup made by backup_data (see core.backup)."""

import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from creditrepair.core.backup import BackupError, backup_restore, read_manifest


class Command(BaseCommand):
    help = "Restore the database and MEDIA_ROOT from BACKUP_DIR, then verify the audit chain."

    def add_arguments(self, parser):
        parser.add_argument("backup_dir")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, backup_dir, yes, **options):
        try:
            manifest = read_manifest(backup_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        target = settings.DATABASES["default"]["NAME"]
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("refusing to overwrite the database without --yes")
            answer = input(f"Replace database {target} and {settings.MEDIA_ROOT} with the backup of "
                           f"{manifest['created_at']}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("cancelled")
        try:
            backup_restore(backup_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"restored {backup_dir} into {target} and {settings.MEDIA_ROOT}"))
        call_command("verify_audit_chain", stdout=self.stdout, stderr=self.stderr)
