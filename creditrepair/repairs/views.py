"""The task page behind each human step of ``RepairFlow`` in viewflow's task lists.

It shows the case and offers the step's actions; every action goes through the
services (which check the actor and drive the flow through the gateway), never
through viewflow's own task completion.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from creditrepair.core.errors import DomainError

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
        return {**super().get_context_data(**kwargs), "case": case, "step": step,
                "actions": STEP_ACTIONS.get(step, []), "materials": materials_present(case),
                "deadlines": deadlines_of(case), "history": case.history.all()}

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
