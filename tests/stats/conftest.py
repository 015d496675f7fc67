"""A hand-counted fixture for the statistics: repair cases across the 2026 National Day holiday, objections, notices.

Working days (2026): Sep 25 (Mid-Autumn) and Oct 1–7 are off; Sat Oct 10 is a make-up working day.

Department A (``department``), period 2026-01-01 … 2026-12-31:

=====  ===========  ===========  ====  ==========  ==========
case   filed        decided      WD    status      commitment
=====  ===========  ===========  ====  ==========  ==========
A1     Mon 09-28    Fri 10-09     4    completed   yes
A2     Wed 09-30    Wed 10-14     6    approved
A3     Mon 09-28    Wed 10-14     8    denied      yes
A4     Mon 09-28    Wed 09-30     2    refused
A5     Mon 09-28    Tue 10-20    12    completed
A6     Mon 11-02    —             —    under_review
A7     2025-06-02   2025-06-10    —    completed   (outside the period)
=====  ===========  ===========  ====  ==========  ==========

filed 6; decided 5; WD sorted [2, 4, 6, 8, 12]: median 6, p90 (nearest rank ⌈4.5⌉ = 5th) 12; limit 10 →
on time 4/5; repaired (approved + completed) 3/5; committed 2/6.
Training: serious_list subjects S1 (trained 2026-10-01), S2 (none), S3 (trained 2027-01-10, after the period) → 1/3.
Objections decided in the period: corrected, kept→review corrected, refused, kept (+ one decided in 2025) →
corrected 2, kept 1, refused 1; filed 4.
Notices created in the period: overdue unacknowledged (ack_due 10-09), acknowledged, escalated (ack_due in 2027),
not yet due (2027) (+ one overdue created in 2025) → overdue 2.

Department B (``other_department``): B1 filed Thu 10-08, decided Fri 10-09 (1 WD), approved.
All departments: filed 7, decided 6, WD [1, 2, 4, 6, 8, 12]: median 5, p90 (6th) 12, on time 5/6.
"""

import datetime as dt
import itertools
import zoneinfo

import pytest
from django.core.cache import cache

from creditrepair.documents.models import Document
from creditrepair.objections.models import Objection
from creditrepair.records.models import PartnerNotice, PublicationHistory
from creditrepair.repairs.models import RepairCase

from tests import factories

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def at(day: str, hour=10):
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def _case(record, *, filed, decided=None, status, commitment=False, training=None):
    n = next(_serial)
    case = RepairCase.objects.create(
        case_no=f"XF-2026-8{n:05d}", query_code="ABCD2345", record=record, subject=record.subject,
        rule_set_code=record.rule_set_code, statement="已履行", status=status,
        filed_at=at(filed) if filed else None, decided_at=at(decided, 15) if decided else None,
        training_completed_on=dt.date.fromisoformat(training) if training else None,
        training_certificate_no="PX-1" if training else "",
    )
    if commitment:
        Document.objects.create(kind="commitment_letter", case_no=case.case_no, subject_code=record.subject.code,
                                title="信用承诺书", file=f"documents/test/{n}.pdf", sha256=f"{n:064d}", size=1,
                                signed=True, idempotency_key=f"stats:{n}")
    return case


def _objection(record, *, decided, status="resolved", outcome="", review_outcome=""):
    return Objection.objects.create(
        case_no=f"YY-2026-8{next(_serial):05d}", query_code="ABCD2345", record=record, subject=record.subject,
        rule_set_code=record.rule_set_code, grounds="error", statement="有误", status=status, outcome=outcome,
        review_outcome=review_outcome, filed_at=at(decided) - dt.timedelta(days=5), decided_at=at(decided, 15),
    )


def _notice(record, partner, *, created, ack_due, acknowledged=False, escalated=False):
    history = PublicationHistory.objects.create(record=record, from_status="published", to_status="repaired",
                                                reason="repair", actor_label="test", at=at(created))
    return PartnerNotice.objects.create(
        partner=partner, record=record, history=history, from_status="published", to_status="repaired",
        reason="repair", status="acknowledged" if acknowledged else "delivered", created_at=at(created),
        ack_due=dt.date.fromisoformat(ack_due), acknowledged_at=at(created) if acknowledged else None,
        escalated_at=at(created) if escalated else None,
    )


@pytest.fixture
def stats_world(dept_user, other_dept_user, make_record):
    rec = lambda user=dept_user, **kw: make_record(user, factories.SubjectFactory(), **kw)  # noqa: E731
    _case(rec(), filed="2026-09-28", decided="2026-10-09", status="completed", commitment=True)
    _case(rec(), filed="2026-09-30", decided="2026-10-14", status="approved")
    _case(rec(), filed="2026-09-28", decided="2026-10-14", status="denied", commitment=True)
    _case(rec(), filed="2026-09-28", decided="2026-09-30", status="refused")
    _case(rec(), filed="2026-09-28", decided="2026-10-20", status="completed")
    _case(rec(), filed="2026-11-02", status="under_review")
    _case(rec(), filed="2025-06-02", decided="2025-06-10", status="completed", commitment=True)
    _case(rec(other_dept_user), filed="2026-10-08", decided="2026-10-09", status="approved")

    s1, s2, s3 = (factories.SubjectFactory() for _ in range(3))
    for subject in (s1, s2, s3):
        make_record(dept_user, subject, category="serious_list", severity="serious")
    _case(make_record(dept_user, s1), filed=None, status="draft", training="2026-10-01")
    _case(make_record(dept_user, s3), filed=None, status="draft", training="2027-01-10")

    disputed = rec()
    _objection(disputed, decided="2026-03-02", outcome="corrected")
    _objection(disputed, decided="2026-04-01", outcome="kept", review_outcome="corrected", status="closed")
    _objection(disputed, decided="2026-05-06", status="refused")
    _objection(disputed, decided="2026-06-01", outcome="kept")
    _objection(disputed, decided="2025-06-01", outcome="removed")

    partner = factories.PartnerFactory(name="雅安市发展和改革委员会")
    punished = rec()
    _notice(punished, partner, created="2026-10-01", ack_due="2026-10-09")
    _notice(punished, partner, created="2026-10-01", ack_due="2026-10-09", acknowledged=True)
    _notice(punished, partner, created="2026-10-02", ack_due="2027-06-01", escalated=True)
    _notice(punished, partner, created="2026-10-02", ack_due="2027-06-01")
    _notice(punished, partner, created="2025-10-02", ack_due="2025-10-09")
    return {"department": dept_user.department, "other": other_dept_user.department}
