"""Writing and verifying the audit chain.

Every state change and every read of non-public personal data calls
:func:`record_event` (or :func:`record_personal_data_read`) inside the same
transaction as the change, so a rolled-back change leaves no event.

Concurrency: on PostgreSQL, :func:`record_event` takes a transaction-level
advisory lock before reading the chain head, so appends from any number of
processes form one chain; the lock is held until the caller's transaction
ends. Record the event as the last step of the transaction, after the row
locks the caller needs, to keep that window short and the lock order fixed.
On SQLite, writes are already serialised (``transaction_mode=IMMEDIATE``).
"""

import json
import re
from dataclasses import dataclass
from ipaddress import IPv4Address

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from creditrepair.core.errors import InvalidInput

from . import hashing
from .models import AuditEvent

# Key of the PostgreSQL advisory lock that serialises appends ("AUDITCHN").
CHAIN_LOCK_KEY = 0x4155444954434854

PERSONAL_DATA_READ = "personal_data.read"

_ACTION_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class ChainReport:
    """Result of :func:`verify_chain`.

    ``checked`` counts the events found intact, in id order, before the first
    broken one (all of them when ``ok``).
    """

    ok: bool
    checked: int
    first_broken_id: int | None
    reason: str


def _normalise_ip(value):
    """The form the database will give back, or ``None`` if not an IP address."""
    if not value:
        return None
    value = str(value).strip()
    try:
        if ":" in value:
            return clean_ipv6_address(value)
        return str(IPv4Address(value))
    except (ValidationError, ValueError):
        return None


def _normalise_data(data):
    """Round-trip ``data`` through canonical JSON so what is hashed is what is stored.

    Floats are refused: PostgreSQL's jsonb may give them back as integers
    (``1e16``), which would change the hash. Use ``Decimal`` or strings.
    """
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidInput(_("审计内容必须是字典。"))
    try:
        text = hashing.canonical_json(data)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("审计内容无法序列化：%(error)s") % {"error": exc}) from exc
    normalised = json.loads(text)
    if _contains_float(normalised):
        raise InvalidInput(_("审计内容不接受浮点数，请使用 Decimal 或字符串。"))
    return normalised


def _contains_float(value):
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_contains_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_float(v) for v in value)
    return False


def _check_length(field_name, value):
    limit = AuditEvent._meta.get_field(field_name).max_length
    if len(value) > limit:
        raise InvalidInput(
            _("审计字段 %(field)s 超过 %(limit)d 个字符。") % {"field": field_name, "limit": limit},
            details={field_name: [gettext("过长。")]},
        )


def _resolve_target(target, target_type, target_id):
    if target is None:
        return target_type or "", "" if target_id is None else str(target_id)
    if target_type is not None or target_id is not None:
        raise InvalidInput(_("target 与 target_type/target_id 只能二选一。"))
    if not isinstance(target, models.Model) or target.pk is None:
        raise InvalidInput(_("审计对象必须是已保存的模型实例。"))
    return f"{target._meta.app_label}.{target._meta.model_name}", str(target.pk)


def record_event(
    action: str,
    *,
    actor=None,
    actor_label: str | None = None,
    target=None,
    target_type: str | None = None,
    target_id: str | None = None,
    subject_code: str = "",
    authority: str = "",
    data: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    ``action`` is a dotted code (``record.published``). ``target`` may be a
    saved model instance (stored as ``"<app_label>.<model_name>"`` and its pk)
    or be given as ``target_type``/``target_id``. ``actor`` is a user, or
    ``None`` for system jobs, which then pass ``actor_label="system:<job>"``.
    ``data`` must be JSON-serialisable (datetimes, dates, Decimals and UUIDs
    are converted to strings; floats are refused).
    """
    if not isinstance(action, str) or not _ACTION_RE.match(action):
        raise InvalidInput(_("审计动作代码无效：%(action)s") % {"action": action})
    if actor is not None and getattr(actor, "pk", None) is None:
        raise InvalidInput(_("操作人必须是已保存的用户。"))
    if actor_label is None:
        if actor is None:
            raise InvalidInput(_("系统任务须给出操作人标识，例如 system:<任务名>。"))
        actor_label = actor.get_username()
    if not actor_label:
        raise InvalidInput(_("操作人标识不能为空。"))
    target_type, target_id = _resolve_target(target, target_type, target_id)
    fields = {
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "subject_code": subject_code or "",
        "authority": authority or "",
    }
    for name, value in fields.items():
        _check_length(name, value)
    normalised_ip = _normalise_ip(ip)
    if ip and normalised_ip is None:
        raise InvalidInput(_("IP 地址无效：%(ip)s") % {"ip": ip})
    event = AuditEvent(actor=actor, data=_normalise_data(data), ip=normalised_ip, **fields)

    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    with transaction.atomic(using=alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        head = AuditEvent.objects.using(alias).order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = head or hashing.GENESIS_HASH
        # Taken under the lock, so timestamps follow chain order (given one clock).
        event.at = timezone.now()
        event.hash = event.compute_hash()
        event.save(using=alias)
    return event


def record_personal_data_read(
    *, actor, subject_code: str, authority: str, target=None, ip=None, purpose: str = ""
) -> AuditEvent:
    """Log a read of non-public personal data: who, when, which subject, on what authority."""
    if actor is None:
        raise InvalidInput(_("读取个人信息必须记录操作人。"))
    if not subject_code:
        raise InvalidInput(_("读取个人信息必须记录信用主体。"))
    if not authority:
        raise InvalidInput(_("读取个人信息必须记录依据。"))
    return record_event(
        PERSONAL_DATA_READ,
        actor=actor,
        target=target,
        subject_code=subject_code,
        authority=authority,
        data={"purpose": purpose},
        ip=ip,
    )


def client_ip(request) -> str | None:
    """The client's address for the log.

    ``REMOTE_ADDR`` unless ``settings.AUDIT_TRUST_X_FORWARDED_FOR`` is True;
    then the right-most valid address of ``X-Forwarded-For`` (the one our own
    reverse proxy appended — left-most entries are supplied by the client and
    can be forged). Invalid values give ``None``.
    """
    meta = request.META
    if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        for candidate in reversed([part.strip() for part in forwarded.split(",")]):
            address = _normalise_ip(candidate)
            if address:
                return address
    return _normalise_ip(meta.get("REMOTE_ADDR"))


def verify_chain(*, batch_size: int = 5000) -> ChainReport:
    """Walk the log in id order, in batches, and report the first broken link.

    Each event must hash to its stored ``hash`` (else its content was edited)
    and its ``prev_hash`` must equal the previous event's hash (else an event
    was deleted, inserted or moved). The first event must start from the
    genesis hash (64 zeros).
    """
    if batch_size < 1:
        raise InvalidInput(_("batch_size 必须为正整数。"))
    alias = router.db_for_read(AuditEvent)
    expected_prev = hashing.GENESIS_HASH
    last_id = 0
    checked = 0
    while True:
        batch = list(AuditEvent.objects.using(alias).filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return ChainReport(ok=True, checked=checked, first_broken_id=None, reason="")
        for event in batch:
            if event.prev_hash != expected_prev:
                if expected_prev == hashing.GENESIS_HASH:
                    reason = gettext("第一条事件不是链的起点（之前的事件被删除）。")
                else:
                    reason = gettext("前一事件哈希不符：之前的事件被删除、插入或调换。")
                return ChainReport(ok=False, checked=checked, first_broken_id=event.id, reason=reason)
            if event.compute_hash() != event.hash:
                reason = gettext("内容哈希不符：事件内容被篡改。")
                return ChainReport(ok=False, checked=checked, first_broken_id=event.id, reason=reason)
            expected_prev = event.hash
            checked += 1
        if len(batch) < batch_size:
            return ChainReport(ok=True, checked=checked, first_broken_id=None, reason="")
        last_id = batch[-1].id
