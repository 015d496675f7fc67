"""``python manage.py load_rules``: validate the rule-set files and upsert them (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from creditrepair.rules.loader import load_rules
from creditrepair.rules.schema import RuleSetInvalid


class Command(BaseCommand):
    help = "Validate the rule-set TOML files (settings.RULES_DIR) and upsert them by code; reports what changed."

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", type=Path, default=None, help="Directory of *.toml files (default: settings.RULES_DIR).")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument(
            "--prune", action="store_true", help="Delete rule sets whose file is gone (refused if records use them)."
        )

    def handle(self, *args, directory=None, database="default", prune=False, verbosity=1, **options):
        try:
            report = load_rules(directory, using=database, prune=prune)
        except RuleSetInvalid as exc:
            raise CommandError(f"Rule sets not loaded, nothing changed:\n{exc}") from None
        for label, codes, style in (
            ("created", report.created, self.style.SUCCESS),
            ("updated", report.updated, self.style.SUCCESS),
            ("deleted (no file)", report.pruned, self.style.WARNING),
        ):
            for code in codes:
                self.stdout.write(style(f"{label}: {code}"))
        if verbosity >= 2:
            for code in report.unchanged:
                self.stdout.write(f"unchanged: {code}")
        for code in report.stale:
            self.stdout.write(self.style.WARNING(f"in the database but no longer in a file (use --prune to delete): {code}"))
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, {len(report.unchanged)} unchanged"
            + (f", {len(report.pruned)} deleted" if report.pruned else "")
            + (f", {len(report.stale)} without a file" if report.stale else "")
            + "."
        )
