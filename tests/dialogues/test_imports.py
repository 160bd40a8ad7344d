"""Excel import of a backlog of dialogue sessions with their petitions: all-or-nothing, errors by sheet/row/column."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dialogues import imports
from dialogues.models import DialogueSession, Petition, PetitionEvent, PetitionStatus
from qcdc_portal.lib import xlsx
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_HEADER = [
    "Mã hội nghị",
    "Mã đơn vị tổ chức",
    "Ngày tổ chức",
    "Chủ đề",
    "Phạm vi",
    "Hình thức",
    "Phương thức",
    "Chức vụ người chủ trì",
    "Họ tên người chủ trì",
    "Số người tham dự",
    "Ngày thông báo",
    "Ngày công khai kết quả",
    "Số đại diện NSDLĐ",
    "Số đại diện NLĐ",
]
PETITION_HEADER = [
    "Mã hội nghị",
    "Nội dung",
    "Lĩnh vực",
    "Người nêu",
    "Đã trả lời tại hội nghị",
    "Nội dung trả lời/kết quả",
    "Người chịu trách nhiệm",
    "Việc phải làm",
    "Thời hạn",
    "Đơn vị chịu trách nhiệm",
]


def workbook(sessions, petitions, *, session_header=SESSION_HEADER, petition_header=PETITION_HEADER) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hội nghị"
    ws.append(session_header)
    for row in sessions:
        ws.append(row)
    if petitions is not None:
        ws = wb.create_sheet("Kiến nghị")
        ws.append(petition_header)
        for row in petitions:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(user, data: bytes):
    return imports.import_dialogues_xlsx(user=user, fileobj=io.BytesIO(data))


def where(result):
    return [(e.sheet, e.row, e.column) for e in result.errors]


def nothing_saved():
    return not DialogueSession.objects.exists() and not Petition.objects.exists()


@pytest.fixture
def sessions(tree):
    a = tree["commune_a"].code
    return [
        # fmt: off
        [
            "HN1",
            a,
            "15/03/2025",
            "Giải phóng mặt bằng đường liên xã",
            "Chuyên đề",
            "Định kỳ",
            "Trực tiếp",
            "Chủ tịch UBND",
            "Nguyễn Văn An",
            120,
            "05/03/2025",
            "20/03/2025",
            None,
            None,
        ],
        [
            "HN2",
            a,
            dt.datetime(2025, 4, 2),
            "Tình hình an ninh trật tự",
            "toan dien",
            "THEO YÊU CẦU",
            None,
            "bi_thu_cap_uy",
            "Lê Thị Hoa",
            "80",
            None,
            None,
            None,
            None,
        ],
        # fmt: on
    ]


@pytest.fixture
def petitions():
    return [
        # fmt: off
        [
            "HN1",
            "Đề nghị sớm chi trả tiền bồi thường",
            "Đất đai",
            "Trần Thị Bình",
            "Có",
            "Đã giải thích tiến độ chi trả",
            None,
            None,
            None,
            None,
        ],
        [
            "hn1",
            "Đường vào thôn xuống cấp",
            "ha tang, giao thong",
            None,
            "Không",
            None,
            "Ông Phạm Văn C",
            "Sửa mặt đường",
            "30/06/2025",
            "UBND xã",
        ],
        ["HN2", "Khói bụi từ lò gạch", "Môi trường", None, None, None, "Ông D", None, None, None],
        # fmt: on
    ]


# --- Service ---------------------------------------------------------------------------------


def test_valid_file_creates_sessions_and_petitions_with_derived_statuses(reporter, tree, sessions, petitions):
    result = run(reporter, workbook(sessions, petitions))
    assert result.errors == []
    assert result.ok
    assert (result.created_sessions, result.created_petitions) == (2, 3)

    hn1 = DialogueSession.objects.get(topic="Giải phóng mặt bằng đường liên xã")
    assert (hn1.unit, hn1.level, hn1.held_on) == (tree["commune_a"], "commune", dt.date(2025, 3, 15))
    assert (hn1.scope, hn1.trigger, hn1.format, hn1.chair_role) == (
        "chuyen_de",
        "dinh_ky",
        "truc_tiep",
        "chu_tich_ubnd",
    )
    assert (hn1.participants, hn1.announced_on, hn1.results_published_on) == (
        120,
        dt.date(2025, 3, 5),
        dt.date(2025, 3, 20),
    )
    assert hn1.created_by == reporter
    hn2 = DialogueSession.objects.get(topic="Tình hình an ninh trật tự")
    assert (hn2.scope, hn2.trigger, hn2.format, hn2.chair_role) == (
        "toan_dien",
        "theo_yeu_cau",
        "truc_tiep",
        "bi_thu_cap_uy",
    )
    assert (hn2.held_on, hn2.participants) == (dt.date(2025, 4, 2), 80)

    answered, assigned = hn1.petitions.order_by("pk")
    assert answered.status == PetitionStatus.EXPLAINED
    assert (answered.answered_at_session, answered.result_date, answered.field) == (True, hn1.held_on, "dat_dai")
    assert assigned.status == PetitionStatus.ASSIGNED
    assert (assigned.field, assigned.deadline, assigned.raised_on) == ("ha_tang", dt.date(2025, 6, 30), hn1.held_on)
    (new,) = hn2.petitions.all()
    assert (new.status, new.field, new.unit) == (PetitionStatus.NEW, "moi_truong", tree["commune_a"])
    assert PetitionEvent.objects.filter(kind=PetitionEvent.Kind.CREATED).count() == 3


def test_session_without_petitions_sheet_rows_is_fine(reporter, tree, sessions):
    result = run(reporter, workbook(sessions, []))
    assert (result.errors, result.created_sessions, result.created_petitions) == ([], 2, 0)


def test_error_in_petitions_row_5_saves_nothing_and_names_sheet_row_column(reporter, tree, sessions, petitions):
    petitions.append(["HN2", "Thiếu nước sạch", "Khác", None, "Có", None, None, None, None, None])  # row 5
    result = run(reporter, workbook(sessions, petitions))
    assert nothing_saved()
    assert (result.created_sessions, result.created_petitions) == (0, 0)
    assert where(result) == [("Kiến nghị", 5, "Nội dung trả lời/kết quả")]
    assert result.errors[0].message == "Đã trả lời tại hội nghị thì phải ghi nội dung trả lời."


def test_every_error_of_both_sheets_is_collected(reporter, tree, sessions, petitions):
    sessions[0][4] = "Bán phần"
    sessions[1][9] = -3
    petitions[1][2] = None
    petitions[2][8] = "31/02/2025"
    result = run(reporter, workbook(sessions, petitions))
    assert nothing_saved()
    assert where(result) == [
        ("Hội nghị", 2, "Phạm vi"),
        ("Hội nghị", 3, "Số người tham dự"),
        ("Kiến nghị", 3, "Lĩnh vực"),
        ("Kiến nghị", 4, "Thời hạn"),
    ]
    assert "Chuyên đề; Toàn diện" in result.errors[0].message
    assert result.errors[3].message == "Ngày “31/02/2025” không có trong lịch."


def test_unknown_session_key(reporter, tree, sessions, petitions):
    petitions[2][0] = "HN9"
    result = run(reporter, workbook(sessions, petitions))
    assert nothing_saved()
    assert where(result) == [("Kiến nghị", 4, "Mã hội nghị")]
    assert "HN9" in result.errors[0].message
    assert "Hội nghị" in result.errors[0].message


def test_duplicate_session_keys_are_refused(reporter, tree, sessions, petitions):
    sessions[1][0] = "hn1"
    petitions[2][0] = "HN1"
    result = run(reporter, workbook(sessions, petitions))
    assert nothing_saved()
    assert where(result) == [("Hội nghị", 3, "Mã hội nghị")]
    assert "trùng với dòng 2" in result.errors[0].message


def test_missing_session_key_is_an_error(reporter, tree, sessions):
    sessions[0][0] = None
    result = run(reporter, workbook(sessions, []))
    assert where(result) == [("Hội nghị", 2, "Mã hội nghị")]


def test_out_of_scope_unit_reads_like_an_unknown_code(reporter, tree, sessions, petitions):
    foreign = tree["commune_b"].code  # a commune the reporter of commune A does not report for
    sessions[0][1] = foreign
    sessions[1][1] = "KHONG-CO"
    result = run(reporter, workbook(sessions, petitions))
    assert nothing_saved()
    assert where(result) == [("Hội nghị", 2, "Mã đơn vị tổ chức"), ("Hội nghị", 3, "Mã đơn vị tổ chức")]
    out_of_scope, unknown = (e.message for e in result.errors)
    assert out_of_scope.replace(foreign, "?") == unknown.replace("KHONG-CO", "?")
    assert "Xã Ân Nghĩa" not in out_of_scope


def test_reviewer_scope_is_not_report_scope(reviewer, tree, sessions):
    result = run(reviewer, workbook(sessions, []))
    assert nothing_saved()
    assert [e.column for e in result.errors] == ["Mã đơn vị tổ chức", "Mã đơn vị tổ chức"]


def test_future_date_is_refused(reporter, tree, sessions, petitions):
    sessions[1][2] = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    result = run(reporter, workbook(sessions, petitions))
    assert nothing_saved()
    assert where(result) == [("Hội nghị", 3, "Ngày tổ chức")]
    assert result.errors[0].message == "Hội nghị đã tổ chức không thể có ngày ở tương lai."


def test_announcement_after_the_session_is_refused(reporter, tree, sessions):
    sessions[0][10] = "16/03/2025"
    result = run(reporter, workbook(sessions, []))
    assert where(result) == [("Hội nghị", 2, "Ngày thông báo")]


def test_enterprise_dialogue_needs_both_sides(reporter, tree, sessions):
    company = UnitFactory(name="Công ty May A", kind=UnitKind.ENTERPRISE, parent=tree["commune_a"], staff_count=300)
    sessions[0][1] = company.code
    sessions[0][13] = 2
    result = run(reporter, workbook(sessions, []))
    assert nothing_saved()
    assert where(result) == [("Hội nghị", 2, "Số đại diện NSDLĐ"), ("Hội nghị", 2, "Số đại diện NLĐ")]
    sessions[0][12], sessions[0][13] = 3, 4
    result = run(reporter, workbook(sessions, []))
    assert result.errors == []
    assert DialogueSession.objects.get(unit=company).level == "enterprise"


def test_formula_cell_is_refused(reporter, tree, sessions, petitions):
    petitions[0][1] = "=A1&B1"
    result = run(reporter, workbook(sessions, petitions))
    assert nothing_saved()
    assert where(result) == [("Kiến nghị", 2, "Nội dung")]
    assert "công thức" in result.errors[0].message


def test_missing_sheet_or_column_is_a_file_error(reporter, tree, sessions):
    result = run(reporter, workbook(sessions, None))
    assert nothing_saved()
    assert len(result.errors) == 1
    assert "Kiến nghị" in result.errors[0].message
    result = run(reporter, workbook([], [], petition_header=PETITION_HEADER[:2]))
    assert where(result) == [("Kiến nghị", 1, "Lĩnh vực")]


def test_empty_sessions_sheet_is_refused(reporter, tree):
    result = run(reporter, workbook([], []))
    assert (result.created_sessions, nothing_saved()) == (0, True)
    assert "không có dòng dữ liệu" in result.errors[0].message


def test_failure_while_applying_rolls_back_everything(reporter, tree, sessions, petitions, monkeypatch):
    from dialogues import services

    real = services.session_create
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            from django.db import IntegrityError

            raise IntegrityError("simulated")
        return real(**kwargs)

    monkeypatch.setattr(services, "session_create", flaky)
    result = run(reporter, workbook(sessions, petitions))
    assert len(calls) == 2
    assert nothing_saved()
    assert result.created_sessions == 0
    assert where(result) == [("Hội nghị", 3, "")]


# --- Hostile and broken files (the checks shared with the units import) ---------------------


def _with_member(data: bytes, name: str, payload: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, payload)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "name", "fragment"),
    [
        (lambda ok: "Mã hội nghị;Nội dung\nHN1;x\n".encode(), "a.xlsx", "không phải bảng tính Excel"),
        (lambda ok: xlsx.OLE_MAGIC + b"\0" * 600, "a.xlsx", ".xls"),
        (lambda ok: b"PK\x03\x04" + b"\0" * 100, "a.xlsx", "không phải bảng tính Excel"),
        (lambda ok: ok, "a.xlsm", "macro"),
        (lambda ok: _with_member(ok, "xl/vbaProject.bin", b"\xd0\xcf macro"), "a.xlsx", "macro"),
        (lambda ok: _with_member(ok, "xl/externalLinks/externalLink1.xml", b"<x/>"), "a.xlsx", "liên kết ngoài"),
        (lambda ok: _with_member(ok, "xl/media/image1.bin", bytes(60 * 1024 * 1024)), "a.xlsx", "bom nén"),
        (lambda ok: b"PK\x03\x04" + bytes(xlsx.MAX_UPLOAD_BYTES), "a.xlsx", "lớn hơn 5 MB"),
        (lambda ok: b"", "a.xlsx", "Tệp rỗng"),
    ],
)
def test_bad_files_are_refused(reporter, tree, sessions, petitions, make, name, fragment):
    data = make(workbook(sessions, petitions))
    result = imports.import_dialogues_xlsx(user=reporter, fileobj=SimpleUploadedFile(name, data))
    assert nothing_saved()
    assert len(result.errors) == 1
    assert (result.errors[0].sheet, result.errors[0].row) == ("", None)
    assert fragment in result.errors[0].message


def test_more_than_5000_petitions_is_refused(reporter, tree, sessions):
    rows = [["HN1", f"Ý kiến {i}", "Khác"] for i in range(imports.MAX_ROWS + 1)]
    result = run(reporter, workbook(sessions, rows))
    assert nothing_saved()
    assert [(e.sheet, e.row) for e in result.errors] == [("Kiến nghị", None)]
    assert "hơn 5.000 dòng" in result.errors[0].message


def test_more_petitions_than_the_browser_allows_for_one_session(reporter, tree, sessions):
    rows = [["HN1", f"Ý kiến {i}", "Khác"] for i in range(imports.MAX_PETITIONS_PER_SESSION + 1)]
    result = run(reporter, workbook(sessions, rows))
    assert nothing_saved()
    assert where(result) == [("Kiến nghị", imports.MAX_PETITIONS_PER_SESSION + 2, "Mã hội nghị")]


# --- Template --------------------------------------------------------------------------------


def test_template_has_both_sheets_the_guide_and_the_allowed_values():
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_workbook()))
    assert wb.sheetnames == ["Hội nghị", "Kiến nghị", "Hướng dẫn"]
    assert [c.value for c in wb["Hội nghị"][1]] == SESSION_HEADER
    assert [c.value for c in wb["Kiến nghị"][1]] == PETITION_HEADER
    text = " ".join(str(v) for row in wb["Hướng dẫn"].iter_rows(values_only=True) for v in row if v)
    for label in (
        "Chuyên đề",
        "Toàn diện",
        "Định kỳ",
        "Theo yêu cầu",
        "Khi có vụ việc",
        "Qua mạng xã hội",
        "Người đứng đầu cơ quan, đơn vị",
        "Hạ tầng, giao thông",
        "dd/mm/yyyy",
        "Ví dụ",
    ):
        assert label in text
    assert wb["Hội nghị"].data_validations.dataValidation  # drop-down suggestions


def test_filled_template_imports(reporter, tree, sessions, petitions):
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_workbook()))
    wb["Hội nghị"].append(sessions[0])
    wb["Kiến nghị"].append(petitions[0])
    out = io.BytesIO()
    wb.save(out)
    result = run(reporter, out.getvalue())
    assert (result.errors, result.created_sessions, result.created_petitions) == ([], 1, 1)


# --- Views -----------------------------------------------------------------------------------


def _upload(data: bytes, name="hoi-nghi.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def test_get_shows_the_form_the_template_link_and_the_explanation(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("dialogue-import"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("dialogue-import-template") in body
    assert 'type="file"' in body
    assert 'enctype="multipart/form-data"' in body
    assert "tất cả hoặc không" in body
    assert "Mã hội nghị" in body


def test_template_download(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("dialogue-import-template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Hội nghị"][1]] == SESSION_HEADER
    assert [c.value for c in wb["Kiến nghị"][1]] == PETITION_HEADER


def test_post_valid_file_redirects_to_the_list(client, reporter, sessions, petitions):
    client.force_login(reporter)
    response = client.post(reverse("dialogue-import"), {"file": _upload(workbook(sessions, petitions))}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dialogue-list")
    assert "Đã nhập 2 hội nghị đối thoại và 3 ý kiến, kiến nghị." in response.content.decode()
    assert DialogueSession.objects.count() == 2


def test_post_with_errors_shows_the_table_and_saves_nothing(client, reporter, sessions, petitions):
    petitions[2][0] = "HN9"
    client.force_login(reporter)
    response = client.post(reverse("dialogue-import"), {"file": _upload(workbook(sessions, petitions))})
    assert response.status_code == 200
    assert nothing_saved()
    body = response.content.decode()
    assert "Chưa lưu gì cả." in body
    for th in ("Sheet", "Dòng", "Cột", "Lỗi"):
        assert f">{th}</th>" in body
    assert '<td class="text-nowrap">Kiến nghị</td><td class="num">4</td><td>Mã hội nghị</td>' in body
    assert "HN9" in body


def test_post_non_xlsx_is_refused_on_the_page(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("dialogue-import"), {"file": _upload(b"xin chao")})
    assert response.status_code == 200
    assert nothing_saved()
    assert "không phải bảng tính Excel" in response.content.decode()


def test_post_without_file_re_renders(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("dialogue-import"), {})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


@pytest.mark.parametrize("persona", ["reviewer", "steering"])
@pytest.mark.parametrize("name", ["dialogue-import", "dialogue-import-template"])
def test_reviewer_and_steering_get_403(client, request, sessions, petitions, persona, name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 403
    if name == "dialogue-import":
        response = client.post(reverse(name), {"file": _upload(workbook(sessions, petitions))})
        assert response.status_code == 403
        assert nothing_saved()


@pytest.mark.parametrize("name", ["dialogue-import", "dialogue-import-template"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_admin_may_import_anywhere_in_scope(client, tree, sessions):
    admin = GrantFactory(user=UserFactory(username="admin.p"), unit=tree["province"], role="admin").user
    client.force_login(admin)
    sessions[1][1] = tree["commune_c"].code
    response = client.post(reverse("dialogue-import"), {"file": _upload(workbook(sessions, []))})
    assert response.status_code == 302
    assert DialogueSession.objects.filter(unit=tree["commune_c"]).count() == 1
