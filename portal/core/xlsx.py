"""Excel in and out: read uploads with python-calamine after structural checks, write files with xlsxwriter.

Reading refuses, before any row is looked at: an empty or too large file, something that is not an xlsx
(an old .xls, a CSV, a renamed PDF), a password-protected workbook, a corrupt one, one with formulas (we
take values as typed, never the result of a formula that could hide what is changed), and one with too
many rows. Writing neutralises text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from portal.domain.bulk import MAX_FILE_BYTES, MAX_ROWS, Column

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and the envelope of an encrypted xlsx
MAX_UNPACKED = 400 * 1024 * 1024  # a zip that unpacks to more than this is not a participant file
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")


class FileProblem(Exception):
    """A file that cannot be read as the expected workbook; ``key`` names the reason for the report."""

    def __init__(self, key: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.params = params or {}


def _check_structure(data: bytes) -> None:
    if not data:
        raise FileProblem("file_empty")
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem("file_too_large", {"limit_mb": MAX_FILE_BYTES // (1024 * 1024)})
    if data.startswith(OLE_MAGIC):
        encrypted = "EncryptedPackage".encode("utf-16-le") in data
        raise FileProblem("file_password" if encrypted else "file_not_xlsx")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem("file_not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                raise FileProblem("file_not_xlsx")
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
                raise FileProblem("file_too_large", {"limit_mb": MAX_FILE_BYTES // (1024 * 1024)})
            for name in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                xml = archive.read(name)
                if (b"<f" in xml or b":f" in xml) and _FORMULA.search(xml):  # a plain find first: fast
                    raise FileProblem("file_formulas")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise FileProblem("file_corrupt") from None


def read_rows(data: bytes) -> list[list[object]]:
    """The cells of the first worksheet as Python values (text, float/int, date/datetime, bool, '' empty),
    the header row included; FileProblem when the file cannot be taken as it is."""
    _check_structure(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise FileProblem("file_corrupt")
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except PasswordError:
        raise FileProblem("file_password") from None
    except FileProblem:
        raise
    except (CalamineError, ValueError, TypeError, OSError, RuntimeError):
        raise FileProblem("file_corrupt") from None
    except Exception:  # calamine raises its own classes for broken XML and zip entries
        raise FileProblem("file_corrupt") from None
    if len(rows) - 1 > MAX_ROWS:
        raise FileProblem("file_too_many_rows", {"limit": MAX_ROWS})
    if not rows:
        raise FileProblem("file_no_rows")
    return rows


def safe_text(value: str) -> str:
    """Text that a spreadsheet will show as text: a leading ``=``, ``+``, ``-``, ``@``, tab, CR or LF gets an
    apostrophe in front (no formula injection, CWE-1236)."""
    return "'" + value if value.startswith(_RISKY_START) else value


@dataclass
class Sheet:
    """A worksheet to write: a header row from ``columns`` (in ``language``), then ``rows``; ``editable``
    column keys stay unlocked in a protected sheet, ``kinds`` give a column's cell type (text, money, pct,
    date); ``extra`` adds a last column (e.g. the error messages of a report)."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]
    language: str = "nl"
    editable: frozenset[str] = frozenset()
    kinds: dict[str, str] = field(default_factory=dict)
    extra: str = ""
    widths: dict[str, int] = field(default_factory=dict)


def write_workbook(sheets: Sequence[Sheet], notes: Sequence[tuple[str, Sequence[str]]] = ()) -> bytes:
    """An xlsx in memory: the data sheets, then one sheet per ``(name, lines)`` of instructions."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#E8EAF6", "border": 1, "locked": True})
    locked = {
        "text": book.add_format({"locked": True}),
        "money": book.add_format({"locked": True, "num_format": "#,##0.00"}),
        "pct": book.add_format({"locked": True, "num_format": "0.000"}),
        "date": book.add_format({"locked": True, "num_format": "dd-mm-yyyy"}),
    }
    unlocked = {
        "text": book.add_format({"locked": False, "bg_color": "#FFF8E1"}),
        "money": book.add_format({"locked": False, "num_format": "#,##0.00", "bg_color": "#FFF8E1"}),
        "pct": book.add_format({"locked": False, "num_format": "0.000", "bg_color": "#FFF8E1"}),
        "date": book.add_format({"locked": False, "num_format": "dd-mm-yyyy", "bg_color": "#FFF8E1"}),
    }
    error_format = book.add_format({"font_color": "#B71C1C", "text_wrap": True})
    for spec in sheets:
        ws = book.add_worksheet(spec.name[:31])
        headers = [c.header(spec.language) for c in spec.columns] + ([spec.extra] if spec.extra else [])
        ws.write_row(0, 0, headers, head)
        ws.freeze_panes(1, 0)
        for i, column in enumerate(spec.columns):
            kind = spec.kinds.get(column.key, "text")
            fmt = (unlocked if column.key in spec.editable else locked)[kind]
            ws.set_column(i, i, spec.widths.get(column.key, max(14, len(headers[i]) + 2)), fmt)
        if spec.extra:
            ws.set_column(len(spec.columns), len(spec.columns), 60, error_format)
        for r, row in enumerate(spec.rows, start=1):
            for c, value in enumerate(row):
                _write_cell(ws, r, c, value, spec, locked, unlocked, error_format)
        if spec.editable:
            ws.protect("", {"format_columns": True, "sort": False, "autofilter": True})
    for name, lines in notes:
        ws = book.add_worksheet(name[:31])
        ws.set_column(0, 0, 110)
        for r, line in enumerate(lines):
            ws.write_string(r, 0, safe_text(line))
    book.close()
    return out.getvalue()


def _write_cell(ws: Any, r: int, c: int, value: object, spec: Sheet, locked: dict, unlocked: dict, err: Any) -> None:
    if c >= len(spec.columns):
        if value not in (None, ""):
            ws.write_string(r, c, safe_text(str(value)), err)
        return
    column = spec.columns[c]
    fmt = (unlocked if column.key in spec.editable else locked)[spec.kinds.get(column.key, "text")]
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "TRUE" if value else "FALSE", fmt)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value.replace(tzinfo=None), fmt)
    elif isinstance(value, date):
        ws.write_datetime(r, c, datetime(value.year, value.month, value.day), fmt)
    elif isinstance(value, (Decimal, int, float)):
        ws.write_number(r, c, float(value), fmt)
    else:
        ws.write_string(r, c, safe_text(str(value)), fmt)
