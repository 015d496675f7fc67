"""Public pages: the home page, the public lookup of published records, document verification."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from creditrepair.core.errors import InvalidCode, NotFound
from creditrepair.documents.selectors import document_for_public
from creditrepair.documents.services import verify_uploaded_pdf
from creditrepair.records.selectors import public_records_of_subject
from creditrepair.registry.selectors import subject_public_view
from creditrepair.registry.services import subject_code_lookup_normalize


def home(request):
    return render(request, "portal/home.html")


def public_lookup(request):
    """Look a subject up by its USCC: its currently published records, persons masked."""
    code = (request.GET.get("code") or "").strip()
    context = {"code": code, "searched": bool(code)}
    if code:
        try:
            normalized = subject_code_lookup_normalize(code)
        except InvalidCode as exc:
            context["error"] = exc.message
            return render(request, "portal/lookup.html", context, status=400)
        page = Paginator(public_records_of_subject(normalized), 20).get_page(request.GET.get("page"))
        context.update(
            page=page,
            subject=subject_public_view(page.object_list[0].subject) if page.object_list else None,
        )
    return render(request, "portal/lookup.html", context)


@require_http_methods(["GET", "POST"])
def verify_document_page(request, document_id):
    """Where a PDF's QR code lands: is this document genuine? An uploaded copy can be checked too."""
    context = {"document_id": document_id}
    try:
        context["document"] = document_for_public(document_id)
    except NotFound:
        context["unknown"] = True
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["upload_error"] = _("请选择要核验的 PDF 文件。")
        elif upload.size > settings.UPLOAD_MAX_BYTES:
            context["upload_error"] = _("文件过大。")
        else:
            verification = verify_uploaded_pdf(upload.read())
            context["upload_checked"] = True
            context["upload_matches"] = bool(
                verification and verification.valid and str(verification.document_id) == str(document_id)
            )
    return render(request, "portal/verify.html", context, status=404 if context.get("unknown") else 200)
