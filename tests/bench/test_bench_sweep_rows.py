"""The set-based expiry sweep (one statement per batch on PostgreSQL, the ORM on SQLite) writes exactly the rows
``publication_change`` would: one history row per record, one notice per punishing partner, linked and due on time."""

import datetime as dt

from django.utils import timezone

from creditrepair.records.models import PartnerNotice, PublicationHistory, Record
from creditrepair.records.services import _ack_due, stop_expired_publications
from tests.factories import MeasureFactory


def test_sweep_batches_write_history_and_linked_notices_per_partner(dept_user, make_record):
    both = [MeasureFactory(category="admin_penalty").partner, MeasureFactory(category="admin_penalty").partner]
    serious_only = MeasureFactory(category="admin_penalty", severity="serious").partner
    today = dt.date.today()
    due = []
    for n in range(7):
        record = make_record(dept_user, severity="serious" if n % 2 else "general")
        Record.objects.filter(pk=record.pk).update(status="published", min_until=today - dt.timedelta(days=2),
                                                    max_until=today - dt.timedelta(days=1))
        due.append(record)
    kept = make_record(dept_user)
    Record.objects.filter(pk=kept.pk).update(status="published", min_until=today, max_until=today + dt.timedelta(days=1))

    result = stop_expired_publications(batch_size=3)  # 3 batches: 3 + 3 + 1

    assert (result.records, result.batches) == (7, 3)
    serious = [r for r in due if r.severity == "serious"]
    assert result.notices == 2 * len(due) + len(serious)
    ack_due = _ack_due(dept_user.department.jurisdiction or "000000", timezone.localdate(), {})
    for record in due:
        record.refresh_from_db()
        assert (record.status, record.publication_stopped_on) == ("expired", today)
        history = PublicationHistory.objects.get(record=record, reason="expiry")
        assert (history.from_status, history.to_status, history.actor_label) == ("published", "expired",
                                                                                 "system:expiry")
        notices = PartnerNotice.objects.filter(history=history)
        expected = {p.pk for p in both} | ({serious_only.pk} if record.severity == "serious" else set())
        assert {n.partner_id for n in notices} == expected
        assert all((n.record_id, n.from_status, n.to_status, n.reason, n.status) ==
                   (record.pk, "published", "expired", "expiry", "pending") for n in notices)
        assert {n.ack_due for n in notices} == {ack_due}
    kept.refresh_from_db()
    assert kept.status == "published" and not PublicationHistory.objects.filter(record=kept, reason="expiry").exists()
