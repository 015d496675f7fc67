"""Reads on records, scoped by who is asking."""

from django.db.models import Q

from creditrepair.accounts.models import Role

from .models import Category, PublicationStatus, PunishmentMeasure, Record


def records_visible_to(user):
    """The records a user may read: a subject its own, a department or court its own, the operator all."""
    qs = Record.objects.select_related("subject", "department")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.OPERATOR or (user.is_superuser and not user.role):
        return qs
    if user.role == Role.SUBJECT:
        return qs.filter(subject_id=user.subject_id)
    if user.role in (Role.DEPARTMENT, Role.COURT):
        return qs.filter(department_id=user.department_id)
    return qs.none()


def record_for_department(user, record_id):
    """A record the user's own department recognised (else None): who recognised it acts on it."""
    if user.role not in (Role.DEPARTMENT, Role.COURT):
        return None
    return Record.objects.select_related("subject", "department").filter(
        pk=record_id, department_id=user.department_id
    ).first()


def public_records_of_subject(subject_code: str):
    """What the public sees of a subject: its currently published records.

    Natural persons are never listed except court listings (masked by the caller). Only the public
    columns are read (``PUBLIC_RECORD_FIELDS``): the lookup is the platform's busiest query, and loading
    every column of three tables cost more than the query itself (docs/performance.md).
    """
    return (
        Record.objects.select_related("subject", "department")
        .only(*PUBLIC_RECORD_FIELDS)
        .filter(subject__code=subject_code, status=PublicationStatus.PUBLISHED)
        .filter(~Q(subject__type="natural_person") | Q(category=Category.COURT_DEBTOR))
        .order_by("-decision_date", "-id")
    )


# What the public lookup (page and API) shows of a record; any other column is loaded on access.
PUBLIC_RECORD_FIELDS = (
    "id", "category", "severity", "decision_no", "decision_date", "summary", "published_from", "min_until",
    "max_until", "objection_pending", "status", "subject__code", "subject__name", "subject__type",
    "department__name",
)


def measures_for(record: Record):
    """The joint-punishment measures applying to a record (its category and severity)."""
    return (
        PunishmentMeasure.objects.filter(active=True, partner__active=True, category=record.category)
        .filter(Q(severity="") | Q(severity=record.severity))
        .select_related("partner")
    )
