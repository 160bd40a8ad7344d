"""/api/v1/ for boards, members, projects, supervisions, workplace conferences, conventions and figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from boards import selectors
from boards.models import (
    BoardMember,
    CommunityBoard,
    InspectionBoard,
    InvestmentProject,
    SupervisionActivity,
    VillageConvention,
    WorkplaceConference,
)
from dialogues.models import DialogueSession
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def pks(response):
    return {row["id"] for row in results(response)}


@pytest.fixture
def reporter_b(tree):
    return GrantFactory(user=UserFactory(username="reporter.b"), unit=tree["commune_b"], role="reporter").user


@pytest.fixture
def hamlets(tree):
    a = tree["commune_a"]
    return [
        UnitFactory(name=f"Khu {i}", kind=UnitKind.HAMLET, official_type="to_dan_pho", parent=a) for i in range(1, 4)
    ]


@pytest.fixture
def agency(tree):
    return UnitFactory(
        name="Trường THCS Vụ Bản", kind=UnitKind.PUBLIC_SERVICE, parent=tree["commune_a"], staff_count=30
    )


def member(board, name="Nguyễn Văn A", started=dt.date(2024, 7, 1), **extra):
    field = "community_board" if isinstance(board, CommunityBoard) else "inspection_board"
    return BoardMember.objects.create(
        **{field: board}, full_name=name, gender=extra.pop("gender", "nam"), started_on=started, **extra
    )


def project(unit, name="Đường bê tông khu 1", funding=InvestmentProject.Funding.CONG_DONG, **extra):
    return InvestmentProject.objects.create(
        unit=unit,
        name=name,
        funding_source=funding,
        total_value=extra.pop("total_value", 500_000_000),
        investor="UBND xã",
        start_on=dt.date(2025, 3, 1),
        **extra,
    )


def activity(board, held_on=dt.date(2025, 5, 12), **extra):
    field = "community_board" if isinstance(board, CommunityBoard) else "inspection_board"
    data = {"subject": "Thu chi ngân sách xã", "field": "thu_chi_tai_chinh", **extra}
    if isinstance(board, CommunityBoard):
        data.setdefault("project", board.project)
    return SupervisionActivity.objects.create(unit=board.unit, held_on=held_on, **{field: board}, **data)


@pytest.fixture
def data(tree, hamlets, agency):
    """Boards, projects and records in commune A (Vụ Bản), commune B (Ân Nghĩa) and commune C (Bình Sơn)."""
    a, b, c = tree["commune_a"], tree["commune_b"], tree["commune_c"]
    board_a = InspectionBoard.objects.create(unit=a, term_start=dt.date(2024, 7, 1), decision_no="12/QĐ-UBND")
    for i, role in enumerate(["truong_ban", "pho_truong_ban", "uy_vien", "uy_vien", "uy_vien"]):
        member(board_a, f"Thành viên {i}", role=role, hamlet=hamlets[i % 3])
    board_b = InspectionBoard.objects.create(unit=b, term_start=dt.date(2024, 7, 1))
    member(board_b, "Thành viên B")
    board_c = InspectionBoard.objects.create(unit=c, term_start=dt.date(2024, 7, 1))
    project_a = project(a)
    cboard_a = CommunityBoard.objects.create(unit=a, project=project_a, established_on=dt.date(2025, 2, 20))
    member(cboard_a, "Giám sát viên", started=dt.date(2025, 2, 20))
    project_b = project(b, "Nhà văn hóa xóm Mới")
    return {
        "board_a": board_a,
        "board_b": board_b,
        "board_c": board_c,
        "project_a": project_a,
        "cboard_a": cboard_a,
        "project_b": project_b,
        "act_a": activity(board_a),
        "act_b": activity(board_b),
        "act_ga": activity(cboard_a, dt.date(2025, 6, 2), field="xay_dung"),
        "conf_a": WorkplaceConference.objects.create(
            unit=agency, kind="hn_cbccvc", held_on=dt.date(2026, 5, 10), year=2025, participants=25
        ),
        "conv_a": VillageConvention.objects.create(
            hamlet=hamlets[0], kind="huong_uoc", title="Hương ước khu 1", status="du_thao"
        ),
    }


# --- Scoping -------------------------------------------------------------------------------


LISTS = [
    ("inspection-boards", "board_a", "board_b"),
    ("board-members", None, None),
    ("projects", "project_a", "project_b"),
    ("community-boards", "cboard_a", None),
    ("supervisions", "act_a", "act_b"),
    ("conferences", "conf_a", None),
    ("conventions", "conv_a", None),
]


@pytest.mark.parametrize(("path", "own", "other"), LISTS)
def test_lists_show_only_the_callers_scope(reporter, reviewer, reporter_b, data, path, own, other):
    url = f"/api/v1/{path}/"
    mine = pks(api(reporter).get(url))
    if own:
        assert data[own].pk in mine
    if other:
        assert data[other].pk not in mine
        assert data[other].pk in pks(api(reporter_b).get(url))
        assert {data[own].pk, data[other].pk} <= pks(api(reviewer).get(url))
    if path == "board-members":
        assert mine == set(
            BoardMember.objects.filter(inspection_board=data["board_a"]).values_list("pk", flat=True)
        ) | set(BoardMember.objects.filter(community_board=data["cboard_a"]).values_list("pk", flat=True))
    if path == "inspection-boards":
        assert data["board_c"].pk not in pks(api(reviewer).get(url))


def test_out_of_scope_detail_is_404_and_anonymous_is_refused(reporter, data):
    client = api(reporter)
    assert client.get(f"/api/v1/inspection-boards/{data['board_b'].pk}/").status_code == 404
    assert client.get(f"/api/v1/supervisions/{data['act_b'].pk}/").status_code == 404
    assert client.get(f"/api/v1/projects/{data['project_b'].pk}/").status_code == 404
    assert APIClient().get("/api/v1/inspection-boards/").status_code == 403


def test_board_detail_has_members_and_checks(reporter, data):
    body = api(reporter).get(f"/api/v1/inspection-boards/{data['board_a'].pk}/").json()
    assert body["unit"] == data["board_a"].unit_id
    assert len(body["members"]) == 5
    assert {m["board_kind"] for m in body["members"]} == {"ttnd"}
    assert all(m["active"] for m in body["members"])
    assert body["checks"] == []  # five members, one head, three hamlets
    small = api(reporter).get(f"/api/v1/community-boards/{data['cboard_a'].pk}/").json()
    assert small["project"] == data["project_a"].pk
    assert small["checks"][0]["level"] == "danger"
    assert "ít nhất 5" in small["checks"][0]["message"]


# --- Inspection boards: create, validate, 403, 404 ---------------------------------------------


def test_reporter_registers_a_board_and_edits_it(reporter, tree, agency):
    client = api(reporter)
    response = client.post(
        "/api/v1/inspection-boards/",
        {"unit": agency.pk, "term_start": "2024-07-01", "term_end": "2029-06-30", "decision_no": "05/QĐ"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["unit_name"], body["members"]) == ("Trường THCS Vụ Bản", [])
    assert body["checks"][0]["level"] == "danger"  # an agency of 30 needs 3–9 members
    board = InspectionBoard.objects.get(pk=body["id"])
    assert (board.unit, board.term_end) == (agency, dt.date(2029, 6, 30))

    response = client.patch(f"/api/v1/inspection-boards/{board.pk}/", {"note": "Bầu lại"}, format="json")
    assert response.status_code == 200, response.content
    board.refresh_from_db()
    assert (board.note, board.decision_no, board.term_start) == ("Bầu lại", "05/QĐ", dt.date(2024, 7, 1))


def test_board_create_is_validated_by_the_browser_form(reporter, tree, reporter_b):
    client = api(reporter)
    response = client.post(
        "/api/v1/inspection-boards/",
        {"unit": tree["commune_a"].pk, "term_start": "2024-07-01", "term_end": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["term_end"] == ["Nhiệm kỳ phải kết thúc sau khi bắt đầu."]
    future = (TODAY + 5 * DAY).isoformat()
    response = client.post(
        "/api/v1/inspection-boards/",
        {"unit": tree["commune_a"].pk, "term_start": "2024-07-01", "decision_date": future},
        format="json",
    )
    assert response.json()["decision_date"] == ["Ngày này không được ở tương lai."]
    # Reporter B reports, but not for commune A: the form refuses the unit.
    response = api(reporter_b).post(
        "/api/v1/inspection-boards/", {"unit": tree["commune_a"].pk, "term_start": "2024-07-01"}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()
    assert not InspectionBoard.objects.exists()


def test_writes_need_report(reviewer, reporter_b, data, tree):
    response = api(reviewer).post(
        "/api/v1/inspection-boards/", {"unit": tree["commune_a"].pk, "term_start": "2024-07-01"}, format="json"
    )
    assert response.status_code == 403
    url = f"/api/v1/inspection-boards/{data['board_a'].pk}/"
    assert api(reviewer).patch(url, {"note": "x"}, format="json").status_code == 403
    assert api(reporter_b).patch(url, {"note": "x"}, format="json").status_code == 404
    for path, key in [("projects", "project_a"), ("conferences", "conf_a"), ("conventions", "conv_a")]:
        assert api(reviewer).patch(f"/api/v1/{path}/{data[key].pk}/", {}, format="json").status_code == 403
        assert api(reporter_b).patch(f"/api/v1/{path}/{data[key].pk}/", {}, format="json").status_code == 404
    data["board_a"].refresh_from_db()
    assert data["board_a"].note == ""


# --- Members -------------------------------------------------------------------------------


def test_member_added_to_a_board_and_ended(reporter, data, hamlets):
    client = api(reporter)
    response = client.post(
        "/api/v1/board-members/",
        {
            "board_kind": "ttnd",
            "board": data["board_a"].pk,
            "full_name": "Hà Thị Mai",
            "gender": "nu",
            "hamlet": hamlets[1].pk,
            "started_on": "2025-01-15",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["board_kind"], body["board"], body["role"], body["hamlet_name"]) == (
        "ttnd",
        data["board_a"].pk,
        "uy_vien",
        "Khu 2",
    )
    url = reverse("api-board-member-end", args=[body["id"]])
    response = client.post(url, {"ended_on": "2024-01-01", "end_reason": "xin_thoi"}, format="json")
    assert response.status_code == 400
    assert response.json()["ended_on"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    response = client.post(url, {"ended_on": "2025-06-30", "end_reason": "xin_thoi"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["ended_on"], response.json()["active"]) == ("2025-06-30", False)
    response = client.post(url, {"ended_on": "2025-07-30", "end_reason": "khac"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Thành viên này đã thôi tham gia."]
    ended = BoardMember.objects.get(pk=body["id"])
    assert (ended.ended_on, ended.end_reason) == (dt.date(2025, 6, 30), "xin_thoi")

    active = pks(
        client.get("/api/v1/board-members/", {"board_kind": "ttnd", "board": data["board_a"].pk, "active": "true"})
    )
    assert body["id"] not in active
    assert len(active) == 5
    gone = pks(client.get("/api/v1/board-members/", {"active": "false"}))
    assert gone == {body["id"]}
    community = pks(client.get("/api/v1/board-members/", {"board_kind": "gsdt", "board": data["cboard_a"].pk}))
    assert community == set(data["cboard_a"].members.values_list("pk", flat=True))


def test_member_rules_and_scope(reporter, reviewer, reporter_b, data, tree, agency):
    client = api(reporter)
    payload = {"board_kind": "ttnd", "full_name": "Lò Văn Nam", "gender": "nam", "started_on": "2024-01-01"}
    # Before the term began (the form's rule).
    response = client.post("/api/v1/board-members/", {**payload, "board": data["board_a"].pk}, format="json")
    assert response.json()["started_on"] == ["Ngày bắt đầu phải trong nhiệm kỳ của ban."]
    # A hamlet of another commune.
    other = UnitFactory(name="Xóm Khác", kind=UnitKind.HAMLET, parent=tree["commune_b"])
    response = client.post(
        "/api/v1/board-members/",
        {**payload, "board": data["board_a"].pk, "started_on": "2025-01-01", "hamlet": other.pk},
        format="json",
    )
    assert "hamlet" in response.json()
    # A board out of the caller's scope reads like an unknown one.
    for board in (data["board_b"].pk, 999999):
        response = client.post("/api/v1/board-members/", {**payload, "board": board}, format="json")
        assert response.status_code == 400
        assert response.json()["board"] == ["Không tìm thấy ban này trong phạm vi nhập liệu của bạn."]
    agency_board = InspectionBoard.objects.create(unit=agency, term_start=dt.date(2024, 1, 1))
    response = client.post(
        "/api/v1/board-members/",
        {**payload, "board": agency_board.pk, "hamlet": data["board_a"].members.first().hamlet_id},
        format="json",
    )
    assert response.json()["hamlet"] == ["Ban Thanh tra nhân dân của cơ quan không ghi thôn, tổ dân phố; hãy để trống."]
    assert api(reviewer).post("/api/v1/board-members/", {**payload, "board": 1}, format="json").status_code == 403
    member_a = data["board_a"].members.first()
    url = reverse("api-board-member-end", args=[member_a.pk])
    end = {"ended_on": "2025-06-30", "end_reason": "xin_thoi"}
    assert api(reviewer).post(url, end, format="json").status_code == 403
    assert api(reporter_b).post(url, end, format="json").status_code == 404
    assert BoardMember.objects.filter(ended_on__isnull=False).count() == 0
    assert BoardMember.objects.count() == 7


# --- Projects, community boards, supervisions ---------------------------------------------------


def test_project_then_community_board_then_supervisions(reporter, tree, hamlets, data):
    client = api(reporter)
    response = client.post(
        "/api/v1/projects/",
        {
            "unit": tree["commune_a"].pk,
            "name": "Kênh mương nội đồng khu 3",
            "funding_source": "hon_hop",
            "total_value": "800000000",
            "state_budget": "500000000",
            "people_money": "300000000",
            "investor": "UBND thị trấn",
            "hamlets": [hamlets[2].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total_value"], body["hamlets"], body["community_board"]) == ("800000000", [hamlets[2].pk], None)
    project_id = body["id"]
    too_much = client.patch(f"/api/v1/projects/{project_id}/", {"other_value": "1"}, format="json")
    assert too_much.json()["total_value"] == ["Tổng các nguồn vốn vượt tổng mức đầu tư."]

    response = client.post(
        "/api/v1/community-boards/", {"project": project_id, "established_on": "2025-03-01"}, format="json"
    )
    assert response.status_code == 201, response.content
    cboard = CommunityBoard.objects.get(pk=response.json()["id"])
    assert (cboard.unit, cboard.project_id) == (tree["commune_a"], project_id)
    again = client.post(
        "/api/v1/community-boards/", {"project": project_id, "established_on": "2025-03-01"}, format="json"
    )
    assert again.json()["project"] == ["Công trình này đã có Ban giám sát đầu tư của cộng đồng."]
    elsewhere = client.post(
        "/api/v1/community-boards/", {"project": data["project_b"].pk, "established_on": "2025-03-01"}, format="json"
    )
    assert elsewhere.status_code == 400
    assert "project" in elsewhere.json()

    response = client.post(
        "/api/v1/supervisions/",
        {
            "board_kind": "gsdt",
            "board": cboard.pk,
            "held_on": "2025-04-10",
            "subject": "Chất lượng vật liệu",
            "field": "tien_do_du_an",
            "violations_count": 1,
            "recommendations_count": 2,
            "recommendations_resolved": 1,
            "money_recovered": "12000000",
            "land_recovered_m2": "12.5",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["board_kind"], body["project"], body["unit"], body["has_report_file"]) == (
        "gsdt",
        project_id,
        tree["commune_a"].pk,
        False,
    )
    assert (body["money_recovered"], body["land_recovered_m2"]) == ("12000000", "12.5")
    made = SupervisionActivity.objects.get(pk=body["id"])
    assert (made.community_board, made.created_by, made.project_id) == (cboard, reporter, project_id)

    response = client.post(
        "/api/v1/supervisions/",
        {
            "board_kind": "ttnd",
            "board": data["board_a"].pk,
            "held_on": "2025-04-11",
            "subject": "Kiểm tra thu chi",
            "field": "thu_chi_tai_chinh",
            "recommendations_count": 1,
            "recommendations_resolved": 2,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["recommendations_resolved"] == ["Số kiến nghị đã giải quyết không thể lớn hơn số kiến nghị."]
    future = client.post(
        "/api/v1/supervisions/",
        {
            "board_kind": "ttnd",
            "board": data["board_a"].pk,
            "held_on": (TODAY + DAY).isoformat(),
            "subject": "x",
            "field": "khac",
        },
        format="json",
    )
    assert future.json()["held_on"] == ["Ngày này không được ở tương lai."]


def test_supervision_filters(reporter, reviewer, data, tree):
    client = api(reviewer)
    assert pks(client.get("/api/v1/supervisions/", {"unit": tree["commune_a"].pk})) == {
        data["act_a"].pk,
        data["act_ga"].pk,
    }
    assert pks(client.get("/api/v1/supervisions/", {"board_kind": "gsdt"})) == {data["act_ga"].pk}
    assert pks(client.get("/api/v1/supervisions/", {"field": "xay_dung"})) == {data["act_ga"].pk}
    assert pks(client.get("/api/v1/supervisions/", {"held_from": "2025-06-01", "held_to": "2025-06-30"})) == {
        data["act_ga"].pk
    }
    # The unit filter narrows the scope, never widens it.
    assert pks(api(reporter).get("/api/v1/supervisions/", {"unit": tree["commune_b"].pk})) == set()


# --- Conferences and conventions ---------------------------------------------------------------


def test_conference_late_flag_filters_and_rules(reporter, data, agency, tree):
    client = api(reporter)
    body = client.get(f"/api/v1/conferences/{data['conf_a'].pk}/").json()
    assert body["late"] is True
    response = client.post(
        "/api/v1/conferences/",
        {"unit": agency.pk, "kind": "hn_cbccvc", "held_on": "2025-01-20", "year": 2024, "participants": 28},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["late"], response.json()["mode"]) == (False, "dinh_ky")
    wrong = client.post(
        "/api/v1/conferences/",
        {"unit": agency.pk, "kind": "hn_nguoi_lao_dong", "held_on": "2025-01-20", "year": 2024, "participants": 28},
        format="json",
    )
    assert wrong.json()["kind"] == ["Cơ quan, đơn vị tổ chức Hội nghị cán bộ, công chức, viên chức."]
    assert pks(client.get("/api/v1/conferences/", {"year": 2024})) == {response.json()["id"]}
    assert pks(client.get("/api/v1/conferences/", {"kind": "hn_nguoi_lao_dong"})) == set()
    assert len(pks(client.get("/api/v1/conferences/", {"unit": tree["commune_a"].pk}))) == 2


def test_convention_create_and_adopt(reporter, data, hamlets):
    client = api(reporter)
    response = client.post(
        "/api/v1/conventions/",
        {"hamlet": hamlets[1].pk, "kind": "quy_uoc", "title": "Quy ước khu 2"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "du_thao"
    url = f"/api/v1/conventions/{response.json()['id']}/"
    half = client.patch(
        url,
        {"status": "hieu_luc", "adopted_on": "2025-03-01", "households_total": 100, "households_approving": 50},
        format="json",
    )
    assert half.status_code == 400
    assert set(half.json()) == {"households_approving", "recognised_on"}
    ok = client.patch(
        url,
        {
            "status": "hieu_luc",
            "adopted_on": "2025-03-01",
            "households_total": 100,
            "households_approving": 51,
            "recognised_on": "2025-03-20",
        },
        format="json",
    )
    assert ok.status_code == 200, ok.content
    assert (ok.json()["approval_share"], ok.json()["title"]) == (0.51, "Quy ước khu 2")


# --- Figures ---------------------------------------------------------------------------------


def _independent(unit, start, end):
    """Biểu 04, 05 counted by walking the rows in Python (not the selectors' SQL)."""
    inside = lambda u: u.path.startswith(unit.path)  # noqa: E731
    boards = [
        b
        for b in InspectionBoard.objects.all()
        if inside(b.unit) and b.term_start <= end and (b.term_end is None or b.term_end >= end)
    ]
    acts = [a for a in SupervisionActivity.objects.all() if inside(a.unit) and start <= a.held_on <= end]
    own = [a for a in acts if a.inspection_board_id]
    community = [a for a in acts if a.community_board_id]
    cboards = [
        b
        for b in CommunityBoard.objects.all()
        if inside(b.unit) and b.established_on <= end and (b.dissolved_on is None or b.dissolved_on >= start)
    ]
    return {
        "inspection": {
            "boards": len(boards),
            "members": sum(m.is_active_on(end) for b in boards for m in b.members.all()),
            "supervisions": len(own),
            "field_thu_chi_tai_chinh": sum(a.field == "thu_chi_tai_chinh" for a in own),
            "field_xay_dung": sum(a.field == "xay_dung" for a in own),
            "violations": sum(a.violations_count for a in own),
            "recommendations": sum(a.recommendations_count for a in own),
            "recommendations_resolved": sum(a.recommendations_resolved for a in own),
            "money_recovered": str(sum((a.money_recovered for a in own), Decimal(0))),
            "land_recovered_m2": f"{sum((a.land_recovered_m2 for a in own), Decimal(0)):.1f}",
        },
        "community": {
            "boards": len(cboards),
            "members": sum(m.is_active_on(end) for b in cboards for m in b.members.all()),
            "projects": len({a.project_id for a in community}),
            "supervisions": len(community),
            "funding_von_cong_suc_cong_dong": sum(
                a.community_board.project.funding_source == "von_cong_suc_cong_dong" for a in community
            ),
            "violations": sum(a.violations_count for a in community),
            "recommendations": sum(a.recommendations_count for a in community),
            "money_recovered": str(sum((a.money_recovered for a in community), Decimal(0))),
            "settlement_reduced": str(sum((a.settlement_reduced for a in community), Decimal(0))),
        },
    }


@pytest.fixture
def figures_data(data, tree, hamlets):
    board_a, cboard_a = data["board_a"], data["cboard_a"]
    member(board_a, "Đã thôi", started=dt.date(2024, 8, 1), ended_on=dt.date(2025, 3, 1), end_reason="xin_thoi")
    activity(
        board_a,
        dt.date(2025, 9, 1),
        field="xay_dung",
        project=data["project_a"],
        violations_count=2,
        recommendations_count=3,
        recommendations_resolved=2,
        money_recovered=Decimal(15_000_000),
        land_recovered_m2=Decimal("120.5"),
    )
    activity(board_a, dt.date(2024, 12, 31), violations_count=9)  # before the window
    activity(
        cboard_a,
        dt.date(2025, 10, 5),
        violations_count=1,
        recommendations_count=1,
        money_recovered=Decimal(3_000_000),
        settlement_reduced=Decimal(7_500_000),
    )
    # A board whose term ended inside the window is not counted.
    InspectionBoard.objects.create(unit=tree["commune_b"], term_start=dt.date(2019, 7, 1), term_end=dt.date(2025, 6, 1))
    VillageConvention.objects.create(
        hamlet=hamlets[1],
        kind="huong_uoc",
        title="Hương ước khu 2",
        status="hieu_luc",
        adopted_on=dt.date(2025, 2, 1),
        households_total=80,
        households_approving=70,
        recognised_on=dt.date(2025, 3, 1),
    )
    DialogueSession.objects.create(
        unit=UnitFactory(name="Công ty May", kind=UnitKind.ENTERPRISE, parent=tree["commune_a"], staff_count=200),
        level="enterprise",
        held_on=dt.date(2025, 8, 1),
        chair_role="giam_doc",
        chair_name="Ông Giám đốc",
        scope="chuyen_de",
        trigger="dinh_ky",
        topic="Tiền lương",
        participants=30,
    )
    return data


@pytest.mark.parametrize("where", ["commune_a", "district_x"])
def test_figures_equal_an_independent_count(reviewer, tree, figures_data, where):
    unit = tree[where]
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    response = api(reviewer).get(
        reverse("api-figures-boards"), {"unit": unit.pk, "start": start.isoformat(), "end": end.isoformat()}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["unit"], body["start"], body["end"]) == (unit.pk, "2025-01-01", "2025-12-31")
    expected = _independent(unit, start, end)
    for part in ("inspection", "community"):
        for key, value in expected[part].items():
            assert body[part][key] == value, (part, key)
    assert body["inspection"]["boards"] == (1 if where == "commune_a" else 2)  # B's ended board is not counted
    assert body["inspection"]["money_recovered"] == "15000000"
    assert body["community"]["settlement_reduced"] == "7500000"
    assert body["workplace"]["year"] == 2025
    assert (body["workplace"]["agencies_total"], body["workplace"]["agencies_with_conference"]) == (1, 1)
    assert (body["workplace"]["late_conferences"], body["workplace"]["dialogues_dinh_ky"]) == (1, 1)
    assert body["conventions"]["hamlets_with_convention"] == 1
    assert body["conventions"]["recognised_in_window"] == 1
    # Every key the selectors compute is in the answer, and nothing else.
    assert set(body["inspection"]) == set(selectors.inspection_figures(unit, start, end))
    assert set(body["community"]) == set(selectors.community_figures(unit, start, end))
    assert set(body["workplace"]) == set(selectors.workplace_figures(unit, start, end))
    assert set(body["conventions"]) == set(selectors.convention_figures(unit, start, end))


def test_figures_refuse_bad_input_and_out_of_scope_units(reporter, tree, data):
    url = reverse("api-figures-boards")
    client = api(reporter)
    ok = {"unit": tree["commune_a"].pk, "start": "2025-01-01", "end": "2025-12-31"}
    assert client.get(url, ok).status_code == 200
    assert client.get(url, {**ok, "unit": tree["commune_b"].pk}).status_code == 404
    assert client.get(url, {**ok, "unit": tree["district_x"].pk}).status_code == 404
    bad = client.get(url, {**ok, "start": "01/01/2025"})
    assert bad.status_code == 400
    assert "YYYY-MM-DD" in bad.json()["start"][0]
    assert client.get(url, {**ok, "end": "2024-01-01"}).json()["end"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    assert "unit" in client.get(url, {"start": "2025-01-01", "end": "2025-12-31"}).json()


def test_schema_lists_the_board_routes(reporter):
    response = api(reporter).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"] if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    for path in (
        "/api/v1/inspection-boards/",
        "/api/v1/board-members/{id}/end/",
        "/api/v1/projects/",
        "/api/v1/community-boards/",
        "/api/v1/supervisions/",
        "/api/v1/conferences/",
        "/api/v1/conventions/",
        "/api/v1/figures/boards/",
    ):
        assert (path in paths) if paths else (path in text)


def test_a_project_with_a_board_stays_in_its_commune(tree, data):
    district_reporter = GrantFactory(
        user=UserFactory(username="reporter.x"), unit=tree["district_x"], role="reporter"
    ).user
    client = api(district_reporter)
    url = f"/api/v1/projects/{data['project_a'].pk}/"
    response = client.patch(url, {"unit": tree["commune_b"].pk}, format="json")
    assert response.status_code == 400
    assert response.json()["unit"] == [
        "Công trình đã có Ban Giám sát đầu tư của cộng đồng: không thể đổi sang xã khác."
    ]
    moved = client.patch(f"/api/v1/projects/{data['project_b'].pk}/", {"unit": tree["commune_a"].pk}, format="json")
    assert moved.status_code == 200, moved.content
    data["project_a"].refresh_from_db()
    assert data["project_a"].unit == tree["commune_a"]
    assert InvestmentProject.objects.get(pk=data["project_b"].pk).unit == tree["commune_a"]
