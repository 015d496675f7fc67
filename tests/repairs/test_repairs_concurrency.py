"""Row locks under real concurrency (PostgreSQL): one case per record, one approval per case."""

import threading

import pytest
from django.db import connection

from creditrepair.core.errors import DomainError
from creditrepair.records.models import PublicationHistory
from creditrepair.repairs import services
from creditrepair.repairs.models import RepairCase

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*calls):
    """Run the calls at the same moment in threads; return each one's result or DomainError code."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except DomainError as exc:
            outcomes[i] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_two_simultaneous_filings_on_one_record_make_one_case(ent_user, repairable_record):
    record = repairable_record()
    outcomes = race(lambda: services.repair_file(ent_user, record, "甲"),
                    lambda: services.repair_file(ent_user, record, "乙"))
    assert sorted(o if isinstance(o, str) else "case" for o in outcomes) == ["case", "duplicate_case"]
    assert RepairCase.objects.filter(record=record).count() == 1


def test_two_simultaneous_approvals_stop_publication_once(ent_user, operator, dept_user, repairable_record, walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    outcomes = race(lambda: services.repair_approve(dept_user, case, "同意"),
                    lambda: services.repair_approve(dept_user, case, "同意"))
    assert sorted(o if isinstance(o, str) else "done" for o in outcomes) == ["done", "invalid_transition"]
    assert PublicationHistory.objects.filter(reference=case.case_no, reason="repair").count() == 1
    case.refresh_from_db()
    assert case.status == "completed"
