"""The signing certificate: a self-signed demo pair by default, configured files in production."""

import datetime
import io
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from pypdf import PdfWriter

from creditrepair.documents import services, signing


@pytest.fixture
def blank_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def own_folder(settings, tmp_path):
    settings.DOCUMENT_SIGNING_DIR = str(tmp_path / "signing")
    return tmp_path / "signing"


def _cert(path):
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_make_signing_cert_creates_the_demo_certificate(own_folder):
    out = io.StringIO()
    call_command("make_signing_cert", stdout=out)
    cert = _cert(own_folder / signing.DEMO_CERT_NAME)
    key = serialization.load_pem_private_key((own_folder / signing.DEMO_KEY_NAME).read_bytes(), None)
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "信用雅安 平台电子签章 (演示)"
    assert cert.issuer == cert.subject  # self-signed
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()
    validity = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert datetime.timedelta(days=3649) < validity < datetime.timedelta(days=3651)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert stat.S_IMODE((own_folder / signing.DEMO_KEY_NAME).stat().st_mode) == 0o600
    assert "Created" in out.getvalue()


def test_make_signing_cert_keeps_an_existing_pair_and_force_retires_it(own_folder):
    call_command("make_signing_cert", stdout=io.StringIO())
    first = _cert(own_folder / signing.DEMO_CERT_NAME)
    out = io.StringIO()
    call_command("make_signing_cert", stdout=out)
    assert _cert(own_folder / signing.DEMO_CERT_NAME) == first
    assert "Kept existing" in out.getvalue()

    call_command("make_signing_cert", "--force", stdout=io.StringIO())
    second = _cert(own_folder / signing.DEMO_CERT_NAME)
    assert second.serial_number != first.serial_number
    retired = own_folder / f"retired-{first.serial_number:x}.pem"
    assert _cert(retired) == first
    # Documents signed with the retired certificate still verify.
    trusted = {c.serial_number for c in signing.trusted_certificates()}
    assert {first.serial_number, second.serial_number} <= trusted


def test_signing_generates_the_demo_certificate_lazily(own_folder, blank_pdf):
    assert not own_folder.exists()
    signed = services.sign_pdf(blank_pdf)
    assert (own_folder / signing.DEMO_CERT_NAME).exists()
    assert services._signature_ok(signed)


def test_configured_key_and_certificate_are_used_with_their_passphrase(settings, tmp_path, blank_pdf):
    settings.DOCUMENT_SIGNING_DIR = str(tmp_path / "made")
    made = signing.generate_demo_certificate()
    key = serialization.load_pem_private_key(made.key.read_bytes(), None)
    encrypted = tmp_path / "prod-key.pem"
    encrypted.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"s3cret-pass"),
        )
    )
    settings.DOCUMENT_SIGNING_DIR = str(tmp_path / "unused-demo-folder")
    settings.DOCUMENT_SIGNING_KEY = str(encrypted)
    settings.DOCUMENT_SIGNING_CERT = str(made.cert)
    settings.DOCUMENT_SIGNING_KEY_PASSPHRASE = "s3cret-pass"

    signed = services.sign_pdf(blank_pdf)
    assert services._signature_ok(signed)
    assert not (tmp_path / "unused-demo-folder").exists()  # no demo pair in production mode
    with pytest.raises(CommandError):
        call_command("make_signing_cert", stdout=io.StringIO())

    settings.DOCUMENT_SIGNING_KEY_PASSPHRASE = "wrong"
    with pytest.raises(ImproperlyConfigured):
        services.sign_pdf(blank_pdf)


def test_half_configured_signing_is_refused(settings, tmp_path):
    settings.DOCUMENT_SIGNING_KEY = str(tmp_path / "key.pem")
    with pytest.raises(ImproperlyConfigured):
        signing.signing_paths()


def test_configured_files_that_do_not_exist_are_refused(settings, tmp_path, blank_pdf):
    settings.DOCUMENT_SIGNING_KEY = str(tmp_path / "key.pem")
    settings.DOCUMENT_SIGNING_CERT = str(tmp_path / "cert.pem")
    with pytest.raises(ImproperlyConfigured):
        services.sign_pdf(blank_pdf)
    # Verification must not report "invalid document" for a broken configuration.
    with pytest.raises(ImproperlyConfigured):
        services._signature_ok(blank_pdf)


def test_platform_name_setting_names_the_demo_certificate(settings, own_folder):
    settings.PLATFORM_NAME = "信用成都"
    paths = signing.generate_demo_certificate()
    cn = _cert(paths.cert).subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert cn == "信用成都 平台电子签章 (演示)"


def test_the_signer_is_loaded_once_and_a_new_certificate_is_picked_up_at_once(own_folder, blank_pdf):
    from pyhanko.pdf_utils.reader import PdfFileReader

    def signer_serial(pdf):
        return PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].signer_cert.serial_number

    first = services.sign_pdf(blank_pdf)
    assert signing.load_signer() is signing.load_signer()  # parsed once per process
    again = services.sign_pdf(blank_pdf)
    assert services._signature_ok(first) and services._signature_ok(again)
    assert signer_serial(first) == signer_serial(again)

    call_command("make_signing_cert", "--force", stdout=io.StringIO())
    rotated = services.sign_pdf(blank_pdf)
    assert services._signature_ok(rotated)
    assert signer_serial(rotated) == _cert(own_folder / signing.DEMO_CERT_NAME).serial_number != signer_serial(first)
