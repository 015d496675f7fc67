"""Token authentication and ``auth/me`` as partner platforms use them."""

from django.conf import settings


def test_a_token_is_issued_for_the_right_password_and_identifies_the_user(api, dept_user):
    response = api.post("/api/v1/auth/token", {"username": dept_user.username, "password": settings.DEMO_PASSWORD},
                        format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api.get("/api/v1/auth/me").json()
    assert me == {
        "username": dept_user.username,
        "role": "department",
        "subject": None,
        "department": {"code": dept_user.department.code, "name": dept_user.department.name},
    }


def test_a_wrong_password_gets_401_with_the_contract_body(api, dept_user):
    response = api.post("/api/v1/auth/token", {"username": dept_user.username, "password": "nope"}, format="json")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "details"}


def test_a_subject_user_sees_its_subject(api, ent_user):
    me = api.as_user(ent_user).get("/api/v1/auth/me").json()
    assert me["role"] == "subject" and me["subject"]["code"] == ent_user.subject.code and me["department"] is None


def test_the_openapi_schema_and_docs_are_served(api, db):
    assert api.get("/api/v1/schema/").status_code == 200
    assert api.get("/api/v1/docs/").status_code == 200
