"""Helpers for the documents tests: external PDF tools and text normalisation."""

import shutil
import subprocess

import pytest
from django.utils import timezone

CASE_NO = "XF-2026-000123"


def run_tool(*args, input_bytes=None) -> str:
    """Run a poppler/zbar tool; fail (not skip) when it is missing: the project needs it."""
    if shutil.which(args[0]) is None:
        pytest.fail(f"{args[0]} is not installed (apt-get install poppler-utils zbar-tools)")
    result = subprocess.run(args, input=input_bytes, capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8", errors="replace")


def squeeze(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines anywhere."""
    return "".join(text.split())


def fake_header(kind, **overrides) -> dict:
    """The ``doc`` part of a template context, as issue_document builds it (for HTML-only checks)."""
    return {
        "id": "0b7e3d0e-35ad-4d1a-9f5b-3a0b1c2d4e5f",
        "kind": kind.value,
        "kind_label": str(kind.label),
        "title": str(kind.label),
        "case_no": CASE_NO,
        "subject_code": "91511800MA62X0Q12T",
        "issued_at": timezone.now(),
        "verify_url": "https://example.test/verify/0b7e3d0e-35ad-4d1a-9f5b-3a0b1c2d4e5f/",
        "qr_data_uri": "data:image/png;base64,AAAA",
        "platform_name": "信用雅安",
        **overrides,
    }
