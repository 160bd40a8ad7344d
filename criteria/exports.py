"""Biểu 13 – the ranking of self-scores and classifications as .xlsx (DOMAIN.md §11.4).

A pure function of the rows it is given (no queries), so the ranking page and the period
compilation (Step G) write the same workbook. Numbers are numeric cells; every piece of text
(unit names, notes, labels) is written as a string cell, never as a formula, whatever it
starts with ("=", "+", "-", "@").
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from qcdc_portal.lib.text import fold

FONT = "Times New Roman"
SCORE_FORMAT = "#,##0.0"
UNCLASSIFIED = gettext_noop("Chưa xếp loại")
COLUMNS = (
    ("TT", 6),
    ("Đơn vị", 44),
    ("Điểm tự chấm", 12),
    ("Điểm thẩm định", 12),
    ("Xếp loại", 15),
    ("Tự xếp loại", 15),
    ("Ghi chú", 38),
)
HEADER_ROW = 9  # the column titles; the numbered row is right below, data after it
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class RankingRow:
    """One unit's line in Biểu 13. ``group`` is the district's name (None: right under the province)."""

    unit_name: str
    group: str | None
    self_total: Decimal | None
    review_total: Decimal | None
    review_class: str
    self_class: str
    note: str = ""


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")):
        while n >= value:
            out, n = out + letters, n - value
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def counts_text(counts: dict[str, int], labels: Sequence[str]) -> str:
    """ "Xuất sắc: 2; Tốt: 3; Chưa xếp loại: 1" in the order of ``labels`` (others after them)."""
    order = [label for label in labels if label in counts] + sorted(
        (label for label in counts if label not in labels and label), key=fold
    )
    parts = [f"{label}: {counts[label]}" for label in order if label and counts[label]]
    if counts.get(""):
        parts.append(f"{_(UNCLASSIFIED)}: {counts['']}")
    return "; ".join(parts)


def _count(rows: Sequence[RankingRow]) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        out[row.review_class] = out.get(row.review_class, 0) + 1
    return out


class _Sheet:
    """Cell writing with the house rules: text is always a string, numbers are numbers."""

    def __init__(self, ws):
        self.ws = ws

    def text(self, row: int, col: int, value, *, bold=False, italic=False, size=12, align="left", wrap=True):
        cell = self.ws.cell(row=row, column=col)
        text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
        cell.value = text
        cell.data_type = "s"  # "=..." stays text: never a formula
        cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
        return cell

    def number(self, row: int, col: int, value, *, fmt=SCORE_FORMAT, bold=False):
        cell = self.ws.cell(row=row, column=col)
        cell.value = None if value is None else (float(value) if isinstance(value, Decimal) else value)
        cell.number_format = fmt
        cell.font = Font(name=FONT, size=12, bold=bold)
        cell.alignment = Alignment(horizontal="right", vertical="center")
        return cell

    def merged_text(self, row: int, first: int, last: int, value, **kwargs):
        cell = self.text(row, first, value, **kwargs)  # the value goes in before merging
        if last > first:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        return cell

    def box(self, row: int, *, fill=None):
        for col in range(1, len(COLUMNS) + 1):
            cell = self.ws.cell(row=row, column=col)
            cell.border = BOX
            if fill is not None:
                cell.fill = fill


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def ranking_workbook(
    rows: Sequence[RankingRow],
    *,
    period_label: str,
    data_start: dt.date | None,
    data_end: dt.date | None,
    scope_label: str,
    generated_at: dt.datetime,
    labels: Sequence[str] = (),
    issuer: str = "",
    place: str = "",
    kind_label: str = "",
) -> bytes:
    """Biểu 13 as .xlsx bytes: one row per unit, grouped by district with the count per
    classification on each group row; ``labels`` orders the classifications (highest first)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Biểu 13"
    sheet = _Sheet(ws)
    last = len(COLUMNS)
    for index, (_title, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    # Issuing body (left) and the national motto (right).
    sheet.merged_text(1, 1, 2, _("BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ Ở CƠ SỞ"), bold=True, align="center")
    sheet.merged_text(2, 1, 2, (issuer or "").upper(), bold=True, align="center")
    sheet.merged_text(1, 3, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align="center")
    sheet.merged_text(2, 3, last, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, align="center")
    sheet.merged_text(4, 1, last, "BIỂU 13 – KẾT QUẢ TỰ CHẤM ĐIỂM VÀ XẾP LOẠI", bold=True, size=14, align="center")
    sheet.merged_text(5, 1, last, period_label, bold=True, align="center")
    sheet.merged_text(
        6,
        1,
        last,
        _("(Số liệu tính từ ngày %(start)s đến ngày %(end)s)") % {"start": _date(data_start), "end": _date(data_end)},
        italic=True,
        align="center",
    )
    scope = _("Phạm vi: %(scope)s") % {"scope": scope_label}
    if kind_label:
        scope += " – " + _("Loại đơn vị: %(kind)s") % {"kind": kind_label}
    sheet.merged_text(7, 1, last, scope, italic=True, align="center")
    sheet.merged_text(
        8,
        1,
        last,
        _("Lập lúc %(time)s ngày %(date)s")
        % {"time": generated_at.strftime("%H:%M"), "date": generated_at.strftime("%d/%m/%Y")},
        italic=True,
        align="center",
    )

    # Header and the numbered column row, repeated on every printed page.
    for col, (title, _width) in enumerate(COLUMNS, start=1):
        sheet.text(HEADER_ROW, col, title, bold=True, align="center")
        sheet.number(HEADER_ROW + 1, col, col, fmt="0").alignment = Alignment(horizontal="center")
        ws.cell(row=HEADER_ROW + 1, column=col).font = Font(name=FONT, size=11, italic=True)
    sheet.box(HEADER_ROW)
    sheet.box(HEADER_ROW + 1)
    ws.row_dimensions[HEADER_ROW].height = 32

    # Groups: districts by name, units right under the province last; ranking order inside.
    groups: dict[str | None, list[RankingRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    ordered = sorted(groups.items(), key=lambda item: (item[0] is None, fold(item[0] or "")))
    r = HEADER_ROW + 2
    for number, (name, members) in enumerate(ordered, start=1):
        sheet.text(r, 1, _roman(number), bold=True, align="center")
        group_name = name if name is not None else _("Đơn vị trực thuộc tỉnh")
        sheet.text(r, 2, _("%(name)s (%(n)s đơn vị)") % {"name": group_name, "n": len(members)}, bold=True)
        sheet.text(r, 7, counts_text(_count(members), labels), bold=True)
        sheet.box(r, fill=GROUP_FILL)
        r += 1
        for index, row in enumerate(members, start=1):
            sheet.number(r, 1, index, fmt="0").alignment = Alignment(horizontal="center", vertical="center")
            sheet.text(r, 2, row.unit_name)
            sheet.number(r, 3, row.self_total)
            sheet.number(r, 4, row.review_total)
            sheet.text(r, 5, row.review_class, align="center")
            sheet.text(r, 6, row.self_class, align="center")
            sheet.text(r, 7, row.note)
            sheet.box(r)
            r += 1
    sheet.text(r, 2, _("TỔNG CỘNG (%(n)s đơn vị)") % {"n": len(rows)}, bold=True)
    sheet.text(r, 7, counts_text(_count(rows), labels), bold=True)
    sheet.box(r, fill=GROUP_FILL)

    # Signature block.
    r += 2
    sheet.merged_text(
        r,
        5,
        last,
        _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s")
        % {
            "place": place or "…",
            "d": f"{generated_at.day:02d}",
            "m": f"{generated_at.month:02d}",
            "y": generated_at.year,
        },
        italic=True,
        align="center",
    )
    r += 1
    sheet.merged_text(r, 1, 2, _("NGƯỜI LẬP BIỂU"), bold=True, align="center")
    sheet.merged_text(r, 5, last, _("TM. BAN CHỈ ĐẠO"), bold=True, align="center")
    r += 1
    sheet.merged_text(r, 1, 2, _("(Ký, ghi rõ họ tên)"), italic=True, align="center")
    sheet.merged_text(r, 5, last, _("(Ký, ghi rõ họ tên, đóng dấu)"), italic=True, align="center")

    # A4 landscape, fit to the page width, header rows repeated, panes frozen below them.
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    ws.print_area = f"A1:{get_column_letter(last)}{r}"
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 2, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
