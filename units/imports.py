"""Bulk import of agencies and hamlets from .xlsx, all-or-nothing (RELIABILITY-PERFORMANCE A4, A9).

Two phases. *Validate* reads the upload defensively (size cap, ZIP magic, no macros, no
embedded objects or external links, zip-bomb check before any XML is parsed, row cap,
defusedxml through openpyxl), then checks every row with the very form the browser uses
(``AgencyForm`` / ``HamletForm``), so the scope rules and business rules are the same.
Every problem is collected as (Excel row, column title, Vietnamese message). *Apply* runs
only when there is no error at all, in one ``transaction.atomic()``: either every row is
created or none is.

Cells holding a formula are refused (the workbook is read with ``data_only=False`` so a
formula is seen as one, never silently replaced by the value Excel cached); text typed as
text, even when it starts with "=", is kept as plain text. Nothing is ever evaluated.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import openpyxl
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from qcdc_portal.lib import xlsx
from qcdc_portal.lib.text import fold
from qcdc_portal.lib.xlsx import (
    DATE_HINT,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SCAN_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_MEMBERS,
    OLE_MAGIC,
    XLSX_MAGIC,
)
from qcdc_portal.lib.xlsx import CellError as _CellError
from qcdc_portal.lib.xlsx import as_text as _as_text
from qcdc_portal.lib.xlsx import check_archive as _check_archive
from qcdc_portal.lib.xlsx import header_key as _header_key
from qcdc_portal.lib.xlsx import parse_bool as _parse_bool
from qcdc_portal.lib.xlsx import parse_count as _parse_count
from qcdc_portal.lib.xlsx import parse_date as _parse_date
from qcdc_portal.lib.xlsx import read_upload as _read_upload
from units import access, services
from units.forms import AgencyForm, HamletForm
from units.models import AGENCY_KINDS, CodeList, OfficialType, Unit, UnitKind

# The file limits and the cell readers live in qcdc_portal.lib.xlsx (shared with the other
# imports); they are re-exported here under the names this module has always used.
__all__ = [
    "AGENCY_COLUMNS",
    "DATE_HINT",
    "GUIDE_SHEET",
    "HAMLET_COLUMNS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_SCAN_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_ZIP_MEMBERS",
    "OLE_MAGIC",
    "SPECS",
    "XLSX_MAGIC",
    "Column",
    "ImportResult",
    "RowError",
    "Spec",
    "UnitCodeResolver",
    "get_spec",
    "import_units_xlsx",
    "template_workbook",
]
GUIDE_SHEET = "Hướng dẫn"
# Codes of the current list first (when in force), then the legacy list, then portal codes.
_LIST_RANK = {CodeList.CURRENT: 0, CodeList.LEGACY: 1, CodeList.LOCAL: 2}
# Official code widths: province 2 digits, district 3, commune 5 (QĐ 124/2004 and QĐ 19/2025).
_CODE_WIDTHS = {UnitKind.PROVINCE: 2, UnitKind.DISTRICT: 3, UnitKind.COMMUNE: 5}


class RowError(NamedTuple):
    """One problem: the row as Excel numbers it (None for the whole file), the column title, the message."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Column:
    field: str
    title: str
    required: bool
    guide: str
    example: Any
    parse: str = "text"  # text, code, kind, hamlet_type, count, bool, tax_code, date
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spec:
    what: str
    sheet_title: str
    noun: Any  # what the success message counts (lazy text)
    parent_noun: Any
    form_class: type
    parent_kinds: tuple[str, ...]
    columns: tuple[Column, ...]
    duplicate_message: Any


def _agency_kind_labels() -> str:
    return "; ".join(str(k.label) for k in AGENCY_KINDS)


AGENCY_COLUMNS = (
    Column(
        "name",
        "Tên cơ quan",
        True,
        "Tên đầy đủ của cơ quan, đơn vị, doanh nghiệp.",
        "Trường Tiểu học Vụ Bản",
        aliases=("Tên", "Tên đơn vị", "Tên cơ quan, đơn vị", "Tên cơ quan, đơn vị, doanh nghiệp"),
    ),
    Column(
        "kind",
        "Loại",
        True,
        "Ghi một trong: {kinds}. Có thể ghi mã loại: {codes}.",
        str(UnitKind.PUBLIC_SERVICE.label),
        parse="kind",
        aliases=("Loại hình", "Loại cơ quan"),
    ),
    Column(
        "parent",
        "Mã đơn vị quản lý",
        True,
        "Mã chính thức của tỉnh, huyện hoặc xã quản lý cơ quan (ví dụ xã 5 chữ số: 04951). Định dạng ô là "
        "Văn bản để giữ các số 0 ở đầu. Mã theo danh mục từ 01/7/2025 được ưu tiên khi còn hiệu lực, "
        "sau đó đến danh mục cũ. Chỉ nhận đơn vị trong phạm vi quản lý của bạn.",
        "04951",
        parse="code",
        aliases=("Mã đơn vị", "Mã ĐVHC", "Mã đơn vị hành chính"),
    ),
    Column(
        "staff_count",
        "Số cán bộ, người lao động",
        True,
        "Số nguyên, không âm.",
        25,
        parse="count",
        aliases=("Số cán bộ", "Số người lao động", "Số lao động"),
    ),
    Column(
        "has_union",
        "Có công đoàn",
        False,
        "Có hoặc Không (để trống là Không).",
        "Có",
        parse="bool",
        aliases=("Công đoàn", "Có tổ chức công đoàn"),
    ),
    Column(
        "tax_code",
        "Mã số thuế",
        False,
        "Bắt buộc với doanh nghiệp: 10 chữ số, hoặc 10 chữ số - 3 chữ số với chi nhánh. Định dạng ô là Văn bản.",
        "",
        parse="tax_code",
        aliases=("MST",),
    ),
    Column(
        "valid_from",
        "Hoạt động từ",
        False,
        f"Ngày bắt đầu hoạt động, dạng {DATE_HINT}; có thể để trống.",
        "01/01/2010",
        parse="date",
        aliases=("Từ ngày",),
    ),
    Column(
        "valid_to",
        "Hoạt động đến",
        False,
        f"Ngày thôi hoạt động, dạng {DATE_HINT}; để trống nếu còn hoạt động.",
        "",
        parse="date",
        aliases=("Đến ngày",),
    ),
)

HAMLET_COLUMNS = (
    Column(
        "name",
        "Tên thôn, tổ dân phố",
        True,
        "Tên thôn, bản, ấp hoặc tổ dân phố.",
        "Thôn Đồng Tâm",
        aliases=("Tên", "Tên thôn", "Tên tổ dân phố", "Tên thôn, bản, ấp"),
    ),
    Column(
        "official_type",
        "Loại",
        True,
        "Thôn (gồm thôn, bản, ấp) hoặc Tổ dân phố.",
        "Thôn",
        parse="hamlet_type",
    ),
    Column(
        "parent",
        "Mã xã, phường, thị trấn",
        True,
        "Mã chính thức (5 chữ số) của xã, phường, thị trấn, đặc khu. Định dạng ô là Văn bản để giữ các số 0 "
        "ở đầu. Mã theo danh mục từ 01/7/2025 được ưu tiên khi còn hiệu lực, sau đó đến danh mục cũ. "
        "Chỉ nhận đơn vị trong phạm vi quản lý của bạn.",
        "04951",
        parse="code",
        aliases=("Mã xã", "Mã đơn vị", "Mã đơn vị hành chính", "Mã ĐVHC"),
    ),
    Column(
        "valid_from",
        "Hiệu lực từ",
        False,
        f"Ngày thành lập hoặc bắt đầu hiệu lực, dạng {DATE_HINT}; có thể để trống.",
        "01/07/2025",
        parse="date",
        aliases=("Từ ngày",),
    ),
    Column(
        "valid_to",
        "Hiệu lực đến",
        False,
        f"Ngày hết hiệu lực (sáp nhập, giải thể), dạng {DATE_HINT}; để trống nếu còn hiệu lực.",
        "",
        parse="date",
        aliases=("Đến ngày",),
    ),
)

SPECS = {
    "co-quan": Spec(
        what="co-quan",
        sheet_title="Cơ quan",
        noun=gettext_lazy("cơ quan"),
        parent_noun=gettext_lazy("đơn vị hành chính"),
        form_class=AgencyForm,
        parent_kinds=(UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE),
        columns=AGENCY_COLUMNS,
        duplicate_message=gettext_lazy("Trùng tên với dòng %(row)s (cùng đơn vị quản lý)."),
    ),
    "thon": Spec(
        what="thon",
        sheet_title="Thôn, tổ dân phố",
        noun=gettext_lazy("thôn, tổ dân phố"),
        parent_noun=gettext_lazy("xã, phường, thị trấn"),
        form_class=HamletForm,
        parent_kinds=(UnitKind.COMMUNE,),
        columns=HAMLET_COLUMNS,
        duplicate_message=gettext_lazy("Trùng tên với dòng %(row)s (cùng xã, phường, thị trấn)."),
    ),
}


def get_spec(what: str) -> Spec:
    try:
        return SPECS[what]
    except KeyError:
        raise ValueError(f"unknown import {what!r}") from None


# --- Template ------------------------------------------------------------------------------


def _guide_text(column: Column) -> str:
    return column.guide.format(kinds=_agency_kind_labels(), codes=", ".join(k.value for k in AGENCY_KINDS))


def template_workbook(what: str) -> bytes:
    """The .xlsx to fill in: the header row, a "Hướng dẫn" sheet, one example row there."""
    spec = get_spec(what)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = spec.sheet_title
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="B02A37")
    for i, column in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.title)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(14, min(40, len(column.title) + 6))
        rows = f"{letter}2:{letter}{MAX_ROWS + 1}"
        if column.parse in ("code", "tax_code", "text"):
            # Text cells keep the leading zeros of codes, and a typed "=..." stays text.
            ws.column_dimensions[letter].number_format = "@"
        elif column.parse == "date":
            ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
        choices = _choices_for(column)
        if choices:
            # A suggestion list, not a lock: codes and synonyms ("Bản", "Ấp") are accepted too.
            dv = DataValidation(
                type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True, showErrorMessage=False
            )
            dv.add(rows)
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    guide = wb.create_sheet(GUIDE_SHEET)
    guide.append([_("Hướng dẫn nhập %(noun)s") % {"noun": spec.noun}])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append([_("Điền từ dòng 2 của trang “%(sheet)s”, mỗi dòng một đơn vị.") % {"sheet": spec.sheet_title}])
    guide.append(
        [
            _(
                "Nhập theo nguyên tắc “tất cả hoặc không”: nếu có dòng lỗi thì không dòng nào được lưu; "
                "sửa các lỗi được báo rồi tải lên lại. Tối đa %(rows)s dòng, tệp không quá 5 MB, "
                "không dùng công thức."
            )
            % {"rows": f"{MAX_ROWS:,}".replace(",", ".")}
        ]
    )
    guide.append([])
    guide.append([_("Cột"), _("Bắt buộc"), _("Cách ghi")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in spec.columns:
        guide.append([column.title, _("Có") if column.required else _("Không"), _guide_text(column)])
    if spec.what == "co-quan":
        guide.append([])
        guide.append([_("Các loại cơ quan được nhận (ghi tên hoặc mã):")])
        for kind in AGENCY_KINDS:
            guide.append([str(kind.label), kind.value])
    guide.append([])
    guide.append([_("Ví dụ một dòng:")])
    guide[f"A{guide.max_row}"].font = Font(bold=True)
    guide.append([c.title for c in spec.columns])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    guide.append([c.example for c in spec.columns])
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 28
    guide.column_dimensions["C"].width = 90
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _choices_for(column: Column) -> list[str]:
    if column.parse == "kind":
        return [str(k.label) for k in AGENCY_KINDS]
    if column.parse == "hamlet_type":
        return ["Thôn", "Tổ dân phố"]
    if column.parse == "bool":
        return ["Có", "Không"]
    return []


# --- Reading the upload ----------------------------------------------------------------------


def _read_rows(data: bytes, spec: Spec) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Data rows as (Excel row number, {field: raw cell}) and the file-level errors.

    A raw cell is the openpyxl value, or a ``_CellError`` for a formula or an Excel error.
    """
    wb = xlsx.open_workbook(data)
    if wb is None:
        return [], [RowError(None, "", xlsx.unreadable())]
    try:
        sheets = [ws for ws in wb.worksheets if _header_key(ws.title) != _header_key(GUIDE_SHEET)]
        if not sheets:
            return [], [RowError(None, "", _("Tệp không có trang dữ liệu."))]
        rows, problems = xlsx.read_sheet(sheets[0], spec.columns)
        return rows, [RowError(*p) for p in problems]
    except Exception:  # malformed workbook XML surfaces only while streaming
        return [], [RowError(None, "", xlsx.unreadable())]
    finally:
        wb.close()


# --- Cell parsing ----------------------------------------------------------------------------


def _parse_tax_code(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        # Excel drops the leading zero of a tax code typed as a number (Hà Nội codes start with 0).
        return str(value).zfill(10)
    return str(value).strip()


def _choice_parser(options: dict[str, str], allowed: str) -> Callable[[Any], str]:
    return xlsx.choice_parser(options, allowed)


def _agency_kind_parser() -> Callable[[Any], str]:
    options = {}
    for kind in AGENCY_KINDS:
        options[fold(str(kind.label))] = kind.value
        options[fold(kind.value)] = kind.value
    return _choice_parser(options, _agency_kind_labels())


def _hamlet_type_parser() -> Callable[[Any], str]:
    thon, tdp = OfficialType.THON.value, OfficialType.TO_DAN_PHO.value
    options = {
        "thon": thon,
        "ban": thon,
        "ap": thon,
        "xom": thon,
        fold(str(OfficialType.THON.label)): thon,
        "to dan pho": tdp,
        "tdp": tdp,
        fold(tdp): tdp,
        fold(str(OfficialType.TO_DAN_PHO.label)): tdp,
    }
    return _choice_parser(options, "Thôn; Tổ dân phố")


# --- Units by code -------------------------------------------------------------------------


def _code_variants(value: Any, kinds: tuple[str, ...]) -> list[str]:
    """The codes a cell may mean: a number lost its leading zeros, so pad it to each official width."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        widths = sorted({_CODE_WIDTHS[k] for k in kinds if k in _CODE_WIDTHS})
        return list(dict.fromkeys([str(value), *(str(value).zfill(w) for w in widths)]))
    return [_as_text(value)]


class UnitCodeResolver:
    """Codes to units, only among the units of ``kinds`` where the user may do ``action``.

    One query for the whole file. A unit out of scope reads exactly like an unknown code.
    Codes of the current list win (when in force) over the legacy list, both over portal codes.
    """

    def __init__(self, user, raw_values: list[Any], *, action: str, kinds: tuple[str, ...], noun: Any):
        self.kinds, self.noun = tuple(kinds), noun
        codes = {c for v in raw_values for c in _code_variants(v, self.kinds) if c}
        self.by_code: dict[str, list[Unit]] = {}
        qs = access.for_user(user, action).filter(kind__in=self.kinds)
        codes_list = sorted(codes)
        for start in range(0, len(codes_list), 500):
            for unit in qs.filter(code__in=codes_list[start : start + 500]):
                self.by_code.setdefault(unit.code, []).append(unit)
        self.today = timezone.localdate()

    def resolve(self, value: Any) -> Unit:
        """The unit the cell names, or ``CellError`` with a Vietnamese message."""
        variants = _code_variants(value, self.kinds)
        shown = _as_text(value)
        candidates = [u for code in variants for u in self.by_code.get(code, [])]
        if not candidates:
            # Unknown and out of scope read the same: nothing about other units leaks.
            raise _CellError(
                _("Không tìm thấy %(noun)s có mã “%(code)s” trong phạm vi quản lý của bạn.")
                % {"noun": self.noun, "code": shown}
            )
        current = [u for u in candidates if u.is_valid_on(self.today)]
        pool = sorted(current or candidates, key=lambda u: (_LIST_RANK.get(u.code_list, 9), u.code))
        if len({u.code for u in pool}) == 1 and (current or len(pool) == 1):
            return pool[0]  # the current list wins over the legacy one, both over portal codes
        listed = ", ".join(f"{u.name} ({u.code})" for u in pool[:4])
        if len({u.code for u in pool}) > 1:
            message = _(
                "Mã “%(code)s” có thể là nhiều đơn vị: %(units)s. Hãy định dạng ô là Văn bản và ghi đủ "
                "các số 0 ở đầu mã."
            )
        else:
            message = _("Mã “%(code)s” ứng với nhiều đơn vị đã hết hiệu lực: %(units)s. Hãy liên hệ quản trị.")
        raise _CellError(message % {"code": shown, "units": listed})


class _ParentResolver(UnitCodeResolver):
    """Managing units by code, among the units the user may manage."""

    def __init__(self, user, spec: Spec, raw_values: list[Any]):
        super().__init__(user, raw_values, action=access.MANAGE_UNITS, kinds=spec.parent_kinds, noun=spec.parent_noun)


# --- Validate and apply ----------------------------------------------------------------------


@dataclass
class _ValidRow:
    number: int
    kind: str
    parent: Unit
    fields: dict[str, Any]


def import_units_xlsx(*, user, what: str, fileobj) -> ImportResult:
    """Validate every row of the upload, then create all of them or none."""
    spec = get_spec(what)
    data, problem = _read_upload(fileobj)
    if problem is None:
        problem = _check_archive(data)
    if problem is not None:
        return ImportResult(errors=[RowError(None, "", problem)])
    raw_rows, errors = _read_rows(data, spec)
    if errors:
        return ImportResult(errors=errors)
    if not raw_rows:
        return ImportResult(
            errors=[RowError(None, "", _("Tệp không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 2)."))]
        )
    valid, errors = _validate(user, spec, raw_rows)
    result = ImportResult(rows=len(raw_rows), errors=errors)
    if errors:
        return result
    result.errors = _apply(spec, valid)
    result.created = 0 if result.errors else len(valid)
    return result


def _validate(user, spec: Spec, raw_rows) -> tuple[list[_ValidRow], list[RowError]]:
    titles = {c.field: c.title for c in spec.columns}
    parsers: dict[str, Callable[[Any], Any]] = {
        "text": _as_text,
        "count": _parse_count,
        "bool": _parse_bool,
        "tax_code": _parse_tax_code,
        "date": _parse_date,
        "kind": _agency_kind_parser(),
        "hamlet_type": _hamlet_type_parser(),
    }
    resolver = _ParentResolver(
        user, spec, [raw["parent"] for _n, raw in raw_rows if not isinstance(raw.get("parent"), _CellError | None)]
    )
    parsers["code"] = lambda value: resolver.resolve(value).pk
    errors: list[RowError] = []
    valid: list[_ValidRow] = []
    seen: dict[tuple[int, str], int] = {}
    order = {c.title: i for i, c in enumerate(spec.columns)}
    for number, raw in raw_rows:
        data: dict[str, Any] = {}
        bad: set[str] = set()
        row_errors: list[RowError] = []
        for column in spec.columns:
            value = raw.get(column.field)
            try:
                if isinstance(value, _CellError):
                    raise value
                if value is not None:
                    data[column.field] = parsers[column.parse](value)
            except _CellError as exc:
                row_errors.append(RowError(number, column.title, str(exc)))
                bad.add(column.field)
        form = spec.form_class(data, user=user)
        ok = form.is_valid()
        for name, messages in form.errors.items():
            if name in bad:
                continue  # already said, in the file's terms
            for message in messages:
                row_errors.append(RowError(number, titles.get(name, ""), str(message)))
        cleaned = form.cleaned_data
        name, parent = cleaned.get("name"), cleaned.get("parent")
        if name and parent:
            key = (parent.pk, name.casefold())
            if key in seen:
                row_errors.append(RowError(number, titles["name"], str(spec.duplicate_message) % {"row": seen[key]}))
                ok = False
            else:
                seen[key] = number
        errors.extend(sorted(row_errors, key=lambda e: order.get(e.column, -1)))
        if ok and not bad:
            fields = dict(cleaned)
            kind = fields.pop("kind", UnitKind.HAMLET)
            valid.append(_ValidRow(number, kind, fields.pop("parent"), fields))
    return valid, errors


class _CodeAllocator:
    """The codes ``services._local_code`` would hand out one by one, with one query per parent.

    ``_local_code`` reads every code taken under the parent on each call, which is quadratic
    over a file of thousands of rows; here the taken set is read once and kept up to date.
    """

    def __init__(self):
        self.taken: dict[str, set[str]] = {}

    def next(self, kind: str, parent: Unit) -> str:
        prefix = f"{services._CODE_PREFIX.get(kind, 'CQ')}-{parent.code}-"
        taken = self.taken.get(prefix)
        if taken is None:
            taken = set(
                Unit.objects.filter(code_list=CodeList.LOCAL, code__startswith=prefix).values_list("code", flat=True)
            )
            self.taken[prefix] = taken
        n = len(taken) + 1
        while f"{prefix}{n:03d}" in taken:
            n += 1
        code = f"{prefix}{n:03d}"
        taken.add(code)
        return code


def _apply(spec: Spec, rows: list[_ValidRow]) -> list[RowError]:
    """Create every row in one transaction; any failure rolls all of them back."""
    titles = {c.field: c.title for c in spec.columns}
    current: _ValidRow | None = None
    try:
        with transaction.atomic():
            parent_ids = sorted({r.parent.pk for r in rows})
            # Serialise with other imports and edits under the same parents (no-op on SQLite),
            # then look again for a name taken since the validation pass.
            list(Unit.objects.select_for_update().filter(pk__in=parent_ids).values_list("pk", flat=True))
            kinds = list(AGENCY_KINDS) if spec.what == "co-quan" else [UnitKind.HAMLET]
            taken = {
                (pid, name.casefold())
                for pid, name in Unit.objects.filter(parent_id__in=parent_ids, kind__in=kinds).values_list(
                    "parent_id", "name"
                )
            }
            clashes = [r for r in rows if (r.parent.pk, r.fields["name"].casefold()) in taken]
            if clashes:
                return [
                    RowError(r.number, titles["name"], _("Tên này vừa được người khác thêm vào cùng đơn vị."))
                    for r in clashes
                ]
            codes = _CodeAllocator()
            for row in rows:
                current = row
                code = codes.next(row.kind, row.parent)
                services.unit_create_local(kind=row.kind, parent=row.parent, code=code, **row.fields)
    except ValidationError as exc:
        messages = "; ".join(exc.messages)
        return [RowError(current.number if current else None, "", messages)]
    except DatabaseError:
        return [
            RowError(
                current.number if current else None,
                "",
                _("Không lưu được do có thay đổi đồng thời. Chưa có dòng nào được lưu; hãy thử lại."),
            )
        ]
    return []
