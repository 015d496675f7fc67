"""The columns of the record import file (documented in docs/import.md).

This is a file format, not interface text: the Chinese labels below are the
template's header cells and stay the same whatever the user's language, so
they are plain strings (messages that name them are translated).

A header cell is recognised by its machine key (``subject_code``), by its
Chinese label or one of its aliases (``统一社会信用代码``), or by both
separated by spaces or brackets, as in the template (``统一社会信用代码 subject_code``).
Choice values (subject type, category, severity) may be given as the machine
value (``admin_penalty``) or the Chinese label (``行政处罚信息``).
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        """The template's header cell: Chinese label first, then the machine key."""
        return f"{self.label} {self.key}"


COLUMNS = (
    Column("subject_code", "统一社会信用代码或身份证号", True, ("统一社会信用代码", "身份证号", "身份证号码", "主体代码")),
    Column("subject_name", "主体名称", True, ("名称",)),
    Column("subject_type", "主体类型", True),
    Column("category", "信息类别", True, ("类别", "记录类别")),
    Column("severity", "失信程度", True),
    Column("decision_no", "决定文书号", True, ("文书号",)),
    Column("decision_date", "决定日期", True),
    Column("summary", "失信行为摘要", True, ("摘要",)),
    Column("legal_basis", "法律依据", True),
    Column("obligations", "应履行义务", False),
    Column("jurisdiction", "行政区划代码", False),
    Column("sector", "领域", False),
    Column("grace_until", "宽限期至", False),
)

BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = tuple(c.key for c in COLUMNS if c.required)
# Text limits of the record and subject fields the columns land in.
MAX_LENGTHS = {"subject_name": 200, "decision_no": 100, "sector": 32}

_NAMES = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.label, *_column.aliases):
        _NAMES[_name.casefold()] = _column.key
_SPLIT = re.compile(r"[\s()（）\[\]【】/:：|]+")


def column_for_header(cell) -> str | None:
    """The machine key a header cell names, or None when it names no column."""
    text = str(cell or "").strip().lstrip("\ufeff").strip()
    if not text:
        return None
    key = _NAMES.get(text.casefold())
    if key:
        return key
    found = {_NAMES[token.casefold()] for token in _SPLIT.split(text) if token.casefold() in _NAMES}
    return found.pop() if len(found) == 1 else None
