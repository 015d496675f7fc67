"""Public pages: home, subject lookup, case status, document verification (all rate-limited per client)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from creditrepair.core.errors import InvalidCode, NotFound
from creditrepair.documents.models import DocumentKind
from creditrepair.documents.selectors import document_for_public
from creditrepair.documents.services import verify_uploaded_pdf
from creditrepair.records.selectors import public_records_of_subject
from creditrepair.registry.selectors import mask_id_number, subject_public_view
from creditrepair.registry.services import subject_code_lookup_normalize

from .cases import public_case_status
from .lookup import audit_public_lookup, is_resident_id, may_echo
from .throttling import case_lookup_blocked, case_lookup_failed, page_rate_limited, too_many_requests

# A person has few court listings: they are shown on one page, so no link ever carries the ID number.
PERSON_LISTINGS_SHOWN = 100
PAGE_SIZE = 20


def home(request):
    return render(request, "portal/home.html")


@require_http_methods(["GET", "POST"])
@page_rate_limited
def public_lookup(request):
    """Look a subject up by its code: its currently published records, persons (court listings only) masked.

    The form posts the code, so a resident ID number never lands in a URL; the
    answer never shows it back (masked heading, empty input, no pagination
    links). An enterprise's USCC is public and pages with ``?code=``.
    """
    raw = (request.POST.get("code") if request.method == "POST" else request.GET.get("code")) or ""
    raw = raw.strip()
    context = {"code": raw if may_echo(raw) else "", "searched": bool(raw)}
    if not raw:
        return render(request, "portal/lookup.html", context)
    try:
        code = subject_code_lookup_normalize(raw)
    except InvalidCode as exc:
        context["error"] = exc.message
        return render(request, "portal/lookup.html", context, status=400)
    person = is_resident_id(code)
    records = public_records_of_subject(code)
    if person:
        rows = list(records[:PERSON_LISTINGS_SHOWN])
        context.update(code="", person=True, rows=rows, masked_code=mask_id_number(code))
        audit_public_lookup(request, code, count=len(rows), channel="web")
    else:
        page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page") or request.POST.get("page"))
        context.update(page=page, rows=page.object_list, code=code)
    context["subject"] = subject_public_view(context["rows"][0].subject) if context["rows"] else None
    return render(request, "portal/lookup.html", context)


@require_http_methods(["GET", "POST"])
@page_rate_limited
def case_status(request):
    """Case number + query code → stage, dates, outcome, masked subject and what happens next.

    An unknown case and a wrong code get the same page and status; failed tries
    count against ``PUBLIC_CASE_FAILURE_RATE``.
    """
    context = {"case_no": (request.GET.get("case_no") or "").strip().upper()[:32]}
    if request.method == "GET":
        return render(request, "portal/status.html", context)
    wait = case_lookup_blocked(request)
    if wait is not None:
        return too_many_requests(request, wait)
    case_no = (request.POST.get("case_no") or "").strip().upper()[:32]
    query_code = (request.POST.get("query_code") or "").strip()[:16]
    context["case_no"] = case_no
    if not case_no or not query_code:
        context["error"] = _("请填写案件编号和查询码。")
        return render(request, "portal/status.html", context, status=400)
    case = public_case_status(case_no, query_code)
    if case is None:
        case_lookup_failed(request)
        context["not_found"] = True
        return render(request, "portal/status.html", context, status=404)
    context["case"] = case
    return render(request, "portal/status.html", context)


def _upload_result(request):
    """Check an uploaded PDF: (error message, verification or None, checked?)."""
    upload = request.FILES.get("file")
    if upload is None:
        return _("请选择要核验的 PDF 文件。"), None, False
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return _("文件过大。"), None, False
    return None, verify_uploaded_pdf(upload.read()), True


def _verification_view(verification):
    if verification is None:
        return None
    return {
        "valid": verification.valid,
        "signature_ok": verification.signature_ok,
        "kind_label": str(DocumentKind(verification.kind).label),
        "case_no": verification.case_no,
        "issued_at": verification.issued_at,
        "sha256": verification.sha256,
        "document_id": verification.document_id,
    }


@require_http_methods(["GET", "POST"])
@page_rate_limited
def verify_upload_page(request):
    """Upload a PDF to learn whether the platform issued it, unchanged, with an intact signature."""
    context = {}
    if request.method == "POST":
        error, verification, checked = _upload_result(request)
        context.update(upload_error=error, upload_checked=checked, result=_verification_view(verification))
    return render(request, "portal/verify_upload.html", context, status=400 if context.get("upload_error") else 200)


@require_http_methods(["GET", "POST"])
@page_rate_limited
def verify_document_page(request, document_id):
    """Where a PDF's QR code lands: is this document genuine? An uploaded copy can be checked too."""
    context = {"document_id": document_id}
    try:
        context["document"] = document_for_public(document_id)
    except NotFound:
        context["unknown"] = True
    if request.method == "POST" and not context.get("unknown"):
        error, verification, checked = _upload_result(request)
        context.update(upload_error=error, upload_checked=checked, result=_verification_view(verification))
        context["upload_matches"] = bool(
            verification and verification.valid and str(verification.document_id) == str(document_id)
        )
    return render(request, "portal/verify.html", context, status=404 if context.get("unknown") else 200)
