"""The public subject lookup (page and API): published records only, persons masked and audited, rate-limited."""

import pytest
from rest_framework.throttling import ScopedRateThrottle

from creditrepair.audit.models import AuditEvent
from creditrepair.records.models import Record

from tests import factories


def test_an_enterprise_lookup_shows_department_decision_window_and_objection_mark(client, dept_user, make_record,
                                                                                  enterprise):
    record = make_record(dept_user, enterprise)
    Record.objects.filter(pk=record.pk).update(objection_pending=True)
    response = client.post("/lookup/", {"code": enterprise.code})
    html = response.content.decode()
    assert response.status_code == 200
    for text in (enterprise.name, record.decision_no, record.department.name, record.decision_date.isoformat(),
                 record.max_until.isoformat(), "异议处理中", f'value="{enterprise.code}"'):
        assert text in html
    # Enterprises' records are public: their lookups are not audited as personal-data reads.
    assert not AuditEvent.objects.filter(action="public.lookup").exists()


def test_enterprise_results_page_by_link(client, dept_user, make_record, enterprise):
    for _ in range(21):
        make_record(dept_user, enterprise)
    html = client.get("/lookup/", {"code": enterprise.code}).content.decode()
    assert f"?code={enterprise.code}&amp;page=2" in html
    assert client.get("/lookup/", {"code": enterprise.code, "page": 2}).status_code == 200


def test_a_person_is_found_only_by_court_listings_masked_and_audited(client, person, person_listing, dept_user,
                                                                     make_record):
    make_record(dept_user, person)  # an administrative penalty of a person is never listed
    response = client.post("/lookup/", {"code": person.code}, REMOTE_ADDR="10.1.2.3")
    html = response.content.decode()
    assert response.status_code == 200
    assert person.code not in html and person.name not in html
    assert f"{person.code[:4]}" in html and "王*" in html and person_listing.decision_no in html
    assert html.count("<tr>") == 2  # the header and the one court listing
    assert 'name="code" value=""' in html  # the input never carries the number back
    event = AuditEvent.objects.get(action="public.lookup")
    assert event.actor_label == "anonymous" and event.subject_code == person.code and event.actor is None
    assert event.data == {"channel": "web", "listings": 1} and event.ip == "10.1.2.3"


def test_a_person_without_listings_gets_a_masked_empty_answer(client, db):
    person = factories.PersonFactory()
    html = client.post("/lookup/", {"code": person.code}).content.decode()
    assert person.code not in html and "没有正在公示" in html and person.code[-4:] in html
    assert AuditEvent.objects.filter(action="public.lookup", subject_code=person.code).exists()


def test_a_bad_code_is_refused_without_echoing_an_id_shaped_input(client, db):
    response = client.post("/lookup/", {"code": "513101198503120010"})  # wrong check digit
    assert response.status_code == 400 and "513101198503120010" not in response.content.decode()
    response = client.get("/lookup/", {"code": "91511800MA00000000"})
    assert response.status_code == 400 and 'value="91511800MA00000000"' in response.content.decode()


def test_the_api_lists_a_persons_listings_masked_paginated_and_audited(client, person, person_listing):
    response = client.get(f"/api/v1/public/subjects/{person.code}/records")
    body = response.json()
    assert response.status_code == 200 and set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1 and body["results"][0]["subject"]["name"] == "王*"
    assert person.code not in response.content.decode()
    assert AuditEvent.objects.get(action="public.lookup").data == {"channel": "api", "listings": 1}


def test_the_schema_shows_the_public_records_as_a_paginated_list(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "PaginatedPublicRecordList" in schema


def test_the_api_answers_429_with_the_contract_body(client, person, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public": "2/min", "login": "20/min"})
    url = f"/api/v1/public/subjects/{factories.SubjectFactory().code}/records"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    response = client.get(url)
    assert response.status_code == 429 and response["Retry-After"]
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "rate_limited"


@pytest.mark.parametrize("path", ["/lookup/", "/status/", "/verify/"])
def test_the_public_pages_answer_429_with_a_friendly_page(client, db, settings, path):
    settings.PUBLIC_PAGE_RATE = "3/min"
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 429 and "查询过于频繁" in html and 'lang="zh-hans"' in html
    assert int(response["Retry-After"]) >= 1
    from django.test import Client

    assert Client(REMOTE_ADDR="10.0.0.99").get(path).status_code == 200  # counted per client
