"""Bulk import of agencies and hamlets from .xlsx: all-or-nothing, row-by-row errors, safe parsing."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UnitFactory
from units import imports, services
from units.models import CodeList, OfficialType, Unit, UnitKind

AGENCY_HEADER = [c.title for c in imports.AGENCY_COLUMNS]
HAMLET_HEADER = [c.title for c in imports.HAMLET_COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows, header=AGENCY_HEADER) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(user, data: bytes, what="co-quan"):
    return imports.import_units_xlsx(user=user, what=what, fileobj=io.BytesIO(data))


def errors_at(result, row):
    return [e for e in result.errors if e.row == row]


@pytest.fixture
def agency_rows(tree):
    x, a = tree["district_x"].code, tree["commune_a"].code
    return [
        ["Trường Tiểu học Vụ Bản", "Đơn vị sự nghiệp công lập", a, 25, "Có", None, dt.datetime(2010, 1, 1), None],
        ["Phòng Tài chính - Kế hoạch", "state_agency", x, 9, "Không", None, "01/07/2025", None],
        ["Công ty TNHH Mía đường", "Doanh nghiệp ngoài nhà nước", x, "1.200", "có", "5400123456", None, None],
        ["Chi nhánh Điện lực", "Doanh nghiệp nhà nước", a, 40, None, "0100100079-001", "02/01/2020", "31/12/2030"],
    ]


# --- Service ---------------------------------------------------------------------------------


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_valid_agency_file_creates_every_row_under_its_parent(steering, tree, agency_rows):
    before = Unit.objects.count()
    result = run(steering, workbook(agency_rows))
    assert result.errors == []
    assert (result.created, result.rows) == (4, 4)
    assert Unit.objects.count() == before + 4

    school = Unit.objects.get(name="Trường Tiểu học Vụ Bản", kind=UnitKind.PUBLIC_SERVICE)
    assert school.parent == tree["commune_a"]
    assert (school.staff_count, school.has_union, school.valid_from) == (25, True, dt.date(2010, 1, 1))
    assert school.code_list == CodeList.LOCAL
    assert school.path.startswith(tree["commune_a"].path)

    office = Unit.objects.get(name="Phòng Tài chính - Kế hoạch")
    assert (office.kind, office.parent, office.has_union) == (UnitKind.STATE_AGENCY, tree["district_x"], False)
    assert office.valid_from == dt.date(2025, 7, 1)

    company = Unit.objects.get(name="Công ty TNHH Mía đường")
    assert (company.kind, company.staff_count, company.tax_code) == (UnitKind.ENTERPRISE, 1200, "5400123456")

    branch = Unit.objects.get(name="Chi nhánh Điện lực")
    assert (branch.kind, branch.tax_code, branch.valid_to) == (UnitKind.SOE, "0100100079-001", dt.date(2030, 12, 31))


@pytest.mark.parametrize(
    ("row4", "column"),
    [
        (["Công ty Cổ phần Chè", "Doanh nghiệp ngoài nhà nước", "{x}", 30, "Không", None, None, None], "Mã số thuế"),
        (["Trạm Y tế", "Đơn vị sự nghiệp công lập", "{x}", 6, "Không", None, "31/02/2025", None], "Hoạt động từ"),
        (["Trạm Khuyến nông", "Đơn vị sự nghiệp công lập", "99999", 6, "Không", None, None, None], "Mã đơn vị quản lý"),
        (["Hội Nông dân", "Hội đoàn thể", "{x}", 6, "Không", None, None, None], "Loại"),
        (["Ban Quản lý chợ", "Tổ chức khác", "{x}", -3, "Không", None, None, None], "Số cán bộ, người lao động"),
        (["Trạm Thú y", "Tổ chức khác", "{x}", 5, "Có lẽ", None, None, None], "Có công đoàn"),
        (
            ["Hạt Kiểm lâm", "Tổ chức khác", "{x}", 5, None, None, "01/01/2025", "01/01/2024"],
            "Hoạt động đến",
        ),
    ],
)
def test_one_bad_row_saves_nothing_and_names_row_and_column(steering, tree, agency_rows, row4, column):
    row4 = [tree["district_x"].code if v == "{x}" else v for v in row4]
    rows = [*agency_rows[:2], row4, *agency_rows[2:]]  # header is row 1, so this is row 4
    before = Unit.objects.count()
    result = run(steering, workbook(rows))
    assert result.created == 0
    assert Unit.objects.count() == before
    assert [(e.row, e.column) for e in result.errors] == [(4, column)]
    assert result.errors[0].message


def test_bad_date_message_is_vietnamese(steering, tree, agency_rows):
    agency_rows[0][6] = "31/02/2025"
    result = run(steering, workbook(agency_rows))
    assert result.errors[0].message == "Ngày “31/02/2025” không có trong lịch."


def test_every_error_is_collected(steering, tree, agency_rows):
    agency_rows[0][2] = "KHONG-CO"
    agency_rows[2][5] = None  # enterprise without tax code
    agency_rows[3][6] = "hôm qua"
    result = run(steering, workbook(agency_rows))
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "Mã đơn vị quản lý"),
        (4, "Mã số thuế"),
        (5, "Hoạt động từ"),
    ]
    assert result.created == 0


def test_managing_unit_out_of_scope_reads_like_an_unknown_code(reviewer, tree):
    foreign = tree["commune_c"].code  # another district's commune: not the reviewer's
    before = Unit.objects.count()
    result = run(
        reviewer,
        workbook(
            [
                ["Trường Mầm non Bình Sơn", "Đơn vị sự nghiệp công lập", foreign, 12, "Có", None, None, None],
                ["Trường Mầm non Không Có", "Đơn vị sự nghiệp công lập", "ZZZ", 12, "Có", None, None, None],
                ["Trạm Y tế Vụ Bản", "Đơn vị sự nghiệp công lập", tree["commune_a"].code, 8, "Có", None, None, None],
            ]
        ),
    )
    assert Unit.objects.count() == before
    out_of_scope, unknown = result.errors
    assert (out_of_scope.row, unknown.row) == (2, 3)
    assert out_of_scope.column == unknown.column == "Mã đơn vị quản lý"
    assert out_of_scope.message.replace(foreign, "?") == unknown.message.replace("ZZZ", "?")
    assert "Bình Sơn" not in out_of_scope.message


def test_reporter_manages_nothing(reporter, tree, agency_rows):
    result = run(reporter, workbook(agency_rows))
    assert result.created == 0
    assert {e.column for e in result.errors} == {"Mã đơn vị quản lý"}


def test_duplicate_names_in_the_file_are_reported(steering, tree):
    a, b = tree["commune_a"].code, tree["commune_b"].code
    rows = [
        ["Trạm Y tế", "Đơn vị sự nghiệp công lập", a, 8, None, None, None, None],
        ["Trạm Y tế", "Đơn vị sự nghiệp công lập", b, 8, None, None, None, None],  # another commune: fine
        ["  TRẠM  Y TẾ ", "Tổ chức khác", a, 8, None, None, None, None],
    ]
    before = Unit.objects.count()
    result = run(steering, workbook(rows))
    assert Unit.objects.count() == before
    assert [(e.row, e.column) for e in result.errors] == [(4, "Tên cơ quan")]
    assert "dòng 2" in result.errors[0].message


def test_codes_continue_the_portal_numbering(steering, tree):
    x = tree["district_x"]
    first = services.unit_create_local(kind=UnitKind.STATE_AGENCY, parent=x, name="Văn phòng", staff_count=5)
    rows = [[f"Phòng {i}", "state_agency", x.code, 5] for i in range(1, 4)]
    result = run(steering, workbook(rows))
    assert result.errors == []
    agencies = Unit.objects.filter(parent=x, kind=UnitKind.STATE_AGENCY).order_by("code")
    codes = list(agencies.values_list("code", flat=True))
    assert codes == [first.code, *(f"CQ-{x.code}-{n:03d}" for n in (2, 3, 4))]
    # The next agency added by hand takes the following number.
    later = services.unit_create_local(kind=UnitKind.OTHER_ORG, parent=x, name="Hội", staff_count=1)
    assert later.code == f"CQ-{x.code}-005"


def test_name_already_in_the_portal_is_reported(steering, tree):
    services.unit_create_local(kind=UnitKind.STATE_AGENCY, parent=tree["district_x"], name="Văn phòng HĐND-UBND")
    rows = [["Văn phòng HĐND-UBND", "state_agency", tree["district_x"].code, 20, None, None, None, None]]
    result = run(steering, workbook(rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Tên cơ quan")]


def test_headers_are_matched_without_case_or_diacritics(steering, tree):
    header = [
        "TEN CO QUAN",
        "loai (ten hoac ma)",
        "Ma don vi quan ly",
        "So can bo nguoi lao dong",
        "Co cong doan (Co/Khong)",
        "STT",
    ]
    rows = [["Đài Truyền thanh", "other_org", tree["district_x"].code, 4, "x", 1]]
    result = run(steering, workbook(rows, header=header))
    assert result.errors == []
    unit = Unit.objects.get(name="Đài Truyền thanh")
    assert (unit.kind, unit.has_union, unit.staff_count) == (UnitKind.OTHER_ORG, True, 4)


def test_missing_required_column_is_a_file_error(steering, tree):
    result = run(steering, workbook([["Đài Truyền thanh", "other_org"]], header=["Tên cơ quan", "Loại"]))
    assert {e.column for e in result.errors} == {"Mã đơn vị quản lý", "Số cán bộ, người lao động"}
    assert all(e.row == 1 for e in result.errors)


def test_empty_file_is_refused(steering, tree):
    result = run(steering, workbook([]))
    assert result.created == 0
    assert "không có dòng dữ liệu" in result.errors[0].message


def test_blank_rows_are_skipped_and_rows_keep_excel_numbers(steering, tree):
    code = tree["district_x"].code
    rows = [
        ["Kho bạc", "state_agency", code, 10, None, None, None, None],
        [None] * 8,
        ["Chi cục Thuế", "state_agency", code, "mười", None, None, None, None],
    ]
    result = run(steering, workbook(rows))
    assert result.rows == 2
    assert [(e.row, e.column) for e in result.errors] == [(4, "Số cán bộ, người lao động")]


def test_formula_cell_is_refused_never_evaluated(steering, tree):
    data = workbook([["=1+1", "state_agency", tree["district_x"].code, 3, None, None, None, None]])
    before = Unit.objects.count()
    result = run(steering, data)
    assert Unit.objects.count() == before
    assert [(e.row, e.column) for e in result.errors] == [(2, "Tên cơ quan")]
    assert "công thức" in result.errors[0].message


def test_text_starting_with_equals_is_kept_as_text(steering, tree):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(AGENCY_HEADER)
    ws.append([None, "state_agency", tree["district_x"].code, 3])
    cell = ws.cell(row=2, column=1, value="=1+1")
    cell.data_type = "s"  # typed as text, as Excel does for a text-formatted cell
    out = io.BytesIO()
    wb.save(out)
    result = run(steering, out.getvalue())
    assert result.errors == []
    assert Unit.objects.filter(name="=1+1", parent=tree["district_x"]).exists()


def test_numeric_code_gets_its_leading_zeros_back(steering, tree):
    commune = UnitFactory(
        code_list=CodeList.CURRENT, code="04951", name="Xã Mường Vang", kind=UnitKind.COMMUNE, parent=tree["province"]
    )
    result = run(steering, workbook([["Trạm Y tế", "Đơn vị sự nghiệp công lập", 4951, 8]]))
    assert result.errors == []
    assert Unit.objects.get(name="Trạm Y tế").parent == commune


def test_numeric_code_matching_several_levels_is_ambiguous(steering, tree):
    UnitFactory(code_list=CodeList.LEGACY, code="017", kind=UnitKind.DISTRICT, parent=tree["province"])
    UnitFactory(code_list=CodeList.LEGACY, code="00017", kind=UnitKind.COMMUNE, parent=tree["district_x"])
    result = run(steering, workbook([["Trạm Y tế", "Đơn vị sự nghiệp công lập", 17, 8]]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã đơn vị quản lý")]
    assert "nhiều đơn vị" in result.errors[0].message


def test_current_list_is_preferred_to_legacy_for_the_same_code(steering, tree):
    legacy = UnitFactory(
        code_list=CodeList.LEGACY,
        code="04952",
        kind=UnitKind.COMMUNE,
        parent=tree["district_x"],
        valid_to=dt.date(2025, 6, 30),
    )
    current = UnitFactory(
        code_list=CodeList.CURRENT,
        code="04952",
        kind=UnitKind.COMMUNE,
        parent=tree["province"],
        valid_from=dt.date(2025, 7, 1),
    )
    result = run(steering, workbook([["Thôn Mới", "Thôn", "04952"]], header=HAMLET_HEADER), what="thon")
    assert result.errors == []
    assert Unit.objects.get(name="Thôn Mới").parent == current
    assert not legacy.children.exists()


def test_same_code_in_two_expired_lists_is_ambiguous(steering, tree):
    for code_list in (CodeList.LEGACY, CodeList.CURRENT):
        UnitFactory(
            code_list=code_list,
            code="04953",
            kind=UnitKind.COMMUNE,
            parent=tree["district_x"],
            valid_to=dt.date(2020, 1, 1),
        )
    result = run(steering, workbook([["Thôn Cũ", "Thôn", "04953"]], header=HAMLET_HEADER), what="thon")
    assert result.created == 0
    assert "nhiều đơn vị" in result.errors[0].message


def test_hamlet_import(reviewer, tree):
    a, b = tree["commune_a"].code, tree["commune_b"].code
    rows = [
        ["Khu 1", "Tổ dân phố", a, dt.datetime(2025, 7, 1), None],
        ["Thôn Đồng Tâm", "Thôn", b, None, None],
        ["Bản Mường", "bản", b, "01/01/2000", "30/06/2025"],
    ]
    result = run(reviewer, workbook(rows, header=HAMLET_HEADER), what="thon")
    assert result.errors == []
    assert result.created == 3
    khu = Unit.objects.get(name="Khu 1")
    assert (khu.kind, khu.official_type, khu.parent) == (UnitKind.HAMLET, OfficialType.TO_DAN_PHO, tree["commune_a"])
    assert khu.valid_from == dt.date(2025, 7, 1)
    ban = Unit.objects.get(name="Bản Mường")
    assert (ban.official_type, ban.valid_to) == (OfficialType.THON, dt.date(2025, 6, 30))
    assert khu.code.startswith("TH-")


def test_hamlet_parent_must_be_a_commune(steering, tree):
    rows = [["Thôn Một", "Thôn", tree["district_x"].code, None, None]]
    result = run(steering, workbook(rows, header=HAMLET_HEADER), what="thon")
    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã xã, phường, thị trấn")]


def test_failure_while_applying_rolls_back_every_row(steering, tree, agency_rows, monkeypatch):
    real = services.unit_create_local
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 3:
            from django.db import IntegrityError

            raise IntegrityError("simulated")
        return real(**kwargs)

    monkeypatch.setattr(services, "unit_create_local", flaky)
    before = Unit.objects.count()
    result = run(steering, workbook(agency_rows))
    assert len(calls) == 3
    assert Unit.objects.count() == before
    assert result.created == 0
    assert result.errors[0].row == 4


# --- Hostile and broken files ----------------------------------------------------------------


def _refused(user, data, fragment):
    before = Unit.objects.count()
    result = run(user, data)
    assert Unit.objects.count() == before
    assert result.created == 0
    assert len(result.errors) == 1
    assert result.errors[0].row is None
    assert fragment in result.errors[0].message
    return result


def test_plain_text_renamed_xlsx_is_refused(steering):
    _refused(steering, "Tên cơ quan;Loại\nTrạm Y tế;Tổ chức khác\n".encode(), "không phải bảng tính Excel")


def test_old_xls_is_refused(steering):
    _refused(steering, imports.OLE_MAGIC + b"\0" * 600, ".xls")


def test_corrupt_zip_is_refused(steering):
    _refused(steering, b"PK\x03\x04" + b"\0" * 100, "không phải bảng tính Excel")


def test_zip_that_is_not_a_workbook_is_refused(steering):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("hello.txt", "xin chào")
    _refused(steering, out.getvalue(), "Không đọc được tệp Excel")


def _with_member(data: bytes, name: str, payload: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, payload)
    return out.getvalue()


def test_macro_workbook_is_refused(steering, tree, agency_rows):
    data = _with_member(workbook(agency_rows), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    _refused(steering, data, "macro")


def test_xlsm_name_is_refused(steering, tree, agency_rows):
    upload = SimpleUploadedFile("danh-sach.xlsm", workbook(agency_rows))
    result = imports.import_units_xlsx(user=steering, what="co-quan", fileobj=upload)
    assert result.created == 0
    assert "macro" in result.errors[0].message


def test_external_links_are_refused(steering, tree, agency_rows):
    data = _with_member(workbook(agency_rows), "xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    _refused(steering, data, "liên kết ngoài")


def test_zip_bomb_is_refused_before_parsing(steering, tree, agency_rows):
    data = _with_member(workbook(agency_rows), "xl/media/image1.bin", bytes(60 * 1024 * 1024))
    assert len(data) < imports.MAX_UPLOAD_BYTES  # ~60 KB on the wire, 60 MB unpacked
    _refused(steering, data, "bom nén")


def test_file_over_5_mb_is_refused(steering):
    _refused(steering, b"PK\x03\x04" + bytes(imports.MAX_UPLOAD_BYTES), "lớn hơn 5 MB")


def test_more_than_5000_rows_is_refused(steering, tree):
    code = tree["district_x"].code
    rows = [[f"Tổ chức {i}", "other_org", code, 1] for i in range(imports.MAX_ROWS + 1)]
    _refused(steering, workbook(rows), "hơn 5.000 dòng")


def test_data_far_below_is_refused_not_walked(steering, tree):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(AGENCY_HEADER)
    ws.cell(row=1_000_000, column=1, value="Xa tít")
    out = io.BytesIO()
    wb.save(out)
    _refused(steering, out.getvalue(), "hơn 5.000 dòng")


# --- Template --------------------------------------------------------------------------------


@pytest.mark.parametrize(("what", "header"), [("co-quan", AGENCY_HEADER), ("thon", HAMLET_HEADER)])
def test_template_workbook_has_header_guide_and_example(what, header):
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_workbook(what)))
    data, guide = wb.worksheets
    assert [c.value for c in data[1]] == header
    assert guide.title == "Hướng dẫn"
    text = " ".join(str(v) for row in guide.iter_rows(values_only=True) for v in row if v)
    assert "dd/mm/yyyy" in text
    if what == "co-quan":
        for label in ("Cơ quan hành chính nhà nước", "Đơn vị sự nghiệp công lập", "Doanh nghiệp ngoài nhà nước"):
            assert label in text
        assert "Có hoặc Không" in text
    assert "Ví dụ" in text


def test_filled_template_imports(steering, tree):
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_workbook("thon")))
    wb.worksheets[0].append(["Tổ dân phố 3", "Tổ dân phố", tree["commune_a"].code, "01/07/2025", None])
    out = io.BytesIO()
    wb.save(out)
    result = run(steering, out.getvalue(), what="thon")
    assert (result.errors, result.created) == ([], 1)


# --- Views -----------------------------------------------------------------------------------


def _upload(data: bytes, name="danh-sach.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def test_get_shows_the_upload_form_with_the_template_link(client, steering):
    client.force_login(steering)
    response = client.get(reverse("unit-import", args=["co-quan"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("unit-import-template", args=["co-quan"]) in body
    assert 'type="file"' in body
    assert 'enctype="multipart/form-data"' in body


@pytest.mark.parametrize(
    ("what", "filename", "header"),
    [("co-quan", "mau-nhap-co-quan.xlsx", AGENCY_HEADER), ("thon", "mau-nhap-thon.xlsx", HAMLET_HEADER)],
)
def test_template_download(client, steering, what, filename, header):
    client.force_login(steering)
    response = client.get(reverse("unit-import-template", args=[what]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert f'filename="{filename}"' in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == header


def test_post_with_errors_shows_the_table_and_saves_nothing(client, steering, tree, agency_rows):
    agency_rows[2][2] = "99999"
    client.force_login(steering)
    before = Unit.objects.count()
    response = client.post(reverse("unit-import", args=["co-quan"]), {"file": _upload(workbook(agency_rows))})
    assert response.status_code == 200
    assert Unit.objects.count() == before
    body = response.content.decode()
    assert "Chưa lưu gì cả." in body
    assert "không dòng nào được lưu" in body
    assert '<th scope="col" class="num">Dòng</th>' in body
    assert "Mã đơn vị quản lý" in body
    assert "99999" in body


def test_post_valid_file_redirects_to_the_directory(client, steering, tree, agency_rows):
    client.force_login(steering)
    response = client.post(
        reverse("unit-import", args=["co-quan"]), {"file": _upload(workbook(agency_rows))}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("unit-list")
    assert "Đã nhập 4 cơ quan" in response.content.decode()


def test_post_hamlets(client, reviewer, tree):
    client.force_login(reviewer)
    data = workbook([["Thôn Bãi", "Thôn", tree["commune_b"].code, None, None]], header=HAMLET_HEADER)
    response = client.post(reverse("unit-import", args=["thon"]), {"file": _upload(data)}, follow=True)
    assert "Đã nhập 1 thôn" in response.content.decode()
    assert Unit.objects.filter(name="Thôn Bãi", parent=tree["commune_b"]).exists()


def test_post_without_file_re_renders(client, steering):
    client.force_login(steering)
    response = client.post(reverse("unit-import", args=["thon"]), {})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_post_non_xlsx_is_refused_on_the_page(client, steering):
    client.force_login(steering)
    before = Unit.objects.count()
    response = client.post(reverse("unit-import", args=["co-quan"]), {"file": _upload(b"xin chao")})
    assert response.status_code == 200
    assert Unit.objects.count() == before
    assert "không phải bảng tính Excel" in response.content.decode()


@pytest.mark.parametrize("name", ["unit-import", "unit-import-template"])
def test_reporter_gets_403(client, reporter, tree, agency_rows, name):
    client.force_login(reporter)
    assert client.get(reverse(name, args=["co-quan"])).status_code == 403
    if name == "unit-import":
        before = Unit.objects.count()
        response = client.post(reverse(name, args=["co-quan"]), {"file": _upload(workbook(agency_rows))})
        assert response.status_code == 403
        assert Unit.objects.count() == before


@pytest.mark.parametrize("name", ["unit-import", "unit-import-template"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name, args=["thon"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["unit-import", "unit-import-template"])
def test_unknown_import_is_404(client, steering, name):
    client.force_login(steering)
    assert client.get(reverse(name, args=["tai-khoan"])).status_code == 404


def test_directory_links_to_the_imports(client, steering):
    client.force_login(steering)
    body = client.get(reverse("unit-list")).content.decode()
    assert reverse("unit-import", args=["co-quan"]) in body
    assert reverse("unit-import", args=["thon"]) in body


def test_directory_hides_the_imports_from_a_reporter(client, reporter):
    client.force_login(reporter)
    body = client.get(reverse("unit-list")).content.decode()
    assert reverse("unit-import", args=["co-quan"]) not in body
