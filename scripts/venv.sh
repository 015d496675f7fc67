#!/usr/bin/env bash
# Create .venv with Python 3.11+ and install the project with its test extras.
# pip runs only when pyproject.toml (or the venv's Python) changed since the last
# successful install: a stamp in .venv records what was installed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

STAMP="$VENV_DIR/.creditrepair-installed"

# A Python the project supports (pyproject: >=3.11,<3.14).
supported() { "$1" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 14)))' 2>/dev/null; }

pick_python() {
    if command -v python3.11 >/dev/null 2>&1 && supported python3.11; then
        echo python3.11
    elif command -v python3 >/dev/null 2>&1 && supported python3; then
        echo python3
    else
        die "Python 3.11 to 3.13 is needed: install python3.11 (Debian/Ubuntu: apt-get install python3.11 python3.11-venv);
       found: $(python3 --version 2>&1 || echo 'no python3')"
    fi
}

create_venv() {
    local py err
    py=$(pick_python)
    say "creating $VENV_DIR with $($py --version 2>&1)"
    if ! err=$("$py" -m venv --clear "$VENV_DIR" 2>&1); then
        # Debian/Ubuntu ship venv/ensurepip separately (python3.X-venv).
        local ver
        ver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
        command -v dpkg-query >/dev/null 2>&1 || die "cannot create $VENV_DIR: $err"
        apt_install "python$ver-venv"
        rm -rf "$VENV_DIR"
        "$py" -m venv "$VENV_DIR" || die "cannot create $VENV_DIR with $py"
    fi
}

if [ ! -x "$VENV_PY" ] || ! supported "$VENV_PY"; then
    create_venv
fi

# What an install depends on: the project's metadata and the interpreter.
want=$( { cat pyproject.toml; "$VENV_PY" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    say "$VENV_DIR up to date ($("$VENV_PY" --version))"
    exit 0
fi

say "installing the project into $VENV_DIR (pip install -e '.[test]')"
start=$(now)
rm -f "$STAMP"
log="$VENV_DIR/pip-install.log"
if ! "$VENV_PY" -m pip install --disable-pip-version-check -e '.[test]' >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "pip install failed (full log: $log)"
fi
echo "$want" > "$STAMP"
say "installed in $(elapsed "$start")s"
