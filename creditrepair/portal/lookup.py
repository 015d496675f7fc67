"""The public subject lookup shared by /lookup/ and the public API: what a code finds, and its audit trail."""

import re

from creditrepair.audit.services import client_ip, record_event
from creditrepair.core.errors import InvalidCode
from creditrepair.registry.models import SubjectType
from creditrepair.registry.services import subject_code_normalize

PUBLIC_LOOKUP = "public.lookup"

# Anything shaped like a resident ID number is never echoed back to the public.
ID_NUMBER_SHAPE = re.compile(r"^\d{17}[\dXx]$")


def is_resident_id(code: str) -> bool:
    """True when ``code`` is a valid resident ID number (a natural person), not a USCC."""
    try:
        subject_code_normalize(code, SubjectType.NATURAL_PERSON)
    except InvalidCode:
        return False
    return True


def may_echo(code: str) -> bool:
    """Whether a typed code may be shown back (never anything shaped like an ID number)."""
    return bool(code) and not ID_NUMBER_SHAPE.match(code.strip())


def audit_public_lookup(request, code: str, *, count: int, channel: str) -> None:
    """Log an anonymous lookup of a natural person's listings (domain §6: reads of personal data are logged).

    Only lookups by a resident ID number are logged (enterprises' records are
    public). ``count`` is how many listings the lookup found; ``channel`` is
    ``"web"`` or ``"api"``. The audit log is internal: it keeps the full number.
    """
    if not is_resident_id(code):
        return
    record_event(
        PUBLIC_LOOKUP,
        actor_label="anonymous",
        subject_code=code,
        authority="public:court_listing",
        data={"channel": channel, "listings": count},
        ip=client_ip(request),
    )
