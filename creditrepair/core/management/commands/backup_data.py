"""``python manage.py backup_data [--dest backups]``: back up the database and MEDIA_ROOT (see core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from creditrepair.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc, or a consistent SQLite copy) and MEDIA_ROOT into <dest>/<timestamp>/."

    def add_arguments(self, parser):
        parser.add_argument("--dest", default="backups", help="folder that receives the backup (default: backups)")

    def handle(self, *args, dest, **options):
        try:
            folder = backup_create(dest)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"backup written to {folder}"))
        # The last line is the folder alone, for scripts.
        self.stdout.write(str(folder))
