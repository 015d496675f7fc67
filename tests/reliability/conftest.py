"""Fixtures of the reliability tests: the repair fixtures (fast PDFs, a repairable record, ``walk``), a court
with its listings, and partners."""

import pytest

from tests.courts.conftest import court, judge, make_listing  # noqa: F401  (re-exported fixtures)
from tests.factories import MeasureFactory
from tests.repairs.conftest import (  # noqa: F401  (re-exported fixtures)
    _rendered_once,
    fast_pdf,
    platform_operator,
    repairable_record,
    repairs_signing_folder,
    walk,
)


@pytest.fixture
def partners(db):
    """Three joint-punishment partners that punish administrative penalties (pull partners: no webhook)."""
    return [MeasureFactory(category="admin_penalty").partner for _ in range(3)]
