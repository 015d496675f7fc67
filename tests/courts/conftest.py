"""Fixtures of the courts tests: a court with its staff, listings and suspensions made through the services."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from creditrepair.courts import services
from tests import factories

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch, request):
    """Signing a PDF per suspension is slow; tests that need the document ask for the ``real_pdf`` fixture."""
    if "real_pdf" in request.fixturenames:
        return
    from creditrepair.courts import tasks

    monkeypatch.setattr(tasks.issue_commitment, "delay", lambda *a, **k: None)


@pytest.fixture
def real_pdf():
    """Generate the signed commitment PDF for real in this test."""
    return True


@pytest.fixture
def court(db):
    higher = factories.CourtFactory(name="雅安市中级人民法院")
    return factories.CourtFactory(name="雅安市雨城区人民法院", parent=higher)


@pytest.fixture
def judge(court):
    return factories.court_user(court)


@pytest.fixture
def other_judge(db):
    return factories.court_user(factories.CourtFactory(name="成都市锦江区人民法院"))


@pytest.fixture
def higher_judge(court):
    return factories.court_user(court.parent)


@pytest.fixture
def make_listing(db):
    def make(actor, subject=None, *, decided=None, **extra):
        subject = subject or factories.SubjectFactory()
        n = next(_serial)
        args = dict(
            subject={"code": subject.code, "name": subject.name, "type": subject.type},
            decision_no=f"（2026）川1802执{n}号之一",
            decision_date=decided or (dt.date.today() - dt.timedelta(days=30)),
            summary="有履行能力而拒不履行生效法律文书确定的给付义务",
            court_case_no=f"（2026）川1802执{n}号",
            executing_basis="（2025）川1802民初88号民事判决书",
            obligation="支付货款 200000 元及利息",
            ground="able_but_refuses",
            creditor_name="四川蒙顶建设工程有限公司",
            creditor_email="legal@mengding.example",
            restrictions=[
                {"measure": "flights"},
                {"measure": "star_hotels"},
                {"measure": "flights", "applies_to": "legal_representative", "person_name": "李明"},
            ] if subject.type != "natural_person" else [{"measure": "flights"}],
        )
        args.update(extra)
        return services.court_listing_file(actor, **args)

    return make


@pytest.fixture
def suspend(db):
    def make(actor, record, *, due_dates, amounts=None, **extra):
        amounts = amounts or [Decimal("50000.00")] * len(due_dates)
        return services.suspension_create(
            actor, record=record, agreement_no=extra.pop("agreement_no", f"HJ-2026-{next(_serial):04d}"),
            total_amount=sum(amounts), creditor_consent=extra.pop("creditor_consent", True),
            instalments=[{"due_date": d, "amount": a} for d, a in zip(due_dates, amounts)], **extra,
        )

    return make
