"""The platform's signing key and certificate.

Production sets ``DOCUMENT_SIGNING_KEY`` and ``DOCUMENT_SIGNING_CERT`` (PEM file
paths) and, if the key is encrypted, ``DOCUMENT_SIGNING_KEY_PASSPHRASE``.
Without them (embedded default, tests) a self-signed *demonstration*
certificate is generated once under the signing folder
(``DOCUMENT_SIGNING_DIR``, default ``VAR_DIR / "signing"``) — by
``manage.py make_signing_cert`` or lazily on the first signature.

Certificates that signed earlier documents stay trusted for verification when
they are kept as ``retired-*.pem`` in the signing folder or listed in
``DOCUMENT_SIGNING_TRUSTED_CERTS`` (paths).
"""

import datetime
import fcntl
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEMO_KEY_NAME = "demo-signing-key.pem"
DEMO_CERT_NAME = "demo-signing-cert.pem"
DEMO_VALIDITY_DAYS = 3650
DEMO_KEY_BITS = 2048


@dataclass(frozen=True)
class SigningPaths:
    key: Path
    cert: Path
    passphrase: bytes | None
    configured: bool  # True when the paths come from settings (production)


def platform_name() -> str:
    return getattr(settings, "PLATFORM_NAME", None) or "信用雅安"


def signing_dir() -> Path:
    configured = getattr(settings, "DOCUMENT_SIGNING_DIR", None)
    if configured:
        return Path(configured)
    var_dir = getattr(settings, "VAR_DIR", None)
    if var_dir:
        return Path(var_dir) / "signing"
    return Path(settings.MEDIA_ROOT).parent / "signing"


def signing_paths() -> SigningPaths:
    key = getattr(settings, "DOCUMENT_SIGNING_KEY", None)
    cert = getattr(settings, "DOCUMENT_SIGNING_CERT", None)
    passphrase = getattr(settings, "DOCUMENT_SIGNING_KEY_PASSPHRASE", None)
    if isinstance(passphrase, str):
        passphrase = passphrase.encode("utf-8")
    if key or cert:
        if not (key and cert):
            raise ImproperlyConfigured("Set both DOCUMENT_SIGNING_KEY and DOCUMENT_SIGNING_CERT, or neither.")
        return SigningPaths(Path(key), Path(cert), passphrase or None, configured=True)
    folder = signing_dir()
    return SigningPaths(folder / DEMO_KEY_NAME, folder / DEMO_CERT_NAME, None, configured=False)


def demo_common_name() -> str:
    return f"{platform_name()} 平台电子签章 (演示)"


def generate_demo_certificate(*, force: bool = False) -> SigningPaths:
    """Create the self-signed demo key and certificate if they do not exist.

    Safe against concurrent callers (a file lock around check-and-write). With
    ``force`` an existing certificate is kept as ``retired-<serial>.pem`` so the
    documents it signed still verify, and a new pair replaces it.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    paths = signing_paths()
    if paths.configured:
        raise ImproperlyConfigured(
            "DOCUMENT_SIGNING_KEY/DOCUMENT_SIGNING_CERT are configured; the demo certificate is not used."
        )
    folder = paths.cert.parent
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        exists = paths.key.exists() and paths.cert.exists()
        if exists and not force:
            return paths
        if exists:
            old = x509.load_pem_x509_certificate(paths.cert.read_bytes())
            (folder / f"retired-{old.serial_number:x}.pem").write_bytes(paths.cert.read_bytes())

        key = rsa.generate_private_key(public_exponent=65537, key_size=DEMO_KEY_BITS)
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, platform_name()),
                x509.NameAttribute(NameOID.COMMON_NAME, demo_common_name()),
            ]
        )
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1)
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=DEMO_VALIDITY_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_atomic(paths.key, key_pem, mode=0o600)
        _write_atomic(paths.cert, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    return paths


def _write_atomic(path: Path, data: bytes, *, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def ensure_signing_material() -> SigningPaths:
    """The paths to use for signing; generates the demo pair on first use."""
    paths = signing_paths()
    if paths.configured:
        for path in (paths.key, paths.cert):
            if not path.is_file():
                raise ImproperlyConfigured(f"Document signing file not found: {path}")
        return paths
    if not (paths.key.exists() and paths.cert.exists()):
        generate_demo_certificate()
    return paths


_signer_cache: dict = {}


def _file_version(path: Path) -> tuple:
    stat = path.stat()
    return (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _parsed_key_signer_class():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    class ParsedKeySigner(SimpleSigner):
        """pyHanko's ``SimpleSigner``, but the private key is parsed once, not for every raw signature.

        ``SimpleSigner.sign_raw`` loads the key from DER each time (with cryptography's RSA key check,
        ~20 ms) and PAdES signing signs twice (the size estimate and the signature). Other mechanisms than
        RSA PKCS#1 v1.5 keep pyHanko's own path.
        """

        _parsed_key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            try:
                mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            except ValueError:
                mechanism = None
            if mechanism != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            if self._parsed_key is None:
                self._parsed_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            return self._parsed_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    return ParsedKeySigner


def load_signer():
    """A pyHanko signer with the platform's key and certificate, loaded once per process.

    Reading and checking the key costs ~40 ms, more than the signature itself; the signer is kept until
    the key or certificate file changes (a new certificate is picked up at once).
    """
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    paths = ensure_signing_material()
    version = (_file_version(paths.key), _file_version(paths.cert), paths.passphrase)
    signer = _signer_cache.get(version)
    if signer is not None:
        return signer
    try:
        signing_key = load_private_key_from_pemder(str(paths.key), passphrase=paths.passphrase)
        signing_cert = load_cert_from_pemder(str(paths.cert))
    except (OSError, ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"Could not load the document signing key/certificate ({paths.key}, {paths.cert}); "
            "check the files and DOCUMENT_SIGNING_KEY_PASSPHRASE."
        ) from exc
    signer = _parsed_key_signer_class()(signing_cert=signing_cert, signing_key=signing_key,
                                        cert_registry=SimpleCertificateStore())
    _signer_cache.clear()
    _signer_cache[version] = signer
    return signer


def trusted_certificates() -> list:
    """asn1crypto certificates trusted as roots when validating our signatures."""
    from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder

    paths = ensure_signing_material()
    certs = [load_cert_from_pemder(str(paths.cert))]
    extra = [Path(p) for p in getattr(settings, "DOCUMENT_SIGNING_TRUSTED_CERTS", None) or []]
    extra += sorted(paths.cert.parent.glob("retired-*.pem")) if not paths.configured else []
    if extra:
        certs.extend(load_certs_from_pemder([str(p) for p in extra]))
    return certs
