from django.contrib import admin

from .models import Partner, PartnerNotice, PublicationHistory, PunishmentMeasure, Record


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HistoryInline(ReadOnlyInline):
    model = PublicationHistory
    fields = ["at", "from_status", "to_status", "reason", "actor_label", "reference", "note"]
    readonly_fields = fields


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    """Records change only through the services (history, audit, notices): read-only here."""

    list_display = ["decision_no", "subject", "department", "category", "severity", "status",
                    "objection_pending", "decision_date", "max_until"]
    list_filter = ["status", "category", "severity", "objection_pending", "department", "rule_set_code"]
    search_fields = ["decision_no", "subject__code", "subject__name"]
    date_hierarchy = "decision_date"
    list_select_related = ["subject", "department"]
    inlines = [HistoryInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicationHistory)
class PublicationHistoryAdmin(admin.ModelAdmin):
    list_display = ["at", "record", "from_status", "to_status", "reason", "actor_label", "reference"]
    list_filter = ["reason", "to_status"]
    search_fields = ["record__decision_no", "record__subject__code", "reference", "actor_label"]
    list_select_related = ["record__subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeasureInline(admin.TabularInline):
    model = PunishmentMeasure
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "webhook_url", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    inlines = [MeasureInline]


@admin.register(PartnerNotice)
class PartnerNoticeAdmin(admin.ModelAdmin):
    list_display = ["id", "partner", "record", "reason", "to_status", "status", "attempts", "ack_due",
                    "acknowledged_at", "escalated_at"]
    # The operator's queue of escalated notices: ?escalated_at__isempty=0
    list_filter = ["status", ("escalated_at", admin.EmptyFieldListFilter), "partner", "reason"]
    search_fields = ["record__decision_no", "record__subject__code", "partner__name"]
    list_select_related = ["partner", "record"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
