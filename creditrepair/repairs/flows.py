"""The repair flow in viewflow: who acts next on a repair case.

::

    start (filing: draft) ─▶ submit [subject] ─▶ intake [operator] ─▶ accepted?
        ├─ no ─▶ refused (End)
        └─ yes ─▶ review [recognising department: interview, training, extension]
                  ─▶ approved?
                       ├─ no ─▶ denied (End)
                       └─ yes ─▶ stop_publication (system) ─▶ complete (system) ─▶ End

Human steps are ``View`` nodes (they appear in viewflow's task lists); code
drives them through ``creditrepair.workflow.gateway``, and the services in
``services.py`` check the actor and change the domain status in the same
locked transaction. Withdrawal cancels the process (``gateway.cancel``);
revocation after completion is a service, outside the flow.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from .models import RepairProcess, RepairStatus
from .views import RepairTaskView


class RepairFlow(flow.Flow):
    process_class = RepairProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("信用修复")
    process_description = _("信用主体申请信用修复或移出严重失信主体名单：提交、受理、审核、决定、停止公示。")

    start = flow.StartHandle(this.start_case).Next(this.submit)

    submit = (
        flow.View(RepairTaskView.as_view())
        .Annotation(title=_("提交申请"), description=_("申请人签署承诺书、上传材料并提交"))
        .Next(this.intake)
    )
    intake = (
        flow.View(RepairTaskView.as_view())
        .Annotation(title=_("受理审查"), description=_("平台运营机构形式审查，受理或不予受理"))
        .Next(this.is_accepted)
    )
    is_accepted = (
        flow.If(this.accepted).Annotation(title=_("是否受理"))
        .Then(this.review)
        .Else(this.refused)
    )
    review = (
        flow.View(RepairTaskView.as_view())
        .Annotation(title=_("审核决定"), description=_("认定单位审核材料、约谈、培训，作出修复决定"))
        .Next(this.is_approved)
    )
    is_approved = (
        flow.If(this.approved).Annotation(title=_("是否准予修复"))
        .Then(this.stop_publication)
        .Else(this.denied)
    )
    stop_publication = (
        flow.Function(this.stop_record_publication)
        .Annotation(title=_("停止公示"))
        .Next(this.complete)
    )
    complete = flow.Function(this.complete_case).Annotation(title=_("办结")).Next(this.end)

    end = flow.End().Annotation(title=_("修复完成"))
    refused = flow.End().Annotation(title=_("不予受理"))
    denied = flow.End().Annotation(title=_("不予修复"))

    def start_case(self, activation, case, actor):
        activation.process.artifact = case
        return activation.process

    def accepted(self, activation):
        return activation.process.artifact.status == RepairStatus.ACCEPTED

    def approved(self, activation):
        return activation.process.artifact.status == RepairStatus.APPROVED

    def stop_record_publication(self, activation):
        from .services import stop_publication_for

        stop_publication_for(activation.process.artifact)

    def complete_case(self, activation):
        from .services import complete_case

        complete_case(activation.process.artifact)
