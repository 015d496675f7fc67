"""Reading an import file (CSV or XLSX) into numbered rows keyed by column.

The format is decided from the content, never from the file name: an XLSX
file is a ZIP package; a CSV file is text without NUL bytes, in UTF-8 (with or
without a byte-order mark) or GB18030 (what Chinese Excel writes as "CSV").
Rows are numbered as a spreadsheet shows them, the header being row 1; blank
rows are skipped but keep their numbers.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from creditrepair.core.errors import FileRejected

from .columns import BY_KEY, REQUIRED, column_for_header

CSV, XLSX = "csv", "xlsx"
DEFAULT_MAX_ROWS = 20_000
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls


@dataclass(frozen=True)
class Row:
    """One data row: its number in the file (header = 1) and its raw cell values by machine key."""

    number: int
    values: dict


@dataclass
class Table:
    format: str
    rows: list[Row] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    columns: frozenset = frozenset()  # the machine keys the header names


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def error(row, field_name, message) -> dict:
    """One entry of an error report."""
    return {"row": row, "field": field_name, "message": str(message)}


def detect_format(data: bytes) -> str:
    """``"csv"`` or ``"xlsx"`` from the file's content; raises ``FileRejected`` (415) otherwise."""
    if not data:
        raise FileRejected(_("文件为空。"))
    if data.startswith(_ZIP):
        return XLSX
    if data.startswith(_OLE2):
        raise FileRejected(_("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后上传。"))
    if b"\x00" in data[:65536]:
        raise FileRejected(_("仅接受 CSV 或 Excel（.xlsx）文件（按文件内容识别）。"))
    return CSV


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 with or without BOM, else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8",)
        data = data[len(codecs.BOM_UTF8):]
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GB18030（GBK）编码。"))


def _csv_records(data: bytes):
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise FileRejected(_("CSV 文件格式错误（第 %(line)d 行附近）：%(error)s") % {
            "line": reader.line_num, "error": exc}) from None


def _xlsx_records(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, openpyxl and lxml each raise their own errors on a damaged package
        raise FileRejected(_("无法读取该 Excel 文件，请确认是 .xlsx 格式：%(error)s") % {"error": exc}) from None
    try:
        if not workbook.worksheets:
            raise FileRejected(_("Excel 文件中没有工作表。"))
        sheet = workbook.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=sheet.min_row or 1)
    finally:
        workbook.close()


def _blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def read_table(data: bytes) -> Table:
    """Rows of the file keyed by machine key, with header problems as row-1 errors.

    Raises ``FileRejected`` when the file is neither CSV nor XLSX or cannot be read at all.
    """
    fmt = detect_format(data)
    records = _csv_records(data) if fmt == CSV else _xlsx_records(data)
    table = Table(format=fmt)
    limit = max_rows()
    keys = None
    for number, cells in records:
        cells = list(cells)
        if _blank(cells):
            continue
        if keys is None:
            keys = _header(cells, number, table.errors)
            table.columns = frozenset(k for k in keys if k)
            continue
        if len(table.rows) >= limit:
            table.errors.append(error(number, "", _("文件超过 %(limit)d 行数据的上限，请拆分后分批导入。") % {"limit": limit}))
            break
        values = {}
        for index, key in enumerate(keys):
            if key is not None:
                values[key] = cells[index] if index < len(cells) else None
        table.rows.append(Row(number, values))
    if keys is None:
        table.errors.append(error(1, "", _("文件没有表头行。")))
    elif not table.rows and not table.errors:
        table.errors.append(error(2, "", _("文件没有数据行。")))
    return table


def _header(cells, number, errors) -> list:
    keys = []
    seen = {}
    for index, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        if not text:
            keys.append(None)
            continue
        key = column_for_header(text)
        if key is None:
            errors.append(error(number, text, _("无法识别的列“%(header)s”，请使用模板中的列名。") % {"header": text}))
        elif key in seen:
            errors.append(error(number, key, _("列“%(header)s”重复（第 %(first)d 列已有）。") % {
                "header": text, "first": seen[key] + 1}))
            key = None
        else:
            seen[key] = index
        keys.append(key)
    for key in REQUIRED:
        if key not in seen:
            errors.append(error(number, key, _("缺少必填列“%(label)s”（%(key)s）。") % {
                "label": BY_KEY[key].label, "key": key}))
    return keys
