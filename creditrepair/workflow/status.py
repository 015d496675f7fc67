"""Case status machines as tables, and the one function that moves a case along one."""

from django.utils import timezone
from django.utils.translation import gettext as _

from creditrepair.audit.services import record_event
from creditrepair.core.errors import InvalidTransition


def change_status(case, to_status: str, *, actor=None, actor_label: str = "", note: str = ""):
    """Move ``case`` (locked by the caller) to ``to_status`` if its table allows; write history and audit.

    A concrete case class declares ``TRANSITIONS = {to_status: {from statuses}}``
    and ``history_model`` (its StatusChange subclass with a ``case`` FK).
    """
    from_status = case.status
    if from_status not in case.TRANSITIONS.get(to_status, ()):
        labels = dict(case._meta.get_field("status").flatchoices)
        raise InvalidTransition(
            _("案件 %(case_no)s 当前状态为“%(status)s”，不能变更为“%(to)s”。")
            % {"case_no": case.case_no, "status": labels.get(from_status, from_status),
               "to": labels.get(to_status, to_status)}
        )
    now = timezone.now()
    case.status = to_status
    case.save(update_fields=["status"])
    label = actor.get_username() if actor is not None else (actor_label or "system")
    case.history_model.objects.create(
        case=case, from_status=from_status, to_status=to_status, actor=actor, actor_label=label, note=note, at=now
    )
    record_event(
        f"{case._meta.model_name}.{to_status}", actor=actor, actor_label=label, target=case,
        subject_code=case.subject.code, data={"case_no": case.case_no, "from": from_status, "note": note},
    )
    return case


def timeline(case) -> list[dict]:
    """The public timeline of a case: each status it reached and when."""
    return [
        {"status": status, "at": at}
        for status, at in case.history_model.objects.filter(case=case).order_by("id").values_list("to_status", "at")
    ]


def history_rows(case) -> list[dict]:
    """The status history of a case for its page: when, the status's label, the note and who (``actor``, which
    only staff pages show)."""
    labels = dict(case._meta.get_field("status").flatchoices)
    return [
        {"at": h.at, "label": labels.get(h.to_status, h.to_status), "note": h.note, "actor": h.actor_label}
        for h in case.history_model.objects.filter(case=case).order_by("id")
    ]
