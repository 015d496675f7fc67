"""Helpers for the repair tests: uploads and supplying a case's materials."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from creditrepair.repairs import services
from creditrepair.repairs.models import UPLOADED

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name="proof.pdf", data=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def old_enough(months=5):
    return timezone.localdate() - dt.timedelta(days=31 * months)


def supply_materials(case, user, *, skip=()):
    """Everything the applicant supplies for ``case`` (except kinds in ``skip``)."""
    needed = [k for k in case.required_materials if k not in skip]
    for kind in ("commitment_letter", "credit_keeping_commitment"):
        if kind in needed:
            services.repair_sign_commitment(user, case, "张三", "法定代表人", kind=kind, ip="203.0.113.9")
    for kind in needed:
        if kind in [k.value for k in UPLOADED]:
            services.repair_upload_material(user, case, kind, pdf_upload(f"{kind}.pdf"))
    if "training_certificate" in needed:
        services.repair_record_training(user, case, "PX-2026-001", timezone.localdate())


def png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()
