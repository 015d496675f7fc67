"""Bulk import of dishonesty records from CSV or XLSX files (docs/import.md).

* **All or nothing, one transaction per file**: every row is validated first;
  if any row has an error nothing is imported and the report lists every
  error (row, column, message). Otherwise every row is written through
  ``records.services.record_create`` (history, audit and publication window
  exactly as for a record entered by hand) inside one transaction.
* **Idempotent**: a row whose decision number the department already holds
  with the same content is skipped; the same decision number with different
  content is an error (an import never changes a record).
"""

import datetime as dt
import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from creditrepair.accounts.models import Role
from creditrepair.audit.services import record_event
from creditrepair.core.errors import DomainError, FileRejected, FileTooLarge, PermissionDenied
from creditrepair.core.tasks import delay_on_commit
from creditrepair.core.uploads import safe_filename
from creditrepair.records.models import Category, Record, Severity
from creditrepair.records.services import record_create
from creditrepair.registry.models import Department, Subject, SubjectType
from creditrepair.registry.services import subject_code_lookup_normalize, subject_code_normalize
from creditrepair.rules.models import RuleSet
from creditrepair.rules.selectors import publicity_window, rule_set_by_code, rules_for_decision

from .columns import BY_KEY, COLUMNS, MAX_LENGTHS, REQUIRED
from .models import ImportJob, JobStage, JobStatus
from .reading import Row, Table, detect_format, error, read_table

logger = logging.getLogger(__name__)

VALIDATING, IMPORTING = JobStage.VALIDATING.value, JobStage.IMPORTING.value
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_JURISDICTION_RE = re.compile(r"^\d{6}$")
_CHUNK = 500
# Record fields compared when a decision number already exists (with the column that carries each).
_COMPARED = ("category", "severity", "decision_date", "summary", "legal_basis", "obligations",
             "jurisdiction", "sector", "grace_until")


@dataclass
class ImportReport:
    """The outcome of one file: records created, rows skipped as already there, and every error."""

    created: int = 0
    skipped_existing: int = 0
    errors: list = field(default_factory=list)
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Clean:
    """A validated row, ready for ``record_create``."""

    number: int
    subject: dict
    fields: dict
    existing: bool = False


class _Abort(Exception):
    """Rolls the import transaction back, carrying the errors to report."""

    def __init__(self, errors):
        super().__init__("import aborted")
        self.errors = errors


class _AlreadyFinished(Exception):
    """The job was finished by another run (a redelivered task): leave it as it is."""


# --------------------------------------------------------------------------- cell values


def _choices(enum) -> dict:
    """Machine values and Chinese labels (as in the template) → machine value."""
    with translation.override("zh-hans"):
        mapping = {str(label): value for value, label in enum.choices}
    mapping.update({value: value for value in enum.values})
    return mapping


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _stored(value) -> str:
    """A stored text field as the import would have written it, for comparison."""
    return _text(value)


class _RowChecker:
    """Validates rows of one file for one actor; reads the database in a few set-based queries."""

    def __init__(self, actor, table: Table):
        self.actor = actor
        self.table = table
        self.is_court = actor.role == Role.COURT
        self.department = actor.department
        self.default_jurisdiction = (
            self.department.jurisdiction or settings.PLATFORM_JURISDICTION
        )
        self.today = timezone.localdate()
        self.subject_types = _choices(SubjectType)
        self.categories = _choices(Category)
        self.severities = _choices(Severity)
        self.sectors = _known_sectors()
        self.first_row_of_decision = {}
        self.first_type_of_code = {}
        self.rules_cache = {}

    # -- one row

    def check(self, row: Row) -> tuple[_Clean | None, list]:
        errors = []
        n = row.number

        def fail(key, message):
            errors.append(error(n, key, message))

        values, mangled = {}, set()
        for column in COLUMNS:
            raw = row.values.get(column.key)
            if isinstance(raw, float) and column.key in ("subject_code", "decision_no", "jurisdiction") and (
                not raw.is_integer() or abs(raw) >= 1e15
            ):
                fail(column.key, _("该单元格是数字格式，长数字已被 Excel 改变，请将此列设为“文本”格式后重新填写。"))
                values[column.key] = ""
                mangled.add(column.key)
                continue
            values[column.key] = _text(raw)
            limit = MAX_LENGTHS.get(column.key)
            if limit and len(values[column.key]) > limit:
                fail(column.key, _("不能超过 %(limit)d 个字符。") % {"limit": limit})
        for key in REQUIRED:
            if key in self.table.columns and not values[key] and key not in mangled:
                fail(key, _("“%(label)s”为必填项。") % {"label": BY_KEY[key].label})

        subject_type = self._choice(values["subject_type"], self.subject_types, "subject_type", fail,
                                    _("主体类型应为：法人、个体工商户、其他组织、自然人（或 legal_person 等代码）。"))
        code = self._code(values["subject_code"], subject_type, fail)
        category = self._choice(values["category"], self.categories, "category", fail,
                                _("信息类别应为：行政处罚信息、严重失信主体名单、经营异常名录、失信被执行人、其他失信信息。"))
        if category:
            if category == Category.COURT_DEBTOR and not self.is_court:
                fail("category", _("失信被执行人信息只能由法院录入。"))
                category = ""
            elif category != Category.COURT_DEBTOR and self.is_court:
                fail("category", _("法院只能录入失信被执行人信息。"))
                category = ""
        severity = self._choice(values["severity"], self.severities, "severity", fail,
                                _("失信程度应为：轻微、一般、严重（或 minor、general、serious）。"))
        decision_no = values["decision_no"]
        if decision_no:
            first = self.first_row_of_decision.setdefault(decision_no, n)
            if first != n:
                fail("decision_no", _("决定文书号与第 %(row)d 行重复。") % {"row": first})
        decision_date = self._date(values["decision_date"], "decision_date", fail)
        if decision_date and decision_date > self.today:
            fail("decision_date", _("决定日期不能晚于今天。"))
            decision_date = None
        jurisdiction = values["jurisdiction"]
        if jurisdiction and not _JURISDICTION_RE.match(jurisdiction):
            fail("jurisdiction", _("行政区划代码必须是 6 位数字。"))
            jurisdiction = None
        sector = values["sector"].lower()
        if sector and sector not in self.sectors:
            fail("sector", _("规则集中没有领域“%(sector)s”；请留空或填写：%(known)s。") % {
                "sector": values["sector"], "known": "、".join(sorted(self.sectors)) or "—"})
        grace_until = self._date(values["grace_until"], "grace_until", fail)
        if grace_until and not self.is_court:
            fail("grace_until", _("只有法院可以设置宽限期。"))
        elif grace_until and decision_date and grace_until < decision_date:
            fail("grace_until", _("宽限期不能早于决定日期。"))

        effective_jurisdiction = jurisdiction or self.default_jurisdiction
        if category and severity and decision_date and jurisdiction is not None:
            try:
                rules = self._rules(effective_jurisdiction, decision_date)
                publicity_window(rules, category=category, severity=severity, decision_date=decision_date,
                                 sector=sector)
            except DomainError as exc:
                fail("jurisdiction" if values["jurisdiction"] else "decision_date", exc.message)

        if errors:
            return None, errors
        return _Clean(
            number=n,
            subject={"code": code, "name": values["subject_name"], "type": subject_type},
            fields={
                "category": category, "severity": severity, "decision_no": decision_no,
                "decision_date": decision_date, "summary": values["summary"],
                "legal_basis": values["legal_basis"], "obligations": values["obligations"],
                "jurisdiction": effective_jurisdiction, "sector": sector, "grace_until": grace_until,
            },
        ), []

    def _rules(self, jurisdiction, decision_date):
        key = (jurisdiction, decision_date)
        if key not in self.rules_cache:
            try:
                self.rules_cache[key] = rules_for_decision(jurisdiction, decision_date)
            except DomainError as exc:
                self.rules_cache[key] = exc
        found = self.rules_cache[key]
        if isinstance(found, DomainError):
            raise found
        return found

    def _choice(self, value, mapping, key, fail, message):
        if not value:
            return ""
        found = mapping.get(value) or mapping.get(value.lower())
        if not found:
            fail(key, message)
            return ""
        return found

    def _date(self, value, key, fail):
        if not value:
            return None
        if _DATE_RE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        fail(key, _("日期“%(value)s”无效，格式应为 YYYY-MM-DD（例如 2026-03-02）。") % {"value": value})
        return None

    def _code(self, value, subject_type, fail):
        if not value:
            return ""
        try:
            if subject_type:
                code = subject_code_normalize(value, subject_type)
            else:
                code = subject_code_lookup_normalize(value)
        except DomainError as exc:
            fail("subject_code", exc.message)
            return ""
        if subject_type:
            if self.first_type_of_code.setdefault(code, subject_type) != subject_type:
                fail("subject_type", _("同一代码在文件中填写了不同的主体类型。"))
        return code

    # -- the database: subjects and records that already exist

    def check_against_database(self, clean_rows: list[_Clean]) -> list:
        errors = []
        codes = sorted({r.subject["code"] for r in clean_rows})
        known_types = {}
        for chunk in _chunks(codes):
            known_types.update(Subject.objects.filter(code__in=chunk).values_list("code", "type"))
        with translation.override("zh-hans"):
            type_labels = {value: str(label) for value, label in SubjectType.choices}
        for row in clean_rows:
            known = known_types.get(row.subject["code"])
            if known and known != row.subject["type"]:
                errors.append(error(row.number, "subject_type", _("该代码已登记为“%(type)s”，与本行不一致。") % {
                    "type": type_labels.get(known, known)}))
        errors.extend(mark_existing(self.department, clean_rows))
        return errors


def _chunks(items, size=_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _known_sectors() -> set:
    """Sectors named by the special provisions of any loaded rule set (rules are data)."""
    sectors = set()
    for code in RuleSet.objects.values_list("code", flat=True):
        sectors.update(o.sector for o in rule_set_by_code(code).publicity_overrides if o.sector)
    return sectors


def mark_existing(department, clean_rows: list[_Clean]) -> list:
    """Mark rows whose decision number the department already holds; errors where the content differs."""
    errors = []
    by_no = {r.fields["decision_no"]: r for r in clean_rows}
    labels = {c.key: c.label for c in COLUMNS}
    for chunk in _chunks(by_no):
        for record in Record.objects.filter(department=department, decision_no__in=chunk).select_related("subject"):
            row = by_no[record.decision_no]
            differences = []
            if record.subject.code != row.subject["code"]:
                differences.append(("subject_code", record.subject.code))
            for name in _COMPARED:
                stored, given = getattr(record, name), row.fields[name]
                if isinstance(stored, str) or isinstance(given, str):
                    same = _stored(stored) == _stored(given)
                else:
                    same = stored == given
                if not same:
                    differences.append((name, stored))
            if differences:
                for name, stored in differences:
                    errors.append(error(row.number, name, _(
                        "本单位已录入决定文书号为“%(no)s”的记录，其“%(label)s”为“%(stored)s”，与本行不同；导入不修改已有记录。"
                    ) % {"no": record.decision_no, "label": labels[name], "stored": _stored(stored) or "—"}))
            else:
                row.existing = True
    return errors


# --------------------------------------------------------------------------- validation and import


def _sorted(errors):
    order = {c.key: i for i, c in enumerate(COLUMNS)}
    return sorted(errors, key=lambda e: (e["row"] or 0, order.get(e["field"], -1)))


def _check_actor(actor):
    if not actor.has_role(Role.DEPARTMENT, Role.COURT) or actor.department_id is None:
        raise PermissionDenied(_("只有认定单位或法院的工作人员可以导入失信记录。"))


def _validate(actor, table: Table, progress=None) -> tuple[list[_Clean], list]:
    checker = _RowChecker(actor, table)
    clean_rows, errors = [], list(table.errors)
    total = len(table.rows)
    for index, row in enumerate(table.rows, start=1):
        clean, row_errors = checker.check(row)
        if clean is not None:
            clean_rows.append(clean)
        errors.extend(row_errors)
        if progress is not None:
            progress(VALIDATING, index, total)
    errors.extend(checker.check_against_database(clean_rows))
    return clean_rows, _sorted(errors)


def _as_rows(rows) -> Table:
    """Rows given as mappings (row 2 onwards) or ``Row`` objects, as a table with every column."""
    numbered = [
        r if isinstance(r, Row) else Row(number, {c.key: r.get(c.key) for c in COLUMNS})
        for number, r in enumerate(rows, start=2)
    ]
    return Table(format="", rows=numbered, columns=frozenset(BY_KEY))


def import_validate(actor, rows) -> list:
    """Every error of ``rows`` as ``{row, field, message}`` (the header is row 1; first data row is 2).

    ``rows`` are mappings keyed by column (``subject_code`` …) or ``reading.Row``
    objects. Checks codes by checksum, dates, categories and severities,
    required fields, court listings by courts only, decision numbers repeated
    in the file, and decision numbers the department already holds with
    different content. Nothing is written.
    """
    _check_actor(actor)
    return _validate(actor, rows if isinstance(rows, Table) else _as_rows(rows))[1]


def _read_bytes(file) -> bytes:
    if isinstance(file, (str, Path)):
        return Path(file).read_bytes()
    if isinstance(file, bytes):
        return file
    if hasattr(file, "storage") and hasattr(file, "open"):  # a stored FieldFile
        with file.open("rb") as handle:
            return handle.read()
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "chunks"):
        return b"".join(file.chunks())
    return file.read()


def import_records(actor, file, *, progress=None, job: ImportJob | None = None) -> ImportReport:
    """Import one CSV or XLSX file of records, all rows or none (see the module docstring).

    ``file`` is a path, bytes or a file object. ``progress(stage, done, total)``
    is called after every row, with stage ``"validating"`` then ``"importing"``.
    With ``job``, the job row is locked and completed inside the import
    transaction, so a job can never be imported twice.
    """
    _check_actor(actor)
    data = _read_bytes(file)
    try:
        table = read_table(data)
    except FileRejected as exc:
        return ImportReport(errors=[error(None, "file", exc.message)])
    report = ImportReport(total_rows=len(table.rows))
    clean_rows, errors = _validate(actor, table, progress)
    if errors:
        report.errors = errors
        return report
    try:
        with transaction.atomic():
            if job is not None:
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.finished:
                    raise _AlreadyFinished
            # Serialise imports of one department (a plain insert of a record is not blocked).
            Department.objects.select_for_update(no_key=True).filter(pk=actor.department_id).first()
            late = mark_existing(actor.department, [r for r in clean_rows if not r.existing])
            if late:
                raise _Abort(late)
            total = len(clean_rows)
            for index, row in enumerate(clean_rows, start=1):
                if row.existing:
                    report.skipped_existing += 1
                else:
                    try:
                        record_create(actor=actor, subject=row.subject, **row.fields)
                    except DomainError as exc:
                        raise _Abort(_errors_of(row.number, exc)) from None
                    report.created += 1
                if progress is not None:
                    progress(IMPORTING, index, total)
            digest = hashlib.sha256(data).hexdigest()
            audit_target = {"target": job} if job is not None else {
                "target_type": "imports.file", "target_id": digest[:32]}
            record_event(
                "records.imported", actor=actor, **audit_target,
                data={"sha256": digest, "rows": report.total_rows, "created": report.created,
                      "skipped_existing": report.skipped_existing},
            )
            if job is not None:
                _job_finish(locked, report)
    except _Abort as abort:
        report.created = report.skipped_existing = 0
        report.errors = _sorted(abort.errors)
    except _AlreadyFinished:
        job.refresh_from_db()
        return ImportReport(job.created, job.skipped, list(job.error_report), job.total_rows)
    return report


def _errors_of(number, exc: DomainError) -> list:
    fields = {"name": "subject_name", "code": "subject_code", "type": "subject_type"}
    details = exc.details if isinstance(exc.details, dict) else {}
    found = [
        error(number, fields.get(key, key), message)
        for key, messages in details.items() if isinstance(messages, list | tuple)
        for message in messages
    ]
    return found or [error(number, "decision_no" if exc.code == "duplicate_case" else "", exc.message)]


# --------------------------------------------------------------------------- jobs (the page and the Celery task)


def _progress_key(job_id) -> str:
    return f"imports:job:{job_id}:progress"


def import_job_create(actor, uploaded_file) -> ImportJob:
    """Accept an uploaded CSV/XLSX file (size capped by ``UPLOAD_MAX_BYTES``) and queue its import.

    Raises ``FileTooLarge`` (413) or ``FileRejected`` (415); the task starts on commit.
    """
    _check_actor(actor)
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(uploaded_file, "size", None)
    too_large = FileTooLarge(_("文件超过 %(mb)s MB 的上限。") % {"mb": round(limit / (1024 * 1024), 1)},
                             details={"max_bytes": limit})
    if size is not None and size > limit:
        raise too_large
    data = _read_bytes(uploaded_file)
    if len(data) > limit:
        raise too_large
    fmt = detect_format(data)
    job = ImportJob(
        department=actor.department, actor=actor, original_name=safe_filename(getattr(uploaded_file, "name", "")),
        file_format=fmt, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
    )
    job.file.save(f"upload.{fmt}", ContentFile(data), save=False)
    job.save()
    from .tasks import run_import_job

    delay_on_commit(run_import_job, job.pk)  # lost to a broker outage: requeue_lost_jobs queues it again
    return job


def lost_job_ids(before) -> list:
    """Jobs uploaded before ``before`` that no run has claimed yet: their message was lost (the broker was down)."""
    return list(ImportJob.objects.filter(status=JobStatus.PENDING, created_at__lt=before)
                .order_by("id").values_list("id", flat=True))


class _JobProgress:
    """Publishes a job's progress: the validation stage on the job row (committed as it goes),
    the writing stage, which runs inside the import transaction, through the cache."""

    interval = 0.5

    def __init__(self, job):
        self.job = job
        self.last = 0.0

    def __call__(self, stage, done, total):
        now = time.monotonic()
        if done < total and now - self.last < self.interval:
            return
        self.last = now
        if stage == VALIDATING:
            ImportJob.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
                stage=stage, processed_rows=done, total_rows=total)
        else:
            cache.set(_progress_key(self.job.pk), {"stage": stage, "done": done, "total": total}, 3600)


def _job_finish(job: ImportJob, report: ImportReport):
    job.status = JobStatus.DONE if report.ok else JobStatus.FAILED
    job.stage = ""
    job.total_rows = report.total_rows
    job.processed_rows = report.total_rows if report.ok else job.processed_rows
    job.created, job.skipped = report.created, report.skipped_existing
    job.error_report = report.errors
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "stage", "total_rows", "processed_rows", "created", "skipped",
                            "error_report", "finished_at"])


def import_job_run(job_id) -> ImportReport | None:
    """Run a queued job (the Celery task's body). Idempotent: a finished job is left as it is."""
    claimed = ImportJob.objects.filter(pk=job_id, status__in=[JobStatus.PENDING, JobStatus.RUNNING]).update(
        status=JobStatus.RUNNING, stage=VALIDATING, started_at=timezone.now())
    if not claimed:
        return None
    job = ImportJob.objects.select_related("actor", "department").get(pk=job_id)
    try:
        report = import_records(job.actor, job.file, progress=_JobProgress(job), job=job)
    except DomainError as exc:  # e.g. the uploader lost the role meanwhile
        report = ImportReport(errors=[error(None, "", exc.message)])
    except Exception:
        logger.exception("import job %s failed", job_id)
        report = ImportReport(errors=[error(None, "", _("导入时发生内部错误，未导入任何记录，请联系平台运营机构。"))])
    finally:
        cache.delete(_progress_key(job_id))
    if not report.ok:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job_id)
            if not locked.finished:
                _job_finish(locked, report)
    return report


def job_progress(job: ImportJob) -> dict:
    """``{stage, done, total}`` of a job for the page: the live figure when one is published."""
    live = cache.get(_progress_key(job.pk)) if job.status == JobStatus.RUNNING else None
    if live:
        return live
    if job.status == JobStatus.DONE:
        return {"stage": "", "done": job.total_rows, "total": job.total_rows}
    return {"stage": job.stage, "done": job.processed_rows, "total": job.total_rows}
