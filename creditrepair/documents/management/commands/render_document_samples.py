"""Render every document template with its sample view-model, to look at the layouts."""

import uuid
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from creditrepair.documents import services
from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES


class Command(BaseCommand):
    help = "Render each document template with its sample context to <out>/<kind>.pdf (nothing is stored)."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="folder to write the PDFs to")
        parser.add_argument("--sign", action="store_true", help="also sign them with the platform key")

    def handle(self, *args, out, sign=False, **options):
        out.mkdir(parents=True, exist_ok=True)
        for kind, context in SAMPLE_CONTEXTS.items():
            header = services.template_header(
                document_id=uuid.uuid4(),
                kind=kind,
                title=str(kind.label),
                case_no="XF-2026-000123",
                subject_code=context["subject"]["code"],
                issued_at=timezone.now(),
            )
            pdf = services.render_pdf(TEMPLATES[kind], {**context, "doc": header})
            if sign:
                pdf = services.sign_pdf(pdf)
            target = out / f"{kind.value}.pdf"
            target.write_bytes(pdf)
            self.stdout.write(f"{target} ({len(pdf)} bytes)")
