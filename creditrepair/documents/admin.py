from django.contrib import admin

from creditrepair.core.admin import ReadOnlyAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Read-only: documents are created by ``services.issue_document`` and never edited."""

    list_display = ("case_no", "kind", "subject_code", "issued_at", "signed", "sha256")
    list_filter = ("kind", "signed")
    search_fields = ("case_no", "subject_code", "sha256")
    date_hierarchy = "issued_at"
    readonly_fields = [field.name for field in Document._meta.fields]
