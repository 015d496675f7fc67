"""The court endpoints: the contract's suspensions, listings, deletion, corrections; masking of persons in public."""

import datetime as dt
import re

import pytest
from django.test import Client

from creditrepair.workflow.models import Deadline
from tests import factories

pytestmark = pytest.mark.django_db

ID18 = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
TODAY = dt.date.today()


def listing_payload(subject, **extra):
    payload = {
        "subject": {"code": subject.code, "name": subject.name, "type": subject.type},
        "decision_no": f"（2026）川1802执{subject.pk}号之一", "decision_date": (TODAY - dt.timedelta(days=20)).isoformat(),
        "summary": "有履行能力而拒不履行生效法律文书确定的给付义务",
        "court_case_no": f"（2025）川18执{subject.pk}号", "executing_basis": "（2025）川1802民初88号民事判决书",
        "obligation": "支付货款 200000 元", "ground": "able_but_refuses", "creditor_name": "四川蒙顶建设工程有限公司",
        "restrictions": [{"measure": "flights"}, {"measure": "property_purchase"}],
    }
    payload.update(extra)
    return payload


def test_the_contracts_suspension_path(api, judge):
    subject = factories.SubjectFactory()
    listing = api.as_user(judge).post("/api/v1/court-listings", listing_payload(subject), format="json")
    assert listing.status_code == 201, listing.json()
    record_id = listing.json()["record"]["id"]
    assert listing.json()["record"]["status"] == "published"

    r = api.post("/api/v1/court-suspensions", {
        "record": record_id, "creditor_consent": True,
        "settlement": {"agreement_no": "HJ-2026-0031", "total_amount": "200000.00", "instalments": [
            {"due_date": TODAY.isoformat(), "amount": "50000.00"},
            {"due_date": (TODAY + dt.timedelta(days=90)).isoformat(), "amount": "150000.00"}]},
    }, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "active" and body["case_no"].startswith("ZX-") and body["record_status"] == "suspended"
    assert api.get(f"/api/v1/records/{record_id}").json()["status"] == "suspended"
    first, second = body["settlement"]["instalments"]

    r = api.post(f"/api/v1/court-suspensions/{body['id']}/payments",
                 {"instalment": first["id"], "paid_on": TODAY.isoformat(), "amount": "50000.00"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "active"
    r = api.post(f"/api/v1/court-suspensions/{body['id']}/complete")
    assert r.status_code == 409 and r.json()["code"] == "obligations_not_fulfilled"
    r = api.post(f"/api/v1/court-suspensions/{body['id']}/payments",
                 {"instalment": second["id"], "paid_on": TODAY.isoformat(), "amount": "150000.00"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "completed"
    assert api.get(f"/api/v1/records/{record_id}").json()["status"] == "removed"
    r = api.post(f"/api/v1/court-suspensions/{body['id']}/resume", {"reason": "x"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"


def test_a_suspension_on_a_plain_court_record_works_as_the_smoke_test_does(api, judge, make_record):
    record = make_record(judge, category="court_debtor", severity="serious")
    r = api.as_user(judge).post("/api/v1/court-suspensions", {
        "record": record.pk, "creditor_consent": True,
        "settlement": {"agreement_no": "和解A1", "total_amount": "200000.00", "instalments": [
            {"due_date": TODAY.isoformat(), "amount": "50000.00"},
            {"due_date": (TODAY + dt.timedelta(days=90)).isoformat(), "amount": "150000.00"}]}}, format="json")
    assert r.status_code == 201 and "id" in r.json() and r.json()["status"] == "active"
    r = api.post(f"/api/v1/court-suspensions/{r.json()['id']}/resume", {"reason": "被执行人违反承诺"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "resumed"
    assert api.get(f"/api/v1/records/{record.pk}").json()["status"] == "published"


def test_consent_is_required(api, judge, make_record):
    record = make_record(judge, category="court_debtor", severity="serious")
    r = api.as_user(judge).post("/api/v1/court-suspensions", {
        "record": record.pk, "creditor_consent": False,
        "settlement": {"agreement_no": "A", "total_amount": "1.00", "instalments": [
            {"due_date": TODAY.isoformat(), "amount": "1.00"}]}}, format="json")
    assert r.status_code == 400 and "creditor_consent" in r.json()["details"]


def test_another_court_gets_404_on_every_action(api, judge, other_judge, make_record):
    record = make_record(judge, category="court_debtor", severity="serious")
    payload = {"record": record.pk, "creditor_consent": True, "settlement": {
        "agreement_no": "A", "total_amount": "1.00", "instalments": [{"due_date": TODAY.isoformat(), "amount": "1.00"}]}}
    assert api.as_user(other_judge).post("/api/v1/court-suspensions", payload, format="json").status_code == 404
    case = api.as_user(judge).post("/api/v1/court-suspensions", payload, format="json").json()
    api.as_user(other_judge)
    assert api.get(f"/api/v1/court-suspensions/{case['id']}").status_code == 404
    for action, data in (("payments", {"instalment": case["settlement"]["instalments"][0]["id"],
                                       "paid_on": TODAY.isoformat(), "amount": "1.00"}),
                         ("resume", {"reason": "x"}), ("complete", {})):
        r = api.post(f"/api/v1/court-suspensions/{case['id']}/{action}", data, format="json")
        assert r.status_code == 404, action
    assert api.get("/api/v1/court-suspensions").json()["count"] == 0


def test_departments_and_subjects_cannot_use_court_endpoints(api, dept_user, ent_user):
    for user in (dept_user, ent_user):
        assert api.as_user(user).get("/api/v1/court-suspensions").status_code == 403


def test_relisting_at_the_creditors_request_is_refused_with_409(api, judge):
    subject = factories.SubjectFactory()
    first = api.as_user(judge).post("/api/v1/court-listings",
                                    listing_payload(subject, at_creditor_request=True), format="json").json()
    r = api.post(f"/api/v1/court-listings/{first['id']}/delete", {"ground": "creditor_request", "reason": "书面申请"},
                 format="json")
    assert r.status_code == 200 and r.json()["record"]["status"] == "removed"
    r = api.post("/api/v1/court-listings", listing_payload(subject, at_creditor_request=True,
                                                            decision_no="（2026）川1802执9999号"), format="json")
    assert r.status_code == 409 and r.json()["code"] == "relisting_barred"


def _person_listing(api, judge):
    person = factories.PersonFactory(name="王建国")
    r = api.as_user(judge).post("/api/v1/court-listings", listing_payload(person), format="json")
    assert r.status_code == 201
    return person


def test_a_person_listed_by_a_court_is_public_only_masked(api, judge):
    person = _person_listing(api, judge)
    public = Client()
    r = public.get(f"/api/v1/public/subjects/{person.code}/records")
    assert r.status_code == 200 and r.json()["count"] == 1
    text = r.content.decode()
    assert not ID18.search(text)
    assert r.json()["results"][0]["subject"]["name"] == "王*"
    assert r.json()["results"][0]["subject"]["code"] == person.code[:4] + "*" * 10 + person.code[-4:]

    page = public.get("/lookup/", {"code": person.code}).content.decode()
    assert "王*" in page and "王建国" not in page
    # The only full number on the page is the visitor's own query, echoed in the search box and the
    # language switcher's return address; no record or subject data carries it.
    without_search_box = page.replace(f'value="{person.code}"', 'value=""').replace(f"code={person.code}", "code=")
    m = ID18.search(without_search_box)
    assert not m, without_search_box[max(0, m.start() - 300):m.end() + 50]


def test_free_text_of_a_persons_listing_cannot_carry_an_id_number(api, judge):
    person = factories.PersonFactory()
    r = api.as_user(judge).post("/api/v1/court-listings",
                                listing_payload(person, summary=f"被执行人（身份证号 {person.code}）拒不履行"),
                                format="json")
    assert r.status_code == 400 and "summary" in r.json()["details"]


def test_correction_review_and_reconsideration_count_calendar_days(api, judge, higher_judge, at_date):
    subject = factories.SubjectFactory()
    debtor_user = factories.subject_user(subject)
    listing = api.as_user(judge).post("/api/v1/court-listings", listing_payload(subject), format="json").json()
    with at_date(dt.date(2026, 9, 29)):
        r = api.as_user(debtor_user).post(f"/api/v1/court-listings/{listing['id']}/corrections",
                                          {"statement": "执行依据文号有误",
                                           "requested_correction": {"executing_basis": "（2025）川1802民初89号"}},
                                          format="json")
    assert r.status_code == 201, r.json()
    case = r.json()
    # 15 calendar days across the National Day holiday, not 15 working days.
    assert case["deadlines"]["review"] == "2026-10-14"
    with at_date(dt.date(2026, 10, 9)):
        r = api.as_user(judge).post(f"/api/v1/court-corrections/{case['id']}/review",
                                    {"decision": "reject", "reason": "经审查无误"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert r.json()["reconsideration_until"] == "2026-10-19"
    with at_date(dt.date(2026, 10, 12)):
        r = api.as_user(debtor_user).post(f"/api/v1/court-corrections/{case['id']}/reconsider",
                                          {"statement": "请求上一级法院复议"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "reconsideration"
    assert r.json()["deadlines"]["reconsideration"] == "2026-10-27"
    assert Deadline.objects.get(case_no=case["case_no"], step="reconsideration").responsible == judge.department.parent
    # The listing court cannot decide its own reconsideration; the higher court can.
    r = api.as_user(judge).post(f"/api/v1/court-corrections/{case['id']}/reconsideration-decision",
                                {"outcome": "corrected", "reason": "x"}, format="json")
    assert r.status_code == 404
    r = api.as_user(higher_judge).post(f"/api/v1/court-corrections/{case['id']}/reconsideration-decision",
                                       {"outcome": "corrected", "reason": "执行依据文号确有错误"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "corrected"
    assert r.json()["applied_correction"]["executing_basis"]["to"] == "（2025）川1802民初89号"
    assert api.as_user(judge).get(f"/api/v1/court-listings/{listing['id']}").json()["executing_basis"] == \
        "（2025）川1802民初89号"


def test_reconsideration_after_ten_days_is_refused(api, judge, at_date):
    subject = factories.SubjectFactory()
    debtor_user = factories.subject_user(subject)
    listing = api.as_user(judge).post("/api/v1/court-listings", listing_payload(subject), format="json").json()
    case = api.as_user(debtor_user).post(f"/api/v1/court-listings/{listing['id']}/corrections",
                                         {"statement": "有误"}, format="json").json()
    api.as_user(judge).post(f"/api/v1/court-corrections/{case['id']}/review",
                            {"decision": "reject", "reason": "无误"}, format="json")
    with at_date(TODAY + dt.timedelta(days=11)):
        r = api.as_user(debtor_user).post(f"/api/v1/court-corrections/{case['id']}/reconsider",
                                          {"statement": "复议"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "deadline_passed"


def test_the_schema_describes_the_court_endpoints(api, operator):
    r = api.as_user(operator).get("/api/v1/schema/", {"format": "json"})
    paths = r.json()["paths"]
    for path in ("/api/v1/court-suspensions", "/api/v1/court-suspensions/{id}/payments",
                 "/api/v1/court-suspensions/{id}/resume", "/api/v1/court-suspensions/{id}/complete",
                 "/api/v1/court-listings", "/api/v1/court-listings/{id}/delete"):
        assert path in paths, path
