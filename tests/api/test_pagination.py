"""The API pages as the contract says ({count, next, previous, results}); a page that is not full tells the count
without a COUNT(*) query (issue 7: the public lookup's common case is one short page)."""

import pytest

from tests.factories import SubjectFactory


@pytest.fixture
def subject_with_five(dept_user, make_record):
    subject = SubjectFactory()
    for _ in range(5):
        make_record(dept_user, subject)
    return subject


def _get(api, django_assert_max_num_queries, url, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = api.get(url)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    return response, counts


def test_a_short_page_gives_the_count_without_counting(api, subject_with_five, django_assert_max_num_queries):
    url = f"/api/v1/public/subjects/{subject_with_five.code}/records"
    response, counts = _get(api, django_assert_max_num_queries, url, 10)
    body = response.json()
    assert response.status_code == 200 and (body["count"], len(body["results"])) == (5, 5)
    assert body["next"] is None and body["previous"] is None and counts == []

    response, counts = _get(api, django_assert_max_num_queries, f"{url}?page_size=2&page=3", 10)
    body = response.json()
    assert (body["count"], len(body["results"]), body["next"]) == (5, 1, None) and counts == []
    assert "page=2" in body["previous"]


def test_a_full_page_still_counts_them_all(api, subject_with_five, django_assert_max_num_queries):
    url = f"/api/v1/public/subjects/{subject_with_five.code}/records?page_size=2"
    response, counts = _get(api, django_assert_max_num_queries, url, 10)
    body = response.json()
    assert (body["count"], len(body["results"])) == (5, 2) and "page=2" in body["next"] and len(counts) == 1
    exact = api.get(f"/api/v1/public/subjects/{subject_with_five.code}/records?page_size=5").json()
    assert (exact["count"], len(exact["results"]), exact["next"]) == (5, 5, None)


def test_no_records_is_an_empty_first_page_and_past_the_end_is_not_found(api, subject_with_five):
    empty = api.get(f"/api/v1/public/subjects/{SubjectFactory().code}/records").json()
    assert (empty["count"], empty["results"], empty["next"]) == (0, [], None)
    url = f"/api/v1/public/subjects/{subject_with_five.code}/records"
    assert api.get(f"{url}?page_size=2&page=4").status_code == 404
    assert api.get(f"{url}?page=0").status_code == 404
    assert api.get(f"{url}?page=abc").status_code == 404
    assert api.get(f"{url}?page=last&page_size=2").json()["results"][0]["id"] > 0
