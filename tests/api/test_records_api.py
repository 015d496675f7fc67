"""The records endpoints of the contract, scoped by role."""

import datetime as dt

import pytest

from creditrepair.audit.models import AuditEvent
from tests.factories import PersonFactory, SubjectFactory, valid_uscc


def payload(**overrides):
    data = {
        "subject": {"code": valid_uscc(serial=901), "name": "雅安接口测试有限公司", "type": "legal_person"},
        "category": "admin_penalty",
        "severity": "general",
        "decision_no": "雅市监罚〔2026〕88号",
        "decision_date": (dt.date.today() - dt.timedelta(days=120)).isoformat(),
        "summary": "未按规定公示年度报告",
        "legal_basis": "《企业信息公示暂行条例》第八条",
        "obligations": "缴纳罚款",
    }
    data.update(overrides)
    return data


def test_a_department_creates_a_record_of_its_own(api, dept_user):
    response = api.as_user(dept_user).post("/api/v1/records", payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "published" and body["objection_pending"] is False
    assert set(body["publicity"]) == {"published_from", "min_until", "max_until"}
    assert body["rule_set"] == "national-2026"
    assert body["department"]["code"] == dept_user.department.code
    assert body["subject"]["name"] == "雅安接口测试有限公司"


def test_a_bad_checksum_is_refused_with_invalid_code(api, dept_user):
    bad = payload(subject={"code": "91511800MA00000000", "name": "x", "type": "legal_person"})
    response = api.as_user(dept_user).post("/api/v1/records", bad, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"


def test_missing_fields_are_listed_field_by_field(api, dept_user):
    response = api.as_user(dept_user).post("/api/v1/records", {"category": "nonsense"}, format="json")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "invalid"
    assert {"subject", "category", "severity", "decision_no", "decision_date", "summary"} <= set(body["details"])


def test_errors_speak_the_requests_language(api, dept_user):
    response = api.as_user(dept_user).post("/api/v1/records", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"] == "Invalid input; please check and try again."
    response = api.as_user(dept_user).post("/api/v1/records", {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["message"] == "输入有误，请检查后重试。"


def test_a_subject_user_cannot_create_records(api, ent_user):
    response = api.as_user(ent_user).post("/api/v1/records", payload(), format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_anonymous_callers_are_asked_to_authenticate(api):
    response = api.get("/api/v1/records")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_each_role_lists_only_what_it_may_see(api, dept_user, other_dept_user, ent_user, other_ent_user,
                                              operator, make_record):
    mine = make_record(dept_user, ent_user.subject)
    theirs = make_record(other_dept_user, other_ent_user.subject)

    def ids(user, query=""):
        return {r["id"] for r in api.as_user(user).get(f"/api/v1/records{query}").json()["results"]}

    assert ids(dept_user) == {mine.id}
    assert ids(other_dept_user) == {theirs.id}
    assert ids(ent_user) == {mine.id}
    assert ids(other_ent_user) == {theirs.id}
    assert ids(operator) == {mine.id, theirs.id}
    assert ids(operator, f"?subject={ent_user.subject.code}") == {mine.id}
    assert ids(operator, "?status=expired") == set()


def test_reading_another_departments_record_is_not_found(api, dept_user, other_dept_user, make_record):
    record = make_record(dept_user)
    assert api.as_user(other_dept_user).get(f"/api/v1/records/{record.id}").status_code == 404
    assert api.as_user(dept_user).get(f"/api/v1/records/{record.id}").status_code == 200


def test_a_subject_cannot_read_another_subjects_record(api, dept_user, other_ent_user, make_record):
    record = make_record(dept_user)
    assert api.as_user(other_ent_user).get(f"/api/v1/records/{record.id}").status_code == 404


def test_staff_reading_a_persons_record_is_logged(api, court_staff, make_record):
    person = PersonFactory()
    record = make_record(court_staff, person, category="court_debtor", severity="serious")
    api.as_user(court_staff).get(f"/api/v1/records/{record.id}")
    event = AuditEvent.objects.get(action="personal_data.read", subject_code=person.code)
    assert event.actor == court_staff and event.authority == "role:court"


def test_only_the_recognising_department_revokes_its_decision(api, dept_user, other_dept_user, operator, make_record):
    record = make_record(dept_user)
    url = f"/api/v1/records/{record.id}/revoke-decision"
    assert api.as_user(other_dept_user).post(url, {"reason": "x"}, format="json").status_code == 404
    assert api.as_user(operator).post(url, {"reason": "x"}, format="json").status_code == 403
    response = api.as_user(dept_user).post(url, {"reason": "行政复议撤销原处罚决定"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "removed"
    again = api.as_user(dept_user).post(url, {"reason": "again"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_the_department_records_that_obligations_were_fulfilled(api, dept_user, make_record):
    record = make_record(dept_user)
    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    response = api.as_user(dept_user).post(
        f"/api/v1/records/{record.id}/obligations-fulfilled", {"fulfilled_on": day, "evidence": "罚款缴纳凭证"},
        format="json")
    assert response.status_code == 200 and response.json()["obligations_fulfilled_on"] == day


@pytest.mark.django_db
def test_the_public_sees_only_published_records_and_persons_masked(api, dept_user, court_staff, make_record):
    ent = SubjectFactory()
    published = make_record(dept_user, ent)
    make_record(dept_user, ent, severity="minor")  # not published
    person = PersonFactory()
    make_record(court_staff, person, category="court_debtor", severity="serious")
    body = api.get(f"/api/v1/public/subjects/{ent.code}/records").json()
    assert [r["decision_no"] for r in body["results"]] == [published.decision_no]
    person_body = api.get(f"/api/v1/public/subjects/{person.code}/records").content.decode()
    assert person.code not in person_body and person.name not in person_body
    assert person.code[:4] + "*" * 10 + person.code[-4:] in person_body


def test_the_partner_feed_and_acknowledgement(api, dept_user, other_dept_user, make_record):
    from creditrepair.records.models import PartnerNotice
    from creditrepair.records.services import publication_change
    from tests.factories import MeasureFactory, PartnerFactory

    partner = PartnerFactory(department=other_dept_user.department)
    MeasureFactory(partner=partner, category="admin_penalty")
    record = make_record(dept_user)
    publication_change(record, reason="repair", actor=dept_user)
    feed = api.as_user(other_dept_user).get("/api/v1/notices?since=0").json()
    assert [n["record"] for n in feed["results"]] == [record.id]
    assert feed["results"][0]["status"] == "delivered"
    assert api.as_user(other_dept_user).get(f"/api/v1/notices?since={feed['next_cursor']}").json()["results"] == []
    notice_id = feed["results"][0]["id"]
    assert api.as_user(dept_user).post(f"/api/v1/notices/{notice_id}/ack").status_code == 404
    assert api.as_user(other_dept_user).post(f"/api/v1/notices/{notice_id}/ack").status_code == 200
    assert PartnerNotice.objects.get(pk=notice_id).status == "acknowledged"
