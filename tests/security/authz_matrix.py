"""The authorization matrix: every URL of the project × every role → the status it must answer.

Keys are URL names (``namespace:name``) as found by walking the URL configuration
(:func:`walked_patterns`); a page under ``i18n_patterns`` is one entry whatever its language prefix (the
test asks both). The Django admin is one group entry, ``admin:*`` (see :data:`ADMIN`). Static files and
uploads have no URL pattern: static files are served by the web server, uploads only through the download
views below (``MEDIA_URL`` is unset).

Each cell is the status one role gets, in the order of :data:`ROLES`::

    anonymous, subject (A's user), other_subject (B's user), department (D: the record's),
    other_department (D2), court (C: the listing's), other_court (C2), operator

Legend: an ``int`` is the status; ``LOGIN`` a redirect to the login page (pages, anonymous); ``SEEN`` a 403
to a role that may read the object at ``reads`` (its existence is no secret to it; the test checks that it
may). Every other refusal (401, 403, 404, ``LOGIN``) must be what the same role gets for an object that does
not exist — checked by the test. Objects are A's, on D's records, at court C
(``tests/security/authz_world.py``). Unsafe requests carry a valid body where one is needed, so that the
service's own actor check is reached; each runs in a savepoint that is rolled back.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone

from tests import factories
from tests.repairs.repairs_support import PDF_BYTES
from tests.security.authz_world import ROLES


class Seen(int):
    """A refusal to a role that may read the object anyway (403, unless the service answers otherwise)."""

    def __repr__(self):
        return "SEEN" if self == 403 else f"SEEN({int(self)})"


SEEN = Seen(403)
LOGIN = "LOGIN"  # 302 to the login page
ADMIN_LOGIN = "ADMIN_LOGIN"  # 302 to the admin's login page


@dataclass(frozen=True)
class Check:
    """One method on one URL: the expected outcome per role, the body sent, what the answer may reveal."""

    expect: dict
    body: Callable | None = None  # o → data (o: tests.security.authz_world.Ids)
    files: bool = False  # send the body as multipart (uploads)
    marker: Callable | None = None  # o → a text that a 200 answer shows exactly to the roles in ``seen_by``
    seen_by: frozenset = frozenset()


@dataclass(frozen=True)
class Entry:
    kwargs: Callable = lambda o: {}  # o → the URL's keyword arguments
    query: Callable = lambda o: {}  # o → the query string
    url: str | None = None  # a fixed URL, for patterns that cannot be reversed usefully
    checks: dict = field(default_factory=dict)  # method → Check
    reads: tuple | None = None  # (URL name, object): where a SEEN role reads the object (GET, pk=o.<object>)


def row(*cells, body=None, files=False, marker=None, seen_by=()):
    assert len(cells) == len(ROLES), cells
    unknown = set(seen_by) - set(ROLES)
    assert not unknown, unknown
    return Check(dict(zip(ROLES, cells, strict=True)), body, files, marker, frozenset(seen_by))


def everyone(status, **kw):
    return row(*[status] * len(ROLES), **kw)


def E(kwargs=None, *, query=None, url=None, reads=None, **methods):  # noqa: N802 (reads as a table row)
    seen = any(isinstance(c, Seen) for check in methods.values() for c in check.expect.values())
    assert reads or not seen, "a SEEN cell needs `reads`: where that role may read the object"
    return Entry(kwargs=kwargs or (lambda o: {}), query=query or (lambda o: {}), url=url, checks=methods,
                 reads=reads)


def on(obj, reads, **methods):
    """An action on the world's object ``obj`` (``pk`` in the URL), readable at ``reads``."""
    return E(lambda o: {"pk": getattr(o, obj)}, reads=(reads, obj), **methods)


def objection(obj, *cells, **kw):
    return on(obj, "api:objection-detail", POST=row(*cells, **kw))


def repair(obj, *cells, **kw):
    return on(obj, "api:repair-detail", POST=row(*cells, **kw))


def _pdf():
    return SimpleUploadedFile("proof.pdf", PDF_BYTES, content_type="application/pdf")


TODAY = timezone.localdate().isoformat()
LATER = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
OWNERS = ("subject", "department", "operator")  # who reads A's records and cases at D
REASON = {"reason": "矩阵测试理由"}
KEPT = {"outcome": "kept", **REASON}


def _new_record(o):
    return {"subject": {"code": factories.valid_uscc(serial=9_000_001), "name": "矩阵新录入有限公司",
                        "type": "legal_person"},
            "category": "admin_penalty", "severity": "general", "decision_no": "雅矩阵新罚〔2026〕1号",
            "decision_date": TODAY, "summary": "未按规定公示年度报告"}


def _new_listing(o):
    return {"subject": {"code": factories.valid_uscc(serial=9_000_002), "name": "矩阵新失信有限公司",
                        "type": "legal_person"},
            "decision_no": "（2026）川1802执矩9号之一", "decision_date": TODAY, "summary": "拒不履行",
            "court_case_no": "（2026）川1802执矩9号", "executing_basis": "（2025）川1802民初9号民事判决书",
            "obligation": "支付货款 1000 元", "ground": "able_but_refuses"}


def _settlement(o):
    return {"record": o.listing_record, "creditor_consent": True,
            "settlement": {"agreement_no": "HJ-矩阵-2", "total_amount": "100.00",
                           "instalments": [{"due_date": LATER, "amount": "100.00"}]}}


#                  anon  subj  o_subj dept  o_dept court o_court oper
ANY_USER = (401, 200, 200, 200, 200, 200, 200, 200)
OWNED = (401, 200, 404, 200, 404, 404, 404, 200)  # A's object on D's record: A, D and the operator read it
BY_SUBJECT = (401, 200, 404, SEEN, 404, 404, 404, SEEN)  # …the subject acts, D and the operator are refused
BY_DEPARTMENT = (401, SEEN, 404, 200, 404, 404, 404, SEEN)
BY_OPERATOR = (401, SEEN, 404, SEEN, 404, 404, 404, 200)
BY_RECOGNISER = (401, 403, 403, 200, 404, 404, 404, 403)  # a record's own department (or court) acts on it
COURT_ROLE = (401, 403, 403, 403, 403, 200, 200, 403)
OWN_COURT_API = (401, 403, 403, 403, 403, 200, 404, 403)
DEBTOR_OR_COURT = (401, 200, 404, 403, 403, 200, 404, 403)

# ----------------------------------------------------------------------------------------------- the API
API = {
    "api:schema": E(GET=everyone(200)),
    "api:docs": E(GET=everyone(200)),
    "api:auth-token": E(POST=everyone(400, body=lambda o: {})),
    "api:auth-me": E(GET=row(*ANY_USER)),
    "api:not-found": E(url="/api/v1/no-such-endpoint", GET=everyone(404), POST=everyone(404, body=lambda o: {})),
    # records
    "api:records": E(GET=row(*ANY_USER, marker=lambda o: o.v.record_decision_no, seen_by=OWNERS),
                     POST=row(401, 403, 403, 201, 201, 403, 403, 403, body=_new_record)),
    "api:record-detail": E(lambda o: {"pk": o.record}, GET=row(*OWNED)),
    "api:record-repairability": E(lambda o: {"pk": o.record}, GET=row(*OWNED)),
    "api:record-obligations-fulfilled": E(lambda o: {"pk": o.record}, POST=row(
        *BY_RECOGNISER, body=lambda o: {"fulfilled_on": TODAY, "evidence": "已缴纳"})),
    "api:record-revoke-decision": E(lambda o: {"pk": o.record}, POST=row(*BY_RECOGNISER, body=lambda o: REASON)),
    # partner notices (addressed to D2, about D's record of A)
    "api:notices": E(GET=row(401, 403, 403, 200, 200, 200, 200, 200, marker=lambda o: o.v.notice_decision_no,
                             seen_by=["other_department"])),
    "api:notice-ack": E(lambda o: {"pk": o.notice}, POST=row(401, 403, 403, 404, 200, 404, 404, 404)),
    # public
    "api:public-subject-records": E(lambda o: {"code": o.v.subject_code},
                                    GET=everyone(200, marker=lambda o: o.v.record_decision_no, seen_by=ROLES)),
    "api:public-case": E(lambda o: {"case_no": o.v.repair_case_no},
                         query=lambda o: {"query_code": o.v.repair_query_code}, GET=everyone(200)),
    "api:public-document-verify": E(lambda o: {"document_id": o.repair_document}, GET=everyone(200)),
    # objections
    "api:objections": E(
        GET=row(*ANY_USER, marker=lambda o: o.v.objection_case_no, seen_by=OWNERS),
        POST=row(401, 409, 404, 403, 403, 403, 403, 403,  # A: 409, it has an objection on that record
                 body=lambda o: {"record": o.objection_record, "grounds": "error", "statement": "有误"})),
    "api:objection-detail": E(lambda o: {"pk": o.objection}, GET=row(*OWNED)),
    "api:objection-evidence": objection("objection", 401, 201, 404, SEEN, 404, 404, 404, SEEN, files=True,
                                        body=lambda o: {"file": _pdf()}),
    "api:objection-accept": objection("objection", *BY_OPERATOR),
    "api:objection-refuse": objection("objection", *BY_OPERATOR, body=lambda o: REASON),
    "api:objection-platform-check": objection("objection", *BY_OPERATOR, body=lambda o: {"differs": False}),
    "api:objection-extend": objection("objection_verifying", *BY_DEPARTMENT, body=lambda o: REASON),
    "api:objection-resolve": objection("objection_verifying", *BY_DEPARTMENT, body=lambda o: KEPT),
    "api:objection-review": objection("objection_resolved", *BY_SUBJECT, body=lambda o: {"statement": "请求复核"}),
    "api:objection-review-decision": objection("objection_under_review", *BY_OPERATOR, body=lambda o: KEPT),
    # courts (the listing, its suspension and correction requests are court C's; A is the debtor)
    "api:court-listings": E(GET=row(*COURT_ROLE, marker=lambda o: o.v.court_case_no, seen_by=["court"]),
                            POST=row(401, 403, 403, 403, 403, 201, 201, 403, body=_new_listing)),
    "api:court-listing-detail": E(lambda o: {"pk": o.listing}, GET=row(*OWN_COURT_API)),
    # 409: the listing has a suspension in progress (the court is let in, the rule refuses).
    "api:court-listing-delete": E(lambda o: {"pk": o.listing}, POST=row(
        401, 403, 403, 403, 403, 409, 404, 403, body=lambda o: {"ground": "full_performance"})),
    "api:court-listing-corrections": E(lambda o: {"pk": o.listing}, POST=row(
        401, 201, 404, 403, 403, 201, 404, 403, body=lambda o: {"statement": "执行案号有误"})),
    "api:court-suspensions": E(
        GET=row(*COURT_ROLE, marker=lambda o: o.v.suspension_case_no, seen_by=["court"]),
        POST=row(401, 403, 403, 403, 403, 409, 404, 403, body=_settlement)),  # C: 409, already suspended
    "api:court-suspension-detail": E(lambda o: {"pk": o.suspension}, GET=row(*OWN_COURT_API)),
    "api:court-suspension-payments": E(lambda o: {"pk": o.suspension}, POST=row(
        *OWN_COURT_API, body=lambda o: {"instalment": o.instalment, "paid_on": TODAY, "amount": "50000.00"})),
    "api:court-suspension-resume": E(lambda o: {"pk": o.suspension}, POST=row(*OWN_COURT_API, body=lambda o: REASON)),
    # 409: not every instalment is paid / no instalment was missed (the court is let in, the rule refuses).
    "api:court-suspension-complete": E(lambda o: {"pk": o.suspension},
                                       POST=row(401, 403, 403, 403, 403, 409, 404, 403)),
    "api:court-suspension-grant": E(lambda o: {"pk": o.suspension}, POST=row(
        401, 403, 403, 403, 403, 409, 404, 403, body=lambda o: {"new_due_date": LATER, **REASON})),
    "api:court-correction-detail": E(lambda o: {"pk": o.correction}, GET=row(*DEBTOR_OR_COURT)),
    "api:court-correction-review": E(lambda o: {"pk": o.correction}, POST=row(
        *OWN_COURT_API, body=lambda o: {"decision": "reject", **REASON})),
    "api:court-correction-reconsider": E(lambda o: {"pk": o.correction_rejected}, POST=row(
        *DEBTOR_OR_COURT, body=lambda o: {"statement": "申请复议"})),
    # Decided by the higher court (H: no user in this matrix; tests/courts): the listing court may read the
    # request but not decide it, and is answered 404 (the courts' rule: another court's case is not found).
    "api:court-correction-reconsideration-decision": on("correction_rejected", "api:court-correction-detail", POST=row(
        401, 403, 403, 403, 403, Seen(404), 404, 403, body=lambda o: {"outcome": "upheld", **REASON})),
    # repairs
    "api:repairs": E(
        GET=row(*ANY_USER, marker=lambda o: o.v.repair_case_no, seen_by=OWNERS),
        POST=row(401, 409, 404, SEEN, 404, 404, 404, SEEN,  # A: 409, the record has a case in progress
                 body=lambda o: {"record": o.record, "statement": "申请"}),
        reads=("api:record-detail", "record")),
    "api:repair-detail": E(lambda o: {"pk": o.repair}, GET=row(*OWNED)),
    "api:repair-material-download": E(lambda o: {"pk": o.repair, "material_id": o.material}, GET=row(*OWNED)),
    "api:document-download": E(lambda o: {"pk": o.repair_document}, GET=row(*OWNED)),
    "api:repair-commitment": repair("repair", 401, 201, 404, SEEN, 404, 404, 404, SEEN,
                                    body=lambda o: {"signatory_name": "张三", "signatory_title": "法定代表人"}),
    "api:repair-materials": repair("repair", 401, 201, 404, SEEN, 404, 404, 404, SEEN, files=True,
                                   body=lambda o: {"kind": "performance_proof", "file": _pdf()}),
    # The contract: "subject with a certificate, or staff" (the record's department, the operator).
    "api:repair-training": repair("repair", *OWNED, body=lambda o: {"certificate_no": "PX-1", "completed_on": TODAY}),
    "api:repair-submit": repair("repair", *BY_SUBJECT),
    "api:repair-withdraw": repair("repair", *BY_SUBJECT),
    "api:repair-accept": repair("repair_submitted", *BY_OPERATOR),
    "api:repair-refuse": repair("repair_submitted", *BY_OPERATOR, body=lambda o: REASON),
    "api:repair-interview": repair("repair_in_review", *BY_DEPARTMENT,
                                   body=lambda o: {"held_on": TODAY, "notes": "约谈"}),
    "api:repair-extend": repair("repair_in_review", *BY_DEPARTMENT, body=lambda o: REASON),
    "api:repair-approve": repair("repair_in_review", *BY_DEPARTMENT, body=lambda o: REASON),
    "api:repair-deny": repair("repair_in_review", *BY_DEPARTMENT, body=lambda o: REASON),
    "api:repair-revoke": repair("repair_completed", 401, SEEN, 404, 200, 404, 404, 404, 200, body=lambda o: REASON),
}

# ----------------------------------------------------------------------------------------------- the pages
#                  anon   subj  o_subj dept  o_dept court o_court oper
STAFF_ONLY = (LOGIN, 404, 404, 200, 200, 200, 200, 200)
COURT_ONLY = (LOGIN, 404, 404, 404, 404, 200, 200, 404)
OWN_COURT = (LOGIN, 404, 404, 404, 404, 200, 404, 404)
OWN_COURT_ACT = (LOGIN, 404, 404, 404, 404, 302, 404, 404)
IMPORTERS = (LOGIN, 403, 403, 200, 200, 200, 200, 403)
OWN_IMPORT = (LOGIN, 403, 403, 200, 404, 404, 404, 403)
CASE_SEEN = (LOGIN, 200, 404, 200, 404, 404, 404, 200)  # A's case on D's record: A, D and the operator
CASE_ACT = (LOGIN, 302, 404, 302, 404, 404, 404, 302)  # …and an action on it answers with the case page

PAGES = {
    "set_language": E(POST=everyone(302, body=lambda o: {"language": "en", "next": "/"})),
    "home": E(GET=everyone(200)),
    "login": E(GET=everyone(200), POST=everyone(200, body=lambda o: {})),
    "logout": E(POST=everyone(302)),
    "public-lookup": E(GET=everyone(200), POST=everyone(200, body=lambda o: {"code": o.v.subject_code},
                                                        marker=lambda o: o.v.record_decision_no, seen_by=ROLES)),
    "case-status": E(GET=everyone(200), POST=everyone(
        200, body=lambda o: {"case_no": o.v.repair_case_no, "query_code": o.v.repair_query_code})),
    "verify-upload": E(GET=everyone(200), POST=everyone(400, body=lambda o: {})),
    "verify-document": E(lambda o: {"document_id": o.repair_document}, GET=everyone(200)),
    "statistics": E(GET=row(LOGIN, 403, 403, 200, 200, 200, 200, 200)),
    "statistics-csv": E(GET=row(LOGIN, 403, 403, 200, 200, 200, 200, 200)),
    # objections
    "objections:list": E(GET=row(LOGIN, 200, 200, 200, 200, 200, 200, 200,
                                 marker=lambda o: o.v.objection_case_no, seen_by=OWNERS)),
    "objections:new": E(
        query=lambda o: {"record": o.objection_record},
        GET=row(LOGIN, 200, 404, 302, 302, 302, 302, 302),
        POST=row(LOGIN, 200, 404, 302, 302, 302, 302, 302,
                 body=lambda o: {"record": o.objection_record, "grounds": "error", "statement": "有误"})),
    "objections:detail": E(lambda o: {"pk": o.objection}, GET=row(*CASE_SEEN)),
    "objections:act": E(lambda o: {"pk": o.objection, "action": "accept"}, POST=row(*CASE_ACT)),
    "objections:document": E(lambda o: {"pk": o.objection, "document_id": o.objection_document},
                             GET=row(*CASE_SEEN)),
    "objections:evidence": E(lambda o: {"pk": o.objection, "evidence_id": o.evidence}, GET=row(*CASE_SEEN)),
    "objections:staff-list": E(GET=row(*STAFF_ONLY, marker=lambda o: o.v.objection_case_no, seen_by=["operator"])),
    "objections:staff-detail": E(lambda o: {"pk": o.objection}, GET=row(LOGIN, 404, 404, 200, 404, 404, 404, 200)),
    # repairs
    "repairs:after-login": E(GET=row(LOGIN, 302, 302, 302, 302, 302, 302, 302)),
    "repairs:me": E(GET=row(LOGIN, 200, 200, 302, 302, 302, 302, 302,
                            marker=lambda o: o.v.record_decision_no, seen_by=["subject"])),
    "repairs:list": E(GET=row(LOGIN, 200, 200, 302, 302, 302, 302, 302,
                              marker=lambda o: o.v.repair_case_no, seen_by=["subject"])),
    "repairs:new": E(
        query=lambda o: {"record": o.record},
        GET=row(LOGIN, 200, 404, 302, 302, 302, 302, 302),
        POST=row(LOGIN, 200, 404, 302, 302, 302, 302, 302, body=lambda o: {"record": o.record, "statement": "申请"})),
    "repairs:detail": E(lambda o: {"pk": o.repair}, GET=row(LOGIN, 200, 404, 302, 404, 404, 404, 302)),
    "repairs:sign": E(lambda o: {"pk": o.repair, "kind": "commitment_letter"},
                      GET=row(LOGIN, 200, 404, 302, 404, 404, 404, 302),
                      POST=row(LOGIN, 200, 404, 302, 404, 404, 404, 302, body=lambda o: {})),
    "repairs:act": E(lambda o: {"pk": o.repair, "action": "withdraw"}, POST=row(*CASE_ACT)),
    "repairs:document": E(lambda o: {"pk": o.repair, "document_id": o.repair_document}, GET=row(*CASE_SEEN)),
    "repairs:material": E(lambda o: {"pk": o.repair, "material_id": o.material}, GET=row(*CASE_SEEN)),
    "repairs:staff-list": E(GET=row(*STAFF_ONLY, marker=lambda o: o.v.repair_submitted_case_no,
                                    seen_by=["operator"])),
    "repairs:staff-detail": E(lambda o: {"pk": o.repair}, GET=row(LOGIN, 404, 404, 200, 404, 404, 404, 200)),
    # courts
    "courts:home": E(GET=row(*COURT_ONLY, marker=lambda o: o.v.suspension_case_no, seen_by=["court"])),
    "courts:listing-new": E(GET=row(*COURT_ONLY), POST=row(*COURT_ONLY, body=lambda o: {})),
    "courts:listing": E(lambda o: {"pk": o.listing}, GET=row(*OWN_COURT), POST=row(*OWN_COURT, body=lambda o: {})),
    "courts:listing-delete": E(lambda o: {"pk": o.listing}, POST=row(*OWN_COURT_ACT, body=lambda o: {})),
    "courts:suspension": E(lambda o: {"pk": o.suspension}, GET=row(*OWN_COURT)),
    "courts:suspension-payment": E(lambda o: {"pk": o.suspension}, POST=row(*OWN_COURT_ACT, body=lambda o: {})),
    "courts:suspension-resume": E(lambda o: {"pk": o.suspension}, POST=row(*OWN_COURT_ACT, body=lambda o: {})),
    "courts:suspension-grant": E(lambda o: {"pk": o.suspension}, POST=row(*OWN_COURT_ACT, body=lambda o: {})),
    "courts:suspension-complete": E(lambda o: {"pk": o.suspension}, POST=row(*OWN_COURT_ACT, body=lambda o: {})),
    "courts:commitment-pdf": E(lambda o: {"pk": o.suspension}, GET=row(*OWN_COURT)),
    # imports
    "imports:home": E(GET=row(*IMPORTERS), POST=row(LOGIN, 403, 403, 400, 400, 400, 400, 403, body=lambda o: {})),
    "imports:template-csv": E(GET=row(*IMPORTERS)),
    "imports:template-xlsx": E(GET=row(*IMPORTERS)),
    "imports:job": E(lambda o: {"pk": o.import_job}, GET=row(*OWN_IMPORT)),
    "imports:job-errors": E(lambda o: {"pk": o.import_job}, GET=row(*OWN_IMPORT)),
}

# The Django admin, one group: every URL of it sends anyone who is not staff to the admin's login (its
# logout back to its index); its login page is open. Of the roles only the operator is staff (as in the demo);
# inside, the model permissions of its group (creditrepair.accounts.roles.ROLE_PERMISSIONS) decide.
ADMIN = "admin:*"

TABLE = {**API, **PAGES, ADMIN: None}


# ----------------------------------------------------------------------------------------------- walking


@dataclass(frozen=True)
class Walked:
    key: str  # the table key: the URL name, or ADMIN for the admin's patterns
    route: str  # the pattern's route with its prefixes (language prefix left out)
    name: str | None
    callback: Callable
    parts: tuple  # the pattern objects from the root to this one


def _route(pattern) -> str:
    return "" if isinstance(pattern, LocalePrefixPattern) else str(pattern)


def walked_patterns(resolver=None, prefix="", namespace="", parts=()):
    """Every URL pattern of the project (recursively), the language prefix left out."""
    for entry in (resolver or get_resolver()).url_patterns:
        here = (*parts, entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walked_patterns(entry, prefix + _route(entry.pattern), ns, here)
            continue
        name = f"{namespace}{entry.name}" if entry.name else None
        key = ADMIN if namespace.startswith("admin:") else (name or prefix + _route(entry.pattern))
        yield Walked(key, prefix + _route(entry.pattern), name, entry.callback, here)
