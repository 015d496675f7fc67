#!/usr/bin/env bash
# Run the project's pytest from .venv with the given arguments.
# pytest's exit 5 (no tests collected) is turned into a failure: a test pass that
# runs nothing must never look green.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

mkdir -p test-output
"$VENV_DIR/bin/pytest" "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
    printf 'error: pytest collected no tests (exit 5) for: pytest %s\n' "$*" >&2
    exit 1
fi
exit "$rc"
