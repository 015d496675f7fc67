"""Load the demo data of ``fixtures/demo/`` through the services (``python manage.py load_demo``).

Everything goes through the same services a real department uses —
``subject_upsert``, ``record_create`` (by a staff user of the recognising
department or court, so the history and audit rows are real),
``publish_after_grace``, ``stop_expired_publications`` and
``record_obligations_fulfilled`` — in one transaction.

Dates in the files are relative (``decided_days_ago`` …) and are counted back
from the day the loader runs. Idempotent: departments, partners, measures and
users are found by their natural keys and left as they are; a record is
skipped when its department already has it. A record is identified by its
department and its decision number *without the year* (each number in the
files is unique that way), so a second run in a later year, when a relative
date may fall in another year, still finds the records of the first run.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditrepair.accounts.models import Role
from creditrepair.core.errors import DomainError
from creditrepair.records import services as record_services
from creditrepair.records.models import Partner, PunishmentMeasure, Record
from creditrepair.registry.models import Department, Subject
from creditrepair.registry.services import subject_upsert

DEFAULT_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
ORGANISATIONS_FILE = "organisations.toml"
SUBJECTS_FILE = "subjects.toml"

# The year inside a decision number: 〔2025〕, （2025） or (2025).
_YEAR_RE = re.compile(r"([〔（(])\d{4}([〕）)])")


class DemoRefused(Exception):
    """This installation must not have demo users (``settings.REFUSE_DEMO_USERS``)."""


class DemoDataInvalid(Exception):
    """A demo file is wrong, or a service refused one of its entries; nothing was loaded."""


@dataclass
class DemoReport:
    """What one run did; ``created`` counts are 0 on a repeated run."""

    departments: int = 0
    departments_created: int = 0
    partners: int = 0
    partners_created: int = 0
    measures_created: int = 0
    subjects: int = 0
    subjects_created: int = 0
    users: int = 0
    users_created: int = 0
    users_mismatched: list[str] = field(default_factory=list)
    records: int = 0
    records_created: int = 0
    grace_ended: int = 0
    expired: int = 0
    obligations_recorded: int = 0
    statuses: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return any((self.departments_created, self.partners_created, self.measures_created, self.subjects_created,
                    self.users_created, self.records_created, self.grace_ended, self.expired,
                    self.obligations_recorded))


def record_key(decision_no: str) -> str:
    """A decision number with its year replaced by ``{year}`` (the identity of a demo record)."""
    return _YEAR_RE.sub(r"\1{year}\2", decision_no.strip())


# --------------------------------------------------------------------------- reading the files


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DemoDataInvalid(_("找不到演示数据文件：%(path)s") % {"path": path}) from None
    except tomllib.TOMLDecodeError as exc:
        raise DemoDataInvalid(_("演示数据文件 %(path)s 格式错误：%(error)s") % {"path": path, "error": exc}) from None


def _require(entry: dict, keys, where: str):
    missing = [key for key in keys if key not in entry]
    if missing:
        raise DemoDataInvalid(_("%(where)s 缺少字段：%(keys)s") % {"where": where, "keys": "、".join(missing)})


def read_demo_files(directory: Path | None = None) -> dict:
    """Read and cross-check ``organisations.toml`` and ``subjects.toml``; return one document."""
    directory = Path(directory or DEFAULT_DIR)
    data = _read(directory / ORGANISATIONS_FILE) | _read(directory / SUBJECTS_FILE)
    for key in ("departments", "partners", "users", "subjects", "records"):
        data.setdefault(key, [])
    departments = {}
    for i, d in enumerate(data["departments"]):
        _require(d, ("code", "name", "kind", "jurisdiction"), f"departments[{i}]")
        departments[d["code"]] = d
    for d in data["departments"]:
        if d.get("parent") and d["parent"] not in departments:
            raise DemoDataInvalid(_("单位 %(code)s 的上级单位 %(parent)s 未定义。") % d)
    for i, p in enumerate(data["partners"]):
        _require(p, ("code", "name"), f"partners[{i}]")
        if p.get("department") and p["department"] not in departments:
            raise DemoDataInvalid(_("联合惩戒单位 %(code)s 对应的单位 %(department)s 未定义。") % p)
        for j, m in enumerate(p.get("measures", [])):
            _require(m, ("category", "description"), f"partners[{i}].measures[{j}]")
    actors = {}
    for i, u in enumerate(data["users"]):
        _require(u, ("username",), f"users[{i}]")
        if u.get("role"):
            _require(u, ("department",), f"users[{i}]")
            if u["department"] not in departments:
                raise DemoDataInvalid(_("用户 %(username)s 所属单位 %(department)s 未定义。") % u)
            actors.setdefault(u["department"], u["username"])
    codes = set()
    for i, s in enumerate(data["subjects"]):
        _require(s, ("code", "name", "type"), f"subjects[{i}]")
        codes.add(s["code"])
    keys = set()
    for i, r in enumerate(data["records"]):
        where = f"records[{i}]"
        _require(r, ("subject", "department", "category", "severity", "decision_no", "decided_days_ago", "summary"),
                 where)
        if r["subject"] not in codes:
            raise DemoDataInvalid(_("%(where)s 的主体 %(code)s 未在 subjects 中定义。") % {"where": where, "code": r["subject"]})
        if r["department"] not in actors:
            raise DemoDataInvalid(
                _("%(where)s 的认定单位 %(code)s 没有可录入记录的演示用户。") % {"where": where, "code": r["department"]}
            )
        key = (r["department"], record_key(r["decision_no"]))
        if key in keys:
            raise DemoDataInvalid(_("%(where)s 的决定文书号 %(no)s 重复。") % {"where": where, "no": r["decision_no"]})
        keys.add(key)
        if r["decided_days_ago"] < 0 or r.get("fulfilled_days_ago", 0) > r["decided_days_ago"]:
            raise DemoDataInvalid(_("%(where)s 的日期不合理。") % {"where": where})
    data["actors"] = actors
    return data


# --------------------------------------------------------------------------- loading


def _load_departments(data, report):
    by_code = {}
    for d in data["departments"]:  # parents are listed before their children
        department, created = Department.objects.get_or_create(
            code=d["code"],
            defaults={
                "name": d["name"], "kind": d["kind"], "jurisdiction": d["jurisdiction"],
                "sector": d.get("sector", ""), "parent": by_code.get(d.get("parent")),
            },
        )
        by_code[d["code"]] = department
        report.departments_created += created
    report.departments = len(by_code)
    return by_code


def _load_partners(data, departments, report):
    for p in data["partners"]:
        partner, created = Partner.objects.get_or_create(
            code=p["code"],
            defaults={"name": p["name"], "department": departments.get(p.get("department")), "webhook_url": ""},
        )
        report.partners_created += created
        for m in p.get("measures", []):
            _, created = PunishmentMeasure.objects.get_or_create(
                partner=partner, category=m["category"], severity=m.get("severity", ""),
                description=m["description"],
            )
            report.measures_created += created
    report.partners = len(data["partners"])


def _load_subjects(data, report):
    existing = set(Subject.objects.filter(code__in=[s["code"] for s in data["subjects"]]).values_list("code", flat=True))
    subjects = {}
    for s in data["subjects"]:
        subjects[s["code"]] = subject_upsert(code=s["code"], name=s["name"], type=s["type"])
    report.subjects = len(subjects)
    report.subjects_created = len(subjects.keys() - existing)
    return subjects


def _ensure_user(username, *, report, password_hash, role="", department=None, subject=None, name="",
                 superuser=False):
    """Create a demo user with the demo password; an existing one is left untouched (and checked)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username, role=role, department=department, subject=subject, first_name=name,
            is_staff=superuser or role == Role.OPERATOR, is_superuser=superuser, password=password_hash(),
        )
        user.save()
        report.users_created += 1
    elif (user.role, user.department_id, user.subject_id) != (role, getattr(department, "pk", None),
                                                              getattr(subject, "pk", None)):
        report.users_mismatched.append(username)
    report.users += 1
    return user


def _load_users(data, departments, subjects, report):
    # The demo password is public: hash it once (PBKDF2 takes most of a second) for all new users.
    hashed = []

    def password_hash():
        if not hashed:
            hashed.append(make_password(settings.DEMO_PASSWORD))
        return hashed[0]

    users = {}
    for u in data["users"]:
        users[u["username"]] = _ensure_user(
            u["username"], report=report, role=u.get("role", ""), department=departments.get(u.get("department")),
            name=u.get("name", ""), superuser=u.get("superuser", False), password_hash=password_hash,
        )
    for s in data["subjects"]:
        for username in s.get("users", []):
            users[username] = _ensure_user(
                username, report=report, role=Role.SUBJECT, subject=subjects[s["code"]], name=s["name"],
                password_hash=password_hash,
            )
    return users


def _load_records(data, departments, users, today, report):
    """Create the records not there yet; return those whose obligations are to be marked performed."""
    subjects = {s["code"]: s for s in data["subjects"]}
    existing = {
        (department_id, record_key(no))
        for department_id, no in Record.objects.filter(department__in=departments.values()).values_list(
            "department_id", "decision_no"
        )
    }
    fulfilled = []
    for r in data["records"]:
        department = departments[r["department"]]
        if (department.pk, record_key(r["decision_no"])) in existing:
            continue
        decided = today - timedelta(days=r["decided_days_ago"])
        decision_no = r["decision_no"].replace("{year}", str(decided.year))
        actor = users[data["actors"][r["department"]]]
        if actor.department_id != department.pk:
            raise DemoDataInvalid(
                _("用户 %(username)s 已存在但不属于%(department)s，不能以其名义录入演示记录。")
                % {"username": actor.username, "department": department.name}
            )
        subject = subjects[r["subject"]]
        try:
            record = record_services.record_create(
                actor=actor,
                subject={"code": subject["code"], "name": subject["name"], "type": subject["type"]},
                category=r["category"],
                severity=r["severity"],
                decision_no=decision_no,
                decision_date=decided,
                summary=r["summary"],
                legal_basis=r.get("legal_basis", ""),
                obligations=r.get("obligations", ""),
                grace_until=decided + timedelta(days=r["grace_days"]) if r.get("grace_days") else None,
                sector=r.get("sector", ""),
                penalty_types=r.get("penalty_types", ()),
                publish_minor=r.get("publish_minor", False),
            )
        except DomainError as exc:
            raise DemoDataInvalid(
                _("记录 %(no)s（%(department)s）未能录入：%(error)s")
                % {"no": decision_no, "department": department.name, "error": exc.message}
            ) from exc
        report.records_created += 1
        if r.get("fulfilled_days_ago") is not None:
            fulfilled.append((record, actor, today - timedelta(days=r["fulfilled_days_ago"]), r.get("evidence", "")))
    return fulfilled


def load_demo(directory: Path | None = None) -> DemoReport:
    """Load the demo files into the database in one transaction; refuse where demo users are forbidden."""
    if getattr(settings, "REFUSE_DEMO_USERS", False):
        raise DemoRefused(_("本环境已设置 REFUSE_DEMO_USERS（生产环境），禁止创建演示用户和演示数据。"))
    data = read_demo_files(directory)
    report = DemoReport()
    today = timezone.localdate()
    with transaction.atomic():
        departments = _load_departments(data, report)
        _load_partners(data, departments, report)
        subjects = _load_subjects(data, report)
        users = _load_users(data, departments, subjects, report)
        fulfilled = _load_records(data, departments, users, today, report)
        report.grace_ended = record_services.publish_after_grace().records
        report.expired = record_services.stop_expired_publications().records
        for record, actor, fulfilled_on, evidence in fulfilled:
            record_services.record_obligations_fulfilled(record, actor=actor, fulfilled_on=fulfilled_on,
                                                         evidence=evidence)
            report.obligations_recorded += 1
    demo_records = Record.objects.filter(department__in=departments.values())
    report.records = demo_records.count()
    report.statuses = Counter(demo_records.values_list("status", flat=True))
    return report
