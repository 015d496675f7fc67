"""The public case status shared by the /status/ page and ``GET /api/v1/public/cases/{case_no}``.

A case number's prefix picks the case type's resolver in ``api.public.CASE_KINDS``
(XF repair, YY objection, ZX court suspension). A wrong query code and an
unknown case give the same ``None``; both paths run the same queries (the
case, its status history, its deadlines) so the answer time does not tell them
apart either.
"""

from django.apps import apps
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditrepair.workflow.models import Deadline

# Each prefix's status-history model: queried on a miss too, to keep the work equal.
_HISTORY_MODELS = {
    "XF": "repairs.RepairStatusChange",
    "YY": "objections.ObjectionStatusChange",
    "ZX": "courts.SuspensionStatusChange",
}

# Each kind's case model, for the labels of the statuses in its timeline.
_CASE_MODELS = {
    "repair": "repairs.RepairCase",
    "objection": "objections.Objection",
    "court_suspension": "courts.CourtSuspension",
}

# (kind, step) → what the responsible unit does by the due date, in plain words.
_STEP_ACTIONS = {
    ("repair", "intake"): gettext_lazy("完成受理审查，决定是否受理"),
    ("repair", "review"): gettext_lazy("审核材料并作出是否准予修复的决定"),
    ("repair", "answer_total"): gettext_lazy("答复申请人（全部办理时限）"),
    ("objection", "intake"): gettext_lazy("完成受理审查，决定是否受理"),
    ("objection", "platform_check"): gettext_lazy("核对平台数据与数据来源是否一致"),
    ("objection", "verification"): gettext_lazy("核实异议信息并反馈结果"),
    ("objection", "total"): gettext_lazy("作出异议处理结果（全部办理时限）"),
    ("objection", "review"): gettext_lazy("作出复核决定"),
    ("court_suspension", "decide_breach"): gettext_lazy("决定是否恢复信用惩戒"),
}

# What the applicant can expect when no clock is running, by (kind, status).
_STATUS_EXPLANATIONS = {
    ("repair", "draft"): gettext_lazy("申请尚未提交。申请人补齐材料并提交后，平台开始计算办理时限。"),
    ("repair", "approved"): gettext_lazy("已准予修复，系统正在停止公示并通知各联合惩戒单位。"),
    ("repair", "completed"): gettext_lazy("修复已完成：相关失信信息已停止公示，各联合惩戒单位已收到通知。"),
    ("repair", "denied"): gettext_lazy("认定单位决定不予修复，失信信息继续公示。申请人可查看决定书中的理由。"),
    ("repair", "refused"): gettext_lazy("申请不予受理。申请人可按一次性告知的事项补齐后重新申请。"),
    ("repair", "revoked"): gettext_lazy("修复已被撤销，失信信息按剩余公示期恢复公示。"),
    ("repair", "withdrawn"): gettext_lazy("申请人已撤回申请，本案结束。"),
    ("objection", "resolved"): gettext_lazy("异议已办结，处理结果已生效。申请人对结果有异议的，可以申请复核。"),
    ("objection", "refused"): gettext_lazy("异议不予受理，本案结束。"),
    ("objection", "closed"): gettext_lazy("异议已办结归档。"),
    ("court_suspension", "active"): gettext_lazy("信用惩戒暂停中。被执行人按和解协议分期履行，逾期未履行的，法院可以恢复信用惩戒。"),
    ("court_suspension", "breach"): gettext_lazy("有一期未按期履行，等待法院决定是否恢复信用惩戒。"),
    ("court_suspension", "resumed"): gettext_lazy("法院已恢复信用惩戒。"),
    ("court_suspension", "completed"): gettext_lazy("已履行完毕，失信信息已删除（屏蔽）。"),
}


def _resolver(prefix):
    from creditrepair.api.public import CASE_KINDS

    return CASE_KINDS.get(prefix)


def _open_deadlines(case_no: str) -> list[dict]:
    """The running clocks of the case: step, due date and responsible unit (what ``next_steps`` shows)."""
    return list(
        Deadline.objects.filter(case_no=case_no, met_at__isnull=True)
        .order_by("due_on", "id")
        .values("step", "due_on", responsible_name=F("responsible__name"))
    )


def _timeline(prefix: str, case_id: int, kind: str) -> list[dict]:
    """Each status the case reached and when, labelled; an unknown case (``case_id`` -1) reads an empty one."""
    history = apps.get_model(_HISTORY_MODELS.get(prefix, "repairs.RepairStatusChange"))
    labels = dict(apps.get_model(_CASE_MODELS.get(kind, "repairs.RepairCase"))._meta.get_field("status").flatchoices)
    return [
        {"status": status, "at": at, "label": str(labels.get(status, status))}
        for status, at in history.objects.filter(case_id=case_id).order_by("id").values_list("to_status", "at")
    ]


def next_steps(kind: str, deadlines) -> list[dict]:
    """Each running clock as ``{step, responsible, due_on, action, text}`` ("X 将在 D 前 …")."""
    steps = []
    for d in deadlines:
        action = _STEP_ACTIONS.get((kind, d["step"]), gettext_lazy("办理当前环节"))
        steps.append({
            "step": d["step"],
            "responsible": d["responsible_name"],
            "due_on": d["due_on"],
            "action": str(action),
            "text": _("%(unit)s将在 %(due)s 前%(action)s。")
            % {"unit": d["responsible_name"], "due": d["due_on"].isoformat(), "action": action},
        })
    return steps


def explanation(kind: str, status: str, steps: list[dict]) -> str:
    """A plain-language sentence about what happens next."""
    if steps:
        return " ".join(step["text"] for step in steps)
    text = _STATUS_EXPLANATIONS.get((kind, status))
    return str(text) if text else _("案件正在办理中，请留意后续进展。")


def public_case_status(case_no: str, query_code: str) -> dict | None:
    """The public status of a case with its next steps, or None for an unknown case or a wrong code."""
    case_no = (case_no or "").strip().upper()
    prefix = case_no.split("-", 1)[0]
    resolver = _resolver(prefix)
    body = resolver(case_no, query_code or "") if resolver else None
    # A hit and a miss run the same three queries: the case, its open deadlines and its status history (a miss
    # reads the empty history of case -1), so the answer's time does not tell them apart.
    deadlines = _open_deadlines(case_no)
    case_id, kind = (body.pop("id"), body["kind"]) if body else (-1, "")
    timeline = _timeline(prefix, case_id, kind)
    if body is None:
        return None
    body["timeline"] = timeline
    body["next_steps"] = next_steps(body["kind"], deadlines)
    body["explanation"] = explanation(body["kind"], body["status"], body["next_steps"])
    return body
