#!/usr/bin/env bash
# Serve the prepared demo on a spare loopback port and walk the partner contract's happy paths
# (../shared/tools/contract_smoke.py) against it, as a partner platform would.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=../shared/tools/contract_smoke.py
[ -f "$smoke" ] || { echo "error: $smoke not found (shared/ must sit beside the repository)" >&2; exit 1; }
port=${SMOKE_PORT:-8765}
mkdir -p test-output
log=test-output/contract-smoke-server.log

.venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT

# Ready once the server gives any HTTP answer.
answers() {
    .venv/bin/python - "http://127.0.0.1:$port/api/v1/auth/me" <<'PY' 2>/dev/null
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass
PY
}
for _ in $(seq 1 120); do
    answers && break
    kill -0 "$server" 2>/dev/null || { echo "error: the demo server died:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.5
done
BASE="http://127.0.0.1:$port" python3 "$smoke"
