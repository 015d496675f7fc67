"""The demo set-up refuses to run where demo users are forbidden, and never acts for the wrong department."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from creditrepair.records.models import Record
from creditrepair.registry.models import Department


def test_load_demo_refuses_when_demo_users_are_forbidden(db, settings):
    settings.REFUSE_DEMO_USERS = True
    with pytest.raises(CommandError, match="REFUSE_DEMO_USERS"):
        call_command("load_demo")
    assert not get_user_model().objects.filter(username__in=["operator", "amr", "ent1", "admin"]).exists()
    assert not Department.objects.exists() and not Record.objects.exists()


def test_load_demo_never_enters_records_in_the_name_of_a_user_of_another_department(db):
    from tests.factories import DepartmentFactory, department_user

    elsewhere = DepartmentFactory(code="elsewhere", name="别处的单位")
    department_user(elsewhere, username="amr")
    with pytest.raises(CommandError, match="amr"):
        call_command("load_demo")
    assert list(Department.objects.values_list("code", flat=True)) == ["elsewhere"]
    assert not Record.objects.exists()
