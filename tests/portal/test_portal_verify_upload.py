"""/verify/: upload a PDF → valid / not valid, kind, case number, issue date, the platform's signature."""

import pytest
from django.utils import timezone
from django.core.files.uploadedfile import SimpleUploadedFile

from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES
from creditrepair.documents.services import issue_document


@pytest.fixture
def document(db):
    kind = "decision_notice"
    return issue_document(kind=kind, template_name=TEMPLATES[kind], context=SAMPLE_CONTEXTS[kind],
                          case_no="XF-2026-000077", subject_code="91511800MA62X0Q12T",
                          idempotency_key="test:portal:verify-upload")


def test_a_genuine_pdf_is_valid_with_kind_case_date_and_signature(client, document):
    pdf = document.file.open("rb").read()
    response = client.post("/verify/", {"file": SimpleUploadedFile("notice.pdf", pdf)})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-verdict="valid"' in html
    assert "信用修复决定书" in html and "XF-2026-000077" in html
    assert timezone.localtime(document.issued_at).strftime("%Y-%m-%d") in html
    assert "校验通过" in html and document.sha256 in html


def test_a_tampered_pdf_is_not_valid(client, document):
    tampered = document.file.open("rb").read().replace(b"/Producer", b"/Producex", 1)
    html = client.post("/verify/", {"file": SimpleUploadedFile("notice.pdf", tampered)}).content.decode()
    assert 'data-verdict="invalid"' in html and "XF-2026-000077" not in html


def test_the_upload_needs_a_file(client, db):
    response = client.post("/verify/", {})
    assert response.status_code == 400 and "请选择要核验的 PDF 文件" in response.content.decode()


def test_the_qr_page_and_api_say_whether_the_signature_checks_out(client, document):
    html = client.get(f"/verify/{document.id}/").content.decode()
    assert "平台电子签章" in html and "校验通过" in html
    assert client.get(f"/api/v1/public/documents/{document.id}/verify").json()["signature_ok"] is True
