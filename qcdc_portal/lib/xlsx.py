"""Reading an uploaded .xlsx defensively, and parsing its cells (no domain words).

Shared by every bulk import (units/imports.py, dialogues/imports.py). The bytes are checked
before any XML is parsed: size cap, ZIP magic, no macros, no embedded objects or external
links, zip-bomb check. The workbook is then opened with openpyxl (which parses through
defusedxml) in read-only mode with ``data_only=False``, so a formula is seen as one and
refused, never silently replaced by the value Excel cached; nothing is ever evaluated.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Protocol

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from qcdc_portal.lib.text import fold

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 1000
MAX_ROWS = 5000
MAX_COLUMNS = 50
# Blank rows are skipped, but a sheet whose data sits a million rows down is refused
# rather than walked (openpyxl fills gaps with empty rows; the declared dimension is ignored).
MAX_SCAN_ROWS = MAX_ROWS * 4
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_HINT = "dd/mm/yyyy"


class CellError(Exception):
    """A cell that cannot be read as its column expects (message already in Vietnamese)."""


class Problem(NamedTuple):
    """One problem in a sheet: the Excel row (None for the whole file), the column title, the message."""

    row: int | None
    column: str
    message: str


class SheetColumn(Protocol):
    field: str
    title: str
    required: bool
    aliases: tuple[str, ...]


# --- The upload ------------------------------------------------------------------------------


def too_big() -> str:
    return _("Tệp lớn hơn %(mb)s MB. Hãy chia thành nhiều tệp.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}


def too_many_rows() -> str:
    return _("Tệp có hơn %(n)s dòng dữ liệu. Hãy chia thành nhiều tệp.") % {"n": f"{MAX_ROWS:,}".replace(",", ".")}


def unreadable() -> str:
    return _("Không đọc được tệp Excel. Hãy mở bằng Excel, lưu lại dạng .xlsx.")


def read_upload(fileobj) -> tuple[bytes | None, str | None]:
    """The uploaded bytes (at most the cap plus one), or a reason to refuse them."""
    name = str(getattr(fileobj, "name", "") or "").lower()
    if name.endswith(".xlsm"):
        return None, _("Tệp có chứa macro (.xlsm). Cổng chỉ nhận tệp .xlsx không có macro.")
    size = getattr(fileobj, "size", None)
    if isinstance(size, int) and size > MAX_UPLOAD_BYTES:
        return None, too_big()
    data = fileobj.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return None, too_big()
    if not data:
        return None, _("Tệp rỗng.")
    return data, None


def check_archive(data: bytes) -> str | None:
    """A reason to refuse the bytes before any XML is parsed, or None."""
    if data.startswith(OLE_MAGIC):
        return _(
            "Đây là tệp Excel 97-2003 (.xls) hoặc tệp có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu "
            "và lưu lại dạng Sổ làm việc Excel (.xlsx)."
        )
    if not data.startswith(XLSX_MAGIC):
        return _("Tệp không phải bảng tính Excel .xlsx. Hãy dùng tệp mẫu tải về từ trang này.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return _("Tệp không phải bảng tính Excel .xlsx hợp lệ (tệp hỏng hoặc đã bị đổi đuôi).")
    if len(infos) > MAX_ZIP_MEMBERS:
        return _("Tệp có cấu trúc bất thường (quá nhiều thành phần). Hãy lưu lại từ Excel rồi thử lại.")
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_BYTES:
        return _(
            "Tệp khi giải nén lớn hơn %(mb)s MB, có thể là tệp độc hại (bom nén). Hãy chép dữ liệu sang "
            "tệp mẫu rồi thử lại."
        ) % {"mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
    names = {i.filename.lower() for i in infos}
    if any(n.endswith("vbaproject.bin") for n in names):
        return _("Tệp có chứa macro (.xlsm). Cổng chỉ nhận tệp .xlsx không có macro.")
    if any(n.startswith(("xl/externallinks/", "xl/embeddings/", "xl/activex/")) for n in names):
        return _(
            "Tệp có liên kết ngoài hoặc đối tượng nhúng. Hãy chép dữ liệu (dán dạng giá trị) sang tệp mẫu rồi thử lại."
        )
    if "[content_types].xml" not in names:
        return _("Tệp không phải bảng tính Excel .xlsx hợp lệ (tệp hỏng hoặc đã bị đổi đuôi).")
    return None


def safe_bytes(fileobj) -> tuple[bytes | None, str | None]:
    """``read_upload`` then ``check_archive``: the bytes, or the one reason to refuse the file."""
    data, problem = read_upload(fileobj)
    if problem is None:
        problem = check_archive(data)
    return (None, problem) if problem else (data, None)


def open_workbook(data: bytes):
    """The workbook, read-only with formulas kept as formulas; None when it cannot be read."""
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl and defusedxml raise many types; all mean "not readable"
        return None


# --- Sheets ----------------------------------------------------------------------------------


def header_key(value: Any) -> str:
    """A title compared without case, diacritics, punctuation or a note in parentheses."""
    text = re.sub(r"\(.*?\)", " ", str(value or ""))
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(ws, columns: Iterable[SheetColumn]) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """Data rows as (Excel row number, {field: raw cell}) and the problems that stop the whole sheet.

    Row 1 is the header, matched to ``columns`` by title or alias; extra columns are ignored
    and blank rows skipped. A raw cell is the openpyxl value, or a ``CellError`` for a formula
    or an Excel error. Any problem returns no rows.
    """
    columns = tuple(columns)
    try:
        ws.reset_dimensions()  # never trust the declared size
        rows = ws.iter_rows(min_row=1, max_col=MAX_COLUMNS)
        header = next(rows, ())
        fields: dict[int, SheetColumn] = {}
        by_key = {}
        for column in columns:
            for name in (column.title, *column.aliases):
                by_key.setdefault(header_key(name), column)
        errors: list[Problem] = []
        for idx, cell in enumerate(header):
            column = by_key.get(header_key(cell.value)) if not is_blank(cell.value) else None
            if column is None:
                continue  # extra columns (STT, Ghi chú...) are ignored
            if column in fields.values():
                errors.append(Problem(1, str(cell.value), _("Cột “%(c)s” xuất hiện hai lần.") % {"c": column.title}))
                continue
            fields[idx] = column
        for column in columns:
            if column.required and column not in fields.values():
                errors.append(
                    Problem(
                        1,
                        column.title,
                        _("Thiếu cột “%(c)s” ở dòng tiêu đề (dòng 1). Hãy dùng tệp mẫu.") % {"c": column.title},
                    )
                )
        if errors:
            return [], errors
        out: list[tuple[int, dict[str, Any]]] = []
        for number, cells in enumerate(rows, start=2):
            if number > MAX_SCAN_ROWS:
                return [], [Problem(None, "", too_many_rows())]
            raw: dict[str, Any] = {}
            for idx, column in fields.items():
                if idx >= len(cells):
                    continue
                cell = cells[idx]
                if cell.data_type == "f":
                    raw[column.field] = CellError(
                        _("Ô có công thức. Hãy nhập giá trị (sao chép rồi dán dạng giá trị), không dùng công thức.")
                    )
                elif cell.data_type == "e":
                    raw[column.field] = CellError(_("Ô có lỗi Excel (%(v)s).") % {"v": cell.value})
                elif not is_blank(cell.value):
                    raw[column.field] = cell.value
            if not raw:
                continue
            if len(out) >= MAX_ROWS:
                return [], [Problem(None, "", too_many_rows())]
            out.append((number, raw))
        return out, []
    except Exception:  # malformed sheet XML surfaces only while streaming
        return [], [Problem(None, "", unreadable())]


# --- Cells -----------------------------------------------------------------------------------

_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_GROUPED = re.compile(r"^\d{1,3}([., ]\d{3})+$")
_TRUE = {"co", "x", "c", "1", "true", "yes"}
_FALSE = {"khong", "k", "0", "false", "no"}


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("Ngày phải ghi dạng %(f)s.") % {"f": DATE_HINT})
    if isinstance(value, int | float):
        # A date whose cell format openpyxl did not recognise: an Excel serial day number.
        if 18264 <= value <= 73415:  # 01/01/1950 .. 31/12/2100
            return from_excel(value).date()
        raise CellError(_("Ngày phải ghi dạng %(f)s.") % {"f": DATE_HINT})
    text = str(value).strip()
    match = _DATE_DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := _DATE_ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise CellError(_("Ngày “%(v)s” không đúng dạng %(f)s.") % {"v": text, "f": DATE_HINT})
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("Ngày “%(v)s” không có trong lịch.") % {"v": text}) from None


def parse_count(value: Any) -> Any:
    """A whole number; text that is not one is passed on for the form to explain."""
    if isinstance(value, bool):
        raise CellError(_("Hãy ghi một số nguyên."))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Hãy ghi một số nguyên."))
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if _GROUPED.match(text):
        text = re.sub(r"[., ]", "", text)
    return text  # the form says what is wrong with anything else


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = fold(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("Chỉ ghi “Có” hoặc “Không”."))


def choice_parser(options: dict[str, str], allowed: str, message: str | None = None) -> Callable[[Any], str]:
    """A parser mapping folded text (see ``text.fold``) to a choice value.

    ``message`` takes ``%(v)s`` (the cell) and ``%(a)s`` (``allowed``).
    """

    def parse(value: Any) -> str:
        key = fold(as_text(value))
        if key in options:
            return options[key]
        template = message or _("“%(v)s” không phải loại hợp lệ. Ghi một trong: %(a)s.")
        raise CellError(template % {"v": value, "a": allowed})

    return parse


def choices_parser(choices, message: str | None = None) -> Callable[[Any], str]:
    """``choice_parser`` for a Django ``TextChoices``: its labels and its codes, any case, any diacritics."""
    options: dict[str, str] = {}
    for choice in choices:
        options.setdefault(fold(str(choice.label)), choice.value)
        options.setdefault(fold(choice.value), choice.value)
    return choice_parser(options, "; ".join(str(c.label) for c in choices), message)
