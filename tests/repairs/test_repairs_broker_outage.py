"""A broker that is down when a repair case's notice is handed to Celery after commit: the action still succeeds,
and the beat's catch-up (``repairs.tasks.catch_up``) issues the notice the case's state requires, once."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from creditrepair.documents.models import Document
from creditrepair.repairs import services
from creditrepair.repairs.models import RepairCase
from creditrepair.repairs.tasks import catch_up

pytestmark = pytest.mark.django_db


def issued(case, kind):
    return Document.objects.filter(case_no=case.case_no, kind=kind).count()


@pytest.fixture
def while_broker_down(broker_down, django_capture_on_commit_callbacks, caplog):
    """``while_broker_down(fn, *args)``: run an action while the broker is down; its after-commit message is lost."""

    def run(fn, *args):
        with broker_down(), django_capture_on_commit_callbacks(execute=True) as handed_over:
            result = fn(*args)
        assert handed_over and "Connection refused" in caplog.text  # the message never reached a broker
        return result

    return run


def test_a_case_accepted_while_the_broker_is_down_is_accepted_and_the_catch_up_issues_its_acceptance_notice_once(
        api, ent_user, operator, repairable_record, walk, while_broker_down, time_machine_days):
    case = walk.submitted(ent_user, repairable_record())
    response = while_broker_down(api.as_user(operator).post, f"/api/v1/repairs/{case.pk}/accept")
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == "accepted" and issued(case, "acceptance_notice") == 0

    assert catch_up.delay().get() == {"documents": 0}  # just committed: not taken as lost yet
    with time_machine_days(1):  # the broker is back; the beat's next run
        assert catch_up.delay().get() == {"documents": 1}
    assert issued(case, "acceptance_notice") == 1
    with time_machine_days(1):
        assert catch_up.delay().get() == {"documents": 0}  # issued once; the case is no longer marked
    assert issued(case, "acceptance_notice") == 1
    case.refresh_from_db()
    assert case.documents_due_at is None


def test_a_case_approved_while_the_broker_is_down_is_completed_and_the_catch_up_issues_its_decision_notice_once(
        ent_user, operator, dept_user, repairable_record, walk, while_broker_down, time_machine_days):
    case = walk.accepted(ent_user, repairable_record(), operator)
    while_broker_down(services.repair_approve, dept_user, case, "整改到位，同意修复")
    case.refresh_from_db()
    assert case.status == "completed" and issued(case, "decision_notice") == 0

    with time_machine_days(1):
        assert catch_up.delay().get() == {"documents": 1}
        assert catch_up.delay().get() == {"documents": 0}
    assert issued(case, "decision_notice") == 1 and issued(case, "acceptance_notice") == 1
    notice = Document.objects.get(case_no=case.case_no, kind="decision_notice")
    assert notice.context["outcome"] == "approved" and notice.signed


def test_what_a_case_is_owed_follows_its_history_an_accepted_case_withdrawn_meanwhile_keeps_its_acceptance_notice(
        ent_user, operator, repairable_record, walk, while_broker_down, time_machine_days):
    case = walk.submitted(ent_user, repairable_record())
    while_broker_down(services.repair_accept, operator, case)
    services.repair_withdraw(ent_user, case)
    case.refresh_from_db()
    assert case.status == "withdrawn" and issued(case, "acceptance_notice") == 0

    with time_machine_days(1):
        assert catch_up.delay().get() == {"documents": 1}
    assert issued(case, "acceptance_notice") == 1 and issued(case, "decision_notice") == 0


def test_a_refusal_while_the_broker_is_down_gets_its_refusal_notice_from_the_catch_up(
        ent_user, operator, repairable_record, walk, while_broker_down, time_machine_days):
    case = walk.submitted(ent_user, repairable_record())
    while_broker_down(services.repair_refuse, operator, case, "材料与原件不符")

    with time_machine_days(1):
        assert catch_up.delay().get() == {"documents": 1}
    assert issued(case, "refusal_notice") == 1 and issued(case, "acceptance_notice") == 0


def test_the_catch_up_reads_only_marked_cases_and_in_a_constant_number_of_queries(
        ent_user, operator, repairable_record, walk):
    cases = [walk.accepted(ent_user, repairable_record(), operator) for _ in range(4)]  # notices issued at once
    assert all(issued(case, "acceptance_notice") == 1 for case in cases)
    marked = RepairCase.objects.filter(documents_due_at__isnull=False)
    assert marked.count() == 4  # each stays marked until the catch-up has seen its notices
    long_ago = timezone.now() - dt.timedelta(hours=1)

    def sweep(case_ids):
        RepairCase.objects.filter(pk__in=case_ids).update(documents_due_at=long_ago)
        with CaptureQueriesContext(connection) as queries:
            assert catch_up() == {"documents": 0}
        return len(queries)

    assert sweep([cases[0].pk]) == sweep([case.pk for case in cases[1:]])  # set-based: not a query per case
    assert not marked.exists()
    RepairCase.objects.filter(pk=cases[0].pk).update(documents_due_at=timezone.now())  # a newer action
    catch_up()
    assert list(marked.values_list("pk", flat=True)) == [cases[0].pk]  # not before LOST_AFTER


@pytest.fixture
def broker_without_worker():
    """``with broker_without_worker():`` the web process's Celery app queues into an in-memory broker that no worker
    reads: a document queued there is never issued, as when every issuing of it fails."""
    from creditrepair.celery import app
    from tests.celery_support import web_app_on

    return lambda: web_app_on(app, "memory://")


def test_a_document_still_missing_after_the_last_allowed_catch_up_is_left_to_the_operator_who_requeues_it(
        client, ent_user, operator, repairable_record, walk, while_broker_down, broker_without_worker,
        time_machine_days, settings, caplog):
    from creditrepair.audit.models import AuditEvent
    from tests import factories

    settings.DOCUMENT_CATCH_UP_MAX_RUNS = 3
    case = walk.submitted(ent_user, repairable_record())
    while_broker_down(services.repair_accept, operator, case)
    with time_machine_days(1), broker_without_worker():
        assert [catch_up() for _ in range(4)] == [{"documents": 1}] * 3 + [{"documents": 0}]  # then it stops
    case.refresh_from_db()
    assert case.documents_due_at is not None and case.documents_catch_ups == 3  # still owed, not forgotten
    assert f"Case {case.case_no} is still owed a document after 3 catch-up runs" in caplog.text

    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    stuck = client.get("/admin/repairs/repaircase/", {"documents": "stuck"})
    assert stuck.status_code == 200 and case.case_no in stuck.content.decode()
    answer = client.post("/admin/repairs/repaircase/", {"action": "requeue_stuck_documents",
                                                       "_selected_action": [case.pk]}, follow=True)
    assert "1 个案件将由下一次巡检重新出具文书" in answer.content.decode()
    assert AuditEvent.objects.filter(action="repaircase.documents_requeued", target_id=str(case.pk)).exists()
    assert case.case_no not in client.get("/admin/repairs/repaircase/", {"documents": "stuck"}).content.decode()

    with time_machine_days(1):  # the cause mended: the next run issues it
        assert catch_up.delay().get() == {"documents": 1}
    assert issued(case, "acceptance_notice") == 1


def test_a_new_action_on_a_case_gives_its_documents_a_new_round_of_catch_ups(
        ent_user, operator, dept_user, repairable_record, walk, while_broker_down, broker_without_worker,
        time_machine_days, settings):
    settings.DOCUMENT_CATCH_UP_MAX_RUNS = 2
    case = walk.submitted(ent_user, repairable_record())
    while_broker_down(services.repair_accept, operator, case)
    with time_machine_days(1), broker_without_worker():
        catch_up(), catch_up()
    case.refresh_from_db()
    assert case.documents_catch_ups == 2
    while_broker_down(services.repair_approve, dept_user, case, "整改到位，同意修复")
    case.refresh_from_db()
    assert case.documents_catch_ups == 0
    with time_machine_days(1):
        assert catch_up.delay().get() == {"documents": 2}  # the acceptance and the decision notice


@pytest.mark.django_db(transaction=True)
def test_cases_filed_before_cases_were_marked_are_marked_once_for_the_catch_up_by_the_migration(
        ent_user, repairable_record, walk):
    from django.db.migrations.executor import MigrationExecutor

    submitted, draft = walk.submitted(ent_user, repairable_record()), services.repair_file(
        ent_user, repairable_record(), "已履行")
    RepairCase.objects.update(documents_due_at=None)  # as filed before 0002 added the mark

    def migrate(target):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("repairs", target)])

    migrate("0002_documents_due")
    migrate("0003_documents_catch_ups")
    assert set(RepairCase.objects.filter(documents_due_at__isnull=False).values_list("pk", flat=True)) == {
        submitted.pk}  # a draft is owed nothing
