"""Pages: the enterprise files and follows its objections; the operator and departments work their queue."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from creditrepair.accounts.models import Role
from creditrepair.audit.services import client_ip, record_event
from creditrepair.core.downloads import private_file_response
from creditrepair.core.errors import DomainError
from creditrepair.records.models import Category, Record, Severity
from creditrepair.records.selectors import records_visible_to
from creditrepair.workflow.deadlines import deadline_rows, deadlines_of_cases
from creditrepair.workflow.status import history_rows

from . import services
from .models import Grounds, Outcome
from .selectors import CORRECTABLE_FIELDS, actions_for, objections_visible_to, review_request_until, staff_queue
from .tasks import documents_of

STEP_LABELS = {
    "intake": gettext_lazy("受理"), "platform_check": gettext_lazy("平台核对"),
    "verification": gettext_lazy("认定单位核实"), "total": gettext_lazy("总时限"), "review": gettext_lazy("复核"),
}


def _field_label(field):
    return str(Record._meta.get_field(field).verbose_name)


class ObjectionForm(forms.Form):
    grounds = forms.ChoiceField(label=gettext_lazy("异议事由"), choices=Grounds.choices)
    statement = forms.CharField(label=gettext_lazy("异议陈述"), widget=forms.Textarea(attrs={"rows": 5}))


def _corrections_from(post, prefix="correct_"):
    """The filled-in ``correct_<field>`` inputs as ``{field: value}`` (blank ones mean no change)."""
    return {f: post[f"{prefix}{f}"].strip() for f in CORRECTABLE_FIELDS if post.get(f"{prefix}{f}", "").strip()}


def _correctable(record=None):
    """The correctable fields with their current value; severity and category as choices."""
    choices = {"severity": Severity.choices,
               "category": [c for c in Category.choices if c[0] != Category.COURT_DEBTOR]}
    fields = []
    for f in CORRECTABLE_FIELDS:
        current = getattr(record, f, "") if record else ""
        if f in choices and record is not None:
            current = getattr(record, f"get_{f}_display")()
        fields.append({"name": f, "label": _field_label(f), "current": current, "choices": choices.get(f)})
    return fields


@login_required
def objection_list(request):
    """The enterprise's objections (staff see what they may read; their queue is /staff/objections/)."""
    cases = objections_visible_to(request.user).order_by("-id")[:200]
    records = []
    if request.user.role == Role.SUBJECT:
        records = records_visible_to(request.user).order_by("-decision_date")[:200]
    return render(request, "objections/list.html", {"cases": cases, "records": records})


@login_required
def objection_new(request):
    if request.user.role != Role.SUBJECT:
        messages.error(request, _("只有信用主体可以对本主体的信息提出异议。"))
        return redirect("objections:list")
    record_id = request.GET.get("record") or request.POST.get("record")
    record = None
    if record_id and str(record_id).isdigit():
        record = records_visible_to(request.user).filter(pk=record_id).first()
    if record is None:
        if record_id:
            raise Http404
        return redirect("objections:list")
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.objection_file(actor=request.user, record=record, grounds=form.cleaned_data["grounds"],
                                           statement=form.cleaned_data["statement"],
                                           requested_correction=_corrections_from(request.POST))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("异议已提交，案件编号 %(no)s，查询码 %(code)s。该信息已标注“异议处理中”。")
                             % {"no": case.case_no, "code": case.query_code})
            return redirect("objections:detail", pk=case.pk)
    return render(request, "objections/new.html",
                  {"form": form, "record": record, "correctable": _correctable(record)})


def _detail(request, pk, *, staff):
    case = get_object_or_404(objections_visible_to(request.user), pk=pk)
    context = {
        "case": case, "staff": staff, "record": case.record, "actions": actions_for(request.user, case),
        "history": history_rows(case), "deadlines": deadline_rows(case, STEP_LABELS), "documents": documents_of(case),
        "evidence": case.evidence.all(), "outcomes": Outcome.choices, "correctable": _correctable(case.record),
        "requested": [{"label": _field_label(f), "value": v} for f, v in case.requested_correction.items()],
        "corrections": [{**c, "label": _field_label(c["field"])} for c in case.corrections],
        "review_corrections": [{**c, "label": _field_label(c["field"])} for c in case.review_corrections],
        "review_until": review_request_until(case) if case.decided_at else None,
        "today": timezone.localdate(),
    }
    return render(request, "objections/detail.html", context)


@login_required
def objection_detail(request, pk):
    return _detail(request, pk, staff=False)


@login_required
def staff_detail(request, pk):
    if request.user.role not in (Role.OPERATOR, Role.DEPARTMENT, Role.COURT):
        raise Http404
    return _detail(request, pk, staff=True)


@login_required
def staff_list(request):
    if request.user.role not in (Role.OPERATOR, Role.DEPARTMENT, Role.COURT):
        raise Http404
    page = QueuePage(staff_queue(request.user).order_by("id"), _queue_page_size(request), request.GET.get("page"))
    cases = page.object_list
    dues_by_case = deadlines_of_cases(cases)
    rows = []
    for case in cases:
        dues = dues_by_case.get(case.pk, {})
        step = {"submitted": "intake", "verifying": "verification", "under_review": "review"}.get(case.status)
        rows.append({"case": case, "step": STEP_LABELS.get(step, ""), "due": dues.get(step),
                     "total": dues.get("total")})
    return render(request, "objections/staff_list.html",
                  {"rows": rows, "page": page, "today": timezone.localdate()})


QUEUE_PAGE_SIZE = 50


class QueuePage:
    """One page of a queue without counting the whole queue (``COUNT(*)`` over 100,000 open cases costs more
    than the page): it fetches ``size + 1`` rows to know whether a next page exists."""

    def __init__(self, queryset, size: int, number):
        try:
            self.number = max(1, int(number or 1))
        except ValueError:
            self.number = 1
        self.per_page = size
        start = (self.number - 1) * size
        rows = list(queryset[start:start + size + 1])
        self.object_list = rows[:size]
        self._has_next = len(rows) > size

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

QUEUE_MAX_PAGE_SIZE = 200


def _queue_page_size(request) -> int:
    """``?page_size=`` (1–200), else 50: the queue is paged, never loaded whole."""
    try:
        return max(1, min(int(request.GET.get("page_size", QUEUE_PAGE_SIZE)), QUEUE_MAX_PAGE_SIZE))
    except ValueError:
        return QUEUE_PAGE_SIZE


ACTIONS = {
    "evidence": lambda case, user, post, files: services.objection_add_evidence(
        case, actor=user, uploaded_file=files["file"], description=post.get("description", "")),
    "accept": lambda case, user, post, files: services.objection_accept(case, actor=user),
    "refuse": lambda case, user, post, files: services.objection_refuse(case, actor=user, reason=post.get("reason", "")),
    "platform_check": lambda case, user, post, files: services.objection_platform_check(
        case, actor=user, differs=post.get("differs") == "1", corrections=_corrections_from(post),
        reason=post.get("reason", "")),
    "extend": lambda case, user, post, files: services.objection_extend(case, actor=user, reason=post.get("reason", "")),
    "resolve": lambda case, user, post, files: services.objection_resolve(
        case, actor=user, outcome=post.get("outcome", ""), reason=post.get("reason", ""),
        corrections=_corrections_from(post)),
    "review": lambda case, user, post, files: services.objection_request_review(
        case, actor=user, statement=post.get("statement", "")),
    "review_decision": lambda case, user, post, files: services.objection_review_decide(
        case, actor=user, outcome=post.get("outcome", ""), reason=post.get("reason", ""),
        corrections=_corrections_from(post)),
}


def _error_text(exc: DomainError) -> str:
    details = "；".join(f"{', '.join(str(m) for m in v)}" if isinstance(v, list | tuple) else str(v)
                       for v in exc.details.values()) if isinstance(exc.details, dict) else ""
    return f"{exc.message} {details}".strip()


@login_required
@require_POST
def objection_act(request, pk, action):
    case = get_object_or_404(objections_visible_to(request.user), pk=pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    back = "objections:staff-detail" if request.user.role != Role.SUBJECT else "objections:detail"
    if action == "evidence" and "file" not in request.FILES:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect(back, pk=case.pk)
    try:
        handler(case, request.user, request.POST, request.FILES)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已办理。"))
    return redirect(back, pk=case.pk)


@login_required
def document_download(request, pk, document_id):
    """A signed PDF of the case, to those who may see the case."""
    case = get_object_or_404(objections_visible_to(request.user), pk=pk)
    document = get_object_or_404(documents_of(case), pk=document_id)
    return private_file_response(document.file.open("rb"), content_type="application/pdf",
                                 filename=f"{document.case_no}-{document.kind}.pdf")


@login_required
def evidence_download(request, pk, evidence_id):
    """An evidence file of the case, as an attachment, to those who may see the case (recorded in the audit log)."""
    case = get_object_or_404(objections_visible_to(request.user), pk=pk)
    evidence = get_object_or_404(case.evidence, pk=evidence_id)
    record_event("objection.evidence_downloaded", actor=request.user, target=case, subject_code=case.subject.code,
                 ip=client_ip(request), data={"case_no": case.case_no, "evidence": str(evidence.pk)})
    return private_file_response(evidence.file.open("rb"), content_type=evidence.content_type,
                                 filename=f"{case.case_no}-{evidence.original_name}")
