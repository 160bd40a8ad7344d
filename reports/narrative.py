"""The consolidated narrative report draft (.docx) of a compilation (DOMAIN.md §3.3, §11.1–11.2).

The committee edits and signs this draft: the letterhead of a state document (issuing body and
Quốc hiệu with their drawn lines, number, place and date), the title and data window, one
heading per entry of the province's outline with the aggregated figures of reports/compilation.py
written into the text (or, where the portal holds no figure, one bracketed line telling the
committee what to write), the signature block and "Nơi nhận", then the annexes: one bordered
table per indicator table (Biểu 13 as the classification counts).

Only formatting happens here: every figure comes from the ``Summary``. A figure that is absent
(an edited catalogue, a table without reports) is simply not mentioned. Every piece of text goes
in as a plain run, with the control characters XML refuses removed. Numbers are written the
Vietnamese way whatever the interface language ("1.234", "83,8%", "1.500.000 đồng"): this is a
Vietnamese state document.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from qcdc_portal.templatetags.portal import vn_number
from reports.compilation import CLASSIFICATION_TABLE, Summary, Table

FONT = "Times New Roman"
BODY_PT = 14
ANNEX_PT = 12
DASH = "–"  # a rate or a score has no total
# XML 1.0 accepts tab, newline, carriage return and these ranges; python-docx refuses the rest.
ILLEGAL_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
PLACE_PREFIXES = ("tỉnh ", "thành phố ", "tp. ", "tp ")
# Biểu 06 splits between II.3 (agencies) and II.4 (enterprises).
ENTERPRISE_06 = {"06.06", "06.07", "06.08", "06.09", "06.10", "06.11"}
# What may follow w:pBdr inside w:pPr (the schema fixes the order; Word refuses others).
PBDR_SUCCESSORS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
TOP, BOTTOM, LEFT, RIGHT = Cm(2), Cm(2), Cm(3), Cm(2)
TEXT_WIDTH_CM = 16.0
LANDSCAPE_TEXT_WIDTH_CM = 29.7 - 3 - 2


# --- Text and numbers ------------------------------------------------------------------------


def clean(value) -> str:
    """Text as it may go into the document: the control characters XML refuses removed."""
    return ILLEGAL_XML.sub("", "" if value is None else str(value))


def one_line(value) -> str:
    """A name on one line: cleaned, whitespace (tabs, newlines) collapsed."""
    return " ".join(clean(value).split())


def lower_first(text: str) -> str:
    """ "Số cuộc giám sát" -> "số cuộc giám sát" mid-sentence; acronyms ("PPP …") stay."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def num(value, value_type: str = "int") -> str:
    """1234 -> "1.234", 120.50 -> "120,5" (two decimals at most), always with Vietnamese marks
    (the portal's ``vn_number`` under the Vietnamese locale); None -> ""."""
    d = _decimal(value)
    if d is None:
        return ""
    if value_type in ("int", "money"):
        d, digits = d.quantize(Decimal(1), rounding=ROUND_HALF_UP), 0
    else:
        d = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        digits = max(0, -d.as_tuple().exponent)
    with translation.override("vi"):
        return vn_number(d, digits)


def pct(value) -> str:
    """A percentage with at most one decimal: 83.84 -> "83,8%", 100.0 -> "100%"."""
    d = _decimal(value)
    if d is None:
        return ""
    return num(d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "decimal") + "%"


def ratio(part: int, whole: int) -> Decimal | None:
    return Decimal(part) * 100 / Decimal(whole) if whole else None


def day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def place_of(summary: Summary) -> str:
    """ "Tỉnh Hòa Bình" -> "Hòa Bình" (the place of the place-date line)."""
    name = one_line(summary.period.province.name)
    for prefix in PLACE_PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def period_phrase(summary: Summary) -> str:
    """The period as it follows "Kết quả thực hiện dân chủ ở cơ sở": "Báo cáo 6 tháng đầu năm
    2026" -> "6 tháng đầu năm 2026"; the year is added when the label does not name it."""
    period = summary.period
    text = one_line(period.label)
    for prefix in ("báo cáo kết quả thực hiện dân chủ ở cơ sở", "kết quả thực hiện dân chủ ở cơ sở", "báo cáo"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :].lstrip(" :-–")
            break
    text = lower_first(text)
    if str(period.year) not in text:
        text = f"{text} {_('năm')} {period.year}".strip()
    return text


def total(summary: Summary, table_code: str, indicator_code: str) -> Decimal | None:
    """A table's scope total for one indicator, or None when the table, the indicator or the
    figure is absent (so the sentence that quotes it is left out)."""
    table = summary.table(table_code)
    return table.total.get(indicator_code) if table else None


def amount(value, value_type: str, unit: str) -> str:
    text = num(value, value_type)
    unit = one_line(unit)
    return f"{text} {unit}" if unit and unit != "%" else (f"{text}%" if unit == "%" else text)


def table_figures(table: Table | None, codes: set[str] | None = None, exclude: set[str] | None = None) -> list[str]:
    """ "số nội dung đã công khai: 1.234 nội dung" for each summed column with a total."""
    if table is None:
        return []
    items = []
    for col in table.columns:
        if not col.summed or (codes is not None and col.code not in codes) or (exclude and col.code in exclude):
            continue
        value = table.total.get(col.code)
        if value is None:
            continue
        items.append(f"{lower_first(one_line(col.name))}: {amount(value, col.value_type, col.unit_of_measure)}")
    return items


def table_sentence(table: Table | None, **kw) -> list[str]:
    items = table_figures(table, **kw)
    if not items:
        return []
    lead = _("Số liệu tổng hợp (Biểu số %(code)s – %(title)s): ") % {
        "code": one_line(table.code),
        "title": one_line(table.title),
    }
    return [lead + "; ".join(items) + "."]


def _n(figures: dict, key: str) -> int | Decimal | None:
    value = figures.get(key) if figures else None
    return value if isinstance(value, (int, Decimal)) else None


# --- Section texts ---------------------------------------------------------------------------

# What the committee writes where the portal holds no figure.
GUIDANCE = {
    "I": N_("diện tích, dân số, đặc điểm kinh tế – xã hội của địa phương."),
    "II.1": N_("văn bản lãnh đạo, chỉ đạo đã ban hành; công tác tuyên truyền, tập huấn; kiện toàn Ban Chỉ đạo."),
    "II.2.1": N_("những nội dung đã công khai và hình thức công khai."),
    "II.2.2": N_("những nội dung Nhân dân bàn và quyết định; nguồn lực được huy động."),
    "II.2.3": N_("những nội dung Nhân dân tham gia ý kiến và kết quả tiếp thu."),
    "II.2.4": N_("hoạt động của Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng."),
    "II.2.5": N_("việc xây dựng, thực hiện hương ước, quy ước."),
    "II.2.6": N_("kết quả tổ chức hội nghị cộng đồng dân cư ở thôn, tổ dân phố."),
    "II.3": N_("việc tổ chức Hội nghị cán bộ, công chức, viên chức; quy chế làm việc, chi tiêu nội bộ."),
    "II.4": N_("việc tổ chức Hội nghị người lao động, đối thoại tại nơi làm việc."),
    "II.5": N_("kết quả tiếp xúc, đối thoại và giải quyết kiến nghị theo hướng “5 rõ”."),
    "II.6": N_("kết quả tiếp công dân, giải quyết khiếu nại, tố cáo."),
    "II.7": N_("kết quả cải cách hành chính, một cửa, dịch vụ công trực tuyến."),
    "II.8": N_("kết quả phong trào thi đua “Dân vận khéo”, mô hình tiêu biểu."),
    "II.9": N_("hoạt động kiểm tra, giám sát của Ban Chỉ đạo."),
    "II.10": N_("kết quả tự chấm điểm, xếp loại khi có kết quả thẩm định."),
    "III": N_("ưu điểm; tồn tại, hạn chế; nguyên nhân (khách quan, chủ quan); bài học kinh nghiệm."),
    "IV": N_("phương hướng, nhiệm vụ trọng tâm kỳ tới."),
    "V": N_("đề xuất, kiến nghị với cấp trên."),
}

# Headings the outline implies without listing them (its entries start at II.1, II.2.1…).
PARENT_TITLES = {"II": N_("Kết quả thực hiện"), "II.2": N_("Thực hiện dân chủ ở xã, phường, thị trấn")}


def guidance(code: str) -> str:
    what = GUIDANCE.get(code)
    if what:
        return "[" + _("Ban Chỉ đạo bổ sung: %(what)s") % {"what": _(what)} + "]"
    return "[" + _("Ban Chỉ đạo bổ sung nội dung phần này.") + "]"


def text_units(summary: Summary) -> list[str]:
    out = []
    items = table_figures(summary.table("01"))
    if items:
        out.append(_("Phạm vi thực hiện: %(items)s.") % {"items": "; ".join(items)})
    c = summary.completeness or {}
    expected = c.get("expected") or 0
    if expected:
        submitted = c.get("submitted") or 0
        sentence = _("Có %(done)s/%(expected)s đơn vị đã gửi báo cáo, đạt %(pct)s") % {
            "done": num(submitted),
            "expected": num(expected),
            "pct": pct(ratio(submitted, expected)),
        }
        if submitted:
            sentence += _(" (đúng hạn: %(on_time)s; quá hạn: %(late)s)") % {
                "on_time": num(c.get("on_time") or 0),
                "late": num(c.get("late") or 0),
            }
        sentence += _("; %(approved)s đơn vị đã được duyệt") % {"approved": num(c.get("approved") or 0)}
        if c.get("returned"):
            sentence += _("; %(returned)s báo cáo đang trả lại để bổ sung") % {"returned": num(c["returned"])}
        if c.get("missing"):
            sentence += _("; %(missing)s đơn vị chưa gửi báo cáo") % {"missing": num(c["missing"])}
        out.append(sentence + ".")
    if summary.reports_included:
        if summary.include_submitted and summary.reports_pending:
            out.append(
                _(
                    "Số liệu trong báo cáo được tổng hợp từ %(n)s báo cáo của các đơn vị, trong đó %(pending)s "
                    "báo cáo đã gửi nhưng chưa được duyệt."
                )
                % {"n": num(summary.reports_included), "pending": num(summary.reports_pending)}
            )
        else:
            out.append(
                _("Số liệu trong báo cáo được tổng hợp từ %(n)s báo cáo đã được duyệt của các đơn vị.")
                % {"n": num(summary.reports_included)}
            )
    return out


def _breakdown(figures: dict, prefix: str, choices, unit: str = "") -> str:
    parts = [
        f"{lower_first(str(label))}: {num(figures[f'{prefix}{value}'])}{unit}"
        for value, label in choices
        if _n(figures, f"{prefix}{value}")
    ]
    return "; ".join(parts)


def text_supervision(summary: Summary) -> list[str]:
    from boards.models import InvestmentProject, SupervisionField

    out = []
    ins = summary.inspection or {}
    if _n(ins, "boards") == 0 and not _n(ins, "supervisions"):
        out.append(_("Chưa có Ban Thanh tra nhân dân nào được cập nhật trên hệ thống."))
    elif _n(ins, "boards") is not None:
        s = _("Có %(boards)s Ban Thanh tra nhân dân với %(members)s thành viên") % {
            "boards": num(ins["boards"]),
            "members": num(_n(ins, "members") or 0),
        }
        if _n(ins, "supervisions") is not None:
            s += _("; trong kỳ đã thực hiện %(n)s cuộc giám sát") % {"n": num(ins["supervisions"])}
            fields = _breakdown(ins, "field_", SupervisionField.choices)
            if fields:
                s += f" ({fields})"
        s += _outcomes(ins, land=True)
        out.append(s + ".")
    com = summary.community or {}
    if _n(com, "boards") == 0 and not _n(com, "supervisions"):
        out.append(_("Chưa có Ban Giám sát đầu tư của cộng đồng nào được cập nhật trên hệ thống."))
    elif _n(com, "boards") is not None:
        s = _("Có %(boards)s Ban Giám sát đầu tư của cộng đồng với %(members)s thành viên") % {
            "boards": num(com["boards"]),
            "members": num(_n(com, "members") or 0),
        }
        if _n(com, "supervisions") is not None:
            s += _("; trong kỳ đã giám sát %(projects)s công trình, dự án qua %(n)s cuộc giám sát") % {
                "projects": num(_n(com, "projects") or 0),
                "n": num(com["supervisions"]),
            }
            funding = _breakdown(com, "funding_", InvestmentProject.Funding.choices)
            if funding:
                s += f" ({funding})"
        s += _outcomes(com, land=False)
        out.append(s + ".")
    return out


def _outcomes(figures: dict, *, land: bool) -> str:
    parts = []
    if _n(figures, "violations"):
        parts.append(_("phát hiện %(n)s sai phạm") % {"n": num(figures["violations"])})
    if _n(figures, "recommendations"):
        parts.append(_("kiến nghị %(n)s vụ việc") % {"n": num(figures["recommendations"])})
    recovered = []
    if _n(figures, "money_recovered"):
        recovered.append(_("%(money)s đồng") % {"money": num(figures["money_recovered"], "money")})
    if land and _n(figures, "land_recovered_m2"):
        recovered.append(_("%(m2)s m² đất") % {"m2": num(figures["land_recovered_m2"], "decimal")})
    if recovered:
        parts.append(_("thu hồi %(what)s") % {"what": _(" và ").join(recovered)})
    if not land and _n(figures, "settlement_reduced"):
        parts.append(_("giảm trừ quyết toán %(money)s đồng") % {"money": num(figures["settlement_reduced"], "money")})
    return ("; " + ", ".join(parts)) if parts else ""


def text_dialogues(summary: Summary) -> list[str]:
    from dialogues.models import Level, Scope

    d = summary.dialogues or {}
    sessions = _n(d, "sessions")
    if sessions is None:
        return []
    if not sessions:
        return [_("Trong kỳ, chưa có cuộc tiếp xúc, đối thoại nào được cập nhật trên hệ thống.")]
    s = _("Trong kỳ, đã tổ chức %(n)s cuộc tiếp xúc, đối thoại") % {"n": num(sessions)}
    levels = _breakdown(d, "level_", Level.choices, " " + _("cuộc"))
    if levels:
        s += f" ({levels})"
    scopes = [
        _("%(n)s cuộc %(scope)s") % {"n": num(d[f"scope_{value}"]), "scope": lower_first(str(label))}
        for value, label in Scope.choices
        if _n(d, f"scope_{value}")
    ]
    if scopes:
        s += _(", trong đó ") + ", ".join(scopes)
    if _n(d, "participants"):
        s += _("; có %(n)s lượt người tham dự") % {"n": num(d["participants"])}
    out = [s + "."]
    raised = _n(d, "raised")
    if raised:
        s = _("Nhân dân nêu %(n)s ý kiến, kiến nghị") % {"n": num(raised)}
        parts = []
        if _n(d, "answered") is not None:
            parts.append(_("%(n)s ý kiến được trả lời tại hội nghị") % {"n": num(d["answered"])})
        if _n(d, "assigned_after") is not None:
            parts.append(_("%(n)s ý kiến giao giải quyết sau hội nghị") % {"n": num(d["assigned_after"])})
        if parts:
            s += _(", trong đó ") + ", ".join(parts)
        s += "."
        resolved = _n(d, "resolved")
        if resolved is not None:
            rate = d.get("resolution_rate")
            rate = rate if rate is not None else ratio(resolved, raised)
            s += " " + _("Đến nay đã giải quyết %(n)s ý kiến, đạt %(rate)s (%(n)s/%(raised)s)") % {
                "n": num(resolved),
                "rate": pct(rate),
                "raised": num(raised),
            }
            if _n(d, "transferred"):
                s += _("; chuyển cấp có thẩm quyền %(n)s ý kiến") % {"n": num(d["transferred"])}
            if _n(d, "open"):
                s += _("; còn %(n)s ý kiến đang giải quyết") % {"n": num(d["open"])}
                if _n(d, "overdue"):
                    s += _(", trong đó %(n)s ý kiến quá hạn") % {"n": num(d["overdue"])}
            s += "."
        out.append(s)
    elif raised == 0:
        out.append(_("Không có ý kiến, kiến nghị nào được ghi nhận tại các cuộc tiếp xúc, đối thoại."))
    return out


def _change(label: str, unit: str, current, previous) -> str | None:
    if current is None or previous is None:
        return None
    diff = current - previous
    if not diff:
        return _("%(label)s bằng cùng kỳ") % {"label": label}
    word = _("tăng") if diff > 0 else _("giảm")
    text = f"{label} {word} {num(abs(diff))} {unit}"
    if previous:
        text += f" ({pct(ratio(abs(diff), previous))})"
    return text


def text_reception(summary: Summary) -> list[str]:
    r = summary.reception or {}
    if _n(r, "total_sessions") is None:
        return []
    out = []
    s = _("Trong kỳ, đã tiếp %(sessions)s lượt công dân với %(persons)s người") % {
        "sessions": num(r["total_sessions"]),
        "persons": num(_n(r, "total_persons") or 0),
    }
    parts = []
    if _n(r, "routine_sessions") is not None:
        parts.append(
            _("tiếp thường xuyên %(s)s lượt, %(p)s người")
            % {"s": num(r["routine_sessions"]), "p": num(_n(r, "routine_persons") or 0)}
        )
    if _n(r, "head_sessions") is not None:
        parts.append(
            _("người đứng đầu tiếp định kỳ, đột xuất %(s)s lượt, %(p)s người")
            % {"s": num(r["head_sessions"]), "p": num(_n(r, "head_persons") or 0)}
        )
    if parts:
        s += " (" + "; ".join(parts) + ")"
    cases = []
    if _n(r, "total_cases_new") is not None:
        cases.append(_("%(n)s vụ việc mới phát sinh") % {"n": num(r["total_cases_new"])})
    if _n(r, "total_cases_old") is not None:
        cases.append(_("%(n)s vụ việc cũ") % {"n": num(r["total_cases_old"])})
    if cases:
        s += "; " + ", ".join(cases)
    if _n(r, "total_delegations"):
        s += _("; %(n)s đoàn đông người (%(p)s người)") % {
            "n": num(r["total_delegations"]),
            "p": num(_n(r, "total_delegation_persons") or 0),
        }
    out.append(s + ".")
    letters = [
        (key, text)
        for key, text in (
            ("total_complaints", _("%(n)s đơn khiếu nại")),
            ("total_denunciations", _("%(n)s đơn tố cáo")),
            ("total_petitions_count", _("%(n)s đơn kiến nghị, phản ánh")),
        )
        if _n(r, key) is not None
    ]
    if letters:
        out.append(
            _("Qua tiếp công dân, đã tiếp nhận %(items)s.")
            % {"items": ", ".join(text % {"n": num(r[key])} for key, text in letters)}
        )
    if _n(r, "previous_total_sessions") is not None:
        changes = [
            c
            for c in (
                _change(_("số lượt tiếp"), _("lượt"), _n(r, "total_sessions"), _n(r, "previous_total_sessions")),
                _change(_("số người"), _("người"), _n(r, "total_persons"), _n(r, "previous_total_persons")),
                _change(
                    _("số vụ việc mới phát sinh"),
                    _("vụ việc"),
                    _n(r, "total_cases_new"),
                    _n(r, "previous_total_cases_new"),
                ),
            )
            if c
        ]
        if changes:
            out.append(
                _("So với cùng kỳ năm trước (%(n)s lượt tiếp): %(changes)s.")
                % {"n": num(r["previous_total_sessions"]), "changes": "; ".join(changes)}
            )
    return out


def text_classification(summary: Summary) -> list[str]:
    if not summary.classification:
        return []
    items = "; ".join(
        _("%(label)s: %(n)s đơn vị") % {"label": one_line(label), "n": num(n)} for label, n in summary.classification
    )
    units = sum(n for _label, n in summary.classification)
    return [
        _("Kết quả xếp loại: %(items)s.") % {"items": items},
        _("Tổng số %(n)s đơn vị có phiếu chấm điểm trong kỳ.") % {"n": num(units)},
    ]


def text_workplace(summary: Summary, *, enterprises: bool) -> list[str]:
    """II.3 / II.4 from Biểu 06: "Có 45/50 cơ quan, đơn vị tổ chức Hội nghị …, đạt 90%", then
    the table's other figures for agencies or for enterprises."""
    if enterprises:
        done_code, whole_code = "06.07", "06.06"
        what = _("doanh nghiệp tổ chức Hội nghị người lao động")
    else:
        done_code, whole_code = "06.02", "06.01"
        what = _("cơ quan, đơn vị tổ chức Hội nghị cán bộ, công chức, viên chức")
    out = []
    done, whole = total(summary, "06", done_code), total(summary, "06", whole_code)
    if done is not None and whole:
        out.append(
            _("Có %(done)s/%(whole)s %(what)s, đạt %(pct)s.")
            % {"done": num(done), "whole": num(whole), "what": what, "pct": pct(ratio(done, whole))}
        )
    split = {"codes": ENTERPRISE_06} if enterprises else {"exclude": ENTERPRISE_06}
    return out + table_sentence(summary.table("06"), **split)


def section_texts(summary: Summary, code: str) -> list[str]:
    """The paragraphs of one outline entry written from the figures (empty: none exist)."""
    tables = {
        "II.2.1": ("08", {}),
        "II.2.2": ("09", {}),
        "II.2.3": ("10", {}),
        "II.2.5": ("07", {}),
        "II.7": ("11", {}),
        "II.8": ("12", {}),
        "II.9": ("14", {}),
    }
    if code in tables:
        table_code, kw = tables[code]
        return table_sentence(summary.table(table_code), **kw)
    writers = {
        "I": text_units,
        "II.2.4": text_supervision,
        "II.5": text_dialogues,
        "II.6": text_reception,
        "II.10": text_classification,
        "II.3": lambda s: text_workplace(s, enterprises=False),
        "II.4": lambda s: text_workplace(s, enterprises=True),
    }
    writer = writers.get(code)
    texts = writer(summary) if writer else []
    if texts and code in FROM_RECORDS:
        texts.append(records_note(summary))
    return texts


# Sections written from the portal's records (every unit in scope, as of the compilation),
# not from the approved reports summed in the annexes: the reader is told so.
FROM_RECORDS = {"II.2.4", "II.5", "II.6"}


def records_note(summary: Summary) -> str:
    return _(
        "(Theo dữ liệu cập nhật trên cổng của mọi đơn vị trong phạm vi, tính đến %(time)s ngày %(date)s; "
        "số liệu các biểu kèm theo tổng hợp từ báo cáo của các đơn vị.)"
    ) % {"time": summary.generated_at.strftime("%H:%M"), "date": day(summary.generated_at)}


# --- docx plumbing ---------------------------------------------------------------------------


def _set_font(element) -> None:
    """Times New Roman for every script (theme fonts removed) on a style or run element."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = section.footer_distance = Cm(1)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_font(normal.element)
    rpr = normal.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), "vi-VN")
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing = 1.15
    for name, italic in (("Heading 1", False), ("Heading 2", False), ("Heading 3", True)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        style.font.bold = True
        style.font.italic = italic
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_font(style.element)
        pf = style.paragraph_format
        pf.space_before, pf.space_after = Pt(6), Pt(6)
        pf.first_line_indent = Cm(1)
        pf.keep_with_next = True
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    # Page numbers at the top centre from the second page on (NĐ 30/2020).
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    p._p.append(field)


def _para(
    container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align=None,
    indent: bool = False,
    after: float | None = None,
    before: float | None = None,
    keep: bool = False,
    style: str | None = None,
):
    p = container.add_paragraph(style=style)
    if text:
        run = p.add_run(clean(text))
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
    fmt = p.paragraph_format
    if align is not None:
        fmt.alignment = align
    if indent:
        fmt.first_line_indent = Cm(1)
    if after is not None:
        fmt.space_after = Pt(after)
    if before is not None:
        fmt.space_before = Pt(before)
    if keep:
        fmt.keep_with_next = True
    return p


def _tight(p) -> None:
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def _rule(container, width_cm: float, box_cm: float) -> None:
    """A drawn line ``width_cm`` long, centred in a box ``box_cm`` wide: the bottom border of an
    empty, one-point-high paragraph indented from both sides (NĐ 30: a line, not underlining)."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    side = Cm(max(0.0, (box_cm - width_cm) / 2))
    fmt.left_indent = fmt.right_indent = side
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.insert_element_before(border, *PBDR_SUCCESSORS)


def _widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)


def _cell(cell, text: str, *, bold=False, italic=False, size: float = ANNEX_PT, align=WD_ALIGN_PARAGRAPH.LEFT):
    """Write ``text`` into a cell's first paragraph (newlines start new paragraphs)."""
    lines = clean(text).split("\n")
    p = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            p = cell.add_paragraph()
        _tight(p)
        p.paragraph_format.alignment = align
        if line:
            run = p.add_run(line)
            run.bold = bold or None
            run.italic = italic or None
            run.font.size = Pt(size)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _no_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    trpr.append(cant)


# --- Document parts --------------------------------------------------------------------------


def _letterhead(doc, summary: Summary) -> None:
    left_cm, right_cm = 6.5, TEXT_WIDTH_CM - 6.5
    table = doc.add_table(rows=2, cols=2)
    _widths(table, [left_cm, right_cm])
    centre = WD_ALIGN_PARAGRAPH.CENTER
    body, motto = table.cell(0, 0), table.cell(0, 1)
    _cell(body, _("BAN CHỈ ĐẠO THỰC HIỆN\nDÂN CHỦ Ở CƠ SỞ"), bold=True, size=12, align=centre)
    p = body.add_paragraph()
    _tight(p)
    p.alignment = centre
    run = p.add_run(one_line(summary.scope.name).upper())
    run.bold, run.font.size = True, Pt(12)
    _rule(body, 2.2, left_cm - 0.4)
    _cell(motto, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=12, align=centre)
    p = motto.add_paragraph()
    _tight(p)
    p.alignment = centre
    run = p.add_run(_("Độc lập - Tự do - Hạnh phúc"))
    run.bold, run.font.size = True, Pt(13)
    _rule(motto, 6.0, right_cm - 0.4)
    for cell in (body, motto):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    number, place = table.cell(1, 0), table.cell(1, 1)
    _cell(number, _("Số:        /BC-BCĐ"), size=13, align=centre)
    when = summary.generated_at
    _cell(
        place,
        _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s")
        % {"place": place_of(summary), "day": f"{when.day:02d}", "month": f"{when.month:02d}", "year": when.year},
        italic=True,
        size=14,
        align=centre,
    )
    for cell in (number, place):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _title(doc, summary: Summary) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, _("BÁO CÁO"), bold=True, align=centre, before=18, after=0, keep=True)
    _para(
        doc,
        _("Kết quả thực hiện dân chủ ở cơ sở %(period)s") % {"period": period_phrase(summary)},
        bold=True,
        align=centre,
        after=0,
        keep=True,
    )
    _para(
        doc,
        _("(Số liệu tính từ ngày %(start)s đến ngày %(end)s)")
        % {"start": day(summary.period.data_start), "end": day(summary.period.data_end)},
        italic=True,
        align=centre,
        after=0,
        keep=True,
    )
    _rule(doc, 3.0, TEXT_WIDTH_CM)
    if summary.include_submitted and summary.reports_pending:
        p = _para(
            doc,
            _(
                "Lưu ý: số liệu tổng hợp gồm cả %(n)s báo cáo đã gửi nhưng chưa được duyệt; cần rà soát lại "
                "trước khi ban hành."
            )
            % {"n": num(summary.reports_pending)},
            bold=True,
            italic=True,
            align=centre,
            before=6,
        )
        p.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    _para(doc, "", after=6)


class Numbering:
    """Consecutive heading numbers from the outline's codes: the province's codes identify the
    sections ("II.5" stays "II.5" whichever template lacks II.3), the document numbers them in
    order ("I", "1", "2", "2.1", "3", …)."""

    def __init__(self) -> None:
        self.shown: dict[str, str] = {}
        self.count: dict[str, int] = {}

    def label(self, code: str, title: str) -> str:
        """ "I" -> "I. ĐẶC ĐIỂM TÌNH HÌNH", "II.1" -> "1. …", "II.2.1" -> "2.1. …"."""
        title = one_line(title)
        parts = code.split(".")
        if len(parts) == 1:
            return f"{code}. {title.upper()}" if code else title.upper()
        parent = ".".join(parts[:-1])
        n = self.count[parent] = self.count.get(parent, 0) + 1
        base = self.shown.get(parent, ".".join(parts[1:-1])) if len(parts) > 2 else ""
        self.shown[code] = f"{base}.{n}" if base else str(n)
        return f"{self.shown[code]}. {title}"


def _level(code: str) -> int:
    return min(3, len(code.split(".")))


def _body(doc, summary: Summary) -> None:
    outline = [(one_line(code), title) for code, title in summary.outline]
    listed = {code for code, _title in outline}
    numbering = Numbering()
    written: set[str] = set()
    for code, title in outline:
        if code in written:  # two active templates may list the same section: write it once
            continue
        parts = code.split(".")
        for depth in range(1, len(parts)):
            parent = ".".join(parts[:depth])
            if parent not in listed and parent not in written and parent in PARENT_TITLES:
                label = numbering.label(parent, _(PARENT_TITLES[parent]))
                doc.add_paragraph(label, style=f"Heading {_level(parent)}")
                written.add(parent)
        doc.add_paragraph(numbering.label(code, title), style=f"Heading {_level(code)}")
        written.add(code)
        texts = section_texts(summary, code)
        for text in texts:
            _para(doc, text, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        if not texts or code == "I":
            _para(doc, guidance(code), italic=True, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _signature(doc, summary: Summary) -> None:
    table = doc.add_table(rows=1, cols=2)
    _widths(table, [8.0, TEXT_WIDTH_CM - 8.0])
    left, right = table.cell(0, 0), table.cell(0, 1)
    _cell(left, _("Nơi nhận:"), bold=True, italic=True, size=12)
    recipient = (
        _("- Ban Thường vụ Tỉnh ủy;")
        if summary.scope.kind == "province"
        else _("- Ban Chỉ đạo thực hiện dân chủ ở cơ sở tỉnh;")
    )
    for line in (recipient, _("- Lưu: VT.")):
        p = left.add_paragraph()
        _tight(p)
        p.add_run(line).font.size = Pt(11)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _cell(right, _("TM. BAN CHỈ ĐẠO\nTRƯỞNG BAN"), bold=True, size=14, align=centre)
    for _i in range(4):
        _tight(right.add_paragraph())
    left.vertical_alignment = right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _annex_heading(doc, code: str, title: str) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(
        doc,
        _("Biểu số %(code)s: %(title)s") % {"code": one_line(code), "title": one_line(title)},
        bold=True,
        align=centre,
        before=12,
        after=0,
        keep=True,
    )
    _para(
        doc,
        _("(Kèm theo Báo cáo số …/BC-BCĐ ngày … của Ban Chỉ đạo)"),
        italic=True,
        size=13,
        align=centre,
        after=6,
        keep=True,
    )


def _annex_table(doc, table: Table, groups: list[tuple[int, str]]) -> None:
    _annex_heading(doc, table.code, table.title)
    by_key = {g.key: g for g in table.groups}
    headers = [_("TT"), _("Chỉ tiêu"), _("Đơn vị tính"), *(one_line(name) for _k, name in groups), _("Tổng cộng")]
    grid = doc.add_table(rows=1, cols=len(headers), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    number_cm = 2.8 if groups else 3.2
    name_cm = min(10.0, LANDSCAPE_TEXT_WIDTH_CM - 1.0 - 2.4 - number_cm * (len(groups) + 1))
    right, centre = WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        _cell(cell, text, bold=True, align=centre)
    _repeat_header(grid.rows[0])
    for i, col in enumerate(table.columns, start=1):
        row = grid.add_row()
        _no_split(row)
        cells = row.cells
        _cell(cells[0], str(i), align=centre)
        _cell(cells[1], one_line(col.name))
        _cell(cells[2], one_line(col.unit_of_measure), align=centre)
        for j, (key, _name) in enumerate(groups, start=3):
            group = by_key.get(key)
            value = DASH if not col.summed else num(group.values.get(col.code) if group else None, col.value_type)
            _cell(cells[j], value, align=right if col.summed else centre)
        value = num(table.total.get(col.code), col.value_type) if col.summed else DASH
        _cell(cells[-1], value, bold=True, align=right if col.summed else centre)
    _widths(grid, [1.0, name_cm, 2.4, *([number_cm] * (len(groups) + 1))])


def _annex_classification(doc, title: str, classification: list[tuple[str, int]]) -> None:
    _annex_heading(doc, CLASSIFICATION_TABLE, title)
    grid = doc.add_table(rows=1, cols=3, style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    for cell, text in zip(grid.rows[0].cells, [_("TT"), _("Xếp loại"), _("Số đơn vị")], strict=True):
        _cell(cell, text, bold=True, align=centre)
    _repeat_header(grid.rows[0])
    for i, (label, n) in enumerate(classification, start=1):
        cells = grid.add_row().cells
        _cell(cells[0], str(i), align=centre)
        _cell(cells[1], one_line(label))
        _cell(cells[2], num(n), align=right)
    cells = grid.add_row().cells
    _cell(cells[0], "")
    _cell(cells[1], _("Tổng cộng"), bold=True)
    _cell(cells[2], num(sum(n for _label, n in classification)), bold=True, align=right)
    _widths(grid, [1.0, 8.0, 3.5])


def _annexes(doc, summary: Summary) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.different_first_page_header_footer = False
    _para(doc, _("PHỤ LỤC: BIỂU SỐ LIỆU"), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)

    with_data = {g.key for t in summary.tables for g in t.groups}
    groups = [(key, name) for key, name in (summary.groups or {}).items() if key in with_data]
    if len(groups) > 5:
        groups = []
    classification_title = _("Kết quả tự chấm điểm và xếp loại")
    classification_done = False
    written = 0
    for table in summary.tables:
        if table.code == CLASSIFICATION_TABLE:
            if summary.classification:
                _annex_classification(doc, table.title, summary.classification)
            classification_done = True
            continue
        if not classification_done and summary.classification and table.code > CLASSIFICATION_TABLE:
            _annex_classification(doc, classification_title, summary.classification)
            classification_done = True
        if table.units:  # a table no included report carries has nothing to show
            _annex_table(doc, table, groups)
            written += 1
    if not classification_done and summary.classification:
        _annex_classification(doc, classification_title, summary.classification)
        classification_done = True
    if not written and not summary.classification:
        _para(doc, "[" + _("Chưa có báo cáo nào được tổng hợp trong kỳ.") + "]", italic=True, before=12)


def _properties(doc, summary: Summary) -> None:
    props = doc.core_properties
    props.title = clean(_("Báo cáo kết quả thực hiện dân chủ ở cơ sở %(period)s") % {"period": period_phrase(summary)})
    props.subject = one_line(summary.scope.name)
    props.author = props.last_modified_by = one_line(summary.requested_by)
    props.comments = ""
    props.keywords = ""
    props.created = props.modified = summary.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    props.language = "vi-VN"


def narrative_docx(summary: Summary, out) -> None:
    """Write the narrative report draft of ``summary`` to ``out`` (a path or a binary file)."""
    doc = Document()
    _setup(doc)
    _properties(doc, summary)
    _letterhead(doc, summary)
    _title(doc, summary)
    _body(doc, summary)
    _signature(doc, summary)
    _annexes(doc, summary)
    doc.save(out)
