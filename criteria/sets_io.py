"""A criteria set as .xlsx in the score-sheet column layout (DOMAIN.md §5.1, §11.4), both ways.

Sheet "Bộ tiêu chí": the set's name, legal basis, unit kind and years on top, then the columns
TT | Tên tiêu chí | Nội dung tiêu chí | Chỉ tiêu / yêu cầu | Điểm chuẩn (tối đa) | Điểm tự chấm |
Điểm phúc tra / thẩm định | Căn cứ chấm | Ghi chú, one row per group or criterion, and the total
row "Cộng". A group row is marked "Nhóm tiêu chí" in "Ghi chú" (a Roman numeral TT also makes
a group) and the criteria under it belong to it; "Bắt buộc minh chứng" in "Ghi chú" marks a
criterion that needs evidence, whose hint is "Chỉ tiêu / yêu cầu". The self-score, review and
basis columns are left blank for printing and ignored on import.

Sheet "Thông số": total points, score step, the superior's share, bonus and penalty allowances,
and the classification bands. Optional on import (defaults: the criteria's total, step 0,5,
no allowances, the example bands).

Import reads the upload with the shared defensive checks (qcdc_portal.lib.xlsx: size cap, ZIP
magic, no macros, embedded objects or external links, zip-bomb check; formulas refused, never
evaluated) and is all-or-nothing: every problem is reported as (row, column, message) in
Vietnamese and nothing is saved unless there is none; the set is created as a draft through
``services.set_save``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from criteria import services, shipped
from criteria.models import AppliesTo, CriteriaSet, Criterion
from qcdc_portal.lib import xlsx
from qcdc_portal.lib.text import fold
from qcdc_portal.lib.xlsx import MAX_ROWS, Problem

SHEET = "Bộ tiêu chí"
PARAMS_SHEET = "Thông số"
FONT = "Times New Roman"
COLUMNS = (
    ("code", "TT", 6),
    ("title", "Tên tiêu chí", 40),
    ("guidance", "Nội dung tiêu chí", 50),
    ("evidence_hint", "Chỉ tiêu / yêu cầu", 30),
    ("max_points", "Điểm chuẩn (tối đa)", 11),
    ("self_points", "Điểm tự chấm", 11),
    ("review_points", "Điểm phúc tra / thẩm định", 13),
    ("basis", "Căn cứ chấm", 25),
    ("note", "Ghi chú", 20),
)
COL = {name: index for index, (name, _title, _width) in enumerate(COLUMNS, start=1)}
GROUP_MARK = "Nhóm tiêu chí"
EVIDENCE_MARK = "Bắt buộc minh chứng"
SUPERIOR_MARK = "Cấp trên chấm"
TOTAL_LABEL = "Cộng"
HEADER_ROW = 7
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")

PARAMS = (
    ("total_points", "Tổng điểm"),
    ("score_step", "Bước điểm"),
    ("superior_points_max", "Điểm cấp trên chấm tối đa"),
    ("bonus_max", "Điểm thưởng tối đa"),
    ("penalty_max", "Điểm trừ tối đa"),
)
BAND_HEADER = ("Xếp loại", "Điểm tối thiểu", "Không có tiêu chí 0 điểm")

_ROMAN = re.compile(r"^[IVXLC]+$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


# --- The tree ----------------------------------------------------------------------------------


def criteria_tree(criteria_set: CriteriaSet) -> list[tuple[Criterion, list[Criterion]]]:
    """Top-level items in order, each with its children; criteria outside any group come
    first when the set also has groups (so that a row under a group always belongs to it)."""
    items = list(criteria_set.criteria.order_by("order", "pk"))
    children: dict[int, list[Criterion]] = {}
    for c in items:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(c)
    ids = {c.pk for c in items}
    top = [c for c in items if c.parent_id is None or c.parent_id not in ids]
    if any(c.is_group for c in top):
        top = [c for c in top if not c.is_group] + [c for c in top if c.is_group]
    return [(c, children.get(c.pk, [])) for c in top]


# --- Export ------------------------------------------------------------------------------------


class _Sheet:
    """Cells by the house rules: text is always a string cell (never a formula), numbers numeric."""

    def __init__(self, ws):
        self.ws = ws

    def text(self, row, col, value, *, bold=False, italic=False, size=12, align="left"):
        cell = self.ws.cell(row=row, column=col)
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
        cell.data_type = "s"
        cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
        cell.alignment = Alignment(horizontal=align, vertical="top", wrap_text=True)
        return cell

    def number(self, row, col, value, *, bold=False):
        cell = self.ws.cell(row=row, column=col)
        if value is not None:
            value = Decimal(value)
            cell.value = int(value) if value == value.to_integral_value() else float(value)
        cell.number_format = "0.##" if cell.value is not None and not isinstance(cell.value, int) else "0"
        cell.font = Font(name=FONT, size=12, bold=bold)
        cell.alignment = Alignment(horizontal="right", vertical="top")
        return cell

    def merged(self, row, value, **kwargs):
        cell = self.text(row, 1, value, **kwargs)  # the value goes in before merging
        self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
        return cell

    def box(self, row, fill=None):
        for col in range(1, len(COLUMNS) + 1):
            cell = self.ws.cell(row=row, column=col)
            cell.border = BOX
            if fill is not None:
                cell.fill = fill


def _years(criteria_set: CriteriaSet) -> str:
    if criteria_set.year_to:
        return _("từ %(a)s đến %(b)s") % {"a": criteria_set.year_from, "b": criteria_set.year_to}
    return _("từ %(a)s") % {"a": criteria_set.year_from}


def _ranges(rows: list[int]) -> list[tuple[int, int]]:
    """The rows as (first, last) runs of consecutive rows, for short SUM arguments."""
    parts, start, prev = [], None, None
    for r in rows:
        if start is None:
            start = prev = r
        elif r == prev + 1:
            prev = r
        else:
            parts.append((start, prev))
            start = prev = r
    if start is not None:
        parts.append((start, prev))
    return parts


def _sum_formula(letter: str, rows: list[int]) -> str | None:
    parts = _ranges(rows)
    if not parts:
        return None
    return "=SUM(" + ",".join(f"{letter}{a}" if a == b else f"{letter}{a}:{letter}{b}" for a, b in parts) + ")"


def export_workbook(criteria_set: CriteriaSet) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    sheet = _Sheet(ws)
    for index, (_name, _title, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    sheet.merged(1, criteria_set.name, bold=True, size=14, align="center")
    sheet.merged(2, _("Căn cứ: %(basis)s") % {"basis": criteria_set.legal_basis}, italic=True, align="center")
    sheet.merged(3, _("Áp dụng cho: %(kind)s") % {"kind": criteria_set.get_applies_to_display()}, align="center")
    sheet.merged(4, _("Năm áp dụng: %(years)s") % {"years": _years(criteria_set)}, align="center")
    info = _("Phiên bản %(v)s – %(status)s") % {"v": criteria_set.version, "status": criteria_set.get_status_display()}
    if criteria_set.is_illustrative:
        info += " – " + _("Bộ minh họa, không phải văn bản của tỉnh")
    sheet.merged(5, info, italic=True, size=11, align="center")

    for col, (_name, title, _width) in enumerate(COLUMNS, start=1):
        sheet.text(HEADER_ROW, col, title, bold=True, align="center")
    sheet.box(HEADER_ROW)
    ws.row_dimensions[HEADER_ROW].height = 32

    r = HEADER_ROW + 1
    scored_rows: list[int] = []
    scored_total = Decimal("0")
    for item, children in criteria_tree(criteria_set):
        for c in (item, *children):
            group = c.is_group
            sheet.text(r, COL["code"], c.code, bold=group, align="center")
            sheet.text(r, COL["title"], c.title, bold=group)
            sheet.text(r, COL["guidance"], c.guidance)
            sheet.text(r, COL["evidence_hint"], c.evidence_hint)
            sheet.number(r, COL["max_points"], c.max_points if (not group or c.max_points) else None, bold=group)
            marks = [GROUP_MARK] if group else ([EVIDENCE_MARK] if c.evidence_required else [])
            sheet.text(r, COL["note"], "; ".join(marks))
            sheet.box(r, GROUP_FILL if group else None)
            if not group:
                scored_rows.append(r)
                scored_total += c.max_points
            r += 1
    review_rows = list(scored_rows)
    if criteria_set.superior_points_max:
        sheet.text(r, COL["title"], _("Điểm do cấp trên chấm"))
        sheet.number(r, COL["max_points"], criteria_set.superior_points_max)
        sheet.text(r, COL["note"], SUPERIOR_MARK)
        sheet.box(r)
        review_rows.append(r)
        scored_total += criteria_set.superior_points_max
        r += 1
    sheet.text(r, COL["title"], TOTAL_LABEL, bold=True, align="center")
    sheet.number(r, COL["max_points"], scored_total, bold=True)
    for name, rows in (("self_points", scored_rows), ("review_points", review_rows)):
        formula = _sum_formula(get_column_letter(COL[name]), rows)
        if formula:
            cell = ws.cell(row=r, column=COL[name], value=formula)  # our own formula, never user text
            cell.font = Font(name=FONT, size=12, bold=True)
            cell.alignment = Alignment(horizontal="right", vertical="top")
    sheet.box(r, GROUP_FILL)

    r += 2
    bands = "; ".join(f"{b.label} ≥ {b.min_score.normalize():f}" for b in criteria_set.bands.order_by("-min_score"))
    sheet.merged(r, _("Xếp loại: %(bands)s.") % {"bands": bands or "—"}, italic=True, size=11)
    sheet.merged(
        r + 1,
        _(
            "Khi nhập lại bộ tiêu chí từ tệp này: dòng có Ghi chú “%(g)s” (hoặc TT là số La Mã) là nhóm, các dòng "
            "dưới nó thuộc nhóm; “%(e)s” đánh dấu tiêu chí phải có minh chứng; cột Điểm tự chấm, Điểm phúc tra, "
            "Căn cứ chấm không được nhập; các dòng từ dòng “%(t)s” trở xuống bị bỏ qua."
        )
        % {"g": GROUP_MARK, "e": EVIDENCE_MARK, "t": TOTAL_LABEL},
        italic=True,
        size=11,
    )
    ws.row_dimensions[r + 1].height = 45

    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(len(COLUMNS))}{r + 1}"
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)

    params = wb.create_sheet(PARAMS_SHEET)
    p = _Sheet(params)
    params.column_dimensions["A"].width = 30
    params.column_dimensions["B"].width = 16
    params.column_dimensions["C"].width = 26
    p.text(1, 1, _("Thông số của bộ tiêu chí"), bold=True, size=13)
    p.text(2, 1, "Thông số", bold=True)
    p.text(2, 2, "Giá trị", bold=True)
    for i, (name, title) in enumerate(PARAMS, start=3):
        p.text(i, 1, title)
        p.number(i, 2, getattr(criteria_set, name))
    r = 3 + len(PARAMS) + 1
    for col, title in enumerate(BAND_HEADER, start=1):
        p.text(r, col, title, bold=True)
    for band in criteria_set.bands.order_by("-min_score", "order"):
        r += 1
        p.text(r, 1, band.label)
        p.number(r, 2, band.min_score)
        p.text(r, 3, _("Có") if band.no_zero_criterion else _("Không"))
    params.page_setup.orientation = params.ORIENTATION_LANDSCAPE
    params.page_setup.paperSize = params.PAPERSIZE_A4

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Import ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    criteria_set: CriteriaSet | None = None
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Bad(Exception):
    pass


def _cell_value(cell) -> Any:
    """The cell's value; a formula or an Excel error raises ``_Bad`` with the message."""
    if cell is None:
        return None
    if cell.data_type == "f":
        raise _Bad(_("Ô có công thức. Hãy nhập giá trị (sao chép rồi dán dạng giá trị), không dùng công thức."))
    if cell.data_type == "e":
        raise _Bad(_("Ô có lỗi Excel (%(v)s).") % {"v": cell.value})
    return None if xlsx.is_blank(cell.value) else cell.value


def parse_points(value: Any) -> Decimal | None:
    """A number of points ≥ 0 with at most 2 decimals ("12,5" reads as 12.5); ``_Bad`` otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _Bad(_("Hãy ghi một số."))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip().replace("\u00a0", "")
        if _DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _Bad(_("“%(v)s” không phải là số.") % {"v": value}) from None
    if not number.is_finite():
        raise _Bad(_("“%(v)s” không phải là số.") % {"v": value})
    if number < 0:
        raise _Bad(_("Điểm không được âm."))
    if number >= 10000:
        raise _Bad(_("Điểm quá lớn."))
    if number != number.quantize(Decimal("0.01")):
        raise _Bad(_("Điểm chỉ được có tối đa 2 chữ số thập phân."))
    return number.quantize(Decimal("0.01"))


def _text(value: Any, limit: int) -> str:
    text = xlsx.as_text(value)
    if len(text) > limit:
        raise _Bad(_("Dài quá %(n)s ký tự.") % {"n": limit})
    return text


_APPLIES = {fold(str(c.label)): c.value for c in AppliesTo} | {fold(c.value): c.value for c in AppliesTo}
_HEADER_KEYS = {xlsx.header_key(title): name for name, title, _w in COLUMNS} | {
    "stt": "code",
    "ma": "code",
    "ma tieu chi": "code",
    "tieu chi": "title",
    "noi dung": "guidance",
    "chi tieu": "evidence_hint",
    "yeu cau": "evidence_hint",
    "diem toi da": "max_points",
    "diem": "max_points",
}
_READ = ("code", "title", "guidance", "evidence_hint", "max_points", "note")


class _Reader:
    def __init__(self):
        self.errors: list[Problem] = []
        self.meta: dict[str, Any] = {}
        self.rows: list[tuple[int, dict[str, Any], set[str]]] = []
        self.superior: Decimal | None = None
        self.params: dict[str, Decimal] = {}
        self.bands: list[dict] | None = None

    def error(self, row, column, message):
        self.errors.append(Problem(row, column, message))

    # The main sheet ---------------------------------------------------------------------------

    def header_of(self, cells) -> dict[int, str] | None:
        found: dict[int, str] = {}
        for idx, cell in enumerate(cells):
            if cell is None or cell.data_type in ("f", "e") or xlsx.is_blank(cell.value):
                continue
            name = _HEADER_KEYS.get(xlsx.header_key(cell.value))
            if name and name not in found.values():
                found[idx] = name
        names = set(found.values())
        return found if {"code", "title", "max_points"} <= names else None

    def meta_row(self, number, cells) -> None:
        cell = next((c for c in cells if c is not None and not xlsx.is_blank(c.value)), None)
        if cell is None:
            return
        try:
            text = xlsx.as_text(_cell_value(cell))
        except _Bad as exc:
            self.error(number, "", str(exc))
            return
        key = fold(text)
        rest = text.split(":", 1)[1].strip() if ":" in text else ""
        if key.startswith("can cu"):
            self.meta["legal_basis"] = (number, rest)
        elif key.startswith("ap dung cho"):
            self.meta["applies_to"] = (number, rest)
        elif key.startswith("nam ap dung"):
            self.meta["years"] = (number, rest)
        elif "name" not in self.meta:
            self.meta["name"] = (number, text)

    def main_sheet(self, ws) -> bool:
        ws.reset_dimensions()
        header: dict[int, str] | None = None
        for number, cells in enumerate(ws.iter_rows(min_row=1, max_col=xlsx.MAX_COLUMNS), start=1):
            if number > xlsx.MAX_SCAN_ROWS:
                self.error(None, "", xlsx.too_many_rows())
                return True
            if header is None:
                header = self.header_of(cells)
                if header is None:
                    if number > 30:
                        return False
                    self.meta_row(number, cells)
                continue
            raw: dict[str, Any] = {}
            bad: dict[str, str] = {}
            for idx, name in header.items():
                if name not in _READ or idx >= len(cells):
                    continue
                try:
                    value = _cell_value(cells[idx])
                except _Bad as exc:
                    bad[name] = str(exc)
                    continue
                if value is not None:
                    raw[name] = value
            if not raw and not bad:
                continue
            label = fold(xlsx.as_text(raw.get("title"))) if not raw.get("code") else fold(xlsx.as_text(raw["code"]))
            if label in ("cong", "tong cong", "tong diem", "tong so diem"):
                break  # the total row: everything below is a footer
            if fold(SUPERIOR_MARK) in fold(xlsx.as_text(raw.get("note"))):
                try:
                    self.superior = parse_points(raw.get("max_points"))
                except _Bad as exc:
                    self.error(number, _title("max_points"), str(exc))
                continue
            if len(self.rows) >= MAX_ROWS:
                self.error(None, "", xlsx.too_many_rows())
                return True
            for name, message in bad.items():
                self.error(number, _title(name), message)
            self.rows.append((number, raw, set(bad)))
        return header is not None

    # The parameters sheet --------------------------------------------------------------------

    def params_sheet(self, ws) -> None:
        ws.reset_dimensions()
        keys = {fold(title): name for name, title in PARAMS}
        in_bands = False
        bands: list[dict] = []
        for number, cells in enumerate(ws.iter_rows(min_row=1, max_col=3), start=1):
            if number > 200:
                break
            values = []
            try:
                values = [_cell_value(c) for c in (*cells, None, None, None)[:3]]
            except _Bad as exc:
                self.error(number, PARAMS_SHEET, str(exc))
                continue
            first = fold(xlsx.as_text(values[0]))
            if first == fold(BAND_HEADER[0]) and fold(xlsx.as_text(values[1])) == fold(BAND_HEADER[1]):
                in_bands = True
                continue
            if in_bands:
                if values[0] is None and values[1] is None:
                    continue
                self.band_row(number, values, bands)
            elif first in keys:
                try:
                    self.params[keys[first]] = parse_points(values[1])
                except _Bad as exc:
                    self.error(number, f"{PARAMS_SHEET}: {xlsx.as_text(values[0])}", str(exc))
        if in_bands:
            self.bands = bands

    def band_row(self, number, values, bands) -> None:
        column = f"{PARAMS_SHEET}: {BAND_HEADER[0]}"
        label = xlsx.as_text(values[0])
        if not label:
            self.error(number, column, _("Thiếu tên mức xếp loại."))
            return
        if len(label) > 64:
            self.error(number, column, _("Tên mức xếp loại dài quá 64 ký tự."))
            return
        if any(b["label"] == label for b in bands):
            self.error(number, column, _("Mức xếp loại “%(l)s” bị trùng.") % {"l": label})
            return
        try:
            score = parse_points(values[1])
        except _Bad as exc:
            self.error(number, f"{PARAMS_SHEET}: {BAND_HEADER[1]}", str(exc))
            return
        if score is None:
            self.error(number, f"{PARAMS_SHEET}: {BAND_HEADER[1]}", _("Thiếu điểm tối thiểu."))
            return
        no_zero = False
        if values[2] is not None:
            try:
                no_zero = xlsx.parse_bool(values[2])
            except xlsx.CellError as exc:
                self.error(number, f"{PARAMS_SHEET}: {BAND_HEADER[2]}", str(exc))
                return
        bands.append({"label": label, "min_score": score, "no_zero_criterion": no_zero})


def _title(name: str) -> str:
    return next(title for n, title, _w in COLUMNS if n == name)


def _set_data(reader: _Reader) -> dict:
    data: dict[str, Any] = {}
    number, name = reader.meta.get("name", (1, ""))
    if not name:
        reader.error(1, "", _("Thiếu tên bộ tiêu chí ở dòng đầu của trang “%(s)s”.") % {"s": SHEET})
    elif len(name) > 255:
        reader.error(number, "", _("Tên bộ tiêu chí dài quá 255 ký tự."))
    data["name"] = name
    number, basis = reader.meta.get("legal_basis", (None, ""))
    if basis in ("—", "-"):
        basis = ""
    if len(basis) > 255:
        reader.error(number, "", _("Căn cứ dài quá 255 ký tự."))
    data["legal_basis"] = basis
    number, applies = reader.meta.get("applies_to", (None, ""))
    value = _APPLIES.get(fold(applies))
    if value is None:
        reader.error(
            number,
            "",
            _("Thiếu dòng “Áp dụng cho: …” hoặc loại đơn vị không hợp lệ. Ghi một trong: %(a)s.")
            % {"a": "; ".join(str(c.label) for c in AppliesTo)},
        )
    data["applies_to"] = value
    number, years_text = reader.meta.get("years", (None, ""))
    years = [int(y) for y in re.findall(r"\b(\d{4})\b", years_text)]
    if not years or not all(1990 <= y <= 2100 for y in years):
        reader.error(number, "", _("Thiếu dòng “Năm áp dụng: từ … đến …” (năm có 4 chữ số, từ 1990 đến 2100)."))
        years = [0]
    elif len(years) > 1 and years[1] < years[0]:
        reader.error(number, "", _("Năm kết thúc phải sau năm bắt đầu."))
    data["year_from"] = years[0]
    data["year_to"] = years[1] if len(years) > 1 else None
    return data


def _criteria(reader: _Reader) -> list[dict]:
    rows: list[dict] = []
    seen: dict[str, int] = {}
    group: str | None = None
    for number, raw, unread in reader.rows:
        row: dict[str, Any] = {}
        bad = set(unread)
        for name, limit in (("code", 16), ("title", 500), ("guidance", 5000), ("evidence_hint", 500)):
            try:
                row[name] = _text(raw.get(name), limit)
            except _Bad as exc:
                reader.error(number, _title(name), str(exc))
                bad.add(name)
        note = fold(xlsx.as_text(raw.get("note")))
        code = row.get("code", "")
        is_group = fold(GROUP_MARK) in note or bool(_ROMAN.match(code))
        if not code and "code" not in bad:
            reader.error(number, _title("code"), _("Thiếu mã tiêu chí (TT)."))
        elif code in seen:
            reader.error(number, _title("code"), _("Mã “%(c)s” trùng với dòng %(n)s.") % {"c": code, "n": seen[code]})
        elif code:
            seen[code] = number
        if not row.get("title") and "title" not in bad:
            reader.error(number, _title("title"), _("Thiếu tên tiêu chí."))
        try:
            points = parse_points(raw.get("max_points"))
        except _Bad as exc:
            reader.error(number, _title("max_points"), str(exc))
            points = Decimal("0")
            bad.add("max_points")
        if points is None or (points == 0 and not is_group):
            if not is_group and "max_points" not in bad:
                reader.error(number, _title("max_points"), _("Tiêu chí phải có điểm chuẩn lớn hơn 0."))
            points = Decimal("0")
        if is_group:
            group = code
        rows.append(
            {
                **row,
                "is_group": is_group,
                "parent_code": "" if is_group else (group or ""),
                "max_points": points,
                "evidence_required": fold(EVIDENCE_MARK) in note,
                "order": len(rows) + 1,
            }
        )
    if not reader.rows:
        reader.error(None, "", _("Tệp không có tiêu chí nào dưới dòng tiêu đề."))
    return rows


def import_xlsx(*, user, fileobj, province) -> ImportResult:
    """Read the upload and create a draft set for ``province``, or report every problem and save nothing."""
    data, problem = xlsx.safe_bytes(fileobj)
    if problem is not None:
        return ImportResult(errors=[Problem(None, "", problem)])
    wb = xlsx.open_workbook(data)
    if wb is None:
        return ImportResult(errors=[Problem(None, "", xlsx.unreadable())])
    reader = _Reader()
    try:
        params_ws = None
        found = False
        for ws in wb.worksheets:
            if xlsx.header_key(ws.title) == xlsx.header_key(PARAMS_SHEET):
                params_ws = ws
            elif not found:
                found = reader.main_sheet(ws)
                if not found:
                    reader.meta, reader.rows = {}, []
        if not found and not reader.errors:
            titles = " | ".join(title for _n, title, _w in COLUMNS)
            reader.error(
                None,
                "",
                _("Không tìm thấy dòng tiêu đề của bảng (%(t)s). Hãy dùng tệp xuất từ cổng.") % {"t": titles},
            )
        if params_ws is not None and found:
            reader.params_sheet(params_ws)
    except Exception:  # malformed sheet XML surfaces only while streaming
        return ImportResult(errors=[Problem(None, "", xlsx.unreadable())])
    finally:
        wb.close()
    if reader.errors:
        return ImportResult(errors=reader.errors)

    set_data = _set_data(reader)
    criteria = _criteria(reader)
    if reader.errors:
        return ImportResult(errors=reader.errors)
    params = reader.params
    superior = params.get("superior_points_max", reader.superior or Decimal("0"))
    scored = sum((c["max_points"] for c in criteria if not c["is_group"]), Decimal("0"))
    set_data.update(
        {
            "province": province,
            "is_illustrative": False,
            "total_points": params.get("total_points") or scored + superior,
            "score_step": params.get("score_step") or Decimal("0.5"),
            "superior_points_max": superior,
            "bonus_max": params.get("bonus_max", Decimal("0")),
            "penalty_max": params.get("penalty_max", Decimal("0")),
        }
    )
    bands = reader.bands if reader.bands else shipped.default_bands()
    try:
        with transaction.atomic():
            criteria_set = services.set_save(actor=user, data=set_data, criteria=criteria, bands=bands)
    except ValidationError as exc:
        return ImportResult(errors=[Problem(None, "", m) for m in exc.messages])
    except DatabaseError:
        return ImportResult(
            errors=[Problem(None, "", _("Không lưu được do lỗi cơ sở dữ liệu. Chưa có gì được lưu; hãy thử lại."))]
        )
    return ImportResult(criteria_set=criteria_set)
