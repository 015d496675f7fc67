#!/usr/bin/env bash
# Back up the database and the stored files (MEDIA_ROOT) into backups/<timestamp>/ (or --dest DIR).
# PostgreSQL (DATABASE_URL=postgres://…): pg_dump -Fc; SQLite: a consistent copy by SQLite's backup API.
# Usage: scripts/backup.sh [--dest DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
[ -x "$VENV_PY" ] || die "no $VENV_PY yet: run make venv first"
say "backing up the database and MEDIA_ROOT"
"$VENV_PY" manage.py backup_data "$@"
