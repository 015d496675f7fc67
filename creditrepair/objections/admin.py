"""Objections change only through their services (history, audit, the record): read-only here."""

from django.contrib import admin
from django.urls import reverse

from creditrepair.core.admin import OutgoingMailAdmin, PrivateFileAdmin, ReadOnlyFieldsAdmin
from creditrepair.workflow.admin import OwedDocumentsAdmin, OwedDocumentsFilter, StatusHistoryInline

from .models import ApplicantNotice, Objection, ObjectionEvidence, ObjectionStatusChange


class HistoryInline(StatusHistoryInline):
    model = ObjectionStatusChange


@admin.register(Objection)
class ObjectionAdmin(OwedDocumentsAdmin, ReadOnlyFieldsAdmin):
    list_display = ["case_no", "subject", "record", "grounds", "status", "outcome", "review_outcome", "filed_at"]
    list_filter = ["status", "grounds", "outcome", OwedDocumentsFilter]
    search_fields = ["case_no", "subject__code", "subject__name", "record__decision_no"]
    inlines = [HistoryInline]


@admin.register(ObjectionEvidence)
class ObjectionEvidenceAdmin(PrivateFileAdmin, ReadOnlyFieldsAdmin):
    list_display = ["objection", "original_name", "content_type", "size", "sha256", "uploaded_at"]
    search_fields = ["objection__case_no", "sha256"]

    def file_url(self, obj):
        return reverse("objections:evidence", args=[obj.objection_id, obj.pk])


@admin.register(ApplicantNotice)
class ApplicantNoticeAdmin(OutgoingMailAdmin):
    list_display = ["objection", "event", "emails", *OutgoingMailAdmin.MAIL_COLUMNS]
    search_fields = ["objection__case_no"]
