"""Pages of the bulk import: upload, templates, the department's jobs, a job's progress and errors."""

import csv
import io
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from creditrepair.core.errors import DomainError

from . import selectors, services
from .columns import BY_KEY
from .forms import UploadForm
from .models import JobStatus

TEMPLATES_DIR = settings.BASE_DIR / "fixtures" / "import"
TEMPLATE_FILES = {
    "csv": ("records-template.csv", "text/csv; charset=utf-8"),
    "xlsx": ("records-template.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
ERRORS_SHOWN = 500


def importers_only(view):
    """Department and court staff only (403 for everyone else)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.may_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _field_label(key):
    if key in BY_KEY:
        return BY_KEY[key].label
    return _("文件") if key == "file" else ""


def _errors_for_display(errors):
    return [
        {"row": e.get("row"), "field": e.get("field") or "", "label": _field_label(e.get("field")),
         "message": e.get("message", "")}
        for e in errors
    ]


@importers_only
@require_http_methods(["GET", "POST"])
def imports_home(request):
    """Upload form, template links and the department's past jobs."""
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.import_job_create(request.user, form.cleaned_data["file"])
            except DomainError as exc:
                form.add_error("file", str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("文件已上传。"))
                return redirect("imports:job", job.pk)
        else:
            status = 400
    page = Paginator(selectors.jobs_of_department(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "imports/home.html", {
        "form": form, "page": page, "max_mb": round(settings.UPLOAD_MAX_BYTES / (1024 * 1024), 1),
    }, status=status)


@importers_only
@require_GET
def template_download(request, fmt):
    name, content_type = TEMPLATE_FILES[fmt]
    return FileResponse((TEMPLATES_DIR / name).open("rb"), as_attachment=True, filename=name,
                        content_type=content_type)


def _job_or_404(request, pk):
    job = selectors.job_for_user(request.user, pk)
    if job is None:
        raise Http404
    return job


@importers_only
@require_GET
def job_detail(request, pk):
    """A job's progress (refreshing itself while it runs), summary and errors."""
    job = _job_or_404(request, pk)
    progress = services.job_progress(job)
    percent = round(100 * progress["done"] / progress["total"]) if progress["total"] else 0
    errors = _errors_for_display(job.error_report or [])
    return render(request, "imports/job.html", {
        "job": job, "progress": progress, "percent": percent, "running": not job.finished,
        "stage_label": {"validating": _("逐行校验"), "importing": _("写入记录")}.get(progress["stage"], ""),
        "errors": errors[:ERRORS_SHOWN], "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
        "failed": job.status == JobStatus.FAILED,
    })


def _spreadsheet_safe(value) -> str:
    """A cell Excel will not run as a formula (the report echoes what the file contained)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@importers_only
@require_GET
def job_errors_csv(request, pk):
    """The error report as CSV (UTF-8 with BOM, so Excel opens it): row, column, message."""
    job = _job_or_404(request, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("行号"), _("字段"), _("列名"), _("错误说明")])
    for e in _errors_for_display(job.error_report or []):
        writer.writerow([e["row"] if e["row"] is not None else "", _spreadsheet_safe(e["field"]), e["label"],
                         _spreadsheet_safe(e["message"])])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response
