"""The publication state machine: every allowed and every forbidden edge of the table."""

import itertools

import pytest

from creditrepair.audit.models import AuditEvent
from creditrepair.core.errors import InvalidTransition
from creditrepair.records.models import PartnerNotice, PublicationHistory, PublicationStatus, Record
from creditrepair.records.services import publication_change
from creditrepair.records.transitions import TRANSITIONS, Reason
from tests.factories import MeasureFactory

EDGES = [
    (reason, status, status in sources, target)
    for reason, (sources, target) in TRANSITIONS.items()
    for status in PublicationStatus.values
]


@pytest.mark.parametrize("reason,status,allowed,target", EDGES, ids=[f"{r}:{s}" for r, s, *_ in EDGES])
def test_every_edge_of_the_table(dept_user, make_record, reason, status, allowed, target):
    record = make_record(dept_user)
    Record.objects.filter(pk=record.pk).update(status=status)  # put the record in the edge's source state
    record.refresh_from_db()
    history_before = PublicationHistory.objects.filter(record=record).count()
    if allowed:
        history = publication_change(record, reason=reason, actor=dept_user, note="test")
        record.refresh_from_db()
        assert record.status == target
        assert (history.from_status, history.to_status, history.reason) == (status, target, reason)
    else:
        with pytest.raises(InvalidTransition) as exc:
            publication_change(record, reason=reason, actor=dept_user)
        assert exc.value.code == "invalid_transition"
        record.refresh_from_db()
        assert record.status == status
        assert PublicationHistory.objects.filter(record=record).count() == history_before


def test_the_table_never_leaves_removed():
    assert all(PublicationStatus.REMOVED not in sources for sources, _ in TRANSITIONS.values())


def test_a_change_writes_history_audit_and_one_notice_per_partner(dept_user, make_record):
    partners = [MeasureFactory(category="admin_penalty").partner for _ in range(3)]
    MeasureFactory(category="court_debtor")  # a partner punishing another category is not told
    record = make_record(dept_user)
    history = publication_change(record, reason=Reason.REPAIR, actor=dept_user, reference="XF-2026-000001")
    assert history.actor == dept_user and history.reference == "XF-2026-000001"
    notices = PartnerNotice.objects.filter(history=history)
    assert sorted(n.partner_id for n in notices) == sorted(p.id for p in partners)
    assert {n.to_status for n in notices} == {"repaired"}
    event = AuditEvent.objects.filter(action="record.publication_changed", target_id=str(record.pk)).get()
    assert event.data["reason"] == "repair" and event.data["notices"] == 3


def test_a_partner_measure_limited_to_serious_records_ignores_general_ones(dept_user, make_record):
    MeasureFactory(category="admin_penalty", severity="serious")
    record = make_record(dept_user, severity="general")
    history = publication_change(record, reason=Reason.REPAIR, actor=dept_user)
    assert not PartnerNotice.objects.filter(history=history).exists()


def test_resuming_publication_restores_the_remaining_period(dept_user, make_record, time_machine_days):
    record = make_record(dept_user)
    max_before = record.max_until
    publication_change(record, reason=Reason.REPAIR, actor=dept_user)
    with time_machine_days(30):
        publication_change(record, reason=Reason.REPAIR_REVOKED, actor=dept_user)
    record.refresh_from_db()
    assert record.status == "published"
    assert (record.max_until - max_before).days == 30


def test_history_rows_cannot_be_changed_or_deleted(dept_user, make_record):
    record = make_record(dept_user)
    row = record.history.get()
    row.note = "rewritten"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()


def test_stopping_and_resuming_reasons_partition_the_table():
    from creditrepair.records.transitions import RESUMING, STOPPING

    assert not (RESUMING & STOPPING)
    assert set(itertools.chain(RESUMING, STOPPING)) == set(TRANSITIONS)
