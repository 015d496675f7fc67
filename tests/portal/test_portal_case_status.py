"""Public case status (page and API): stage, timeline, next steps; a wrong code answers like an unknown case."""

import re

import pytest

from creditrepair.workdays.services import add_working_days


@pytest.fixture
def record(dept_user, make_record, enterprise):
    return make_record(dept_user, enterprise)


def _api(client, case_no, code):
    return client.get(f"/api/v1/public/cases/{case_no}", {"query_code": code})


def _page(client, case_no, code):
    return client.post("/status/", {"case_no": case_no, "query_code": code})


@pytest.mark.parametrize("kind,prefix", [("repair", "XF"), ("objection", "YY")])
def test_the_status_shows_stage_timeline_and_who_decides_by_when(client, make_case, record, kind, prefix):
    from django.utils import timezone

    case = make_case(kind, record, deadline=("review" if kind == "repair" else "verification", 3))
    due = add_working_days(timezone.localdate(), 3).isoformat()
    body = _api(client, case.case_no, "abcd2345").json()  # the code is case-insensitive
    assert body["case_no"].startswith(prefix) and body["kind"] == kind and body["status"] == "accepted"
    assert [t["status"] for t in body["timeline"]][-1] == "accepted" and body["timeline"][-1]["label"]
    assert body["next_steps"][0]["due_on"] == due and body["next_steps"][0]["responsible"] == record.department.name
    assert f"{record.department.name}将在 {due} 前" in body["explanation"]
    page = _page(client, case.case_no, "ABCD2345")
    html = re.sub(r"<[^>]+>", "", page.content.decode())
    assert page.status_code == 200 and f"{record.department.name}将在 {due} 前" in html and "已受理" in html and record.subject.name in html


def test_a_court_suspension_answers_on_page_and_api(client, make_case, person_listing):
    case = make_case("court_suspension", person_listing)
    body = _api(client, case.case_no, "ABCD2345").json()
    assert body["kind"] == "court_suspension" and body["status"] == "active"
    assert body["subject"]["name"] == "王*" and "*" in body["subject"]["code"]
    assert body["next_instalment_due"] and "分期履行" in body["explanation"]
    html = _page(client, case.case_no, "ABCD2345").content.decode()
    assert "暂停信用惩戒" in html and "下一期履行期限" in html and "王*" in html


def test_a_decided_case_shows_its_outcome(client, make_case, record):
    from creditrepair.repairs.models import RepairStatus

    case = make_case("repair", record, status=RepairStatus.DENIED)
    body = _api(client, case.case_no, "ABCD2345").json()
    assert body["outcome"]["result"] == "denied" and body["next_steps"] == [] and "不予修复" in body["explanation"]


@pytest.mark.parametrize("prefix", ["XF", "YY", "ZX"])
def test_a_wrong_code_and_an_unknown_case_answer_the_same(client, make_case, record, court, person_listing, prefix):
    kind = {"XF": "repair", "YY": "objection", "ZX": "court_suspension"}[prefix]
    case = make_case(kind, person_listing if prefix == "ZX" else record)
    unknown = f"{prefix}-2026-000999"
    wrong, missing = _api(client, case.case_no, "WRONG999"), _api(client, unknown, "WRONG999")
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json() == missing.json() and wrong.json()["code"] == "not_found"
    wrong_page, missing_page = _page(client, case.case_no, "WRONG999"), _page(client, unknown, "WRONG999")
    assert wrong_page.status_code == missing_page.status_code == 404

    def normalised(response, number):
        html = response.content.decode().replace(number, "<case>")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert normalised(wrong_page, case.case_no) == normalised(missing_page, unknown)
    assert "未查询到该案件，或查询码不正确" in wrong_page.content.decode()


@pytest.mark.parametrize("prefix", ["XF", "YY", "ZX"])
def test_a_hit_a_wrong_code_and_an_unknown_case_run_the_same_queries(make_case, record, person_listing, prefix):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from creditrepair.portal.cases import public_case_status

    kind = {"XF": "repair", "YY": "objection", "ZX": "court_suspension"}[prefix]
    case = make_case(kind, person_listing if prefix == "ZX" else record, deadline=("intake", 3))
    counts = []
    for case_no, code in ((case.case_no, "ABCD2345"), (case.case_no, "WRONG999"), (f"{prefix}-2026-000999", "X")):
        with CaptureQueriesContext(connection) as queries:
            public_case_status(case_no, code)
        counts.append(len(queries))
    assert counts == [3, 3, 3]  # the case (with its subject), its open deadlines, its status history


def test_an_objection_shows_the_outcome_in_force_after_review(client, make_case, record):
    import datetime as dt

    from django.utils import timezone

    from creditrepair.objections.models import ObjectionStatus, Outcome

    case = make_case("objection", record, status=ObjectionStatus.RESOLVED)
    reviewed_at = timezone.now()
    type(case).objects.filter(pk=case.pk).update(outcome=Outcome.KEPT, decided_at=reviewed_at - dt.timedelta(days=9),
                                                 review_outcome=Outcome.CORRECTED, reviewed_at=reviewed_at)
    outcome = _api(client, case.case_no, "ABCD2345").json()["outcome"]
    assert outcome["result"] == "corrected" and outcome["label"] == str(Outcome.CORRECTED.label)
    assert dt.datetime.fromisoformat(outcome["decided_at"]) == reviewed_at  # the review's date, not the first


def test_a_suspension_shows_its_earliest_unpaid_instalment_while_it_runs(client, make_case, person_listing):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from creditrepair.courts.models import Instalment, SuspensionStatus

    case = make_case("court_suspension", person_listing)
    today = timezone.localdate()
    Instalment.objects.create(suspension=case, number=2, due_date=today + dt.timedelta(days=10), amount=Decimal("5"),
                              paid_amount=Decimal("5"))  # paid: not the next one
    Instalment.objects.create(suspension=case, number=3, due_date=today + dt.timedelta(days=20), amount=Decimal("5"))
    assert _api(client, case.case_no, "ABCD2345").json()["next_instalment_due"] == (today + dt.timedelta(days=20)).isoformat()
    type(case).objects.filter(pk=case.pk).update(status=SuspensionStatus.RESUMED)
    body = _api(client, case.case_no, "ABCD2345").json()
    assert body["next_instalment_due"] is None and body["outcome"]["result"] == "resumed"


def test_an_unknown_prefix_is_an_unknown_case(client, db):
    response = _api(client, "AB-2026-000001", "X")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_failed_lookups_past_the_limit_block_every_case_lookup(client, make_case, record, settings):
    settings.PUBLIC_CASE_FAILURE_RATE = "3/hour"
    case = make_case("repair", record)
    for _ in range(2):
        assert _api(client, case.case_no, "WRONG").status_code == 404
    assert _page(client, "XF-2026-000777", "WRONG").status_code == 404  # page and API count together
    blocked = _api(client, case.case_no, "ABCD2345")  # even the right code now
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "rate_limited" and set(blocked.json()) == {"code", "message", "details"}
    page = _page(client, case.case_no, "ABCD2345")
    assert page.status_code == 429 and "查询过于频繁" in page.content.decode() and page["Retry-After"]
    # Another client is not affected.
    from django.test import Client

    assert Client(REMOTE_ADDR="10.9.8.7").get(f"/api/v1/public/cases/{case.case_no}",
                                                {"query_code": "ABCD2345"}).status_code == 200


def test_successful_lookups_do_not_count_as_failures(client, make_case, record, settings):
    settings.PUBLIC_CASE_FAILURE_RATE = "2/hour"
    case = make_case("repair", record)
    for _ in range(5):
        assert _api(client, case.case_no, "ABCD2345").status_code == 200


def test_the_status_form_needs_both_fields(client, db):
    response = client.post("/status/", {"case_no": "XF-2026-000001", "query_code": ""})
    assert response.status_code == 400 and "请填写案件编号和查询码" in response.content.decode()
    assert client.get("/status/").status_code == 200
