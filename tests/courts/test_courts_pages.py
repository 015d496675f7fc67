"""The court's back-office pages: only court staff, only their own listings and suspensions."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_court_desk_lists_own_listings_and_breach_tasks(client, judge, other_judge, make_listing, suspend):
    listing = make_listing(judge)
    case = suspend(judge, listing.record, due_dates=[dt.date.today() - dt.timedelta(days=30)])
    from creditrepair.courts.services import watch_instalments

    watch_instalments()
    client.force_login(judge)
    page = client.get("/court/").content.decode()
    assert listing.court_case_no in page and case.case_no in page and "待处理：未按期履行" in page
    assert client.get(f"/court/suspensions/{case.pk}/").status_code == 200
    assert client.get(f"/court/listings/{listing.pk}/").status_code == 200

    client.force_login(other_judge)
    assert listing.court_case_no not in client.get("/court/").content.decode()
    assert client.get(f"/court/suspensions/{case.pk}/").status_code == 404
    assert client.get(f"/court/listings/{listing.pk}/").status_code == 404
    assert client.post(f"/court/suspensions/{case.pk}/resume/", {"reason": "x"}).status_code == 404


def test_pages_are_not_there_for_other_roles(client, dept_user, ent_user):
    for user in (dept_user, ent_user):
        client.force_login(user)
        assert client.get("/court/").status_code == 404


def test_resume_from_the_page(client, judge, make_listing, suspend):
    listing = make_listing(judge)
    case = suspend(judge, listing.record, due_dates=[dt.date.today()])
    client.force_login(judge)
    r = client.post(f"/court/suspensions/{case.pk}/resume/", {"reason": "被执行人转移财产"}, follow=True)
    assert "已恢复信用惩戒" in r.content.decode()
    case.refresh_from_db()
    assert case.status == "resumed"
