"""Reads on the registry, including the public masking of natural persons (domain §6)."""

from .models import Subject, SubjectType


def mask_name(name: str) -> str:
    """A natural person's name as the public sees it: surname + "*"."""
    return f"{name[:1]}*" if name else ""


def mask_id_number(code: str) -> str:
    """A resident ID number as the public sees it: first 4 and last 4 characters."""
    if len(code) <= 8:
        return "*" * len(code)
    return code[:4] + "*" * (len(code) - 8) + code[-4:]


def subject_public_view(subject: Subject) -> dict:
    """The public projection of a subject: enterprises in full, persons masked."""
    return public_subject(subject.code, subject.name, subject.type)


def public_subject(code: str, name: str, subject_type: str) -> dict:
    """The public projection of a subject's columns (as read by a ``.values()`` query): persons masked."""
    if subject_type == SubjectType.NATURAL_PERSON:
        return {"code": mask_id_number(code), "name": mask_name(name), "type": subject_type}
    return {"code": code, "name": name, "type": subject_type}


def operator_department_for(jurisdiction: str):
    """The platform operator department (信用办/信用中心) responsible for cases in ``jurisdiction``.

    The operator whose own jurisdiction covers it most specifically ("511800"
    covers "5118xx"), else any operator department; None when none is set up.
    """
    from .models import Department, DepartmentKind

    operators = list(Department.objects.filter(kind=DepartmentKind.OPERATOR).order_by("id"))
    best, best_len = None, -1
    for department in operators:
        prefix = department.jurisdiction or ""
        while prefix.endswith("00"):
            prefix = prefix[:-2]
        if jurisdiction.startswith(prefix) and len(prefix) > best_len:
            best, best_len = department, len(prefix)
    return best or (operators[0] if operators else None)
