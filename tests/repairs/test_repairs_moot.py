"""docs/objections.md: an objection that removes the record or stops its publication closes an open repair case."""

import pytest
from viewflow.workflow.models import Process

from creditrepair.objections import services as objections
from creditrepair.repairs.models import RepairStatus
from creditrepair.repairs.services import repair_close_as_moot
from creditrepair.workflow.gateway import process_of
from creditrepair.workflow.models import Deadline


@pytest.mark.parametrize("outcome", ["removed", "publication_stopped"])
def test_an_objection_that_takes_the_record_out_of_publication_closes_the_open_repair_case(
    outcome, ent_user, operator, dept_user, repairable_record, walk
):
    record = repairable_record()
    repair = walk.submitted(ent_user, record)
    objection = objections.objection_file(actor=ent_user, record=record, grounds="error", statement="信息有误")
    objection = objections.objection_accept(objection, actor=operator)
    objections.objection_resolve(objection, actor=dept_user, outcome=outcome, reason="核实确有错误")

    repair.refresh_from_db()
    assert repair.status == RepairStatus.WITHDRAWN
    last = repair.history.order_by("id").last()
    assert last.to_status == RepairStatus.WITHDRAWN and last.actor is None
    assert last.actor_label == "system:objections" and objection.case_no in last.note
    assert process_of(repair).status == "CANCELED"
    assert not Deadline.objects.filter(case_no=repair.case_no, met_at__isnull=True).exists()


def test_closing_as_moot_leaves_a_decided_case_alone(ent_user, operator, dept_user, repairable_record, walk):
    case = walk.completed(ent_user, repairable_record(), operator, dept_user)
    assert repair_close_as_moot(case, note="—") is None
    case.refresh_from_db()
    assert case.status == RepairStatus.COMPLETED
    assert Process.objects.filter(pk=process_of(case).pk).exclude(status="CANCELED").exists()
