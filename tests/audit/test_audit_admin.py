"""The admin shows the log and offers no way to add, change or delete an event."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from creditrepair.audit.models import AuditEvent
from creditrepair.audit.services import record_event

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.audit.audit_admin_urls")]


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(username="root", password="audit-pass-2026")


def test_even_a_superuser_may_not_add_change_or_delete_events(superuser):
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = superuser
    event = record_event("record.published", actor=superuser)
    assert model_admin.has_view_permission(request, event)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert not model_admin.get_actions(request)


def test_only_a_view_permission_exists_for_audit_events():
    from django.contrib.auth.models import Permission

    codenames = set(Permission.objects.filter(content_type__app_label="audit").values_list("codename", flat=True))
    assert codenames == {"view_auditevent"}


def test_the_changelist_filters_by_action_and_searches_by_subject(client, superuser):
    record_event("record.published", actor=superuser, subject_code="91510100MA61234567")
    record_event("repair.approved", actor=superuser, subject_code="91510100MA6XXXXXX0")
    client.force_login(superuser)
    page = client.get("/admin/audit/auditevent/", {"action": "repair.approved"})
    assert page.status_code == 200
    assert [e.action for e in page.context["cl"].result_list] == ["repair.approved"]
    page = client.get("/admin/audit/auditevent/", {"q": "91510100MA61234567"})
    assert [e.subject_code for e in page.context["cl"].result_list] == ["91510100MA61234567"]


def test_the_change_page_is_read_only_and_delete_is_forbidden(client, superuser):
    event = record_event("record.published", actor=superuser, data={"k": "v"})
    client.force_login(superuser)
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "x.y"}).status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "record.published"
