from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are created by ``services.issue_document`` and never edited."""

    list_display = ("case_no", "kind", "subject_code", "issued_at", "signed", "sha256")
    list_filter = ("kind", "signed")
    search_fields = ("case_no", "subject_code", "sha256")
    date_hierarchy = "issued_at"
    readonly_fields = [field.name for field in Document._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
