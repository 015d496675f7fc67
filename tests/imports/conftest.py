"""Fixtures of the import tests: rows of valid records and files (CSV in several encodings, XLSX) made of them."""

import csv
import datetime as dt
import io
import itertools

import pytest

from creditrepair.imports.columns import COLUMNS
from tests import factories

_serial = itertools.count(1)


def record_row(**overrides):
    """One valid row of an administrative penalty (keys are the machine column keys)."""
    n = next(_serial)
    row = {
        "subject_code": factories.valid_uscc(),
        "subject_name": f"雅安导入测试{n}有限公司",
        "subject_type": "法人",
        "category": "行政处罚信息",
        "severity": "一般",
        "decision_no": f"雅市监罚〔2026〕导{n:04d}号",
        "decision_date": (dt.date.today() - dt.timedelta(days=120)).isoformat(),
        "summary": "未按规定公示年度报告",
        "legal_basis": "《企业信息公示暂行条例》第八条",
        "obligations": "补报年度报告",
        "jurisdiction": "",
        "sector": "",
        "grace_until": "",
    }
    row.update(overrides)
    return row


def court_row(**overrides):
    person = factories.valid_resident_id()
    return record_row(**{
        "subject_code": person, "subject_name": "王导入", "subject_type": "自然人", "category": "失信被执行人",
        "severity": "严重", "decision_no": f"（2026）川18执{next(_serial)}号", "legal_basis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条",
        **overrides,
    })


def headers(style="bilingual"):
    if style == "key":
        return [c.key for c in COLUMNS]
    if style == "label":
        return [c.label for c in COLUMNS]
    return [c.header for c in COLUMNS]


def csv_bytes(rows, *, encoding="utf-8-sig", style="bilingual"):
    """A CSV file as Excel writes it: UTF-8 with BOM by default, or ``gb18030`` / plain ``utf-8``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers(style))
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, style="bilingual", dates_as_cells=False):
    """An XLSX workbook with the rows on its first sheet (dates as real date cells if asked)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers(style))
    for row in rows:
        values = []
        for c in COLUMNS:
            value = row.get(c.key, "") or None
            if dates_as_cells and c.key in ("decision_date", "grace_until") and value:
                value = dt.date.fromisoformat(value)
            values.append(value)
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_at(report_or_errors):
    """The (row, field) pairs of an error list or report."""
    errors = getattr(report_or_errors, "errors", report_or_errors)
    return [(e["row"], e["field"]) for e in errors]


@pytest.fixture
def court_user(db):
    return factories.court_user()
