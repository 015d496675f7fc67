"""Public pages: the home page and the public lookup of a subject's published records."""

from django.core.paginator import Paginator
from django.shortcuts import render

from creditrepair.core.errors import InvalidCode
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
