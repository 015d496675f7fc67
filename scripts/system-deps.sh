#!/usr/bin/env bash
# Install the Debian/Ubuntu packages WeasyPrint, the PDF/QR checks and the translations need,
# plus any extra packages named on the command line (`make test` adds chromium).
# Skips apt entirely when dpkg shows everything installed, so a second run is instant and offline.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

SYSTEM_PACKAGES=(
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint
    fonts-noto-cjk                                          # Chinese text in PDFs and pages
    poppler-utils                                           # pdftotext/pdftoppm for PDF tests
    gettext                                                 # compilemessages / makemessages
    zbar-tools                                              # zbarimg reads QR codes back in tests
)

apt_install "${SYSTEM_PACKAGES[@]}" "$@"
say "system packages present: ${SYSTEM_PACKAGES[*]}${*:+ $*}"
