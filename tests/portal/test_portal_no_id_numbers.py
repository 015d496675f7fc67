"""Domain §6: no public endpoint or page ever returns a full resident ID number."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES
from creditrepair.documents.services import issue_document

from tests.portal.conftest import PERSON_ID_PATTERN

ID_NUMBER = re.compile(PERSON_ID_PATTERN)


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
    responses = {
        "lookup page (post)": client.post("/lookup/", {"code": person.code}),
        "lookup page (get)": client.get("/lookup/", {"code": person.code}),
        "lookup page (english)": client.post("/en/lookup/", {"code": person.code}),
        "lookup page (lower-case x)": client.post("/lookup/", {"code": person.code.lower()}),
        "lookup api": client.get(f"/api/v1/public/subjects/{person.code}/records"),
        "document api": client.get(f"/api/v1/public/documents/{document.id}/verify"),
        "document page": client.get(f"/verify/{document.id}/"),
        "document page upload": client.post(f"/verify/{document.id}/", {"file": SimpleUploadedFile("a.pdf", pdf)}),
        "verify upload genuine": client.post("/verify/", {"file": SimpleUploadedFile("a.pdf", pdf)}),
        "verify upload tampered": client.post("/verify/", {"file": SimpleUploadedFile("b.pdf", tampered)}),
        "schema": client.get("/api/v1/schema/"),
    }
    for kind, case in cases.items():
        responses[f"status page {kind}"] = client.post("/status/", {"case_no": case.case_no, "query_code": "ABCD2345"})
        responses[f"status page {kind} (english)"] = client.post(
            "/en/status/", {"case_no": case.case_no, "query_code": "ABCD2345"})
        responses[f"status api {kind}"] = client.get(f"/api/v1/public/cases/{case.case_no}",
                                                     {"query_code": "ABCD2345"})
        responses[f"status api {kind} wrong code"] = client.get(f"/api/v1/public/cases/{case.case_no}",
                                                                {"query_code": "NOPE"})
    for name, response in responses.items():
        assert response.status_code in (200, 404), name
        text = response.content.decode()
        assert not ID_NUMBER.search(text), f"{name} leaks an ID number: {ID_NUMBER.search(text).group()}"
    # The projections did find the person (the scan is not vacuous).
    assert "王*" in responses["lookup page (post)"].content.decode()
    assert responses["lookup api"].json()["count"] == 1
    assert responses["status api repair"].json()["subject"]["name"] == "王*"
    assert responses["document api"].json()["valid"] is True
