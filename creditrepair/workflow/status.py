"""Case status machines as tables, and the one function that moves a case along one."""

import hmac

from django.utils import timezone
from django.utils.translation import gettext as _

from creditrepair.audit.services import record_event
from creditrepair.core.errors import InvalidTransition
from creditrepair.registry.selectors import public_subject


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


# The columns every public case lookup reads: the case's own and its subject's public ones.
_PUBLIC_CASE_COLUMNS = ("id", "case_no", "query_code", "status", "decided_at", "subject__code", "subject__name",
                        "subject__type")


def public_case_row(queryset, case_no: str, query_code: str, *fields, **expressions) -> dict | None:
    """The case with this number and query code as one plain row: the columns above plus ``fields`` and
    ``expressions`` (name → expression), or None for an unknown number and a wrong code alike.

    One indexed query and no model instances (the public status is the platform's hottest page); the code is
    compared in constant time against a dummy on a miss, so the answer's time does not tell the two apart.
    """
    row = queryset.filter(case_no=case_no).values(*_PUBLIC_CASE_COLUMNS, *fields, **expressions).first()
    expected = row["query_code"] if row is not None else "0" * 8
    matches = hmac.compare_digest(expected.encode(), (query_code or "").strip().upper().encode())
    return row if row is not None and matches else None


def history_rows(case) -> list[dict]:
    """The status history of a case for its page: when, the status's label, the note and who (``actor``, which
    only staff pages show)."""
    labels = dict(case._meta.get_field("status").flatchoices)
    return [
        {"at": h.at, "label": labels.get(h.to_status, h.to_status), "note": h.note, "actor": h.actor_label}
        for h in case.history_model.objects.filter(case=case).order_by("id")
    ]


def public_case_body(row: dict, kind: str, status_choices, outcome: dict | None, **extra) -> dict:
    """The public status of the case in ``row`` (from ``public_case_row``): number, kind, status and its label,
    the subject (persons masked) and the outcome; ``id`` is the case's key, for its timeline, not shown."""
    return {
        "id": row["id"],
        "case_no": row["case_no"],
        "kind": kind,
        "status": row["status"],
        "status_label": str(status_choices(row["status"]).label),
        "subject": public_subject(row["subject__code"], row["subject__name"], row["subject__type"]),
        "outcome": outcome,
        **extra,
    }


def status_outcome(row: dict, status_choices) -> dict:
    """The outcome of a case whose final status is its result (refused, completed, resumed …): the status, its
    label and the decision date."""
    return {"result": row["status"], "label": str(status_choices(row["status"]).label), "decided_at": row["decided_at"]}
