"""Backups of the database and the stored files, and their restore (``make backup`` / ``make restore``).

A backup is a folder ``<root>/<UTC timestamp>/`` holding

- ``database.dump`` — ``pg_dump -Fc`` of the PostgreSQL database, or ``database.sqlite3`` — a consistent copy
  of the SQLite database made with SQLite's online backup API (safe while the app runs);
- ``media.tar.gz`` — MEDIA_ROOT: uploaded materials and evidence, issued documents;
- ``manifest.json`` — engine, time, and the SHA-256 of both files (checked before anything is restored).

Restore writes into the database and MEDIA_ROOT given (by default the configured ones): PostgreSQL with
``pg_restore --clean --if-exists --single-transaction``, SQLite by copying the backup into the file with the
backup API, the files by extracting the archive (with tarfile's ``data`` filter: no absolute paths, links out
of the folder or device files). Files written after the backup stay where they are.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """A backup could not be made or restored (tool missing or failed, manifest mismatch)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(database: dict) -> str:
    engine = database["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"unsupported database engine: {engine}")


def _pg_command(tool: str, database: dict) -> tuple[list[str], dict]:
    """The libpq arguments and environment for ``tool`` on ``database`` (password only in the environment)."""
    if not shutil.which(tool):
        raise BackupError(f"{tool} is not installed (apt-get install postgresql-client)")
    args = [tool, "--dbname", database["NAME"]]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}")


def _sqlite_source(database: dict):
    """A sqlite3 connection to the database: Django's own for an in-memory test database, else the file."""
    name = str(database["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        from django.db import connection

        connection.ensure_connection()
        return connection.connection, False
    if not Path(name).is_file():
        raise BackupError(f"no SQLite database at {name}")
    return sqlite3.connect(name), True


def _sqlite_target(database: dict):
    name = str(database["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        return _sqlite_source(database)
    return sqlite3.connect(name), True


def backup_create(root, *, database: dict | None = None, media_root=None) -> Path:
    """Make a backup folder under ``root``; return its path."""
    database = database or settings.DATABASES["default"]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    engine = _engine(database)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    folder = Path(root) / stamp
    folder.mkdir(parents=True, exist_ok=False)
    if engine == "postgresql":
        args, env = _pg_command("pg_dump", database)
        _run([*args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(folder / PG_DUMP)], env)
        db_file = PG_DUMP
    else:
        source, close = _sqlite_source(database)
        target = sqlite3.connect(folder / SQLITE_COPY)
        try:
            source.backup(target)
        finally:
            target.close()
            if close:
                source.close()
        db_file = SQLITE_COPY
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname=".")
    manifest = {
        "format": 1,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "engine": engine,
        "database": db_file,
        "files": {name: _sha256(folder / name) for name in (db_file, MEDIA_ARCHIVE)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return folder


def read_manifest(folder) -> dict:
    """The backup's manifest, after checking that its files are complete and unchanged."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} is not a backup folder: {exc}") from exc
    for name, expected in manifest["files"].items():
        if not (folder / name).is_file() or _sha256(folder / name) != expected:
            raise BackupError(f"{folder / name} is missing or does not match the manifest")
    return manifest


def backup_restore(folder, *, database: dict | None = None, media_root=None) -> dict:
    """Restore the backup in ``folder`` into ``database`` and ``media_root``; return its manifest."""
    database = database or settings.DATABASES["default"]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    folder = Path(folder)
    manifest = read_manifest(folder)
    engine = _engine(database)
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of a {manifest['engine']} database, the target is {engine}")
    if engine == "postgresql":
        args, env = _pg_command("pg_restore", database)
        _run([*args, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", str(folder / manifest["database"])], env)
    else:
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            if str(connection.settings_dict["NAME"]) == str(database["NAME"]):
                connection.close()  # this process holds no open handle on the file being replaced
        source = sqlite3.connect(folder / manifest["database"])
        target, close = _sqlite_target(database)
        try:
            source.backup(target)
        finally:
            source.close()
            if close:
                target.close()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return manifest
