"""Load the rule sets into every freshly migrated (or flushed) database."""

import logging
from pathlib import Path

from django.conf import settings

from .loader import load_rules

logger = logging.getLogger(__name__)


def load_rules_after_migrate(sender, *, using, apps=None, verbosity=1, **kwargs):
    """``post_migrate`` receiver: upsert the files of ``settings.RULES_DIR`` (a bad file stops the migrate)."""
    try:
        model = apps.get_model("rules", "RuleSet") if apps is not None else None
    except LookupError:
        return  # migrated back to zero: there is no table to fill
    directory = Path(settings.RULES_DIR)
    if not directory.is_dir():
        logger.warning("Rules directory %s does not exist; no rule sets loaded.", directory)
        return
    report = load_rules(directory, using=using, model=model)
    stdout = kwargs.get("stdout")
    if verbosity >= 1 and stdout is not None and (report.changed or report.stale):
        stdout.write(
            f"  Rule sets from {directory}: created {report.created or '-'}, updated {report.updated or '-'}, "
            f"unchanged {len(report.unchanged)}; in the database without a file: {report.stale or '-'}\n"
        )
