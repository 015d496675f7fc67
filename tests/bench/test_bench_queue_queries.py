"""The staff queue is paged and its query count does not grow with the page size (issue 7, target 5)."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from creditrepair.objections.models import Objection, ObjectionStatus
from creditrepair.workflow.models import Deadline


@pytest.fixture
def open_objections(dept_user, make_record):
    """60 objections in verification at the user's department, each with its verification and total deadlines."""
    ct = ContentType.objects.get_for_model(Objection)
    today = dt.date.today()
    cases = []
    for n in range(60):
        record = make_record(dept_user)
        case = Objection.objects.create(
            case_no=f"YY-2026-{900000 + n:06d}", query_code="QUEUE234", record=record, subject=record.subject,
            rule_set_code="national-2023", grounds="error", statement="有误", status=ObjectionStatus.VERIFYING,
        )
        for step, days in (("verification", 5), ("total", 15)):
            Deadline.objects.create(case_type=ct, case_id=case.pk, case_no=case.case_no, step=step,
                                    responsible=dept_user.department, started_on=today, limit_days=days,
                                    due_on=today + dt.timedelta(days=days))
        cases.append(case)
    return cases


def _queries(client, django_assert_max_num_queries, size, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(f"/staff/objections/?page_size={size}")
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_queue_query_count_does_not_grow_with_page_size(client, dept_user, open_objections,
                                                        django_assert_max_num_queries):
    client.force_login(dept_user)
    small, small_count = _queries(client, django_assert_max_num_queries, 5, 12)
    large, large_count = _queries(client, django_assert_max_num_queries, 50, 12)
    assert large_count == small_count
    assert len(small.context["rows"]) == 5 and len(large.context["rows"]) == 50


def test_queue_rows_show_each_case_deadlines(client, dept_user, open_objections):
    client.force_login(dept_user)
    response = client.get("/staff/objections/?page_size=5&page=2")
    rows = response.context["rows"]
    assert [row["case"].pk for row in rows] == [c.pk for c in open_objections[5:10]]
    expected = dt.date.today()
    assert all(row["due"] == expected + dt.timedelta(days=5) for row in rows)
    assert all(row["total"] == expected + dt.timedelta(days=15) for row in rows)
    page = response.context["page"]
    assert page.has_next() and page.has_previous()
    last = client.get("/staff/objections/?page_size=50&page=2").context
    assert len(last["rows"]) == 10 and not last["page"].has_next()


def test_queue_page_size_is_bounded(client, dept_user, open_objections):
    client.force_login(dept_user)
    assert len(client.get("/staff/objections/?page_size=0").context["rows"]) == 1
    assert len(client.get("/staff/objections/?page_size=abc").context["rows"]) == 50
