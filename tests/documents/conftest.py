"""Fixtures for the documents tests.

Rendering a PDF takes about a second, so the real documents are made once per
module and shared; tests that exercise the issuing mechanics stub the renderer.
"""

import hashlib
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from creditrepair.documents import services
from creditrepair.documents.models import Document, DocumentKind
from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES

from tests.documents.documents_support import CASE_NO


@pytest.fixture(scope="session", autouse=True)
def signing_folder(tmp_path_factory):
    """A private folder for the demo signing certificate (never the repository's var/)."""
    folder = tmp_path_factory.mktemp("signing")
    with override_settings(DOCUMENT_SIGNING_DIR=str(folder)):
        yield folder


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    """The sample commitment letter rendered and signed, without the database."""
    document_id = uuid.uuid4()
    kind = DocumentKind.COMMITMENT_LETTER
    context = SAMPLE_CONTEXTS[kind]
    header = services.template_header(
        document_id=document_id,
        kind=kind,
        title=str(kind.label),
        case_no=CASE_NO,
        subject_code=context["subject"]["code"],
        issued_at=timezone.now(),
    )
    unsigned = services.render_pdf(TEMPLATES[kind], {**context, "doc": header})
    signed = services.sign_pdf(unsigned)
    path = tmp_path_factory.mktemp("pdf") / "commitment_letter.pdf"
    path.write_bytes(signed)
    return {"id": document_id, "unsigned": unsigned, "signed": signed, "path": path, "context": context}


@pytest.fixture(scope="module")
def issued_document(django_db_setup, django_db_blocker):
    """One real commitment letter issued through the service, shared by a module."""
    kind = DocumentKind.COMMITMENT_LETTER
    key = f"repair:{uuid.uuid4().hex[:8]}:commitment_letter"
    with django_db_blocker.unblock():
        document = services.issue_document(
            kind=kind,
            template_name=TEMPLATES[kind],
            context=SAMPLE_CONTEXTS[kind],
            case_no=CASE_NO,
            subject_code=SAMPLE_CONTEXTS[kind]["subject"]["code"],
            idempotency_key=key,
        )
        original = document.file.read()
        document.file.close()
        assert hashlib.sha256(original).hexdigest() == document.sha256
        yield document
        document.file.delete(save=False)
        Document.objects.filter(pk=document.pk).delete()


@pytest.fixture
def stub_rendering(monkeypatch, sample_pdf):
    """Make issue_document cheap: every render returns the sample's unsigned PDF; signing stays real."""
    calls = []

    def fake_render(template_name, context):
        calls.append((template_name, context))
        return sample_pdf["unsigned"]

    monkeypatch.setattr(services, "render_pdf", fake_render)
    return calls
