"""Concurrency on PostgreSQL: simultaneous requests on one case or record have exactly one effect.

Each race lines the contenders up on a ``threading.Barrier`` and fires them at once, through the API
(so the loser's answer is checked too: a clean 409 with the contract's envelope, never a 500) or, for
the nightly sweep, through its service. After the race: one status change, one publication-history row,
one set of partner notices.
"""

import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from creditrepair.objections.models import Objection
from creditrepair.records.models import PartnerNotice, PublicationHistory, Record
from creditrepair.records.services import stop_expired_publications

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*calls, timeout=60):
    """Run ``calls`` at the same moment, each in its own thread with its own connection; return their results."""
    barrier = threading.Barrier(len(calls), timeout=timeout)
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001  (reported to the test, never swallowed)
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a contender is still blocked (deadlock?)"
    return results


def post(user, url, data=None):
    """A call that POSTs as ``user`` with its own client and returns (status, body)."""

    def call():
        client = APIClient()
        client.force_authenticate(user)
        response = client.post(url, data or {}, format="json")
        return response.status_code, response.json()

    return call


def assert_clean_conflict(result):
    status, body = result
    assert status == 409, (status, body)
    assert set(body) == {"code", "message", "details"} and body["code"] in {"invalid_transition", "duplicate_case"}


def one_winner(results):
    for result in results:
        assert not isinstance(result, BaseException), result
    statuses = sorted(status for status, _body in results)
    assert statuses[0] < 300 and statuses[1] == 409, results
    winner = next(r for r in results if r[0] < 300)
    loser = next(r for r in results if r[0] == 409)
    assert_clean_conflict(loser)
    return winner


def test_two_staff_approving_one_case_at_once_stop_publication_once(
        ent_user, operator, dept_user, repairable_record, walk, partners):
    from tests.factories import department_user

    colleague = department_user(dept_user.department)
    record = repairable_record()
    case = walk.accepted(ent_user, record, operator)
    url = f"/api/v1/repairs/{case.pk}/approve"
    one_winner(race(post(dept_user, url, {"reason": "同意"}), post(colleague, url, {"reason": "同意"})))

    case.refresh_from_db()
    assert case.status == "completed"
    assert case.history.filter(to_status="approved").count() == 1
    assert PublicationHistory.objects.filter(record=record, reason="repair").count() == 1
    assert PartnerNotice.objects.filter(record=record).count() == len(partners)
    assert Record.objects.get(pk=record.pk).status == "repaired"


def test_an_approval_racing_a_withdrawal_has_exactly_one_outcome(
        ent_user, operator, dept_user, repairable_record, walk, partners):
    record = repairable_record()
    case = walk.accepted(ent_user, record, operator)
    winner = one_winner(race(post(dept_user, f"/api/v1/repairs/{case.pk}/approve", {"reason": "同意"}),
                             post(ent_user, f"/api/v1/repairs/{case.pk}/withdraw")))

    case.refresh_from_db()
    record.refresh_from_db()
    if case.status == "withdrawn":
        assert winner[1]["status"] == "withdrawn"
        assert not PublicationHistory.objects.filter(record=record, reason="repair").exists()
        assert not PartnerNotice.objects.filter(record=record).exists()
        assert record.status == "published"
    else:
        assert case.status == "completed"
        assert PublicationHistory.objects.filter(record=record, reason="repair").count() == 1
        assert PartnerNotice.objects.filter(record=record).count() == len(partners)
        assert record.status == "repaired"
        assert not case.history.filter(to_status="withdrawn").exists()


def test_two_objections_on_one_record_at_once_make_one_case(ent_user, dept_user, make_record, operator):
    record = make_record(dept_user, ent_user.subject)
    body = {"record": record.pk, "grounds": "error", "statement": "决定文书号有误"}
    one_winner(race(post(ent_user, "/api/v1/objections", body), post(ent_user, "/api/v1/objections", body)))

    assert Objection.objects.filter(record=record).count() == 1
    assert Record.objects.get(pk=record.pk).objection_pending is True


def test_the_expiry_sweep_racing_an_approval_stops_publication_once(
        ent_user, operator, dept_user, repairable_record, walk, partners):
    record = repairable_record()
    case = walk.accepted(ent_user, record, operator)
    Record.objects.filter(pk=record.pk).update(max_until=timezone.localdate())  # expires today
    sweep, approval = race(stop_expired_publications,
                           post(dept_user, f"/api/v1/repairs/{case.pk}/approve", {"reason": "同意"}))

    assert not isinstance(sweep, BaseException), sweep
    assert not isinstance(approval, BaseException), approval
    record.refresh_from_db()
    case.refresh_from_db()
    history = PublicationHistory.objects.filter(record=record).exclude(reason="created")
    assert history.count() == 1
    assert PartnerNotice.objects.filter(record=record).count() == len(partners)
    if record.status == "expired":  # the sweep won: the approval is refused cleanly, the case still open
        assert sweep.records == 1
        assert_clean_conflict(approval)
        assert case.status in ("accepted", "under_review")
    else:  # the approval won: the sweep found nothing left to stop
        assert record.status == "repaired" and approval[0] == 200
        assert sweep.records == 0
        assert case.status == "completed"


def test_an_action_holds_its_record_before_it_touches_the_case_or_the_audit_chain(
        ent_user, operator, repairable_record, walk):
    """The lock order that keeps the sweep and the actions deadlock-free: record, then case, then audit chain.

    While an action is inside the gateway (its domain change not yet applied), another connection can no
    longer lock the record — so the action can never append to the audit chain first and wait for a record
    that the sweep holds.
    """
    from django.db import transaction
    from django.db.utils import OperationalError

    from creditrepair.workflow import gateway

    record = repairable_record()
    case = walk.submitted(ent_user, record)
    inside, done = threading.Event(), threading.Event()

    def apply(locked):
        inside.set()
        assert done.wait(30)
        return locked

    def act():
        return gateway.act_in_step(case, "intake", actor=operator, authorize=lambda user, locked: None, apply=apply)

    def probe():
        assert inside.wait(30)
        try:
            with transaction.atomic():
                list(Record.objects.select_for_update(nowait=True).filter(pk=record.pk))
            return "free"
        except OperationalError:
            return "locked"
        finally:
            done.set()

    acted, probed = race(act, probe)
    assert not isinstance(acted, BaseException), acted
    assert probed == "locked"
