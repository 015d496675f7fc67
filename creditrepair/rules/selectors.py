"""Which rule set applies, and what it says.

* The publicity window follows the rule set in force on the **decision date**
  (``rules_for_decision``: no retroactive lengthening).
* Procedure (limits, materials, refusals) follows the rule set in force on the
  **filing date** (``rules_for_filing``).
* The most specific jurisdiction wins: a rule set for "511800" covers every
  code starting with "5118", "510000" every "51…", "000000" everything.

Each lookup is one small query on ``RuleSet`` (no document); parsed documents
are cached per process by (code, sha256), so a reloaded file is re-read.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from creditrepair.core.errors import Conflict, InvalidInput, NotFound

from .models import RuleSet
from .schema import Publicity, Rules, jurisdiction_prefix

__all__ = [
    "Publicity",
    "Rules",
    "Window",
    "publicity_window",
    "rule_set_by_code",
    "rule_set_for",
    "rules_for_decision",
    "rules_for_filing",
]

_JURISDICTION_RE = re.compile(r"^[0-9]{6}$")
_parsed: dict[tuple[str, str], Rules] = {}
_parsed_lock = threading.Lock()


@dataclass(frozen=True)
class Window:
    """A record's publicity window.

    ``published_from`` is the decision date; repair may be requested on
    ``min_until`` and after; publication stops automatically on ``max_until``
    (the record is published through the day before).
    """

    published: bool
    published_from: dt.date
    min_until: dt.date
    max_until: dt.date

    def min_period_over(self, day: dt.date) -> bool:
        """True on ``min_until`` and after: the minimum period no longer bars a repair."""
        return day >= self.min_until

    def published_on(self, day: dt.date) -> bool:
        """True when the record is on display that day: published, from the decision date through ``max_until`` − 1."""
        return self.published and self.published_from <= day < self.max_until


def _rules(code: str, sha256: str) -> Rules:
    key = (code, sha256)
    rules = _parsed.get(key)
    if rules is None:
        data = RuleSet.objects.filter(code=code).values_list("data", flat=True).get()
        rules = Rules.from_document(data, source=f"rule set {code} (database)")
        with _parsed_lock:
            for stale in [k for k in _parsed if k[0] == code]:
                del _parsed[stale]
            _parsed[key] = rules
    return rules


def _check_day(value, name):
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name} must be a datetime.date, not {value!r}")


def rule_set_for(jurisdiction: str, on: dt.date) -> Rules:
    """The rule set in force on ``on`` for a 6-digit division code; the most specific jurisdiction wins.

    Raises ``Conflict(code="no_rule_set")`` when none is in force.
    """
    _check_day(on, "on")
    if not isinstance(jurisdiction, str) or not _JURISDICTION_RE.match(jurisdiction):
        raise InvalidInput(
            _("行政区划代码必须是 6 位数字。"), details={"jurisdiction": [str(_("行政区划代码必须是 6 位数字。"))]}
        )
    rows = RuleSet.objects.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    ).values_list("code", "jurisdiction", "effective_from", "sha256")
    candidates = []
    for code, ruleset_jurisdiction, effective_from, sha256 in rows:
        prefix = jurisdiction_prefix(ruleset_jurisdiction)
        if jurisdiction.startswith(prefix):
            candidates.append((len(prefix), effective_from, code, sha256))
    if not candidates:
        raise Conflict(
            _("行政区划 %(jurisdiction)s 在 %(date)s 没有生效的规则集，请联系平台运营机构。")
            % {"jurisdiction": jurisdiction, "date": on.isoformat()},
            code="no_rule_set",
            details={"jurisdiction": jurisdiction, "on": on.isoformat()},
        )
    # Longest prefix first; for the same prefix (overlap the loader forbids) the newest, then the code.
    best = max(candidates)
    return _rules(best[2], best[3])


def rule_set_by_code(code: str) -> Rules:
    """The rule set with this code (e.g. the one a record was decided under)."""
    row = RuleSet.objects.filter(code=code).values_list("sha256", flat=True).first()
    if row is None:
        raise NotFound(_("规则集 %(code)s 不存在。") % {"code": code}, code="no_rule_set", details={"code": code})
    return _rules(code, row)


def rules_for_decision(jurisdiction: str, decision_date: dt.date) -> Rules:
    """The rule set that fixes a record's publicity window: the one in force on its decision date."""
    return rule_set_for(jurisdiction, decision_date)


def rules_for_filing(jurisdiction: str, filed_on: dt.date) -> Rules:
    """The rule set that governs a case's procedure: the one in force on its filing date."""
    return rule_set_for(jurisdiction, filed_on)


def publicity_window(
    rules: Rules,
    *,
    category: str,
    severity: str,
    decision_date: dt.date,
    sector: str | None = None,
    penalty_types=(),
) -> Window:
    """The window of a record, counted in calendar months from its decision date (2026-01-31 + 1 month = 2026-02-28)."""
    _check_day(decision_date, "decision_date")
    period: Publicity = rules.publicity(category, severity, sector=sector, penalty_types=penalty_types)
    return Window(
        published=period.published,
        published_from=decision_date,
        min_until=decision_date + relativedelta(months=period.min_months),
        max_until=decision_date + relativedelta(months=period.max_months),
    )


def clear_cache() -> None:
    """Forget the parsed rule sets (tests; the cache key already follows file changes)."""
    with _parsed_lock:
        _parsed.clear()
