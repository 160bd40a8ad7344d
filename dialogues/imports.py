"""Bulk import of a backlog of dialogue sessions with their petitions from .xlsx, all-or-nothing.

The workbook has two data sheets linked by a key the user invents: "Hội nghị" (one row
per session, "Mã hội nghị" such as HN1) and "Kiến nghị" (one row per petition, naming the
session by that key). The upload is read with the same defensive checks as the units
import (qcdc_portal.lib.xlsx: size cap, ZIP magic, no macros, no embedded objects or
external links, zip-bomb check, row cap, formulas refused). Every row is checked with the
very forms the browser uses (``DialogueSessionForm`` without the minutes file,
``PetitionRowForm``), so scope and business rules are the same; the organising unit is
named by its code and looked up only among the units the user may report for (an
out-of-scope code reads exactly like an unknown one). Every problem is collected as
(sheet, Excel row, column title, Vietnamese message). Only a file without any error is
applied, in one transaction through ``services.session_create``: every session and
petition is created, or none.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import openpyxl
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dialogues import services
from dialogues.forms import DialogueSessionForm, PetitionFormSet, PetitionRowForm
from dialogues.models import ChairRole, Field, Format, Scope, Trigger
from qcdc_portal.lib import xlsx
from qcdc_portal.lib.text import fold
from qcdc_portal.lib.xlsx import DATE_HINT, MAX_ROWS, MAX_UPLOAD_BYTES, CellError
from units import access
from units.imports import UnitCodeResolver
from units.models import UnitKind

SESSION_SHEET = "Hội nghị"
PETITION_SHEET = "Kiến nghị"
GUIDE_SHEET = "Hướng dẫn"
MAX_PETITIONS_PER_SESSION = PetitionFormSet.max_num  # the browser's limit for one session

__all__ = [
    "GUIDE_SHEET",
    "MAX_PETITIONS_PER_SESSION",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "PETITION_COLUMNS",
    "PETITION_SHEET",
    "SESSION_COLUMNS",
    "SESSION_SHEET",
    "ImportResult",
    "RowError",
    "import_dialogues_xlsx",
    "template_workbook",
]


class RowError(NamedTuple):
    """One problem: the sheet ("" for the whole file), the row as Excel numbers it (None for the
    whole file or sheet), the column title, the message."""

    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class ImportResult:
    created_sessions: int = 0
    created_petitions: int = 0
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
    parse: str = "text"  # text, key, code, date, count, bool, or a choice set (see CHOICES)
    aliases: tuple[str, ...] = ()


# Choice columns: the model's TextChoices; labels or codes are accepted, any case, any diacritics.
CHOICES = {
    "scope": Scope,
    "trigger": Trigger,
    "format": Format,
    "chair_role": ChairRole,
    "field": Field,
}

KEY_GUIDE = (
    "Mã do bạn tự đặt cho mỗi hội nghị (ví dụ HN1, HN2), không trùng nhau trong tệp; trang “Kiến nghị” "
    "dùng mã này để ghi kiến nghị nêu tại hội nghị nào. Mã không được lưu vào cổng."
)

SESSION_COLUMNS = (
    Column("key", "Mã hội nghị", True, KEY_GUIDE, "HN1", parse="key", aliases=("Mã", "Mã HN")),
    Column(
        "unit",
        "Mã đơn vị tổ chức",
        True,
        "Mã của đơn vị tổ chức hội nghị (tỉnh 2 chữ số, huyện 3, xã 5, ví dụ 04951; cơ quan, doanh nghiệp, "
        "thôn theo mã trên cổng). Định dạng ô là Văn bản để giữ các số 0 ở đầu. Mã theo danh mục từ "
        "01/7/2025 được ưu tiên khi còn hiệu lực, sau đó đến danh mục cũ. Chỉ nhận đơn vị bạn được nhập liệu.",
        "04951",
        parse="code",
        aliases=("Mã đơn vị", "Đơn vị tổ chức", "Mã ĐVHC"),
    ),
    Column(
        "held_on",
        "Ngày tổ chức",
        True,
        f"Dạng {DATE_HINT}; không được ở tương lai.",
        "15/03/2025",
        parse="date",
        aliases=("Ngày", "Ngày hội nghị"),
    ),
    Column("topic", "Chủ đề", True, "Chủ đề, nội dung hội nghị.", "Giải phóng mặt bằng đường liên xã"),
    Column("scope", "Phạm vi", True, "Ghi một trong: {choices}.", str(Scope.CHUYEN_DE.label), parse="scope"),
    Column(
        "trigger",
        "Hình thức",
        True,
        "Ghi một trong: {choices}.",
        str(Trigger.DINH_KY.label),
        parse="trigger",
        aliases=("Hình thức tổ chức",),
    ),
    Column(
        "format",
        "Phương thức",
        False,
        "Ghi một trong: {choices}. Để trống là Trực tiếp.",
        str(Format.TRUC_TIEP.label),
        parse="format",
    ),
    Column(
        "chair_role",
        "Chức vụ người chủ trì",
        True,
        "Ghi một trong: {choices}.",
        str(ChairRole.CHU_TICH_UBND.label),
        parse="chair_role",
    ),
    Column("chair_name", "Họ tên người chủ trì", True, "Họ và tên.", "Nguyễn Văn An", aliases=("Người chủ trì",)),
    Column(
        "participants",
        "Số người tham dự",
        True,
        "Số nguyên, không âm.",
        120,
        parse="count",
        aliases=("Số người dự", "Số người"),
    ),
    Column(
        "announced_on",
        "Ngày thông báo",
        False,
        f"Dạng {DATE_HINT}, trước ngày tổ chức (luật yêu cầu trước ít nhất 7 ngày); có thể để trống.",
        "05/03/2025",
        parse="date",
    ),
    Column(
        "results_published_on",
        "Ngày công khai kết quả",
        False,
        f"Dạng {DATE_HINT}, sau ngày tổ chức (trong 10 ngày); có thể để trống.",
        "20/03/2025",
        parse="date",
    ),
    Column(
        "employer_reps",
        "Số đại diện NSDLĐ",
        False,
        "Số đại diện người sử dụng lao động. Bắt buộc khi đối thoại tại doanh nghiệp (ít nhất 3).",
        "",
        parse="count",
        aliases=("Số đại diện người sử dụng lao động",),
    ),
    Column(
        "employee_reps",
        "Số đại diện NLĐ",
        False,
        "Số đại diện người lao động. Bắt buộc khi đối thoại tại doanh nghiệp (ít nhất 3).",
        "",
        parse="count",
        aliases=("Số đại diện người lao động",),
    ),
)

PETITION_COLUMNS = (
    Column(
        "key",
        "Mã hội nghị",
        True,
        "Mã của hội nghị ở trang “Hội nghị” nơi kiến nghị được nêu.",
        "HN1",
        parse="key",
        aliases=("Mã", "Mã HN"),
    ),
    Column(
        "content",
        "Nội dung",
        True,
        "Nội dung ý kiến, kiến nghị.",
        "Đề nghị sớm chi trả tiền bồi thường",
        aliases=("Nội dung kiến nghị", "Nội dung ý kiến, kiến nghị"),
    ),
    Column("field", "Lĩnh vực", True, "Ghi một trong: {choices}.", str(Field.DAT_DAI.label), parse="field"),
    Column(
        "citizen_name",
        "Người nêu",
        False,
        "Người nêu ý kiến; có thể để trống.",
        "Trần Thị Bình",
        aliases=("Người nêu ý kiến",),
    ),
    Column(
        "answered_at_session",
        "Đã trả lời tại hội nghị",
        False,
        "Có hoặc Không (để trống là Không). Ghi Có thì phải ghi nội dung trả lời.",
        "Có",
        parse="bool",
    ),
    Column(
        "result",
        "Nội dung trả lời/kết quả",
        False,
        "Nội dung đã trả lời tại hội nghị, hoặc kết quả giải quyết.",
        "Đã giải thích tiến độ chi trả: trong tháng 4/2025",
        aliases=("Nội dung trả lời", "Kết quả", "Nội dung trả lời, kết quả"),
    ),
    Column(
        "assignee_person",
        "Người chịu trách nhiệm",
        False,
        "Rõ người. Ghi đủ bốn cột “rõ” (người, việc, thời hạn, đơn vị) thì kiến nghị ở trạng thái Đã giao xử lý.",
        "",
    ),
    Column("task", "Việc phải làm", False, "Rõ việc.", ""),
    Column("deadline", "Thời hạn", False, f"Rõ thời gian, dạng {DATE_HINT}.", "", parse="date"),
    Column(
        "responsible_unit",
        "Đơn vị chịu trách nhiệm",
        False,
        "Rõ trách nhiệm: đơn vị chủ trì.",
        "",
        aliases=("Đơn vị chủ trì",),
    ),
)

SHEETS = ((SESSION_SHEET, SESSION_COLUMNS), (PETITION_SHEET, PETITION_COLUMNS))
TEXT_PARSES = ("text", "key", "code")


def _choice_labels(column: Column) -> list[str]:
    if column.parse in CHOICES:
        return [str(c.label) for c in CHOICES[column.parse]]
    if column.parse == "bool":
        return ["Có", "Không"]
    return []


def _guide_text(column: Column) -> str:
    return column.guide.format(choices="; ".join(_choice_labels(column)))


# --- Template ------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """The .xlsx to fill in: "Hội nghị" and "Kiến nghị" with their header rows, and "Hướng dẫn"
    explaining every column, listing the allowed values and showing an example."""
    wb = openpyxl.Workbook()
    sessions = wb.active
    sessions.title = SESSION_SHEET
    petitions = wb.create_sheet(PETITION_SHEET)
    guide = wb.create_sheet(GUIDE_SHEET)

    guide.append([_("Hướng dẫn nhập hội nghị đối thoại và ý kiến, kiến nghị")])
    guide["A1"].font = Font(bold=True, size=13)
    for line in (
        _("Trang “%(s)s”: mỗi dòng một hội nghị, từ dòng 2. Cột “Mã hội nghị” là mã bạn tự đặt (HN1, HN2...).")
        % {"s": SESSION_SHEET},
        _("Trang “%(p)s”: mỗi dòng một ý kiến, kiến nghị, ghi “Mã hội nghị” của hội nghị nơi kiến nghị được nêu.")
        % {"p": PETITION_SHEET},
        _(
            "Nhập theo nguyên tắc “tất cả hoặc không”: nếu có dòng lỗi thì không hội nghị, kiến nghị nào được lưu; "
            "sửa các lỗi được báo rồi tải lên lại. Mỗi trang tối đa %(rows)s dòng, tệp không quá %(mb)s MB, "
            "không dùng công thức."
        )
        % {"rows": f"{MAX_ROWS:,}".replace(",", "."), "mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        _(
            "Trạng thái kiến nghị được tính tự động: đã trả lời tại hội nghị (có nội dung trả lời) là Đã giải thích, "
            "trả lời; ghi đủ người, việc, thời hạn, đơn vị chịu trách nhiệm là Đã giao xử lý; còn lại là Mới tiếp nhận."
        ),
    ):
        guide.append([line])
    for sheet_title, columns in SHEETS:
        guide.append([])
        guide.append([_("Trang “%(s)s”") % {"s": sheet_title}])
        guide[f"A{guide.max_row}"].font = Font(bold=True, size=12)
        guide.append([_("Cột"), _("Bắt buộc"), _("Cách ghi")])
        for cell in guide[guide.max_row]:
            cell.font = Font(bold=True)
        for column in columns:
            guide.append([column.title, _("Có") if column.required else _("Không"), _guide_text(column)])

    # The allowed values, one per row: the drop-down lists of the data sheets point here
    # (a list written inline would break on the commas inside labels).
    guide.append([])
    guide.append([_("Các giá trị được nhận (ghi tên hoặc mã, không phân biệt hoa thường, có dấu hay không)")])
    guide[f"A{guide.max_row}"].font = Font(bold=True, size=12)
    guide.append([_("Cột"), _("Giá trị"), _("Mã")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    ranges: dict[str, str] = {}
    for column in (*SESSION_COLUMNS, *PETITION_COLUMNS):
        if column.parse not in CHOICES and column.parse != "bool":
            continue
        if column.parse in ranges:
            continue
        first = guide.max_row + 1
        if column.parse == "bool":
            values = [("Có", ""), ("Không", "")]
        else:
            values = [(str(c.label), c.value) for c in CHOICES[column.parse]]
        for label, code in values:
            guide.append([column.title, label, code])
        ranges[column.parse] = f"'{GUIDE_SHEET}'!$B${first}:$B${guide.max_row}"

    guide.append([])
    guide.append([_("Ví dụ:")])
    guide[f"A{guide.max_row}"].font = Font(bold=True)
    for sheet_title, columns in SHEETS:
        guide.append([_("Trang “%(s)s”") % {"s": sheet_title}])
        guide.append([c.title for c in columns])
        for cell in guide[guide.max_row]:
            cell.font = Font(bold=True)
        guide.append([c.example for c in columns])
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 30
    guide.column_dimensions["C"].width = 90
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="B02A37")
    for ws, columns in ((sessions, SESSION_COLUMNS), (petitions, PETITION_COLUMNS)):
        for i, column in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=i, value=column.title)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = max(14, min(40, len(column.title) + 6))
            if column.parse in TEXT_PARSES:
                # Text cells keep the leading zeros of codes, and a typed "=..." stays text.
                ws.column_dimensions[letter].number_format = "@"
            elif column.parse == "date":
                ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
            if column.parse in ranges:
                # A suggestion list, not a lock: codes and spellings without diacritics are accepted too.
                dv = DataValidation(
                    type="list", formula1=ranges[column.parse], allow_blank=True, showErrorMessage=False
                )
                dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Reading -------------------------------------------------------------------------------


def _read_sheets(data: bytes) -> tuple[dict[str, list[tuple[int, dict[str, Any]]]], list[RowError]]:
    """The data rows of both sheets, found by title, and the problems that stop the file."""
    wb = xlsx.open_workbook(data)
    if wb is None:
        return {}, [RowError("", None, "", xlsx.unreadable())]
    try:
        by_title = {xlsx.header_key(ws.title): ws for ws in wb.worksheets}
        out: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        errors: list[RowError] = []
        for title, columns in SHEETS:
            ws = by_title.get(xlsx.header_key(title))
            if ws is None:
                errors.append(
                    RowError(
                        "", None, "", _("Tệp thiếu trang “%(s)s”. Hãy dùng tệp mẫu tải về từ trang này.") % {"s": title}
                    )
                )
                continue
            rows, problems = xlsx.read_sheet(ws, columns)
            errors.extend(RowError(title, *p) for p in problems)
            out[title] = rows
        return out, errors
    except Exception:  # malformed workbook XML surfaces only while streaming
        return {}, [RowError("", None, "", xlsx.unreadable())]
    finally:
        wb.close()


def _key(value: Any) -> str:
    """Session keys match without case or diacritics ("hn1" is "HN1")."""
    return fold(xlsx.as_text(value))


def _parse_key(value: Any) -> str:
    text = xlsx.as_text(value)
    if len(text) > 50:
        raise CellError(_("Mã hội nghị dài quá 50 ký tự."))
    return text


# --- Validate and apply ----------------------------------------------------------------------


@dataclass
class _ValidSession:
    number: int
    data: dict[str, Any]
    petitions: list[dict[str, Any]] = field(default_factory=list)


def import_dialogues_xlsx(*, user, fileobj) -> ImportResult:
    """Validate every row of both sheets, then create every session and petition, or none."""
    data, problem = xlsx.safe_bytes(fileobj)
    if problem is not None:
        return ImportResult(errors=[RowError("", None, "", problem)])
    sheets, errors = _read_sheets(data)
    if errors:
        return ImportResult(errors=errors)
    if not sheets[SESSION_SHEET]:
        return ImportResult(
            errors=[
                RowError(
                    SESSION_SHEET,
                    None,
                    "",
                    _("Trang “%(s)s” không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 2).") % {"s": SESSION_SHEET},
                )
            ]
        )
    valid, errors = _validate(user, sheets[SESSION_SHEET], sheets[PETITION_SHEET])
    if errors:
        return ImportResult(errors=errors)
    errors = _apply(user, valid)
    if errors:
        return ImportResult(errors=errors)
    return ImportResult(created_sessions=len(valid), created_petitions=sum(len(s.petitions) for s in valid.values()))


def _parse_row(raw: dict[str, Any], columns, parsers) -> tuple[dict[str, Any], dict[str, str]]:
    """The row as form data, and the cells that could not be read ({field: message})."""
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


def _form_errors(sheet: str, number: int, form, columns, bad: dict[str, str]) -> list[RowError]:
    """The cell errors and the form's errors of one row, in the order of the columns."""
    titles = {c.field: c.title for c in columns}
    order = {c.field: i for i, c in enumerate(columns)}
    found = list(bad.items())
    for name, messages in form.errors.items():
        if name in bad:
            continue  # already said, in the file's terms
        found.extend((name, str(m)) for m in messages)
    found.sort(key=lambda e: order.get(e[0], -1))
    return [RowError(sheet, number, titles.get(name, ""), message) for name, message in found]


def _validate(user, session_rows, petition_rows) -> tuple[dict[str, _ValidSession], list[RowError]]:
    parsers: dict[str, Any] = {
        "text": xlsx.as_text,
        "key": _parse_key,
        "count": xlsx.parse_count,
        "bool": xlsx.parse_bool,
        "date": xlsx.parse_date,
        **{
            name: xlsx.choices_parser(choices, _("“%(v)s” không phải giá trị hợp lệ. Ghi một trong: %(a)s."))
            for name, choices in CHOICES.items()
        },
    }
    resolver = UnitCodeResolver(
        user,
        [raw["unit"] for _n, raw in session_rows if not isinstance(raw.get("unit"), CellError | None)],
        action=access.REPORT,
        kinds=tuple(UnitKind.values),
        noun=_("đơn vị"),
    )
    parsers["code"] = lambda value: resolver.resolve(value).pk
    key_title = SESSION_COLUMNS[0].title

    errors: list[RowError] = []
    valid: dict[str, _ValidSession] = {}
    seen: dict[str, int] = {}  # every session key of the file, valid or not -> its row
    for number, raw in session_rows:
        data, bad = _parse_row(raw, SESSION_COLUMNS, parsers)
        key = data.pop("key", "")
        if "format" not in data and "format" not in bad:
            data["format"] = Format.TRUC_TIEP  # the browser's form opens with it chosen
        form = DialogueSessionForm(data, user=user)
        ok = form.is_valid()
        row_errors = _form_errors(SESSION_SHEET, number, form, SESSION_COLUMNS, bad)
        if key and "key" not in bad:
            folded = _key(key)
            if folded in seen:
                row_errors.insert(
                    0,
                    RowError(
                        SESSION_SHEET,
                        number,
                        key_title,
                        _("Mã hội nghị “%(k)s” trùng với dòng %(row)s.") % {"k": key, "row": seen[folded]},
                    ),
                )
                ok = False
            else:
                seen[folded] = number
        elif "key" not in bad:
            row_errors.insert(0, RowError(SESSION_SHEET, number, key_title, _("Hãy ghi mã hội nghị.")))
        errors.extend(row_errors)
        if ok and not bad and key:
            cleaned = {k: v for k, v in form.cleaned_data.items() if k != "minutes_file"}
            valid[_key(key)] = _ValidSession(number, cleaned)

    counts: dict[str, int] = {}
    for number, raw in petition_rows:
        data, bad = _parse_row(raw, PETITION_COLUMNS, parsers)
        key = data.pop("key", "")
        form = PetitionRowForm(data)
        ok = form.is_valid()
        row_errors = _form_errors(PETITION_SHEET, number, form, PETITION_COLUMNS, bad)
        folded = _key(key)
        if "key" in bad:
            pass
        elif not key:
            row_errors.insert(0, RowError(PETITION_SHEET, number, key_title, _("Hãy ghi mã hội nghị.")))
        elif folded not in seen:
            row_errors.insert(
                0,
                RowError(
                    PETITION_SHEET,
                    number,
                    key_title,
                    _("Không có hội nghị mã “%(k)s” ở trang “%(s)s”.") % {"k": key, "s": SESSION_SHEET},
                ),
            )
        else:
            counts[folded] = counts.get(folded, 0) + 1
            if counts[folded] == MAX_PETITIONS_PER_SESSION + 1:
                row_errors.insert(
                    0,
                    RowError(
                        PETITION_SHEET,
                        number,
                        key_title,
                        _("Một hội nghị ghi tối đa %(n)s ý kiến, kiến nghị; hội nghị “%(k)s” có nhiều hơn.")
                        % {"n": MAX_PETITIONS_PER_SESSION, "k": key},
                    ),
                )
        errors.extend(row_errors)
        if ok and not row_errors and folded in valid:
            valid[folded].petitions.append(form.cleaned_data)
    return valid, errors


def _apply(user, sessions: dict[str, _ValidSession]) -> list[RowError]:
    """Create every session with its petitions in one transaction; any failure rolls all back."""
    current: _ValidSession | None = None
    try:
        with transaction.atomic():
            for session in sessions.values():
                current = session
                services.session_create(actor=user, data=session.data, petitions=session.petitions)
    except ValidationError as exc:
        return [RowError(SESSION_SHEET, current.number if current else None, "", "; ".join(exc.messages))]
    except DatabaseError:
        return [
            RowError(
                SESSION_SHEET,
                current.number if current else None,
                "",
                _("Không lưu được do lỗi cơ sở dữ liệu. Chưa có dòng nào được lưu; hãy thử lại."),
            )
        ]
    return []
