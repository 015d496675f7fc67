"""Reads on objections, scoped by who is asking, and what each role may do next."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from creditrepair.accounts.models import Role
from creditrepair.registry.models import Department, DepartmentKind
from creditrepair.rules.selectors import rule_set_by_code
from creditrepair.workdays.services import deadline_for

from .models import Objection, ObjectionStatus

S = ObjectionStatus

# The record fields an objection may correct; everything else (subject, department, status) is not
# the objection's to change. A change of the last four recomputes the publicity window.
CORRECTABLE_FIELDS = ("summary", "legal_basis", "obligations", "decision_no", "decision_date", "severity",
                      "category", "sector")
WINDOW_FIELDS = ("decision_date", "severity", "category", "sector")


def objections_visible_to(user):
    """A subject sees its own objections, a department those about its records, the operator all."""
    qs = Objection.objects.select_related("record", "record__department", "subject")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.OPERATOR or (user.is_superuser and not user.role):
        return qs
    if user.role == Role.SUBJECT:
        return qs.filter(subject_id=user.subject_id)
    if user.role in (Role.DEPARTMENT, Role.COURT):
        return qs.filter(record__department_id=user.department_id)
    return qs.none()


def platform_department(record=None):
    """The operator's department, responsible for intake, the platform check and review.

    Falls back to the record's department only where no operator department is registered yet.
    """
    operator = Department.objects.filter(kind=DepartmentKind.OPERATOR).order_by("id").first()
    return operator or (record.department if record is not None else None)


def review_request_until(case: Objection) -> date:
    """The last day on which the subject may request 复核: ``objection_review`` after the answer."""
    resolved_on = timezone.localdate(case.decided_at) if case.decided_at else timezone.localdate()
    return deadline_for(resolved_on, rule_set_by_code(case.rule_set_code).limit("objection_review"))


def actions_for(user, case: Objection) -> list[str]:
    """The actions ``user`` may take on ``case`` now (drives the pages' forms)."""
    if not user.is_authenticated:
        return []
    actions = []
    if user.role == Role.SUBJECT and user.subject_id == case.subject_id:
        if case.status in (S.SUBMITTED, S.ACCEPTED, S.VERIFYING):
            actions.append("evidence")
        if case.status == S.RESOLVED and timezone.localdate() <= review_request_until(case):
            actions.append("review")
    elif user.role == Role.OPERATOR:
        if case.status == S.SUBMITTED:
            actions += ["accept", "refuse", "platform_check"]
        if case.status == S.UNDER_REVIEW:
            actions.append("review_decision")
    elif user.role in (Role.DEPARTMENT, Role.COURT) and user.department_id == case.record.department_id:
        if case.status == S.VERIFYING:
            actions += ["extend", "resolve"]
    return actions


def staff_queue(user):
    """The cases a staff member may act on now: intake and review for the operator, verification for departments."""
    qs = objections_visible_to(user)
    if user.role == Role.OPERATOR:
        return qs.filter(Q(status=S.SUBMITTED) | Q(status=S.UNDER_REVIEW))
    if user.role in (Role.DEPARTMENT, Role.COURT):
        return qs.filter(status=S.VERIFYING)
    return qs.none()
