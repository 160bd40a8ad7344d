"""Workplace conferences (staff and workers' conferences) and village conventions in the browser."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards.models import VillageConvention, WorkplaceConference
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

CBCCVC, NLD = WorkplaceConference.Kind.CBCCVC, WorkplaceConference.Kind.NLD


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def body(response):
    return response.content.decode()


def listed(response):
    return [obj.pk for obj in response.context["page_obj"].object_list]


def messages_of(response):
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


@pytest.fixture
def units(tree):
    a = tree["commune_a"]
    return {
        "school": UnitFactory(name="Trường Tiểu học Vụ Bản", kind=UnitKind.PUBLIC_SERVICE, parent=a, staff_count=30),
        "factory": UnitFactory(name="Công ty May Lạc Sơn", kind=UnitKind.ENTERPRISE, parent=a, staff_count=120),
        "hamlet": UnitFactory(name="Khu Tân Thịnh", kind=UnitKind.HAMLET, official_type="to_dan_pho", parent=a),
        "hamlet_c": UnitFactory(name="Xóm Bình Sơn", kind=UnitKind.HAMLET, parent=tree["commune_c"]),
        "agency_c": UnitFactory(name="UBND xã Bình Sơn", kind=UnitKind.STATE_AGENCY, parent=tree["commune_c"]),
    }


@pytest.fixture
def reporter_c(tree):
    return GrantFactory(user=UserFactory(username="reporter.c"), unit=tree["commune_c"], role="reporter").user


def conference(unit, held_on, year, kind=CBCCVC, mode="dinh_ky", participants=10):
    return WorkplaceConference.objects.create(
        unit=unit, kind=kind, mode=mode, form="toan_the", held_on=held_on, year=year, participants=participants
    )


def conference_payload(unit, **changes):
    data = {
        "unit": unit.pk,
        "kind": "hn_cbccvc",
        "mode": "dinh_ky",
        "form": "toan_the",
        "held_on": "20/01/2026",
        "year": 2025,
        "participants": 28,
    }
    data.update(changes)
    return data


# --- Conferences: create and its checks ------------------------------------------------------


def test_reporter_records_a_staff_conference_with_its_resolution(reporter, units):
    pdf = SimpleUploadedFile("nghi-quyet.pdf", b"%PDF-1.4 nghi quyet", content_type="application/pdf")
    response = signed_in(reporter).post(
        reverse("conference-create"), conference_payload(units["school"], resolution_file=pdf)
    )
    saved = WorkplaceConference.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("conference-detail", args=[saved.pk])
    assert (saved.unit, saved.kind, saved.year, saved.held_on) == (units["school"], CBCCVC, 2025, dt.date(2026, 1, 20))
    download = signed_in(reporter).get(reverse("conference-file", args=[saved.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 nghi quyet"
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("unit_key", "changes", "field"),
    [
        ("factory", {"kind": "hn_cbccvc", "participants": 100}, "kind"),  # enterprises hold workers' conferences
        ("school", {"kind": "hn_nguoi_lao_dong"}, "kind"),  # agencies hold staff conferences
        ("school", {"year": 2024}, "year"),  # held in 2026: the year reviewed is 2026 or 2025
        ("school", {"year": 2026, "held_on": "20/01/2025"}, "year"),  # a year not yet begun
        ("school", {"participants": 31}, "participants"),  # the school has 30 staff
    ],
)
def test_conference_checks_refuse_and_save_nothing(reporter, units, unit_key, changes, field):
    response = signed_in(reporter).post(reverse("conference-create"), conference_payload(units[unit_key], **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not WorkplaceConference.objects.exists()


def test_conference_in_the_future_is_refused(reporter, units):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    payload = conference_payload(units["school"], held_on=tomorrow.strftime("%d/%m/%Y"), year=tomorrow.year)
    response = signed_in(reporter).post(reverse("conference-create"), payload)
    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    assert not WorkplaceConference.objects.exists()


def test_enterprise_records_a_workers_conference(reporter, units):
    payload = conference_payload(units["factory"], kind="hn_nguoi_lao_dong", form="dai_bieu", participants=45)
    response = signed_in(reporter).post(reverse("conference-create"), payload)
    assert response.status_code == 302
    assert WorkplaceConference.objects.get().kind == NLD


# --- Late periodic conferences ----------------------------------------------------------------


def test_late_periodic_conference_warns_on_saving_and_is_flagged_in_the_list(reporter, units):
    client = signed_in(reporter)
    late = client.post(
        reverse("conference-create"), conference_payload(units["school"], held_on="15/04/2026"), follow=True
    )
    assert ("warning", "Hội nghị định kỳ tổ chức muộn hơn 3 tháng sau khi năm công tác kết thúc.") in messages_of(late)
    on_time = client.post(
        reverse("conference-create"), conference_payload(units["school"], held_on="20/03/2026"), follow=True
    )
    assert not [m for m in messages_of(on_time) if m[0] == "warning"]
    late_pk = WorkplaceConference.objects.get(held_on=dt.date(2026, 4, 15)).pk
    on_time_pk = WorkplaceConference.objects.get(held_on=dt.date(2026, 3, 20)).pk

    page = client.get(reverse("conference-list"))
    flagged = {c.pk for c in page.context["page_obj"].object_list if c.is_late}
    assert flagged == {late_pk}
    html = body(page)
    assert html.count(">muộn</span>") == 1
    late_row = html.split(reverse("conference-detail", args=[late_pk]))[1].split("</tr>")[0]
    on_time_row = html.split(reverse("conference-detail", args=[on_time_pk]))[1].split("</tr>")[0]
    assert "muộn" in late_row
    assert "muộn" not in on_time_row
    assert "15/04/2026" in late_row


def test_extraordinary_conference_is_never_late(reporter, units):
    conference(units["school"], dt.date(2026, 6, 1), 2025, mode="bat_thuong")
    page = signed_in(reporter).get(reverse("conference-list"))
    assert ">muộn</span>" not in body(page)


def test_conference_list_filters_by_kind_and_year(reporter, units):
    staff_2025 = conference(units["school"], dt.date(2026, 2, 1), 2025)
    staff_2024 = conference(units["school"], dt.date(2025, 2, 1), 2024)
    workers = conference(units["factory"], dt.date(2026, 2, 2), 2025, kind=NLD)
    client = signed_in(reporter)
    assert set(listed(client.get(reverse("conference-list")))) == {staff_2025.pk, staff_2024.pk, workers.pk}
    assert listed(client.get(reverse("conference-list"), {"kind": NLD})) == [workers.pk]
    assert listed(client.get(reverse("conference-list"), {"year": "2024"})) == [staff_2024.pk]
    assert listed(client.get(reverse("conference-list"), {"kind": CBCCVC, "year": "2025"})) == [staff_2025.pk]
    html = body(client.get(reverse("conference-list")))
    assert reverse("convention-list") in html
    assert reverse("conference-missing") in html


# --- Units without a conference ---------------------------------------------------------------


@pytest.fixture
def missing_world(tree, units):
    a, b = tree["commune_a"], tree["commune_b"]
    made = {
        "agency_done": UnitFactory(kind=UnitKind.STATE_AGENCY, parent=a, staff_count=12),
        "agency_wrong_year": UnitFactory(kind=UnitKind.STATE_AGENCY, parent=a, staff_count=15),
        "agency_wrong_kind": UnitFactory(kind=UnitKind.OTHER_ORG, parent=b, staff_count=9),
        "agency_none": UnitFactory(kind=UnitKind.PUBLIC_SERVICE, parent=b, staff_count=40),
        "agency_closed": UnitFactory(kind=UnitKind.PUBLIC_SERVICE, parent=a, valid_to=dt.date(2025, 6, 30)),
        "soe_done": UnitFactory(kind=UnitKind.SOE, parent=a, staff_count=300),
        "soe_none": UnitFactory(kind=UnitKind.SOE, parent=b, staff_count=250),
        "small_shop": UnitFactory(name="Hộ kinh doanh Bùi Thị Hoa", kind=UnitKind.ENTERPRISE, parent=a, staff_count=6),
        "enterprise_staff_conf": UnitFactory(kind=UnitKind.ENTERPRISE, parent=b, staff_count=50),
    }
    conference(made["agency_done"], dt.date(2026, 1, 10), 2025)
    conference(made["agency_wrong_year"], dt.date(2025, 1, 10), 2024)
    conference(made["agency_wrong_kind"], dt.date(2026, 1, 10), 2025, kind=NLD)
    conference(made["soe_done"], dt.date(2026, 2, 10), 2025, kind=NLD, mode="bat_thuong")
    conference(made["enterprise_staff_conf"], dt.date(2026, 2, 10), 2025, kind=CBCCVC)
    conference(units["agency_c"], dt.date(2026, 1, 10), 2024)  # out of district X anyway
    return made


def expected_missing(scope_unit, year):
    """An independent count: walk every unit in Python."""
    agency_kinds = {"state_agency", "public_service", "other_org"}
    enterprise_kinds = {"soe", "enterprise"}
    held = set(WorkplaceConference.objects.filter(year=year).values_list("unit_id", "kind"))
    out = set()
    for unit in Unit.objects.all():
        if not unit.path.startswith(scope_unit.path) or unit.valid_to is not None:
            continue
        if unit.kind in agency_kinds and (unit.pk, "hn_cbccvc") not in held:
            out.add(unit.pk)
        if unit.kind in enterprise_kinds and (unit.pk, "hn_nguoi_lao_dong") not in held:
            out.add(unit.pk)
    return out


def test_conference_missing_lists_exactly_the_units_without_one(tree, reviewer, units, missing_world):
    client = signed_in(reviewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("conference-missing"), {"year": "2025"})
    assert response.status_code == 200
    got = set(listed(response))
    assert got == expected_missing(tree["district_x"], 2025)
    m = missing_world
    assert got == {
        units["school"].pk,
        units["factory"].pk,
        m["agency_wrong_year"].pk,
        m["agency_wrong_kind"].pk,
        m["agency_none"].pk,
        m["soe_none"].pk,
        m["small_shop"].pk,
        m["enterprise_staff_conf"].pk,
    }
    assert units["agency_c"].pk not in got  # commune C lies outside district X
    assert len(queries) <= 8
    html = body(response)
    shop_row = html.split(f'data-unit="{m["small_shop"].pk}"')[1].split("</tr>")[0]
    assert "không bắt buộc tổ chức Hội nghị người lao động" in shop_row
    factory_row = html.split(f'data-unit="{units["factory"].pk}"')[1].split("</tr>")[0]
    assert "không bắt buộc" not in factory_row
    assert "120" in factory_row


def test_conference_missing_for_another_year_and_by_default_last_year(tree, reporter, units, missing_world):
    client = signed_in(reporter)
    response = client.get(reverse("conference-missing"), {"year": "2024"})
    assert set(listed(response)) == expected_missing(tree["commune_a"], 2024)
    assert missing_world["agency_wrong_year"].pk not in set(listed(response))
    default = client.get(reverse("conference-missing"))
    assert default.context["year"] == timezone.localdate().year - 1
    assert set(listed(default)) == expected_missing(tree["commune_a"], timezone.localdate().year - 1)


# --- Conference detail, edit, file ------------------------------------------------------------


def test_conference_edit_keeps_the_file_and_warns_when_late(reporter, units):
    conf = conference(units["school"], dt.date(2026, 1, 20), 2025, participants=20)
    conf.resolution_file.save("nq.pdf", ContentFile(b"%PDF-1.4 cu"), save=True)
    response = signed_in(reporter).post(
        reverse("conference-edit", args=[conf.pk]),
        conference_payload(units["school"], held_on="10/04/2026", participants=25),
        follow=True,
    )
    conf.refresh_from_db()
    assert (conf.participants, conf.held_on) == (25, dt.date(2026, 4, 10))
    assert conf.resolution_file.read() == b"%PDF-1.4 cu"
    assert any(level == "warning" for level, _ in messages_of(response))
    assert "muộn" in body(response)


def test_conference_file_is_404_without_a_file(reporter, units):
    conf = conference(units["school"], dt.date(2026, 1, 20), 2025)
    assert signed_in(reporter).get(reverse("conference-file", args=[conf.pk])).status_code == 404


# --- Village conventions ----------------------------------------------------------------------


def convention_payload(hamlet, **changes):
    data = {
        "hamlet": hamlet.pk,
        "kind": "huong_uoc",
        "title": "Hương ước khu Tân Thịnh",
        "draft_posted_on": "01/09/2025",
        "adopted_on": "15/10/2025",
        "households_total": 200,
        "households_approving": 137,
        "recognition_decision_no": "45/QĐ-UBND",
        "recognised_on": "03/11/2025",
        "status": "hieu_luc",
        "status_changed_on": "",
    }
    data.update(changes)
    return data


def test_convention_in_force_is_saved_and_shows_its_approval_share(reporter, units):
    client = signed_in(reporter)
    response = client.post(reverse("convention-create"), convention_payload(units["hamlet"]))
    saved = VillageConvention.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("convention-detail", args=[saved.pk])
    assert (saved.status, saved.households_approving, saved.recognised_on) == ("hieu_luc", 137, dt.date(2025, 11, 3))
    assert "68,5%" in body(client.get(response.url))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"households_approving": 100}, "households_approving"),  # exactly half is not a majority
        ({"households_approving": 40}, "households_approving"),
        ({"recognised_on": ""}, "recognised_on"),  # in force only once recognised
        ({"households_approving": 201}, "households_approving"),  # more approving than households
    ],
)
def test_convention_checks_refuse_and_save_nothing(reporter, units, changes, field):
    response = signed_in(reporter).post(reverse("convention-create"), convention_payload(units["hamlet"], **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not VillageConvention.objects.exists()


def test_approving_more_than_total_refused_for_a_draft_too(reporter, units):
    payload = convention_payload(
        units["hamlet"], status="du_thao", households_approving=250, recognised_on="", adopted_on=""
    )
    response = signed_in(reporter).post(reverse("convention-create"), payload)
    assert "households_approving" in response.context["form"].errors
    assert not VillageConvention.objects.exists()


def test_changing_status_dates_the_change_today_unless_given(reporter, units):
    client = signed_in(reporter)
    client.post(reverse("convention-create"), convention_payload(units["hamlet"]))
    convention = VillageConvention.objects.get()
    client.post(reverse("convention-edit", args=[convention.pk]), convention_payload(units["hamlet"], title="Sửa tên"))
    convention.refresh_from_db()
    assert (convention.title, convention.status_changed_on) == ("Sửa tên", None)  # same status: no date
    client.post(
        reverse("convention-edit", args=[convention.pk]), convention_payload(units["hamlet"], status="tam_ngung")
    )
    convention.refresh_from_db()
    assert (convention.status, convention.status_changed_on) == ("tam_ngung", timezone.localdate())
    client.post(
        reverse("convention-edit", args=[convention.pk]),
        convention_payload(units["hamlet"], status="sua_doi", status_changed_on="05/01/2026"),
    )
    convention.refresh_from_db()
    assert (convention.status, convention.status_changed_on) == ("sua_doi", dt.date(2026, 1, 5))


def test_convention_list_filters(tree, reviewer, units):
    other_hamlet = UnitFactory(name="Thôn Ân Nghĩa", kind=UnitKind.HAMLET, parent=tree["commune_b"])
    in_force = VillageConvention.objects.create(
        hamlet=units["hamlet"], kind="huong_uoc", title="Hương ước Tân Thịnh", status="hieu_luc"
    )
    draft = VillageConvention.objects.create(hamlet=other_hamlet, kind="quy_uoc", title="Quy ước Ân Nghĩa")
    VillageConvention.objects.create(hamlet=units["hamlet_c"], kind="huong_uoc", title="Hương ước Bình Sơn")
    client = signed_in(reviewer)
    assert set(listed(client.get(reverse("convention-list")))) == {in_force.pk, draft.pk}
    assert listed(client.get(reverse("convention-list"), {"status": "hieu_luc"})) == [in_force.pk]
    assert listed(client.get(reverse("convention-list"), {"kind": "quy_uoc"})) == [draft.pk]
    assert listed(client.get(reverse("convention-list"), {"commune": tree["commune_b"].pk})) == [draft.pk]
    # A commune outside the reviewer's scope is not a filter they can apply.
    response = client.get(reverse("convention-list"), {"commune": tree["commune_c"].pk})
    assert set(listed(response)) == {in_force.pk, draft.pk}
    assert [c.pk for c in response.context["communes"]] == sorted(
        [tree["commune_a"].pk, tree["commune_b"].pk],
        key=lambda pk: Unit.objects.get(pk=pk).name_key,
    )


# --- Scoping ----------------------------------------------------------------------------------


@pytest.fixture
def records(units):
    conf = conference(units["school"], dt.date(2026, 1, 20), 2025)
    conf.resolution_file.save("nq.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    convention = VillageConvention.objects.create(
        hamlet=units["hamlet"], kind="huong_uoc", title="Hương ước Tân Thịnh", status="du_thao"
    )
    return {"conference": conf, "convention": convention}


@pytest.mark.parametrize(
    "name",
    ["conference-detail", "conference-edit", "conference-file", "convention-detail", "convention-edit"],
)
def test_other_commune_gets_404(reporter_c, records, name):
    pk = records["convention" if name.startswith("convention") else "conference"].pk
    assert signed_in(reporter_c).get(reverse(name, args=[pk])).status_code == 404


def test_other_commune_lists_nothing_of_commune_a(reporter_c, records):
    client = signed_in(reporter_c)
    assert listed(client.get(reverse("conference-list"))) == []
    assert listed(client.get(reverse("convention-list"))) == []


def test_other_commune_reporter_cannot_record_for_commune_a(reporter_c, units):
    client = signed_in(reporter_c)
    response = client.post(reverse("conference-create"), conference_payload(units["school"]))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    response = client.post(reverse("convention-create"), convention_payload(units["hamlet"]))
    assert response.status_code == 200
    assert "hamlet" in response.context["form"].errors
    assert not WorkplaceConference.objects.exists()
    assert not VillageConvention.objects.exists()


def test_reviewer_reads_but_may_not_write(reviewer, units, records):
    client = signed_in(reviewer)
    conf, convention = records["conference"], records["convention"]
    assert client.get(reverse("conference-detail", args=[conf.pk])).status_code == 200
    assert client.get(reverse("convention-detail", args=[convention.pk])).status_code == 200
    assert client.get(reverse("conference-file", args=[conf.pk])).status_code == 200
    for url, payload in [
        (reverse("conference-create"), conference_payload(units["school"])),
        (reverse("conference-edit", args=[conf.pk]), conference_payload(units["school"], participants=5)),
        (reverse("convention-create"), convention_payload(units["hamlet"])),
        (reverse("convention-edit", args=[convention.pk]), convention_payload(units["hamlet"])),
    ]:
        assert client.get(url).status_code == 403
        assert client.post(url, payload).status_code == 403
    conf.refresh_from_db()
    convention.refresh_from_db()
    assert conf.participants == 10
    assert convention.status == "du_thao"
    assert WorkplaceConference.objects.count() == 1
    assert VillageConvention.objects.count() == 1
    assert reverse("conference-edit", args=[conf.pk]) not in body(
        client.get(reverse("conference-detail", args=[conf.pk]))
    )
