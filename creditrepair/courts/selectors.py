"""Reads of the courts area, scoped to the court (department) of the user asking."""

from django.db.models import Q

from creditrepair.accounts.models import Role
from creditrepair.workflow import gateway

from .models import CorrectionRequest, CourtListing, CourtSuspension, SuspensionStatus


def _is_court(user):
    return user.is_authenticated and user.role == Role.COURT and user.department_id is not None


def listings_of_court(user):
    """The listings of the user's own court (newest first)."""
    if not _is_court(user):
        return CourtListing.objects.none()
    return (CourtListing.objects.select_related("record", "record__subject", "record__department")
            .prefetch_related("restrictions").filter(record__department_id=user.department_id).order_by("-id"))


def listing_for_court(user, pk):
    return listings_of_court(user).filter(pk=pk).first()


def listing_for_debtor_or_court(user, pk):
    """A listing its debtor (the subject's user) or its court may act on, else None."""
    qs = CourtListing.objects.select_related("record", "record__subject", "record__department")
    if user.role == Role.SUBJECT:
        return qs.filter(pk=pk, record__subject_id=user.subject_id).first()
    return listing_for_court(user, pk)


def suspensions_of_court(user):
    if not _is_court(user):
        return CourtSuspension.objects.none()
    return (CourtSuspension.objects.select_related("record", "subject", "court", "commitment_document")
            .prefetch_related("instalments", "history").filter(court_id=user.department_id).order_by("-id"))


def suspension_for_court(user, pk):
    return suspensions_of_court(user).filter(pk=pk).first()


def breach_tasks_of_court(user):
    """Suspensions waiting for the court's decision on a missed instalment."""
    return suspensions_of_court(user).filter(status=SuspensionStatus.BREACH)


def suspension_of_record(record):
    """The latest suspension of a record (or None)."""
    return CourtSuspension.objects.filter(record=record).order_by("-id").first()


def correction_visible_to(user, pk):
    """A correction request: its debtor, the listing court, or the higher court (复议)."""
    qs = CorrectionRequest.objects.select_related("listing", "record", "record__department", "subject")
    if not user.is_authenticated:
        return None
    if user.role == Role.SUBJECT:
        return qs.filter(pk=pk, subject_id=user.subject_id).first()
    if user.role == Role.COURT:
        return qs.filter(pk=pk).filter(
            Q(record__department_id=user.department_id) | Q(record__department__parent_id=user.department_id)
        ).first()
    return None


def corrections_of_court(user):
    if not _is_court(user):
        return CorrectionRequest.objects.none()
    return CorrectionRequest.objects.select_related("listing", "subject").filter(
        Q(record__department_id=user.department_id) | Q(record__department__parent_id=user.department_id)
    ).order_by("-id")


def pending_steps_of(case) -> list[str]:
    return gateway.pending_steps(case)
