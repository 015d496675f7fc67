"""Generate the self-signed demonstration signing certificate."""

from cryptography import x509
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from creditrepair.documents import signing


class Command(BaseCommand):
    help = (
        "Create the self-signed demo certificate and key (RSA 2048, 10 years) the platform signs "
        "documents with when DOCUMENT_SIGNING_KEY/DOCUMENT_SIGNING_CERT are not set. "
        "Keeps an existing pair unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an existing demo pair; the old certificate stays trusted as retired-<serial>.pem.",
        )

    def handle(self, *args, force=False, **options):
        before = signing.signing_paths()
        if before.configured:
            raise CommandError(
                f"DOCUMENT_SIGNING_KEY/DOCUMENT_SIGNING_CERT are set ({before.cert}); "
                "the demo certificate would not be used."
            )
        existed = before.cert.exists() and before.key.exists()
        try:
            paths = signing.generate_demo_certificate(force=force)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        cert = x509.load_pem_x509_certificate(paths.cert.read_bytes())
        action = "Kept existing" if existed and not force else "Created"
        self.stdout.write(
            f"{action} demo signing certificate {cert.subject.rfc4514_string()}\n"
            f"  certificate: {paths.cert}\n  key:         {paths.key}\n"
            f"  valid until: {cert.not_valid_after_utc:%Y-%m-%d}"
        )
