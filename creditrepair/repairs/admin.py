"""Cases change only through the services (status, flow and audit together): read-only here."""

from django.contrib import admin
from django.urls import reverse

from creditrepair.core.admin import PrivateFileAdmin, ReadOnlyAdmin
from creditrepair.workflow.admin import OwedDocumentsAdmin, OwedDocumentsFilter, StatusHistoryInline

from .models import RepairCase, RepairMaterial, RepairStatusChange


class HistoryInline(StatusHistoryInline):
    model = RepairStatusChange


@admin.register(RepairCase)
class RepairCaseAdmin(OwedDocumentsAdmin, ReadOnlyAdmin):
    list_display = ["case_no", "kind", "status", "subject", "record", "rule_set_code", "filed_at", "decided_at"]
    list_filter = ["status", "kind", "rule_set_code", OwedDocumentsFilter]
    search_fields = ["case_no", "subject__code", "subject__name", "record__decision_no"]
    exclude = ["query_code"]
    inlines = [HistoryInline]


@admin.register(RepairMaterial)
class RepairMaterialAdmin(PrivateFileAdmin, ReadOnlyAdmin):
    list_display = ["case", "kind", "original_name", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["case__case_no", "sha256"]

    def file_url(self, obj):
        return reverse("repairs:material", args=[obj.case_id, obj.pk])
