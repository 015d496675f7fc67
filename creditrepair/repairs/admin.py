from django.contrib import admin

from .models import RepairCase, RepairMaterial, RepairStatusChange


class ReadOnlyAdmin(admin.ModelAdmin):
    """Cases change only through the services (status, flow and audit together)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryInline(admin.TabularInline):
    model = RepairStatusChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor_label", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RepairCase)
class RepairCaseAdmin(ReadOnlyAdmin):
    list_display = ["case_no", "kind", "status", "subject", "record", "rule_set_code", "filed_at", "decided_at"]
    list_filter = ["status", "kind", "rule_set_code"]
    search_fields = ["case_no", "subject__code", "subject__name", "record__decision_no"]
    exclude = ["query_code"]
    inlines = [HistoryInline]


@admin.register(RepairMaterial)
class RepairMaterialAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "original_name", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["case__case_no", "sha256"]
