"""The repair endpoints of the contract: paths, fields, statuses and error codes."""

import pytest
from django.utils import timezone

from creditrepair.repairs.models import RepairCase

from tests import factories
from tests.repairs.repairs_support import PDF_BYTES, pdf_upload, png_bytes


def post(api, path, data=None):
    return api.post(path, data or {}, format="json")


@pytest.fixture
def filed(api, ent_user, repairable_record):
    record = repairable_record()
    response = post(api.as_user(ent_user), "/api/v1/repairs", {"record": record.pk, "statement": "已缴纳罚款"})
    assert response.status_code == 201, response.json()
    return response.json()


def supply_over_api(api, case):
    signed = post(api, f"/api/v1/repairs/{case['id']}/commitment",
                  {"signatory_name": "张三", "signatory_title": "法定代表人"})
    assert signed.status_code == 201, signed.json()
    uploaded = api.post(f"/api/v1/repairs/{case['id']}/materials",
                        {"kind": "performance_proof", "file": pdf_upload()}, format="multipart")
    assert uploaded.status_code == 201, uploaded.json()
    return signed.json(), uploaded.json()


def test_filing_returns_the_contract_fields(filed):
    assert set(filed) >= {"id", "case_no", "query_code", "status", "record", "kind", "required_materials",
                          "materials", "deadlines", "pending_steps", "timeline", "documents"}
    assert filed["case_no"].startswith("XF-") and len(filed["query_code"]) == 8
    assert filed["status"] == "draft" and filed["kind"] == "repair"
    assert filed["required_materials"] == ["performance_proof", "commitment_letter"]
    assert filed["materials"] == [] and filed["deadlines"] == {} and filed["pending_steps"] == ["submit"]
    assert [t["status"] for t in filed["timeline"]] == ["draft"]


def test_the_whole_repair_over_the_api(api, filed, ent_user, operator, dept_user, enterprise, committed):
    signed, uploaded = supply_over_api(api, filed)
    assert set(signed) >= {"id", "kind", "sha256", "url", "verify_url"} and signed["kind"] == "commitment_letter"
    assert uploaded["kind"] == "performance_proof" and uploaded["content_type"] == "application/pdf"

    submitted = post(api, f"/api/v1/repairs/{filed['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert set(submitted.json()["deadlines"]) == {"intake", "answer_total"}
    assert submitted.json()["materials"] == ["performance_proof", "commitment_letter"]

    accepted = committed(lambda: post(api.as_user(operator), f"/api/v1/repairs/{filed['id']}/accept"))
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["pending_steps"] == ["review"]

    approved = committed(lambda: post(api.as_user(dept_user), f"/api/v1/repairs/{filed['id']}/approve",
                                      {"reason": "同意修复"}))
    body = approved.json()
    assert approved.status_code == 200 and body["status"] == "completed"
    assert [t["status"] for t in body["timeline"]] == ["draft", "submitted", "accepted", "under_review",
                                                       "approved", "completed"]
    documents = api.get(f"/api/v1/repairs/{filed['id']}").json()["documents"]  # issued after commit
    assert sorted(d["kind"] for d in documents) == ["acceptance_notice", "commitment_letter", "decision_notice"]
    record = api.get(f"/api/v1/records/{filed['record']}").json()
    assert record["status"] == "repaired"
    public = api.get(f"/api/v1/public/subjects/{enterprise.code}/records").json()
    assert all(r["id"] != filed["record"] for r in public["results"])

    again = post(api, f"/api/v1/repairs/{filed['id']}/approve", {"reason": "再次同意"})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_submit_without_materials_is_409_materials_missing_with_the_list(api, filed):
    response = post(api, f"/api/v1/repairs/{filed['id']}/submit")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "materials_missing"
    assert body["details"]["missing"] == ["performance_proof", "commitment_letter"]


def test_uploads_of_the_wrong_type_are_415_and_too_large_413(api, filed, settings):
    url = f"/api/v1/repairs/{filed['id']}/materials"
    html = api.post(url, {"kind": "performance_proof", "file": pdf_upload("a.pdf", b"<html>x</html>")},
                    format="multipart")
    assert html.status_code == 415 and html.json()["code"] == "file_type"
    png = api.post(url, {"kind": "rectification_report", "file": pdf_upload("a.png", png_bytes(), "image/png")},
                   format="multipart")
    assert png.status_code == 201 and png.json()["content_type"] == "image/png"
    settings.UPLOAD_MAX_BYTES = 64
    big = api.post(url, {"kind": "performance_proof", "file": pdf_upload("a.pdf", PDF_BYTES)}, format="multipart")
    assert big.status_code == 413 and big.json()["code"] == "file_too_large"
    bad_kind = api.post(url, {"kind": "commitment_letter", "file": pdf_upload()}, format="multipart")
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()["details"]


def test_a_material_is_downloadable_by_the_case_viewers_as_an_attachment(api, filed, dept_user):
    _, uploaded = supply_over_api(api, filed)
    response = api.as_user(dept_user).get(uploaded["url"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_missing_fields_are_400_with_field_details(api, filed, operator):
    response = post(api, "/api/v1/repairs", {"statement": "缺少记录"})
    assert response.status_code == 400 and "record" in response.json()["details"]
    response = post(api, f"/api/v1/repairs/{filed['id']}/commitment", {"signatory_name": "张三"})
    assert response.status_code == 400 and "signatory_title" in response.json()["details"]


def test_training_interview_extend_deny_and_withdraw_endpoints(api, ent_user, operator, dept_user, repairable_record,
                                                               committed):
    record = repairable_record()
    case = post(api.as_user(ent_user), "/api/v1/repairs", {"record": record.pk, "statement": "申请"}).json()
    supply_over_api(api, case)
    trained = post(api, f"/api/v1/repairs/{case['id']}/training",
                   {"certificate_no": "PX-7", "completed_on": timezone.localdate().isoformat()})
    assert trained.status_code == 200 and "training_certificate" in trained.json()["materials"]
    post(api, f"/api/v1/repairs/{case['id']}/submit")
    committed(lambda: post(api.as_user(operator), f"/api/v1/repairs/{case['id']}/accept"))
    api.as_user(dept_user)
    interview = post(api, f"/api/v1/repairs/{case['id']}/interview",
                     {"held_on": timezone.localdate().isoformat(), "notes": "已约谈"})
    assert interview.status_code == 200 and interview.json()["status"] == "under_review"
    assert interview.json()["interview"]["notes"] == "已约谈"
    extended = post(api, f"/api/v1/repairs/{case['id']}/extend", {"reason": "需核查"})
    assert extended.status_code == 200
    twice = post(api, f"/api/v1/repairs/{case['id']}/extend", {"reason": "再延"})
    assert twice.status_code == 409 and twice.json()["code"] == "deadline_passed"
    withdrawn = post(api.as_user(ent_user), f"/api/v1/repairs/{case['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    denied = post(api.as_user(dept_user), f"/api/v1/repairs/{case['id']}/deny", {"reason": "不同意"})
    assert denied.status_code == 409 and denied.json()["code"] == "invalid_transition"


def test_revoke_endpoint_by_the_operator(api, ent_user, operator, dept_user, repairable_record, walk):
    case = walk.completed(ent_user, repairable_record(), operator, dept_user)
    response = post(api.as_user(operator), f"/api/v1/repairs/{case.pk}/revoke", {"reason": "虚假材料"})
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert response.json()["bars_until"]
    denied = post(api.as_user(ent_user), f"/api/v1/repairs/{case.pk}/revoke", {"reason": "x"})
    assert denied.status_code == 403


def test_list_is_scoped_paginated_and_filtered_by_status(api, filed, ent_user, dept_user, other_dept_user):
    body = api.as_user(dept_user).get("/api/v1/repairs?status=draft").json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 1
    assert api.get("/api/v1/repairs?status=completed").json()["count"] == 0
    assert api.as_user(other_dept_user).get("/api/v1/repairs").json()["count"] == 0


def test_repairability_of_a_record_the_caller_cannot_see_is_404(api, repairable_record, other_ent_user):
    record = repairable_record()
    assert api.as_user(other_ent_user).get(f"/api/v1/records/{record.pk}/repairability").status_code == 404


def test_filing_on_a_record_the_caller_cannot_see_is_404(api, repairable_record, other_ent_user):
    record = repairable_record()
    response = post(api.as_user(other_ent_user), "/api/v1/repairs", {"record": record.pk, "statement": "x"})
    assert response.status_code == 404


# --------------------------------------------------------------------------- public case status


def test_public_case_status_with_the_query_code(api, filed):
    from rest_framework.test import APIClient

    public = APIClient()
    response = public.get(f"/api/v1/public/cases/{filed['case_no']}?query_code={filed['query_code']}")
    assert response.status_code == 200
    body = response.json()
    assert body["case_no"] == filed["case_no"] and body["kind"] == "repair" and body["status"] == "draft"
    assert [t["status"] for t in body["timeline"]] == ["draft"]
    assert set(body["subject"]) == {"code", "name", "type"} and body["outcome"] is None
    assert "statement" not in body and "query_code" not in body


def test_a_wrong_query_code_is_answered_like_an_unknown_case(api, filed):
    from rest_framework.test import APIClient

    public = APIClient()
    wrong = public.get(f"/api/v1/public/cases/{filed['case_no']}?query_code=AAAAAAAA")
    unknown = public.get(f"/api/v1/public/cases/XF-2026-999999?query_code={filed['query_code']}")
    other_prefix = public.get("/api/v1/public/cases/QQ-2026-000001?query_code=AAAAAAAA")
    assert wrong.status_code == unknown.status_code == other_prefix.status_code == 404
    assert wrong.json() == unknown.json() == other_prefix.json()


def test_a_natural_person_is_masked_in_the_public_case_status(make_record, local_rule_set):
    from rest_framework.test import APIClient

    from creditrepair.records.services import record_obligations_fulfilled
    from creditrepair.repairs import services
    from tests.repairs.repairs_support import old_enough

    def publish_persons(document):
        document["privacy"]["publish_natural_persons"] = True

    local_rule_set("520000", publish_persons)
    staff = factories.department_user(factories.DepartmentFactory(jurisdiction="520100"))
    person = factories.PersonFactory(name="王小明")
    user = factories.subject_user(person)
    record = make_record(staff, person, decided=old_enough())
    record_obligations_fulfilled(record, actor=staff, fulfilled_on=record.decision_date, evidence="x")
    assert record.status == "published"
    case = services.repair_file(user, record, "申请")
    body = APIClient().get(f"/api/v1/public/cases/{case.case_no}?query_code={case.query_code}").json()
    assert body["subject"]["name"] == "王*" and body["subject"]["code"] != person.code
    assert RepairCase.objects.filter(pk=case.pk).exists()
