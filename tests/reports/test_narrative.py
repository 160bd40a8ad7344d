"""The narrative report draft (.docx): letterhead, title and data window, the outline with the
aggregated figures written into the text, signature block, annexes; hostile unit names and an
absent table never break it and "None" is never written."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import docx
import pytest
from django.utils import translation
from docx.enum.section import WD_ORIENT

from boards.models import BoardMember, InspectionBoard, SupervisionActivity
from criteria.models import ClassificationBand, CriteriaSet, ScoreSheet
from dialogues.models import ReceptionSession
from reports import services
from reports.catalogue import install_defaults
from reports.compilation import Column, Summary, Table, summarize
from reports.models import Indicator, ReportingPeriod, ReportTemplate, TemplateSection
from reports.narrative import clean, narrative_docx, num, one_line, pct, section_texts
from tests.dialogues.test_selectors_services import make_session, petition_row
from tests.factories import UnitFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db

HOSTILE = "=cmd|' /C calc'!A0"
GENERATED = dt.datetime(2026, 12, 4, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def world():
    p = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    x = UnitFactory(name=HOSTILE, kind=UnitKind.DISTRICT, parent=p)
    y = UnitFactory(name="Huyện \x07bell", kind=UnitKind.DISTRICT, parent=p)
    a = UnitFactory(name="Xã A", kind=UnitKind.COMMUNE, parent=x)
    b = UnitFactory(name="Xã B", kind=UnitKind.COMMUNE, parent=y)
    c = UnitFactory(name="Xã C", kind=UnitKind.COMMUNE, parent=y)
    install_defaults(p)
    period = ReportingPeriod.objects.create(
        province=p,
        kind="semiannual",
        year=2026,
        label="Báo cáo 6 tháng đầu năm 2026",
        data_start=dt.date(2025, 10, 15),
        data_end=dt.date(2026, 5, 15),
        due_date=dt.date(2026, 5, 20),
    )
    return {"p": p, "x": x, "y": y, "a": a, "b": b, "c": c, "period": period}


def report(unit, period, values, *, approve=True):
    rep = services.report_open(actor=None, unit=unit, period=period)
    rows = {v.indicator.code: v.pk for v in rep.values.select_related("indicator")}
    services.report_save(actor=None, report=rep, values={rows[code]: (raw, "") for code, raw in values.items()})
    services.report_submit(actor=None, report=rep)
    if approve:
        services.report_approve(actor=None, report=rep)
    return rep


def scores(world, classes):
    cs = CriteriaSet.objects.create(name="Bộ thử", province=world["p"], applies_to="commune", year_from=2026)
    for i, (label, low) in enumerate([("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65)]):
        ClassificationBand.objects.create(criteria_set=cs, label=label, min_score=low, order=i)
    for unit, label in classes.items():
        ScoreSheet.objects.create(unit=world[unit], period=world["period"], criteria_set=cs, review_class=label)


@pytest.fixture
def filled(world):
    a = world["a"]
    make_session(
        a,
        dt.date(2026, 3, 10),
        participants=120,
        petitions=[petition_row(answered_at_session=True, result="Đã trả lời"), petition_row(), petition_row()],
    )
    make_session(a, dt.date(2026, 4, 2), participants=1100, scope="chuyen_de", petitions=[petition_row()])
    routine = {"kind": "thuong_xuyen", "receiver_role": "can_bo_tiep_dan"}
    ReceptionSession.objects.create(
        unit=a, held_on=dt.date(2026, 2, 1), persons=10, cases_new=2, complaints=1, **routine
    )
    ReceptionSession.objects.create(
        unit=world["b"],
        held_on=dt.date(2026, 3, 1),
        kind="dinh_ky_nguoi_dung_dau",
        receiver_role="chu_tich_ubnd",
        persons=5,
        cases_old=1,
        denunciations=1,
    )
    ReceptionSession.objects.create(unit=a, held_on=dt.date(2025, 2, 1), persons=12, cases_new=2, **routine)
    board = InspectionBoard.objects.create(unit=a, term_start=dt.date(2024, 1, 1))
    for name in ("Lò Văn Sáng", "Bùi Thị Mai"):
        BoardMember.objects.create(inspection_board=board, full_name=name, gender="nam", started_on=dt.date(2024, 1, 1))
    SupervisionActivity.objects.create(
        unit=a,
        inspection_board=board,
        held_on=dt.date(2026, 1, 20),
        subject="Thu chi quỹ thôn",
        field="thu_chi_tai_chinh",
        violations_count=1,
        recommendations_count=2,
        money_recovered=2500000,
        land_recovered_m2=Decimal("120.5"),
    )
    report(a, world["period"], {"08.01": "1000", "09.06": "1000000", "14.01": "3"})
    report(world["b"], world["period"], {"08.01": "234", "09.06": "500000", "14.01": "4"})
    report(world["c"], world["period"], {"08.01": "5"}, approve=False)
    scores(world, {"a": "Xuất sắc", "b": "Tốt", "c": "Tốt"})
    return world


def render(world, **kw):
    summary = summarize(world["p"], world["period"], generated_at=GENERATED, **kw)
    buf = io.BytesIO()
    narrative_docx(summary, buf)
    buf.seek(0)
    return summary, docx.Document(buf)


def norm(text):
    return " ".join(text.split())


def texts(document):
    """Every paragraph of the body and of every table cell, in order."""
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            out.extend(cell.text for cell in row.cells)
    return out


def body(document):
    return [norm(p.text) for p in document.paragraphs if p.text.strip()]


def annex(document, first_cell):
    """The annex table having a row whose second cell is ``first_cell``, and that row."""
    for table in document.tables:
        for row in table.rows:
            cells = [norm(c.text) for c in row.cells]
            if len(cells) > 1 and cells[1] == first_cell:
                return table, cells
    raise AssertionError(f"no annex row {first_cell!r}")


def test_letterhead_title_and_window(filled):
    _summary, document = render(filled)
    head = document.tables[0]
    issuer = norm(head.cell(0, 0).text)
    assert issuer == "BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ Ở CƠ SỞ TỈNH HÒA BÌNH"
    assert norm(head.cell(0, 1).text) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"
    assert norm(head.cell(1, 0).text) == "Số: /BC-BCĐ"
    place = head.cell(1, 1).paragraphs[0]
    assert place.text == "Hòa Bình, ngày 04 tháng 12 năm 2026"
    assert all(r.italic for r in place.runs)
    assert all(r.bold for p in head.cell(0, 0).paragraphs for r in p.runs)
    # The drawn lines under the issuing body and the motto: bordered, empty paragraphs.
    for cell in (head.cell(0, 0), head.cell(0, 1)):
        assert cell.paragraphs[-1]._p.xpath("./w:pPr/w:pBdr/w:bottom")
    assert not head._tbl.xpath(".//w:tblBorders")  # the letterhead table has no borders

    lines = body(document)
    i = lines.index("BÁO CÁO")
    assert lines[i + 1] == "Kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm 2026"
    assert lines[i + 2] == "(Số liệu tính từ ngày 15/10/2025 đến ngày 15/05/2026)"
    window = next(p for p in document.paragraphs if p.text.startswith("(Số liệu tính từ ngày"))
    assert window.runs[0].italic
    assert not any("chưa được duyệt" in line for line in lines)  # approved reports only

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 3.0
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.core_properties.title.startswith("Báo cáo kết quả thực hiện dân chủ ở cơ sở")


def test_outline_headings_and_figures_in_the_text(filled):
    summary, document = render(filled)
    lines = body(document)
    headings = [norm(p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == [
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "II. KẾT QUẢ THỰC HIỆN",
        "1. Công tác lãnh đạo, chỉ đạo, tuyên truyền",
        "2. Thực hiện dân chủ ở xã, phường, thị trấn",
    ]
    assert headings[4] == "2.1. Những nội dung công khai"
    assert headings[-3:] == ["III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "V. ĐỀ XUẤT, KIẾN NGHỊ"]
    assert len(headings) == len(summary.outline) + 2  # II and II.2 are implied by the outline

    def after(heading):
        i = lines.index(heading)
        return " ".join(lines[i + 1 : i + 4])

    assert "3/3 đơn vị đã gửi báo cáo, đạt 100%" in after("I. ĐẶC ĐIỂM TÌNH HÌNH")
    assert "2 đơn vị đã được duyệt" in after("I. ĐẶC ĐIỂM TÌNH HÌNH")
    assert "số nội dung đã công khai: 1.234 nội dung" in after("2.1. Những nội dung công khai")
    assert "tổng giá trị công trình: 1.500.000 đồng" in after("2.2. Những nội dung Nhân dân bàn và quyết định")
    assert "số văn bản chỉ đạo: 7 văn bản" in after("7. Hoạt động kiểm tra, giám sát của Ban Chỉ đạo")
    dialogue = after('3. Tiếp xúc, đối thoại; giải quyết kiến nghị theo hướng "5 rõ"')
    assert "đã tổ chức 2 cuộc tiếp xúc, đối thoại" in dialogue
    assert "có 1.220 lượt người tham dự" in dialogue
    assert "Nhân dân nêu 4 ý kiến, kiến nghị" in dialogue
    assert "đã giải quyết 1 ý kiến, đạt 25% (1/4)" in dialogue
    supervision = after("2.4. Nhân dân kiểm tra, giám sát")
    assert "Có 1 Ban Thanh tra nhân dân với 2 thành viên" in supervision
    assert "1 cuộc giám sát (thu chi tài chính: 1)" in supervision
    assert "thu hồi 2.500.000 đồng và 120,5 m² đất" in supervision
    reception = after("4. Tiếp công dân, giải quyết khiếu nại, tố cáo")
    assert "đã tiếp 2 lượt công dân với 15 người" in reception
    assert "1 đơn khiếu nại, 1 đơn tố cáo, 0 đơn kiến nghị, phản ánh" in reception
    assert "So với cùng kỳ năm trước (1 lượt tiếp): số lượt tiếp tăng 1 lượt (100%)" in reception
    assert "số người tăng 3 người (25%); số vụ việc mới phát sinh bằng cùng kỳ" in reception
    assert "Xuất sắc: 1 đơn vị; Tốt: 2 đơn vị" in after("8. Kết quả tự chấm điểm, xếp loại")
    # No figure in the portal: one italic line telling the committee what to write.
    guidance = next(p for p in document.paragraphs if p.text.startswith("[Ban Chỉ đạo bổ sung: ưu điểm"))
    assert guidance.runs[0].italic
    assert lines[lines.index("III. ĐÁNH GIÁ CHUNG") + 1] == guidance.text

    signature = next(t for t in document.tables if "TM. BAN CHỈ ĐẠO" in t.cell(0, 1).text)
    assert norm(signature.cell(0, 1).text) == "TM. BAN CHỈ ĐẠO TRƯỞNG BAN"
    received = signature.cell(0, 0).paragraphs
    assert received[0].text == "Nơi nhận:"
    assert received[0].runs[0].bold
    assert received[0].runs[0].italic
    assert [p.text for p in received[1:]] == ["- Ban Thường vụ Tỉnh ủy;", "- Lưu: VT."]
    assert not any("None" in t for t in texts(document))


def test_annexes_with_totals_groups_and_classification(filled):
    _summary, document = render(filled)
    annex_section = document.sections[-1]
    assert annex_section.orientation == WD_ORIENT.LANDSCAPE  # a new page for the annexes
    lines = body(document)
    assert "Biểu số 08: Công khai thông tin" in lines
    assert "Biểu số 06: Dân chủ ở cơ quan, đơn vị và doanh nghiệp" not in lines  # no report carries it
    assert "(Kèm theo Báo cáo số …/BC-BCĐ ngày … của Ban Chỉ đạo)" in lines
    table, row = annex(document, "Số nội dung đã công khai")
    header = [norm(c.text) for c in table.rows[0].cells]
    # One column per group that has reports: the hostile names are plain text, cleaned.
    assert header == ["TT", "Chỉ tiêu", "Đơn vị tính", HOSTILE, "Huyện bell", "Tổng cộng"]
    assert row == ["1", "Số nội dung đã công khai", "nội dung", "1.000", "234", "1.234"]
    _table, money = annex(document, "Tổng giá trị công trình")
    assert money[-1] == "1.500.000"
    _table, rate = annex(document, "Tỷ lệ giải quyết")  # a rate has no total
    assert rate[-3:] == ["–", "–", "–"]
    # Biểu 13 is the classification counts, not the numeric form.
    assert "Biểu số 13: Kết quả tự chấm điểm và xếp loại" in lines
    classification, excellent = annex(document, "Xuất sắc")
    assert [norm(c.text) for c in classification.rows[0].cells] == ["TT", "Xếp loại", "Số đơn vị"]
    assert excellent == ["1", "Xuất sắc", "1"]
    assert [norm(c.text) for c in classification.rows[-1].cells] == ["", "Tổng cộng", "3"]
    with pytest.raises(AssertionError):
        annex(document, "Điểm tự chấm")
    assert (
        lines.index('Biểu số 12: Phong trào thi đua "Dân vận khéo"')
        < lines.index("Biểu số 13: Kết quả tự chấm điểm và xếp loại")
        < lines.index("Biểu số 14: Hoạt động của Ban Chỉ đạo")
    )


def test_reports_not_yet_approved_are_flagged(filled, tmp_path):
    summary = summarize(filled["p"], filled["period"], include_submitted=True, generated_at=GENERATED)
    path = tmp_path / "bao-cao.docx"
    narrative_docx(summary, str(path))  # a path works as well as a file object
    document = docx.Document(str(path))
    note = next(p for p in document.paragraphs if p.text.startswith("Lưu ý:"))
    assert "gồm cả 1 báo cáo đã gửi nhưng chưa được duyệt" in note.text
    assert note.runs[0].bold
    _table, row = annex(document, "Số nội dung đã công khai")
    assert row[-1] == "1.239"


def test_an_absent_table_and_an_empty_period_write_no_none(world):
    Indicator.objects.filter(table__province=world["p"], table__code="07").delete()
    summary, document = render(world)  # no report at all yet
    assert summary.table("07") is None
    lines = body(document)
    i = lines.index("2.5. Xây dựng và thực hiện hương ước, quy ước")
    assert lines[i + 1] == "[Ban Chỉ đạo bổ sung: việc xây dựng, thực hiện hương ước, quy ước.]"
    assert not any(line.startswith("Biểu số") for line in lines)
    assert "[Chưa có báo cáo nào được tổng hợp trong kỳ.]" in lines
    assert not any("None" in t for t in texts(document))

    report(world["a"], world["period"], {"08.01": "12"})
    summary, document = render(world)
    assert summary.table("07") is None
    all_text = texts(document)
    assert not any("None" in t for t in all_text)
    assert "Chưa xếp loại" not in " ".join(all_text)
    _table, row = annex(document, "Số nội dung đã công khai")
    assert row[-1] == "12"
    # A single group with reports: one group column.
    _table, empty = annex(document, "Số văn bản chỉ đạo")
    assert empty[-2:] == ["", ""]


def test_a_section_listed_twice_is_written_once(world):
    # A second active commune template (for annual periods) repeats a heading of the outline.
    template = ReportTemplate.objects.create(province=world["p"], name="Mẫu năm", applies_to="commune")
    template.period_kinds = ["annual"]
    template.save()
    TemplateSection.objects.create(template=template, code="III", title="Đánh giá chung cả năm", order=1)
    summary, document = render(world)
    assert [code for code, _title in summary.outline].count("III") == 1  # the annual template does not apply
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings.count("III. ĐÁNH GIÁ CHUNG") == 1
    assert not any("CẢ NĂM" in h for h in headings)


def test_agencies_and_enterprises_from_table_06():
    def col(code, name, uom, summed=True):
        return Column(indicator_id=0, code=code, name=name, unit_of_measure=uom, value_type="int", summed=summed)

    table = Table(
        id=1,
        code="06",
        title="Dân chủ ở cơ quan, đơn vị và doanh nghiệp",
        columns=[
            col("06.01", "Tổng số cơ quan, đơn vị", "cơ quan"),
            col("06.02", "Số tổ chức Hội nghị CBCCVC", "cơ quan"),
            col("06.03", "Số có quy chế làm việc", "cơ quan"),
            col("06.06", "Tổng số doanh nghiệp", "doanh nghiệp"),
            col("06.07", "Số tổ chức Hội nghị người lao động", "doanh nghiệp"),
        ],
        total={"06.01": Decimal(50), "06.02": Decimal(45), "06.03": None, "06.06": Decimal(0), "06.07": Decimal(0)},
    )
    fields = dict.fromkeys(Summary.__dataclass_fields__)
    summary = Summary(**{**fields, "tables": [table]})
    agencies = " ".join(section_texts(summary, "II.3"))
    assert agencies.startswith("Có 45/50 cơ quan, đơn vị tổ chức Hội nghị cán bộ, công chức, viên chức, đạt 90%.")
    assert "số tổ chức Hội nghị CBCCVC: 45 cơ quan" in agencies
    assert "quy chế làm việc" not in agencies  # no figure, not mentioned
    assert "người lao động" not in agencies
    enterprises = " ".join(section_texts(summary, "II.4"))
    assert not enterprises.startswith("Có")  # 0 enterprises: no rate
    assert "tổng số doanh nghiệp: 0 doanh nghiệp" in enterprises
    assert section_texts(Summary(**{**fields, "tables": []}), "II.3") == []


def test_text_helpers():
    assert clean("\x07bell\x00\x1b[0m\ufffe") == "bell[0m"
    assert one_line(" Xã\tA\n mới ") == "Xã A mới"
    with translation.override("en"):  # a Vietnamese document whatever the interface language
        assert num(Decimal("1234")) == "1.234"
        assert num(Decimal("1500000.00"), "money") == "1.500.000"
        assert num(Decimal("120.50"), "decimal") == "120,5"
        assert pct(Decimal("83.84")) == "83,8%"
        assert pct(Decimal("100.0")) == "100%"
        assert num(Decimal("1500000.00"), "decimal") == "1.500.000"
    assert num(None) == ""
    assert pct(None) == ""


def test_sections_from_records_say_so_with_their_time(filled):
    summary, document = render(filled)
    paragraphs = [p.text for p in document.paragraphs]
    dialogues = next(i for i, t in enumerate(paragraphs) if t.startswith("Trong kỳ, đã tổ chức"))
    note = next(i for i, t in enumerate(paragraphs) if i > dialogues and t.startswith("(Theo dữ liệu cập nhật"))
    assert f"ngày {GENERATED:%d/%m/%Y}" in paragraphs[note]
    # Sections written from the reports' totals carry no such note.
    published = next(i for i, t in enumerate(paragraphs) if t.startswith("Số liệu tổng hợp (Biểu số 08"))
    assert not paragraphs[published + 1].startswith("(Theo dữ liệu")
