"""The enterprise's and the staff's objection pages (server-rendered, CSRF-protected forms)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from creditrepair.objections.models import Objection
from tests.repairs.repairs_support import png_bytes


@pytest.fixture
def client_for():
    def make(user):
        client = Client(enforce_csrf_checks=False)
        client.force_login(user)
        return client

    return make


def test_pages_need_a_login(client, objection):
    for path in ("/objections/", "/objections/new/", f"/objections/{objection.pk}/", "/staff/objections/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_enterprise_files_from_its_record_list(client_for, ent_user, published_record):
    client = client_for(ent_user)
    listing = client.get("/objections/").content.decode()
    assert f"/objections/new/?record={published_record.pk}" in listing
    form = client.get(f"/objections/new/?record={published_record.pk}")
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.content.decode()
    response = client.post(f"/objections/new/?record={published_record.pk}", {
        "record": published_record.pk, "grounds": "error", "statement": "摘要有误", "correct_summary": "新的摘要",
        "correct_severity": "",
    })
    case = Objection.objects.get(record=published_record)
    assert response.status_code == 302 and response["Location"] == f"/objections/{case.pk}/"
    assert case.requested_correction == {"summary": "新的摘要"}
    page = client.get(f"/objections/{case.pk}/").content.decode()
    assert case.case_no in page and "异议处理中" in page and 'id="form-evidence"' in page


def test_another_subjects_record_is_not_found(client_for, other_ent_user, published_record):
    assert client_for(other_ent_user).get(f"/objections/new/?record={published_record.pk}").status_code == 404


def test_evidence_upload_from_the_case_page(client_for, ent_user, objection):
    client = client_for(ent_user)
    png = SimpleUploadedFile("回执.png", png_bytes(), content_type="image/png")
    client.post(f"/objections/{objection.pk}/act/evidence/", {"file": png, "description": "回执"})
    assert objection.evidence.count() == 1
    bad = SimpleUploadedFile("x.png", b"GIF89a", content_type="image/png")
    response = client.post(f"/objections/{objection.pk}/act/evidence/", {"file": bad}, follow=True)
    assert objection.evidence.count() == 1 and "PDF、JPEG 或 PNG" in response.content.decode()


def test_staff_queues_and_actions(client_for, operator, dept_user, other_dept_user, objection, published_record):
    op = client_for(operator)
    assert objection.case_no in op.get("/staff/objections/").content.decode()
    assert 'id="form-accept"' in op.get(f"/staff/objections/{objection.pk}/").content.decode()
    op.post(f"/objections/{objection.pk}/act/accept/")
    objection.refresh_from_db()
    assert objection.status == "verifying"
    assert objection.case_no not in op.get("/staff/objections/").content.decode()

    assert objection.case_no not in client_for(other_dept_user).get("/staff/objections/").content.decode()
    assert client_for(other_dept_user).get(f"/staff/objections/{objection.pk}/").status_code == 404
    assert client_for(other_dept_user).post(f"/objections/{objection.pk}/act/resolve/",
                                            {"outcome": "removed", "reason": "x"}).status_code == 404

    dept = client_for(dept_user)
    assert objection.case_no in dept.get("/staff/objections/").content.decode()
    response = dept.post(f"/objections/{objection.pk}/act/resolve/",
                         {"outcome": "corrected", "reason": "更正", "correct_summary": ""}, follow=True)
    assert "予以更正须列明" in response.content.decode()  # the error is shown, nothing changed
    dept.post(f"/objections/{objection.pk}/act/resolve/", {"outcome": "removed", "reason": "错误列入"})
    objection.refresh_from_db()
    published_record.refresh_from_db()
    assert objection.status == "resolved" and published_record.status == "removed"


def test_documents_are_downloadable_by_those_who_see_the_case(
    client_for, django_capture_on_commit_callbacks, ent_user, other_ent_user, published_record
):
    from creditrepair.objections import services
    from creditrepair.objections.tasks import documents_of

    with django_capture_on_commit_callbacks(execute=True):
        case = services.objection_file(actor=ent_user, record=published_record, grounds="error", statement="有误")
    document = documents_of(case).get()
    response = client_for(ent_user).get(f"/objections/{case.pk}/documents/{document.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(other_ent_user).get(f"/objections/{case.pk}/documents/{document.pk}/").status_code == 404
