"""The workflow gateway: how the API, the pages and Celery tasks drive viewflow.

Viewflow decides *who acts next* (which task is pending); the case's domain
status is what people read. Every call here takes the flow lock, opens one
transaction, locks the case row, checks the caller explicitly (viewflow's
transition permissions are queries, not gates), applies the domain change and
completes the viewflow task — all or nothing. Failures map to the contract's
error codes (``invalid_transition`` for a step that is not pending).
"""

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process, Task
from viewflow.workflow.nodes import View
from viewflow.workflow.status import PROCESS, STATUS

from creditrepair.core.errors import InvalidTransition

ACTIVE = (STATUS.NEW, STATUS.ASSIGNED)


def start(flow_class, case, *, actor=None) -> Process:
    """Start ``flow_class`` for ``case`` (its ``start`` node is a StartHandle that links the artifact)."""
    return flow_class.start.run(case=case, actor=actor)


def process_of(case) -> Process:
    return Process.objects.get(
        artifact_content_type=ContentType.objects.get_for_model(type(case)), artifact_object_id=case.pk
    )


def pending_steps(case) -> list[str]:
    """Names of the flow nodes waiting for someone to act on this case."""
    tasks = Task.objects.filter(process=process_of(case), status__in=ACTIVE)
    return sorted(task.flow_task.name for task in tasks)


def _pending_task(process, node):
    return (
        Task.objects.select_for_update()
        .filter(process=process, flow_task=node, status__in=ACTIVE)
        .first()
    )


def _locked(case):
    """Lock the case's record, then the case row.

    One lock order for every writer: a record before what hangs on it, the audit chain last. The expiry sweep
    locks records and then appends to the audit chain; an action that appended (a status change) before it
    reached the record would wait for the sweep while the sweep waited for the chain — a deadlock.
    """
    model = type(case)
    record_id = getattr(case, "record_id", None)
    if record_id is not None:
        records = model._meta.get_field("record").related_model.objects
        list(records.select_for_update().filter(pk=record_id).values_list("pk", flat=True))
    return model.objects.select_for_update().get(pk=case.pk)


def _run(case, step, authorize, apply, *, complete: bool, actor):
    flow_class = case.flow_class
    node = getattr(flow_class, step)
    process = process_of(case)
    with transaction.atomic(), flow_class.lock(process.pk):
        locked = _locked(case)
        authorize(actor, locked)
        task = _pending_task(process, node)
        if task is None:
            raise InvalidTransition(
                _("案件 %(case_no)s 当前不在“%(step)s”环节。") % {"case_no": locked.case_no, "step": node.task_title}
            )
        result = apply(locked)
        if complete:
            activation = node.activation_class(task)
            if isinstance(node, View):
                if task.status == STATUS.NEW:
                    activation.assign(actor)
                activation.start(None)
            else:
                activation.run(None)
            activation.execute()
    case.refresh_from_db()
    return result


def complete_step(case, step: str, *, actor, authorize: Callable, apply: Callable[[Any], Any]):
    """Apply a domain change and complete the pending task ``step``; e.g. accept, approve."""
    return _run(case, step, authorize, apply, complete=True, actor=actor)


def act_in_step(case, step: str, *, actor, authorize: Callable, apply: Callable[[Any], Any]):
    """Apply a domain change that belongs to a pending step without completing it; e.g. an extension."""
    return _run(case, step, authorize, apply, complete=False, actor=actor)


def cancel(case, *, actor, authorize: Callable, apply: Callable[[Any], Any]):
    """End the case's process early (a withdrawal): cancel its active tasks, then apply the change."""
    process = process_of(case)
    with transaction.atomic(), case.flow_class.lock(process.pk):
        locked = _locked(case)
        authorize(actor, locked)
        process.refresh_from_db()
        if process.status != PROCESS.NEW:
            raise InvalidTransition(_("案件 %(case_no)s 已办结。") % {"case_no": locked.case_no})
        result = apply(locked)
        now = timezone.now()
        Task.objects.filter(process=process, status__in=ACTIVE).update(status=STATUS.CANCELED, finished=now)
        process.status, process.finished = PROCESS.CANCELED, now
        process.save(update_fields=["status", "finished"])
    case.refresh_from_db()
    return result
