"""The board page and what hangs on it: inspection boards, members with their history,
supervision activities, and community supervision boards, through the browser views."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards.models import BoardMember, CommunityBoard, InspectionBoard, InvestmentProject, SupervisionActivity
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db

SHORT = "cần ít nhất 5 thành viên"
AGENCY_SIZE = "có từ 3 đến 9 thành viên"
NOT_REQUIRED = "không bắt buộc lập Ban Thanh tra nhân dân"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def body(response):
    return response.content.decode()


def d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def hamlets(tree):
    return [
        UnitFactory(name=f"Tổ dân phố {i}", kind=UnitKind.HAMLET, official_type="to_dan_pho", parent=tree["commune_a"])
        for i in range(1, 6)
    ]


@pytest.fixture
def people_project(tree):
    return InvestmentProject.objects.create(
        unit=tree["commune_a"],
        name="Đường bê tông tổ dân phố 3",
        funding_source=InvestmentProject.Funding.CONG_DONG,
        total_value=450_000_000,
        people_money=450_000_000,
        investor="Ban phát triển tổ dân phố 3",
        start_on=dt.date(2025, 3, 1),
    )


@pytest.fixture
def board(tree, hamlets):
    return InspectionBoard.objects.create(unit=tree["commune_a"], term_start=dt.date(2024, 7, 1))


@pytest.fixture
def reporter_b(tree):
    return GrantFactory(user=UserFactory(username="reporter.b"), unit=tree["commune_b"], role="reporter").user


def member(board, name, **extra):
    values = {"role": "uy_vien", "gender": "nam", "started_on": dt.date(2024, 7, 1), **extra}
    return BoardMember.objects.create(inspection_board=board, full_name=name, **values)


def member_data(hamlet=None, **changes):
    data = {"full_name": "Hà Văn Minh", "role": "uy_vien", "gender": "nam", "started_on": "01/07/2024"}
    if hamlet:
        data["hamlet"] = hamlet.pk
    data.update(changes)
    return data


def supervision_data(**changes):
    data = {
        "held_on": "12/05/2025",
        "subject": "Thu chi quỹ phòng chống thiên tai năm 2024",
        "field": "thu_chi_tai_chinh",
        "findings_count": 2,
        "violations_count": 1,
        "recommendations_count": 2,
        "recommendations_resolved": 1,
        "money_recovered": "3500000",
        "settlement_reduced": "0",
        "land_recovered_m2": "0",
        "other_measures": "",
    }
    data.update(changes)
    return data


def add_url(board, kind="ttnd"):
    return reverse("board-member-add", args=[kind, board.pk])


def page_url(board):
    return reverse("inspection-board-detail", args=[board.pk])


# --- The "done when" scenario ----------------------------------------------------------------


def test_commune_registers_its_board_with_members_and_supervisions(reporter, tree, hamlets, people_project):
    client = signed_in(reporter)
    # The reporter's own commune is pre-selected on the form.
    form_page = client.get(reverse("inspection-board-create"))
    assert form_page.context["form"].initial["unit"] == tree["commune_a"]
    response = client.post(
        reverse("inspection-board-create"),
        {
            "unit": tree["commune_a"].pk,
            "term_start": "01/07/2024",
            "term_end": "30/06/2029",
            "decision_no": "125/QĐ-UBND",
            "decision_date": "05/07/2024",
        },
    )
    board = InspectionBoard.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page_url(board)
    assert SHORT in body(client.get(page_url(board)))

    names = ["Bùi Văn Tám", "Quách Thị Hằng", "Đinh Văn Khoa", "Hà Thị Lụa", "Bùi Văn Nam"]
    for i, (name, hamlet) in enumerate(zip(names, hamlets, strict=True)):
        data = member_data(
            hamlet, full_name=name, role="truong_ban" if i == 0 else "uy_vien", gender="nu" if i % 2 else "nam"
        )
        assert client.post(add_url(board), data).status_code == 302
        page = body(client.get(page_url(board)))
        # Four members: still short of five; the fifth one lifts the alert.
        assert (SHORT in page) == (i < 4)
    assert board.members.count() == 5
    assert {m.hamlet.name for m in board.members.all()} == {f"Tổ dân phố {i}" for i in range(1, 6)}
    page = client.get(page_url(board))
    assert page.context["checks"] == []
    for name in names:
        assert name in body(page)

    supervise = reverse("supervision-create", args=["ttnd", board.pk])
    assert client.post(supervise, supervision_data()).status_code == 302
    response = client.post(
        supervise,
        supervision_data(
            held_on="20/06/2025",
            subject="Chất lượng thi công đường bê tông tổ dân phố 3",
            field="tien_do_du_an",
            project=people_project.pk,
            money_recovered="0",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(board)
    assert board.activities.count() == 2
    linked = board.activities.get(project=people_project)
    assert linked.project.funding_source == "von_cong_suc_cong_dong"
    assert linked.unit == tree["commune_a"]
    assert linked.created_by == reporter
    page = client.get(page_url(board))
    text = body(page)
    assert "Thu chi quỹ phòng chống thiên tai năm 2024" in text
    assert "Chất lượng thi công đường bê tông tổ dân phố 3" in text
    assert "Vốn, công sức của Nhân dân" in text
    assert [a.held_on for a in page.context["activities"]] == [dt.date(2025, 6, 20), dt.date(2025, 5, 12)]
    # The list shows the board as compliant, with its counts.
    listed = client.get(reverse("inspection-board-list")).context["rows"]
    assert [(b.n_members, b.n_activities, b.badge[0]) for b in listed] == [(5, 2, "success")]


def test_board_page_shows_term_decision_and_the_add_form_only_to_reporters(reporter, reviewer, board):
    board.decision_no = "77/QĐ-UBND"
    board.save()
    mine = signed_in(reporter).get(page_url(board))
    assert "77/QĐ-UBND" in body(mine)
    assert "01/07/2024" in body(mine)
    assert mine.context["add_form"] is not None
    theirs = signed_in(reviewer).get(page_url(board))
    assert theirs.status_code == 200
    assert theirs.context["add_form"] is None
    assert 'id="add-member"' not in body(theirs)
    assert reverse("supervision-create", args=["ttnd", board.pk]) not in body(theirs)


# --- Checks on agency boards -------------------------------------------------------------------


def test_agency_board_with_two_members_is_outside_three_to_nine(reporter, tree):
    school = UnitFactory(
        name="Trường Tiểu học Vụ Bản", kind=UnitKind.PUBLIC_SERVICE, parent=tree["commune_a"], staff_count=30
    )
    board = InspectionBoard.objects.create(unit=school, term_start=dt.date(2024, 1, 1))
    member(board, "Bùi Thị Xuân", role="truong_ban", gender="nu")
    member(board, "Quách Văn Đông")
    page = signed_in(reporter).get(page_url(board))
    assert AGENCY_SIZE in body(page)
    assert [level for level, _ in page.context["checks"]] == ["danger"]
    # An agency board has no hamlet to choose.
    assert "hamlet" not in page.context["add_form"].fields


def test_small_agency_gets_a_notice_not_an_error(reporter, tree):
    office = UnitFactory(
        name="Trạm Y tế thị trấn", kind=UnitKind.PUBLIC_SERVICE, parent=tree["commune_a"], staff_count=6
    )
    board = InspectionBoard.objects.create(unit=office, term_start=dt.date(2024, 1, 1))
    member(board, "Đinh Thị Mai", role="truong_ban", gender="nu")
    page = signed_in(reporter).get(page_url(board))
    assert NOT_REQUIRED in body(page)
    assert AGENCY_SIZE not in body(page)
    assert [level for level, _ in page.context["checks"]] == ["info"]
    assert 'class="alert alert-info' in body(page)


# --- Membership history ------------------------------------------------------------------------


def test_ending_a_membership_moves_the_member_to_former_members(reporter, board, hamlets):
    leaving = member(board, "Quách Văn Lực", hamlet=hamlets[0])
    staying = member(board, "Bùi Thị Nga", gender="nu", role="truong_ban")
    client = signed_in(reporter)
    response = client.post(
        reverse("board-member-end", args=[leaving.pk]), {"ended_on": "15/03/2025", "end_reason": "chuyen_noi_o"}
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(board)
    leaving.refresh_from_db()
    assert (leaving.ended_on, leaving.end_reason) == (dt.date(2025, 3, 15), "chuyen_noi_o")
    page = client.get(page_url(board))
    assert page.context["current"] == [staying]
    assert page.context["former"] == [leaving]
    former = body(page).split('id="former-members"')[1]
    assert "Quách Văn Lực" in former
    assert "Chuyển nơi ở, công tác" in former
    assert "15/03/2025" in former
    # Ending it twice is refused on the page; nothing changes.
    again = client.post(
        reverse("board-member-end", args=[leaving.pk]), {"ended_on": "20/03/2025", "end_reason": "xin_thoi"}
    )
    assert again.status_code == 200
    leaving.refresh_from_db()
    assert leaving.ended_on == dt.date(2025, 3, 15)


def test_an_end_before_the_start_is_refused(reporter, board):
    m = member(board, "Hà Văn Tuấn", started_on=dt.date(2025, 1, 1))
    response = signed_in(reporter).post(
        reverse("board-member-end", args=[m.pk]), {"ended_on": "01/12/2024", "end_reason": "xin_thoi"}
    )
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu." in body(response)
    m.refresh_from_db()
    assert m.ended_on is None


# --- Validation: refused, nothing saved ----------------------------------------------------


def test_member_starting_before_the_term_is_refused(reporter, board, hamlets):
    response = signed_in(reporter).post(add_url(board), member_data(hamlets[0], started_on="30/06/2024"))
    assert response.status_code == 200
    assert response.context["board"] == board
    assert response.context["add_form"].errors["started_on"]
    assert "Ngày bắt đầu phải trong nhiệm kỳ của ban." in body(response)
    assert not BoardMember.objects.exists()


def test_member_from_another_communes_hamlet_is_refused(reporter, board, tree):
    elsewhere = UnitFactory(name="Xóm Khác", kind=UnitKind.HAMLET, parent=tree["commune_b"])
    response = signed_in(reporter).post(add_url(board), member_data(elsewhere))
    assert response.status_code == 200
    assert response.context["add_form"].errors["hamlet"]
    assert not BoardMember.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recommendations_count": 1, "recommendations_resolved": 2}, "recommendations_resolved"),
        ({"held_on": "future"}, "held_on"),
        ({"money_recovered": "-1000"}, "money_recovered"),
        ({"land_recovered_m2": "-2"}, "land_recovered_m2"),
        ({"violations_count": "-1"}, "violations_count"),
    ],
)
def test_bad_supervision_is_refused(reporter, board, changes, field):
    if changes.get("held_on") == "future":
        changes = {"held_on": d(timezone.localdate() + dt.timedelta(days=1))}
    response = signed_in(reporter).post(
        reverse("supervision-create", args=["ttnd", board.pk]), supervision_data(**changes)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not SupervisionActivity.objects.exists()


def test_report_file_must_be_a_document(reporter, board):
    url = reverse("supervision-create", args=["ttnd", board.pk])
    fake = SimpleUploadedFile("bao-cao.pdf", b"#!/bin/sh\necho not a pdf", content_type="application/pdf")
    response = signed_in(reporter).post(url, {**supervision_data(), "report_file": fake})
    assert response.status_code == 200
    assert "report_file" in response.context["form"].errors
    assert not SupervisionActivity.objects.exists()


def test_report_file_is_downloaded_through_the_access_check(reporter, reporter_b, reviewer, board):
    url = reverse("supervision-create", args=["ttnd", board.pk])
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 bao cao", content_type="application/pdf")
    assert signed_in(reporter).post(url, {**supervision_data(), "report_file": pdf}).status_code == 302
    activity = SupervisionActivity.objects.get()
    download = reverse("supervision-report-file", args=[activity.pk])
    response = signed_in(reviewer).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 bao cao"
    assert signed_in(reporter_b).get(download).status_code == 404
    detail = signed_in(reviewer).get(reverse("supervision-detail", args=[activity.pk]))
    assert download in body(detail)


# --- Scoping ---------------------------------------------------------------------------------


def test_reporter_of_another_commune_sees_nothing(reporter_b, board, hamlets):
    m = member(board, "Bùi Văn Hải", hamlet=hamlets[0])
    activity = SupervisionActivity.objects.create(
        unit=board.unit, inspection_board=board, held_on=dt.date(2025, 4, 1), subject="Chợ thị trấn", field="khac"
    )
    client = signed_in(reporter_b)
    for url in (
        page_url(board),
        reverse("inspection-board-edit", args=[board.pk]),
        reverse("supervision-create", args=["ttnd", board.pk]),
        reverse("supervision-detail", args=[activity.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(add_url(board), member_data(hamlets[1])).status_code == 404
    assert (
        client.post(
            reverse("board-member-end", args=[m.pk]), {"ended_on": "01/01/2025", "end_reason": "khac"}
        ).status_code
        == 404
    )
    assert client.get(reverse("inspection-board-list")).context["rows"] == []
    assert list(client.get(reverse("supervision-list")).context["page_obj"].object_list) == []
    assert BoardMember.objects.count() == 1


def test_district_reviewer_reads_but_cannot_write(reviewer, board, hamlets):
    m = member(board, "Bùi Văn Hải", hamlet=hamlets[0])
    client = signed_in(reviewer)
    assert client.get(page_url(board)).status_code == 200
    assert [b.pk for b in client.get(reverse("inspection-board-list")).context["rows"]] == [board.pk]
    assert client.get(reverse("inspection-board-create")).status_code == 403
    assert client.get(reverse("inspection-board-edit", args=[board.pk])).status_code == 403
    assert client.get(reverse("supervision-create", args=["ttnd", board.pk])).status_code == 403
    assert client.post(reverse("supervision-create", args=["ttnd", board.pk]), supervision_data()).status_code == 403
    assert client.post(add_url(board), member_data(hamlets[1])).status_code == 403
    assert (
        client.post(
            reverse("board-member-end", args=[m.pk]), {"ended_on": "01/01/2025", "end_reason": "khac"}
        ).status_code
        == 403
    )
    assert BoardMember.objects.count() == 1
    assert not SupervisionActivity.objects.exists()
    m.refresh_from_db()
    assert m.ended_on is None


def test_unknown_kind_of_board_is_not_found(reporter, board, hamlets):
    response = signed_in(reporter).post(reverse("board-member-add", args=["xyz", board.pk]), member_data(hamlets[0]))
    assert response.status_code == 404
    assert not BoardMember.objects.exists()


# --- Community boards use the same page ------------------------------------------------------


def test_community_board_page_shows_its_project_members_and_activities(
    reporter, reviewer, tree, hamlets, people_project
):
    cboard = CommunityBoard.objects.create(
        unit=tree["commune_a"], project=people_project, established_on=dt.date(2025, 2, 1), decision_no="03/QĐ-MTTQ"
    )
    client = signed_in(reporter)
    url = reverse("community-board-detail", args=[cboard.pk])
    data = member_data(hamlets[2], full_name="Hà Thị Thu", started_on="01/02/2025", role="truong_ban")
    response = client.post(add_url(cboard, "gsdt"), data)
    assert response.status_code == 302
    assert response["Location"] == url
    assert client.post(add_url(cboard, "gsdt"), member_data(started_on="31/01/2025")).status_code == 200
    assert cboard.members.count() == 1
    response = client.post(reverse("supervision-create", args=["gsdt", cboard.pk]), supervision_data(field="xay_dung"))
    assert response.status_code == 302
    activity = SupervisionActivity.objects.get()
    assert activity.community_board == cboard
    assert activity.project == people_project  # a community board supervises its own project
    page = signed_in(reviewer).get(url)
    text = body(page)
    assert page.status_code == 200
    for expected in (
        "Đường bê tông tổ dân phố 3",
        "Vốn, công sức của Nhân dân",
        "450.000.000",
        "01/02/2025",
        "Hà Thị Thu",
    ):
        assert expected in text, expected
    assert "Ban giám sát đầu tư cộng đồng cần ít nhất 5 thành viên" in text
    assert "Thu chi quỹ phòng chống thiên tai năm 2024" in text


# --- Lists -----------------------------------------------------------------------------------


def _add_boards(tree, n):
    for i in range(n):
        unit = UnitFactory(name=f"Cơ quan {i}", kind=UnitKind.STATE_AGENCY, parent=tree["commune_a"], staff_count=20)
        board = InspectionBoard.objects.create(unit=unit, term_start=dt.date(2024, 1, 1))
        member(board, f"Thành viên {i}", role="truong_ban")
        SupervisionActivity.objects.create(
            unit=unit, inspection_board=board, held_on=dt.date(2025, 4, 1), subject=f"Cuộc {i}", field="khac"
        )
        commune = UnitFactory(name=f"Xã thêm {i}", kind=UnitKind.COMMUNE, parent=tree["district_x"])
        UnitFactory(name=f"Thôn {i}", kind=UnitKind.HAMLET, parent=commune)
        other = InspectionBoard.objects.create(unit=commune, term_start=dt.date(2024, 1, 1))
        member(other, f"Người {i}")


def test_board_list_query_count_does_not_grow_with_rows(reviewer, tree, board):
    client = signed_in(reviewer)
    url = reverse("inspection-board-list")
    client.get(url)  # warm up sessions and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_boards(tree, 6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 13
    assert len(many) == len(few)


def test_board_list_badges(reviewer, tree, board):
    school = UnitFactory(name="Trường Mầm non", kind=UnitKind.PUBLIC_SERVICE, parent=tree["commune_a"], staff_count=5)
    small = InspectionBoard.objects.create(unit=school, term_start=dt.date(2024, 1, 1))
    member(board, "Đã thôi", ended_on=dt.date(2024, 12, 31), end_reason="xin_thoi")
    rows = {b.pk: b for b in signed_in(reviewer).get(reverse("inspection-board-list")).context["rows"]}
    assert rows[board.pk].badge[0] == "danger"
    assert rows[board.pk].n_members == 0  # the former member is not counted
    assert rows[small.pk].badge[0] == "info"


def test_supervision_list_filters_and_totals(reviewer, tree, board, people_project):
    cboard = CommunityBoard.objects.create(
        unit=tree["commune_a"], project=people_project, established_on=dt.date(2025, 2, 1)
    )

    def act(held_on, field, money, **where):
        return SupervisionActivity.objects.create(
            unit=tree["commune_a"],
            held_on=held_on,
            subject=f"Giám sát {held_on}",
            field=field,
            violations_count=1,
            recommendations_count=2,
            recommendations_resolved=1,
            money_recovered=money,
            **where,
        )

    a1 = act(dt.date(2025, 3, 1), "dat_dai", 1_000_000, inspection_board=board)
    a2 = act(dt.date(2025, 5, 1), "xay_dung", 2_000_000, inspection_board=board)
    a3 = act(dt.date(2025, 6, 1), "xay_dung", 4_000_000, community_board=cboard, project=people_project)
    client = signed_in(reviewer)
    url = reverse("supervision-list")

    def listed(**params):
        response = client.get(url, params)
        return [a.pk for a in response.context["page_obj"].object_list], response.context["totals"]

    pks, totals = listed()
    assert pks == [a3.pk, a2.pk, a1.pk]
    assert (totals["supervisions"], totals["money_recovered"], totals["recommendations_count"]) == (3, 7_000_000, 6)
    assert listed(kind="gsdt")[0] == [a3.pk]
    assert listed(kind="ttnd")[0] == [a2.pk, a1.pk]
    pks, totals = listed(field="xay_dung", date_from="01/04/2025", date_to="31/05/2025")
    assert pks == [a2.pk]
    assert totals["money_recovered"] == 2_000_000
    # A bad date is shown, not applied.
    response = client.get(url, {"date_from": "31/13/2025"})
    assert response.context["form"].errors["date_from"]
    assert len(response.context["page_obj"].object_list) == 3
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    aggregates = [q["sql"] for q in queries if "SUM(" in q["sql"].upper()]
    assert len(aggregates) == 1


def test_edit_board(reporter, board):
    client = signed_in(reporter)
    url = reverse("inspection-board-edit", args=[board.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"unit": board.unit_id, "term_start": "01/07/2024", "term_end": "30/06/2029", "decision_no": "200/QĐ"}
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.decision_no, board.term_end) == ("200/QĐ", dt.date(2029, 6, 30))
    bad = client.post(url, {"unit": board.unit_id, "term_start": "01/07/2024", "term_end": "30/06/2023"})
    assert bad.status_code == 200
    board.refresh_from_db()
    assert board.term_end == dt.date(2029, 6, 30)
