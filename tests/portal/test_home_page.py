"""The first page says what the platform is, in Chinese first and English on request."""

import pytest


@pytest.mark.django_db
def test_the_home_page_is_chinese_by_default(client):
    page = client.get("/").content.decode()
    assert "信用修复与异议处理" in page and 'lang="zh-hans"' in page
    assert "/lookup/" in page and "/login/" in page and "/api/v1/docs/" in page


@pytest.mark.django_db
def test_the_home_page_switches_to_english(client):
    page = client.get("/en/").content.decode()
    assert 'lang="en"' in page and "Credit repair and objection handling" in page


@pytest.mark.django_db
def test_the_public_lookup_refuses_a_bad_code(client):
    response = client.get("/lookup/", {"code": "123"})
    assert response.status_code == 400 and "校验不通过" in response.content.decode()


def test_the_public_lookup_lists_published_records(client, dept_user, make_record):
    record = make_record(dept_user)
    page = client.get("/lookup/", {"code": record.subject.code}).content.decode()
    assert record.decision_no in page
