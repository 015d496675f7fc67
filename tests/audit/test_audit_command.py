"""manage.py verify_audit_chain: exit status 0 when intact, 1 at the first broken link."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from creditrepair.audit.services import record_event

pytestmark = pytest.mark.django_db


def test_an_intact_chain_reports_ok_and_exits_zero(user):
    for _ in range(3):
        record_event("record.published", actor=user)
    out = StringIO()
    with translation.override("zh-hans"):
        call_command("verify_audit_chain", stdout=out)
    assert "审计链完整：已校验 3 条事件" in out.getvalue()


def test_a_broken_chain_reports_the_event_and_exits_one(user, tamper):
    events = [record_event("record.published", actor=user, data={"n": n}) for n in range(3)]
    tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": 9}', events[1].id])
    err = StringIO()
    with translation.override("zh-hans"), pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit_chain", "--batch-size", "2", stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert f"审计链断裂：事件 #{events[1].id}：" in err.getvalue()


def test_the_messages_are_translated_to_english(user):
    record_event("record.published", actor=user)
    out = StringIO()
    with translation.override("en"):
        call_command("verify_audit_chain", stdout=out)
    assert "OK: 1 events verified" in out.getvalue()
