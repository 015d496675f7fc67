"""Two instalment watches at the same moment (two beat workers): still one breach and one notice."""

import datetime as dt
import threading

import pytest
from django.db import connection

from creditrepair.courts import services
from creditrepair.courts.models import CreditorNotice, InstalmentBreach

pytestmark = [pytest.mark.postgres]


def test_concurrent_watches_write_one_breach_and_one_notice(transactional_db, judge, make_listing, suspend, at_date):
    listing = make_listing(judge, decided=dt.date(2026, 10, 1))
    with at_date(dt.date(2026, 12, 1)):
        case = suspend(judge, listing.record, due_dates=[dt.date(2026, 12, 10)])
    day = dt.date(2026, 12, 21)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(services.watch_instalments(day))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.breaches for r in results) == [0, 1]
    assert InstalmentBreach.objects.filter(suspension=case).count() == 1
    assert CreditorNotice.objects.filter(suspension=case).count() == 1
    case.refresh_from_db()
    assert case.status == "breach"
