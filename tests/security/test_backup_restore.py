"""Durability (issue 8, item 7): a backup of the database in use and of MEDIA_ROOT restores completely into a
scratch database and folder — every case, record, history row, audit event and stored file — and the audit
chain verifies on the restored copy. The test database itself is only read."""

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, connections

from creditrepair.core.backup import BackupError, backup_create, backup_restore, read_manifest
from creditrepair.documents.models import Document
from creditrepair.objections import services as objection_services
from creditrepair.repairs import services as repair_services

from tests.objections.conftest import file_objection, objection, published_record  # noqa: F401
from tests.repairs.conftest import platform_operator, repairable_record  # noqa: F401
from tests.repairs.repairs_support import PDF_BYTES, png_bytes

ROOT = Path(settings.BASE_DIR)
RESTORED = "backup_restored"
# Tables that must not come back empty: the proof that the round trip carried the things that matter.
MUST_HAVE_ROWS = ["records_record", "records_publicationhistory", "repairs_repaircase", "repairs_repairmaterial",
                  "objections_objection", "objections_objectionevidence", "objections_objectionstatuschange",
                  "audit_auditevent", "documents_document"]


# --------------------------------------------------------------------------- data and comparison


@pytest.fixture
def business_data(transactional_db, make_record, dept_user, ent_user, repairable_record, objection):
    """Records, a repair case with a material, an objection with evidence, a stored document: committed."""
    for days in (30, 90, 400):
        import datetime as dt

        make_record(dept_user, ent_user.subject, decided=dt.date.today() - dt.timedelta(days=days))
    case = repair_services.repair_file(ent_user, repairable_record(), "申请修复")
    repair_services.repair_upload_material(ent_user, case, "performance_proof",
                                           ContentFile(PDF_BYTES, name="缴款证明.pdf"))
    objection_services.objection_add_evidence(objection, actor=ent_user,
                                              uploaded_file=ContentFile(png_bytes(), name="回执.png"))
    Document.objects.create(
        kind="acceptance_notice", case_no=case.case_no, subject_code=case.subject.code, title="受理通知书",
        file=ContentFile(PDF_BYTES, name="doc.pdf"), sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        size=len(PDF_BYTES), idempotency_key=f"backup-test:{uuid.uuid4()}",
        owner_type=ContentType.objects.get_for_model(case), owner_id=str(case.pk))
    return case


def table_digests(conn) -> dict[str, tuple[int, str]]:
    """Per table: the row count and a SHA-256 over its rows (order-independent)."""
    digests = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            digests[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digests


def file_digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


_restored = []


def open_restored(database: dict):
    """A Django connection to the restored database (same engine and converters as the source's), made outside
    ``connections`` so the test's own databases stay the only registered ones."""
    from django.db.utils import load_backend

    configured = connections.configure_settings({"default": dict(settings.DATABASES["default"]),
                                                 RESTORED: dict(database)})[RESTORED]
    wrapper = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias=RESTORED)
    _restored.append(wrapper)
    return wrapper


def close_restored():
    while _restored:
        _restored.pop().close()


def verify_chain_on(database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "creditrepair.settings.base",
           "MEDIA_ROOT": str(media_root)}
    env.pop("TEST_DATABASE_NAME", None)
    return subprocess.run([sys.executable, "manage.py", "verify_audit_chain"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def assert_round_trip(source_digests, restored_conn, restored_media: Path):
    restored_digests = table_digests(restored_conn)
    for table in MUST_HAVE_ROWS:
        assert source_digests[table][0] > 0, table
    assert restored_digests == source_digests
    assert file_digests(restored_media) == file_digests(Path(settings.MEDIA_ROOT))
    # Every stored document and upload is there with the hash recorded beside it.
    with restored_conn.cursor() as cursor:
        for table in ("documents_document", "repairs_repairmaterial", "objections_objectionevidence"):
            cursor.execute(f"SELECT file, sha256 FROM {table}")
            for name, sha256 in cursor.fetchall():
                assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == sha256


# --------------------------------------------------------------------------- SQLite


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant; PostgreSQL has its own below")
def test_sqlite_backup_restores_every_row_and_file_and_the_audit_chain_verifies(business_data, tmp_path):
    backup = backup_create(tmp_path / "backups")
    source = table_digests(connection)
    restored_file, restored_media = tmp_path / "restored.sqlite3", tmp_path / "media"
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(restored_file)}
    backup_restore(backup, database=database, media_root=restored_media)
    try:
        assert_round_trip(source, open_restored(database), restored_media)
    finally:
        close_restored()
    done = verify_chain_on(f"sqlite:///{restored_file}", restored_media)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "审计链完整" in done.stdout or "intact" in done.stdout.lower()

    # The scripts (make backup / make restore) do the same on a database file, with the chain checked.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{restored_file}", "MEDIA_ROOT": str(restored_media),
           "DJANGO_SETTINGS_MODULE": "creditrepair.settings.base"}
    env.pop("TEST_DATABASE_NAME", None)
    made = subprocess.run(["bash", "scripts/backup.sh", "--dest", str(tmp_path / "script-backups")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    folder = made.stdout.strip().splitlines()[-1]
    copy = tmp_path / "copy.sqlite3"
    env.update({"DATABASE_URL": f"sqlite:///{copy}", "MEDIA_ROOT": str(tmp_path / "media-copy")})
    restored = subprocess.run(["bash", "scripts/restore.sh", folder, "--yes"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "审计链完整" in restored.stdout
    assert file_digests(tmp_path / "media-copy") == file_digests(restored_media)


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def scratch_postgres():
    """An empty PostgreSQL database of its own on the same server, dropped afterwards."""
    import psycopg

    server = settings.DATABASES["default"]
    name = f"creditrepair_restore_{uuid.uuid4().hex[:12]}"
    params = {"host": server.get("HOST") or None, "port": server.get("PORT") or None,
              "user": server.get("USER") or None, "password": server.get("PASSWORD") or None}
    admin = psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v})
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**server, "NAME": name, "TEST": {}}
    finally:
        close_restored()
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


@pytest.mark.postgres
def test_postgres_backup_restores_every_row_and_file_and_the_audit_chain_verifies(business_data, scratch_postgres,
                                                                                  tmp_path):
    backup = backup_create(tmp_path / "backups")
    assert read_manifest(backup)["engine"] == "postgresql" and (backup / "database.dump").stat().st_size > 0
    source = table_digests(connection)
    restored_media = tmp_path / "media"
    backup_restore(backup, database=scratch_postgres, media_root=restored_media)
    assert_round_trip(source, open_restored(scratch_postgres), restored_media)
    close_restored()
    server = scratch_postgres
    url = (f"postgres://{server.get('USER') or ''}{':' + server['PASSWORD'] if server.get('PASSWORD') else ''}"
           f"@{server.get('HOST') or '127.0.0.1'}:{server.get('PORT') or 5432}/{server['NAME']}")
    done = verify_chain_on(url, restored_media)
    assert done.returncode == 0, done.stdout + done.stderr


# --------------------------------------------------------------------------- refusals


def test_a_damaged_backup_is_refused_before_anything_is_restored(business_data, tmp_path):
    backup = backup_create(tmp_path / "backups")
    archive = backup / "media.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-10])
    target = tmp_path / "untouched.sqlite3"
    with pytest.raises(BackupError):
        backup_restore(backup, database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)},
                       media_root=tmp_path / "media")
    assert not target.exists() and not (tmp_path / "media").exists()
    with pytest.raises(BackupError):
        read_manifest(tmp_path)  # not a backup folder


def test_a_backup_is_not_restored_into_another_engine(business_data, tmp_path):
    backup = backup_create(tmp_path / "backups")
    other = ("django.db.backends.postgresql" if connection.vendor == "sqlite" else "django.db.backends.sqlite3")
    with pytest.raises(BackupError):
        backup_restore(backup, database={"ENGINE": other, "NAME": "x"}, media_root=tmp_path / "media")


def test_backups_are_kept_out_of_git():
    assert "/backups/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
