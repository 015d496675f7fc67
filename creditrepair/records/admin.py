from django.contrib import admin
from django.db import models

from creditrepair.core.admin import ReadOnlyAdmin, ReadOnlyFieldsAdmin, ReadOnlyInline

from .models import Partner, PartnerNotice, PublicationHistory, PunishmentMeasure, Record


class HistoryInline(ReadOnlyInline):
    model = PublicationHistory
    fields = ["at", "from_status", "to_status", "reason", "actor_label", "reference", "note"]
    readonly_fields = fields


@admin.register(Record)
class RecordAdmin(ReadOnlyFieldsAdmin):
    """Records change only through the services (history, audit, notices): read-only here."""

    list_display = ["decision_no", "subject", "department", "category", "severity", "status",
                    "objection_pending", "decision_date", "max_until"]
    list_filter = ["status", "category", "severity", "objection_pending", "department", "rule_set_code"]
    search_fields = ["decision_no", "subject__code", "subject__name"]
    date_hierarchy = "decision_date"
    list_select_related = ["subject", "department"]
    inlines = [HistoryInline]


@admin.register(PublicationHistory)
class PublicationHistoryAdmin(ReadOnlyAdmin):
    list_display = ["at", "record", "from_status", "to_status", "reason", "actor_label", "reference"]
    list_filter = ["reason", "to_status"]
    search_fields = ["record__decision_no", "record__subject__code", "reference", "actor_label"]
    list_select_related = ["record__subject"]


class MeasureInline(admin.TabularInline):
    model = PunishmentMeasure
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "webhook_url", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    inlines = [MeasureInline]
    # A webhook address typed without a scheme is an HTTPS one (pushes carry personal data).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(PartnerNotice)
class PartnerNoticeAdmin(ReadOnlyFieldsAdmin):
    list_display = ["id", "partner", "record", "reason", "to_status", "status", "attempts", "ack_due",
                    "acknowledged_at", "escalated_at"]
    # The operator's queue of escalated notices: ?escalated_at__isempty=0
    list_filter = ["status", ("escalated_at", admin.EmptyFieldListFilter), "partner", "reason"]
    search_fields = ["record__decision_no", "record__subject__code", "partner__name"]
    list_select_related = ["partner", "record"]
