"""Citizen reception (tiếp công dân): list, create, detail with its cases and petitions, edit."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogues.models import Petition, ReceptionCase, ReceptionKind, ReceptionSession
from tests.factories import GrantFactory, UserFactory

pytestmark = pytest.mark.django_db

COUNTS = ("persons", "cases_new", "cases_old", "delegations", "delegation_persons")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def body(response):
    return response.content.decode()


def listed(response):
    return [r.pk for r in response.context["page_obj"].object_list]


def reception(unit, held_on, kind=ReceptionKind.ROUTINE, **counts):
    values = {"persons": 5, "cases_new": 1, "cases_old": 0, **counts}
    return ReceptionSession.objects.create(
        unit=unit, held_on=held_on, kind=kind, receiver_role="can_bo_tiep_dan", **values
    )


@pytest.fixture
def receptions(tree):
    return {
        "a1": reception(tree["commune_a"], dt.date(2025, 3, 3), persons=10, cases_new=3, cases_old=2),
        "a2": reception(
            tree["commune_a"],
            dt.date(2025, 5, 20),
            ReceptionKind.PERIODIC_HEAD,
            persons=25,
            delegations=1,
            delegation_persons=12,
        ),
        "b1": reception(tree["commune_b"], dt.date(2025, 4, 10), ReceptionKind.AD_HOC, persons=4),
        "c1": reception(tree["commune_c"], dt.date(2025, 4, 11), persons=7),
    }


@pytest.fixture
def reporter_c(tree):
    return GrantFactory(user=UserFactory(username="reporter.c"), unit=tree["commune_c"], role="reporter").user


def payload(unit, **changes):
    data = {
        "unit": unit.pk,
        "held_on": "14/03/2025",
        "kind": "dinh_ky_nguoi_dung_dau",
        "receiver_role": "chu_tich_ubnd",
        "receiver_name": "Quách Văn Sơn",
        "persons": 9,
        "cases_new": 2,
        "cases_old": 1,
        "complaints": 1,
        "denunciations": 0,
        "petitions_count": 2,
        "delegations": 1,
        "delegation_persons": 6,
        "note": "",
    }
    data.update(changes)
    return data


# --- List --------------------------------------------------------------------------------


def test_list_is_scoped_and_newest_first(tree, receptions, reporter, reviewer, reporter_c):
    r = receptions
    assert listed(signed_in(reporter).get(reverse("reception-list"))) == [r["a2"].pk, r["a1"].pk]
    assert listed(signed_in(reviewer).get(reverse("reception-list"))) == [r["a2"].pk, r["b1"].pk, r["a1"].pk]
    # A reporter of another commune (another district) sees none of commune A's receptions.
    response = signed_in(reporter_c).get(reverse("reception-list"))
    assert listed(response) == [r["c1"].pk]
    assert tree["commune_a"].name not in body(response)


def test_list_shows_the_button_to_those_who_report(receptions, reporter, reviewer):
    create = reverse("reception-create")
    assert create in body(signed_in(reporter).get(reverse("reception-list")))
    assert create not in body(signed_in(reviewer).get(reverse("reception-list")))


def test_list_filters_by_kind_and_dates(receptions, reviewer):
    client = signed_in(reviewer)
    r = receptions
    url = reverse("reception-list")
    assert listed(client.get(url, {"kind": ReceptionKind.PERIODIC_HEAD})) == [r["a2"].pk]
    assert listed(client.get(url, {"date_from": "01/04/2025", "date_to": "30/04/2025"})) == [r["b1"].pk]
    assert listed(client.get(url, {"date_from": "10/04/2025"})) == [r["a2"].pk, r["b1"].pk]
    assert listed(client.get(url, {"kind": ReceptionKind.ROUTINE, "date_to": "09/04/2025"})) == [r["a1"].pk]
    # A date the form cannot read is shown as an error, not applied (and not a 500).
    response = client.get(url, {"date_from": "31/02/2025"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]
    assert len(listed(response)) == 3
    response = client.get(url, {"date_from": "30/04/2025", "date_to": "01/04/2025"})
    assert "Ngày kết thúc phải sau ngày bắt đầu." in body(response)


def test_totals_row_equals_an_independent_sum_in_one_query(tree, receptions, reviewer):
    # More rows than one page: the totals cover the filtered set, not the page.
    for day in range(1, 52):
        reception(tree["commune_b"], dt.date(2024, 1, 1) + dt.timedelta(days=day), persons=day, cases_old=1)
    client = signed_in(reviewer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reception-list"), {"date_from": "01/01/2024", "date_to": "31/12/2025"})
    assert len(response.context["page_obj"].object_list) == 50
    rows = list(ReceptionSession.objects.filter(unit__in=[tree["commune_a"], tree["commune_b"]]))
    expected = {name: sum(getattr(r, name) for r in rows) for name in COUNTS}
    totals = response.context["totals"]
    assert totals["sessions"] == len(rows) == 54
    assert {name: totals[name] for name in COUNTS} == expected
    assert sum("SUM(" in q["sql"].upper() for q in ctx.captured_queries) == 1
    # Shown with Vietnamese grouping in the footer row.
    assert f"{expected['persons']:,}".replace(",", ".") in body(response).split("data-totals", 1)[1]


def test_totals_follow_the_filter(receptions, reviewer):
    response = signed_in(reviewer).get(reverse("reception-list"), {"kind": ReceptionKind.ROUTINE})
    assert response.context["totals"]["persons"] == 10
    assert response.context["totals"]["sessions"] == 1


def test_empty_list_has_zero_totals(tree, reporter_c):
    ReceptionSession.objects.all().delete()
    response = signed_in(reporter_c).get(reverse("reception-list"))
    assert response.context["totals"]["persons"] == 0
    assert "Chưa có buổi tiếp công dân nào." in body(response)


# --- Create ------------------------------------------------------------------------------


def test_create_form_preselects_the_only_unit(tree, reporter):
    response = signed_in(reporter).get(reverse("reception-create"))
    assert response.status_code == 200
    assert response.context["form"].initial["unit"] == tree["commune_a"]
    assert "js/portal.js" in body(response)


def test_create_refused_to_those_who_cannot_report(tree, reviewer):
    assert signed_in(reviewer).get(reverse("reception-create")).status_code == 403
    assert signed_in(reviewer).post(reverse("reception-create"), payload(tree["commune_a"])).status_code == 403
    assert not ReceptionSession.objects.exists()


def test_create_saves_and_redirects_to_the_detail(tree, reporter):
    client = signed_in(reporter)
    response = client.post(reverse("reception-create"), payload(tree["commune_a"]))
    saved = ReceptionSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reception-detail", args=[saved.pk])
    assert saved.held_on == dt.date(2025, 3, 14)
    assert saved.persons == 9
    assert saved.delegation_persons == 6
    assert saved.created_by == reporter
    page = client.get(response["Location"])
    assert "Đã lưu buổi tiếp công dân." in body(page)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"persons": -1}, "persons", "lớn hơn hoặc bằng với 0"),
        ({"cases_new": -3}, "cases_new", "lớn hơn hoặc bằng với 0"),
        ({"held_on": "future"}, "held_on", "Buổi tiếp đã diễn ra không thể có ngày ở tương lai."),
        ({"delegations": 0, "delegation_persons": 6}, "delegations", "phải ghi số đoàn"),
        ({"persons": 4, "delegation_persons": 6}, "delegation_persons", "không thể lớn hơn tổng số lượt người"),
    ],
)
def test_create_invalid_saves_nothing(tree, reporter, changes, field, message):
    if changes.get("held_on") == "future":
        changes = {"held_on": (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")}
    response = signed_in(reporter).post(reverse("reception-create"), payload(tree["commune_a"], **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in body(response)
    assert not ReceptionSession.objects.exists()


def test_create_refuses_a_unit_outside_scope(tree, reporter):
    response = signed_in(reporter).post(reverse("reception-create"), payload(tree["commune_b"]))
    assert response.status_code == 200
    assert "Hãy chọn một đơn vị trong phạm vi của bạn." in body(response)
    assert not ReceptionSession.objects.exists()


# --- Detail and cases --------------------------------------------------------------------


def case_payload(**changes):
    data = {
        "case-case_type": "to_cao",
        "case-is_new": "on",
        "case-is_mass": "on",
        "case-field": "dat_dai",
        "case-summary": "Tố cáo cán bộ địa chính",
        "case-status": "chuyen_don",
    }
    data.update(changes)
    return data


def test_detail_shows_counts_cases_and_linked_petitions(tree, receptions, reviewer):
    r = receptions["a1"]
    ReceptionCase.objects.create(
        session=r, case_type="khieu_nai", field="dat_dai", summary="Khiếu nại bồi thường", status="huong_dan"
    )
    linked = Petition.objects.create(
        unit=tree["commune_a"], reception=r, raised_on=r.held_on, content="Sửa cầu treo bản Mường", field="ha_tang"
    )
    Petition.objects.create(
        unit=tree["commune_a"],
        reception=receptions["a2"],
        raised_on=receptions["a2"].held_on,
        content="Kiến nghị của buổi khác",
        field="khac",
    )
    response = signed_in(reviewer).get(reverse("reception-detail", args=[r.pk]))
    assert response.status_code == 200
    html = body(response)
    assert "Khiếu nại bồi thường" in html
    assert "Sửa cầu treo bản Mường" in html
    assert reverse("petition-detail", args=[linked.pk]) in html
    assert "Kiến nghị của buổi khác" not in html
    # A reviewer sees the session but may not add cases or edit it.
    assert response.context["add_form"] is None
    assert reverse("reception-edit", args=[r.pk]) not in html


def test_add_case(receptions, reporter):
    r = receptions["a1"]
    client = signed_in(reporter)
    assert client.get(reverse("reception-detail", args=[r.pk])).context["add_form"] is not None
    response = client.post(reverse("reception-detail", args=[r.pk]), case_payload())
    assert response.status_code == 302
    case = ReceptionCase.objects.get()
    assert (case.session, case.case_type, case.is_new, case.is_mass, case.notified_in_time) == (
        r,
        "to_cao",
        True,
        True,
        False,
    )
    assert "Tố cáo cán bộ địa chính" in body(client.get(response["Location"]))


def test_add_case_invalid_saves_nothing(receptions, reporter):
    response = signed_in(reporter).post(
        reverse("reception-detail", args=[receptions["a1"].pk]), case_payload(**{"case-summary": ""})
    )
    assert response.status_code == 200
    assert "summary" in response.context["add_form"].errors
    assert not ReceptionCase.objects.exists()


def test_add_case_refused_to_viewers_and_outsiders(receptions, reviewer, reporter_c):
    url = reverse("reception-detail", args=[receptions["a1"].pk])
    assert signed_in(reviewer).post(url, case_payload()).status_code == 403
    assert signed_in(reporter_c).post(url, case_payload()).status_code == 404
    assert signed_in(reporter_c).get(url).status_code == 404
    assert not ReceptionCase.objects.exists()


# --- Edit --------------------------------------------------------------------------------


def test_edit(tree, receptions, reporter):
    r = receptions["a1"]
    client = signed_in(reporter)
    form = client.get(reverse("reception-edit", args=[r.pk])).context["form"]
    assert form.instance == r
    response = client.post(
        reverse("reception-edit", args=[r.pk]), payload(tree["commune_a"], held_on="03/03/2025", persons=30)
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert (r.persons, r.held_on, r.delegation_persons) == (30, dt.date(2025, 3, 3), 6)
    assert r.history.count() == 2


def test_edit_invalid_keeps_the_record(tree, receptions, reporter):
    r = receptions["a1"]
    response = signed_in(reporter).post(reverse("reception-edit", args=[r.pk]), payload(tree["commune_a"], persons=-5))
    assert response.status_code == 200
    r.refresh_from_db()
    assert r.persons == 10


def test_edit_refused_to_viewers_and_outsiders(tree, receptions, reviewer, reporter_c):
    url = reverse("reception-edit", args=[receptions["a1"].pk])
    assert signed_in(reviewer).get(url).status_code == 403
    assert signed_in(reviewer).post(url, payload(tree["commune_a"], persons=99)).status_code == 403
    assert signed_in(reporter_c).get(url).status_code == 404
    receptions["a1"].refresh_from_db()
    assert receptions["a1"].persons == 10


def test_nav_has_the_reception_link(reporter):
    assert reverse("reception-list") in body(signed_in(reporter).get(reverse("home")))
