"""Working-day deadlines of every step, with reminders and escalation (shared by all case types)."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditrepair.audit.services import record_event
from creditrepair.core.errors import InvalidInput, InvalidTransition
from creditrepair.rules.selectors import rule_set_by_code
from creditrepair.workdays.services import Limit, add_working_days, deadline_for

from .models import Deadline


def _for_case(case):
    return Deadline.objects.filter(case_type=ContentType.objects.get_for_model(type(case)), case_id=case.pk)


def deadline_open(case, step: str, *, responsible, limit_name: str | None = None, start: date | None = None) -> Deadline:
    """Start the clock of ``step``: its limit comes from the case's rule set (``limits.<limit_name>``)."""
    limit = rule_set_by_code(case.rule_set_code).limit(limit_name or step)
    start = start or timezone.localdate()
    deadline, _created = Deadline.objects.get_or_create(
        case_type=ContentType.objects.get_for_model(type(case)), case_id=case.pk, step=step,
        defaults={"case_no": case.case_no, "responsible": responsible, "started_on": start,
                  "limit_days": limit.days, "unit": limit.unit, "due_on": deadline_for(start, limit)},
    )
    return deadline


def deadline_meet(case, step: str) -> None:
    """The step was done: stop its clock (idempotent)."""
    _for_case(case).filter(step=step, met_at__isnull=True).update(met_at=timezone.now())


def deadline_close_all(case) -> None:
    """The case ended (decided, refused, withdrawn): stop every running clock."""
    _for_case(case).filter(met_at__isnull=True).update(met_at=timezone.now())


def deadline_extend(case, step: str, *, limit_name: str, reason: str, actor) -> Deadline:
    """The one extension a step allows, with a stated reason: the due date moves by the configured limit."""
    if not (reason or "").strip():
        raise InvalidInput(details={"reason": [_("延期须说明理由。")]})
    deadline = _for_case(case).select_for_update().filter(step=step, met_at__isnull=True).first()
    if deadline is None:
        raise InvalidTransition(_("该环节没有正在计算的时限。"))
    if deadline.extended:
        raise InvalidTransition(_("该环节已延期一次，不能再次延期。"), code="deadline_passed")
    limit = rule_set_by_code(case.rule_set_code).limit(limit_name)
    deadline.due_on = deadline_for(deadline.due_on, limit)
    deadline.limit_days += limit.days
    deadline.extended, deadline.extension_reason = True, reason
    deadline.save(update_fields=["due_on", "limit_days", "extended", "extension_reason"])
    record_event("deadline.extended", actor=actor, target=deadline, subject_code=case.subject.code,
                 data={"case_no": case.case_no, "step": step, "due_on": deadline.due_on.isoformat(), "reason": reason})
    return deadline


def deadlines_of(case) -> dict:
    """``{step: due date}`` for the API's ``deadlines`` field (open and met alike)."""
    return {d.step: d.due_on for d in _for_case(case).order_by("id")}


def deadline_rows(case, labels) -> list[dict]:
    """The case's deadlines for its page, oldest first: the step (as ``labels`` names it), the due date, whether
    it was met or extended, and whether it is open past its due date (``overdue``)."""
    today = timezone.localdate()
    return [{"step": labels.get(d.step, d.step), "due": d.due_on, "met_at": d.met_at, "extended": d.extended,
             "overdue": d.is_open and d.due_on < today} for d in _for_case(case).order_by("id")]


def deadlines_of_cases(cases) -> dict:
    """``{case pk: {step: due date}}`` for a page of cases of one type, in one query (queues)."""
    cases = list(cases)
    if not cases:
        return {}
    result = {case.pk: {} for case in cases}
    rows = (
        Deadline.objects.filter(case_type=ContentType.objects.get_for_model(type(cases[0])), case_id__in=list(result))
        .order_by("id")
        .values_list("case_id", "step", "due_on")
    )
    for case_id, step, due_on in rows:
        result[case_id][step] = due_on
    return result


def remind_and_escalate(today: date | None = None, *, remind_before: Limit | None = None) -> dict:
    """Daily: remind the responsible department before a limit, escalate to the operator once it passed.

    Set-based and idempotent: each open deadline is reminded once and escalated once.
    """
    today = today or timezone.localdate()
    remind_days = remind_before.days if remind_before else 1
    now = timezone.now()
    open_deadlines = Deadline.objects.filter(met_at__isnull=True)
    with transaction.atomic():
        horizon = add_working_days(today, remind_days)
        to_remind = list(open_deadlines.filter(reminded_at__isnull=True, due_on__lte=horizon, due_on__gte=today)
                         .values_list("id", "case_no", "step", "due_on", "responsible_id"))
        to_escalate = list(open_deadlines.filter(escalated_at__isnull=True, due_on__lt=today)
                           .values_list("id", "case_no", "step", "due_on", "responsible_id"))
        Deadline.objects.filter(id__in=[d[0] for d in to_remind]).update(reminded_at=now)
        Deadline.objects.filter(id__in=[d[0] for d in to_escalate]).update(escalated_at=now)
        for action, rows in (("deadline.reminded", to_remind), ("deadline.escalated", to_escalate)):
            if rows:
                record_event(action, actor_label="system:deadlines", target_type="workflow.deadline",
                             target_id=f"{rows[0][0]}-{rows[-1][0]}",
                             data={"deadlines": [{"case_no": c, "step": s, "due_on": d.isoformat(),
                                                  "responsible": r} for _, c, s, d, r in rows]})
    return {"reminded": len(to_remind), "escalated": len(to_escalate)}
