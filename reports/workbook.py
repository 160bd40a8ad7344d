"""The compiled summary workbook (DOMAIN.md §11.4), written with openpyxl in write-only mode
so memory stays flat whatever the number of units: rows are streamed from the SQL of
reports/compilation.py straight into the sheets.

Layout of every table sheet: issuing body and "Biểu số" (rows 1–2), title, data window and
basis (rows 4–8), a two-row header merged by group ("Tiếp thường xuyên: số lượt" and
"Tiếp thường xuyên: số người" share a "Tiếp thường xuyên" cell), the numbered column row,
then per group a heading row, one row per unit and a "Cộng" row of live SUM formulas, a
"TỔNG CỘNG" row summing the group rows, and the signature block. Numbers are numeric cells
(#,##0), dates real dates shown dd/mm/yyyy; every piece of text is a string cell, never a
formula, whatever it starts with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from copy import copy
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from reports import compilation as c
from reports.models import ReportStatus

FONT = "Times New Roman"
INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
DATE_FORMAT = "dd/mm/yyyy"
FORMATS = {"int": INT_FORMAT, "money": INT_FORMAT, "decimal": DECIMAL_FORMAT, "percent": DECIMAL_FORMAT}
RISKY = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "{")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FILL = PatternFill("solid", fgColor="D9D9D9")
HEADER_FIRST = 10  # first header row of a table sheet
MAX_SUM_ARGS = 200  # Excel accepts 255 arguments per function


def _fill_key(fill) -> str | None:
    return None if fill is None else fill.fgColor.rgb


def clean(value) -> str:
    """Text as it may go into a cell: control characters removed (openpyxl refuses them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out, n = out + letters, n - value
    return out


def number(value):
    """A Decimal as the exact int it is, else a float (Excel stores doubles)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class Sheet:
    """A write-only sheet written row by row, with the house rules for cells."""

    def __init__(self, wb: Workbook, title: str, widths: list[float], freeze: str | None = None):
        self.ws = wb.create_sheet(title=clean(title)[:31])
        if freeze:
            self.ws.freeze_panes = freeze  # the sheet view is streamed with the first row: set it now
        # Also streamed first: fit the printed page to the width (the rest of the setup goes at the end).
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.width = len(widths)
        self.row = 0  # the last row written

    # cells
    def _styled(self, cell, key: tuple, apply) -> WriteOnlyCell:
        """Give ``cell`` the style ``key`` stands for. Building a style (fonts, borders… are
        hashed into the workbook's lists) costs far more than writing the cell, so each
        combination is built once per workbook and copied onto the next cells."""
        cache = self.ws.parent.__dict__.setdefault("_qcdc_styles", {})
        style = cache.get(key)
        if style is None:
            probe = WriteOnlyCell(self.ws)
            apply(probe)
            style = cache[key] = probe._style
        cell._style = copy(style)
        return cell

    def text(self, value, *, bold=False, italic=False, size=12, align="left", fill=None, box=True, wrap=True):
        cell = WriteOnlyCell(self.ws)
        text = clean(value)
        cell.value = text
        cell.data_type = "s"  # "=..." stays text: never a formula
        risky = text.startswith(RISKY)

        def apply(c):
            if risky:
                c.quotePrefix = True  # and stays text when someone edits the cell in Excel
            c.font = Font(name=FONT, size=size, bold=bold, italic=italic)
            c.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
            if box:
                c.border = BOX
            if fill is not None:
                c.fill = fill

        return self._styled(cell, ("t", risky, bold, italic, size, align, wrap, box, _fill_key(fill)), apply)

    def _number_style(self, cell, fmt: str, bold: bool, fill, kind: str) -> WriteOnlyCell:
        def apply(c):
            c.number_format = fmt
            c.font = Font(name=FONT, size=12, bold=bold)
            c.alignment = Alignment(horizontal="center" if kind == "d" else "right", vertical="center")
            c.border = BOX
            if fill is not None:
                c.fill = fill

        return self._styled(cell, (kind, fmt, bold, _fill_key(fill)), apply)

    def num(self, value, fmt=INT_FORMAT, *, bold=False, fill=None):
        return self._number_style(WriteOnlyCell(self.ws, value=number(value)), fmt, bold, fill, "n")

    def formula(self, expression: str, fmt=INT_FORMAT, *, fill=None):
        cell = WriteOnlyCell(self.ws, value=expression)  # our own formula: "=SUM(C12:C30)"
        return self._number_style(cell, fmt, True, fill, "n")

    def date(self, value: dt.date | dt.datetime | None):
        if isinstance(value, dt.datetime):
            value = value.date()
        return self._number_style(WriteOnlyCell(self.ws, value=value), DATE_FORMAT, False, None, "d")

    # rows
    def append(self, cells: list, height: float | None = None) -> int:
        self.row += 1
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(cells)
        return self.row

    def blank(self, n: int = 1) -> None:
        for _i in range(n):
            self.append([])

    def group_heading(self, number: int, name: str) -> int:
        """A group's heading row: its Roman number and name, shaded across the sheet."""
        return self.append(
            [
                self.text(roman(number), bold=True, align="center", fill=GROUP_FILL),
                self.text(name, bold=True, fill=GROUP_FILL),
                *[self.text("", fill=GROUP_FILL) for _i in range(self.width - 2)],
            ]
        )

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        if last_row > first_row or last_col > first_col:
            self.ws.merged_cells.add(
                f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
            )

    def line(self, pieces: list[tuple[int, int, str, dict]], height: float | None = None) -> int:
        """A row of merged text blocks: (first column, last column, text, style)."""
        cells: list = []
        for first, last, value, style in pieces:
            while len(cells) < first - 1:
                cells.append(None)
            cells.append(self.text(value, box=False, **style))
            cells.extend([None] * (last - first))
        r = self.append(cells, height)
        for first, last, _value, _style in pieces:
            self.merge(r, first, r, last)
        return r

    def print_setup(self, header_rows: tuple[int, int] | None) -> None:
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        if header_rows:
            ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"


def _header_block(sheet: Sheet, s: c.Summary, right: str, title: str, subtitle: str = "") -> None:
    """Rows 1–9: issuing body and "Biểu số", the title, the data window and the basis."""
    last = sheet.width
    split = max(2, last // 2)
    bold_c = {"bold": True, "align": "center"}
    sheet.line([(1, split, _("BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ Ở CƠ SỞ"), bold_c), (split + 1, last, right, bold_c)])
    sheet.line([(1, split, s.scope.name.upper(), bold_c)])
    sheet.blank()
    sheet.line([(1, last, title.upper(), {"bold": True, "size": 14, "align": "center"})], height=22)
    if subtitle:
        sheet.line([(1, last, subtitle.upper(), {"bold": True, "align": "center"})])
    else:
        sheet.blank()
    italic_c = {"italic": True, "align": "center"}
    window = _("(Số liệu tính từ ngày %(start)s đến ngày %(end)s)") % {
        "start": day(s.period.data_start),
        "end": day(s.period.data_end),
    }
    sheet.line([(1, last, window, italic_c)])
    sheet.line([(1, last, _("(Kèm theo Báo cáo số …/BC-BCĐ ngày … tháng … năm … của Ban Chỉ đạo)"), italic_c)])
    sheet.line([(1, last, basis(s), italic_c)])
    sheet.blank()


def basis(s: c.Summary) -> str:
    if s.include_submitted:
        return _(
            "Tổng hợp từ %(n)s báo cáo, trong đó %(p)s báo cáo đã gửi nhưng chưa phê duyệt (ghi chú “Chưa phê duyệt”)"
        ) % {"n": s.reports_included, "p": s.reports_pending}
    return _("Tổng hợp từ %(n)s báo cáo đã được phê duyệt") % {"n": s.reports_included}


def _signature(sheet: Sheet, s: c.Summary) -> None:
    last = sheet.width
    split = max(2, last // 2)
    place = s.province.name.replace("Tỉnh ", "").replace("Thành phố ", "")
    when = s.generated_at
    sheet.blank()
    sheet.line(
        [
            (
                split + 1,
                last,
                _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s")
                % {"place": place, "d": f"{when.day:02d}", "m": f"{when.month:02d}", "y": when.year},
                {"italic": True, "align": "center"},
            )
        ]
    )
    bold_c = {"bold": True, "align": "center"}
    sheet.line([(1, split, _("NGƯỜI LẬP BIỂU"), bold_c), (split + 1, last, _("TM. BAN CHỈ ĐẠO"), bold_c)])
    sheet.line(
        [
            (1, split, _("(Ký, ghi rõ họ tên, số điện thoại)"), {"italic": True, "align": "center"}),
            (split + 1, last, _("TRƯỞNG BAN"), bold_c),
        ]
    )
    sheet.blank(3)
    sheet.line([(1, split, s.requested_by, bold_c)])


def _sum_of(cells: list[str]) -> str:
    """=SUM(C12,C30,…), nested when there are more cells than one function takes."""
    parts = cells
    while len(parts) > MAX_SUM_ARGS:
        parts = [f"SUM({','.join(parts[i : i + MAX_SUM_ARGS])})" for i in range(0, len(parts), MAX_SUM_ARGS)]
    return f"=SUM({','.join(parts)})" if parts else "=0"


def _header_groups(columns: list[c.Column]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Group consecutive columns by the part of their name before ": " (two header rows)."""
    out: list[tuple[str, list[tuple[int, str]]]] = []
    for i, col in enumerate(columns):
        head, sep, leaf = col.name.partition(": ")
        label = leaf if sep else col.name
        if col.unit_of_measure:
            label = f"{label} ({col.unit_of_measure})"
        group = head if sep else ""
        if out and group and out[-1][0] == group:
            out[-1][1].append((i, label))
        else:
            out.append((group, [(i, label)]))
    return out


def _table_header(sheet: Sheet, columns: list[c.Column], first_col_title: str = "Đơn vị") -> None:
    """Two merged header rows and the numbered column row (repeated on every printed page)."""
    n = len(columns)
    bold = {"bold": True, "align": "center", "size": 11}
    top: list = [sheet.text("TT", **bold), sheet.text(_(first_col_title), **bold)]
    bottom: list = [sheet.text("", **bold), sheet.text("", **bold)]
    merges = [(HEADER_FIRST, 1, HEADER_FIRST + 1, 1), (HEADER_FIRST, 2, HEADER_FIRST + 1, 2)]
    for group, members in _header_groups(columns):
        first = members[0][0] + 3
        if group:
            top.append(sheet.text(group, **bold))
            top.extend(sheet.text("", **bold) for _m in members[1:])
            bottom.extend(sheet.text(label, **bold) for _i, label in members)
            merges.append((HEADER_FIRST, first, HEADER_FIRST, first + len(members) - 1))
        else:
            top.append(sheet.text(members[0][1], **bold))
            bottom.append(sheet.text("", **bold))
            merges.append((HEADER_FIRST, first, HEADER_FIRST + 1, first))
    top.append(sheet.text(_("Ghi chú"), **bold))
    bottom.append(sheet.text("", **bold))
    merges.append((HEADER_FIRST, n + 3, HEADER_FIRST + 1, n + 3))
    sheet.append(top, height=45)
    sheet.append(bottom, height=60)
    for m in merges:
        sheet.merge(*m)
    numbered = [
        sheet.text("A", italic=True, align="center", size=11),
        sheet.text("B", italic=True, align="center", size=11),
    ]
    numbered += [
        sheet.text(str(i) if col.summed else f"{i} ({_('bình quân')})", italic=True, align="center", size=11)
        for i, col in enumerate(columns, start=1)
    ]
    numbered.append(sheet.text(str(n + 1), italic=True, align="center", size=11))
    sheet.append(numbered)


def _aggregate_cells(sheet: Sheet, columns, ranges: list[str], col_of, fill, label: str, number_label: str, note=""):
    cells = [sheet.text(number_label, bold=True, align="center", fill=fill), sheet.text(label, bold=True, fill=fill)]
    for i, col in enumerate(columns):
        letter = col_of(i)
        refs = [r.format(col=letter) for r in ranges]
        if col.summed:
            cells.append(sheet.formula(_sum_of(refs), FORMATS.get(col.value_type, INT_FORMAT), fill=fill))
        else:
            expression = f'=IFERROR(AVERAGE({",".join(refs)}),"")' if len(refs) <= MAX_SUM_ARGS else ""
            cells.append(sheet.formula(expression, FORMATS.get(col.value_type, DECIMAL_FORMAT), fill=fill))
    cells.append(sheet.text(note, fill=fill))
    return sheet.append(cells)


def table_sheet(wb: Workbook, s: c.Summary, table: c.Table, rows) -> dict[int, int]:
    """One indicator table: returns {group key: its "Cộng" row} (for tests and the charts)."""
    columns = table.columns
    widths = [6, 34] + [13] * len(columns) + [22]
    sheet = Sheet(wb, f"Biểu {table.code}", widths, freeze="C13")
    _header_block(
        sheet,
        s,
        _("Biểu số %(code)s") % {"code": table.code},
        _("Tổng hợp kết quả thực hiện dân chủ ở cơ sở – %(period)s") % {"period": s.period.label},
        _("Biểu số %(code)s: %(title)s") % {"code": table.code, "title": table.title},
    )
    _table_header(sheet, columns)

    def col_of(i: int) -> str:
        return get_column_letter(i + 3)

    subtotal_rows: dict[int, int] = {}
    group_number = 0
    current = None
    first_data = 0
    index = 0

    def close_group():
        if current is None:
            return
        name = s.groups.get(current, "")
        r = _aggregate_cells(
            sheet,
            columns,
            [f"{{col}}{first_data}:{{col}}{sheet.row}"],
            col_of,
            GROUP_FILL,
            _("Cộng %(group)s (%(n)s đơn vị)") % {"group": name, "n": index},
            "",
        )
        subtotal_rows[current] = r

    for row in rows:
        if row.group != current:
            close_group()
            current = row.group
            group_number += 1
            index = 0
            sheet.group_heading(group_number, s.groups.get(current, ""))
            first_data = sheet.row + 1
        index += 1
        note = _("Chưa phê duyệt") if row.pending else ""
        sheet.append(
            [
                sheet.num(index, "0"),
                sheet.text(row.name),
                *[sheet.num(row.values.get(col.code), FORMATS.get(col.value_type, INT_FORMAT)) for col in columns],
                sheet.text(note),
            ]
        )
    close_group()
    if subtotal_rows:
        _aggregate_cells(
            sheet,
            columns,
            [f"{{col}}{r}" for r in subtotal_rows.values()],
            col_of,
            TOTAL_FILL,
            _("TỔNG CỘNG (%(n)s đơn vị)") % {"n": table.units},
            "",
        )
    else:
        sheet.line([(1, sheet.width, _("Chưa có báo cáo nào được tổng hợp cho biểu này."), {"italic": True})])
    if any(not col.summed for col in columns):
        sheet.line(
            [
                (
                    1,
                    sheet.width,
                    _("Ghi chú: cột tỷ lệ, điểm không cộng dồn; dòng cộng là số bình quân."),
                    {"italic": True},
                )
            ]
        )
    _signature(sheet, s)
    sheet.print_setup((HEADER_FIRST, HEADER_FIRST + 2))
    return subtotal_rows


# --- Cover, completeness, classification, petitions, charts ------------------------------------


def cover_sheet(wb: Workbook, s: c.Summary, sheet_names: list[str]) -> None:
    sheet = Sheet(wb, _("Bìa"), [48, 48])
    bold_c = {"bold": True, "align": "center"}
    sheet.line(
        [
            (1, 1, _("BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ Ở CƠ SỞ"), bold_c),
            (2, 2, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold_c),
        ]
    )
    sheet.line([(1, 1, s.scope.name.upper(), bold_c), (2, 2, "Độc lập - Tự do - Hạnh phúc", {**bold_c, "size": 13})])
    sheet.line([(2, 2, "―――――――――――――――", {"align": "center"})])
    sheet.blank(2)
    sheet.line([(1, 2, "BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ", {**bold_c, "size": 16})], height=28)
    sheet.line([(1, 2, s.period.label.upper(), {**bold_c, "size": 14})], height=22)
    sheet.line(
        [
            (
                1,
                2,
                _("(Số liệu tính từ ngày %(start)s đến ngày %(end)s)")
                % {"start": day(s.period.data_start), "end": day(s.period.data_end)},
                {"italic": True, "align": "center"},
            )
        ]
    )
    sheet.blank()
    facts = [
        (_("Phạm vi tổng hợp"), s.scope.name),
        (_("Kỳ báo cáo"), s.period.label),
        (_("Hạn gửi báo cáo"), day(s.period.due_date)),
        (_("Cơ sở số liệu"), basis(s)),
        (
            _("Tiến độ gửi báo cáo"),
            _("%(sub)s/%(exp)s đơn vị đã gửi; %(app)s đã phê duyệt; %(miss)s chưa gửi")
            % {
                "sub": s.completeness["submitted"],
                "exp": s.completeness["expected"],
                "app": s.completeness["approved"],
                "miss": s.completeness["missing"],
            },
        ),
        (_("Người lập"), s.requested_by),
        (
            _("Thời điểm lập"),
            _("%(time)s ngày %(date)s") % {"time": s.generated_at.strftime("%H:%M"), "date": day(s.generated_at)},
        ),
    ]
    for label, value in facts:
        # Write-only rows are not auto-fitted: give long values room for their second line.
        sheet.append([sheet.text(label, bold=True), sheet.text(value)], height=32 if len(value) > 55 else None)
    sheet.blank()
    sheet.append([sheet.text(_("Các biểu trong tệp"), bold=True, fill=GROUP_FILL), sheet.text("", fill=GROUP_FILL)])
    for name, description in sheet_names:
        sheet.append([sheet.text(name), sheet.text(description)])
    sheet.print_setup(None)
    sheet.ws.page_setup.orientation = "portrait"


STATE_LABELS = {
    "missing": "Chưa gửi",
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
}


def completeness_sheet(wb: Workbook, s: c.Summary, rows) -> dict[int, dict[str, int]]:
    """Every unit expected to report and its report's state; per-group counts for the charts."""
    widths = [6, 36, 22, 18, 14, 12, 10, 14, 20]
    sheet = Sheet(wb, _("Tiến độ"), widths, freeze="C12")
    _header_block(
        sheet, s, _("Tiến độ gửi báo cáo"), _("Tiến độ gửi báo cáo – %(period)s") % {"period": s.period.label}
    )
    titles = [
        "TT",
        "Đơn vị",
        "Loại đơn vị",
        "Trạng thái báo cáo",
        "Gửi lần đầu",
        "Đúng / trễ hạn",
        "Số lần gửi",
        "Phê duyệt ngày",
        "Ghi chú",
    ]
    bold = {"bold": True, "align": "center", "size": 11}
    sheet.append([sheet.text(_(t), **bold) for t in titles], height=32)
    sheet.append([sheet.text(str(i), italic=True, align="center", size=11) for i in range(1, len(titles) + 1)])
    statuses = dict(ReportStatus.choices)
    from units.models import UnitKind

    kinds = dict(UnitKind.choices)
    per_group: dict[int, dict[str, int]] = {}
    current = None
    number = 0
    index = 0
    for row in rows:
        if row["group"] != current:
            current = row["group"]
            number += 1
            index = 0
            sheet.group_heading(number, s.groups.get(current, ""))
        counts = per_group.setdefault(current, {"expected": 0, "approved": 0, "pending": 0, "missing": 0})
        counts["expected"] += 1
        if row["report_status"] in c.APPROVED:
            counts["approved"] += 1
        elif row["state"] == "missing":
            counts["missing"] += 1
        else:
            counts["pending"] += 1
        index += 1
        sheet.append(
            [
                sheet.num(index, "0"),
                sheet.text(row["name"]),
                sheet.text(kinds.get(row["kind"], row["kind"])),
                sheet.text(
                    statuses.get(row["report_status"], _("Chưa tạo báo cáo"))
                    if row["report_status"]
                    else _("Chưa tạo báo cáo")
                ),
                sheet.date(row["first_submitted_at"] and _local(row["first_submitted_at"])),
                sheet.text(_(STATE_LABELS[row["state"]]), align="center"),
                sheet.num(row["rounds"] or 0, "0"),
                sheet.date(row["approved_at"] and _local(row["approved_at"])),
                sheet.text(""),
            ]
        )
    sheet.blank()
    t = s.completeness
    summary = [
        (_("Số đơn vị phải báo cáo"), t["expected"]),
        (_("Đã gửi"), t["submitted"]),
        (_("Trong đó đúng hạn"), t["on_time"]),
        (_("Trễ hạn"), t["late"]),
        (_("Chưa gửi"), t["missing"]),
        (_("Đã phê duyệt"), t["approved"]),
        (_("Bị trả lại, chờ gửi lại"), t["returned"]),
    ]
    for label, value in summary:
        rate = f"{value}/{t['expected']} = {_pct(value, t['expected'])}" if t["expected"] else ""
        sheet.append([sheet.text(""), sheet.text(label, bold=True), sheet.num(value), sheet.text(rate)])
    _signature(sheet, s)
    sheet.print_setup((HEADER_FIRST, HEADER_FIRST + 1))
    return per_group


def _local(value: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _pct(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%".replace(".", ",") if whole else ""


def classification_sheet(wb: Workbook, s: c.Summary, rows) -> None:
    """Biểu 13: self-score, reviewed score and classification of every unit, grouped."""
    widths = [6, 36, 13, 13, 16, 16, 30]
    sheet = Sheet(wb, "Biểu 13", widths, freeze="C12")
    _header_block(
        sheet,
        s,
        _("Biểu số 13"),
        _("Tổng hợp kết quả thực hiện dân chủ ở cơ sở – %(period)s") % {"period": s.period.label},
        _("Biểu số 13: Kết quả tự chấm điểm và xếp loại"),
    )
    titles = ["TT", "Đơn vị", "Điểm tự chấm", "Điểm thẩm định", "Xếp loại", "Tự xếp loại", "Ghi chú"]
    bold = {"bold": True, "align": "center", "size": 11}
    sheet.append([sheet.text(_(t), **bold) for t in titles], height=32)
    sheet.append([sheet.text(str(i), italic=True, align="center", size=11) for i in range(1, len(titles) + 1)])
    current, number, index = None, 0, 0
    for row in rows:
        if row["group"] != current:
            current = row["group"]
            number += 1
            index = 0
            sheet.group_heading(number, s.groups.get(current, ""))
        index += 1
        sheet.append(
            [
                sheet.num(index, "0"),
                sheet.text(row["unit__name"]),
                sheet.num(row["self_total"], DECIMAL_FORMAT),
                sheet.num(row["review_total"], DECIMAL_FORMAT),
                sheet.text(row["review_class"] or _("Chưa xếp loại"), align="center"),
                sheet.text(row["self_class"], align="center"),
                sheet.text(row["note"]),
            ]
        )
    sheet.blank()
    sheet.append([sheet.text(""), sheet.text(_("Xếp loại"), bold=True), sheet.text(_("Số đơn vị"), bold=True)])
    for label, n in s.classification:
        sheet.append([sheet.text(""), sheet.text(label), sheet.num(n)])
    _signature(sheet, s)
    sheet.print_setup((HEADER_FIRST, HEADER_FIRST + 1))


PETITION_COLUMNS = [
    ("raised", "Số ý kiến, kiến nghị"),
    ("answered", "Trả lời tại hội nghị"),
    ("resolved", "Đã giải quyết"),
    ("transferred", "Chuyển cấp có thẩm quyền"),
    ("open", "Đang giải quyết"),
    ("overdue", "Quá hạn"),
]


def petitions_sheet(wb: Workbook, s: c.Summary, rows) -> dict[int, dict[str, int]]:
    """Petitions raised at the window's sessions, per unit: raised, resolved, overdue and the
    resolution rate as a live formula (resolved / raised) on every row, group and total."""
    widths = [6, 36] + [13] * len(PETITION_COLUMNS) + [13, 20]
    sheet = Sheet(wb, _("Kiến nghị"), widths, freeze="C12")
    _header_block(
        sheet,
        s,
        _("Kiến nghị"),
        _("Tổng hợp kết quả thực hiện dân chủ ở cơ sở – %(period)s") % {"period": s.period.label},
        _("Ý kiến, kiến nghị của Nhân dân và kết quả giải quyết"),
    )
    titles = ["TT", "Đơn vị", *[t for _k, t in PETITION_COLUMNS], "Tỷ lệ giải quyết (%)", "Ghi chú"]
    bold = {"bold": True, "align": "center", "size": 11}
    sheet.append([sheet.text(_(t), **bold) for t in titles], height=45)
    n = len(PETITION_COLUMNS)
    numbered = [str(i) for i in range(1, len(titles) + 1)]
    numbered[n + 2] = f"{n + 3} = 5/3"
    sheet.append([sheet.text(t, italic=True, align="center", size=11) for t in numbered])
    raised_col, resolved_col = get_column_letter(3), get_column_letter(5)

    def rate(r: int, fill=None):
        return sheet.formula(
            f'=IF({raised_col}{r}=0,"",ROUND({resolved_col}{r}*100/{raised_col}{r},1))', DECIMAL_FORMAT, fill=fill
        )

    per_group: dict[int, dict[str, int]] = {}
    subtotals: list[int] = []
    current, number, index, first = None, 0, 0, 0

    def close():
        if current is None:
            return
        r = sheet.row + 1
        cells = [
            sheet.text("", fill=GROUP_FILL),
            sheet.text(_("Cộng %(group)s") % {"group": s.groups.get(current, "")}, bold=True, fill=GROUP_FILL),
        ]
        for i in range(n):
            letter = get_column_letter(i + 3)
            cells.append(sheet.formula(f"=SUM({letter}{first}:{letter}{r - 1})", fill=GROUP_FILL))
        cells += [rate(r, GROUP_FILL), sheet.text("", fill=GROUP_FILL)]
        sheet.append(cells)
        subtotals.append(r)

    for row in rows:
        if row["group"] != current:
            close()
            current = row["group"]
            number += 1
            index = 0
            sheet.group_heading(number, s.groups.get(current, ""))
            first = sheet.row + 1
        index += 1
        group = per_group.setdefault(current, dict.fromkeys((k for k, _t in PETITION_COLUMNS), 0))
        for key, _title in PETITION_COLUMNS:
            group[key] = group.get(key, 0) + row[key]
        r = sheet.row + 1
        sheet.append(
            [
                sheet.num(index, "0"),
                sheet.text(row["session__unit__name"]),
                *[sheet.num(row[key]) for key, _t in PETITION_COLUMNS],
                rate(r),
                sheet.text(""),
            ]
        )
    close()
    if subtotals:
        r = sheet.row + 1
        cells = [sheet.text("", fill=TOTAL_FILL), sheet.text(_("TỔNG CỘNG"), bold=True, fill=TOTAL_FILL)]
        for i in range(n):
            letter = get_column_letter(i + 3)
            cells.append(sheet.formula(_sum_of([f"{letter}{x}" for x in subtotals]), fill=TOTAL_FILL))
        cells += [rate(r, TOTAL_FILL), sheet.text("", fill=TOTAL_FILL)]
        sheet.append(cells)
    else:
        sheet.line([(1, sheet.width, _("Không có ý kiến, kiến nghị nào trong kỳ."), {"italic": True})])
    sheet.line(
        [
            (
                1,
                sheet.width,
                _("Theo dữ liệu kiến nghị trên cổng, tính đến %(time)s ngày %(date)s.")
                % {"time": s.generated_at.strftime("%H:%M"), "date": day(s.generated_at)},
                {"italic": True},
            )
        ]
    )
    _signature(sheet, s)
    sheet.print_setup((HEADER_FIRST, HEADER_FIRST + 1))
    return per_group


def charts_sheet(wb: Workbook, s: c.Summary, completeness_by_group, petitions_by_group) -> None:
    """Native Excel charts of the main series, drawn from a small table of values on the sheet."""
    sheet = Sheet(wb, _("Biểu đồ"), [34, 14, 14, 14, 14, 14, 14])
    sessions = s.table("02")
    sessions_by_group = {}
    if sessions and sessions.columns:
        first = sessions.columns[0].code
        sessions_by_group = {g.key: g.values.get(first) for g in sessions.groups}
    bold = {"bold": True, "align": "center", "size": 11}
    sheet.line([(1, 7, _("Số liệu của các biểu đồ"), {"bold": True, "size": 13})])
    header = [
        "Đơn vị",
        "Đã phê duyệt",
        "Đã gửi, chưa phê duyệt",
        "Chưa gửi",
        "Cuộc đối thoại",
        "Ý kiến, kiến nghị",
        "Đã giải quyết",
    ]
    head_row = sheet.append([sheet.text(_(t), **bold) for t in header], height=32)
    for key, name in s.groups.items():
        comp = completeness_by_group.get(key, {})
        pet = petitions_by_group.get(key, {})
        if not comp and not pet and key not in sessions_by_group:
            continue
        sheet.append(
            [
                sheet.text(name),
                sheet.num(comp.get("approved", 0)),
                sheet.num(comp.get("pending", 0)),
                sheet.num(comp.get("missing", 0)),
                sheet.num(sessions_by_group.get(key) or 0),
                sheet.num(pet.get("raised", 0)),
                sheet.num(pet.get("resolved", 0)),
            ]
        )
    last = sheet.row
    sheet.blank()
    class_head = sheet.append([sheet.text(_("Xếp loại"), **bold), sheet.text(_("Số đơn vị"), **bold)])
    for label, n in s.classification:
        sheet.append([sheet.text(label), sheet.num(n)])
    class_last = sheet.row
    ws = sheet.ws
    if last > head_row:
        labels = Reference(ws, min_col=1, min_row=head_row + 1, max_row=last)
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = _("Tiến độ gửi báo cáo theo đơn vị")
        chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=head_row, max_row=last), titles_from_data=True)
        chart.set_categories(labels)
        chart.height, chart.width = 9 + 0.4 * (last - head_row), 18
        ws.add_chart(chart, "I2")
        chart = BarChart()
        chart.title = _("Ý kiến, kiến nghị và kết quả giải quyết")
        chart.add_data(Reference(ws, min_col=6, max_col=7, min_row=head_row, max_row=last), titles_from_data=True)
        chart.set_categories(labels)
        chart.height, chart.width = 9, 18
        ws.add_chart(chart, "I30")
        chart = BarChart()
        chart.title = _("Số cuộc tiếp xúc, đối thoại")
        chart.add_data(Reference(ws, min_col=5, min_row=head_row, max_row=last), titles_from_data=True)
        chart.set_categories(labels)
        chart.height, chart.width = 9, 18
        ws.add_chart(chart, "I50")
    if class_last > class_head:
        pie = PieChart()
        pie.title = _("Kết quả xếp loại")
        pie.add_data(Reference(ws, min_col=2, min_row=class_head, max_row=class_last), titles_from_data=True)
        pie.set_categories(Reference(ws, min_col=1, min_row=class_head + 1, max_row=class_last))
        pie.height, pie.width = 9, 12
        ws.add_chart(pie, "I70")
    sheet.print_setup(None)


def write_workbook(
    s: c.Summary, path, *, today: dt.date, progress: Callable[[int, str], None] = lambda pct, step: None
) -> None:
    """Write the whole workbook to ``path`` (the caller renames it into place)."""
    wb = Workbook(write_only=True)
    scope, period = s.scope, s.period
    names = [(_("Tiến độ"), _("Tiến độ gửi báo cáo của các đơn vị"))]
    for table in s.tables:
        names.append((f"Biểu {table.code}", table.title))
    names.append((_("Kiến nghị"), _("Ý kiến, kiến nghị của Nhân dân và kết quả giải quyết")))
    names.append((_("Biểu đồ"), _("Biểu đồ các chỉ tiêu chính")))
    cover_sheet(wb, s, names)
    progress(10, _("Tiến độ gửi báo cáo"))
    completeness_by_group = completeness_sheet(wb, s, c.completeness_rows(scope, period, s.groups))
    steps = len(s.tables) or 1
    for i, table in enumerate(s.tables):
        progress(15 + 70 * i // steps, _("Biểu số %(code)s") % {"code": table.code})
        if table.code == c.CLASSIFICATION_TABLE:
            classification_sheet(wb, s, c.classification_rows(scope, period, s.groups))
        else:
            table_sheet(wb, s, table, c.table_rows(scope, period, table, s.groups, s.include_submitted))
    progress(88, _("Kiến nghị"))
    petitions_by_group = petitions_sheet(wb, s, c.petition_rows(scope, period, s.groups, today))
    charts_sheet(wb, s, completeness_by_group, petitions_by_group)
    progress(92, _("Ghi tệp"))
    wb.save(path)
