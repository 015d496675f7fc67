"""The rule-set document: its typed, immutable view (``Rules``) and the validator that builds it.

A rule set is one TOML file in ``settings.RULES_DIR`` (schema: ``docs/rules.md``).
``parse_rule_set`` checks every field, rejects unknown keys, and names the file
and the field path in each error, e.g.
``national-2026.toml: publicity.general.max_months: must be an integer ≥ min_months``.
``Rules.as_document()`` gives the normalised, JSON-ready document stored in
``RuleSet.data``; ``Rules.from_document()`` reads it back through the same checks.

The names below (severities, categories, material kinds, limit names) are the
schema and the API contract's vocabulary; the numbers live in the files.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from creditrepair.workdays.services import LIMIT_UNITS, WORKING, Limit

SEVERITIES = ("minor", "general", "serious")
CATEGORIES = ("admin_penalty", "serious_list", "abnormal_list", "court_debtor", "other")
CASE_TYPES = ("repair", "list_exit")
MATERIAL_KINDS = (
    "performance_proof",
    "rectification_report",
    "rectification_plan",
    "credit_report",
    "commitment_letter",
    "credit_keeping_commitment",
    "training_certificate",
    "interview_record",
)
LIMIT_NAMES = (
    "repair_intake",
    "repair_review",
    "repair_review_extension",
    "repair_answer_total",
    "partner_ack",
    "decision_revoked_removal",
    "objection_intake",
    "objection_platform_check",
    "objection_verification",
    "objection_verification_extension",
    "objection_total",
    "objection_review",
    "court_deletion",
    "court_correction_review",
    "court_correction",
    "court_reconsideration_apply",
    "court_reconsideration_decide",
    "court_breach_decision",
    "reminder_before",
)
# Signed letters whose text (the list of commitments) a rule set prescribes.
COMMITMENT_KINDS = ("commitment_letter", "credit_keeping_commitment")
NATIONAL = "000000"

_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,49}$")
_JURISDICTION_RE = re.compile(r"^[0-9]{6}$")


# --------------------------------------------------------------------------- errors


class RuleSetInvalid(Exception):
    """A rule-set document failed validation; ``errors`` lists ``(field path, problem)``."""

    def __init__(self, source: str, errors: list[tuple[str, str]]):
        self.source = source
        self.errors = list(errors)
        super().__init__("\n".join(f"{source}: {path}: {problem}" if path else f"{source}: {problem}" for path, problem in self.errors))


class UnknownRuleName(ValueError):
    """A caller asked a rule set for a limit, severity, category or case type it does not define."""


# --------------------------------------------------------------------------- the typed view


@dataclass(frozen=True)
class Publicity:
    """Whether a record is published and its minimum/maximum publicity periods in months."""

    published: bool
    min_months: int
    max_months: int


@dataclass(frozen=True)
class PublicityOverride:
    """A period that replaces the severity's period for matching records (``None`` matches anything)."""

    category: str | None = None
    sector: str | None = None
    penalty_type: str | None = None
    severity: str | None = None
    published: bool | None = None
    min_months: int | None = None
    max_months: int | None = None
    basis: str = ""

    def matches(self, *, category: str, severity: str, sector: str | None, penalty_type: str | None) -> bool:
        return (
            (self.category is None or self.category == category)
            and (self.severity is None or self.severity == severity)
            and (self.sector is None or self.sector == _norm(sector))
            and (self.penalty_type is None or self.penalty_type == _norm(penalty_type))
        )

    def applied_to(self, base: Publicity) -> Publicity:
        return Publicity(
            published=base.published if self.published is None else self.published,
            min_months=base.min_months if self.min_months is None else self.min_months,
            max_months=base.max_months if self.max_months is None else self.max_months,
        )


@dataclass(frozen=True)
class MaterialRule:
    """Extra material kinds for one case type, narrowed by category and/or severity."""

    case_type: str
    kinds: tuple[str, ...]
    category: str | None = None
    severity: str | None = None
    basis: str = ""


@dataclass(frozen=True)
class RepeatLimit:
    """At most ``count`` repairs within ``within_months``."""

    count: int
    within_months: int


@dataclass(frozen=True)
class Refusals:
    """Refusal conditions for a repair application (``None`` = no such limit)."""

    not_repairable_categories: tuple[str, ...]
    revocation_bar_months: int
    min_months_since_last_repair: int
    max_repairs: RepeatLimit | None = None
    serious_act_within_months: int | None = None
    max_ignored_interviews: int | None = None
    # The severities the repeat limits above apply to (all when not restricted).
    repeat_limits_severities: tuple[str, ...] = SEVERITIES
    # Whether the department must have confirmed performance before a repair may be filed;
    # otherwise the proof of performance comes with the application and approval confirms it.
    obligations_confirmed_before_filing: bool = False

    def category_is_repairable(self, category: str) -> bool:
        return category not in self.not_repairable_categories

    def repeat_limits_apply_to(self, severity: str) -> bool:
        return severity in self.repeat_limits_severities


@dataclass(frozen=True)
class MonthRange:
    min: int
    max: int


@dataclass(frozen=True)
class Courts:
    """Court listings (失信被执行人): terms, grace periods, settlement watch."""

    listing_term_months: int
    listing_extension_months: MonthRange
    grace_period_months: MonthRange
    instalment_grace_days: int
    auto_resume_on_breach: bool
    creditor_request_relisting_bar_months: int


@dataclass(frozen=True)
class Privacy:
    publish_natural_persons: bool
    mask_name: bool
    mask_id: bool


@dataclass(frozen=True)
class Rules:
    """One validated rule set, immutable. Build it with ``parse_rule_set`` or ``Rules.from_document``."""

    code: str
    name: str
    basis: str
    jurisdiction: str
    effective_from: dt.date
    effective_to: dt.date | None
    publicity_periods: Mapping[str, Publicity]
    publicity_overrides: tuple[PublicityOverride, ...]
    limits: Mapping[str, Limit]
    materials: Mapping[str, Mapping[str, tuple[str, ...]]]
    additional_materials: tuple[MaterialRule, ...]
    refusals: Refusals
    courts: Courts
    privacy: Privacy
    # The commitments a signed letter states, by letter kind (commitment_letter, credit_keeping_commitment).
    commitments: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    # -- selection helpers

    @property
    def jurisdiction_prefix(self) -> str:
        """The division-code prefix this rule set covers: "511800"→"5118", "510000"→"51", "000000"→""."""
        return jurisdiction_prefix(self.jurisdiction)

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    # -- questions callers ask

    def publicity(
        self, category: str, severity: str, sector: str | None = None, penalty_types: Iterable[str] = ()
    ) -> Publicity:
        """The publicity period for a record; the longest applies over penalty types and matching overrides.

        Each penalty type (or the decision as a whole when none is given) takes
        the period of its matching overrides (the longest if several), else the
        severity's period; the result is the longest of these.
        """
        self._check_name(category, CATEGORIES, "category")
        self._check_name(severity, SEVERITIES, "severity")
        if isinstance(penalty_types, str):
            penalty_types = (penalty_types,)
        base = self.publicity_periods[severity]
        candidates: list[Publicity] = []
        for penalty_type in tuple(penalty_types) or (None,):
            matching = [
                override.applied_to(base)
                for override in self.publicity_overrides
                if override.matches(category=category, severity=severity, sector=sector, penalty_type=penalty_type)
            ]
            candidates.extend(matching or [base])
        return Publicity(
            published=any(c.published for c in candidates),
            min_months=max(c.min_months for c in candidates),
            max_months=max(c.max_months for c in candidates),
        )

    def limit(self, name: str) -> Limit:
        """The time limit of one step (e.g. ``"repair_intake"``)."""
        try:
            return self.limits[name]
        except KeyError:
            raise UnknownRuleName(
                f"rule set {self.code}: no limit named {name!r} (known: {', '.join(self.limits)})"
            ) from None

    def required_materials(self, case_type: str, severity: str, category: str) -> tuple[str, ...]:
        """Material kinds a case must have, in the contract's order."""
        self._check_name(case_type, CASE_TYPES, "case type")
        self._check_name(severity, SEVERITIES, "severity")
        self._check_name(category, CATEGORIES, "category")
        kinds = set(self.materials[case_type][severity])
        for rule in self.additional_materials:
            if (
                rule.case_type == case_type
                and (rule.category is None or rule.category == category)
                and (rule.severity is None or rule.severity == severity)
            ):
                kinds.update(rule.kinds)
        return tuple(kind for kind in MATERIAL_KINDS if kind in kinds)

    def _check_name(self, value, allowed, what):
        if value not in allowed:
            raise UnknownRuleName(f"rule set {self.code}: unknown {what} {value!r} (allowed: {', '.join(allowed)})")

    # -- the stored document

    def as_document(self) -> dict[str, Any]:
        """The normalised document (JSON-ready: dates as ``YYYY-MM-DD``, defaults written out)."""
        doc: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "basis": self.basis,
            "jurisdiction": self.jurisdiction,
            "effective_from": self.effective_from.isoformat(),
        }
        if self.effective_to is not None:
            doc["effective_to"] = self.effective_to.isoformat()
        doc["publicity"] = {
            severity: {"published": p.published, "min_months": p.min_months, "max_months": p.max_months}
            for severity, p in self.publicity_periods.items()
        }
        doc["publicity"]["overrides"] = [
            _without_none(
                {
                    "category": o.category,
                    "sector": o.sector,
                    "penalty_type": o.penalty_type,
                    "severity": o.severity,
                    "published": o.published,
                    "min_months": o.min_months,
                    "max_months": o.max_months,
                    "basis": o.basis or None,
                }
            )
            for o in self.publicity_overrides
        ]
        doc["limits"] = {name: {"days": limit.days, "unit": limit.unit} for name, limit in self.limits.items()}
        doc["materials"] = {
            case_type: {severity: list(kinds) for severity, kinds in by_severity.items()}
            for case_type, by_severity in self.materials.items()
        }
        doc["materials"]["additional"] = [
            _without_none(
                {
                    "case_type": r.case_type,
                    "category": r.category,
                    "severity": r.severity,
                    "kinds": list(r.kinds),
                    "basis": r.basis or None,
                }
            )
            for r in self.additional_materials
        ]
        r = self.refusals
        doc["refusals"] = _without_none(
            {
                "not_repairable_categories": list(r.not_repairable_categories),
                "revocation_bar_months": r.revocation_bar_months,
                "min_months_since_last_repair": r.min_months_since_last_repair,
                "max_repairs": (
                    {"count": r.max_repairs.count, "within_months": r.max_repairs.within_months}
                    if r.max_repairs
                    else None
                ),
                "serious_act_within_months": r.serious_act_within_months,
                "max_ignored_interviews": r.max_ignored_interviews,
                "repeat_limits_severities": list(r.repeat_limits_severities),
                "obligations_confirmed_before_filing": r.obligations_confirmed_before_filing,
            }
        )
        c = self.courts
        doc["courts"] = {
            "listing_term_months": c.listing_term_months,
            "listing_extension_months": {"min": c.listing_extension_months.min, "max": c.listing_extension_months.max},
            "grace_period_months": {"min": c.grace_period_months.min, "max": c.grace_period_months.max},
            "instalment_grace_days": c.instalment_grace_days,
            "auto_resume_on_breach": c.auto_resume_on_breach,
            "creditor_request_relisting_bar_months": c.creditor_request_relisting_bar_months,
        }
        doc["privacy"] = {
            "publish_natural_persons": self.privacy.publish_natural_persons,
            "mask_name": self.privacy.mask_name,
            "mask_id": self.privacy.mask_id,
        }
        if self.commitments:
            doc["commitments"] = {kind: list(items) for kind, items in self.commitments.items()}
        return doc

    @classmethod
    def from_document(cls, document: Mapping[str, Any], source: str) -> "Rules":
        """Read a stored (JSON) document back; dates may be ``YYYY-MM-DD`` strings."""
        doc = dict(document)
        for key in ("effective_from", "effective_to"):
            if isinstance(doc.get(key), str):
                try:
                    doc[key] = dt.date.fromisoformat(doc[key])
                except ValueError:
                    pass  # left as a string: the validator reports it
        return parse_rule_set(doc, source)


def jurisdiction_prefix(code: str) -> str:
    """Strip trailing "00" pairs from a 6-digit division code: "511800"→"5118", "000000"→""."""
    prefix = code
    while prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def _norm(value: str | None) -> str | None:
    return value.strip().lower() if isinstance(value, str) else value


def _without_none(mapping: dict) -> dict:
    return {key: value for key, value in mapping.items() if value is not None}


# --------------------------------------------------------------------------- the validator


_MISSING = object()


class _Reader:
    """Collects errors with their field paths while reading a document."""

    def __init__(self, source: str):
        self.source = source
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, problem: str) -> None:
        self.errors.append((path, problem))

    def table(self, value, path: str, *, required=(), optional=()) -> dict | None:
        """A table whose keys must be among ``required`` + ``optional``; missing required keys are errors."""
        if value is _MISSING:
            return None  # reported as "is required" by the enclosing table
        if not isinstance(value, Mapping):
            self.error(path, "must be a table")
            return None
        allowed = (*required, *optional)
        for key in value:
            if key not in allowed:
                self.error(_join(path, key), f"unknown key (allowed: {', '.join(allowed)})")
        for key in required:
            if key not in value:
                self.error(_join(path, key), "is required")
        return value

    def integer(self, table, key, path, *, minimum=0, required=True, message=None):
        if key not in table:
            return None  # a missing required key is reported by table()
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(_join(path, key), message or f"must be an integer ≥ {minimum}")
            return None
        return value

    def boolean(self, table, key, path):
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, bool):
            self.error(_join(path, key), "must be true or false")
            return None
        return value

    def text(self, table, key, path, *, pattern=None, pattern_help="", max_length=None, allow_empty=False):
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            self.error(_join(path, key), "must be a non-empty string" if not allow_empty else "must be a string")
            return None
        if pattern is not None and not pattern.match(value):
            self.error(_join(path, key), pattern_help)
            return None
        if max_length is not None and len(value) > max_length:
            self.error(_join(path, key), f"must be at most {max_length} characters")
            return None
        return value

    def date(self, table, key, path):
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.error(_join(path, key), "must be a date (YYYY-MM-DD, unquoted)")
            return None
        return value

    def choice(self, table, key, path, allowed):
        if key not in table:
            return None
        value = table[key]
        if value not in allowed:
            self.error(_join(path, key), f"must be one of {', '.join(allowed)} (got {value!r})")
            return None
        return value

    def choices(self, table, key, path, allowed, *, non_empty=False):
        if key not in table:
            return None
        value = table[key]
        where = _join(path, key)
        if not isinstance(value, list):
            self.error(where, "must be a list")
            return None
        if non_empty and not value:
            self.error(where, "must not be empty")
            return None
        ok = True
        for i, item in enumerate(value):
            if item not in allowed:
                self.error(f"{where}[{i}]", f"must be one of {', '.join(allowed)} (got {item!r})")
                ok = False
        if len(set(map(str, value))) != len(value):
            self.error(where, "must not repeat an entry")
            ok = False
        return tuple(value) if ok else None

    def array_of_tables(self, table, key, path) -> list[tuple[str, dict]]:
        if key not in table:
            return []
        value = table[key]
        if not isinstance(value, list):
            self.error(_join(path, key), "must be a list of tables ([[...]])")
            return []
        return [(f"{_join(path, key)}[{i}]", item) for i, item in enumerate(value)]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_rule_set(document: Mapping[str, Any], source: str) -> Rules:
    """Validate a rule-set document (as read from TOML) and build its ``Rules``; raise ``RuleSetInvalid``."""
    r = _Reader(source)
    top = r.table(
        document,
        "",
        required=("code", "name", "basis", "jurisdiction", "effective_from", "publicity", "limits", "materials",
                  "refusals", "courts", "privacy"),
        optional=("effective_to", "commitments"),
    )
    if top is None:
        raise RuleSetInvalid(source, r.errors)

    code = r.text(top, "code", "", pattern=_CODE_RE,
                  pattern_help="must be 1–50 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit")
    name = r.text(top, "name", "", max_length=200)
    basis = r.text(top, "basis", "")
    jurisdiction = r.text(top, "jurisdiction", "", pattern=_JURISDICTION_RE,
                          pattern_help='must be a 6-digit administrative division code in quotes ("000000" = national)')
    effective_from = r.date(top, "effective_from", "")
    effective_to = r.date(top, "effective_to", "")
    if effective_from and effective_to and effective_to < effective_from:
        r.error("effective_to", "must not be before effective_from")

    courts = _read_courts(r, top.get("courts", _MISSING))
    periods, overrides = _read_publicity(r, top.get("publicity", _MISSING), courts)
    limits = _read_limits(r, top.get("limits", _MISSING))
    materials, additional = _read_materials(r, top.get("materials", _MISSING))
    refusals = _read_refusals(r, top.get("refusals", _MISSING))
    privacy = _read_privacy(r, top.get("privacy", _MISSING))
    commitments = _read_commitments(r, top.get("commitments", _MISSING))

    if r.errors:
        raise RuleSetInvalid(source, r.errors)
    return Rules(
        code=code,
        name=name,
        basis=basis,
        jurisdiction=jurisdiction,
        effective_from=effective_from,
        effective_to=effective_to,
        publicity_periods=MappingProxyType(periods),
        publicity_overrides=tuple(overrides),
        limits=MappingProxyType(limits),
        materials=MappingProxyType({k: MappingProxyType(v) for k, v in materials.items()}),
        additional_materials=tuple(additional),
        refusals=refusals,
        courts=courts,
        privacy=privacy,
        commitments=MappingProxyType(commitments),
    )


def _read_commitments(r: _Reader, value) -> dict[str, tuple[str, ...]]:
    """``commitments.<letter kind>``: the non-empty list of commitments that letter states."""
    commitments: dict[str, tuple[str, ...]] = {}
    table = r.table(value, "commitments", optional=COMMITMENT_KINDS)
    if table is None:
        return commitments
    for kind in COMMITMENT_KINDS:
        if kind not in table:
            continue
        path = f"commitments.{kind}"
        items = table[kind]
        if not isinstance(items, list) or not items:
            r.error(path, "must be a non-empty list of strings")
            continue
        bad = [i for i, item in enumerate(items) if not isinstance(item, str) or not item.strip()]
        for i in bad:
            r.error(f"{path}[{i}]", "must be a non-empty string")
        if not bad:
            commitments[kind] = tuple(items)
    return commitments


def _read_publicity(r: _Reader, value, courts: Courts | None):
    periods: dict[str, Publicity] = {}
    overrides: list[PublicityOverride] = []
    table = r.table(value, "publicity", required=SEVERITIES, optional=("overrides",))
    if table is None:
        return periods, overrides
    for severity in SEVERITIES:
        path = f"publicity.{severity}"
        if severity not in table:
            continue
        t = r.table(table[severity], path, required=("published", "min_months", "max_months"))
        if t is None:
            continue
        published = r.boolean(t, "published", path)
        low = r.integer(t, "min_months", path)
        high = r.integer(t, "max_months", path, minimum=max(low or 0, 1),
                         message="must be an integer ≥ min_months" if low else "must be an integer ≥ 1")
        if published is not None and low is not None and high is not None:
            periods[severity] = Publicity(published, low, high)

    for path, item in r.array_of_tables(table, "overrides", "publicity"):
        t = r.table(item, path, optional=("category", "sector", "penalty_type", "severity", "published",
                                          "min_months", "max_months", "basis"))
        if t is None:
            continue
        before = len(r.errors)
        category = r.choice(t, "category", path, CATEGORIES)
        severity = r.choice(t, "severity", path, SEVERITIES)
        sector = r.text(t, "sector", path)
        penalty_type = r.text(t, "penalty_type", path)
        published = r.boolean(t, "published", path)
        low = r.integer(t, "min_months", path)
        high = r.integer(t, "max_months", path, minimum=1, message="must be an integer ≥ 1")
        basis = r.text(t, "basis", path, allow_empty=True) or ""
        if not any(k in t for k in ("category", "sector", "penalty_type", "severity")):
            r.error(path, "must match on at least one of category, sector, penalty_type, severity")
        if not any(k in t for k in ("published", "min_months", "max_months")):
            r.error(path, "must set at least one of published, min_months, max_months")
        if len(r.errors) > before:
            continue
        override = PublicityOverride(category, _norm(sector), _norm(penalty_type), severity, published, low, high, basis)
        # The override must give a coherent period for every severity it can apply to.
        for sev in (severity,) if severity else SEVERITIES:
            if sev in periods:
                p = override.applied_to(periods[sev])
                if p.max_months < p.min_months:
                    where = "max_months" if high is not None else "min_months"
                    r.error(f"{path}.{where}",
                            f"gives a maximum ({p.max_months}) below the minimum ({p.min_months}) for {sev}; "
                            "set both min_months and max_months or narrow it by severity")
                    break
        if category == "court_debtor" and high is not None and courts is not None and high != courts.listing_term_months:
            r.error(f"{path}.max_months",
                    f"must equal courts.listing_term_months ({courts.listing_term_months}) for court_debtor")
        overrides.append(override)
    return periods, overrides


def _read_limits(r: _Reader, value) -> dict[str, Limit]:
    limits: dict[str, Limit] = {}
    table = r.table(value, "limits", required=LIMIT_NAMES)
    if table is None:
        return limits
    for name in LIMIT_NAMES:
        if name not in table:
            continue
        path = f"limits.{name}"
        t = r.table(table[name], path, required=("days",), optional=("unit",))
        if t is None:
            continue
        days = r.integer(t, "days", path)
        unit = r.choice(t, "unit", path, LIMIT_UNITS) if "unit" in t else WORKING
        if days is not None and unit is not None:
            limits[name] = Limit(days, unit)
    return limits


def _read_materials(r: _Reader, value):
    materials: dict[str, dict[str, tuple[str, ...]]] = {}
    additional: list[MaterialRule] = []
    table = r.table(value, "materials", required=CASE_TYPES, optional=("additional",))
    if table is None:
        return materials, additional
    for case_type in CASE_TYPES:
        if case_type not in table:
            continue
        path = f"materials.{case_type}"
        t = r.table(table[case_type], path, optional=(*SEVERITIES, "default"))
        if t is None:
            continue
        by_key = {key: r.choices(t, key, path, MATERIAL_KINDS) for key in t if key in (*SEVERITIES, "default")}
        missing = [s for s in SEVERITIES if s not in t]
        if missing and "default" not in t:
            r.error(path, f"must list kinds for {', '.join(missing)} (or give a default)")
            continue
        if None in by_key.values():
            continue
        materials[case_type] = {s: by_key.get(s, by_key.get("default")) for s in SEVERITIES}
    for path, item in r.array_of_tables(table, "additional", "materials"):
        t = r.table(item, path, required=("case_type", "kinds"), optional=("category", "severity", "basis"))
        if t is None:
            continue
        before = len(r.errors)
        case_type = r.choice(t, "case_type", path, CASE_TYPES)
        category = r.choice(t, "category", path, CATEGORIES)
        severity = r.choice(t, "severity", path, SEVERITIES)
        kinds = r.choices(t, "kinds", path, MATERIAL_KINDS, non_empty=True)
        basis = r.text(t, "basis", path, allow_empty=True) or ""
        if len(r.errors) == before:
            additional.append(MaterialRule(case_type, kinds, category, severity, basis))
    return materials, additional


def _read_refusals(r: _Reader, value) -> Refusals | None:
    path = "refusals"
    t = r.table(
        value,
        path,
        required=("not_repairable_categories", "revocation_bar_months", "min_months_since_last_repair"),
        optional=("max_repairs", "serious_act_within_months", "max_ignored_interviews",
                  "repeat_limits_severities", "obligations_confirmed_before_filing"),
    )
    if t is None:
        return None
    before = len(r.errors)
    categories = r.choices(t, "not_repairable_categories", path, CATEGORIES)
    bar = r.integer(t, "revocation_bar_months", path)
    since_last = r.integer(t, "min_months_since_last_repair", path)
    max_repairs = None
    if "max_repairs" in t:
        sub = r.table(t["max_repairs"], f"{path}.max_repairs", required=("count", "within_months"))
        if sub is not None:
            count = r.integer(sub, "count", f"{path}.max_repairs", minimum=1)
            within = r.integer(sub, "within_months", f"{path}.max_repairs", minimum=1)
            if count is not None and within is not None:
                max_repairs = RepeatLimit(count, within)
    serious_within = r.integer(t, "serious_act_within_months", path, minimum=1)
    ignored = r.integer(t, "max_ignored_interviews", path)
    severities = r.choices(t, "repeat_limits_severities", path, SEVERITIES) if "repeat_limits_severities" in t \
        else SEVERITIES
    confirmed_first = (r.boolean(t, "obligations_confirmed_before_filing", path)
                       if "obligations_confirmed_before_filing" in t else False)
    if len(r.errors) > before:
        return None
    return Refusals(categories, bar, since_last, max_repairs, serious_within, ignored, tuple(severities),
                    confirmed_first)


def _read_range(r: _Reader, table, key, path) -> MonthRange | None:
    if key not in table:
        return None
    where = _join(path, key)
    t = r.table(table[key], where, required=("min", "max"))
    if t is None:
        return None
    low = r.integer(t, "min", where)
    high = r.integer(t, "max", where, minimum=low or 0, message="must be an integer ≥ min")
    return MonthRange(low, high) if low is not None and high is not None else None


def _read_courts(r: _Reader, value) -> Courts | None:
    path = "courts"
    t = r.table(
        value,
        path,
        required=("listing_term_months", "listing_extension_months", "grace_period_months", "instalment_grace_days",
                  "auto_resume_on_breach", "creditor_request_relisting_bar_months"),
    )
    if t is None:
        return None
    before = len(r.errors)
    courts = Courts(
        listing_term_months=r.integer(t, "listing_term_months", path, minimum=1),
        listing_extension_months=_read_range(r, t, "listing_extension_months", path),
        grace_period_months=_read_range(r, t, "grace_period_months", path),
        instalment_grace_days=r.integer(t, "instalment_grace_days", path),
        auto_resume_on_breach=r.boolean(t, "auto_resume_on_breach", path),
        creditor_request_relisting_bar_months=r.integer(t, "creditor_request_relisting_bar_months", path),
    )
    if len(r.errors) > before or any(getattr(courts, f) is None for f in courts.__dataclass_fields__):
        return None
    return courts


def _read_privacy(r: _Reader, value) -> Privacy | None:
    path = "privacy"
    t = r.table(value, path, required=("publish_natural_persons", "mask_name", "mask_id"))
    if t is None:
        return None
    values = {key: r.boolean(t, key, path) for key in ("publish_natural_persons", "mask_name", "mask_id")}
    if None in values.values():
        return None
    return Privacy(**values)
