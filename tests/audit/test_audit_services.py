"""record_event, record_personal_data_read and client_ip."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import RequestFactory

from creditrepair.audit.models import AuditEvent
from creditrepair.audit.selectors import events_for_subject, events_for_target
from creditrepair.audit.services import client_ip, record_event, record_personal_data_read, verify_chain
from creditrepair.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_rolled_back_state_change_leaves_no_event(user):
    first = record_event("record.published", actor=user)
    with pytest.raises(Boom), transaction.atomic():
        record_event("record.repaired", actor=user)
        raise Boom
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["record.published"]
    after = record_event("record.repaired", actor=user)
    assert after.prev_hash == first.hash
    assert verify_chain().ok


def test_a_rolled_back_transaction_leaves_no_event_when_really_committed_apart(transactional_db):
    actor = get_user_model().objects.create_user(username="committer", password="audit-pass-2026")
    first = record_event("record.published", actor=actor)
    with pytest.raises(Boom), transaction.atomic():
        record_event("record.repaired", actor=actor)
        raise Boom
    assert AuditEvent.objects.count() == 1
    second = record_event("record.repaired", actor=actor)
    assert second.prev_hash == first.hash
    assert verify_chain().ok


def test_a_model_instance_target_is_stored_as_app_label_model_and_pk(user, other_user):
    event = record_event("accounts.role_changed", actor=user, target=other_user)
    assert (event.target_type, event.target_id) == ("accounts.user", str(other_user.pk))
    assert list(events_for_target(other_user)) == [event]


def test_the_actor_label_defaults_to_the_username(user):
    event = record_event("record.published", actor=user)
    assert (event.actor, event.actor_label) == (user, user.username)


def test_a_system_job_has_no_actor_but_must_name_itself():
    event = record_event("record.expired", actor_label="system:expiry", target_type="records.record", target_id="12")
    assert event.actor is None and event.actor_label == "system:expiry"
    with pytest.raises(InvalidInput):
        record_event("record.expired")


@pytest.mark.parametrize("action", ["", "published", "Record.Published", "record..published", "record.pub lished"])
def test_an_action_must_be_a_dotted_code(user, action):
    with pytest.raises(InvalidInput):
        record_event(action, actor=user)


def test_target_and_explicit_target_fields_are_exclusive(user):
    with pytest.raises(InvalidInput):
        record_event("record.published", actor=user, target=user, target_type="accounts.user")


def test_data_is_stored_in_canonical_json_types(user):
    when = datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    ref = uuid.UUID("12345678-1234-5678-1234-567812345678")
    event = record_event("record.published", actor=user, data={
        "when": when, "day": datetime.date(2026, 3, 1), "fine": Decimal("100.50"), "ref": ref, "tags": ("a", "b"),
    })
    expected = {"when": "2026-03-01T00:00:00.000000Z", "day": "2026-03-01", "fine": "100.50",
                "ref": str(ref), "tags": ["a", "b"]}
    assert event.data == expected
    assert AuditEvent.objects.get(pk=event.pk).data == expected
    assert verify_chain().ok


@pytest.mark.parametrize("data", [{"x": 1.5}, {"x": [{"y": 1e16}]}, {"x": object()}, ["not", "a", "dict"]])
def test_data_that_would_not_hash_stably_is_refused(user, data):
    with pytest.raises(InvalidInput):
        record_event("record.published", actor=user, data=data)
    assert not AuditEvent.objects.exists()


def test_overlong_fields_are_refused_on_every_database(user):
    with pytest.raises(InvalidInput):
        record_event("record.published", actor=user, subject_code="9" * 65)


def test_ip_addresses_are_stored_normalised(user):
    event = record_event("record.published", actor=user, ip="2001:DB8:0:0:0:0:0:1")
    assert event.ip == "2001:db8::1"
    assert AuditEvent.objects.get(pk=event.pk).ip == "2001:db8::1"
    assert verify_chain().ok
    with pytest.raises(InvalidInput):
        record_event("record.published", actor=user, ip="not-an-ip")


def test_a_personal_data_read_records_who_which_subject_and_on_what_authority(user):
    event = record_personal_data_read(
        actor=user, subject_code="510102199001011234", authority="异议处理：本人申请 YY-2026-000001",
        target=user, ip="198.51.100.7", purpose="核查身份信息",
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "personal_data.read"
    assert stored.actor == user and stored.actor_label == user.username
    assert stored.subject_code == "510102199001011234"
    assert stored.authority == "异议处理：本人申请 YY-2026-000001"
    assert stored.ip == "198.51.100.7"
    assert stored.data == {"purpose": "核查身份信息"}
    assert stored.at is not None
    assert list(events_for_subject("510102199001011234")) == [stored]


@pytest.mark.parametrize("missing", ["actor", "subject_code", "authority"])
def test_a_personal_data_read_without_who_subject_or_authority_is_refused(user, missing):
    kwargs = {"actor": user, "subject_code": "510102199001011234", "authority": "执法检查"}
    kwargs[missing] = None if missing == "actor" else ""
    with pytest.raises(InvalidInput):
        record_personal_data_read(**kwargs)
    assert not AuditEvent.objects.exists()


def test_client_ip_is_remote_addr_and_ignores_forwarded_for_by_default(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "10.1.2.3"
    settings.AUDIT_TRUST_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.1.2.3"


def test_client_ip_takes_the_address_our_proxy_appended_when_trusted(settings):
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    factory = RequestFactory()
    # The client forged the first entry; the proxy appended the real one.
    forged = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert client_ip(forged) == "203.0.113.9"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="garbage")) == "10.0.0.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="")) is None
