"""Permission-matrix rows for the boards API (/api/v1/inspection-boards/, board-members/,
projects/, community-boards/, supervisions/, conferences/, conventions/, figures/boards/) and
the Excel import of members and supervisions (see tests/test_permission_matrix.py)."""

import datetime as dt
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from boards.models import (
    BoardMember,
    CommunityBoard,
    InspectionBoard,
    InvestmentProject,
    SupervisionActivity,
    VillageConvention,
    WorkplaceConference,
)
from tests.factories import UnitFactory
from tests.matrix import ALL_SIGNED_IN, ANON_LOGIN, API_ANON, REPORTERS, REPORTS_A, SEES_A, Row, u
from units.models import UnitKind


def extend_world(world):
    a = world["units"]["a"]
    # A past term of commune A's board (the browser rows may hold the current one).
    board = InspectionBoard.objects.create(
        unit=a, term_start=dt.date(2019, 7, 1), term_end=dt.date(2024, 6, 30), decision_no="08/QĐ-UBND"
    )
    world["api_iboard_a"] = board
    world["api_member_a"] = BoardMember.objects.create(
        inspection_board=board,
        full_name="Quách Văn Thành",
        role="truong_ban",
        gender="nam",
        hamlet=world["units"]["hamlet_a"],
        started_on=dt.date(2019, 7, 1),
    )
    project = InvestmentProject.objects.create(
        unit=a,
        name="Nhà văn hóa xóm Chiềng",
        funding_source=InvestmentProject.Funding.HON_HOP,
        total_value=900_000_000,
        state_budget=600_000_000,
        people_money=300_000_000,
        investor="UBND xã A",
        start_on=dt.date(2024, 3, 1),
    )
    world["api_project_a"] = project
    world["api_cboard_a"] = CommunityBoard.objects.create(
        unit=a, project=project, established_on=dt.date(2024, 2, 15), decision_no="03/QĐ-MTTQ"
    )
    world["api_free_project_a"] = InvestmentProject.objects.create(
        unit=a,
        name="Kênh mương xóm Chiềng",
        funding_source=InvestmentProject.Funding.CONG_DONG,
        total_value=150_000_000,
        people_money=150_000_000,
        investor="Ban phát triển xóm",
    )
    world["api_activity_a"] = SupervisionActivity.objects.create(
        unit=a,
        inspection_board=board,
        held_on=dt.date(2023, 10, 5),
        subject="Thu, chi quỹ khuyến học",
        field="thu_chi_tai_chinh",
        recommendations_count=1,
    )
    agency = UnitFactory(name="Phòng Tư pháp A", kind=UnitKind.STATE_AGENCY, parent=a, staff_count=12)
    world["units"]["api_agency_a"] = agency
    world["api_conference_a"] = WorkplaceConference.objects.create(
        unit=agency, kind="hn_cbccvc", held_on=dt.date(2025, 1, 20), year=2024, participants=10
    )
    hamlet = UnitFactory(name="Xóm Api", kind=UnitKind.HAMLET, official_type="thon", parent=a)
    world["units"]["api_hamlet_a"] = hamlet
    world["api_convention_a"] = VillageConvention.objects.create(
        hamlet=hamlet, kind="huong_uoc", title="Hương ước xóm Api", status="du_thao"
    )


def pk(key):
    return lambda w: w[key].pk


def unit_pk(key):
    return lambda w: w["units"][key].pk


def figures_query(w):
    return {"unit": w["units"]["a"].pk, "start": "2024-01-01", "end": "2024-12-31"}


def members_file(w):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị", "Loại ban", "Tên công trình", "Họ và tên", "Chức danh", "Giới tính", "Ngày bắt đầu"])
    ws.append([w["units"]["a"].code, "TTND", None, "Lường Thị Xuân", "Ủy viên", "Nữ", "01/01/2020"])
    out = io.BytesIO()
    wb.save(out)
    return {"file": SimpleUploadedFile("thanh-vien.xlsx", out.getvalue())}


# Creating: whoever reports somewhere; reporter B reports, but not for commune A (400).
CREATES_IN_A = {
    "rep_a": 201,
    "rep_b": 400,
    "rev_x": 403,
    "rev_y": 403,
    "st_p": 403,
    "st_q": 403,
    "admin": 201,
    **API_ANON,
}
EVERYONE = {**ALL_SIGNED_IN, **API_ANON}
READS_A = {**SEES_A, **API_ANON}
WRITES_A = {**REPORTS_A, **API_ANON}
# The import page: reporter B may import, but the file names commune A (errors shown, 200).
IMPORTS_A = {
    "rep_a": 302,
    "rep_b": 200,
    "rev_x": 403,
    "rev_y": 403,
    "st_p": 403,
    "st_q": 403,
    "admin": 302,
    **ANON_LOGIN,
}


def listing(name, payload):
    return [
        Row(u(name), EVERYONE),
        Row(u(name), CREATES_IN_A, method="post", data=payload, writes=True, json=True),
    ]


def detail(name, key, patch=None):
    rows = [Row(u(name, pk(key)), READS_A)]
    if patch:
        rows.append(Row(u(name, pk(key)), WRITES_A, method="patch", data=lambda w: patch, writes=True, json=True))
    return rows


ROUTES = {
    "api-inspection-board-list": listing(
        "api-inspection-board-list",
        lambda w: {"unit": w["units"]["a"].pk, "term_start": "2024-07-01", "decision_no": "20/QĐ-UBND"},
    ),
    "api-inspection-board-detail": detail("api-inspection-board-detail", "api_iboard_a", {"decision_no": "09/QĐ"}),
    "api-board-member-list": listing(
        "api-board-member-list",
        lambda w: {
            "board_kind": "ttnd",
            "board": w["api_iboard_a"].pk,
            "full_name": "Bùi Thị Lan",
            "gender": "nu",
            "hamlet": w["units"]["hamlet_a"].pk,
            "started_on": "2020-03-01",
        },
    ),
    "api-board-member-detail": detail("api-board-member-detail", "api_member_a"),
    "api-board-member-end": [
        Row(
            u("api-board-member-end", pk("api_member_a")),
            WRITES_A,
            method="post",
            data=lambda w: {"ended_on": "2024-06-30", "end_reason": "het_nhiem_ky"},
            writes=True,
            json=True,
        )
    ],
    "api-project-list": listing(
        "api-project-list",
        lambda w: {
            "unit": w["units"]["a"].pk,
            "name": "Đường điện xóm Chiềng",
            "funding_source": "ngan_sach_nha_nuoc",
            "total_value": "100000000",
            "state_budget": "100000000",
            "investor": "UBND xã A",
        },
    ),
    "api-project-detail": detail("api-project-detail", "api_project_a", {"name": "Nhà văn hóa xóm Chiềng (mở rộng)"}),
    "api-community-board-list": listing(
        "api-community-board-list",
        lambda w: {"project": w["api_free_project_a"].pk, "established_on": "2025-01-10", "decision_no": "01/QĐ"},
    ),
    "api-community-board-detail": detail("api-community-board-detail", "api_cboard_a", {"decision_no": "04/QĐ-MTTQ"}),
    "api-supervision-list": listing(
        "api-supervision-list",
        lambda w: {
            "board_kind": "ttnd",
            "board": w["api_iboard_a"].pk,
            "held_on": "2023-05-01",
            "subject": "Việc bình xét hộ nghèo",
            "field": "che_do_chinh_sach",
            "recommendations_count": 1,
        },
    ),
    "api-supervision-detail": detail("api-supervision-detail", "api_activity_a"),
    "api-conference-list": listing(
        "api-conference-list",
        lambda w: {
            "unit": w["units"]["api_agency_a"].pk,
            "kind": "hn_cbccvc",
            "held_on": "2024-01-25",
            "year": 2023,
            "participants": 11,
        },
    ),
    "api-conference-detail": detail("api-conference-detail", "api_conference_a", {"participants": 12}),
    "api-convention-list": listing(
        "api-convention-list",
        lambda w: {"hamlet": w["units"]["api_hamlet_a"].pk, "kind": "quy_uoc", "title": "Quy ước nếp sống"},
    ),
    "api-convention-detail": detail("api-convention-detail", "api_convention_a", {"title": "Hương ước (sửa đổi)"}),
    "api-figures-boards": [Row(u("api-figures-boards"), READS_A, data=figures_query)],
    "board-import": [
        Row(u("board-import", "thanh-vien"), {**REPORTERS, **ANON_LOGIN}),
        Row(u("board-import", "giam-sat"), {**REPORTERS, **ANON_LOGIN}),
        Row(u("board-import", "thanh-vien"), IMPORTS_A, method="post", data=members_file, writes=True),
    ],
    "board-import-template": [
        Row(u("board-import-template", "thanh-vien"), {**REPORTERS, **ANON_LOGIN}),
        Row(u("board-import-template", "giam-sat"), {**REPORTERS, **ANON_LOGIN}),
    ],
}
