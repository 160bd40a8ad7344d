"""F1, the floor of the compilation (DESIGN.md "Quality bars"; RELIABILITY-PERFORMANCE.md B5):
the least work that writes the same figures into an .xlsx file.

Per indicator table, ONE hand-written SQL statement — a GROUP BY unit over the included
reports' values, pivoted with ``MAX(CASE WHEN indicator = … THEN value END)`` — read through a
server-side cursor (``connection.chunked_cursor()``: a named cursor on PostgreSQL) and streamed
into an openpyxl write-only workbook, one row per unit; Biểu 13 from the score sheets, the
completeness list and the petitions per unit likewise (the workbook's other per-unit sheets).
No styles, merges, formulas, subtotals, cover, charts or narrative. ``pad_to`` then appends
plain numeric cells until the file holds exactly as many cells as the product's workbook, so
both write the same number of cells and the ratio measures what the product adds on top.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from django.db import connection
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from criteria.models import ScoreSheet
from dialogues.models import DialogueSession, Petition
from reports.models import Indicator, IndicatorTable, ReportValue, UnitReport
from reports.services import REPORTING_KINDS
from units.models import Unit

CLASSIFICATION_TABLE = "13"
APPROVED = ("approved", "locked")
SUBMITTED = ("submitted", "resubmitted")
PAD_WIDTH = 20
RISKY = ("=", "+", "-", "@")


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _like(path: str) -> str:
    return path + "%"  # a unit path is digits and slashes only: nothing to escape


def _local_day(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone(dt.timedelta(hours=7))).date() if value.tzinfo else value.date()
    return value


class _Out:
    """A write-only workbook that counts the cells it writes."""

    def __init__(self):
        self.wb = Workbook(write_only=True)
        self.cells = 0
        self.rows: dict[str, int] = {}

    def sheet(self, title: str, header: list[str]):
        ws = self.wb.create_sheet(title=title)
        ws.append(header)
        self.cells += len(header)
        self.rows[title] = 0
        return ws

    def text(self, ws, value) -> object:
        value = ILLEGAL_CHARACTERS_RE.sub("", value or "")
        if value.startswith(RISKY):  # user text is never a formula, in the floor too
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            return cell
        return value

    def row(self, ws, title: str, cells: list) -> None:
        ws.append(cells)
        self.cells += sum(1 for c in cells if c is not None)
        self.rows[title] += 1


def _stream(sql: str, params: list):
    with connection.chunked_cursor() as cur:
        cur.execute(sql, params)
        while True:
            batch = cur.fetchmany(2000)
            if not batch:
                return
            yield from batch


def columns_of(province_id: int, data_start: dt.date) -> list[tuple[int, str, list[int]]]:
    """The province's tables and their indicator ids in force (one query)."""
    sql = (
        f"SELECT t.id, t.code, i.id FROM {_t(IndicatorTable)} t JOIN {_t(Indicator)} i ON i.table_id = t.id "  # noqa: S608
        'WHERE t.province_id = %s AND (i.retired_on IS NULL OR i.retired_on > %s) ORDER BY t."order", t.code, '
        'i."order", i.code'
    )
    tables: dict[int, tuple[int, str, list[int]]] = {}
    with connection.cursor() as cur:
        cur.execute(sql, [province_id, data_start])
        for table_id, code, indicator_id in cur.fetchall():
            tables.setdefault(table_id, (table_id, code, []))[2].append(indicator_id)
    return list(tables.values())


def write_floor(
    scope: Unit, period, path, *, today: dt.date, include_submitted: bool = False, pad_to: int | None = None
) -> dict:
    """Write F1 for ``scope`` and ``period`` to ``path``; returns the cells and rows written."""
    out = _Out()
    like = _like(scope.path)
    statuses = APPROVED + (SUBMITTED if include_submitted else ())
    marks = ", ".join(["%s"] * len(statuses))
    for _table_id, code, indicators in columns_of(period.province_id, period.data_start):
        title = f"Biểu {code}"
        if code == CLASSIFICATION_TABLE:
            ws = out.sheet(
                title, ["TT", "Đơn vị", "Điểm tự chấm", "Điểm thẩm định", "Xếp loại", "Tự xếp loại", "Ghi chú"]
            )
            sql = (
                f"SELECT u.name, s.self_total, s.review_total, s.review_class, s.self_class, s.note "  # noqa: S608
                f"FROM {_t(ScoreSheet)} s JOIN {_t(Unit)} u ON u.id = s.unit_id "
                "WHERE s.period_id = %s AND u.path LIKE %s ORDER BY u.id"
            )
            for i, (name, self_total, review_total, review_class, self_class, note) in enumerate(
                _stream(sql, [period.pk, like]), start=1
            ):
                cells = [i, out.text(ws, name), self_total, review_total, review_class, self_class, note]
                out.row(ws, title, cells)
            continue
        ws = out.sheet(title, ["TT", "Đơn vị", *[str(n) for n in range(1, len(indicators) + 1)], "Ghi chú"])
        pivot = ", ".join(f"MAX(CASE WHEN v.indicator_id = {int(i)} THEN v.value END)" for i in indicators)
        sql = (
            f"SELECT u.id, u.name, r.status, {pivot} FROM {_t(ReportValue)} v "  # noqa: S608
            f"JOIN {_t(UnitReport)} r ON r.id = v.report_id JOIN {_t(Unit)} u ON u.id = r.unit_id "
            f"WHERE r.period_id = %s AND r.status IN ({marks}) AND u.path LIKE %s "
            f"AND v.indicator_id IN ({', '.join(str(int(i)) for i in indicators)}) "
            "GROUP BY u.id, u.name, r.status ORDER BY u.id"
        )
        for i, row in enumerate(_stream(sql, [period.pk, *statuses, like]), start=1):
            note = "Chưa phê duyệt" if row[2] in SUBMITTED else ""
            out.row(ws, title, [i, out.text(ws, row[1]), *row[3:], note])
    # The completeness list: every unit expected to report, with its report's state.
    ws = out.sheet("Tiến độ", ["TT", "Đơn vị", "Loại", "Trạng thái", "Gửi", "Đúng/trễ", "Số lần", "Duyệt", "Ghi chú"])
    kinds = list(REPORTING_KINDS)
    cutoff = period.due_date + dt.timedelta(days=1)
    sql = (
        f"SELECT u.name, u.kind, r.status, r.first_submitted_at, r.rounds, r.approved_at "  # noqa: S608
        f"FROM {_t(Unit)} u LEFT JOIN {_t(UnitReport)} r ON r.unit_id = u.id AND r.period_id = %s "
        f"WHERE u.path LIKE %s AND u.kind IN ({', '.join(['%s'] * len(kinds))}) "
        "AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s) ORDER BY u.id"
    )
    params = [period.pk, like, *kinds, period.data_end, period.data_end]
    for i, (name, kind, status, sent, rounds, approved) in enumerate(_stream(sql, params), start=1):
        sent = _local_day(sent)
        state = "Chưa gửi" if sent is None else "Đúng hạn" if sent < cutoff else "Trễ hạn"
        cells = [i, out.text(ws, name), kind, status or "", sent, state, rounds or 0, _local_day(approved), ""]
        out.row(ws, "Tiến độ", cells)
    # Petitions raised at the window's sessions, per unit (one GROUP BY).
    ws = out.sheet("Kiến nghị", ["TT", "Đơn vị", "Số", "Trả lời", "Đã giải quyết", "Chuyển", "Đang", "Quá hạn", "%"])
    sql = (
        f"SELECT u.name, COUNT(*), "  # noqa: S608
        "SUM(CASE WHEN p.answered_at_session THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN p.status IN ('resolved', 'explained') THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN p.status = 'transferred' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN p.status IN ('new', 'assigned', 'in_progress') THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN p.status IN ('new', 'assigned', 'in_progress') AND p.deadline < %s THEN 1 ELSE 0 END) "
        f"FROM {_t(Petition)} p JOIN {_t(DialogueSession)} s ON s.id = p.session_id "
        f"JOIN {_t(Unit)} u ON u.id = s.unit_id "
        "WHERE u.path LIKE %s AND s.held_on BETWEEN %s AND %s GROUP BY u.id, u.name ORDER BY u.id"
    )
    for i, (name, raised, answered, resolved, transferred, open_, overdue) in enumerate(
        _stream(sql, [today, like, period.data_start, period.data_end]), start=1
    ):
        rate = round(resolved * 100 / raised, 1) if raised else None
        cells = [i, out.text(ws, name), raised, answered, resolved, transferred, open_, overdue, rate]
        out.row(ws, "Kiến nghị", cells)
    data_cells = out.cells
    if pad_to and pad_to > out.cells:
        ws = out.wb.create_sheet(title="pad")
        left = pad_to - out.cells
        n = 0
        while left > 0:
            width = min(PAD_WIDTH, left)
            ws.append(list(range(n, n + width)))
            n += width
            left -= width
        out.cells = pad_to
    out.wb.save(path)
    return {"cells": out.cells, "data_cells": data_cells, "rows": out.rows}


_CELL = re.compile(rb"<c[ >]")


def count_cells(path) -> int:
    """The number of ``<c>`` elements in every worksheet of an .xlsx file (streamed)."""
    total = 0
    with zipfile.ZipFile(Path(path)) as z:
        for name in z.namelist():
            if not (name.startswith("xl/worksheets/sheet") and name.endswith(".xml")):
                continue
            with z.open(name) as fh:
                tail = b""
                while chunk := fh.read(1 << 20):
                    data = tail + chunk
                    total += len(_CELL.findall(data))
                    tail = data[-2:]  # shorter than a match: never counted twice
    return total
