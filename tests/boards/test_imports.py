"""Excel import of board members and supervision activities: all-or-nothing, errors by row and column."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from boards import imports
from boards.models import BoardMember, CommunityBoard, InspectionBoard, InvestmentProject, SupervisionActivity
from qcdc_portal.lib import xlsx
from tests.factories import UnitFactory
from units.models import UnitKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEMBER_HEADER = [
    "Mã đơn vị",
    "Loại ban",
    "Tên công trình",
    "Họ và tên",
    "Chức danh",
    "Giới tính",
    "Thôn, tổ dân phố",
    "Ngày bắt đầu",
]
ACTIVITY_HEADER = [
    "Mã đơn vị",
    "Loại ban",
    "Tên công trình",
    "Ngày giám sát",
    "Nội dung",
    "Lĩnh vực",
    "Số vấn đề phát hiện",
    "Số sai phạm",
    "Số kiến nghị",
    "Số kiến nghị đã giải quyết",
    "Thu hồi tiền",
    "Giảm trừ quyết toán",
    "Thu hồi đất (m²)",
    "Xử lý khác",
]


def workbook(header, rows, title="Dữ liệu") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(user, what, data: bytes):
    return imports.import_xlsx(user=user, what=what, fileobj=io.BytesIO(data))


def where(result):
    return [(e.row, e.column) for e in result.errors]


def nothing_saved():
    return not BoardMember.objects.exists() and not SupervisionActivity.objects.exists()


@pytest.fixture
def place(tree):
    a = tree["commune_a"]
    hamlets = [
        UnitFactory(name=f"Khu {i}", kind=UnitKind.HAMLET, official_type="to_dan_pho", parent=a) for i in (1, 2, 3)
    ]
    agency = UnitFactory(name="Trường THCS Vụ Bản", kind=UnitKind.PUBLIC_SERVICE, parent=a, staff_count=30)
    board = InspectionBoard.objects.create(unit=a, term_start=dt.date(2024, 7, 1))
    agency_board = InspectionBoard.objects.create(unit=agency, term_start=dt.date(2024, 1, 1))
    project = InvestmentProject.objects.create(
        unit=a,
        name="Đường bê tông khu 1",
        funding_source="von_cong_suc_cong_dong",
        total_value=500_000_000,
        investor="UBND thị trấn",
    )
    cboard = CommunityBoard.objects.create(unit=a, project=project, established_on=dt.date(2025, 2, 20))
    return {
        "commune": a,
        "hamlets": hamlets,
        "agency": agency,
        "board": board,
        "agency_board": agency_board,
        "project": project,
        "cboard": cboard,
    }


@pytest.fixture
def members(place):
    a, agency = place["commune"].code, place["agency"].code
    return [
        [a, "TTND", None, "Nguyễn Văn An", "Trưởng ban", "Nam", "Khu 1", "01/07/2024"],
        [a, "ttnd", None, "Lê Thị Bình", "Phó Trưởng ban", "Nữ", "khu 2", dt.datetime(2024, 7, 1)],
        [a, "Ban Thanh tra nhân dân", None, "Hà Văn Cường", None, "nam", "Tổ dân phố Khu 3", "2024-08-15"],
        [a, "GSĐT", "Đường bê tông khu 1", "Đinh Thị Hoa", "Ủy viên", "Nữ", "Khu 1", "01/03/2025"],
        [agency, "TTND", None, "Quách Văn Dũng", "Trưởng ban", "Nam", None, "10/01/2024"],
    ]


@pytest.fixture
def activities(place):
    a = place["commune"].code
    return [
        [
            a,
            "TTND",
            "Đường bê tông khu 1",
            "20/03/2025",
            "Thu chi quỹ đóng góp làm đường",
            "Thu chi tài chính",
            2,
            1,
            2,
            1,
            "1.500.000",
            None,
            "12,5",
            "Nhắc nhở kế toán",
        ],
        [a, "GSĐT", "đường bê tông khu 1", dt.date(2025, 4, 2), "Chất lượng bê tông", "xay_dung", None, None, 1, 0],
    ]


# --- Members ---------------------------------------------------------------------------------


def test_valid_members_file_creates_five_members(reporter, place, members):
    result = run(reporter, imports.MEMBERS, workbook(MEMBER_HEADER, members))
    assert result.errors == []
    assert result.created == 5
    board = place["board"]
    by_name = {m.full_name: m for m in board.members.all()}
    an, binh, cuong = by_name["Nguyễn Văn An"], by_name["Lê Thị Bình"], by_name["Hà Văn Cường"]
    assert (an.role, an.gender, an.hamlet) == ("truong_ban", "nam", place["hamlets"][0])
    assert an.started_on == board.term_start
    assert (binh.role, binh.gender, binh.hamlet) == ("pho_truong_ban", "nu", place["hamlets"][1])
    assert (cuong.role, cuong.hamlet, cuong.started_on) == ("uy_vien", place["hamlets"][2], dt.date(2024, 8, 15))
    (hoa,) = place["cboard"].members.all()
    assert (hoa.full_name, hoa.inspection_board, hoa.hamlet) == ("Đinh Thị Hoa", None, place["hamlets"][0])
    (dung,) = place["agency_board"].members.all()
    assert (dung.role, dung.hamlet) == ("truong_ban", None)


def test_error_on_row_4_saves_nothing_and_names_row_and_column(reporter, place, members):
    members[2][5] = "Khác"  # Excel row 4
    result = run(reporter, imports.MEMBERS, workbook(MEMBER_HEADER, members))
    assert nothing_saved()
    assert result.created == 0
    assert where(result) == [(4, "Giới tính")]
    assert "“Khác” không phải giá trị hợp lệ" in result.errors[0].message


def test_unknown_and_out_of_scope_unit_codes_read_the_same(reporter, tree, place, members):
    members[0][0] = tree["commune_b"].code  # exists, but reporter A may not report for it
    members[1][0] = "99999"
    result = run(reporter, imports.MEMBERS, workbook(MEMBER_HEADER, members))
    assert nothing_saved()
    assert where(result) == [(2, "Mã đơn vị"), (3, "Mã đơn vị")]
    first, second = (e.message for e in result.errors)
    assert first.replace(tree["commune_b"].code, "X") == second.replace("99999", "X")
    assert "trong phạm vi quản lý của bạn" in first


def test_board_must_exist_for_the_date_and_the_project(reporter, place, members):
    members[0][7] = "01/01/2024"  # before the commune board's term
    members[3][2] = "Nhà văn hóa khu 9"
    bare = UnitFactory(name="Công ty Than", kind=UnitKind.ENTERPRISE, parent=place["commune"], staff_count=50)
    members[4][0] = bare.code
    result = run(reporter, imports.MEMBERS, workbook(MEMBER_HEADER, members))
    assert nothing_saved()
    assert where(result) == [(2, "Loại ban"), (5, "Tên công trình"), (6, "Loại ban")]
    assert "nhiệm kỳ gồm ngày 01/01/2024" in result.errors[0].message
    assert "không có công trình “Nhà văn hóa khu 9”" in result.errors[1].message
    assert "chưa có Ban Thanh tra nhân dân" in result.errors[2].message


def test_community_board_row_needs_a_project_with_a_board(reporter, place, members):
    InvestmentProject.objects.create(
        unit=place["commune"], name="Nhà văn hóa khu 2", funding_source="hon_hop", total_value=1, investor="x"
    )
    members[3][2] = None
    members[4] = [place["commune"].code, "GSĐT", "Nhà văn hóa khu 2", "Lò Thị E", None, "Nữ", None, "01/03/2025"]
    result = run(reporter, imports.MEMBERS, workbook(MEMBER_HEADER, members))
    assert where(result) == [(5, "Tên công trình"), (6, "Tên công trình")]
    assert "chưa có Ban giám sát đầu tư của cộng đồng" in result.errors[1].message


def test_hamlet_must_belong_to_the_commune(reporter, tree, place, members):
    UnitFactory(name="Xóm Mới", kind=UnitKind.HAMLET, parent=tree["commune_b"])
    members[0][6] = "Xóm Mới"
    members[4][6] = "Khu 1"  # an agency board has no hamlets
    result = run(reporter, imports.MEMBERS, workbook(MEMBER_HEADER, members))
    assert where(result) == [(2, "Thôn, tổ dân phố"), (6, "Thôn, tổ dân phố")]
    assert "không phải thôn, tổ dân phố của Thị trấn Vụ Bản" in result.errors[0].message


def test_every_form_error_is_collected(reporter, place, members):
    members[1][3] = None  # no name
    members[1][7] = "31/02/2025"
    members[2][4] = "Chủ tịch"
    members[3][7] = "01/01/2025"  # before the community board was established
    result = run(reporter, imports.MEMBERS, workbook(MEMBER_HEADER, members))
    assert nothing_saved()
    assert where(result) == [(3, "Họ và tên"), (3, "Ngày bắt đầu"), (4, "Chức danh"), (5, "Ngày bắt đầu")]
    assert "không có trong lịch" in result.errors[1].message
    assert result.errors[3].message == "Ngày bắt đầu phải trong nhiệm kỳ của ban."


def test_reviewer_cannot_import(reviewer, place, members):
    result = run(reviewer, imports.MEMBERS, workbook(MEMBER_HEADER, members))
    assert nothing_saved()
    assert {e.column for e in result.errors} == {"Mã đơn vị"}


# --- Activities ------------------------------------------------------------------------------


def test_valid_activities_file(reporter, place, activities):
    result = run(reporter, imports.ACTIVITIES, workbook(ACTIVITY_HEADER, activities))
    assert result.errors == []
    assert result.created == 2
    own = SupervisionActivity.objects.get(inspection_board=place["board"])
    assert (own.held_on, own.field, own.project, own.unit, own.created_by) == (
        dt.date(2025, 3, 20),
        "thu_chi_tai_chinh",
        place["project"],
        place["commune"],
        reporter,
    )
    assert (own.findings_count, own.violations_count, own.recommendations_count, own.recommendations_resolved) == (
        2,
        1,
        2,
        1,
    )
    assert (own.money_recovered, own.settlement_reduced, own.land_recovered_m2) == (
        Decimal(1_500_000),
        0,
        Decimal("12.5"),
    )
    assert own.other_measures == "Nhắc nhở kế toán"
    community = SupervisionActivity.objects.get(community_board=place["cboard"])
    assert (community.project, community.field, community.recommendations_count) == (place["project"], "xay_dung", 1)


def test_activity_errors_are_collected_and_nothing_is_saved(reporter, place, activities):
    activities[0][9] = 5  # resolved more than made
    activities[1][3] = "01/01/2099"
    result = run(reporter, imports.ACTIVITIES, workbook(ACTIVITY_HEADER, activities))
    assert nothing_saved()
    assert where(result) == [(2, "Số kiến nghị đã giải quyết"), (3, "Ngày giám sát")]
    assert result.errors[0].message == "Số kiến nghị đã giải quyết không thể lớn hơn số kiến nghị."
    assert result.errors[1].message == "Ngày này không được ở tương lai."


def test_formula_cell_is_refused(reporter, place, activities):
    activities[0][8] = "=1+1"
    result = run(reporter, imports.ACTIVITIES, workbook(ACTIVITY_HEADER, activities))
    assert nothing_saved()
    assert where(result) == [(2, "Số kiến nghị")]
    assert "công thức" in result.errors[0].message


def test_missing_column_is_a_file_error(reporter, place, activities):
    result = run(reporter, imports.ACTIVITIES, workbook(ACTIVITY_HEADER[:4], [r[:4] for r in activities]))
    assert nothing_saved()
    assert "Nội dung" in {e.column for e in result.errors}
    assert all(e.row == 1 for e in result.errors)


def test_failure_while_applying_rolls_back_everything(reporter, place, members, monkeypatch):
    from boards import services

    real = services.member_add
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            from django.db import IntegrityError

            raise IntegrityError("simulated")
        return real(**kwargs)

    monkeypatch.setattr(services, "member_add", flaky)
    result = run(reporter, imports.MEMBERS, workbook(MEMBER_HEADER, members))
    assert len(calls) == 3
    assert nothing_saved()
    assert where(result) == [(4, "")]


# --- Hostile and broken files --------------------------------------------------------------------


def _with_member(data: bytes, name: str, payload: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, payload)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "name", "fragment"),
    [
        (lambda ok: "Mã đơn vị;Loại ban\n04951;TTND\n".encode(), "a.xlsx", "không phải bảng tính Excel"),
        (lambda ok: xlsx.OLE_MAGIC + b"\0" * 600, "a.xlsx", ".xls"),
        (lambda ok: b"PK\x03\x04" + b"\0" * 100, "a.xlsx", "không phải bảng tính Excel"),
        (lambda ok: ok, "a.xlsm", "macro"),
        (lambda ok: _with_member(ok, "xl/vbaProject.bin", b"\xd0\xcf macro"), "a.xlsx", "macro"),
        (lambda ok: _with_member(ok, "xl/externalLinks/externalLink1.xml", b"<x/>"), "a.xlsx", "liên kết ngoài"),
        (lambda ok: _with_member(ok, "xl/media/image1.bin", bytes(60 * 1024 * 1024)), "a.xlsx", "bom nén"),
        (lambda ok: b"", "a.xlsx", "Tệp rỗng"),
    ],
)
def test_bad_files_are_refused(reporter, place, members, make, name, fragment):
    data = make(workbook(MEMBER_HEADER, members))
    result = imports.import_xlsx(user=reporter, what=imports.MEMBERS, fileobj=SimpleUploadedFile(name, data))
    assert nothing_saved()
    assert len(result.errors) == 1
    assert result.errors[0].row is None
    assert fragment in result.errors[0].message


def test_empty_sheet_is_refused(reporter, place):
    result = run(reporter, imports.ACTIVITIES, workbook(ACTIVITY_HEADER, []))
    assert [e.row for e in result.errors] == [None]
    assert "không có dòng dữ liệu" in result.errors[0].message


# --- Template --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("what", "sheet", "header"),
    [(imports.MEMBERS, "Thành viên", MEMBER_HEADER), (imports.ACTIVITIES, "Giám sát", ACTIVITY_HEADER)],
)
def test_template_has_the_sheet_the_guide_and_the_allowed_values(what, sheet, header):
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_workbook(what)))
    assert wb.sheetnames == [sheet, "Hướng dẫn"]
    assert [c.value for c in wb[sheet][1]] == header
    text = " ".join(str(v) for row in wb["Hướng dẫn"].iter_rows(values_only=True) for v in row if v)
    for fragment in ("TTND", "GSĐT", "dd/mm/yyyy", "Ví dụ", "tất cả hoặc không"):
        assert fragment in text
    assert wb[sheet].data_validations.dataValidation


def test_filled_template_imports(reporter, place, members):
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_workbook(imports.MEMBERS)))
    wb["Thành viên"].append(members[0])
    out = io.BytesIO()
    wb.save(out)
    result = run(reporter, imports.MEMBERS, out.getvalue())
    assert (result.errors, result.created) == ([], 1)


# --- Views -----------------------------------------------------------------------------------


def _upload(data: bytes, name="thanh-vien.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def test_get_shows_the_form_and_the_template_link(client, reporter):
    client.force_login(reporter)
    for what in (imports.MEMBERS, imports.ACTIVITIES):
        response = client.get(reverse("board-import", args=[what]))
        assert response.status_code == 200
        body = response.content.decode()
        assert reverse("board-import-template", args=[what]) in body
        assert 'enctype="multipart/form-data"' in body
        assert "tất cả hoặc không" in body


def test_pages_need_report_and_a_known_kind(client, reporter, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("board-import", args=["thanh-vien"])).status_code == 403
    assert client.get(reverse("board-import-template", args=["giam-sat"])).status_code == 403
    client.force_login(reporter)
    assert client.get(reverse("board-import", args=["khac"])).status_code == 404
    assert client.get(reverse("board-import-template", args=["khac"])).status_code == 404


def test_template_download(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("board-import-template", args=["giam-sat"]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Giám sát"][1]] == ACTIVITY_HEADER


def test_post_valid_file_redirects_to_the_board_list(client, reporter, place, members):
    client.force_login(reporter)
    response = client.post(
        reverse("board-import", args=["thanh-vien"]), {"file": _upload(workbook(MEMBER_HEADER, members))}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("inspection-board-list")
    assert BoardMember.objects.count() == 5
    response = client.get(response["Location"])
    assert "Đã nhập 5 thành viên." in response.content.decode()


def test_post_with_errors_shows_the_table_and_saves_nothing(client, reporter, place, activities):
    activities[1][5] = "Văn hóa"
    client.force_login(reporter)
    response = client.post(
        reverse("board-import", args=["giam-sat"]), {"file": _upload(workbook(ACTIVITY_HEADER, activities))}
    )
    assert response.status_code == 200
    assert nothing_saved()
    body = response.content.decode()
    assert "Chưa lưu gì cả." in body
    assert "Lĩnh vực" in body
    assert "“Văn hóa” không phải giá trị hợp lệ" in body
