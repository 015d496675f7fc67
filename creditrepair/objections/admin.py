"""Objections change only through their services (history, audit, the record): read-only here."""

from django.contrib import admin

from creditrepair.core.admin import ReadOnlyFieldsAdmin
from creditrepair.workflow.admin import StatusHistoryInline

from .models import Objection, ObjectionEvidence, ObjectionStatusChange


class HistoryInline(StatusHistoryInline):
    model = ObjectionStatusChange


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyFieldsAdmin):
    list_display = ["case_no", "subject", "record", "grounds", "status", "outcome", "review_outcome", "filed_at"]
    list_filter = ["status", "grounds", "outcome"]
    search_fields = ["case_no", "subject__code", "subject__name", "record__decision_no"]
    inlines = [HistoryInline]


@admin.register(ObjectionEvidence)
class ObjectionEvidenceAdmin(ReadOnlyFieldsAdmin):
    list_display = ["objection", "original_name", "content_type", "size", "sha256", "uploaded_at"]
    search_fields = ["objection__case_no", "sha256"]
