"""Read-only admin for the audit log: nobody can add, change or delete events here."""

from django.contrib import admin

from creditrepair.core.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
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
