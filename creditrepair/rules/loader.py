"""Read the rule-set files, validate them all, and upsert them into ``RuleSet`` (idempotent).

All files are checked before anything is written: one bad file leaves the
database as it was and raises ``RuleSetInvalid`` naming every problem.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .schema import Rules, RuleSetInvalid, parse_rule_set


@dataclass(frozen=True)
class RuleFile:
    """A validated file: where it is, its digest and its rules."""

    path: Path
    sha256: str
    rules: Rules


@dataclass
class LoadReport:
    """What ``load_rules`` did, by rule-set code."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # in the database, no longer in a file
    pruned: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.pruned)


def read_rule_file(path: Path) -> RuleFile:
    """Read and validate one TOML file; errors name the file and the field."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RuleSetInvalid(path.name, [("", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetInvalid(path.name, [("", f"not valid TOML: {exc}")]) from None
    return RuleFile(path=path, sha256=hashlib.sha256(raw).hexdigest(), rules=parse_rule_set(document, path.name))


def read_rules_dir(directory: Path | None = None) -> list[RuleFile]:
    """Validate every ``*.toml`` in ``directory`` (default ``settings.RULES_DIR``), then check them together.

    Across files: codes are unique, and two rule sets of the same jurisdiction
    are never in force on the same day.
    """
    directory = Path(directory if directory is not None else settings.RULES_DIR)
    if not directory.is_dir():
        raise RuleSetInvalid(str(directory), [("", "rules directory does not exist")])
    files, problems = [], []
    for path in sorted(directory.glob("*.toml")):
        try:
            files.append(read_rule_file(path))
        except RuleSetInvalid as exc:
            problems.extend((exc.source, p, m) for p, m in exc.errors)
    seen: dict[str, RuleFile] = {}
    for f in files:
        other = seen.get(f.rules.code)
        if other is not None:
            problems.append((f.path.name, "code", f"{f.rules.code!r} is already used by {other.path.name}"))
        else:
            seen[f.rules.code] = f
    for i, a in enumerate(files):
        for b in files[i + 1 :]:
            if a.rules.jurisdiction == b.rules.jurisdiction and _overlap(a.rules, b.rules):
                problems.append(
                    (
                        b.path.name,
                        "effective_from",
                        f"in force on the same days as {a.path.name} for jurisdiction {a.rules.jurisdiction}",
                    )
                )
    if problems:
        raise RuleSetInvalid(
            str(directory), [(f"{source}: {path}" if path else source, message) for source, path, message in problems]
        )
    return files


def _overlap(a: Rules, b: Rules) -> bool:
    a_end = a.effective_to or a.effective_from.max
    b_end = b.effective_to or b.effective_from.max
    return a.effective_from <= b_end and b.effective_from <= a_end


def _row_fields(f: RuleFile) -> dict:
    rules = f.rules
    return {
        "name": rules.name,
        "jurisdiction": rules.jurisdiction,
        "effective_from": rules.effective_from,
        "effective_to": rules.effective_to,
        "basis": rules.basis,
        "data": rules.as_document(),
        "source_file": f.path.name,
        "sha256": f.sha256,
    }


def load_rules(directory: Path | None = None, *, using: str = "default", prune: bool = False, model=None) -> LoadReport:
    """Upsert every rule-set file by code; report created / updated / unchanged / stale (and pruned) codes.

    ``model`` lets the ``post_migrate`` handler pass the historical model.
    ``prune`` deletes rows whose file is gone (refused by the database if
    anything still points to them).
    """
    if model is None:
        from .models import RuleSet as model
    files = read_rules_dir(directory)
    report = LoadReport()
    now = timezone.now()
    with transaction.atomic(using=using):
        existing = {row.code: row for row in model.objects.using(using).select_for_update()}
        for f in files:
            code = f.rules.code
            fields = _row_fields(f)
            row = existing.pop(code, None)
            if row is None:
                model.objects.using(using).create(code=code, loaded_at=now, **fields)
                report.created.append(code)
            elif any(getattr(row, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(row, name, value)
                row.loaded_at = now
                row.save(using=using)
                report.updated.append(code)
            else:
                report.unchanged.append(code)
        stale = sorted(existing)
        if prune and stale:
            model.objects.using(using).filter(code__in=stale).delete()
            report.pruned = stale
        else:
            report.stale = stale
    return report
