"""With a real Celery worker: the decision notice is issued after the approval commits."""

import os
import time

import pytest

from creditrepair.documents.models import Document
from creditrepair.repairs import services

from tests.repairs.repairs_support import supply_materials


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_issues_the_notices_after_commit(ent_user, operator, dept_user, repairable_record, settings):
    if not settings.CELERY_BROKER_URL:
        reason = "celery_worker tests need CELERY_BROKER_URL and a running worker (make test-postgres)"
        pytest.fail(reason) if os.environ.get("CI") == "true" else pytest.skip(reason)
    case = services.repair_file(ent_user, repairable_record(), "已缴纳罚款")
    supply_materials(case, ent_user)
    services.repair_submit(ent_user, case)
    services.repair_accept(operator, case)
    services.repair_approve(dept_user, case, "同意修复")
    keys = {f"repair:{case.pk}:acceptance_notice", f"repair:{case.pk}:decision_notice"}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if Document.objects.filter(idempotency_key__in=keys).count() == len(keys):
            break
        time.sleep(0.5)
    issued = Document.objects.filter(idempotency_key__in=keys)
    assert issued.count() == 2, "the worker did not issue the notices"
    assert all(d.signed for d in issued)
