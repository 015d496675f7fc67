"""Repair pages: the enterprise portal (我的信用, filing, signing, materials, the case), the staff queue, and the
task page behind each human step of ``RepairFlow`` in viewflow's task lists.

Every action goes through the services (which check the actor and drive the flow
through the gateway), never through viewflow's own task completion.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from creditrepair.accounts.models import Role
from creditrepair.audit.services import client_ip, record_event
from creditrepair.core.downloads import private_file_response
from creditrepair.core.errors import DomainError, NotFound
from creditrepair.records.selectors import records_visible_to
from creditrepair.rules.selectors import rule_set_by_code
from creditrepair.workflow.deadlines import deadline_rows, deadlines_of_cases
from creditrepair.workflow.status import history_rows

from . import selectors, services
from .models import OPEN_STATUSES, SIGNED, UPLOADED, MaterialKind, RepairCase, RepairStatus

# step → (action, label, fields) the page offers
STEP_ACTIONS = {
    "submit": [("submit", gettext_lazy("提交申请"), [])],
    "intake": [("accept", gettext_lazy("受理"), []), ("refuse", gettext_lazy("不予受理"), ["reason"])],
    "review": [
        ("interview", gettext_lazy("记录约谈"), ["held_on", "notes"]),
        ("extend", gettext_lazy("延期（仅一次）"), ["reason"]),
        ("approve", gettext_lazy("准予修复"), ["reason"]),
        ("deny", gettext_lazy("不予修复"), ["reason"]),
    ],
}


class RepairTaskView(LoginRequiredMixin, TemplateView):
    template_name = "repairs/task.html"

    def case(self):
        from creditrepair.core.errors import NotFound

        from .selectors import case_for

        try:
            return case_for(self.request.user, self.request.activation.process.artifact_object_id)
        except NotFound:
            raise Http404(_("案件不存在。")) from None

    def get_context_data(self, **kwargs):
        from creditrepair.workflow.deadlines import deadlines_of

        from .selectors import materials_present

        case = self.case()
        step = self.request.activation.task.flow_task.name
        from .selectors import material_labels

        return {**super().get_context_data(**kwargs), "case": case, "step": step,
                "actions": STEP_ACTIONS.get(step, []), "materials": material_labels(materials_present(case)),
                "required": material_labels(case.required_materials),
                "deadlines": {STEP_LABELS.get(k, k): v for k, v in deadlines_of(case).items()},
                "history": [{"at": h.at, "actor_label": h.actor_label, "note": h.note,
                             "label": STATUS_LABELS.get(h.to_status, h.to_status)} for h in case.history.order_by("id")]}

    def post(self, request, *args, **kwargs):
        from . import services

        case = self.case()
        action = request.POST.get("action", "")
        step = request.activation.task.flow_task.name
        if action not in {a for a, _label, _fields in STEP_ACTIONS.get(step, [])}:
            messages.error(request, _("该环节没有此操作。"))
            return redirect(request.path)
        reason = request.POST.get("reason", "")
        try:
            if action == "submit":
                services.repair_submit(request.user, case)
            elif action == "accept":
                services.repair_accept(request.user, case)
            elif action == "refuse":
                services.repair_refuse(request.user, case, reason)
            elif action == "interview":
                held_on = dt.date.fromisoformat(request.POST.get("held_on", "") or "1900-01-01")
                services.repair_record_interview(request.user, case, held_on, request.POST.get("notes", ""))
            elif action == "extend":
                services.repair_extend(request.user, case, reason)
            elif action == "approve":
                services.repair_approve(request.user, case, reason)
            elif action == "deny":
                services.repair_deny(request.user, case, reason)
        except (DomainError, ValueError) as exc:
            messages.error(request, str(getattr(exc, "message", exc)))
            return redirect(request.path)
        messages.success(request, _("已办理。"))
        return redirect(request.path if action in ("interview", "extend") else "/")


# =========================================================================== the portal's repair pages
#
# The enterprise checks repairability, files, signs, uploads, submits and follows its cases; the operator and
# the recognising departments work their queue. Every action goes through the services, which check the actor
# again; a refusal (DomainError) is shown as a message, never a 500.


STAFF = (Role.OPERATOR, Role.DEPARTMENT, Role.COURT)
STATUS_LABELS = dict(RepairStatus.choices)
STEP_LABELS = {"intake": gettext_lazy("受理"), "review": gettext_lazy("审核决定"),
               "answer_total": gettext_lazy("答复总时限")}
# The step whose clock runs in each status (the queue's "环节期限").
STATUS_STEP = {RepairStatus.SUBMITTED: "intake", RepairStatus.ACCEPTED: "review", RepairStatus.UNDER_REVIEW: "review"}
QUEUE_PAGE_SIZE = 50


def _error_text(exc: DomainError) -> str:
    """The service's message, with per-field messages (e.g. an upload's problem) appended."""
    parts = [str(exc.message)]
    details = exc.details if isinstance(exc.details, dict) else {}
    for value in details.values():
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            parts.extend(str(v) for v in value)
    return " ".join(p for p in parts if p)


def _case_or_404(user, pk) -> RepairCase:
    try:
        return selectors.case_for(user, pk)
    except NotFound:
        raise Http404(_("案件不存在。")) from None


def _labelled(kinds):
    return [{"kind": k, "label": label} for k, label in zip(kinds, selectors.material_labels(kinds), strict=True)]


# --------------------------------------------------------------------------- after login


@login_required
def after_login(request):
    """Where the login page sends each role: subjects to 我的信用, staff to their queue."""
    role = request.user.role
    if role == Role.SUBJECT:
        return redirect("repairs:me")
    if role == Role.COURT:
        return redirect("courts:home")
    if role in STAFF:
        return redirect("repairs:staff-list")
    return redirect("home")


# --------------------------------------------------------------------------- the subject's pages


@login_required
def my_credit(request):
    """我的信用: the subject's own records (all statuses), each with its repairability check."""
    if request.user.role != Role.SUBJECT:
        return redirect("repairs:staff-list" if request.user.role in STAFF else "home")
    records = list(records_visible_to(request.user).select_related("department").order_by("-decision_date")[:200])
    open_cases = {c.record_id: c for c in selectors.repairs_visible_to(request.user)
                  .filter(record__in=records, status__in=OPEN_STATUSES)}
    rows = []
    for record in records:
        check = selectors.repairability(record)
        rows.append({"record": record, "check": check, "materials": selectors.material_labels(check.required_materials),
                     "open_case": open_cases.get(record.pk)})
    return render(request, "repairs/me.html", {"rows": rows, "today": timezone.localdate()})


@login_required
def repair_list(request):
    """The subject's repair cases (staff are sent to their queue)."""
    if request.user.role != Role.SUBJECT:
        return redirect("repairs:staff-list" if request.user.role in STAFF else "home")
    cases = selectors.repairs_visible_to(request.user).order_by("-id")[:200]
    return render(request, "repairs/list.html", {"cases": cases})


@login_required
def repair_new(request):
    """File an application for one of the subject's records (a draft; materials follow on the case page)."""
    if request.user.role != Role.SUBJECT:
        messages.error(request, _("只有信用主体可以为本主体的信息申请信用修复。"))
        return redirect("home")
    record_id = request.GET.get("record") or request.POST.get("record")
    if not (record_id and str(record_id).isdigit()):
        return redirect("repairs:me")
    record = records_visible_to(request.user).filter(pk=record_id).first()
    if record is None:
        raise Http404
    check = selectors.repairability(record)
    statement = ""
    if request.method == "POST":
        statement = request.POST.get("statement", "")
        try:
            case = services.repair_file(request.user, record, statement)
        except DomainError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("已创建信用修复申请 %(no)s（查询码 %(code)s）。请签署承诺书、上传材料后提交。")
                             % {"no": case.case_no, "code": case.query_code})
            return redirect("repairs:detail", pk=case.pk)
    return render(request, "repairs/new.html", {
        "record": record, "check": check, "materials": selectors.material_labels(check.required_materials),
        "statement": statement})


def _detail_context(request, case, *, staff):
    user = request.user
    actions = selectors.available_actions(user, case)
    present = set(selectors.materials_present(case))
    required = [{"kind": k, "label": label, "present": k in present}
                for k, label in zip(case.required_materials, selectors.material_labels(case.required_materials),
                                    strict=True)]
    missing = selectors.materials_missing(case, for_submission=True) if case.status == RepairStatus.DRAFT else []
    signed_kinds = set(selectors.case_documents(case).values_list("kind", flat=True))
    to_sign = [{"kind": k, "label": MaterialKind(k).label, "signed": k in signed_kinds}
               for k in case.required_materials if k in [s.value for s in SIGNED]]
    uploadable = [k for k in case.required_materials if k in [u.value for u in UPLOADED]] or \
        [u.value for u in UPLOADED]
    return {
        "case": case, "record": case.record, "staff": staff, "actions": actions, "required": required,
        "missing": selectors.material_labels(missing), "to_sign": to_sign,
        "upload_kinds": _labelled(uploadable),
        "training_required": MaterialKind.TRAINING_CERTIFICATE in case.required_materials,
        "history": history_rows(case), "deadlines": deadline_rows(case, STEP_LABELS),
        "documents": selectors.case_documents(case), "materials": case.materials.all(),
        "today": timezone.localdate(),
    }


@login_required
def repair_detail(request, pk):
    case = _case_or_404(request.user, pk)
    if request.user.role in STAFF:
        return redirect("repairs:staff-detail", pk=case.pk)
    return render(request, "repairs/detail.html", _detail_context(request, case, staff=False))


@login_required
def commitment_sign(request, pk, kind):
    """The letter's text (the rule set's commitments and the record) and the signatory's fields; signing records
    the user, time and IP (audit log, printed on the letter)."""
    case = _case_or_404(request.user, pk)
    if kind not in [k.value for k in SIGNED] or kind not in case.required_materials:
        raise Http404
    if "sign_commitment" not in selectors.available_actions(request.user, case):
        messages.error(request, _("当前不能签署承诺书。"))
        return redirect("repairs:detail", pk=case.pk)
    commitments = rule_set_by_code(case.rule_set_code).commitments.get(kind, ())
    errors, values = {}, {"signatory_name": "", "signatory_title": ""}
    if request.method == "POST":
        values = {f: request.POST.get(f, "").strip() for f in values}
        if request.POST.get("confirm") != "1":
            errors["confirm"] = _("请勾选“本人已阅读并确认承诺内容”。")
        if not errors:
            try:
                services.repair_sign_commitment(request.user, case, values["signatory_name"],
                                                values["signatory_title"], kind=kind, ip=client_ip(request))
            except DomainError as exc:
                details = exc.details if isinstance(exc.details, dict) else {}
                errors = {f: " ".join(str(m) for m in v) for f, v in details.items() if isinstance(v, list | tuple)}
                if not errors:
                    messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("%(kind)s已签署。") % {"kind": MaterialKind(kind).label})
                return redirect("repairs:detail", pk=case.pk)
    return render(request, "repairs/sign.html", {
        "case": case, "record": case.record, "kind": kind, "kind_label": MaterialKind(kind).label,
        "commitments": commitments, "errors": errors, "values": values, "today": timezone.localdate()})


# --------------------------------------------------------------------------- actions (subject and staff)


def _date(post, field):
    try:
        return dt.date.fromisoformat(post.get(field, ""))
    except ValueError:
        raise services.InvalidInput(details={field: [_("请填写有效日期。")]}) from None


ACTIONS = {
    "upload_material": lambda user, case, post, files: services.repair_upload_material(
        user, case, post.get("kind", ""), files.get("file")),
    "record_training": lambda user, case, post, files: services.repair_record_training(
        user, case, post.get("certificate_no", ""), _date(post, "completed_on")),
    "submit": lambda user, case, post, files: services.repair_submit(user, case),
    "withdraw": lambda user, case, post, files: services.repair_withdraw(user, case),
    "accept": lambda user, case, post, files: services.repair_accept(user, case),
    "refuse": lambda user, case, post, files: services.repair_refuse(user, case, post.get("reason", "")),
    "record_interview": lambda user, case, post, files: services.repair_record_interview(
        user, case, _date(post, "held_on"), post.get("notes", "")),
    "extend": lambda user, case, post, files: services.repair_extend(user, case, post.get("reason", "")),
    "approve": lambda user, case, post, files: services.repair_approve(user, case, post.get("reason", "")),
    "deny": lambda user, case, post, files: services.repair_deny(user, case, post.get("reason", "")),
    "revoke": lambda user, case, post, files: services.repair_revoke(user, case, post.get("reason", "")),
}
DONE = {
    "upload_material": gettext_lazy("材料已上传。"), "record_training": gettext_lazy("培训情况已记录。"),
    "submit": gettext_lazy("申请已提交，等待平台受理。"), "withdraw": gettext_lazy("申请已撤回。"),
    "accept": gettext_lazy("已受理，案件转认定单位审核。"), "refuse": gettext_lazy("已作出不予受理决定。"),
    "record_interview": gettext_lazy("约谈记录已保存。"), "extend": gettext_lazy("审核期限已延长。"),
    "approve": gettext_lazy("已准予修复，该信息已停止公示。"), "deny": gettext_lazy("已作出不予修复决定。"),
    "revoke": gettext_lazy("信用修复已撤销，该信息恢复公示。"),
}


@login_required
@require_POST
def repair_act(request, pk, action):
    """One action on the case (the services decide whether this user may take it now)."""
    case = _case_or_404(request.user, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    back = "repairs:staff-detail" if request.user.role in STAFF else "repairs:detail"
    if action == "upload_material" and "file" not in request.FILES:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect(back, pk=case.pk)
    try:
        handler(request.user, case, request.POST, request.FILES)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, DONE[action])
    return redirect(back, pk=case.pk)


@login_required
def document_download(request, pk, document_id):
    """A signed PDF of the case, as an attachment, to those who may see the case."""
    case = _case_or_404(request.user, pk)
    document = selectors.case_documents(case).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return private_file_response(document.file.open("rb"), content_type="application/pdf",
                                 filename=f"{document.case_no}-{document.kind}.pdf")


@login_required
def material_download(request, pk, material_id):
    """An uploaded material, as an attachment, to those who may see the case (recorded in the audit log)."""
    case = _case_or_404(request.user, pk)
    material = case.materials.filter(pk=material_id).first()
    if material is None:
        raise Http404
    record_event("repaircase.material_downloaded", actor=request.user, target=case, subject_code=case.subject.code,
                 ip=client_ip(request), data={"case_no": case.case_no, "material": str(material.pk)})
    return private_file_response(material.file.open("rb"), content_type=material.content_type,
                                 filename=f"{case.case_no}-{material.kind}.{material.extension}")


# --------------------------------------------------------------------------- staff


def staff_queue(user, status=""):
    """The cases a staff user works: the operator's intake queue (submitted), a department's cases on its own
    records awaiting review (accepted, under review); ``status`` shows any status of the cases it may see."""
    visible = selectors.repairs_visible_to(user)
    if status:
        return visible.filter(status=status)
    if user.role == Role.OPERATOR:
        return visible.filter(status=RepairStatus.SUBMITTED)
    return visible.filter(status__in=[RepairStatus.ACCEPTED, RepairStatus.UNDER_REVIEW])


@login_required
def staff_list(request):
    if request.user.role not in STAFF:
        raise Http404
    status = request.GET.get("status", "")
    if status not in STATUS_LABELS:
        status = ""
    page = Paginator(staff_queue(request.user, status).order_by("id"), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page"))
    cases = list(page.object_list)
    dues = deadlines_of_cases(cases)
    today = timezone.localdate()
    rows = []
    for case in cases:
        step = STATUS_STEP.get(case.status)
        due = dues.get(case.pk, {}).get(step) if step else None
        total = dues.get(case.pk, {}).get("answer_total") if case.is_open else None
        rows.append({"case": case, "step": STEP_LABELS.get(step, "—") if step else "—", "due": due,
                     "overdue": bool(due and due < today), "total": total,
                     "total_overdue": bool(total and total < today)})
    return render(request, "repairs/staff_list.html", {
        "rows": rows, "page": page, "status": status, "statuses": RepairStatus.choices, "today": today})


@login_required
def staff_detail(request, pk):
    if request.user.role not in STAFF:
        raise Http404
    case = _case_or_404(request.user, pk)
    return render(request, "repairs/detail.html", _detail_context(request, case, staff=True))
