"""The demo data, loaded once per test module into the empty test database and rolled back afterwards.

Loading ~300 records through the services takes seconds; doing it once per
module keeps the suite fast. Each test still runs in its own savepoint (the
``db`` fixture), so what a test changes is undone before the next one.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from creditrepair.records.models import Record
from creditrepair.registry.models import Department, Subject


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """``{"before": counts before loading, "output": the command's output}``."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            before = {
                "records": Record.objects.count(),
                "subjects": Subject.objects.count(),
                "departments": Department.objects.count(),
            }
            out = StringIO()
            call_command("load_demo", stdout=out)
            yield {"before": before, "output": out.getvalue()}
            transaction.set_rollback(True)
