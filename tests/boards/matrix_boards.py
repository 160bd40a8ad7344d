"""Permission-matrix rows for the board pages, members and supervision activities
(see tests/test_permission_matrix.py)."""

import datetime as dt

from django.core.files.base import ContentFile

from boards.models import BoardMember, CommunityBoard, InspectionBoard, InvestmentProject, SupervisionActivity
from tests.matrix import ANON_LOGIN, OWN_PAGE, PERSONAS, REPORTERS, REPORTS_A, SEES_A, Row, redirect_when_allowed, u


def extend_world(world):
    a = world["units"]["a"]
    board = InspectionBoard.objects.create(unit=a, term_start=dt.date(2024, 7, 1), decision_no="12/QĐ-UBND")
    world["iboard_a"] = board
    world["imember_a"] = BoardMember.objects.create(
        inspection_board=board,
        full_name="Bùi Văn Tỉnh",
        role="truong_ban",
        gender="nam",
        hamlet=world["units"]["hamlet_a"],
        started_on=dt.date(2024, 7, 1),
    )
    project = InvestmentProject.objects.create(
        unit=a,
        name="Đường bê tông nội đồng xóm Chiềng",
        funding_source=InvestmentProject.Funding.CONG_DONG,
        total_value=600_000_000,
        people_money=600_000_000,
        investor="Ban phát triển xóm Chiềng",
        start_on=dt.date(2025, 3, 1),
    )
    cboard = CommunityBoard.objects.create(unit=a, project=project, established_on=dt.date(2025, 2, 20))
    world["gboard_a"] = cboard
    world["gmember_a"] = BoardMember.objects.create(
        community_board=cboard, full_name="Đinh Thị Hoa", gender="nu", started_on=dt.date(2025, 2, 20)
    )
    activity = SupervisionActivity.objects.create(
        unit=a,
        inspection_board=board,
        held_on=dt.date(2025, 5, 12),
        subject="Thu chi quỹ phòng chống thiên tai",
        field="thu_chi_tai_chinh",
        recommendations_count=2,
        recommendations_resolved=1,
    )
    activity.report_file.save("bao-cao.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    world["activity_a"] = activity
    world["gactivity_a"] = SupervisionActivity.objects.create(
        unit=a,
        community_board=cboard,
        project=project,
        held_on=dt.date(2025, 6, 2),
        subject="Chất lượng bê tông",
        field="xay_dung",
    )


def obj(key):
    return lambda w: w[key].pk


def board_payload(w):
    return {"unit": w["units"]["a"].pk, "term_start": "01/07/2024", "term_end": "30/06/2029", "decision_no": "15/QĐ"}


def member_payload(w):
    return {
        "full_name": "Hà Văn Minh",
        "role": "uy_vien",
        "gender": "nam",
        "hamlet": w["units"]["hamlet_a"].pk,
        "started_on": "01/08/2025",
    }


def end_payload(w):
    return {"ended_on": "01/09/2025", "end_reason": "xin_thoi"}


def supervision_payload(w):
    return {
        "held_on": "15/09/2025",
        "subject": "Việc sử dụng kinh phí sửa chữa trường học",
        "field": "xay_dung",
        "findings_count": 1,
        "violations_count": 0,
        "recommendations_count": 1,
        "recommendations_resolved": 0,
        "money_recovered": 0,
        "settlement_reduced": 0,
        "land_recovered_m2": 0,
    }


# Writes to boards of commune A: its reporter and admins (302); district X and province P
# see them (403); the others do not (404).
WRITES_A = {**redirect_when_allowed(REPORTS_A), **ANON_LOGIN}
# POST-only routes answer a GET with 405 once signed in.
POST_ONLY = {**{p: 405 for p in PERSONAS if p != "anon"}, **ANON_LOGIN}
NOBODY = {**{p: 404 for p in PERSONAS if p != "anon"}, **ANON_LOGIN}

ROUTES = {
    "inspection-board-list": [Row(u("inspection-board-list"), OWN_PAGE)],
    "inspection-board-create": [
        Row(u("inspection-board-create"), {**REPORTERS, **ANON_LOGIN}),
        # Reporter B may register boards, but not for commune A: the form refuses the unit.
        Row(
            u("inspection-board-create"),
            {**redirect_when_allowed(REPORTERS), "rep_b": 200, **ANON_LOGIN},
            method="post",
            data=board_payload,
            writes=True,
        ),
    ],
    "inspection-board-detail": [Row(u("inspection-board-detail", obj("iboard_a")), {**SEES_A, **ANON_LOGIN})],
    "inspection-board-edit": [
        Row(u("inspection-board-edit", obj("iboard_a")), {**REPORTS_A, **ANON_LOGIN}),
        Row(u("inspection-board-edit", obj("iboard_a")), WRITES_A, method="post", data=board_payload, writes=True),
    ],
    "community-board-detail": [Row(u("community-board-detail", obj("gboard_a")), {**SEES_A, **ANON_LOGIN})],
    "board-member-add": [
        Row(u("board-member-add", "ttnd", obj("iboard_a")), POST_ONLY),
        Row(u("board-member-add", "ttnd", obj("iboard_a")), WRITES_A, method="post", data=member_payload, writes=True),
        Row(u("board-member-add", "gsdt", obj("gboard_a")), WRITES_A, method="post", data=member_payload, writes=True),
        # An unknown kind of board is not found, for everyone.
        Row(u("board-member-add", "xyz", obj("iboard_a")), NOBODY, method="post", data=member_payload, writes=True),
    ],
    "board-member-end": [
        Row(u("board-member-end", obj("imember_a")), POST_ONLY),
        Row(u("board-member-end", obj("imember_a")), WRITES_A, method="post", data=end_payload, writes=True),
        Row(u("board-member-end", obj("gmember_a")), WRITES_A, method="post", data=end_payload, writes=True),
    ],
    "supervision-list": [Row(u("supervision-list"), OWN_PAGE)],
    "supervision-create": [
        Row(u("supervision-create", "ttnd", obj("iboard_a")), {**REPORTS_A, **ANON_LOGIN}),
        Row(u("supervision-create", "gsdt", obj("gboard_a")), {**REPORTS_A, **ANON_LOGIN}),
        Row(
            u("supervision-create", "ttnd", obj("iboard_a")),
            WRITES_A,
            method="post",
            data=supervision_payload,
            writes=True,
        ),
        Row(
            u("supervision-create", "gsdt", obj("gboard_a")),
            WRITES_A,
            method="post",
            data=supervision_payload,
            writes=True,
        ),
    ],
    "supervision-detail": [
        Row(u("supervision-detail", obj("activity_a")), {**SEES_A, **ANON_LOGIN}),
        Row(u("supervision-detail", obj("gactivity_a")), {**SEES_A, **ANON_LOGIN}),
    ],
    "supervision-report-file": [
        Row(u("supervision-report-file", obj("activity_a")), {**SEES_A, **ANON_LOGIN}),
        # No file recorded: nothing to download, for anyone.
        Row(u("supervision-report-file", obj("gactivity_a")), NOBODY),
    ],
}
