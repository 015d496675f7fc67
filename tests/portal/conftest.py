"""Fixtures of the public portal tests: a clean rate-limit cache, a person's court listing and cases of each kind."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import timezone

from creditrepair.courts import services as court_services
from creditrepair.courts.models import CourtSuspension, Instalment, SuspensionStatus, SuspensionStatusChange
from creditrepair.objections.models import Objection, ObjectionStatus, ObjectionStatusChange
from creditrepair.repairs.models import RepairCase, RepairStatus, RepairStatusChange
from creditrepair.workdays.services import add_working_days
from creditrepair.workflow.models import Deadline

from tests import factories

_serial = itertools.count(1)

PERSON_ID_PATTERN = r"(?<!\d)\d{17}[\dXx](?!\d)"


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    """Every test starts with empty rate-limit counters (DRF's and the pages')."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def court(db):
    return factories.CourtFactory(name="雅安市雨城区人民法院")


@pytest.fixture
def judge(court):
    return factories.court_user(court)


@pytest.fixture
def person(db):
    return factories.PersonFactory(name="王小明")


@pytest.fixture
def person_listing(judge, person):
    """A natural person's published dishonest-debtor listing, made through the court service."""
    n = next(_serial)
    court_services.court_listing_file(
        judge,
        subject={"code": person.code, "name": person.name, "type": person.type},
        decision_no=f"（2026）川1802执{n}号之一",
        decision_date=timezone.localdate() - dt.timedelta(days=30),
        summary="有履行能力而拒不履行生效法律文书确定的给付义务",
        court_case_no=f"（2026）川1802执{n}号",
        executing_basis="（2025）川1802民初88号民事判决书",
        obligation="支付货款 20000 元",
        ground="able_but_refuses",
        restrictions=[{"measure": "flights"}],
    )
    from creditrepair.records.models import Record

    return Record.objects.get(subject=person, category="court_debtor")


def _case_no(prefix):
    return f"{prefix}-2026-9{next(_serial):05d}"


def _history(model, case, statuses, start):
    previous = ""
    for i, status in enumerate(statuses):
        model.objects.create(case=case, from_status=previous, to_status=status, actor_label="test",
                             at=start + dt.timedelta(hours=i))
        previous = status


@pytest.fixture
def make_case(db):
    """Cases of each kind written directly (the public projection is what these tests prove)."""

    def make(kind, record, *, status=None, query_code="ABCD2345", deadline=None, responsible=None):
        now = timezone.now()
        common = dict(case_no=_case_no({"repair": "XF", "objection": "YY", "court_suspension": "ZX"}[kind]),
                      query_code=query_code, record=record, subject=record.subject,
                      rule_set_code=record.rule_set_code, filed_at=now)
        if kind == "repair":
            case = RepairCase.objects.create(statement="已履行", status=status or RepairStatus.ACCEPTED, **common)
            _history(RepairStatusChange, case, ["draft", "submitted", "accepted"][: 3], now)
        elif kind == "objection":
            case = Objection.objects.create(grounds="error", statement="信息有误",
                                            status=status or ObjectionStatus.ACCEPTED, **common)
            _history(ObjectionStatusChange, case, ["submitted", "accepted"], now)
        else:
            case = CourtSuspension.objects.create(court=record.department, agreement_no="HJ-1",
                                                  total_amount=Decimal("20000"), creditor_consent=True,
                                                  status=status or SuspensionStatus.ACTIVE, **common)
            Instalment.objects.create(suspension=case, number=1, due_date=timezone.localdate() + dt.timedelta(days=40),
                                      amount=Decimal("20000"))
            _history(SuspensionStatusChange, case, ["active"], now)
        if deadline:
            step, days = deadline
            start = timezone.localdate()
            Deadline.objects.create(case_type=ContentType.objects.get_for_model(type(case)), case_id=case.pk,
                                    case_no=case.case_no, step=step, responsible=responsible or record.department,
                                    started_on=start, limit_days=days, due_on=add_working_days(start, days))
        return case

    return make
