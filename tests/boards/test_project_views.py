"""Investment projects and community investment supervision boards: list, record, edit, scoping,
forming a project's board once, dissolving it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards.models import CommunityBoard, InspectionBoard, InvestmentProject, SupervisionActivity
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db

FUNDING = InvestmentProject.Funding


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def body(response):
    return response.content.decode()


def listed(response):
    return [p.pk for p in response.context["page_obj"].object_list]


def hamlet(commune, name):
    return UnitFactory(name=name, kind=UnitKind.HAMLET, official_type="thon", parent=commune)


def project(unit, name, total, funding=FUNDING.NSNN, start=dt.date(2025, 3, 1), **values):
    return InvestmentProject.objects.create(
        unit=unit, name=name, funding_source=funding, total_value=total, investor="UBND xã", start_on=start, **values
    )


def supervision(board, held_on, subject="Giám sát chất lượng", **values):
    """A supervision by a community board (of its project) or an inspection board (of ``project``)."""
    if isinstance(board, CommunityBoard):
        values = {"community_board": board, "project": board.project, **values}
    else:
        values = {"inspection_board": board, **values}
    return SupervisionActivity.objects.create(
        unit=board.unit, held_on=held_on, subject=subject, field="xay_dung", **values
    )


@pytest.fixture
def hamlets(tree):
    return {
        "a1": hamlet(tree["commune_a"], "Tổ dân phố Chiềng"),
        "a2": hamlet(tree["commune_a"], "Tổ dân phố Lốc"),
        "b1": hamlet(tree["commune_b"], "Xóm Bưa"),
    }


@pytest.fixture
def projects(tree):
    return {
        "a1": project(tree["commune_a"], "Đường bê tông tổ Chiềng", 900_000_000, FUNDING.CONG_DONG, people_money=900),
        "a2": project(tree["commune_a"], "Nhà văn hóa tổ Lốc", 1_250_000_000, FUNDING.HON_HOP, dt.date(2025, 5, 1)),
        "b1": project(tree["commune_b"], "Kênh mương xóm Bưa", 700_000_000, start=dt.date(2025, 4, 1)),
        "c1": project(tree["commune_c"], "Trạm y tế xã Bình Sơn", 3_000_000_000, start=dt.date(2025, 2, 1)),
    }


@pytest.fixture
def board_a1(projects):
    return CommunityBoard.objects.create(
        unit=projects["a1"].unit, project=projects["a1"], established_on=dt.date(2025, 3, 5), decision_no="03/QĐ-MT"
    )


@pytest.fixture
def reporter_c(tree):
    return GrantFactory(user=UserFactory(username="reporter.c"), unit=tree["commune_c"], role="reporter").user


@pytest.fixture
def district_reporter(tree):
    """A reporter of the whole district: may record projects of communes A and B."""
    return GrantFactory(user=UserFactory(username="reporter.x"), unit=tree["district_x"], role="reporter").user


def payload(unit, hamlets=(), **changes):
    data = {
        "unit": unit.pk,
        "name": "Đường giao thông nội thị tổ Chiềng",
        "funding_source": "hon_hop",
        "total_value": "1500000000",
        "state_budget": "1000000000",
        "people_money": "400000000",
        "labour_days": "350",
        "other_value": "100000000",
        "investor": "UBND thị trấn Vụ Bản",
        "start_on": "03/03/2025",
        "end_on": "30/09/2025",
        "hamlets": [h.pk for h in hamlets],
    }
    data.update(changes)
    return data


def snapshot():
    return (
        list(InvestmentProject.objects.order_by("pk").values()),
        list(InvestmentProject.hamlets.through.objects.order_by("pk").values_list("investmentproject_id", "unit_id")),
        list(CommunityBoard.objects.order_by("pk").values()),
    )


# --- Create ------------------------------------------------------------------------------


def test_reporter_creates_a_project_with_its_hamlets(tree, hamlets, reporter):
    client = signed_in(reporter)
    form = client.get(reverse("project-create"))
    assert form.status_code == 200
    # Only the hamlets of the reporter's commune are offered.
    offered = [pk for pk, _label in form.context["form"].fields["hamlets"].choices]
    assert sorted(offered) == sorted([hamlets["a1"].pk, hamlets["a2"].pk])
    response = client.post(reverse("project-create"), payload(tree["commune_a"], [hamlets["a1"], hamlets["a2"]]))
    created = InvestmentProject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("project-detail", args=[created.pk])
    assert created.unit == tree["commune_a"]
    assert created.total_value == Decimal("1500000000")
    assert created.labour_days == 350
    assert created.end_on == dt.date(2025, 9, 30)
    assert set(created.hamlets.all()) == {hamlets["a1"], hamlets["a2"]}
    detail = client.get(response["Location"])
    assert "Tổ dân phố Chiềng" in body(detail)
    assert "1.500.000.000" in body(detail)
    assert reverse("community-board-create", args=[created.pk]) in body(detail)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"state_budget": "1000000000", "people_money": "500000000", "other_value": "100000000"},
            "total_value",
            "Tổng các nguồn vốn vượt tổng mức đầu tư.",
        ),
        ({"start_on": "01/06/2025", "end_on": "31/05/2025"}, "end_on", "Ngày hoàn thành phải sau ngày khởi công."),
        ({"total_value": "-5"}, "total_value", None),
    ],
)
def test_create_refuses_bad_figures_and_saves_nothing(tree, hamlets, reporter, changes, field, message):
    before = snapshot()
    response = signed_in(reporter).post(reverse("project-create"), payload(tree["commune_a"], **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if message:
        assert message in response.context["form"].errors[field]
    assert snapshot() == before


def test_hamlet_of_another_commune_is_refused(tree, hamlets, reporter, district_reporter):
    before = snapshot()
    # A district reporter may see both communes' hamlets, but a project's must be its commune's.
    client = signed_in(district_reporter)
    response = client.post(reverse("project-create"), payload(tree["commune_a"], [hamlets["a1"], hamlets["b1"]]))
    assert response.status_code == 200
    assert "Thôn Xóm Bưa không thuộc xã đã chọn." in response.context["form"].errors["hamlets"]
    # The re-shown form offers the hamlets of the commune posted.
    offered = {pk for pk, _label in response.context["form"].fields["hamlets"].choices}
    assert offered == {hamlets["a1"].pk, hamlets["a2"].pk}
    # A commune reporter cannot even name another commune's hamlet.
    response = signed_in(reporter).post(reverse("project-create"), payload(tree["commune_a"], [hamlets["b1"]]))
    assert response.status_code == 200
    assert "hamlets" in response.context["form"].errors
    assert snapshot() == before


def test_district_reporter_sees_hamlets_named_with_their_commune(tree, hamlets, district_reporter):
    response = signed_in(district_reporter).get(reverse("project-create"))
    labels = dict(response.context["form"].fields["hamlets"].choices)
    assert labels[hamlets["b1"].pk] == "Xóm Bưa (Xã Ân Nghĩa)"


def test_commune_out_of_scope_is_refused(tree, hamlets, reporter):
    before = snapshot()
    response = signed_in(reporter).post(reverse("project-create"), payload(tree["commune_b"]))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert snapshot() == before


def test_readers_may_not_create(tree, reviewer, steering):
    for user in (reviewer, steering):
        client = signed_in(user)
        assert client.get(reverse("project-create")).status_code == 403
        assert client.post(reverse("project-create"), payload(tree["commune_a"])).status_code == 403
    assert not InvestmentProject.objects.exists()


# --- Edit --------------------------------------------------------------------------------


def test_reporter_edits_a_project(tree, hamlets, projects, reporter):
    p = projects["a2"]
    p.hamlets.set([hamlets["a2"]])
    client = signed_in(reporter)
    form = client.get(reverse("project-edit", args=[p.pk]))
    assert form.status_code == 200
    assert form.context["form"]["hamlets"].value() == [hamlets["a2"].pk]
    response = client.post(
        reverse("project-edit", args=[p.pk]), payload(tree["commune_a"], [hamlets["a1"]], name="Nhà văn hóa tổ Lốc mới")
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.name == "Nhà văn hóa tổ Lốc mới"
    assert p.funding_source == "hon_hop"
    assert list(p.hamlets.all()) == [hamlets["a1"]]


def test_edit_with_errors_changes_nothing(tree, hamlets, projects, reporter, district_reporter):
    p = projects["a2"]
    p.hamlets.set([hamlets["a2"]])
    before = snapshot()
    url = reverse("project-edit", args=[p.pk])
    bad = [
        (reporter, payload(tree["commune_a"], [hamlets["a1"]], total_value="1")),
        (reporter, payload(tree["commune_a"], start_on="01/06/2025", end_on="01/05/2025")),
        (reporter, payload(tree["commune_b"])),
        (district_reporter, payload(tree["commune_a"], [hamlets["b1"]])),
    ]
    for user, data in bad:
        response = signed_in(user).post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors
        # The breadcrumb keeps the stored name, not the posted one.
        assert response.context["project_name"] == "Nhà văn hóa tổ Lốc"
    assert snapshot() == before


def test_a_project_with_a_board_keeps_its_commune(tree, projects, board_a1, district_reporter):
    before = snapshot()
    response = signed_in(district_reporter).post(
        reverse("project-edit", args=[projects["a1"].pk]), payload(tree["commune_b"])
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert snapshot() == before


def test_edit_scoping(tree, projects, board_a1, reporter, reviewer, reporter_c):
    a1 = projects["a1"]
    # Another commune's reporter does not see commune A's project at all.
    client = signed_in(reporter_c)
    for name, pk in [
        ("project-detail", a1.pk),
        ("project-edit", a1.pk),
        ("community-board-create", projects["a2"].pk),
        ("community-board-edit", board_a1.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
        assert client.post(reverse(name, args=[pk]), {}).status_code == 404
    # The district reviewer sees it but writes nothing.
    client = signed_in(reviewer)
    detail = client.get(reverse("project-detail", args=[projects["a2"].pk]))
    assert detail.status_code == 200
    assert reverse("project-edit", args=[projects["a2"].pk]) not in body(detail)
    assert reverse("community-board-create", args=[projects["a2"].pk]) not in body(detail)
    before = snapshot()
    for name, pk, data in [
        ("project-edit", a1.pk, payload(tree["commune_a"])),
        ("community-board-create", projects["a2"].pk, {"established_on": "01/05/2025"}),
        ("community-board-edit", board_a1.pk, {"established_on": "05/03/2025", "dissolved_on": "01/06/2025"}),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 403
        assert client.post(reverse(name, args=[pk]), data).status_code == 403
    assert snapshot() == before
    # The commune's own reporter may.
    assert signed_in(reporter).get(reverse("project-edit", args=[a1.pk])).status_code == 200


# --- List --------------------------------------------------------------------------------


def test_list_is_scoped(tree, projects, reporter, reviewer, reporter_c):
    p = projects
    assert listed(signed_in(reporter).get(reverse("project-list"))) == [p["a2"].pk, p["a1"].pk]
    assert listed(signed_in(reviewer).get(reverse("project-list"))) == [p["a2"].pk, p["b1"].pk, p["a1"].pk]
    response = signed_in(reporter_c).get(reverse("project-list"))
    assert listed(response) == [p["c1"].pk]
    assert "Đường bê tông" not in body(response)
    assert reverse("project-create") in body(response)
    assert reverse("project-create") not in body(signed_in(reviewer).get(reverse("project-list")))


def test_list_filters(tree, projects, reviewer):
    client = signed_in(reviewer)
    url = reverse("project-list")
    p = projects
    assert listed(client.get(url, {"funding_source": FUNDING.CONG_DONG})) == [p["a1"].pk]
    assert listed(client.get(url, {"unit": tree["commune_b"].pk})) == [p["b1"].pk]
    assert listed(client.get(url, {"q": "văn hóa"})) == [p["a2"].pk]
    assert listed(client.get(url, {"q": "tổ", "funding_source": FUNDING.HON_HOP})) == [p["a2"].pk]
    # Only communes in the user's sight are offered; another one is shown as an error, not applied.
    communes = set(client.get(url).context["form"].fields["unit"].queryset)
    assert communes == {tree["commune_a"], tree["commune_b"]}
    response = client.get(url, {"unit": tree["commune_c"].pk})
    assert response.context["form"].errors["unit"]
    assert len(listed(response)) == 3


def test_list_totals_equal_an_independent_sum(tree, projects, reviewer):
    for i in range(55):  # more than a page
        project(
            tree["commune_b"], f"Công trình {i}", 1_000_000 * (i + 1), state_budget=1000 * i, start=dt.date(2024, 1, 1)
        )
    client = signed_in(reviewer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("project-list"))
    assert len(listed(response)) == 50
    rows = list(InvestmentProject.objects.filter(unit__in=[tree["commune_a"], tree["commune_b"]]))
    totals = response.context["totals"]
    assert totals["projects"] == len(rows) == 58
    assert totals["total_value"] == sum(r.total_value for r in rows)
    assert totals["state_budget"] == sum(r.state_budget for r in rows)
    assert sum("SUM(" in q["sql"].upper() for q in ctx.captured_queries) == 1
    footer = body(response).split("data-totals", 1)[1]
    assert f"{sum(r.total_value for r in rows):,}".replace(",", ".") in footer
    # The totals follow the filter.
    response = client.get(reverse("project-list"), {"unit": tree["commune_a"].pk})
    assert response.context["totals"]["total_value"] == Decimal(2_150_000_000)


def test_list_shows_boards_and_supervision_counts_in_fixed_queries(tree, projects, board_a1, reviewer):
    ib = InspectionBoard.objects.create(unit=tree["commune_a"], term_start=dt.date(2024, 1, 1))
    supervision(board_a1, dt.date(2025, 4, 1))
    supervision(board_a1, dt.date(2025, 5, 1))
    supervision(ib, dt.date(2025, 5, 2), project=projects["a1"])
    client = signed_in(reviewer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("project-list"))
        return response, len(ctx.captured_queries)

    count()  # the session's first request also stores when it started
    response, queries = count()
    rows = {p.pk: p for p in response.context["page_obj"].object_list}
    assert rows[projects["a1"].pk].n_supervisions == 3
    assert rows[projects["a2"].pk].n_supervisions == 0
    assert reverse("community-board-detail", args=[board_a1.pk]) in body(response)
    # More projects with boards and supervisions: the same number of queries.
    for i in range(5):
        extra = project(tree["commune_b"], f"Cầu tràn {i}", 10_000_000)
        cb = CommunityBoard.objects.create(unit=extra.unit, project=extra, established_on=dt.date(2025, 1, 1))
        supervision(cb, dt.date(2025, 6, 1))
    _response, more = count()
    assert more == queries


# --- Detail ------------------------------------------------------------------------------


def test_detail_lists_supervisions_by_either_board(tree, hamlets, projects, board_a1, reporter):
    ib = InspectionBoard.objects.create(unit=tree["commune_a"], term_start=dt.date(2024, 1, 1))
    s1 = supervision(board_a1, dt.date(2025, 4, 1), "Giám sát khối lượng bê tông")
    s2 = supervision(ib, dt.date(2025, 5, 2), "Thanh tra thu chi đóng góp", project=projects["a1"])
    supervision(ib, dt.date(2025, 5, 3), "Không liên quan")
    projects["a1"].hamlets.set([hamlets["a1"]])
    response = signed_in(reporter).get(reverse("project-detail", args=[projects["a1"].pk]))
    assert [s.pk for s in response.context["supervisions"]] == [s2.pk, s1.pk]
    page = body(response)
    assert "Không liên quan" not in page
    assert reverse("community-board-detail", args=[board_a1.pk]) in page
    assert reverse("community-board-create", args=[projects["a1"].pk]) not in page
    assert reverse("supervision-detail", args=[s1.pk]) in page
    assert "Tổ dân phố Chiềng" in page


# --- Community boards --------------------------------------------------------------------


def test_reporter_forms_a_board_once(projects, reporter):
    p = projects["a2"]
    client = signed_in(reporter)
    url = reverse("community-board-create", args=[p.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"established_on": "10/05/2025", "decision_no": "12/QĐ-MTTQ"})
    board = CommunityBoard.objects.get(project=p)
    assert response.status_code == 302
    assert response["Location"] == reverse("community-board-detail", args=[board.pk])
    assert board.unit == p.unit
    assert board.established_on == dt.date(2025, 5, 10)
    # A second time: sent to the board that exists, nothing new saved.
    before = snapshot()
    for response in (client.get(url), client.post(url, {"established_on": "11/05/2025"})):
        assert response.status_code == 302
        assert response["Location"] == reverse("community-board-detail", args=[board.pk])
        assert "đã có Ban Giám sát" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert snapshot() == before


def test_board_form_refuses_bad_dates(projects, reporter):
    url = reverse("community-board-create", args=[projects["a2"].pk])
    client = signed_in(reporter)
    response = client.post(url, {"established_on": "10/05/2025", "dissolved_on": "01/05/2025"})
    assert response.status_code == 200
    assert "Ngày giải thể phải sau ngày thành lập." in response.context["form"].errors["dissolved_on"]
    response = client.post(url, {"established_on": "10/05/2099"})
    assert "established_on" in response.context["form"].errors
    assert not CommunityBoard.objects.filter(project=projects["a2"]).exists()


def test_dissolving_a_board(projects, board_a1, reporter):
    url = reverse("community-board-edit", args=[board_a1.pk])
    client = signed_in(reporter)
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"]["decision_no"].value() == "03/QĐ-MT"
    before = snapshot()
    response = client.post(
        url, {"established_on": "05/03/2025", "decision_no": "03/QĐ-MT", "dissolved_on": "01/03/2025"}
    )
    assert response.status_code == 200
    assert snapshot() == before
    response = client.post(
        url, {"established_on": "05/03/2025", "decision_no": "03/QĐ-MT", "dissolved_on": "30/06/2025"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("community-board-detail", args=[board_a1.pk])
    assert "Đã giải thể" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    board_a1.refresh_from_db()
    assert board_a1.dissolved_on == dt.date(2025, 6, 30)
    assert board_a1.project == projects["a1"]  # the project stays
    listing = signed_in(reporter).get(reverse("project-list"))
    assert "Đã giải thể" in body(listing)
