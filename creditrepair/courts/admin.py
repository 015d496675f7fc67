"""Read-mostly admin of the courts area (changes go through the services, the API and the court's pages)."""

from django.contrib import admin

from creditrepair.core.admin import OutgoingMailAdmin, ReadOnlyAdmin, ReadOnlyInline

from .models import (
    ConsumptionRestriction,
    CorrectionRequest,
    CourtListing,
    CourtSuspension,
    CreditorNotice,
    Instalment,
    InstalmentBreach,
)


class RestrictionInline(ReadOnlyInline):
    model = ConsumptionRestriction
    readonly_fields = ["measure", "applies_to", "person_name", "active", "final", "changed_at"]


class InstalmentInline(ReadOnlyInline):
    model = Instalment
    readonly_fields = ["number", "due_date", "amount", "paid_on", "paid_amount"]


@admin.register(CourtListing)
class CourtListingAdmin(ReadOnlyAdmin):
    list_display = ["court_case_no", "record", "ground", "creditor_name", "deleted_on", "deletion_ground"]
    list_filter = ["ground", "deletion_ground"]
    search_fields = ["court_case_no", "record__subject__name", "creditor_name"]
    inlines = [RestrictionInline]


@admin.register(CourtSuspension)
class CourtSuspensionAdmin(ReadOnlyAdmin):
    list_display = ["case_no", "subject", "court", "status", "agreement_no", "total_amount", "created_at"]
    list_filter = ["status"]
    search_fields = ["case_no", "agreement_no", "subject__name"]
    inlines = [InstalmentInline]


@admin.register(InstalmentBreach)
class InstalmentBreachAdmin(ReadOnlyAdmin):
    list_display = ["suspension", "instalment", "due_date", "detected_on", "auto_resumed"]


@admin.register(CreditorNotice)
class CreditorNoticeAdmin(OutgoingMailAdmin):
    list_display = ["suspension", "creditor_name", "email", *OutgoingMailAdmin.MAIL_COLUMNS]
    search_fields = ["suspension__case_no", "creditor_name"]


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ReadOnlyAdmin):
    list_display = ["case_no", "listing", "status", "filed_at"]
    list_filter = ["status"]
