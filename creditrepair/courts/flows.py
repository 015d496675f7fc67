"""The suspension flow (viewflow, open-source nodes only).

start (the court suspends) → watch (the instalment job or the court's payments
end it: breach or full performance) → on breach the court's task
``decide_breach`` (resume, grant more time → back to watch, or complete once
paid) → End. Domain changes happen in ``services`` through the workflow
gateway; the nodes here only route.
"""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import SelectForUpdateLock

from .models import SuspensionProcess, SuspensionStatus


def decide_breach_view(request, **kwargs):
    """The court decides a breach on the suspension's back-office page."""
    task = kwargs.get("task") or getattr(getattr(request, "activation", None), "task", None)
    case = task.process.artifact if task is not None else None
    if case is None:
        return redirect("courts:home")
    return redirect("courts:suspension", pk=case.pk)


class SuspensionFlow(flow.Flow):
    process_class = SuspensionProcess
    lock_impl = SelectForUpdateLock(nowait=False)
    process_title = _("暂停信用惩戒")

    start = flow.StartHandle(this.start_case).Next(this.watch)

    watch = flow.Handle().Annotation(title=_("分期履行监督")).Next(this.after_watch)

    after_watch = (
        flow.Switch()
        .Case(this.decide_breach, lambda activation: activation.process.artifact.status == SuspensionStatus.BREACH)
        .Default(this.end)
    )

    decide_breach = flow.View(decide_breach_view).Annotation(title=_("法院处理未按期履行")).Next(this.after_decision)

    after_decision = (
        flow.Switch()
        .Case(this.watch, lambda activation: activation.process.artifact.status == SuspensionStatus.ACTIVE)
        .Default(this.end)
    )

    end = flow.End()

    def start_case(self, activation, case, actor):
        activation.process.artifact = case
        activation.process.data = {"case_no": case.case_no}
        return activation.process
