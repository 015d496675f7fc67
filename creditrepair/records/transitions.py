"""The publication state machine of domain §2, as one table.

Each reason is an edge set: the states a record may leave for that reason and
the state it arrives in. Nothing else changes a record's publication state;
``creditrepair.records.services`` applies this table.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import PublicationStatus as S


class Reason(models.TextChoices):
    CREATED = "created", _("录入")
    GRACE_ENDED = "grace_ended", _("宽限期届满，开始公示")
    REPAIR = "repair", _("信用修复")
    REPAIR_REVOKED = "repair_revoked", _("撤销信用修复，恢复公示")
    EXPIRY = "expiry", _("最长公示期届满")
    OBJECTION_PERIOD_EXPIRED = "objection_expired", _("异议处理：公示期已满")
    OBJECTION_REMOVED = "objection_removed", _("异议处理：移出名单/撤除")
    COURT_SUSPENSION = "court_suspension", _("法院暂停信用惩戒")
    COURT_RESUMPTION = "court_resumption", _("法院恢复信用惩戒")
    COURT_DELETION = "court_deletion", _("法院删除失信信息")
    DECISION_REVOKED = "decision_revoked", _("原决定被撤销")


TRANSITIONS = {
    #  reason                         from                                              to
    Reason.GRACE_ENDED:              ({S.NOT_PUBLISHED},                                  S.PUBLISHED),
    Reason.REPAIR:                   ({S.PUBLISHED},                                      S.REPAIRED),
    Reason.REPAIR_REVOKED:           ({S.REPAIRED},                                       S.PUBLISHED),
    Reason.EXPIRY:                   ({S.PUBLISHED},                                      S.EXPIRED),
    Reason.OBJECTION_PERIOD_EXPIRED: ({S.PUBLISHED},                                      S.EXPIRED),
    Reason.OBJECTION_REMOVED:        ({S.PUBLISHED, S.NOT_PUBLISHED, S.SUSPENDED, S.REPAIRED, S.EXPIRED}, S.REMOVED),
    Reason.COURT_SUSPENSION:         ({S.PUBLISHED, S.NOT_PUBLISHED},                     S.SUSPENDED),
    Reason.COURT_RESUMPTION:         ({S.SUSPENDED},                                      S.PUBLISHED),
    Reason.COURT_DELETION:           ({S.PUBLISHED, S.NOT_PUBLISHED, S.SUSPENDED},        S.REMOVED),
    Reason.DECISION_REVOKED:         ({S.PUBLISHED, S.NOT_PUBLISHED, S.SUSPENDED, S.REPAIRED, S.EXPIRED}, S.REMOVED),
}

# Reasons that take a record out of publication; the rest put it (back) in.
STOPPING = frozenset(r for r, (_, to) in TRANSITIONS.items() if to != S.PUBLISHED)
RESUMING = frozenset(r for r, (_, to) in TRANSITIONS.items() if to == S.PUBLISHED)


def target_status(reason: str, current: str) -> str | None:
    """The state ``reason`` moves a record in ``current`` to, or None if the table forbids it."""
    sources, target = TRANSITIONS.get(reason, ((), None))
    return target if current in sources else None
