"""The demo data: loaded through the services, valid, as the API contract promises, and idempotent."""

import datetime as dt
import importlib.util
from io import StringIO
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from stdnum.cn import ric, uscc

from creditrepair.audit.models import AuditEvent
from creditrepair.records.models import Partner, PartnerNotice, PublicationHistory, PunishmentMeasure, Record
from creditrepair.registry.management.demo import record_key
from creditrepair.registry.models import Department, Subject
from creditrepair.registry.services import subject_code_normalize

pytestmark = pytest.mark.usefixtures("demo", "db")

User = get_user_model()
DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Department, Partner, PunishmentMeasure, Subject, User, Record, PublicationHistory,
                      PartnerNotice, AuditEvent)
    }


def test_the_demo_loads_into_an_empty_database(demo):
    assert demo["before"] == {"records": 0, "subjects": 0, "departments": 0}
    assert Department.objects.count() == 8
    assert 45 <= Subject.objects.count() <= 60
    assert 6 <= Subject.objects.filter(type="natural_person").count() <= 10
    assert 250 <= Record.objects.count() <= 350
    assert "失信记录" in demo["output"]


def test_the_mix_of_records_is_as_specified():
    by_category = {c: Record.objects.filter(category=c).count() for c in
                   ("admin_penalty", "abnormal_list", "serious_list", "court_debtor")}
    assert by_category["admin_penalty"] > Record.objects.count() / 2
    assert by_category["abnormal_list"] >= 10 and by_category["serious_list"] >= 5 and by_category["court_debtor"] >= 20
    assert not Record.objects.filter(category="court_debtor").exclude(department__kind="court").exists()
    assert {"minor", "general", "serious"} <= set(Record.objects.values_list("severity", flat=True))
    assert {"food", "drug", "fire"} <= set(Record.objects.values_list("sector", flat=True))
    today = timezone.localdate()
    assert not Record.objects.filter(decision_date__gt=today - dt.timedelta(days=7)).exists()
    assert Record.objects.filter(decision_date__lt=dt.date(today.year - 5, 1, 1)).exists()
    statuses = set(Record.objects.values_list("status", flat=True))
    assert {"published", "not_published", "expired"} <= statuses
    # Within the minimum period, past it (repairable), and past the maximum.
    assert Record.objects.filter(status="published", min_until__gt=today).exists()
    assert Record.objects.filter(status="published", min_until__lte=today, obligations_fulfilled_on__isnull=False).exists()
    assert Record.objects.filter(status="expired", max_until__lte=today).exists()
    assert Record.objects.filter(severity="minor", status="not_published").exists()
    assert Record.objects.filter(severity="minor", status="published").exists()  # the department chose to publish


def test_statuses_are_consistent_after_the_load():
    today = timezone.localdate()
    assert not Record.objects.filter(status="published", max_until__lte=today).exists()
    assert not Record.objects.filter(status="not_published", grace_until__lt=today).exists()


def test_court_listings_in_their_grace_period_are_not_yet_published():
    today = timezone.localdate()
    in_grace = Record.objects.filter(category="court_debtor", grace_until__gte=today)
    assert in_grace.count() >= 3
    assert set(in_grace.values_list("status", flat=True)) == {"not_published"}
    assert in_grace.filter(subject__type="natural_person").exists()


def test_natural_persons_are_published_only_as_court_debtors():
    persons = Record.objects.filter(subject__type="natural_person")
    assert persons.filter(category="court_debtor", status="published").count() >= 4
    assert persons.exclude(category="court_debtor").exists()
    assert not persons.exclude(category="court_debtor").filter(status="published").exists()


def test_every_record_was_made_by_a_service_with_history_and_audit():
    records = Record.objects.count()
    assert PublicationHistory.objects.filter(reason="created").count() == records
    assert AuditEvent.objects.filter(action="record.created").count() == records
    assert not Record.objects.filter(created_by__isnull=True).exists()
    assert not Record.objects.exclude(created_by__department=F("department")).exists()
    fulfilled = Record.objects.filter(obligations_fulfilled_on__isnull=False)
    assert fulfilled.count() >= 50
    assert AuditEvent.objects.filter(action="record.obligations_fulfilled").count() == fulfilled.count()
    assert not fulfilled.filter(obligations_fulfilled_on__lt=F("decision_date")).exists()


def test_every_decision_number_carries_its_decision_year():
    for no, decided in Record.objects.values_list("decision_no", "decision_date"):
        assert str(decided.year) in no and "{year}" not in no
        assert record_key(no) != no


def test_every_subject_code_validates():
    for subject in Subject.objects.all():
        validator = ric if subject.type == "natural_person" else uscc
        assert validator.is_valid(subject.code), subject
        assert subject_code_normalize(subject.code, subject.type) == subject.code
    prefixes = {code[:2] for code in Subject.objects.exclude(type="natural_person").values_list("code", flat=True)}
    assert {"91", "92", "52", "53"} <= prefixes


CONTRACT_USERS = {
    # username: (role, department code or None, subject type or None)
    "operator": ("operator", "ya-credit", None),
    "amr": ("department", "ya-amr", None),
    "tax": ("department", "ya-tax", None),
    "eco": ("department", "ya-eco", None),
    "court": ("court", "ya-court", None),
    "court2": ("court", "yc-court", None),
    "ent1": ("subject", None, "legal_person"),
    "ent2": ("subject", None, "legal_person"),
}


@pytest.mark.parametrize("username", sorted(CONTRACT_USERS))
def test_each_demo_user_has_its_role_binding_and_the_demo_password(username):
    role, department, subject_type = CONTRACT_USERS[username]
    user = User.objects.get(username=username)
    assert user.role == role
    assert (user.department.code if user.department else None) == department
    assert (user.subject.type if user.subject else None) == subject_type
    assert list(user.groups.values_list("name", flat=True)) == [role]
    assert authenticate(username=username, password=settings.DEMO_PASSWORD) == user


def test_the_demo_departments_are_of_the_right_kind():
    kinds = dict(Department.objects.values_list("code", "kind"))
    assert kinds["ya-credit"] == "operator" and kinds["ya-court"] == kinds["yc-court"] == "court"
    court2 = Department.objects.get(code="yc-court")
    assert (court2.parent.code, court2.jurisdiction) == ("ya-court", "511802")


def test_ent1_and_ent2_are_two_enterprises_with_several_records():
    ent1, ent2 = (User.objects.get(username=u).subject for u in ("ent1", "ent2"))
    assert ent1 != ent2
    assert ent1.records.count() >= 4 and ent2.records.count() >= 4


def test_the_admin_superuser_exists_with_the_demo_password():
    admin = authenticate(username="admin", password=settings.DEMO_PASSWORD)
    assert admin is not None and admin.is_superuser and admin.is_staff


@pytest.mark.parametrize("username", ["ent1", "ent2"])
def test_ent_users_have_a_repairable_general_penalty_by_amr(username):
    subject = User.objects.get(username=username).subject
    today = timezone.localdate()
    candidates = Record.objects.filter(
        subject=subject, status="published", severity="general", category="admin_penalty",
        department__code="ya-amr", decision_date__gte=today - relativedelta(months=12),
        decision_date__lte=today - relativedelta(months=3), min_until__lte=today,
    )
    assert candidates.exists()
    assert candidates.filter(obligations_fulfilled_on__isnull=False).exists()
    # Nothing serious decided in the last year (a local refusal ground) stands in its way.
    assert not subject.records.filter(severity="serious", decision_date__gt=today - relativedelta(months=12)).exists()


def test_ent2_has_a_published_court_listing_of_the_court_users_court():
    subject = User.objects.get(username="ent2").subject
    court = User.objects.get(username="court").department
    assert subject.records.filter(category="court_debtor", department=court, status="published").exists()


def test_partners_are_pulled_and_the_tax_partner_is_the_tax_department():
    assert Partner.objects.count() >= 6
    assert not Partner.objects.exclude(webhook_url="").exists()
    assert Partner.objects.get(department__code="ya-tax").measures.exists()
    assert PunishmentMeasure.objects.filter(category="court_debtor").count() >= 3
    assert PunishmentMeasure.objects.filter(category="serious_list").count() >= 3


def test_a_second_run_changes_nothing():
    before = _counts()
    statuses = dict(Record.objects.values_list("pk", "status"))
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert dict(Record.objects.values_list("pk", "status")) == statuses
    assert "未作任何修改" in out.getvalue()


def test_a_run_in_a_later_year_finds_the_records_of_the_first(time_machine_days):
    before = Record.objects.count()
    with time_machine_days(400):  # the relative dates now fall in another year
        call_command("load_demo", stdout=StringIO())
        today = timezone.localdate()
        assert not Record.objects.filter(status="published", max_until__lte=today).exists()
    assert Record.objects.count() == before


def test_the_committed_data_file_is_what_the_generator_writes():
    spec = importlib.util.spec_from_file_location("demo_generate", DEMO_DIR / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    rng = generate.random.Random(generate.SEED)
    subjects = generate.build_subjects(rng)
    rendered = generate.render(subjects, generate.build_records(rng, subjects))
    assert rendered == (DEMO_DIR / "subjects.toml").read_text(encoding="utf-8")
