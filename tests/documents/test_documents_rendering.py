"""A rendered document carries its content, embedded Chinese fonts, a valid signature and a QR code."""

import io
import re

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from creditrepair.documents import services, signing
from creditrepair.documents.models import DocumentKind
from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES

from tests.documents.documents_support import CASE_NO, fake_header, run_tool, squeeze


def test_pdftotext_reads_back_subject_case_number_and_every_commitment(sample_pdf):
    text = squeeze(run_tool("pdftotext", "-layout", str(sample_pdf["path"]), "-"))
    context = sample_pdf["context"]
    assert "信用承诺书" in text
    assert squeeze(context["subject"]["name"]) in text
    assert context["subject"]["code"] in text
    assert CASE_NO in text
    assert context["record"]["decision_no"] in text
    for commitment in context["commitments"]:
        assert squeeze(commitment) in text
    assert "203.0.113.24" in text  # the signing IP is printed
    assert "本文件由平台电子签章，扫描二维码核验" in text


def test_pypdf_reads_back_the_same_text(sample_pdf):
    reader = PdfReader(io.BytesIO(sample_pdf["signed"]))
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    assert squeeze(sample_pdf["context"]["subject"]["name"]) in text
    assert CASE_NO in text
    for commitment in sample_pdf["context"]["commitments"]:
        assert squeeze(commitment) in text


def test_pdf_is_a4(sample_pdf):
    page = PdfReader(io.BytesIO(sample_pdf["signed"])).pages[0]
    width_mm = float(page.mediabox.width) * 25.4 / 72
    height_mm = float(page.mediabox.height) * 25.4 / 72
    assert (round(width_mm), round(height_mm)) == (210, 297)


def test_pdffonts_shows_an_embedded_noto_cjk_font(sample_pdf):
    lines = run_tool("pdffonts", str(sample_pdf["path"])).splitlines()[2:]
    fonts = []
    for line in lines:
        fields = line.split()
        # name ... emb sub uni object ID: read the flags from the right.
        fonts.append((fields[0], fields[-5]))
    cjk = [(name, emb) for name, emb in fonts if re.search(r"Noto.*CJK", name)]
    assert cjk, fonts
    assert all(emb == "yes" for _, emb in cjk), cjk
    assert all(emb == "yes" for _, emb in fonts), "every font must be embedded"


def test_signature_validates_with_pyhanko_against_the_platform_certificate(sample_pdf):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(sample_pdf["signed"]))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=signing.trusted_certificates())
    status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == "信用雅安 平台电子签章 (演示)"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_unsigned_pdf_is_not_accepted_as_signed(sample_pdf):
    assert services._signature_ok(sample_pdf["signed"]) is True
    assert services._signature_ok(sample_pdf["unsigned"]) is False


def test_qr_code_decodes_to_the_verification_url(sample_pdf, tmp_path):
    run_tool("pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(sample_pdf["path"]), str(tmp_path / "page"))
    (png,) = tmp_path.glob("page*.png")
    decoded = run_tool("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)).strip()
    assert decoded == services.verification_url(sample_pdf["id"])
    assert decoded.endswith(f"/verify/{sample_pdf['id']}/")


def test_verification_url_uses_public_base_url(settings):
    settings.PUBLIC_BASE_URL = "https://xyxf.example.gov.cn/"
    url = services.verification_url("0b7e3d0e-35ad-4d1a-9f5b-3a0b1c2d4e5f")
    assert url == "https://xyxf.example.gov.cn/verify/0b7e3d0e-35ad-4d1a-9f5b-3a0b1c2d4e5f/"


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_template_renders_its_documented_context(kind):
    """Cheap check of all nine templates (HTML only; the PDF path is covered above)."""
    context = SAMPLE_CONTEXTS[kind]
    header = fake_header(kind)
    html = render_to_string(TEMPLATES[kind], {**context, "doc": header})
    assert str(kind.label) in html
    assert CASE_NO in html
    assert context["subject"]["name"] in html
    assert "本文件由平台电子签章，扫描二维码核验" in html
    assert "None" not in html
    for item in context.get("commitments", []) + context.get("missing", []):
        assert item in html
    for change in context.get("corrections", []):
        assert change["old"] in html and change["new"] in html


def test_decision_notice_states_denial_and_keeps_publication():
    kind = DocumentKind.DECISION_NOTICE
    context = {**SAMPLE_CONTEXTS[kind], "outcome": "denied", "publication_stopped_at": None}
    html = render_to_string(TEMPLATES[kind], {**context, "doc": fake_header(kind)})
    assert "不予信用修复" in html and "继续公示" in html
    assert "予以信用修复。" not in html


def test_templates_escape_user_supplied_text():
    kind = DocumentKind.COMMITMENT_LETTER
    context = {**SAMPLE_CONTEXTS[kind], "subject": {"name": "<img src=x>恶意", "code": "1"}}
    html = render_to_string(TEMPLATES[kind], {**context, "doc": fake_header(kind)})
    assert "<img src=x>" not in html
    assert "&lt;img src=x&gt;恶意" in html


def test_rendering_fetches_nothing_from_the_network():
    fetcher = services._make_url_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("data:text/plain;base64,eA==").read() == b"x"


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_optional_context_keys_may_be_left_out(kind):
    minimal = {
        "subject": {"name": "某公司", "code": "91511800MA62X0Q12T"},
        "commitments": ["按期履行全部义务。"],
        "reason": "理由如下。",
        "outcome": "kept",
    }
    html = render_to_string(TEMPLATES[kind], {**minimal, "doc": fake_header(kind)})
    assert "某公司" in html and "None" not in html
