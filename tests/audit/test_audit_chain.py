"""The log is a hash chain and verify_chain reports its first broken link."""

import datetime
import hashlib
import json

import pytest

from creditrepair.audit.models import AuditEvent
from creditrepair.audit.services import record_event, verify_chain

pytestmark = pytest.mark.django_db

GENESIS = "0" * 64


def _events(user, n=5):
    events = []
    for i in range(n):
        if i % 2:
            events.append(record_event("record.expired", actor_label="system:expiry", target_type="records.record",
                                       target_id=str(100 + i), subject_code="91510100MA61234567"))
        else:
            events.append(record_event("repair.approved", actor=user, target=user, data={"step": i, "note": "同意修复"},
                                       ip="10.0.0.%d" % (i + 1)))
    return events


def test_a_chain_of_events_verifies(user):
    events = _events(user)
    report = verify_chain()
    assert report.ok is True
    assert report.checked == 5
    assert report.first_broken_id is None
    assert report.reason == ""
    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:]):
        assert after.prev_hash == before.hash
        assert after.id > before.id


def test_an_empty_log_verifies():
    assert verify_chain().ok is True
    assert verify_chain().checked == 0


def test_each_hash_is_sha256_over_the_canonical_json_of_content_and_prev_hash(user):
    event = record_event("record.published", actor=user, target_type="records.record", target_id="7",
                         subject_code="91510100MA61234567", authority="《条例》第十条",
                         data={"b": "乙", "a": [1, {"z": True, "y": None}]}, ip="192.0.2.1")
    stored = AuditEvent.objects.get(pk=event.pk)
    at = stored.at.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    expected_text = (
        '{"action":"record.published","actor_id":%d,"actor_label":"%s","at":"%s",'
        '"authority":"《条例》第十条","data":{"a":[1,{"y":null,"z":true}],"b":"乙"},"ip":"192.0.2.1",'
        '"prev_hash":"%s","subject_code":"91510100MA61234567","target_id":"7","target_type":"records.record"}'
    ) % (user.pk, user.username, at, GENESIS)
    assert json.loads(expected_text)  # well-formed
    assert stored.hash == hashlib.sha256(expected_text.encode("utf-8")).hexdigest()


def test_the_timestamp_is_aware_and_set_by_the_service(user):
    event = record_event("record.published", actor=user)
    assert event.at.tzinfo is not None
    assert AuditEvent.objects.get(pk=event.pk).at == event.at


def test_editing_an_events_data_is_detected_at_that_event(user, tamper):
    events = _events(user)
    tamper(f"UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"step": 2, "note": "驳回"}', events[2].id])
    report = verify_chain()
    assert report.ok is False
    assert report.first_broken_id == events[2].id
    assert report.checked == 2
    assert "篡改" in report.reason


def test_editing_a_column_other_than_data_is_detected(user, tamper):
    events = _events(user)
    tamper("UPDATE audit_auditevent SET subject_code = %s WHERE id = %s", ["X", events[3].id])
    assert verify_chain().first_broken_id == events[3].id


def test_editing_content_and_rehashing_it_breaks_the_next_link(user, tamper):
    events = _events(user)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.actor_label = "system:nobody"
    new_hash = forged.compute_hash()
    tamper("UPDATE audit_auditevent SET actor_label = %s, hash = %s WHERE id = %s",
           ["system:nobody", new_hash, events[1].id])
    report = verify_chain()
    assert report.first_broken_id == events[2].id
    assert "前一事件哈希不符" in report.reason


def test_deleting_a_middle_event_is_detected_at_the_next_one(user, tamper):
    events = _events(user)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].id])
    report = verify_chain()
    assert report.ok is False
    assert report.first_broken_id == events[3].id
    assert report.checked == 2
    assert "删除" in report.reason


def test_deleting_the_first_event_is_detected(user, tamper):
    events = _events(user)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[0].id])
    report = verify_chain()
    assert report.first_broken_id == events[1].id
    assert report.checked == 0


def test_swapping_two_events_is_detected(user, tamper):
    events = _events(user)
    a, b = events[1].id, events[2].id
    # Move row a out of the way, b into a's place, then a into b's place.
    tamper("UPDATE audit_auditevent SET id = %s WHERE id = %s", [10_000, a])
    tamper("UPDATE audit_auditevent SET id = %s WHERE id = %s", [a, b])
    tamper("UPDATE audit_auditevent SET id = %s WHERE id = %s", [b, 10_000])
    report = verify_chain()
    assert report.ok is False
    assert report.first_broken_id == a


def test_verification_reads_the_table_in_batches(user, django_assert_num_queries):
    _events(user, n=5)
    with django_assert_num_queries(3):  # 2 + 2 + 1 events; a short batch ends the walk
        report = verify_chain(batch_size=2)
    assert report.ok and report.checked == 5
    with django_assert_num_queries(1):
        assert verify_chain(batch_size=100).checked == 5


def test_a_break_after_a_batch_boundary_is_found(user, tamper):
    events = _events(user, n=5)
    tamper("UPDATE audit_auditevent SET authority = %s WHERE id = %s", ["伪造", events[4].id])
    report = verify_chain(batch_size=2)
    assert (report.ok, report.first_broken_id, report.checked) == (False, events[4].id, 4)
