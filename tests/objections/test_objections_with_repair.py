"""docs/objections.md: a repair and an objection on the same record may coexist."""

import datetime as dt

from creditrepair.objections import services
from creditrepair.records.services import record_obligations_fulfilled


def test_an_objection_may_be_filed_and_resolved_while_a_repair_case_is_open(
    make_record, dept_user, enterprise, ent_user, operator
):
    from creditrepair.repairs.services import repair_file

    record = make_record(dept_user, enterprise, decided=dt.date.today() - dt.timedelta(days=150))
    record_obligations_fulfilled(record, actor=dept_user, fulfilled_on=dt.date.today() - dt.timedelta(days=10),
                                 evidence="罚款已缴清")
    repair = repair_file(ent_user, record, "已整改完毕，申请信用修复")
    case = services.objection_file(actor=ent_user, record=record, grounds="error", statement="摘要有误")
    record.refresh_from_db()
    assert record.objection_pending is True
    case = services.objection_accept(case, actor=operator)
    case = services.objection_resolve(case, actor=dept_user, outcome="corrected", reason="摘要有误",
                                      corrections={"summary": "更正后的摘要"})
    record.refresh_from_db()
    repair.refresh_from_db()
    assert case.status == "resolved" and record.summary == "更正后的摘要" and record.status == "published"
    assert repair.status == "draft"  # the repair case is untouched by a correcting outcome
