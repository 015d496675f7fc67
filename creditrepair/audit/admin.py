"""Read-only admin for the audit log: nobody can add, change or delete events here."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("id", "at", "action", "actor_label", "target_type", "target_id", "subject_code", "authority")
    list_filter = ("action", ("at", admin.DateFieldListFilter))
    search_fields = ("=subject_code", "actor_label", "=target_id")
    date_hierarchy = "at"
    ordering = ("-id",)
    list_per_page = 50
    show_full_result_count = False
    actions = None
    fields = (
        "id",
        "at",
        "actor",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "subject_code",
        "authority",
        "data",
        "ip",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
