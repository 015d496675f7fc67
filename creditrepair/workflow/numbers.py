"""Readable public case numbers, separate from primary keys, and random query codes."""

import secrets

from django.db import transaction
from django.utils import timezone

from .models import CaseNumberCounter

# No 0/O, 1/I/L: the query code is read aloud and typed from paper.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8


def next_case_no(prefix: str) -> str:
    """The next case number of ``prefix`` this year, e.g. ``XF-2026-000123`` (gap-free, race-safe)."""
    year = timezone.localdate().year
    with transaction.atomic():
        counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
