"""Two workers issuing the same document at once end with one document and one file."""

import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from creditrepair.documents import services
from creditrepair.documents.models import Document, DocumentKind
from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES

from tests.documents.documents_support import CASE_NO

KIND = DocumentKind.COMMITMENT_LETTER


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_with_one_key_yields_one_document(monkeypatch, sample_pdf):
    key = "repair:race:commitment_letter"
    both_rendering = threading.Barrier(2, timeout=30)

    def render_in_step(template_name, context):
        both_rendering.wait()  # both have passed the "already issued?" look-up
        return sample_pdf["unsigned"]

    monkeypatch.setattr(services, "render_pdf", render_in_step)
    media = Path(settings.MEDIA_ROOT)
    files_before = set(media.rglob("*.pdf"))
    results, errors = [], []

    def worker():
        try:
            results.append(
                services.issue_document(
                    kind=KIND,
                    template_name=TEMPLATES[KIND],
                    context=SAMPLE_CONTEXTS[KIND],
                    case_no=CASE_NO,
                    subject_code="91511800MA62X0Q12T",
                    idempotency_key=key,
                )
            )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert len(results) == 2 and results[0].pk == results[1].pk
    document = Document.objects.get(idempotency_key=key)
    # The loser's file was removed: only the winner's file is new.
    assert set(media.rglob("*.pdf")) - files_before == {Path(document.file.path)}
    document.file.delete(save=False)
