"""Bulk import of board members and of supervision activities from .xlsx, all-or-nothing.

Two files, each with one data sheet and a guide: "Thành viên" (one row per member of a
people's inspection board or of a community investment supervision board) and "Giám sát"
(one row per supervision by either kind of board). The upload is read with the shared
defensive checks (qcdc_portal.lib.xlsx: size cap, ZIP magic, no macros, no embedded objects
or external links, zip-bomb check, row cap, formulas refused).

A row names its board the way a commune clerk knows it: the unit's code (a commune or an
agency the user may report for; an out-of-scope code reads exactly like an unknown one),
the kind of board (TTND or GSĐT) and, for a community board, the name of the commune's
project. The inspection board is the unit's board whose term covers the row's date; the
community board is the project's. Every row is then checked with the very forms the
browser uses (``BoardMemberForm``, ``SupervisionActivityForm`` without the report file).
Every problem is collected as (Excel row, column title, Vietnamese message). Only a file
without any error is applied, in one transaction through ``services.member_add`` /
``services.activity_create``: every row is created, or none.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from boards import services
from boards.forms import BoardMemberForm, SupervisionActivityForm
from boards.models import (
    CommunityBoard,
    Gender,
    InspectionBoard,
    InvestmentProject,
    MemberRole,
    SupervisionField,
)
from qcdc_portal.lib import xlsx
from qcdc_portal.lib.text import fold
from qcdc_portal.lib.xlsx import DATE_HINT, MAX_ROWS, MAX_UPLOAD_BYTES, CellError, Problem
from units import access
from units.imports import UnitCodeResolver
from units.models import AGENCY_KINDS, Unit, UnitKind

MEMBERS, ACTIVITIES = "thanh-vien", "giam-sat"
GUIDE_SHEET = "Hướng dẫn"
TTND, GSDT = "ttnd", "gsdt"

__all__ = [
    "ACTIVITIES",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "MEMBERS",
    "SPECS",
    "ImportResult",
    "get_spec",
    "import_xlsx",
    "template_workbook",
]


@dataclass
class ImportResult:
    created: int = 0
    errors: list[Problem] = field(default_factory=list)

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
    parse: str = "text"  # text, code, board_kind, date, count, amount, or a choice set (see CHOICES)
    aliases: tuple[str, ...] = ()


CHOICES = {"role": MemberRole, "gender": Gender, "field": SupervisionField}

BOARD_KIND_OPTIONS = {
    "ttnd": TTND,
    "ban ttnd": TTND,
    "thanh tra nhan dan": TTND,
    "ban thanh tra nhan dan": TTND,
    "gsdt": GSDT,
    "gsdtcd": GSDT,
    "ban gsdt": GSDT,
    "ban gsdtcd": GSDT,
    "giam sat dau tu": GSDT,
    "giam sat dau tu cua cong dong": GSDT,
    "ban giam sat dau tu cua cong dong": GSDT,
}

UNIT_COLUMN = Column(
    "unit",
    "Mã đơn vị",
    True,
    "Mã của xã, phường, thị trấn (ban TTND hoặc ban GSĐT của xã) hoặc của cơ quan, doanh nghiệp (ban TTND "
    "của cơ quan), theo mã trên cổng. Định dạng ô là Văn bản để giữ các số 0 ở đầu. Chỉ nhận đơn vị bạn "
    "được nhập liệu.",
    "04951",
    parse="code",
    aliases=("Mã xã", "Mã cơ quan", "Mã ĐVHC"),
)
KIND_COLUMN = Column(
    "board_kind",
    "Loại ban",
    True,
    "TTND (Ban Thanh tra nhân dân) hoặc GSĐT (Ban Giám sát đầu tư của cộng đồng).",
    "TTND",
    parse="board_kind",
)


def _project_column(guide: str, example: str) -> Column:
    return Column("project", "Tên công trình", False, guide, example, aliases=("Công trình", "Tên công trình, dự án"))


MEMBER_COLUMNS = (
    UNIT_COLUMN,
    KIND_COLUMN,
    _project_column(
        "Bắt buộc với ban GSĐT: tên công trình, dự án của xã (đúng như trên cổng) mà ban giám sát. "
        "Để trống với ban TTND.",
        "",
    ),
    Column("full_name", "Họ và tên", True, "Họ và tên thành viên.", "Nguyễn Thị Hoa", aliases=("Họ tên",)),
    Column(
        "role",
        "Chức danh",
        False,
        "Ghi một trong: {choices}. Để trống là Ủy viên.",
        str(MemberRole.TRUONG_BAN.label),
        parse="role",
    ),
    Column("gender", "Giới tính", True, "Ghi một trong: {choices}.", str(Gender.NU.label), parse="gender"),
    Column(
        "hamlet",
        "Thôn, tổ dân phố",
        False,
        "Tên thôn, tổ dân phố của xã nơi thành viên sinh sống (đúng như trên cổng). Để trống với ban của cơ quan.",
        "Khu 1",
        aliases=("Thôn", "Tổ dân phố", "Thôn, xóm"),
    ),
    Column(
        "started_on",
        "Ngày bắt đầu",
        True,
        f"Dạng {DATE_HINT}; trong nhiệm kỳ của ban, không ở tương lai. Ban TTND được chọn theo nhiệm kỳ gồm ngày này.",
        "15/01/2025",
        parse="date",
    ),
)

COUNT_GUIDE = "Số nguyên, không âm; để trống là 0."
ACTIVITY_COLUMNS = (
    UNIT_COLUMN,
    KIND_COLUMN,
    _project_column(
        "Bắt buộc với ban GSĐT: tên công trình, dự án của xã mà ban giám sát. Với ban TTND: công trình "
        "được giám sát (nếu có), có thể để trống.",
        "",
    ),
    Column(
        "held_on",
        "Ngày giám sát",
        True,
        f"Dạng {DATE_HINT}; không ở tương lai. Ban TTND được chọn theo nhiệm kỳ gồm ngày này.",
        "20/03/2025",
        parse="date",
        aliases=("Ngày",),
    ),
    Column(
        "subject",
        "Nội dung",
        True,
        "Nội dung, đối tượng giám sát.",
        "Việc thu, chi quỹ đóng góp làm đường",
        aliases=("Nội dung giám sát", "Nội dung, đối tượng giám sát"),
    ),
    Column("field", "Lĩnh vực", True, "Ghi một trong: {choices}.", str(SupervisionField.THU_CHI.label), parse="field"),
    Column("findings_count", "Số vấn đề phát hiện", False, COUNT_GUIDE, 2, parse="count"),
    Column("violations_count", "Số sai phạm", False, COUNT_GUIDE, 1, parse="count"),
    Column("recommendations_count", "Số kiến nghị", False, COUNT_GUIDE, 2, parse="count"),
    Column(
        "recommendations_resolved",
        "Số kiến nghị đã giải quyết",
        False,
        COUNT_GUIDE + " Không lớn hơn số kiến nghị.",
        1,
        parse="count",
        aliases=("Số kiến nghị đã được giải quyết",),
    ),
    Column(
        "money_recovered",
        "Thu hồi tiền",
        False,
        "Số tiền (đồng) kiến nghị thu hồi; để trống là 0.",
        1500000,
        parse="amount",
        aliases=("Thu hồi tiền (đồng)",),
    ),
    Column(
        "settlement_reduced",
        "Giảm trừ quyết toán",
        False,
        "Số tiền (đồng) giảm trừ khi quyết toán; để trống là 0.",
        0,
        parse="amount",
        aliases=("Giảm trừ quyết toán (đồng)",),
    ),
    Column(
        "land_recovered_m2",
        "Thu hồi đất (m²)",
        False,
        "Diện tích (m²), một chữ số thập phân (dấu phẩy hoặc chấm); để trống là 0.",
        0,
        parse="amount",
        aliases=("Thu hồi đất",),
    ),
    Column("other_measures", "Xử lý khác", False, "Các biện pháp xử lý khác; có thể để trống.", ""),
)

DEFAULT_ZERO = (
    "findings_count",
    "violations_count",
    "recommendations_count",
    "recommendations_resolved",
    "money_recovered",
    "settlement_reduced",
    "land_recovered_m2",
)


@dataclass(frozen=True)
class Spec:
    what: str
    sheet: str
    columns: tuple[Column, ...]
    date_field: str
    heading: str
    lines: tuple[str, ...]


SPECS = {
    MEMBERS: Spec(
        MEMBERS,
        "Thành viên",
        MEMBER_COLUMNS,
        "started_on",
        gettext_lazy("Hướng dẫn nhập thành viên Ban Thanh tra nhân dân và Ban Giám sát đầu tư của cộng đồng"),
        (
            gettext_lazy(
                "Mỗi dòng một thành viên, từ dòng 2. Ban được xác định theo mã đơn vị và loại ban: ban TTND là "
                "ban của đơn vị có nhiệm kỳ gồm ngày bắt đầu; ban GSĐT là ban của công trình ghi ở cột “Tên công "
                "trình”."
            ),
            gettext_lazy("Ban phải được lập trên cổng trước (Ban TTND, hoặc Ban GSĐT của công trình)."),
        ),
    ),
    ACTIVITIES: Spec(
        ACTIVITIES,
        "Giám sát",
        ACTIVITY_COLUMNS,
        "held_on",
        gettext_lazy(
            "Hướng dẫn nhập các cuộc giám sát của Ban Thanh tra nhân dân và Ban Giám sát đầu tư của cộng đồng"
        ),
        (
            gettext_lazy(
                "Mỗi dòng một cuộc giám sát, từ dòng 2. Ban được xác định theo mã đơn vị và loại ban: ban TTND là "
                "ban của đơn vị có nhiệm kỳ gồm ngày giám sát; ban GSĐT là ban của công trình ghi ở cột “Tên công "
                "trình”."
            ),
            gettext_lazy("Báo cáo kết quả giám sát (tệp) được tải lên sau, trên trang của từng cuộc giám sát."),
        ),
    ),
}


def get_spec(what: str) -> Spec:
    return SPECS[what]


def _choice_labels(column: Column) -> list[str]:
    if column.parse in CHOICES:
        return [str(c.label) for c in CHOICES[column.parse]]
    if column.parse == "board_kind":
        return ["TTND", "GSĐT"]
    return []


def _guide_text(column: Column) -> str:
    return column.guide.format(choices="; ".join(_choice_labels(column)))


# --- Template ------------------------------------------------------------------------------


def template_workbook(what: str) -> bytes:
    """The .xlsx to fill in: the data sheet with its header row, and "Hướng dẫn" explaining
    every column, listing the allowed values and showing an example."""
    spec = get_spec(what)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = spec.sheet
    guide = wb.create_sheet(GUIDE_SHEET)

    guide.append([str(spec.heading)])
    guide["A1"].font = Font(bold=True, size=13)
    for line in (
        *(str(line) for line in spec.lines),
        _(
            "Nhập theo nguyên tắc “tất cả hoặc không”: nếu có dòng lỗi thì không dòng nào được lưu; sửa các lỗi "
            "được báo rồi tải lên lại. Tối đa %(rows)s dòng, tệp không quá %(mb)s MB, không dùng công thức."
        )
        % {"rows": f"{MAX_ROWS:,}".replace(",", "."), "mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
    ):
        guide.append([line])
    guide.append([])
    guide.append([_("Cột"), _("Bắt buộc"), _("Cách ghi")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in spec.columns:
        guide.append([column.title, _("Có") if column.required else _("Không"), _guide_text(column)])

    # The allowed values, one per row: the drop-down lists of the data sheet point here.
    guide.append([])
    guide.append([_("Các giá trị được nhận (không phân biệt hoa thường, có dấu hay không)")])
    guide[f"A{guide.max_row}"].font = Font(bold=True, size=12)
    ranges: dict[str, str] = {}
    for column in spec.columns:
        labels = _choice_labels(column)
        if not labels:
            continue
        first = guide.max_row + 1
        for label in labels:
            guide.append([column.title, label])
        ranges[column.parse] = f"'{GUIDE_SHEET}'!$B${first}:$B${guide.max_row}"

    guide.append([])
    guide.append([_("Ví dụ:")])
    guide[f"A{guide.max_row}"].font = Font(bold=True)
    guide.append([c.title for c in spec.columns])
    guide.append([c.example for c in spec.columns])
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 30
    guide.column_dimensions["C"].width = 90
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="B02A37")
    for i, column in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.title)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(14, min(40, len(column.title) + 6))
        if column.parse in ("text", "code"):
            # Text cells keep the leading zeros of codes, and a typed "=..." stays text.
            ws.column_dimensions[letter].number_format = "@"
        elif column.parse == "date":
            ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
        if column.parse in ranges:
            # A suggestion list, not a lock: codes and spellings without diacritics are accepted too.
            dv = DataValidation(type="list", formula1=ranges[column.parse], allow_blank=True, showErrorMessage=False)
            dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Reading -------------------------------------------------------------------------------


def _read(data: bytes, spec: Spec) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """The data rows of the sheet (found by title, else the first sheet that is not the guide)."""
    wb = xlsx.open_workbook(data)
    if wb is None:
        return [], [Problem(None, "", xlsx.unreadable())]
    try:
        sheets = [ws for ws in wb.worksheets if xlsx.header_key(ws.title) != xlsx.header_key(GUIDE_SHEET)]
        by_title = {xlsx.header_key(ws.title): ws for ws in sheets}
        ws = by_title.get(xlsx.header_key(spec.sheet)) or (sheets[0] if sheets else None)
        if ws is None:
            message = _("Tệp thiếu trang “%(s)s”. Hãy dùng tệp mẫu tải về từ trang này.") % {"s": spec.sheet}
            return [], [Problem(None, "", message)]
        return xlsx.read_sheet(ws, spec.columns)
    except Exception:  # malformed workbook XML surfaces only while streaming
        return [], [Problem(None, "", xlsx.unreadable())]
    finally:
        wb.close()


_GROUPED = re.compile(r"^\d{1,3}([. ]\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")


def _parse_amount(value: Any) -> Any:
    """An amount in đồng or m²: "1.500.000" and "12,5" read the Vietnamese way; text that is
    not a number is passed on for the form to explain."""
    if isinstance(value, bool):
        raise CellError(_("Hãy ghi một số."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    text = str(value).strip().replace("\u00a0", " ")
    if _GROUPED.match(text):
        return re.sub(r"[. ]", "", text)
    if _DECIMAL_COMMA.match(text):
        return text.replace(",", ".")
    return text


_HAMLET_PREFIX = re.compile(r"^(thon|xom|ban|to dan pho|to|khu pho|khu|ap|khom|lang|pho)\s+")


def _name_key(value: Any) -> str:
    return fold(xlsx.as_text(value))


def _bare(key: str) -> str:
    """A hamlet's folded name without "thôn", "xóm", "tổ dân phố"... in front ("to dan pho khu 3" → "3")."""
    while (bare := _HAMLET_PREFIX.sub("", key)) != key:
        key = bare
    return key


# --- Boards, projects and hamlets named by a row -------------------------------------------


class _Lookup:
    """Boards, projects and hamlets of the units the file names, loaded once per file."""

    def __init__(self, units: list[Unit]):
        ids = {u.pk for u in units}
        self.projects: dict[int, list[InvestmentProject]] = {}
        for project in InvestmentProject.objects.filter(unit_id__in=ids).select_related("board__unit", "unit"):
            self.projects.setdefault(project.unit_id, []).append(project)
        self.boards: dict[int, list[InspectionBoard]] = {}
        for board in InspectionBoard.objects.filter(unit_id__in=ids).select_related("unit").order_by("-term_start"):
            self.boards.setdefault(board.unit_id, []).append(board)
        self.hamlets: dict[int, list[Unit]] = {}
        for hamlet in Unit.objects.filter(parent_id__in=ids, kind=UnitKind.HAMLET).order_by("valid_to", "name"):
            self.hamlets.setdefault(hamlet.parent_id, []).append(hamlet)

    def inspection_board(self, unit: Unit, on: dt.date | None) -> InspectionBoard:
        boards = self.boards.get(unit.pk, [])
        if on is None:
            if boards:
                return boards[0]  # the date has its own error; check the row against the latest term
        else:
            for board in boards:
                if board.term_start <= on and (board.term_end is None or board.term_end >= on):
                    return board
        if not boards:
            raise CellError(_("%(u)s chưa có Ban Thanh tra nhân dân trên cổng. Hãy lập ban trước.") % {"u": unit.name})
        raise CellError(
            _("%(u)s không có Ban Thanh tra nhân dân với nhiệm kỳ gồm ngày %(d)s.")
            % {"u": unit.name, "d": on.strftime("%d/%m/%Y")}
        )

    def project(self, unit: Unit, name: Any) -> InvestmentProject:
        key = _name_key(name)
        found = [p for p in self.projects.get(unit.pk, []) if fold(p.name) == key]
        if not found:
            raise CellError(
                _("%(u)s không có công trình “%(p)s” trên cổng.") % {"u": unit.name, "p": xlsx.as_text(name)}
            )
        if len(found) > 1:
            raise CellError(
                _("%(u)s có nhiều công trình tên “%(p)s”. Hãy đặt tên khác nhau trên cổng.")
                % {"u": unit.name, "p": xlsx.as_text(name)}
            )
        return found[0]

    def hamlet(self, commune: Unit, name: Any) -> Unit:
        key = _name_key(name)
        hamlets = self.hamlets.get(commune.pk, [])
        found = [h for h in hamlets if fold(h.name) == key] or [h for h in hamlets if _bare(fold(h.name)) == _bare(key)]
        current = [h for h in found if h.valid_to is None]
        found = current or found
        if len(found) == 1:
            return found[0]
        if not found:
            raise CellError(
                _("“%(h)s” không phải thôn, tổ dân phố của %(u)s.") % {"h": xlsx.as_text(name), "u": commune.name}
            )
        raise CellError(
            _("%(u)s có nhiều thôn, tổ dân phố tên “%(h)s”. Hãy ghi đầy đủ tên như trên cổng.")
            % {"u": commune.name, "h": xlsx.as_text(name)}
        )


# --- Validate and apply ----------------------------------------------------------------------


@dataclass
class _ValidRow:
    number: int
    board: InspectionBoard | CommunityBoard
    data: dict[str, Any]


def import_xlsx(*, user, what: str, fileobj) -> ImportResult:
    """Validate every row, then create every member (or supervision) of the file, or none."""
    spec = get_spec(what)
    data, problem = xlsx.safe_bytes(fileobj)
    if problem is not None:
        return ImportResult(errors=[Problem(None, "", problem)])
    rows, errors = _read(data, spec)
    if errors:
        return ImportResult(errors=errors)
    if not rows:
        return ImportResult(errors=[Problem(None, "", _("Tệp không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 2)."))])
    valid, errors = _validate(user, spec, rows)
    if errors:
        return ImportResult(errors=errors)
    errors = _apply(user, spec, valid)
    if errors:
        return ImportResult(errors=errors)
    return ImportResult(created=len(valid))


def _parsers(resolver: UnitCodeResolver) -> dict[str, Any]:
    return {
        "text": xlsx.as_text,
        "code": resolver.resolve,
        "board_kind": xlsx.choice_parser(
            BOARD_KIND_OPTIONS,
            "TTND; GSĐT",
            _("“%(v)s” không phải loại ban hợp lệ. Ghi một trong: %(a)s."),
        ),
        "date": xlsx.parse_date,
        "count": xlsx.parse_count,
        "amount": _parse_amount,
        **{
            name: xlsx.choices_parser(choices, _("“%(v)s” không phải giá trị hợp lệ. Ghi một trong: %(a)s."))
            for name, choices in CHOICES.items()
        },
    }


def _parse_row(raw: dict[str, Any], columns, parsers) -> tuple[dict[str, Any], dict[str, str]]:
    """The row's values, and the cells that could not be read ({field: message})."""
    data: dict[str, Any] = {}
    bad: dict[str, str] = {}
    for column in columns:
        value = raw.get(column.field)
        try:
            if isinstance(value, CellError):
                raise value
            if value is not None:
                data[column.field] = parsers[column.parse](value)
        except CellError as exc:
            bad[column.field] = str(exc)
    return data, bad


def _board_for(spec: Spec, lookup: _Lookup, data: dict, raw: dict, bad: dict) -> Any:
    """The row's board (and, for a supervision by an inspection board, its project), or None
    with the reason put in ``bad``."""
    unit, kind = data.get("unit"), data.get("board_kind")
    if unit is None or kind is None:
        return None
    project_name = raw.get("project")
    if kind == GSDT:
        if unit.kind != UnitKind.COMMUNE:
            bad["board_kind"] = _("Ban giám sát đầu tư của cộng đồng chỉ có ở xã, phường, thị trấn.")
            return None
        if project_name is None:
            bad["project"] = _("Hãy ghi tên công trình mà ban giám sát đầu tư của cộng đồng giám sát.")
            return None
        try:
            project = lookup.project(unit, project_name)
        except CellError as exc:
            bad["project"] = str(exc)
            return None
        board = getattr(project, "board", None)
        if board is None:
            bad["project"] = _("Công trình “%(p)s” chưa có Ban giám sát đầu tư của cộng đồng trên cổng.") % {
                "p": project.name
            }
        return board
    try:
        board = lookup.inspection_board(unit, data.get(spec.date_field))
    except CellError as exc:
        bad["board_kind"] = str(exc)
        return None
    if spec.what == ACTIVITIES and project_name is not None:
        try:
            data["project"] = lookup.project(unit, project_name).pk
        except CellError as exc:
            bad["project"] = str(exc)
    return board


def _member_hamlet(lookup: _Lookup, board, data: dict, raw: dict, bad: dict) -> None:
    name = raw.get("hamlet")
    if name is None or board is None:
        return
    if board.unit.kind in AGENCY_KINDS:
        bad["hamlet"] = _("Ban Thanh tra nhân dân của cơ quan không ghi thôn, tổ dân phố; hãy để trống.")
        return
    try:
        data["hamlet"] = lookup.hamlet(board.unit, name).pk
    except CellError as exc:
        bad["hamlet"] = str(exc)


def _form(spec: Spec, board, data: dict):
    if spec.what == MEMBERS:
        return BoardMemberForm(data, board=board)
    form = SupervisionActivityForm(data, board=board)
    del form.fields["report_file"]  # uploaded later, on the supervision's page
    return form


def _validate(user, spec: Spec, rows) -> tuple[list[_ValidRow], list[Problem]]:
    resolver = UnitCodeResolver(
        user,
        [raw["unit"] for _n, raw in rows if not isinstance(raw.get("unit"), CellError | None)],
        action=access.REPORT,
        kinds=(UnitKind.COMMUNE, *AGENCY_KINDS),
        noun=_("xã hoặc cơ quan"),
    )
    parsers = _parsers(resolver)
    parsed = [(number, raw, *_parse_row(raw, spec.columns, parsers)) for number, raw in rows]
    lookup = _Lookup([d["unit"] for _n, _r, d, _b in parsed if "unit" in d])
    titles = {c.field: c.title for c in spec.columns}
    order = {c.field: i for i, c in enumerate(spec.columns)}

    valid: list[_ValidRow] = []
    errors: list[Problem] = []
    for number, raw, data, bad in parsed:
        board = _board_for(spec, lookup, data, raw, bad)
        if spec.what == MEMBERS:
            _member_hamlet(lookup, board, data, raw, bad)
            data.setdefault("role", MemberRole.UY_VIEN)
        else:
            for name in DEFAULT_ZERO:
                if name not in bad:
                    data.setdefault(name, 0)
        form_data = {k: v for k, v in data.items() if k not in ("unit", "board_kind")}
        if spec.what == MEMBERS or isinstance(board, CommunityBoard):
            form_data.pop("project", None)
        found = list(bad.items())
        if board is not None:
            form = _form(spec, board, form_data)
            if form.is_valid():
                if not bad:
                    valid.append(_ValidRow(number, board, form.cleaned_data))
            else:
                for name, messages in form.errors.items():
                    if name not in bad:  # already said, in the file's terms
                        found.extend((name, str(m)) for m in messages)
        elif not bad:
            found.append(("board_kind", _("Không xác định được ban.")))
        found.sort(key=lambda e: order.get(e[0], -1))
        errors.extend(Problem(number, titles.get(name, ""), message) for name, message in found)
    return valid, errors


def _apply(user, spec: Spec, rows: list[_ValidRow]) -> list[Problem]:
    """Create every row in one transaction; any failure rolls all back."""
    current: _ValidRow | None = None
    try:
        with transaction.atomic():
            for row in rows:
                current = row
                if spec.what == MEMBERS:
                    services.member_add(actor=user, board=row.board, data=row.data)
                else:
                    services.activity_create(actor=user, board=row.board, data=row.data)
    except ValidationError as exc:
        return [Problem(current.number if current else None, "", "; ".join(exc.messages))]
    except DatabaseError:
        return [
            Problem(
                current.number if current else None,
                "",
                _("Không lưu được do lỗi cơ sở dữ liệu. Chưa có dòng nào được lưu; hãy thử lại."),
            )
        ]
    return []
