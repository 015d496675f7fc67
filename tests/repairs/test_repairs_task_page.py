"""The task page behind RepairFlow's human steps acts through the services, for the right people only."""

import pytest
from viewflow.workflow.models import Task

from creditrepair.repairs.models import RepairStatus
from creditrepair.workflow.gateway import process_of

pytestmark = pytest.mark.urls("tests.repairs.repairs_flow_urls")


def task_url(case, step):
    process = process_of(case)
    task = Task.objects.get(process=process, flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])
    assert task.flow_task.name == step
    return task, f"/flows/repair/{process.pk}/{step}/{task.pk}/execute/"


def assign(task, user):
    task.owner, task.status = user, "ASSIGNED"
    task.save(update_fields=["owner", "status"])


def test_the_operator_accepts_and_the_department_approves_on_the_task_pages(client, ent_user, operator, dept_user,
                                                                           repairable_record, walk):
    case = walk.submitted(ent_user, repairable_record())
    task, url = task_url(case, "intake")
    assign(task, operator)
    client.force_login(operator)
    page = client.get(url)
    assert page.status_code == 200 and case.case_no in page.content.decode()
    assert client.post(url, {"action": "accept"}).status_code == 302
    case.refresh_from_db()
    assert case.status == RepairStatus.ACCEPTED

    task, url = task_url(case, "review")
    assign(task, dept_user)
    client.force_login(dept_user)
    refused = client.post(url, {"action": "approve", "reason": ""})  # a reason is required
    assert refused.status_code == 302
    case.refresh_from_db()
    assert case.status == RepairStatus.ACCEPTED
    client.post(url, {"action": "approve", "reason": "同意修复"})
    case.refresh_from_db()
    assert case.status == RepairStatus.COMPLETED


def test_the_operator_cannot_decide_on_the_review_page(client, ent_user, operator, repairable_record, walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    task, url = task_url(case, "review")
    assign(task, operator)
    client.force_login(operator)
    client.post(url, {"action": "approve", "reason": "同意"})
    case.refresh_from_db()
    assert case.status == RepairStatus.ACCEPTED


def test_another_department_gets_404_on_the_task_page(client, ent_user, operator, other_dept_user, repairable_record,
                                                     walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    task, url = task_url(case, "review")
    assign(task, other_dept_user)
    client.force_login(other_dept_user)
    assert client.get(url).status_code == 404
