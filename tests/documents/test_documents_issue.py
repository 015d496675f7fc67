"""Issuing is idempotent and all-or-nothing; a signed document is immutable and verifiable."""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from creditrepair.core.errors import Conflict, InvalidInput, NotFound
from creditrepair.documents import selectors, services
from creditrepair.documents.models import Document, DocumentKind, ImmutableDocumentError
from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES

from tests import factories
from tests.documents.documents_support import CASE_NO

pytestmark = pytest.mark.django_db

KIND = DocumentKind.COMMITMENT_LETTER


def _issue(key, **overrides):
    arguments = {
        "kind": KIND,
        "template_name": TEMPLATES[KIND],
        "context": SAMPLE_CONTEXTS[KIND],
        "case_no": CASE_NO,
        "subject_code": SAMPLE_CONTEXTS[KIND]["subject"]["code"],
        "idempotency_key": key,
        **overrides,
    }
    return services.issue_document(**arguments)


def _stored_bytes(document):
    with document.file.open("rb") as handle:
        return handle.read()


def _tampered(data: bytes) -> bytes:
    """Same length, still a parseable PDF, one byte changed inside the signed range."""
    position = data.index(b"WeasyPrint")
    return data[:position] + b"w" + data[position + 1 :]


# --- storage ------------------------------------------------------------------


def test_issued_document_is_stored_signed_and_hashed_under_media_root(issued_document):
    document = Document.objects.get(pk=issued_document.pk)
    year = timezone.localtime(document.issued_at).year
    assert document.file.name == f"documents/{year}/{document.pk}.pdf"
    path = Path(document.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert document.signed is True
    assert document.kind == KIND and document.title == "信用承诺书"
    # The view-model is kept for audit, JSON-safe (dates as ISO strings).
    assert document.context["commitments"] == SAMPLE_CONTEXTS[KIND]["commitments"]
    assert document.context["record"]["decision_date"] == "2026-01-12"


def test_issuing_twice_with_the_same_key_returns_the_first_document_without_rendering(
    issued_document, monkeypatch
):
    before = _stored_bytes(issued_document)

    def must_not_render(*args, **kwargs):
        raise AssertionError("a signed document must never be rendered again")

    monkeypatch.setattr(services, "render_pdf", must_not_render)
    changed_context = {**SAMPLE_CONTEXTS[KIND], "subject": {"name": "另一家公司", "code": "X"}}
    again = _issue(issued_document.idempotency_key, context=changed_context)
    assert again.pk == issued_document.pk
    assert again.sha256 == issued_document.sha256
    assert _stored_bytes(again) == before
    assert Document.objects.filter(idempotency_key=issued_document.idempotency_key).count() == 1


def test_reusing_a_key_for_another_kind_of_document_is_refused(issued_document):
    with pytest.raises(Conflict) as excinfo:
        _issue(issued_document.idempotency_key, kind=DocumentKind.DECISION_NOTICE)
    assert excinfo.value.code == "idempotency_key_reused"


def test_unknown_kind_is_invalid_input():
    with pytest.raises(InvalidInput):
        _issue("repair:1:nonsense", kind="nonsense")


def test_context_that_cannot_be_kept_for_audit_is_refused_before_anything_is_written(stub_rendering):
    with pytest.raises(TypeError):
        _issue("repair:2:commitment_letter", context={**SAMPLE_CONTEXTS[KIND], "bad": object()})
    assert stub_rendering == []
    assert not Document.objects.filter(idempotency_key="repair:2:commitment_letter").exists()


def test_owner_and_issuer_are_linked(stub_rendering):
    subject = factories.SubjectFactory()
    operator = factories.operator_user()
    document = _issue("repair:3:commitment_letter", owner=subject, issued_by=operator, title="信用承诺书（补签）")
    document.refresh_from_db()
    assert document.owner == subject
    assert document.issued_by == operator
    assert document.title == "信用承诺书（补签）"
    assert list(selectors.documents_for_owner(subject)) == [document]
    assert selectors.document_by_key("repair:3:commitment_letter") == document
    # The id went into the template before the row existed (it is printed in the QR code).
    (_, context), = stub_rendering
    assert context["doc"]["id"] == str(document.pk)
    assert context["doc"]["verify_url"] == services.verification_url(document.pk)


def test_file_is_removed_when_the_row_cannot_be_written(stub_rendering, monkeypatch):
    media = Path(settings.MEDIA_ROOT) / "documents"
    before = set(media.rglob("*.pdf")) if media.exists() else set()

    def failing_save(self, *args, **kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(Document, "save", failing_save)
    with pytest.raises(RuntimeError):
        _issue("repair:4:commitment_letter")
    after = set(media.rglob("*.pdf")) if media.exists() else set()
    assert after == before


def test_losing_a_race_on_the_key_returns_the_winner_and_removes_the_losers_file(stub_rendering, monkeypatch):
    winner = _issue("repair:5:commitment_letter")
    media = Path(settings.MEDIA_ROOT) / "documents"
    files_before = set(media.rglob("*.pdf"))
    # Simulate the race: the loser's look-up ran before the winner's row existed.
    real_existing = services._existing
    calls = {"n": 0}

    def stale_first_lookup(key, **kwargs):
        calls["n"] += 1
        return None if calls["n"] == 1 else real_existing(key, **kwargs)

    monkeypatch.setattr(services, "_existing", stale_first_lookup)
    loser = _issue("repair:5:commitment_letter")
    assert loser.pk == winner.pk
    assert set(media.rglob("*.pdf")) == files_before
    assert Document.objects.filter(idempotency_key="repair:5:commitment_letter").count() == 1


def test_signed_content_cannot_be_changed_but_title_and_owner_can(stub_rendering):
    document = _issue("repair:6:commitment_letter")
    for field, value in [
        ("sha256", "0" * 64),
        ("file", "documents/2026/other.pdf"),
        ("size", 1),
        ("case_no", "XF-2026-999999"),
        ("context", {"subject": {"name": "改过的"}}),
    ]:
        fresh = Document.objects.get(pk=document.pk)
        setattr(fresh, field, value)
        with pytest.raises(ImmutableDocumentError):
            fresh.save()
    fresh = Document.objects.get(pk=document.pk)
    fresh.title = "新标题"
    fresh.owner = factories.SubjectFactory()
    fresh.save()
    fresh.refresh_from_db()
    assert fresh.sha256 == document.sha256 and fresh.title == "新标题"


def test_idempotency_key_is_unique_in_the_database(stub_rendering):
    document = _issue("repair:7:commitment_letter")
    clone = Document(
        kind=document.kind,
        case_no=document.case_no,
        subject_code=document.subject_code,
        title=document.title,
        file=document.file.name,
        sha256=document.sha256,
        size=document.size,
        idempotency_key=document.idempotency_key,
    )
    with pytest.raises(IntegrityError):
        clone.save()


# --- verification -------------------------------------------------------------


def test_verify_document_accepts_the_untouched_document(issued_document):
    result = services.verify_document(issued_document.pk)
    assert result.valid and result.signature_ok and result.hash_ok
    assert result.kind == KIND and result.case_no == CASE_NO
    assert result.sha256 == issued_document.sha256
    assert result.document_id == issued_document.pk


def test_a_tampered_byte_in_the_stored_file_makes_verify_document_invalid(issued_document):
    path = Path(issued_document.file.path)
    original = path.read_bytes()
    try:
        path.write_bytes(_tampered(original))
        result = services.verify_document(issued_document.pk)
        assert result.valid is False
        assert result.hash_ok is False
        assert result.signature_ok is False
    finally:
        path.write_bytes(original)
    assert services.verify_document(issued_document.pk).valid is True


def test_file_and_hash_altered_together_still_fail_on_the_signature(issued_document):
    """Someone with write access to storage and database cannot forge a valid document."""
    tampered = _tampered(_stored_bytes(issued_document))
    forged = Document.objects.create(
        kind=KIND,
        case_no=CASE_NO,
        subject_code="X",
        title="伪造",
        file=issued_document.file.name + ".forged.pdf",
        sha256=hashlib.sha256(tampered).hexdigest(),
        size=len(tampered),
        signed=True,
        idempotency_key="forged:1",
    )
    Path(forged.file.path).write_bytes(tampered)
    try:
        result = services.verify_document(forged.pk)
        assert result.hash_ok is True
        assert result.signature_ok is False
        assert result.valid is False
    finally:
        Path(forged.file.path).unlink()


def test_missing_stored_file_is_invalid_not_an_error(issued_document):
    ghost = Document.objects.create(
        kind=KIND,
        case_no=CASE_NO,
        subject_code="X",
        title="丢失",
        file="documents/2026/missing.pdf",
        sha256=issued_document.sha256,
        size=1,
        signed=True,
        idempotency_key="ghost:1",
    )
    result = services.verify_document(ghost.pk)
    assert result.valid is False and result.hash_ok is False and result.signature_ok is False


def test_verify_uploaded_pdf_recognises_our_exact_bytes(issued_document):
    result = services.verify_uploaded_pdf(_stored_bytes(issued_document))
    assert result is not None
    assert result.valid and result.signature_ok
    assert result.document_id == issued_document.pk
    assert result.case_no == CASE_NO


def test_verify_uploaded_pdf_rejects_a_tampered_copy(issued_document):
    assert services.verify_uploaded_pdf(_tampered(_stored_bytes(issued_document))) is None
    assert services.verify_uploaded_pdf(b"%PDF-1.7 not ours") is None


def test_uploaded_bytes_with_a_known_hash_but_a_broken_signature_are_invalid(issued_document, sample_pdf):
    """If a row's hash ever pointed at unsigned bytes, the upload check still says no."""
    unsigned = sample_pdf["unsigned"]
    Document.objects.create(
        kind=KIND,
        case_no=CASE_NO,
        subject_code="X",
        title="未签章",
        file="documents/2026/unsigned.pdf",
        sha256=hashlib.sha256(unsigned).hexdigest(),
        size=len(unsigned),
        signed=True,
        idempotency_key="unsigned:1",
    )
    result = services.verify_uploaded_pdf(unsigned)
    assert result is not None and result.valid is False and result.signature_ok is False


@pytest.mark.parametrize("document_id", ["not-a-uuid", "00000000-0000-4000-8000-000000000000", ""])
def test_unknown_or_malformed_ids_are_not_found(document_id):
    with pytest.raises(NotFound):
        services.verify_document(document_id)
    with pytest.raises(NotFound):
        selectors.document_for_public(document_id)


def test_public_projection_shows_nothing_personal(issued_document):
    public = selectors.document_for_public(str(issued_document.pk))
    body = public.as_contract()
    # The contract's fields, extended with whether the platform's signature checks out.
    assert set(body) == {"valid", "kind", "case_no", "sha256", "issued_at", "signature_ok"}
    assert body["valid"] is True and body["signature_ok"] is True
    assert body["kind"] == "commitment_letter" and public.kind_label == "信用承诺书"
    assert body["case_no"] == CASE_NO and body["sha256"] == issued_document.sha256
    flat = repr(public)
    for personal in ("青衣江", "91511800MA62X0Q12T", "203.0.113.24", "李明"):
        assert personal not in flat


def test_a_pdf_signed_with_another_certificate_is_not_ours(settings, tmp_path, signing_folder):
    """Only the platform's own certificate is trusted, not any self-signed one."""
    from pypdf import PdfWriter

    from creditrepair.documents import signing

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    settings.DOCUMENT_SIGNING_DIR = str(tmp_path / "stranger")
    stranger_signed = services.sign_pdf(buffer.getvalue())
    assert services._signature_ok(stranger_signed) is True  # valid for its own trust root
    settings.DOCUMENT_SIGNING_DIR = str(signing_folder)
    assert signing.signing_dir() == signing_folder
    assert services._signature_ok(stranger_signed) is False


def test_background_task_issues_once_per_key(stub_rendering):
    from creditrepair.documents.tasks import issue_document_task, owner_reference

    subject = factories.SubjectFactory()
    operator = factories.operator_user()
    arguments = {
        "kind": DocumentKind.DECISION_NOTICE.value,
        "template_name": TEMPLATES[DocumentKind.DECISION_NOTICE],
        "context": SAMPLE_CONTEXTS[DocumentKind.DECISION_NOTICE],
        "case_no": CASE_NO,
        "subject_code": subject.code,
        "idempotency_key": "repair:8:decision_notice",
        "owner": owner_reference(subject),
        "issued_by_id": operator.pk,
    }
    first = issue_document_task.delay(**arguments).get()
    second = issue_document_task.delay(**arguments).get()
    assert first == second
    document = Document.objects.get(pk=first)
    assert document.owner == subject and document.issued_by == operator
    assert len(stub_rendering) == 1
