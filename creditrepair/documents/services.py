"""Render, sign, store and verify the platform's PDF documents.

``issue_document`` is the one way to create a ``Document``: it renders a
Django template to PDF with WeasyPrint, signs it (PAdES, pyHanko) with the
platform's key, hashes the signed bytes and stores file and row together.
Generating twice with the same idempotency key returns the first document and
never renders again: a signed document is immutable.
"""

import base64
import hashlib
import io
import json
import logging
import mimetypes
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from creditrepair.core.errors import Conflict, InvalidInput, NotFound

from . import signing
from .models import Document, DocumentKind, document_upload_to

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "PlatformSignature"


# --- URLs and QR codes -------------------------------------------------------


def verification_url(document_id) -> str:
    """The public page that verifies a document; printed as the PDF's QR code (never move it).

    Reversed in the platform language, so the printed URL never depends on the
    language of whoever triggered the document.
    """
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("verify-document", args=[str(document_id)])
    return f"{base}{path}"


def qr_data_uri(text: str) -> str:
    """A PNG QR code of ``text`` as a ``data:`` URI for an ``<img>``."""
    import qrcode
    from qrcode.image.pil import PilImage

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# --- Rendering ---------------------------------------------------------------


def _static_file_for(url: str) -> Path | None:
    """The local file behind a STATIC_URL address, or None."""
    from django.contrib.staticfiles import finders

    static_url = str(getattr(settings, "STATIC_URL", "/static/") or "/static/")
    path = unquote(urlsplit(url).path)
    static_path = urlsplit(static_url).path
    if not path.startswith(static_path):
        return None
    relative = path[len(static_path) :]
    found = finders.find(relative)
    if found:
        return Path(found)
    root = getattr(settings, "STATIC_ROOT", None)
    if root:
        candidate = (Path(root) / relative).resolve()
        if candidate.is_file() and Path(root).resolve() in candidate.parents:
            return candidate
    return None


def _make_url_fetcher():
    """A WeasyPrint fetcher that serves data: URIs and our static files only.

    Nothing is fetched over the network while rendering a document.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = _static_file_for(url)
            if found is None:
                raise ValueError(f"refused to fetch {url!r} while rendering a document")
            content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})

    return LocalOnlyFetcher()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes (A4, CJK fonts embedded)."""
    import weasyprint  # heavy (Pango, fonts): imported only when a PDF is made

    html = render_to_string(template_name, context)
    base_url = str(getattr(settings, "PUBLIC_BASE_URL", "") or "http://localhost").rstrip("/") + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=_make_url_fetcher())
    return document.write_pdf()


# --- Signing -----------------------------------------------------------------


def sign_pdf(pdf_bytes: bytes) -> bytes:
    """Sign PDF bytes with the platform's key (PAdES baseline, invisible field)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signing.load_signer()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=_("平台电子签章"),
        location=signing.platform_name(),
        name=signing.platform_name(),
    )
    output = signers.sign_pdf(writer, meta, signer=signer)
    return output.getvalue()


def _signature_ok(pdf_bytes: bytes, *, at: datetime | None = None) -> bool:
    """True when the PDF holds exactly one intact signature of ours covering the whole file.

    ``at`` is the moment to validate the certificate at (the recorded issue
    time), so documents stay verifiable after the certificate expires.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    trust_roots = signing.trusted_certificates()  # a configuration error must not read as "invalid"
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes))
        embedded = reader.embedded_signatures
        if len(embedded) != 1:
            return False
        context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, moment=at)
        status = validate_pdf_signature(embedded[0], signer_validation_context=context)
    except Exception as exc:  # untrusted bytes: any failure to parse or validate means "not ours"
        logger.info("PDF signature validation failed: %s: %s", type(exc).__name__, exc)
        return False
    return bool(status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE)


# --- Issuing -----------------------------------------------------------------


def template_header(*, document_id, kind: DocumentKind, title, case_no, subject_code, issued_at) -> dict:
    url = verification_url(document_id)
    return {
        "id": str(document_id),
        "kind": kind.value,
        "kind_label": str(kind.label),
        "title": title,
        "case_no": case_no,
        "subject_code": subject_code,
        "issued_at": issued_at,
        "verify_url": url,
        "qr_data_uri": qr_data_uri(url),
        "platform_name": signing.platform_name(),
    }


def _existing(idempotency_key, *, kind, case_no):
    document = Document.objects.filter(idempotency_key=idempotency_key).first()
    if document is not None and (document.kind != kind or document.case_no != case_no):
        raise Conflict(
            _("幂等键已用于另一份文书。"),
            code="idempotency_key_reused",
            details={"idempotency_key": idempotency_key, "document": str(document.pk)},
        )
    return document


def issue_document(
    *,
    kind,
    template_name: str,
    context: dict,
    case_no: str,
    subject_code: str,
    idempotency_key: str,
    owner=None,
    issued_by=None,
    title: str | None = None,
) -> Document:
    """Render, sign, hash and store a document once per ``idempotency_key``.

    The template receives ``context`` plus ``doc`` (id, kind, kind_label, title,
    case_no, subject_code, issued_at, verify_url, qr_data_uri, platform_name).
    ``context`` must be JSON-serialisable (dates allowed); it is kept on the
    row for audit. All or nothing: the stored file is removed again when the
    row cannot be written. A concurrent caller with the same key gets the
    winner's document.
    """
    try:
        kind = DocumentKind(kind)
    except ValueError:
        raise InvalidInput(_("未知的文书类型。"), details={"kind": [str(kind)]}) from None
    if not idempotency_key:
        raise InvalidInput(_("缺少幂等键。"), details={"idempotency_key": [_("必填。")]})

    existing = _existing(idempotency_key, kind=kind, case_no=case_no)
    if existing is not None:
        return existing

    # Fails early (TypeError) on a context that cannot be kept for audit.
    stored_context = json.loads(json.dumps(context, cls=DjangoJSONEncoder))

    document_id = uuid.uuid4()  # known before rendering: it goes into the QR code
    issued_at = timezone.now()
    # An official document has one authoritative language: the platform's.
    with translation.override(settings.LANGUAGE_CODE):
        title = title or str(kind.label)
        header = template_header(
            document_id=document_id,
            kind=kind,
            title=title,
            case_no=case_no,
            subject_code=subject_code,
            issued_at=issued_at,
        )
        pdf = sign_pdf(render_pdf(template_name, {**context, "doc": header}))

    document = Document(
        id=document_id,
        kind=kind,
        case_no=case_no,
        subject_code=subject_code,
        title=title,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        issued_at=issued_at,
        issued_by=issued_by,
        signed=True,
        idempotency_key=idempotency_key,
        context=stored_context,
    )
    if owner is not None:
        document.owner_type = ContentType.objects.get_for_model(owner)
        document.owner_id = str(owner.pk)
    document.file.save(document_upload_to(document, ""), ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save(force_insert=True)
    except IntegrityError:
        document.file.delete(save=False)
        winner = _existing(idempotency_key, kind=kind, case_no=case_no)
        if winner is None:
            raise
        return winner
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


# --- Verification ------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    valid: bool
    kind: str
    case_no: str
    sha256: str
    issued_at: datetime
    signature_ok: bool
    hash_ok: bool = False
    document_id: uuid.UUID | None = None


def _get_document(document_id) -> Document:
    try:
        document_id = uuid.UUID(str(document_id))
    except ValueError:
        raise NotFound(_("文书不存在。")) from None
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("文书不存在。"))
    return document


def _read_stored(document: Document) -> bytes | None:
    try:
        with document.file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        logger.warning("Stored file of document %s cannot be read", document.pk, exc_info=True)
        return None


def verify_document(document_id) -> Verification:
    """Check the stored file against its recorded SHA-256 and its signature.

    Raises ``NotFound`` for an unknown or malformed id.
    """
    document = _get_document(document_id)
    data = _read_stored(document)
    hash_ok = data is not None and hashlib.sha256(data).hexdigest() == document.sha256
    signature_ok = data is not None and document.signed and _signature_ok(data, at=document.issued_at)
    return Verification(
        valid=hash_ok and signature_ok,
        kind=document.kind,
        case_no=document.case_no,
        sha256=document.sha256,
        issued_at=document.issued_at,
        signature_ok=signature_ok,
        hash_ok=hash_ok,
        document_id=document.pk,
    )


def verify_uploaded_pdf(data: bytes) -> Verification | None:
    """Verify a PDF someone uploaded: is it, byte for byte, a document we issued?

    Returns None when no document has these bytes' SHA-256 (a modified copy
    included); otherwise the verification, with the signature in the uploaded
    bytes validated.
    """
    digest = hashlib.sha256(data).hexdigest()
    document = Document.objects.filter(sha256=digest).order_by("issued_at").first()
    if document is None:
        return None
    signature_ok = document.signed and _signature_ok(data, at=document.issued_at)
    return Verification(
        valid=signature_ok,
        kind=document.kind,
        case_no=document.case_no,
        sha256=document.sha256,
        issued_at=document.issued_at,
        signature_ok=signature_ok,
        hash_ok=True,
        document_id=document.pk,
    )
