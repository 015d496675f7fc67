"""The contract's objection endpoints: the smoke walk, role scoping and error codes."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from creditrepair.documents.models import Document
from creditrepair.objections import services
from tests.repairs.repairs_support import png_bytes

PNG = png_bytes()  # a real image: uploads must decode with Pillow


def post(api, user, path, data=None, **kw):
    return api.as_user(user).post(path, data or {}, format=kw.pop("format", "json"), **kw)


def test_the_contract_walk_file_accept_resolve_kept(api, ent_user, operator, dept_user, published_record):
    r = post(api, ent_user, "/api/v1/objections",
             {"record": published_record.pk, "grounds": "error", "statement": "金额有误"})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert {"id", "case_no", "query_code", "status", "deadlines"} <= set(body)
    assert body["status"] == "submitted" and body["case_no"].startswith("YY-")
    assert set(body["deadlines"]) == {"intake", "total"}
    assert api.as_user(dept_user).get(f"/api/v1/records/{published_record.pk}").json()["objection_pending"] is True
    assert post(api, operator, f"/api/v1/objections/{body['id']}/accept").status_code == 200
    r = post(api, dept_user, f"/api/v1/objections/{body['id']}/resolve", {"outcome": "kept", "reason": "经核实无误"})
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    record = api.as_user(dept_user).get(f"/api/v1/records/{published_record.pk}").json()
    assert record["objection_pending"] is False and record["status"] == "published"


def test_public_case_status_with_the_query_code(api, objection):
    api.force_authenticate(None)
    r = api.get(f"/api/v1/public/cases/{objection.case_no}?query_code={objection.query_code}")
    assert r.status_code == 200
    assert r.json()["kind"] == "objection" and r.json()["status"] == "submitted"
    assert [t["status"] for t in r.json()["timeline"]] == ["submitted"]
    wrong = api.get(f"/api/v1/public/cases/{objection.case_no}?query_code=WRONG234")
    assert wrong.status_code == 404 and wrong.json()["code"] == "not_found"


def test_a_subject_cannot_object_to_another_subjects_record(api, other_ent_user, published_record):
    r = post(api, other_ent_user, "/api/v1/objections",
             {"record": published_record.pk, "grounds": "error", "statement": "x"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    published_record.refresh_from_db()
    assert published_record.objection_pending is False


def test_staff_cannot_file_objections(api, dept_user, published_record):
    r = post(api, dept_user, "/api/v1/objections", {"record": published_record.pk, "grounds": "error", "statement": "x"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_a_department_cannot_resolve_another_departments_objection(api, verifying, other_dept_user, published_record):
    r = post(api, other_dept_user, f"/api/v1/objections/{verifying.pk}/resolve", {"outcome": "removed", "reason": "x"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert api.as_user(other_dept_user).get(f"/api/v1/objections/{verifying.pk}").status_code == 404
    published_record.refresh_from_db()
    assert published_record.status == "published" and published_record.objection_pending is True


def test_other_subjects_do_not_see_the_case(api, objection, other_ent_user):
    assert api.as_user(other_ent_user).get(f"/api/v1/objections/{objection.pk}").status_code == 404
    assert api.as_user(other_ent_user).get("/api/v1/objections").json()["count"] == 0


@pytest.mark.parametrize("who", ["ent_user", "dept_user"])
def test_only_the_operator_accepts(api, objection, request, who):
    r = post(api, request.getfixturevalue(who), f"/api/v1/objections/{objection.pk}/accept")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_the_operator_does_not_resolve_for_the_department(api, verifying, operator):
    r = post(api, operator, f"/api/v1/objections/{verifying.pk}/resolve", {"outcome": "kept", "reason": "x"})
    assert r.status_code == 403


def test_resolving_before_intake_is_an_invalid_transition(api, objection, dept_user):
    r = post(api, dept_user, f"/api/v1/objections/{objection.pk}/resolve", {"outcome": "kept", "reason": "x"})
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"


def test_a_second_extension_is_refused(api, verifying, dept_user):
    assert post(api, dept_user, f"/api/v1/objections/{verifying.pk}/extend", {"reason": "调取档案"}).status_code == 200
    r = post(api, dept_user, f"/api/v1/objections/{verifying.pk}/extend", {"reason": "再次"})
    assert r.status_code == 409 and r.json()["code"] == "deadline_passed"


def test_bad_input_is_400_with_field_details(api, verifying, dept_user, ent_user, published_record):
    r = post(api, dept_user, f"/api/v1/objections/{verifying.pk}/resolve", {"outcome": "deleted", "reason": "x"})
    assert r.status_code == 400 and "outcome" in r.json()["details"]
    r = post(api, dept_user, f"/api/v1/objections/{verifying.pk}/resolve",
             {"outcome": "corrected", "reason": "x", "corrections": {"department": "别的单位"}})
    assert r.status_code == 400 and "corrections" in r.json()["details"]
    r = post(api, ent_user, "/api/v1/objections", {"record": published_record.pk, "grounds": "nope", "statement": "x"})
    assert r.status_code == 400 and "grounds" in r.json()["details"]


def test_a_second_objection_on_the_same_record_is_a_duplicate(api, objection, ent_user, published_record):
    r = post(api, ent_user, "/api/v1/objections", {"record": published_record.pk, "grounds": "other", "statement": "x"})
    assert r.status_code == 409 and r.json()["code"] == "duplicate_case"


def test_evidence_upload_and_its_error_codes(api, objection, ent_user, other_ent_user):
    path = f"/api/v1/objections/{objection.pk}/evidence"
    r = post(api, ent_user, path, {"file": SimpleUploadedFile("回执 ../x.png", PNG), "description": "缴款回执"},
             format="multipart")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["content_type"] == "image/png" and len(body["sha256"]) == 64 and "/" not in body["original_name"]
    r = post(api, ent_user, path, {"file": SimpleUploadedFile("x.pdf", b"<html><script>")}, format="multipart")
    assert r.status_code == 415 and r.json()["code"] == "file_type"
    with override_settings(UPLOAD_MAX_BYTES=32):
        r = post(api, ent_user, path, {"file": SimpleUploadedFile("x.png", PNG)}, format="multipart")
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"
    r = post(api, other_ent_user, path, {"file": SimpleUploadedFile("x.png", PNG)}, format="multipart")
    assert r.status_code == 404
    detail = api.as_user(ent_user).get(f"/api/v1/objections/{objection.pk}").json()
    assert len(detail["evidence"]) == 1


def test_platform_check_and_review_decision_endpoints(api, objection, operator, ent_user, published_record):
    r = post(api, operator, f"/api/v1/objections/{objection.pk}/platform-check",
             {"differs": True, "corrections": {"summary": "平台更正后的摘要"}})
    assert r.status_code == 200 and r.json()["status"] == "resolved" and r.json()["outcome"] == "corrected"
    r = post(api, ent_user, f"/api/v1/objections/{objection.pk}/review", {"statement": "仍有误"})
    assert r.status_code == 200 and r.json()["status"] == "under_review"
    r = post(api, operator, f"/api/v1/objections/{objection.pk}/review-decision",
             {"outcome": "removed", "reason": "经复核移出"})
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["review_outcome"] == "removed"
    published_record.refresh_from_db()
    assert published_record.status == "removed"


def test_receipt_and_answer_are_issued_after_commit_and_the_applicant_is_emailed(
    django_capture_on_commit_callbacks, published_record, ent_user, operator, dept_user
):
    ent_user.email = "ent@example.cn"
    ent_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.objection_file(actor=ent_user, record=published_record, grounds="error", statement="有误")
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_accept(case, actor=operator)
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_resolve(case, actor=dept_user, outcome="corrected", reason="摘要有误",
                                   corrections={"summary": "新的摘要"})
    kinds = list(Document.objects.filter(case_no=case.case_no).order_by("issued_at").values_list("kind", flat=True))
    assert kinds == ["objection_receipt", "objection_answer"]
    answer = Document.objects.get(case_no=case.case_no, kind="objection_answer")
    assert answer.context["corrections"][0]["new"] == "新的摘要" and answer.signed
    # idempotent: issuing again returns the same document
    from creditrepair.objections.tasks import issue_objection_answer

    assert issue_objection_answer.apply(args=[case.pk, "resolution"]).get() == str(answer.pk)
    assert [m.to for m in mail.outbox] == [["ent@example.cn"], ["ent@example.cn"]]
    assert case.case_no in mail.outbox[-1].body


def test_list_is_paginated_and_filtered(api, objection, ent_user):
    body = api.as_user(ent_user).get("/api/v1/objections?status=submitted").json()
    assert {"count", "next", "previous", "results"} <= set(body) and body["count"] == 1
    assert api.as_user(ent_user).get("/api/v1/objections?status=closed").json()["count"] == 0


def test_openapi_schema_describes_the_objection_endpoints(api):
    r = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    paths = r.json()["paths"] if r.headers["Content-Type"].startswith("application/json") else None
    if paths is None:
        import yaml

        paths = yaml.safe_load(r.content)["paths"]
    for suffix in ("", "/{id}", "/{id}/evidence", "/{id}/accept", "/{id}/refuse", "/{id}/extend", "/{id}/resolve",
                   "/{id}/review", "/{id}/review-decision", "/{id}/platform-check"):
        assert f"/api/v1/objections{suffix}" in paths, suffix
