"""Abuse limits of the public pages: per-client request rates and the case-number enumeration guard.

Counters are fixed windows in Django's default cache, keyed on the client IP
(``audit.services.client_ip``: ``REMOTE_ADDR``, or the proxy's
``X-Forwarded-For`` entry when ``AUDIT_TRUST_X_FORWARDED_FOR`` is set). With
the default locmem cache each web process counts on its own; production sets
``CACHE_URL`` to Redis so every process shares the counters.

* :func:`page_rate_limited` — a view decorator: ``PUBLIC_PAGE_RATE`` requests
  per client, else the friendly 429 page.
* :func:`case_lookup_blocked` / :func:`case_lookup_failed` — failed case-status
  lookups (unknown case or wrong query code) count separately against
  ``PUBLIC_CASE_FAILURE_RATE``; once the limit is reached, *every* case lookup
  from that client answers 429 until the window ends. Page and API share it.
"""

import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render

from creditrepair.audit.services import client_ip

_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
            "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"120/min"`` → Rate(120, 60): a count, a slash and one period (s, min, hour or day)."""
    try:
        count, period = str(text).split("/", 1)
        return Rate(int(count), _PERIODS[period.strip().lower()])
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"Invalid rate {text!r}: use <count>/<s|min|hour|day>") from None


def _client(request) -> str:
    return client_ip(request) or "unknown"


def _window(rate: Rate, now: float) -> tuple[int, int]:
    """The current window's index and the seconds left in it."""
    index = int(now // rate.seconds)
    return index, rate.seconds - int(now - index * rate.seconds)


def _key(scope: str, client: str, index: int) -> str:
    return f"public-limit:{scope}:{client}:{index}"


def _hit(scope: str, client: str, rate: Rate) -> tuple[int, int]:
    """Count one event in the current window; returns (count so far, seconds left)."""
    index, left = _window(rate, time.time())
    key = _key(scope, client, index)
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    return count, left


def _count(scope: str, client: str, rate: Rate) -> tuple[int, int]:
    index, left = _window(rate, time.time())
    return cache.get(_key(scope, client, index), 0), left


def too_many_requests(request, retry_after: int):
    """The friendly 429 page (with ``Retry-After``)."""
    response = render(request, "portal/rate_limited.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(max(1, retry_after))
    return response


def page_rate_limited(view):
    """Limit a public page to ``settings.PUBLIC_PAGE_RATE`` requests per client IP; then answer 429."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        count, left = _hit("pages", _client(request), parse_rate(settings.PUBLIC_PAGE_RATE))
        if count > parse_rate(settings.PUBLIC_PAGE_RATE).limit:
            return too_many_requests(request, left)
        return view(request, *args, **kwargs)

    return wrapper


def case_lookup_blocked(request) -> int | None:
    """Seconds until this client may look cases up again, or None when it is not blocked."""
    rate = parse_rate(settings.PUBLIC_CASE_FAILURE_RATE)
    count, left = _count("case-failures", _client(request), rate)
    return left if count >= rate.limit else None


def case_lookup_failed(request) -> None:
    """Count one failed case lookup (unknown case or wrong query code) of this client."""
    _hit("case-failures", _client(request), parse_rate(settings.PUBLIC_CASE_FAILURE_RATE))
