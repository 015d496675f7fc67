#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the configured database and MEDIA_ROOT, then verify the
# audit chain. Overwrites the database: asks first unless --yes is given.
# Usage: scripts/restore.sh BACKUP_DIR [--yes]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
[ $# -ge 1 ] || die "usage: scripts/restore.sh BACKUP_DIR [--yes]"
[ -d "$1" ] || die "no such backup folder: $1"
[ -x "$VENV_PY" ] || die "no $VENV_PY yet: run make venv first"
say "restoring $1"
"$VENV_PY" manage.py restore_data "$@"
