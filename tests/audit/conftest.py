"""Fixtures for the audit tests.

Tampering tests must get past the append-only triggers first, the way an
attacker holding the database owner's rights would have to: ``DROP TRIGGER``
on SQLite, ``ALTER TABLE ... DISABLE TRIGGER`` on PostgreSQL. The hash chain
must still catch what they then change.
"""

import factory
import pytest
from django.contrib.auth import get_user_model

from tests.audit_support import append_only_lifted


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"auditor{n}")
    password = factory.django.Password("audit-pass-2026")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def tamper(db):
    """``tamper(sql, params)``: run raw SQL on the audit table past every protection."""

    def run(sql, params=()):
        with append_only_lifted() as cursor:
            cursor.execute(sql, params)

    return run


