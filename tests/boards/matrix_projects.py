"""Permission-matrix rows for investment projects and community investment supervision boards
(see tests/test_permission_matrix.py)."""

import datetime as dt

from boards.models import CommunityBoard, InvestmentProject
from tests.matrix import ANON_LOGIN, OWN_PAGE, REPORTERS, REPORTS_A, SEES_A, Row, redirect_when_allowed, u


def extend_world(world):
    a = world["units"]["a"]
    world["project_nb_a"] = InvestmentProject.objects.create(
        unit=a,
        name="Nhà văn hóa xóm Chiềng",
        funding_source=InvestmentProject.Funding.HON_HOP,
        total_value=1_500_000_000,
        state_budget=1_000_000_000,
        people_money=400_000_000,
        investor="UBND xã A",
        start_on=dt.date(2025, 2, 10),
    )
    world["project_nb_a"].hamlets.set([world["units"]["hamlet_a"]])
    world["project_b_a"] = InvestmentProject.objects.create(
        unit=a,
        name="Đường bê tông xóm Chiềng",
        funding_source=InvestmentProject.Funding.CONG_DONG,
        total_value=800_000_000,
        people_money=800_000_000,
        investor="Ban phát triển thôn",
        start_on=dt.date(2025, 1, 6),
    )
    world["cboard_a"] = CommunityBoard.objects.create(
        unit=a, project=world["project_b_a"], established_on=dt.date(2025, 1, 2), decision_no="05/QĐ-MTTQ"
    )


def project_nb(w):
    return w["project_nb_a"].pk


def project_b(w):
    return w["project_b_a"].pk


def cboard(w):
    return w["cboard_a"].pk


def project_payload(w):
    return {
        "unit": w["units"]["a"].pk,
        "name": "Kênh mương nội đồng xóm Chiềng",
        "funding_source": "ngan_sach_nha_nuoc",
        "total_value": "2500000000",
        "state_budget": "2500000000",
        "people_money": "0",
        "labour_days": "120",
        "other_value": "0",
        "investor": "UBND xã A",
        "start_on": "03/03/2025",
        "end_on": "30/09/2025",
        "hamlets": [w["units"]["hamlet_a"].pk],
    }


def cboard_payload(w):
    return {"established_on": "15/03/2025", "decision_no": "09/QĐ-MTTQ"}


def dissolve_payload(w):
    return {"established_on": "02/01/2025", "decision_no": "05/QĐ-MTTQ", "dissolved_on": "20/06/2025"}


# Who may write to a record of commune A: its reporter and admins (302); district X and
# province P see it (403); the others do not (404).
WRITES_A = {**redirect_when_allowed(REPORTS_A), **ANON_LOGIN}

ROUTES = {
    "project-list": [Row(u("project-list"), OWN_PAGE)],
    "project-create": [
        Row(u("project-create"), {**REPORTERS, **ANON_LOGIN}),
        # Reporter B may record projects, but not for commune A: the form refuses the commune.
        Row(
            u("project-create"),
            {**redirect_when_allowed(REPORTERS), "rep_b": 200, **ANON_LOGIN},
            method="post",
            data=project_payload,
            writes=True,
        ),
    ],
    "project-detail": [
        Row(u("project-detail", project_nb), {**SEES_A, **ANON_LOGIN}),
        Row(u("project-detail", project_b), {**SEES_A, **ANON_LOGIN}),
    ],
    "project-edit": [
        Row(u("project-edit", project_nb), {**REPORTS_A, **ANON_LOGIN}),
        Row(u("project-edit", project_nb), WRITES_A, method="post", data=project_payload, writes=True),
    ],
    "community-board-create": [
        Row(u("community-board-create", project_nb), {**REPORTS_A, **ANON_LOGIN}),
        # A project that already has a board: its reporter is sent to that board.
        Row(u("community-board-create", project_b), WRITES_A),
        Row(u("community-board-create", project_nb), WRITES_A, method="post", data=cboard_payload, writes=True),
    ],
    "community-board-edit": [
        Row(u("community-board-edit", cboard), {**REPORTS_A, **ANON_LOGIN}),
        Row(u("community-board-edit", cboard), WRITES_A, method="post", data=dissolve_payload, writes=True),
    ],
}
