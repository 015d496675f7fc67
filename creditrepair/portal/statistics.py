"""What a good platform reports (domain §8), per department and period.

:func:`statistics_for` computes every figure of the statistics page and its
CSV export with set-based queries; only the working-day figures load the
(filed, decided) pairs of the cases decided in the period. The exact
definitions are in ``docs/public.md`` ("Statistics"); in short, for the
period [start, end] (local dates, both included) and the scope (all, or the
records of one department/court):

* filed — repair cases whose ``filed_at`` falls in the period;
* decided — repair cases whose ``decided_at`` falls in the period (refusals at
  intake, approvals, denials; later completed/revoked cases keep their
  decision date);
* working days — ``working_days_between(filed, decided)`` of each decided case;
  median (middle value, mean of the two middle values for an even count) and
  90th percentile (nearest rank: the ⌈0.9·n⌉-th smallest), against the limit
  ``repair_answer_total`` of each case's rule set;
* on-time rate — decided cases with working days ≤ their limit / decided;
* repair rate — decided cases now approved or completed / decided;
* training coverage — subjects with a ``serious_list`` record (decided on or
  before the end) that have a repair case with training completed on or
  before the end / all such subjects;
* commitment rate — filed cases with a signed commitment letter / filed;
* objections by outcome — objections decided in the period by their final
  outcome (the review's, if any), refusals as ``refused``;
* overdue acknowledgements — partner notices created in the period, not
  acknowledged, and escalated or past their ``ack_due`` date (today).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics as pystats
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from creditrepair.documents.models import Document
from creditrepair.objections.models import Objection, ObjectionStatus, Outcome
from creditrepair.records.models import Category, NoticeStatus, PartnerNotice, Record
from creditrepair.repairs.models import MaterialKind, RepairCase, RepairStatus
from creditrepair.rules.selectors import rule_set_by_code
from creditrepair.workdays.services import working_days_between

ANSWER_LIMIT = "repair_answer_total"
REPAIRED_STATUSES = (RepairStatus.APPROVED, RepairStatus.COMPLETED)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def current_year(cls, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, end+1 00:00) in the platform's time zone."""
        tz = timezone.get_current_timezone()
        lo = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        hi = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return lo, hi


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def median(values: list[int]) -> float | None:
    """The middle value (mean of the two middle values for an even count); None when empty."""
    return float(pystats.median(values)) if values else None


def percentile_90(values: list[int]) -> int | None:
    """Nearest-rank 90th percentile: the ⌈0.9·n⌉-th smallest value; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(0.9 * len(ordered))) - 1]


def _limits(codes) -> dict[str, int]:
    return {code: rule_set_by_code(code).limit(ANSWER_LIMIT).days for code in set(codes)}


def _month_series(qs, field: str) -> dict[str, int]:
    rows = qs.order_by().annotate(month=TruncMonth(field)).values("month").annotate(n=Count("id")).order_by("month")
    out = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = timezone.localtime(month) if timezone.is_aware(month) else month
        out[month.strftime("%Y-%m")] = out.get(month.strftime("%Y-%m"), 0) + row["n"]
    return out


def _months(period: Period) -> list[str]:
    months, year, month = [], period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def statistics_for(period: Period, department=None, *, today: dt.date | None = None) -> dict:
    """Every figure of the statistics page for ``period``; ``department`` None means the whole platform."""
    today = today or timezone.localdate()
    lo, hi = period.bounds()
    scope = Q(record__department=department) if department is not None else Q()

    cases = RepairCase.objects.filter(scope)
    filed_qs = cases.filter(filed_at__gte=lo, filed_at__lt=hi)
    decided_qs = cases.filter(decided_at__gte=lo, decided_at__lt=hi)

    commitment = Document.objects.filter(case_no=OuterRef("case_no"), kind=MaterialKind.COMMITMENT_LETTER)
    filed_counts = filed_qs.aggregate(
        filed=Count("id"), committed=Count("id", filter=Exists(commitment)),
    )
    by_status = dict(decided_qs.order_by().values("status").annotate(n=Count("id")).values_list("status", "n"))
    decided = sum(by_status.values())
    repaired = sum(by_status.get(s, 0) for s in REPAIRED_STATUSES)

    pairs = list(decided_qs.filter(filed_at__isnull=False).values_list("filed_at", "decided_at", "rule_set_code"))
    limits = _limits(code for _f, _d, code in pairs)
    durations, on_time = [], 0
    for filed_at, decided_at, code in pairs:
        days = working_days_between(timezone.localdate(filed_at), timezone.localdate(decided_at))
        durations.append(days)
        on_time += days <= limits[code]
    limit_values = sorted(set(limits.values()))

    listed_subjects = Record.objects.filter(
        category=Category.SERIOUS_LIST, decision_date__lte=period.end,
        **({"department": department} if department is not None else {}),
    ).values("subject_id")
    trained_subjects = RepairCase.objects.filter(
        training_completed_on__isnull=False, training_completed_on__lte=period.end,
    ).values("subject_id")
    from creditrepair.registry.models import Subject

    listed = Subject.objects.filter(id__in=listed_subjects)
    coverage = listed.aggregate(listed=Count("id"), trained=Count("id", filter=Q(id__in=trained_subjects)))

    objections = Objection.objects.filter(scope).filter(decided_at__gte=lo, decided_at__lt=hi)
    outcome_counts: dict[str, int] = {}
    grouped = objections.order_by().values("status", "outcome", "review_outcome").annotate(n=Count("id"))
    for status, outcome, review_outcome, n in grouped.values_list("status", "outcome", "review_outcome", "n"):
        key = "refused" if status == ObjectionStatus.REFUSED else (review_outcome or outcome or "pending")
        outcome_counts[key] = outcome_counts.get(key, 0) + n
    outcome_labels = {**{o.value: str(o.label) for o in Outcome}, "refused": _("不予受理"), "pending": _("待定")}
    objections_by_outcome = [
        {"outcome": key, "label": outcome_labels.get(key, key), "count": outcome_counts[key]}
        for key in [*[o.value for o in Outcome], "refused", "pending"] if key in outcome_counts
    ]
    objections_filed = Objection.objects.filter(scope).filter(filed_at__gte=lo, filed_at__lt=hi).count()

    notices = PartnerNotice.objects.filter(created_at__gte=lo, created_at__lt=hi).filter(scope)
    overdue = notices.exclude(status=NoticeStatus.ACKNOWLEDGED).filter(
        Q(escalated_at__isnull=False) | Q(ack_due__lt=today)
    )
    overdue_by_partner = list(overdue.order_by().values("partner__name").annotate(n=Count("id")).order_by("-n", "partner__name"))

    filed_months = _month_series(filed_qs, "filed_at")
    decided_months = _month_series(decided_qs, "decided_at")
    months = _months(period)
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "department": department.name if department is not None else None,
        "repairs": {
            "filed": filed_counts["filed"],
            "decided": decided,
            "decided_by_status": {s: by_status[s] for s in sorted(by_status)},
            "repaired": repaired,
            "repair_rate": _ratio(repaired, decided),
            "working_days": {
                "count": len(durations),
                "median": median(durations),
                "p90": percentile_90(durations),
                "limit": limit_values[0] if len(limit_values) == 1 else None,
                "limits": limit_values,
            },
            "on_time": on_time,
            "on_time_rate": _ratio(on_time, len(durations)),
            "committed": filed_counts["committed"],
            "commitment_rate": _ratio(filed_counts["committed"], filed_counts["filed"]),
        },
        "training": {
            "listed_subjects": coverage["listed"],
            "trained_subjects": coverage["trained"],
            "coverage": _ratio(coverage["trained"], coverage["listed"]),
        },
        "objections": {"filed": objections_filed, "decided": sum(outcome_counts.values()),
                       "by_outcome": objections_by_outcome},
        "notices": {"overdue": sum(row["n"] for row in overdue_by_partner),
                    "overdue_by_partner": [{"partner": r["partner__name"], "count": r["n"]}
                                           for r in overdue_by_partner]},
        "monthly": {"months": months, "filed": [filed_months.get(m, 0) for m in months],
                    "decided": [decided_months.get(m, 0) for m in months]},
    }


def csv_rows(figures: dict) -> list[list[str]]:
    """The same figures as ``[indicator, value]`` rows for the CSV export (rates as percentages)."""

    def pct(value):
        return "" if value is None else f"{value * 100:.1f}%"

    def num(value):
        return "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))

    r, wd = figures["repairs"], figures["repairs"]["working_days"]
    rows = [
        [_("统计期间"), f"{figures['period']['start']} — {figures['period']['end']}"],
        [_("统计范围"), figures["department"] or _("全部单位")],
        [_("修复申请受理数（提交）"), num(r["filed"])],
        [_("修复申请办结数（作出决定）"), num(r["decided"])],
        [_("办理用时中位数（工作日）"), num(wd["median"])],
        [_("办理用时第90百分位（工作日）"), num(wd["p90"])],
        [_("办理时限（工作日）"), "/".join(str(v) for v in wd["limits"])],
        [_("按期办结数"), num(r["on_time"])],
        [_("按期办结率"), pct(r["on_time_rate"])],
        [_("准予修复数"), num(r["repaired"])],
        [_("修复率"), pct(r["repair_rate"])],
        [_("严重失信主体数"), num(figures["training"]["listed_subjects"])],
        [_("已参加信用修复培训的主体数"), num(figures["training"]["trained_subjects"])],
        [_("培训覆盖率"), pct(figures["training"]["coverage"])],
        [_("已签署信用承诺书的申请数"), num(r["committed"])],
        [_("承诺率"), pct(r["commitment_rate"])],
        [_("异议申请数"), num(figures["objections"]["filed"])],
        [_("异议办结数"), num(figures["objections"]["decided"])],
    ]
    rows += [[_("异议结果：%(label)s") % {"label": row["label"]}, num(row["count"])]
             for row in figures["objections"]["by_outcome"]]
    rows.append([_("联合惩戒单位逾期未确认通知数"), num(figures["notices"]["overdue"])])
    rows += [[_("逾期未确认：%(partner)s") % {"partner": row["partner"]}, num(row["count"])]
             for row in figures["notices"]["overdue_by_partner"]]
    return rows
