from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from creditrepair.core.admin import ReadOnlyFieldsAdmin, ReadOnlyInline

from .models import Deadline, OwesDocuments
from .owed import requeue_documents, stuck_cases


class StatusHistoryInline(ReadOnlyInline):
    """A case's status history (a ``StatusChange`` subclass: set ``model``) under the case."""

    fields = ["at", "from_status", "to_status", "actor_label", "note"]
    readonly_fields = fields


class OwedDocumentsFilter(admin.SimpleListFilter):
    """Cases still owed a PDF, and those the catch-up sweep gave up on (``workflow.owed``)."""

    title = _("文书出具")
    parameter_name = "documents"

    def lookups(self, request, model_admin):
        return [("owed", _("有待出具的文书")), ("stuck", _("出具受阻，已停止自动补发"))]

    def queryset(self, request, queryset):
        if self.value() == "owed":
            return queryset.filter(OwesDocuments.DOCUMENTS_DUE)
        if self.value() == "stuck":
            return stuck_cases(queryset)
        return queryset


class OwedDocumentsAdmin(admin.ModelAdmin):
    """For the admin of a case model that ``OwesDocuments``: the filter above and the action that gives the cases
    the sweep gave up on a new round, once the operator has mended the cause (a template, a key, the storage)."""

    actions = ["requeue_stuck_documents"]

    @admin.action(description=_("恢复自动补发受阻的文书"), permissions=["view"])
    def requeue_stuck_documents(self, request, queryset):
        count = requeue_documents(queryset, request.user)
        self.message_user(request, ngettext("%(count)d 个案件将由下一次巡检重新出具文书。",
                                            "%(count)d 个案件将由下一次巡检重新出具文书。", count) % {"count": count})


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyFieldsAdmin):
    list_display = ["case_no", "step", "responsible", "started_on", "due_on", "extended", "met_at",
                    "reminded_at", "escalated_at"]
    list_filter = ["step", "extended", "responsible"]
    search_fields = ["case_no"]
    date_hierarchy = "due_on"
