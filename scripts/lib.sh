# Shared helpers for the scripts in this folder (sourced, not run).
# Every script cds to the repository root first, so paths here are relative to it.

VENV_DIR=${VENV_DIR:-.venv}
VENV_PY="$VENV_DIR/bin/python"

say()  { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# is_ci: true when running under CI (CI=true), where nothing may be skipped.
is_ci() { [ "${CI:-}" = "true" ]; }

# missing_debs PKG...: print the packages that dpkg does not show as installed.
missing_debs() {
    local pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        [ "$status" = "install ok installed" ] || printf '%s\n' "$pkg"
    done
}

# as_root CMD...: run CMD as root: directly when root, through sudo otherwise.
# Without a terminal (CI, scripts) sudo must work without a password.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo "$@"
    elif command -v sudo >/dev/null 2>&1 && [ -t 0 ] && ! is_ci; then
        sudo "$@"
    else
        return 126
    fi
}

# apt_install PKG...: install the Debian packages that are not installed yet.
# Does nothing (and needs no network) when dpkg shows them all installed.
apt_install() {
    local missing
    command -v dpkg-query >/dev/null 2>&1 || die "this is not a Debian/Ubuntu system: install these packages by hand: $*"
    missing=$(missing_debs "$@" | tr '\n' ' ')
    missing=${missing% }
    [ -n "$missing" ] || return 0
    say "installing system packages: $missing"
    local rc=0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || rc=$?
    if [ "$rc" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing \
            >/dev/null || rc=$?
    fi
    case "$rc" in
        0) ;;
        126) die "need root to install system packages and cannot use sudo here.
       Run as root (or with sudo) once:  apt-get update && apt-get install -y $missing" ;;
        *) die "apt-get failed (exit $rc) installing: $missing" ;;
    esac
    missing=$(missing_debs "$@" | tr '\n' ' ')
    [ -z "${missing% }" ] || die "still not installed after apt-get: $missing"
}

# now: seconds since the epoch with decimals, for timing.
now() { date +%s.%N; }
# elapsed START: seconds since START, one decimal.
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }
