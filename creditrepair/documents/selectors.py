"""Reads of documents, including the public projection."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from .models import Document, DocumentKind


@dataclass(frozen=True)
class PublicDocument:
    """What anyone holding the document id may see: nothing personal."""

    id: uuid.UUID
    kind: str
    kind_label: str
    case_no: str
    sha256: str
    issued_at: datetime
    valid: bool
    signature_ok: bool = False
    hash_ok: bool = False

    def as_contract(self) -> dict:
        """The body of ``GET /api/v1/public/documents/{id}/verify``."""
        return {
            "valid": self.valid,
            "kind": self.kind,
            "case_no": self.case_no,
            "sha256": self.sha256,
            "issued_at": self.issued_at,
            "signature_ok": self.signature_ok,
        }


def document_for_public(document_id) -> PublicDocument:
    """The public projection of a document, with its verification result.

    Raises ``NotFound`` for an unknown or malformed id (the same answer for both).
    """
    from .services import verify_document

    result = verify_document(document_id)
    return PublicDocument(
        id=result.document_id,
        kind=result.kind,
        kind_label=str(DocumentKind(result.kind).label),
        case_no=result.case_no,
        sha256=result.sha256,
        issued_at=result.issued_at,
        valid=result.valid,
        signature_ok=result.signature_ok,
        hash_ok=result.hash_ok,
    )


def document_by_key(idempotency_key: str) -> Document | None:
    return Document.objects.filter(idempotency_key=idempotency_key).first()


def documents_for_owner(owner):
    """The documents linked to a case object, newest first."""
    return Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=str(owner.pk)
    ).order_by("-issued_at")
