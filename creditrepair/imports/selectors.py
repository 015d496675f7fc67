"""Reads on import jobs, scoped to the caller's department."""

from creditrepair.accounts.models import Role

from .models import ImportJob


def may_import(user) -> bool:
    """Department and court staff import records for their own department."""
    return user.is_authenticated and user.role in (Role.DEPARTMENT, Role.COURT) and user.department_id is not None


def jobs_of_department(user):
    """The import jobs of the user's department, newest first (none for anyone else)."""
    if not may_import(user):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(department_id=user.department_id).select_related("actor")


def job_for_user(user, job_id):
    """One job of the user's department, or None (another department's job does not exist for it)."""
    return jobs_of_department(user).filter(pk=job_id).first()
