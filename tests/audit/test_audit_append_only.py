"""Nothing in the application can change or remove an audit event."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from creditrepair.audit.models import AuditAppendOnlyError, AuditEvent
from creditrepair.audit.services import record_event, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(user):
    return record_event("record.published", actor=user, data={"k": "v"})


def test_saving_an_existing_event_is_refused(event):
    event.data = {"k": "changed"}
    with pytest.raises(AuditAppendOnlyError):
        event.save()
    fresh = AuditEvent.objects.get(pk=event.pk)
    with pytest.raises(AuditAppendOnlyError):
        fresh.save(update_fields=["data"])
    assert AuditEvent.objects.get(pk=event.pk).data == {"k": "v"}


def test_saving_a_copy_under_an_existing_id_cannot_overwrite_it(event):
    copy = AuditEvent(**{f.attname: getattr(event, f.attname) for f in AuditEvent._meta.concrete_fields})
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()  # always an INSERT: the id and hash are taken
    assert AuditEvent.objects.count() == 1


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AuditAppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.update(action="x.y")
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x.y")
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "record.published"


def test_rows_cannot_be_written_around_the_service(user, event):
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.create(at=event.at, actor_label="x", action="a.b", prev_hash=event.hash, hash="f" * 64)
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(at=event.at, actor_label="x", action="a.b")])
    assert AuditEvent.objects.count() == 1


def test_a_user_with_audit_events_cannot_be_deleted(user, event):
    with pytest.raises(ProtectedError):
        user.delete()


def test_the_database_trigger_blocks_a_raw_update(event):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["x.y", event.id])
    assert AuditEvent.objects.get(pk=event.pk).action == "record.published"


def test_the_database_trigger_blocks_a_raw_delete(event):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.id])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert verify_chain().ok
