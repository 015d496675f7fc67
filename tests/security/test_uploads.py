"""Uploads (issue 8, item 5): the type comes from the content, the size is capped, names are sanitised,
files are stored outside the web root and handed out only as attachments to who may see them."""

import hashlib
import io
import random
import re
import uuid
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver
from PIL import Image

from creditrepair.core.errors import FileRejected, FileTooLarge
from creditrepair.core.uploads import safe_filename, validate_upload
from creditrepair.documents.models import Document
from creditrepair.objections import services as objection_services
from creditrepair.repairs import services as repair_services

# Fixtures of other areas, reused (pytest finds fixtures imported into a test module).
from tests.courts.conftest import court, judge, make_listing, suspend  # noqa: F401
from tests.objections.conftest import file_objection, objection, published_record  # noqa: F401
from tests.repairs.conftest import platform_operator, repairable_record  # noqa: F401
from tests.repairs.repairs_support import PDF_BYTES

# --------------------------------------------------------------------------- sample files


def image_bytes(fmt: str, size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=fmt)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("payload.html", "<html><script>alert(1)</script></html>")
    return buffer.getvalue()


def pdf_with(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def padded_pdf(megabytes: float) -> bytes:
    """A PDF with a large uncompressed stream: whatever follows it is far beyond the file's head."""
    filler = b"0" * int(megabytes * 1024 * 1024)
    return pdf_with(b"4 0 obj<</Length %d>>stream\n" % len(filler) + filler + b"\nendstream endobj")


def object_stream_pdf(hidden: bytes) -> bytes:
    """A PDF whose objects sit in a Flate-compressed object stream (where a scanner of raw bytes sees nothing)."""
    packed = zlib.compress(b"5 0 " + hidden)
    return pdf_with(b"6 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(packed)
                    + packed + b"\nendstream endobj")


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def noisy_pdf(megabytes: int) -> bytes:
    """A PDF carrying a stream of random bytes (like a scanned page's image): must not be refused by chance."""
    noise = random.Random(8).randbytes(megabytes * 1024 * 1024)
    return pdf_with(b"7 0 obj<</Type/XObject/Subtype/Image/Filter/DCTDecode/Length %d>>stream\n" % len(noise)
                    + noise + b"\nendstream endobj")


def noisy_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1200, 1200), random.Random(9).randbytes(1200 * 1200 * 3)).save(
        buffer, format="JPEG", quality=95)
    return buffer.getvalue()


JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")

REFUSED = {
    "html renamed .pdf": ("report.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
    "svg renamed .png": ("chart.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'></svg>"),
    "xml svg renamed .png": ("chart.png", b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>"),
    "gif": ("photo.png", image_bytes("GIF")),
    "zip": ("bundle.pdf", zip_bytes()),
    "pdf+zip polyglot": ("proof.pdf", PDF_BYTES + zip_bytes()),
    "pdf+zip polyglot, archive after 2 MB": ("proof.pdf", padded_pdf(2) + zip_bytes()),
    "png+zip polyglot": ("proof.png", PNG + zip_bytes()),
    "jpeg+html polyglot after the head": ("proof.jpg", JPEG + b"\n<html><script>alert(1)</script></html>"),
    "pdf with html in the head": ("proof.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>"),
    "pdf with /JavaScript": ("proof.pdf", pdf_with(
        b"1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj")),
    "pdf with a #-escaped /JavaScript": ("proof.pdf", pdf_with(
        b"1 0 obj<</Type/Catalog/OpenAction<</S/J#61vaScript/J#53 (app.alert(1))>>>>endobj")),
    "pdf with /Launch": ("proof.pdf", pdf_with(
        b"1 0 obj<</Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>>>endobj")),
    "pdf with an embedded file": ("proof.pdf", pdf_with(
        b"1 0 obj<</Type/Catalog/Names<</EmbeddedFiles 2 0 R>>>>endobj")),
    "pdf with /JavaScript after a stream": ("proof.pdf", pdf_with(
        b"4 0 obj<</Length 1>>stream\nx\nendstream\nendobj\n"
        b"1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
        b"5 0 obj<</Length 1>>stream\ny\nendstream\nendobj")),
    "pdf hiding /JavaScript behind a fake stream keyword in a string": ("proof.pdf", pdf_with(
        b"3 0 obj<</Title(>>stream\n)>>endobj\n"
        b"1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
        b"5 0 obj<</Length 1>>stream\ny\nendstream\nendobj")),
    "pdf with /JS in a compressed object stream": ("proof.pdf", object_stream_pdf(
        b"<</S/JavaScript/JS(app.alert(1))>>")),
    "jpeg that does not decode": ("photo.jpg", JPEG[: len(JPEG) // 2]),
    "jpeg signature only": ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"),
    "png with a broken checksum": ("photo.png", PNG[:-8] + b"\x00\x00\x00\x00" + PNG[-4:]),
    "empty file": ("empty.pdf", b""),
}


# --------------------------------------------------------------------------- the content decides


@pytest.mark.parametrize("name,data,expected", [
    ("proof.png", PDF_BYTES, ("application/pdf", "pdf")),
    ("proof.pdf", JPEG, ("image/jpeg", "jpg")),
    ("proof.exe", PNG, ("image/png", "png")),
    ("big.pdf", padded_pdf(3), ("application/pdf", "pdf")),
    ("scan.pdf", noisy_pdf(8), ("application/pdf", "pdf")),
    ("photo.jpg", noisy_jpeg(), ("image/jpeg", "jpg")),
])
def test_pdf_jpeg_and_png_are_accepted_by_content_whatever_their_name(name, data, expected):
    assert validate_upload(upload(name, data, "text/html")) == expected


def test_a_pdf_the_platform_itself_signed_is_accepted(tmp_path, settings):
    """Subjects upload notices the platform issued: WeasyPrint + pyHanko output must pass the checks."""
    from creditrepair.documents.models import DocumentKind
    from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES
    from creditrepair.documents.services import render_pdf, sign_pdf, template_header
    from django.utils import timezone

    settings.DOCUMENT_SIGNING_DIR = str(tmp_path)
    kind = DocumentKind.ACCEPTANCE_NOTICE
    header = template_header(document_id=uuid.uuid4(), kind=kind, title=str(kind.label), case_no="XF-2026-000001",
                             subject_code=SAMPLE_CONTEXTS[kind]["subject"]["code"], issued_at=timezone.now())
    signed = sign_pdf(render_pdf(TEMPLATES[kind], {**SAMPLE_CONTEXTS[kind], "doc": header}))
    assert validate_upload(upload("通知书.pdf", signed)) == ("application/pdf", "pdf")


@pytest.mark.parametrize("case", list(REFUSED))
def test_anything_but_a_clean_pdf_jpeg_or_png_is_refused_as_file_type(case):
    name, data = REFUSED[case]
    with pytest.raises(FileRejected) as refused:
        validate_upload(upload(name, data, "application/pdf"))
    assert refused.value.code == "file_type" and refused.value.status == 415


def test_a_file_over_the_cap_is_refused_as_file_too_large_even_without_a_declared_size(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(FileTooLarge) as declared:
        validate_upload(upload("big.pdf", padded_pdf(1.5)))
    assert declared.value.code == "file_too_large" and declared.value.status == 413
    # A stream whose size is not known in advance is counted while it is read.
    with pytest.raises(FileTooLarge):
        validate_upload(io.BytesIO(padded_pdf(1.5)))
    assert validate_upload(io.BytesIO(padded_pdf(0.5))) == ("application/pdf", "pdf")


def test_the_file_is_left_at_its_start_for_the_caller():
    uploaded = upload("a.png", PNG)
    validate_upload(uploaded)
    assert uploaded.read() == PNG


# --------------------------------------------------------------------------- over HTTP, both upload endpoints


@pytest.fixture
def repair_case(repairable_record, ent_user):
    return repair_services.repair_file(ent_user, repairable_record(), "申请修复")


@pytest.mark.parametrize("case", ["html renamed .pdf", "svg renamed .png", "gif", "zip", "pdf+zip polyglot",
                                  "pdf with /JavaScript"])
def test_both_upload_endpoints_answer_415_file_type(api, ent_user, repair_case, objection, case):
    name, data = REFUSED[case]
    client = api.as_user(ent_user)
    material = client.post(f"/api/v1/repairs/{repair_case.pk}/materials",
                           {"kind": "performance_proof", "file": upload(name, data)}, format="multipart")
    evidence = client.post(f"/api/v1/objections/{objection.pk}/evidence", {"file": upload(name, data)},
                           format="multipart")
    for response in (material, evidence):
        assert response.status_code == 415, response.content
        assert response.json()["code"] == "file_type" and response.json()["message"]
    assert repair_case.materials.count() == 0 and objection.evidence.count() == 0


def test_both_upload_endpoints_answer_413_file_too_large(api, ent_user, repair_case, objection, settings):
    settings.UPLOAD_MAX_BYTES = 512 * 1024
    client = api.as_user(ent_user)
    material = client.post(f"/api/v1/repairs/{repair_case.pk}/materials",
                           {"kind": "performance_proof", "file": upload("a.pdf", padded_pdf(1))}, format="multipart")
    evidence = client.post(f"/api/v1/objections/{objection.pk}/evidence", {"file": upload("a.pdf", padded_pdf(1))},
                           format="multipart")
    for response in (material, evidence):
        assert response.status_code == 413 and response.json()["code"] == "file_too_large"


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
    ("/etc/passwd", "passwd"),
    ("..", "file"),
    ("", "file"),
    ("report\x00.pdf\r\n.png", "report_.pdf_.png"),
    ("\u202egpj.exe", "gpj.exe"),
    ("缴款书<script>alert(1)<script>.pdf", "缴款书_script_alert_1_script_.pdf"),
    ("a<b>/c:d*e?.pdf", "c_d_e_.pdf"),
    ("ｆｕｌｌ／ｗｉｄｔｈ．ｐｄｆ", "width.pdf"),
])
def test_client_file_names_are_sanitised(name, expected):
    assert safe_filename(name) == expected


def test_very_long_names_are_cut_keeping_the_extension():
    cleaned = safe_filename("很长的文件名" * 100 + ".pdf")
    assert len(cleaned) <= 120 and cleaned.endswith(".pdf") and cleaned.startswith("很长的文件名")
    assert len(safe_filename("a" * 1000)) == 120


def test_stored_files_get_generated_names_under_media_root_outside_the_web_root(api, ent_user, repair_case,
                                                                                objection):
    client = api.as_user(ent_user)
    client.post(f"/api/v1/repairs/{repair_case.pk}/materials",
                {"kind": "performance_proof", "file": upload("../../etc/passwd.pdf", PDF_BYTES)}, format="multipart")
    client.post(f"/api/v1/objections/{objection.pk}/evidence", {"file": upload("../../x<y>.png", PNG)},
                format="multipart")
    material, evidence = repair_case.materials.get(), objection.evidence.get()
    assert material.original_name == "passwd.pdf" and evidence.original_name == "x_y_.png"
    media = Path(settings.MEDIA_ROOT).resolve()
    for stored in (material.file, evidence.file):
        path = Path(stored.path).resolve()
        assert media in path.parents and ".." not in stored.name and "passwd" not in stored.name
        for public in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
            assert public.resolve() not in path.parents
    # No URL serves MEDIA_ROOT directly: only the checked download views hand files out.
    assert settings.MEDIA_URL in (None, "")
    patterns = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not any("media" in p for p in patterns)


# --------------------------------------------------------------------------- downloads


def _document_for(owner, *, case_no, subject_code, kind="acceptance_notice") -> Document:
    return Document.objects.create(
        kind=kind, case_no=case_no, subject_code=subject_code, title="测试文书",
        file=ContentFile(PDF_BYTES, name="doc.pdf"), sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        size=len(PDF_BYTES), signed=False, idempotency_key=f"security-test:{uuid.uuid4()}",
        owner_type=ContentType.objects.get_for_model(owner), owner_id=str(owner.pk),
    )


def _assert_private_attachment(response, body: bytes):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == body


@pytest.fixture
def page_client():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def test_repair_material_and_document_downloads_are_private_attachments(api, ent_user, other_ent_user,
                                                                         other_dept_user, dept_user, repair_case):
    repair_services.repair_upload_material(ent_user, repair_case, "performance_proof", upload("a.png", PNG))
    material = repair_case.materials.get()
    document = _document_for(repair_case, case_no=repair_case.case_no, subject_code=repair_case.subject.code)
    urls = {f"/api/v1/repairs/{repair_case.pk}/materials/{material.pk}": PNG,
            f"/api/v1/documents/{document.pk}/download": PDF_BYTES}
    for url, body in urls.items():
        for user in (ent_user, dept_user):
            _assert_private_attachment(api.as_user(user).get(url), body)
        for stranger in (other_ent_user, other_dept_user):
            assert api.as_user(stranger).get(url).status_code == 404
        api.force_authenticate(None)
        assert api.get(url).status_code in (401, 403)


def test_objection_evidence_and_document_downloads_are_private_attachments(page_client, ent_user, other_ent_user,
                                                                           operator, objection):
    evidence = objection_services.objection_add_evidence(objection, actor=ent_user,
                                                         uploaded_file=upload("回执.png", PNG))
    document = _document_for(objection, case_no=objection.case_no, subject_code=objection.subject.code,
                             kind="objection_receipt")
    urls = {f"/objections/{objection.pk}/evidence/{evidence.pk}/": PNG,
            f"/objections/{objection.pk}/documents/{document.pk}/": PDF_BYTES}
    for url, body in urls.items():
        for user in (ent_user, operator):
            _assert_private_attachment(page_client(user).get(url), body)
        assert page_client(other_ent_user).get(url).status_code == 404
        assert Client().get(url).status_code == 302  # to the login page
    assert 'href="/objections/%d/evidence/%s/"' % (objection.pk, evidence.pk) in \
        page_client(operator).get(f"/staff/objections/{objection.pk}/").content.decode()


def test_the_court_commitment_download_is_a_private_attachment(page_client, judge, make_listing, suspend,
                                                               ent_user):
    import datetime as dt

    from creditrepair.courts.models import CourtSuspension

    case = suspend(judge, make_listing(judge).record, due_dates=[dt.date.today() + dt.timedelta(days=30)])
    document = _document_for(case, case_no=case.case_no, subject_code=case.record.subject.code,
                             kind="court_commitment")
    CourtSuspension.objects.filter(pk=case.pk).update(commitment_document=document)
    url = f"/court/suspensions/{case.pk}/commitment.pdf"
    _assert_private_attachment(page_client(judge).get(url), PDF_BYTES)
    assert page_client(ent_user).get(url).status_code in (403, 404)


def test_every_view_that_streams_a_stored_file_uses_the_private_download_helper():
    """A new download view must not hand out stored files inline: FileResponse of a stored file only in the
    helpers (core.downloads, the API's _attachment); imports hands out its own static templates."""
    allowed = {"creditrepair/core/downloads.py", "creditrepair/api/repairs.py", "creditrepair/imports/views.py"}
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in (root / "creditrepair").rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative not in allowed and re.search(r"\bFileResponse\(", path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == []
    api_helper = (root / "creditrepair/api/repairs.py").read_text(encoding="utf-8")
    assert "as_attachment=True" in api_helper and "nosniff" in api_helper
