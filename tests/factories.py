"""factory_boy factories shared by every test area."""

import itertools

import factory
from django.conf import settings
from stdnum.cn import ric, uscc

from creditrepair.accounts.models import Role, User
from creditrepair.records.models import Partner, PunishmentMeasure
from creditrepair.registry.models import Department, DepartmentKind, Subject, SubjectType

_serial = itertools.count(1)


def valid_uscc(prefix="91511800", serial=None):
    """A unified social credit code with a correct check digit (GB 32100)."""
    body = f"{prefix}MA{(serial or next(_serial)) % 10_000_000:07d}"
    return body + uscc.calc_check_digit(body)


def valid_resident_id(birth="19850312", serial=None):
    """A resident ID number issued in Ya'an (513101 until 2000) with a correct check digit (GB 11643)."""
    body = f"513101{birth}{(serial or next(_serial)) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ["code"]

    code = factory.LazyFunction(valid_uscc)
    name = factory.Sequence(lambda n: f"雅安测试{n}有限公司")
    type = SubjectType.LEGAL_PERSON


class PersonFactory(SubjectFactory):
    code = factory.LazyFunction(valid_resident_id)
    name = factory.Sequence(lambda n: f"王测{n}")
    type = SubjectType.NATURAL_PERSON


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"雅安市第{n}局")
    kind = DepartmentKind.ADMINISTRATIVE
    jurisdiction = "510100"  # national rules; Ya'an (511800) has its local rule set


class CourtFactory(DepartmentFactory):
    code = factory.Sequence(lambda n: f"court-{n}")
    name = factory.Sequence(lambda n: f"雅安市第{n}人民法院")
    kind = DepartmentKind.COURT


class OperatorDepartmentFactory(DepartmentFactory):
    code = factory.Sequence(lambda n: f"op-{n}")
    name = "信用雅安"
    kind = DepartmentKind.OPERATOR


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", settings.DEMO_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def subject_user(subject=None, **kw):
    return UserFactory(role=Role.SUBJECT, subject=subject or SubjectFactory(), **kw)


def department_user(department=None, **kw):
    return UserFactory(role=Role.DEPARTMENT, department=department or DepartmentFactory(), **kw)


def court_user(court=None, **kw):
    return UserFactory(role=Role.COURT, department=court or CourtFactory(), **kw)


def operator_user(**kw):
    return UserFactory(role=Role.OPERATOR, department=OperatorDepartmentFactory(), **kw)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    code = factory.Sequence(lambda n: f"partner-{n}")
    name = factory.Sequence(lambda n: f"联合惩戒单位{n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PunishmentMeasure

    partner = factory.SubFactory(PartnerFactory)
    category = "admin_penalty"
    severity = ""
    description = "限制参与政府采购"
