"""A PDF's QR code lands on a page (and an API) that says whether the document is genuine."""

import pytest

from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES
from creditrepair.documents.services import issue_document


@pytest.fixture
def document(db):
    kind = "training_certificate"
    return issue_document(
        kind=kind, template_name=TEMPLATES[kind], context=SAMPLE_CONTEXTS[kind], case_no="XF-2026-000042",
        subject_code="91511800MA62X0Q12T", idempotency_key="test:verify:training",
    )


def test_a_genuine_document_verifies_on_the_page_and_the_api(client, document):
    page = client.get(f"/verify/{document.id}/").content.decode()
    assert "XF-2026-000042" in page and document.sha256 in page and "verdict-ok" in page
    body = client.get(f"/api/v1/public/documents/{document.id}/verify").json()
    assert body["valid"] is True and body["case_no"] == "XF-2026-000042" and body["sha256"] == document.sha256


def test_an_uploaded_original_matches_and_a_tampered_copy_does_not(client, document):
    original = document.file.open("rb").read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = client.post(f"/verify/{document.id}/", {"file": SimpleUploadedFile("a.pdf", original)}).content.decode()
    assert "一致：" in ok
    tampered = original.replace(b"/Producer", b"/Producex", 1)
    bad = client.post(f"/verify/{document.id}/", {"file": SimpleUploadedFile("b.pdf", tampered)}).content.decode()
    assert "不一致：" in bad


def test_an_unknown_document_is_not_found(client, db):
    assert client.get("/verify/00000000-0000-4000-8000-000000000000/").status_code == 404
    response = client.get("/api/v1/public/documents/00000000-0000-4000-8000-000000000000/verify")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_qr_url_is_the_verification_page(document):
    from creditrepair.documents.services import verification_url

    assert verification_url(document.id).endswith(f"/verify/{document.id}/")
