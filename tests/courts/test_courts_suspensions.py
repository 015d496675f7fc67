"""Suspension of credit punishment on a settlement: the flow, the instalment watch, resumption, completion."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from creditrepair.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from creditrepair.courts import services
from creditrepair.courts.models import CreditorNotice, InstalmentBreach, SuspensionStatus
from creditrepair.records.models import PartnerNotice
from creditrepair.workflow import gateway
from creditrepair.workflow.deadlines import deadlines_of
from creditrepair.workflow.models import Deadline
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date
T0 = D(2026, 12, 1)  # the day the court suspends (frozen)
DUE = D(2026, 12, 10)  # the first instalment's due date
GRACE = 10  # national-2026 courts.instalment_grace_days


@pytest.fixture
def partner(db):
    return factories.MeasureFactory(category="court_debtor", description="限制乘坐飞机").partner


@pytest.fixture
def suspended(judge, make_listing, suspend, at_date):
    listing = make_listing(judge, decided=D(2026, 10, 1))
    with at_date(T0):
        case = suspend(judge, listing.record, due_dates=[DUE, D(2027, 1, 10)])
    return case


def test_suspension_unpublishes_lifts_restrictions_and_tells_partners(judge, make_listing, suspend, partner):
    listing = make_listing(judge)
    case = suspend(judge, listing.record, due_dates=[dt.date.today()])
    listing.record.refresh_from_db()
    assert case.status == SuspensionStatus.ACTIVE and case.case_no.startswith("ZX-")
    assert listing.record.status == "suspended"
    assert not listing.restrictions.filter(active=True).exists()
    assert not listing.restrictions.filter(final=True).exists()  # lifted for now, not for good
    notice = PartnerNotice.objects.get(record=listing.record, partner=partner)
    assert (notice.from_status, notice.to_status, notice.reason) == ("published", "suspended", "court_suspension")
    assert gateway.pending_steps(case) == ["watch"]
    assert [h.to_status for h in case.history.all()] == ["active"]


def test_a_suspension_needs_the_creditors_consent_and_a_consistent_schedule(judge, make_listing, suspend):
    record = make_listing(judge).record
    with pytest.raises(InvalidInput) as exc:
        suspend(judge, record, due_dates=[dt.date.today()], creditor_consent=False)
    assert "creditor_consent" in exc.value.details
    with pytest.raises(InvalidInput):
        services.suspension_create(judge, record=record, agreement_no="HJ-1", total_amount=Decimal("1000"),
                                   instalments=[{"due_date": dt.date.today(), "amount": Decimal("999")}],
                                   creditor_consent=True)
    record.refresh_from_db()
    assert record.status == "published"


def test_a_second_open_suspension_of_the_same_record_is_a_duplicate(judge, make_listing, suspend):
    record = make_listing(judge).record
    suspend(judge, record, due_dates=[dt.date.today()])
    with pytest.raises(Conflict):
        suspend(judge, record, due_dates=[dt.date.today()])


def test_only_the_listing_court_can_act_on_its_suspension(judge, other_judge, make_listing, suspend):
    record = make_listing(judge).record
    with pytest.raises(NotFound):
        suspend(other_judge, record, due_dates=[dt.date.today()])
    case = suspend(judge, record, due_dates=[dt.date.today()])
    first = case.instalments.first()
    with pytest.raises(NotFound):
        services.suspension_record_payment(other_judge, case, instalment=first.pk, paid_on=dt.date.today(),
                                           amount=first.amount)
    with pytest.raises(NotFound):
        services.suspension_resume(other_judge, case, reason="违约")
    with pytest.raises(NotFound):
        services.suspension_complete(other_judge, case)
    case.refresh_from_db()
    assert case.status == "active"


def test_a_schedule_paid_on_time_completes_and_deletes_the_listing_at_once(suspended, judge, at_date, partner):
    first, second = suspended.instalments.all()
    with at_date(DUE):
        services.suspension_record_payment(judge, suspended, instalment=first.pk, paid_on=DUE, amount=first.amount)
    suspended.refresh_from_db()
    assert suspended.status == "active"
    with at_date(D(2027, 1, 8)):
        services.suspension_record_payment(judge, suspended, instalment=second.pk, paid_on=D(2027, 1, 8),
                                           amount=second.amount)
    suspended.refresh_from_db()
    record = suspended.record
    record.refresh_from_db()
    assert suspended.status == SuspensionStatus.COMPLETED and suspended.ended_on == D(2027, 1, 8)
    assert record.status == "removed"
    assert [h.reason for h in record.history.order_by("id")] == ["created", "court_suspension", "court_deletion"]
    listing = record.court_listing
    assert listing.deletion_ground == "settlement_performed" and listing.deleted_on == D(2027, 1, 8)
    assert all(r.final and not r.active for r in listing.restrictions.all())
    deletion = Deadline.objects.get(case_no=suspended.case_no, step="deletion")
    assert deletion.met_at is not None and deletion.due_on >= D(2027, 1, 8)
    assert gateway.pending_steps(suspended) == []
    assert services.watch_instalments(D(2027, 3, 1)).breaches == 0


def test_completing_before_full_performance_is_refused(suspended, judge):
    with pytest.raises(Conflict) as exc:
        services.suspension_complete(judge, suspended)
    assert exc.value.code == "obligations_not_fulfilled"


def test_a_missed_instalment_is_a_breach_after_exactly_the_grace_days(suspended):
    last_grace_day = DUE + dt.timedelta(days=GRACE)
    assert services.watch_instalments(last_grace_day).breaches == 0
    suspended.refresh_from_db()
    assert suspended.status == "active"

    result = services.watch_instalments(last_grace_day + dt.timedelta(days=1))
    suspended.refresh_from_db()
    assert result.breaches == 1 and result.resumed == 0
    assert suspended.status == SuspensionStatus.BREACH
    assert gateway.pending_steps(suspended) == ["decide_breach"]
    assert "decide_breach" in deadlines_of(suspended)
    suspended.record.refresh_from_db()
    assert suspended.record.status == "suspended"  # the court decides (national rules)


def test_the_watch_is_idempotent_one_breach_one_notice(suspended, django_capture_on_commit_callbacks):
    day = DUE + dt.timedelta(days=GRACE + 1)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.watch_instalments(day)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.watch_instalments(day)
    assert (first.breaches, first.notices) == (1, 1)
    assert (second.breaches, second.notices) == (0, 0)
    assert InstalmentBreach.objects.filter(suspension=suspended).count() == 1
    notice = CreditorNotice.objects.get(suspension=suspended)
    assert notice.email == "legal@mengding.example" and notice.sent_at is not None
    assert len(mail.outbox) == 1 and suspended.case_no in mail.outbox[0].subject
    assert [h.to_status for h in suspended.history.all()] == ["active", "breach"]


def test_resumption_republishes_for_the_remaining_term_and_restores_restrictions(suspended, judge, at_date, partner):
    record = suspended.record
    record.refresh_from_db()
    max_until_before = record.max_until
    breach_day = DUE + dt.timedelta(days=GRACE + 1)
    services.watch_instalments(breach_day)
    with at_date(breach_day):
        services.suspension_resume(judge, suspended, reason="未按期履行第一期")
    suspended.refresh_from_db()
    record.refresh_from_db()
    assert suspended.status == SuspensionStatus.RESUMED
    assert record.status == "published"
    # The term stood still while suspended: it runs on for what remained.
    assert record.max_until == max_until_before + (breach_day - T0)
    assert all(r.active for r in record.court_listing.restrictions.all())
    assert PartnerNotice.objects.filter(record=record, reason="court_resumption").count() == 1
    assert gateway.pending_steps(suspended) == []
    with pytest.raises(InvalidTransition):
        services.suspension_resume(judge, suspended, reason="再次")


def test_after_a_breach_the_court_may_grant_time_and_the_watch_goes_on(suspended, judge, at_date):
    breach_day = DUE + dt.timedelta(days=GRACE + 1)
    services.watch_instalments(breach_day)
    with at_date(breach_day):
        services.suspension_grant(judge, suspended, new_due_date=D(2026, 12, 31), reason="申请执行人同意延期")
    suspended.refresh_from_db()
    assert suspended.status == "active" and gateway.pending_steps(suspended) == ["watch"]
    assert services.watch_instalments(D(2027, 1, 10)).breaches == 0
    assert services.watch_instalments(D(2027, 1, 11)).breaches == 1


def _auto_resume_rules(tmp_path, settings):
    """A copy of national-2026 for Nanchang (360100) whose courts resume automatically on a breach."""
    from creditrepair.rules.loader import load_rules

    text = (settings.RULES_DIR / "national-2026.toml").read_text(encoding="utf-8")
    text = text.replace('code = "national-2026"', 'code = "test-nanchang-auto"')
    text = text.replace('jurisdiction = "000000"', 'jurisdiction = "360100"')
    text = text.replace("auto_resume_on_breach = false", "auto_resume_on_breach = true")
    assert "auto_resume_on_breach = true" in text and 'code = "test-nanchang-auto"' in text
    (tmp_path / "nanchang.toml").write_text(text, encoding="utf-8")
    load_rules(tmp_path)


def test_the_automatic_resumption_rule_set_resumes_without_the_court(tmp_path, settings, make_listing, suspend, at_date):
    from pathlib import Path

    settings.RULES_DIR = Path(settings.RULES_DIR)
    _auto_resume_rules(tmp_path, settings)
    nanchang = factories.CourtFactory(name="南昌市东湖区人民法院", jurisdiction="360100")
    judge = factories.court_user(nanchang)
    listing = make_listing(judge, decided=D(2026, 10, 1))
    with at_date(T0):
        case = suspend(judge, listing.record, due_dates=[DUE])
    assert case.rule_set_code == "test-nanchang-auto"
    result = services.watch_instalments(DUE + dt.timedelta(days=GRACE + 1))
    case.refresh_from_db()
    listing.record.refresh_from_db()
    assert (result.breaches, result.resumed) == (1, 1)
    assert case.status == SuspensionStatus.RESUMED
    assert [h.to_status for h in case.history.all()] == ["active", "breach", "resumed"]
    assert all(h.actor is None for h in case.history.all()[1:])
    assert listing.record.status == "published"
    assert InstalmentBreach.objects.get(suspension=case).auto_resumed is True
    assert gateway.pending_steps(case) == []


def test_without_a_given_document_the_signed_commitment_is_generated(
    real_pdf, judge, make_listing, suspend, django_capture_on_commit_callbacks
):
    record = make_listing(judge).record
    with django_capture_on_commit_callbacks(execute=True):
        case = suspend(judge, record, due_dates=[dt.date.today()])
    case.refresh_from_db()
    doc = case.commitment_document
    assert doc is not None and doc.kind == "court_commitment" and doc.signed and doc.case_no == case.case_no
    assert doc.context["settlement"]["agreement_no"] == case.agreement_no


def test_the_management_command_runs_the_watch(suspended, capsys):
    from django.core.management import call_command

    call_command("watch_instalments", "--today", (DUE + dt.timedelta(days=GRACE + 1)).isoformat())
    assert suspended.case_no in capsys.readouterr().out
    suspended.refresh_from_db()
    assert suspended.status == "breach"


def test_a_payment_may_name_the_instalment_by_number_and_not_exceed_it(suspended, judge, at_date):
    with at_date(DUE):
        with pytest.raises(InvalidInput) as exc:
            services.suspension_record_payment(judge, suspended, instalment=1, paid_on=DUE, amount=Decimal("50000.01"))
        assert "amount" in exc.value.details
        services.suspension_record_payment(judge, suspended, instalment=1, paid_on=DUE, amount=Decimal("20000"))
        services.suspension_record_payment(judge, suspended, instalment=1, paid_on=DUE, amount=Decimal("30000"))
    first = suspended.instalments.get(number=1)
    assert first.is_paid and first.paid_on == DUE
    # Paid in time: no breach for it later.
    assert services.watch_instalments(DUE + dt.timedelta(days=GRACE + 5)).breaches == 0
