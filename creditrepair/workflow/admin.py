from django.contrib import admin

from creditrepair.core.admin import ReadOnlyFieldsAdmin, ReadOnlyInline

from .models import Deadline


class StatusHistoryInline(ReadOnlyInline):
    """A case's status history (a ``StatusChange`` subclass: set ``model``) under the case."""

    fields = ["at", "from_status", "to_status", "actor_label", "note"]
    readonly_fields = fields


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyFieldsAdmin):
    list_display = ["case_no", "step", "responsible", "started_on", "due_on", "extended", "met_at",
                    "reminded_at", "escalated_at"]
    list_filter = ["step", "extended", "responsible"]
    search_fields = ["case_no"]
    date_hierarchy = "due_on"
