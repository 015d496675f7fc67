"""Working-day deadlines of every step (domain §4, §7) and review (复核)."""

import datetime as dt

import pytest
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers

from creditrepair.core.errors import Conflict
from creditrepair.objections import services
from creditrepair.workflow.deadlines import deadlines_of
from creditrepair.workflow.gateway import pending_steps

# 2026 National Day + Mid-Autumn: Oct 1 (Thu) – Oct 7 (Wed) off; Sep 20 (Sun) and Oct 10 (Sat) are make-up working days.


def test_every_step_gets_its_deadline_from_the_rule_set(at_date, make_record, dept_user, enterprise, ent_user, operator):
    with at_date(dt.date(2026, 9, 28)):  # Monday before the holiday
        record = make_record(dept_user, enterprise, decided=dt.date(2026, 7, 1))
        case = services.objection_file(actor=ent_user, record=record, grounds="error", statement="有误")
        assert deadlines_of(case) == {"intake": dt.date(2026, 9, 30),   # 2 WD
                                      "total": dt.date(2026, 10, 30)}   # 20 WD: Sep 29, 30, Oct 8–10, 12–16, 19–23, 26–30
    with at_date(dt.date(2026, 9, 29)):
        case = services.objection_accept(case, actor=operator)
        assert deadlines_of(case)["platform_check"] == dt.date(2026, 9, 30)  # 1 WD
        # 5 WD: Sep 30, Oct 8, Oct 9, Oct 10 (make-up Saturday), Oct 12
        assert deadlines_of(case)["verification"] == dt.date(2026, 10, 12)


def test_the_extension_moves_the_deadline_by_exactly_the_configured_working_days_across_the_holiday(
    at_date, make_record, dept_user, enterprise, ent_user, operator
):
    with at_date(dt.date(2026, 9, 29)):
        record = make_record(dept_user, enterprise, decided=dt.date(2026, 7, 1))
        case = services.objection_file(actor=ent_user, record=record, grounds="error", statement="有误")
        case = services.objection_accept(case, actor=operator)
        assert deadlines_of(case)["verification"] == dt.date(2026, 10, 12)
        case = services.objection_extend(case, actor=dept_user, reason="需调取原始执法档案")
        # + 5 WD from Oct 12: Oct 13, 14, 15, 16, 19
        assert deadlines_of(case)["verification"] == dt.date(2026, 10, 19)
        with pytest.raises(Conflict):
            services.objection_extend(case, actor=dept_user, reason="再次延期")


def test_a_review_that_changes_kept_into_removed_removes_the_record(
    verifying, dept_user, ent_user, operator, published_record
):
    case = services.objection_resolve(verifying, actor=dept_user, outcome="kept", reason="经核实无误")
    case = services.objection_request_review(case, actor=ent_user, statement="原决定已被撤销，请复核")
    published_record.refresh_from_db()
    assert case.status == "under_review" and published_record.status == "published"
    case = services.objection_review_decide(case, actor=operator, outcome="removed", reason="经复核，应移出")
    published_record.refresh_from_db()
    assert case.status == "closed" and case.review_outcome == "removed" and case.final_outcome == "removed"
    assert published_record.status == "removed"
    assert published_record.history.order_by("-id").first().reason == "objection_removed"
    assert pending_steps(case) == []


def test_a_review_may_keep_the_outcome(verifying, dept_user, ent_user, operator, published_record):
    case = services.objection_resolve(verifying, actor=dept_user, outcome="kept", reason="经核实无误")
    case = services.objection_request_review(case, actor=ent_user, statement="请复核")
    case = services.objection_review_decide(case, actor=operator, outcome="kept", reason="维持")
    published_record.refresh_from_db()
    assert case.status == "closed" and published_record.status == "published"


def test_review_cannot_be_requested_after_the_window(verifying, dept_user, ent_user, time_machine_days):
    case = services.objection_resolve(verifying, actor=dept_user, outcome="kept", reason="经核实无误")
    with time_machine_days(30):
        with pytest.raises(Conflict) as exc:
            services.objection_request_review(case, actor=ent_user, statement="请复核")
    assert exc.value.code == "deadline_passed"


def test_an_unreviewed_case_is_closed_by_the_timer_when_the_window_lapses(
    verifying, dept_user, ent_user, time_machine_days
):
    case = services.objection_resolve(verifying, actor=dept_user, outcome="kept", reason="经核实无误")
    assert fire_due_timers() == 0
    with time_machine_days(30):
        assert fire_due_timers() == 1
    case.refresh_from_db()
    assert case.status == "closed"
    assert pending_steps(case) == []
    assert case.history.order_by("-id").first().actor_label == "system:review-window"
    with pytest.raises(Conflict) as exc:
        services.objection_request_review(case, actor=ent_user, statement="请复核")
    assert exc.value.code == "deadline_passed"


def test_a_review_request_cancels_the_window_timer(verifying, dept_user, ent_user, time_machine_days):
    case = services.objection_resolve(verifying, actor=dept_user, outcome="kept", reason="经核实无误")
    services.objection_request_review(case, actor=ent_user, statement="请复核")
    with time_machine_days(30):
        assert fire_due_timers() == 0
    case.refresh_from_db()
    assert case.status == "under_review"
    assert timezone.now()  # the case waits for the operator's review decision
    assert pending_steps(case) == ["review"]
