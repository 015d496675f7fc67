from django.contrib import admin

from creditrepair.core.admin import PrivateFileAdmin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(PrivateFileAdmin):
    list_display = ("id", "original_name", "department", "actor", "status", "total_rows", "created", "skipped",
                    "created_at")
    list_filter = ("status", "department")
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
