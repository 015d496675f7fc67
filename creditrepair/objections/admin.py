from django.contrib import admin

from .models import Objection, ObjectionEvidence, ObjectionStatusChange


class ReadOnlyAdmin(admin.ModelAdmin):
    """Objections change only through their services (history, audit, the record): read-only here."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class HistoryInline(admin.TabularInline):
    model = ObjectionStatusChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor_label", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["case_no", "subject", "record", "grounds", "status", "outcome", "review_outcome", "filed_at"]
    list_filter = ["status", "grounds", "outcome"]
    search_fields = ["case_no", "subject__code", "subject__name", "record__decision_no"]
    inlines = [HistoryInline]


@admin.register(ObjectionEvidence)
class ObjectionEvidenceAdmin(ReadOnlyAdmin):
    list_display = ["objection", "original_name", "content_type", "size", "sha256", "uploaded_at"]
    search_fields = ["objection__case_no", "sha256"]
