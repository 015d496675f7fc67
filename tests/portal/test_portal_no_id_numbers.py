"""Domain §6: no public endpoint or page ever returns a full resident ID number."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES
from creditrepair.documents.services import issue_document

from tests.portal.conftest import PERSON_ID_PATTERN
from tests.security.authz_matrix import TABLE

ID_NUMBER = re.compile(PERSON_ID_PATTERN)

# Public URLs (an anonymous user gets 200 in the authorization matrix) that show no subject at all.
SHOWS_NO_SUBJECT = {
    "home": "static text",
    "login": "the login form",
    "set_language": "a redirect",
    "logout": "a redirect",
    "api:docs": "Swagger UI's page (the schema itself is scanned)",
    "api:auth-token": "answers a token or an error, never a subject",
}


def public_url_names() -> set[str]:
    """Every URL name the authorization matrix lets an anonymous user reach (some method answers 2xx/400)."""
    return {name for name, entry in TABLE.items() if entry is not None and any(
        isinstance(check.expect["anonymous"], int) and check.expect["anonymous"] < 401
        for check in entry.checks.values())}


def test_the_urls_said_to_show_no_subject_are_public_urls():
    assert set(SHOWS_NO_SUBJECT) <= public_url_names()


@pytest.fixture
def person_world(person, person_listing, make_case):
    """A person with a published court listing, a repair case, an objection, a suspension and a signed document."""
    cases = {kind: make_case(kind, person_listing, deadline=("review", 3) if kind == "repair" else None)
             for kind in ("repair", "objection", "court_suspension")}
    kind = "training_certificate"
    context = {**SAMPLE_CONTEXTS[kind], "subject": {**SAMPLE_CONTEXTS[kind].get("subject", {}),
                                                    "code": person.code, "name": person.name}}
    document = issue_document(kind=kind, template_name=TEMPLATES[kind], context=context,
                              case_no=cases["repair"].case_no, subject_code=person.code,
                              idempotency_key=f"test:no-id:{person.code}")
    return cases, document


def test_no_public_response_contains_a_full_id_number(client, person, person_world):
    cases, document = person_world
    assert ID_NUMBER.search(person.code)  # the pattern does catch this person's number
    pdf = document.file.open("rb").read()
    tampered = pdf.replace(b"/Producer", b"/Producex", 1)
    responses = {  # keyed "<URL name>: <variant>"
        "public-lookup: post": client.post("/lookup/", {"code": person.code}),
        "public-lookup: get": client.get("/lookup/", {"code": person.code}),
        "public-lookup: english": client.post("/en/lookup/", {"code": person.code}),
        "public-lookup: lower-case x": client.post("/lookup/", {"code": person.code.lower()}),
        "api:public-subject-records": client.get(f"/api/v1/public/subjects/{person.code}/records"),
        "api:public-document-verify": client.get(f"/api/v1/public/documents/{document.id}/verify"),
        "verify-document: page": client.get(f"/verify/{document.id}/"),
        "verify-document: upload": client.post(f"/verify/{document.id}/", {"file": SimpleUploadedFile("a.pdf", pdf)}),
        "verify-upload: genuine": client.post("/verify/", {"file": SimpleUploadedFile("a.pdf", pdf)}),
        "verify-upload: tampered": client.post("/verify/", {"file": SimpleUploadedFile("b.pdf", tampered)}),
        "api:schema": client.get("/api/v1/schema/"),
    }
    for kind, case in cases.items():
        responses[f"case-status: {kind}"] = client.post("/status/", {"case_no": case.case_no,
                                                                     "query_code": "ABCD2345"})
        responses[f"case-status: {kind} (english)"] = client.post(
            "/en/status/", {"case_no": case.case_no, "query_code": "ABCD2345"})
        responses[f"api:public-case: {kind}"] = client.get(f"/api/v1/public/cases/{case.case_no}",
                                                           {"query_code": "ABCD2345"})
        responses[f"api:public-case: {kind} wrong code"] = client.get(f"/api/v1/public/cases/{case.case_no}",
                                                                      {"query_code": "NOPE"})
    unscanned = public_url_names() - set(SHOWS_NO_SUBJECT) - {name.split(": ")[0] for name in responses}
    assert not unscanned, f"public URLs not scanned: {sorted(unscanned)}"
    for name, response in responses.items():
        assert response.status_code in (200, 404), name
        text = response.content.decode()
        assert not ID_NUMBER.search(text), f"{name} leaks an ID number: {ID_NUMBER.search(text).group()}"
    # The projections did find the person (the scan is not vacuous).
    assert "王*" in responses["public-lookup: post"].content.decode()
    assert responses["api:public-subject-records"].json()["count"] == 1
    assert responses["api:public-case: repair"].json()["subject"]["name"] == "王*"
    assert responses["api:public-document-verify"].json()["valid"] is True
