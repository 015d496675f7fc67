"""Filters for the document templates: Chinese official date and money formats.

They accept ``date``/``datetime`` objects and ISO strings alike, so a document
can be re-rendered from the JSON context stored on its row.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

register = template.Library()


def _as_datetime_or_date(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value
    if isinstance(value, str) and value:
        return parse_datetime(value) or parse_date(value)
    return None


@register.filter
def cn_date(value):
    """``2026年5月8日``; local date for aware datetimes; '' for empty values."""
    parsed = _as_datetime_or_date(value)
    if parsed is None:
        return value or ""
    if isinstance(parsed, datetime.datetime):
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        parsed = parsed.date()
    return f"{parsed.year}年{parsed.month}月{parsed.day}日"


@register.filter
def cn_datetime(value):
    """``2026年5月8日 14:03`` in local time."""
    parsed = _as_datetime_or_date(value)
    if parsed is None:
        return value or ""
    if not isinstance(parsed, datetime.datetime):
        return cn_date(parsed)
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return f"{parsed.year}年{parsed.month}月{parsed.day}日 {parsed:%H:%M}"


@register.filter
def yuan(value):
    """``12,345.00 元`` from a number or numeric string."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return value
    return f"{amount:,.2f} 元"


@register.filter
def seal_arc(text, span=210):
    """Characters of ``text`` with their angles (``"-60.00"``...) along a seal's upper arc."""
    chars = [char for char in str(text or "") if not char.isspace()]
    if not chars:
        return []
    step = min(42.0, float(span) / (len(chars) - 1)) if len(chars) > 1 else 0.0
    first = -step * (len(chars) - 1) / 2
    return [(char, f"{first + index * step:.2f}") for index, char in enumerate(chars)]
