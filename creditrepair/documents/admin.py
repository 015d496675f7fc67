from django.contrib import admin
from django.urls import reverse

from creditrepair.core.admin import PrivateFileAdmin, ReadOnlyAdmin

from .models import Document

# The page download of a document, by the app and model of the case that owns it.
CASE_DOWNLOADS = {("repairs", "repaircase"): "repairs:document", ("objections", "objection"): "objections:document"}


@admin.register(Document)
class DocumentAdmin(PrivateFileAdmin, ReadOnlyAdmin):
    """Read-only: documents are created by ``services.issue_document`` and never edited."""

    list_display = ("case_no", "kind", "subject_code", "issued_at", "signed", "sha256")
    list_filter = ("kind", "signed")
    search_fields = ("case_no", "subject_code", "sha256")
    date_hierarchy = "issued_at"
    readonly_fields = [field.name for field in Document._meta.fields]

    def file_url(self, obj):
        owner = obj.owner_type and CASE_DOWNLOADS.get((obj.owner_type.app_label, obj.owner_type.model))
        return reverse(owner, args=[obj.owner_id, obj.pk]) if owner else None
