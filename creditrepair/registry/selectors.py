"""Reads on the registry, including the public masking of natural persons (domain §6)."""

from .models import Subject


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
    if subject.is_natural_person:
        return {"code": mask_id_number(subject.code), "name": mask_name(subject.name), "type": subject.type}
    return {"code": subject.code, "name": subject.name, "type": subject.type}
