"""Browser views of units/: directory, detail, agencies, hamlets, picker, accounts and grants."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import CodeList, Grant, Role, Unit, UnitKind, UnitLineage

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def world(tree):
    t = dict(tree)
    t["agency_x"] = UnitFactory(
        name="Phòng Nội vụ Lạc Sơn", kind=UnitKind.STATE_AGENCY, parent=t["district_x"], staff_count=12
    )
    t["agency_a"] = UnitFactory(
        name="Trường Mầm non Vụ Bản",
        kind=UnitKind.PUBLIC_SERVICE,
        parent=t["commune_a"],
        staff_count=5,
        has_union=True,
    )
    t["hamlet_a"] = UnitFactory(name="Tổ dân phố Liên Vụ", kind=UnitKind.HAMLET, parent=t["commune_a"])
    t["agency_y"] = UnitFactory(
        name="Phòng Tư pháp Kim Bôi", kind=UnitKind.STATE_AGENCY, parent=t["district_y"], staff_count=9
    )
    t["province_2"] = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    t["commune_2"] = UnitFactory(name="Xã Ngoài Tỉnh", kind=UnitKind.COMMUNE, parent=t["province_2"])
    return t


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def body(response):
    return response.content.decode()


def listed(response):
    return [u.pk for u in response.context["page_obj"].object_list]


# --- Directory ---------------------------------------------------------------------------


def test_directory_shows_the_top_of_each_scope(world, reporter, reviewer, steering):
    assert listed(signed_in(reporter).get(reverse("unit-list"))) == [world["commune_a"].pk]
    assert listed(signed_in(reviewer).get(reverse("unit-list"))) == [world["district_x"].pk]
    assert listed(signed_in(steering).get(reverse("unit-list"))) == [world["province"].pk]
    admin = UserFactory(is_superuser=True)
    assert set(listed(signed_in(admin).get(reverse("unit-list")))) == {
        world["province"].pk,
        world["province_2"].pk,
    }


def test_directory_of_a_cluster_lists_each_commune(world):
    user = UserFactory()
    GrantFactory(user=user, unit=world["commune_a"], role=Role.REVIEWER)
    GrantFactory(user=user, unit=world["commune_c"], role=Role.REVIEWER)
    response = signed_in(user).get(reverse("unit-list"))
    assert set(listed(response)) == {world["commune_a"].pk, world["commune_c"].pk}


def test_directory_counts_per_row(world, reviewer):
    response = signed_in(reviewer).get(reverse("unit-list"))
    (row,) = response.context["page_obj"].object_list
    x = world["district_x"]
    assert row.counts == {
        "communes": Unit.objects.filter(path__startswith=x.path, kind=UnitKind.COMMUNE).count(),
        "agencies": Unit.objects.filter(
            path__startswith=x.path, kind__in=[UnitKind.STATE_AGENCY, UnitKind.PUBLIC_SERVICE]
        ).count(),
        "hamlets": Unit.objects.filter(path__startswith=x.path, kind=UnitKind.HAMLET).count(),
    }
    assert row.counts == {"communes": 2, "agencies": 2, "hamlets": 1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lac son", "Huyện Lạc Sơn"),
        ("LẠC SƠN", "Huyện Lạc Sơn"),
        ("vu ban", "Thị trấn Vụ Bản"),
        ("VU BAN", "Thị trấn Vụ Bản"),
    ],
)
def test_directory_search_ignores_diacritics_and_case(world, steering, query, expected):
    response = signed_in(steering).get(reverse("unit-list"), {"q": query})
    names = [u.name for u in response.context["page_obj"].object_list]
    assert expected in names
    assert expected in body(response)


def test_directory_search_stays_in_scope(world, reporter):
    client = signed_in(reporter)
    response = client.get(reverse("unit-list"), {"q": "an nghia"})
    assert listed(response) == []
    assert "Xã Ân Nghĩa" not in body(response)
    # The same search by someone who sees commune B finds it.
    other = UserFactory()
    GrantFactory(user=other, unit=world["commune_b"], role=Role.REPORTER)
    assert listed(signed_in(other).get(reverse("unit-list"), {"q": "an nghia"})) == [world["commune_b"].pk]


def test_directory_search_by_kind(world, steering):
    response = signed_in(steering).get(reverse("unit-list"), {"kind": UnitKind.HAMLET})
    assert listed(response) == [world["hamlet_a"].pk]


def test_directory_search_queries_do_not_grow_with_results(tree, steering):
    client = signed_in(steering)
    for i in range(2):
        UnitFactory(name=f"Thôn Ít {i}", kind=UnitKind.HAMLET, parent=tree["commune_a"])
    for i in range(30):
        UnitFactory(name=f"Thôn Nhiều {i}", kind=UnitKind.HAMLET, parent=tree["commune_c"])
    counts = []
    for q in ("thon it", "thon nhieu"):
        client.get(reverse("unit-list"), {"q": q})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("unit-list"), {"q": q})
        counts.append(len(ctx.captured_queries))
    assert len(response.context["page_obj"].object_list) == 30
    assert "Xã Bình Sơn" in body(response)  # each row names its parent
    assert counts[0] == counts[1]


def test_directory_needs_login(world, client):
    response = client.get(reverse("unit-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Detail ------------------------------------------------------------------------------


def test_detail_tabs_with_counts(world, reviewer):
    x = world["district_x"]
    for i in range(3):
        UnitFactory(name=f"Doanh nghiệp {i}", kind=UnitKind.ENTERPRISE, parent=x, tax_code=f"540000000{i}")
    response = signed_in(reviewer).get(reverse("unit-detail", args=[x.pk]))
    assert response.status_code == 200
    tabs = {t["key"]: t["count"] for t in response.context["tab_rows"]}
    assert tabs == {
        "admin": Unit.objects.filter(parent=x, kind=UnitKind.COMMUNE).count(),
        "agency": Unit.objects.filter(parent=x).exclude(kind__in=[UnitKind.COMMUNE, UnitKind.HAMLET]).count(),
    }
    assert tabs == {"admin": 2, "agency": 4}
    # The first tab is open: the communes, each with its own counts.
    assert response.context["tab"] == "admin"
    rows = {u.pk: u.counts for u in response.context["page_obj"].object_list}
    assert rows == {
        world["commune_a"].pk: {"communes": 0, "agencies": 1, "hamlets": 1},
        world["commune_b"].pk: {"communes": 0, "agencies": 0, "hamlets": 0},
    }
    page = body(response)
    assert "Thị trấn Vụ Bản" in page
    assert "Xã Ân Nghĩa" in page
    assert "?tab=agency" in page
    # The agency tab lists the agencies only.
    response = signed_in(reviewer).get(reverse("unit-detail", args=[x.pk]), {"tab": "agency"})
    assert len(response.context["page_obj"].object_list) == 4
    assert {u.kind for u in response.context["page_obj"].object_list} <= {
        UnitKind.STATE_AGENCY,
        UnitKind.ENTERPRISE,
    }


def test_detail_shows_lineage(world, steering):
    old = world["commune_a"]
    new = UnitFactory(name="Xã Lạc Sơn Mới", kind=UnitKind.COMMUNE, parent=world["province"])
    part = UnitFactory(name="Xã Nhận Một Phần", kind=UnitKind.COMMUNE, parent=world["province"])
    UnitLineage.objects.create(
        predecessor=old, successor=new, effective_date=dt.date(2025, 7, 1), legal_basis="Nghị quyết thử"
    )
    UnitLineage.objects.create(predecessor=old, successor=part, effective_date=dt.date(2025, 7, 1), is_primary=False)
    client = signed_in(steering)
    page = body(client.get(reverse("unit-detail", args=[old.pk])))
    assert "Sáp nhập vào:" in page
    assert "Xã Lạc Sơn Mới" in page
    assert "Xã Nhận Một Phần</a> (một phần)" in page
    assert "01/07/2025" in page
    page = body(client.get(reverse("unit-detail", args=[new.pk])))
    assert "Hình thành từ:" in page
    assert f'href="{reverse("unit-detail", args=[old.pk])}"' in page
    assert "Nghị quyết thử" in page


def test_detail_of_an_agency(world, reviewer):
    page = body(signed_in(reviewer).get(reverse("unit-detail", args=[world["agency_x"].pk])))
    assert "Số cán bộ, người lao động</dt>" in page
    assert ">12</dd>" in page
    assert "không bắt buộc lập Ban Thanh tra nhân dân" not in page
    assert reverse("unit-edit", args=[world["agency_x"].pk]) in page


def test_detail_of_a_small_agency_shows_the_notice(world, reporter):
    response = signed_in(reporter).get(reverse("unit-detail", args=[world["agency_a"].pk]))
    page = body(response)
    assert "Cơ quan có từ 7 người trở xuống: không bắt buộc lập Ban Thanh tra nhân dân." in page
    assert "Công đoàn" in page
    # A reporter sees it but may not edit it.
    assert reverse("unit-edit", args=[world["agency_a"].pk]) not in page
    assert response.context["can_edit"] is False


def test_detail_breadcrumb_links_only_visible_ancestors(world, reporter):
    page = body(signed_in(reporter).get(reverse("unit-detail", args=[world["hamlet_a"].pk])))
    assert f'href="{reverse("unit-detail", args=[world["commune_a"].pk])}"' in page
    assert f'href="{reverse("unit-detail", args=[world["district_x"].pk])}"' not in page


def test_detail_out_of_scope_is_404(world, reporter, reviewer):
    assert signed_in(reporter).get(reverse("unit-detail", args=[world["commune_b"].pk])).status_code == 404
    assert signed_in(reviewer).get(reverse("unit-detail", args=[world["agency_y"].pk])).status_code == 404
    assert signed_in(reviewer).get(reverse("unit-detail", args=[10**8])).status_code == 404


def _detail_queries(user, unit):
    client = signed_in(user)
    client.get(reverse("unit-detail", args=[unit.pk]))  # warm up session and caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("unit-detail", args=[unit.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("kind", [UnitKind.HAMLET, UnitKind.PUBLIC_SERVICE])
def test_detail_queries_do_not_grow_with_children(tree, kind):
    small = UnitFactory(name="Xã Ít", kind=UnitKind.COMMUNE, parent=tree["district_x"])
    big = UnitFactory(name="Xã Nhiều", kind=UnitKind.COMMUNE, parent=tree["district_x"])
    for i in range(2):
        UnitFactory(name=f"Con {i}", kind=kind, parent=small, staff_count=10)
    for i in range(30):
        child = UnitFactory(name=f"Con {i}", kind=kind, parent=big, staff_count=10)
        if kind == UnitKind.HAMLET:
            UnitFactory(name=f"Cơ quan {i}", kind=UnitKind.OTHER_ORG, parent=child, staff_count=3)
    user = UserFactory()
    GrantFactory(user=user, unit=tree["district_x"], role=Role.REVIEWER)
    n_small, _response = _detail_queries(user, small)
    n_big, response = _detail_queries(user, big)
    assert len(response.context["page_obj"].object_list) == 30
    assert n_big == n_small


def test_detail_counts_match_an_independent_query(tree, steering):
    x = tree["district_x"]
    for commune, n in ((tree["commune_a"], 4), (tree["commune_b"], 1)):
        for i in range(n):
            hamlet = UnitFactory(name=f"Thôn {i}", kind=UnitKind.HAMLET, parent=commune)
            UnitFactory(name=f"Hợp tác xã {i}", kind=UnitKind.OTHER_ORG, parent=hamlet)
    response = signed_in(steering).get(reverse("unit-detail", args=[tree["province"].pk]))
    rows = {u.pk: u.counts for u in response.context["page_obj"].object_list}
    for district in (x, tree["district_y"]):
        sub = Unit.objects.filter(path__startswith=district.path).exclude(pk=district.pk)
        assert rows[district.pk] == {
            "communes": sub.filter(kind=UnitKind.COMMUNE).count(),
            "agencies": sub.filter(kind=UnitKind.OTHER_ORG).count(),
            "hamlets": sub.filter(kind=UnitKind.HAMLET).count(),
        }
    assert rows[x.pk] == {"communes": 2, "agencies": 5, "hamlets": 5}


# --- Agencies ----------------------------------------------------------------------------


def agency_data(parent, **extra):
    data = {
        "name": "Trạm Y tế Vụ Bản",
        "kind": UnitKind.PUBLIC_SERVICE,
        "parent": parent.pk,
        "staff_count": "9",
        "tax_code": "",
        "valid_from": "",
        "valid_to": "",
    }
    data.update(extra)
    return data


def test_agency_create_get(world, reviewer):
    response = signed_in(reviewer).get(reverse("agency-create"), {"parent": world["commune_a"].pk})
    assert response.status_code == 200
    assert response.context["parent"] == world["commune_a"]
    assert "Thêm cơ quan, đơn vị, doanh nghiệp" in body(response)


def test_agency_create_get_with_parent_out_of_scope(world, reviewer, reporter):
    assert signed_in(reviewer).get(reverse("agency-create"), {"parent": world["commune_c"].pk}).status_code == 404
    assert signed_in(reporter).get(reverse("agency-create")).status_code == 403


def test_agency_create_valid(world, reviewer):
    parent = world["commune_a"]
    response = signed_in(reviewer).post(
        reverse("agency-create"), agency_data(parent, has_union="on", valid_from="05/06/2025")
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Trạm Y tế Vụ Bản")
    assert response.url == reverse("unit-detail", args=[unit.pk])
    assert unit.code_list == CodeList.LOCAL
    assert unit.code == f"CQ-{parent.code}-001"
    assert unit.parent == parent
    assert unit.path == f"{parent.path}{unit.pk}/"
    assert unit.kind == UnitKind.PUBLIC_SERVICE
    assert unit.staff_count == 9
    assert unit.has_union is True
    assert unit.valid_from == dt.date(2025, 6, 5)  # day first


def test_agency_codes_are_numbered_per_parent(world, reviewer):
    client = signed_in(reviewer)
    parent = world["commune_b"]
    client.post(reverse("agency-create"), agency_data(parent, name="Cơ quan một"))
    client.post(reverse("agency-create"), agency_data(parent, name="Cơ quan hai"))
    codes = set(Unit.objects.filter(parent=parent).values_list("code", flat=True))
    assert codes == {f"CQ-{parent.code}-001", f"CQ-{parent.code}-002"}


def _refused(client, url, data, message, field=None):
    before = Unit.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in body(response)
    if field:
        assert message in " ".join(response.context["form"].errors[field])
    assert Unit.objects.count() == before
    return response


def test_agency_create_invalid(world, reviewer):
    _refused(
        signed_in(reviewer),
        reverse("agency-create"),
        agency_data(world["commune_a"], name="", staff_count=""),
        "Trường này là bắt buộc.",
        field="name",
    )


def test_agency_enterprise_needs_a_tax_code(world, reviewer):
    data = agency_data(world["commune_a"], kind=UnitKind.ENTERPRISE, name="Công ty TNHH Thử")
    _refused(signed_in(reviewer), reverse("agency-create"), data, "Doanh nghiệp phải có mã số thuế.", "tax_code")


@pytest.mark.parametrize("tax_code", ["54001234", "54001234567", "5400123456-12", "54O0123456"])
def test_agency_bad_tax_code(world, reviewer, tax_code):
    data = agency_data(world["commune_a"], kind=UnitKind.SOE, name="Công ty Thử", tax_code=tax_code)
    _refused(signed_in(reviewer), reverse("agency-create"), data, "Mã số thuế gồm 10 chữ số", "tax_code")


@pytest.mark.parametrize("tax_code", ["5400123456", "5400123456-001"])
def test_agency_good_tax_code(world, reviewer, tax_code):
    data = agency_data(world["commune_a"], kind=UnitKind.SOE, name="Công ty Thử", tax_code=f" {tax_code} ")
    assert signed_in(reviewer).post(reverse("agency-create"), data).status_code == 302
    assert Unit.objects.get(name="Công ty Thử").tax_code == tax_code


def test_agency_valid_to_before_valid_from(world, reviewer):
    data = agency_data(world["commune_a"], valid_from="10/06/2025", valid_to="09/06/2025")
    _refused(signed_in(reviewer), reverse("agency-create"), data, "Ngày kết thúc phải sau ngày bắt đầu.", "valid_to")


def test_agency_dates_are_day_first(world, reviewer):
    data = agency_data(world["commune_a"], valid_from="02/03/2025", valid_to="01/12/2025")
    assert signed_in(reviewer).post(reverse("agency-create"), data).status_code == 302
    unit = Unit.objects.get(name="Trạm Y tế Vụ Bản")
    assert (unit.valid_from, unit.valid_to) == (dt.date(2025, 3, 2), dt.date(2025, 12, 1))
    # "13/02/2025" only parses day first; a month-first reading would refuse it.
    data = agency_data(world["commune_a"], name="Cơ quan khác", valid_from="13/02/2025")
    assert signed_in(reviewer).post(reverse("agency-create"), data).status_code == 302
    assert Unit.objects.get(name="Cơ quan khác").valid_from == dt.date(2025, 2, 13)


def test_agency_duplicate_name_under_the_same_parent(world, reviewer):
    data = agency_data(world["commune_a"], name="  trường mầm NON   vụ bản ")
    _refused(signed_in(reviewer), reverse("agency-create"), data, "Đơn vị quản lý này đã có cơ quan cùng tên.", "name")
    # The same name under another parent is fine.
    data = agency_data(world["commune_b"], name="Trường Mầm non Vụ Bản")
    assert signed_in(reviewer).post(reverse("agency-create"), data).status_code == 302


def test_agency_parent_out_of_scope_is_refused(world, reviewer):
    data = agency_data(world["commune_c"])
    _refused(
        signed_in(reviewer), reverse("agency-create"), data, "Hãy chọn một đơn vị trong phạm vi của bạn.", "parent"
    )


def test_agency_parent_must_be_administrative(world, reviewer):
    data = agency_data(world["agency_x"])
    _refused(
        signed_in(reviewer), reverse("agency-create"), data, "Hãy chọn một đơn vị trong phạm vi của bạn.", "parent"
    )


# --- Hamlets -----------------------------------------------------------------------------


def hamlet_data(parent, **extra):
    data = {"name": "Xóm Mới", "official_type": "thon", "parent": parent.pk, "valid_from": "", "valid_to": ""}
    data.update(extra)
    return data


def test_hamlet_create(world, reviewer):
    parent = world["commune_b"]
    response = signed_in(reviewer).post(reverse("hamlet-create"), hamlet_data(parent))
    assert response.status_code == 302
    hamlet = Unit.objects.get(name="Xóm Mới")
    assert hamlet.kind == UnitKind.HAMLET
    assert hamlet.official_type == "thon"
    assert hamlet.code == f"TH-{parent.code}-001"
    assert hamlet.parent == parent


@pytest.mark.parametrize("parent_key", ["district_x", "agency_x", "hamlet_a"])
def test_hamlet_parent_must_be_a_commune(world, reviewer, parent_key):
    _refused(
        signed_in(reviewer),
        reverse("hamlet-create"),
        hamlet_data(world[parent_key]),
        "Hãy chọn một đơn vị trong phạm vi của bạn.",
        "parent",
    )


def test_hamlet_duplicate_name(world, reviewer):
    data = hamlet_data(world["commune_a"], name="tổ dân phố liên vụ", official_type="to_dan_pho")
    _refused(signed_in(reviewer), reverse("hamlet-create"), data, "Xã này đã có thôn, tổ dân phố cùng tên.", "name")


def test_hamlet_create_by_reporter_is_403(world, reporter):
    client = signed_in(reporter)
    assert client.get(reverse("hamlet-create")).status_code == 403
    assert client.post(reverse("hamlet-create"), hamlet_data(world["commune_a"])).status_code == 403
    assert not Unit.objects.filter(name="Xóm Mới").exists()


# --- Edit --------------------------------------------------------------------------------


def test_reviewer_edits_an_agency_in_their_district(world, reviewer):
    agency = world["agency_a"]
    client = signed_in(reviewer)
    response = client.get(reverse("unit-edit", args=[agency.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial["name"] == "Trường Mầm non Vụ Bản"
    data = agency_data(agency.parent, name="Trường Mầm non Vụ Bản mới", staff_count="6", kind=agency.kind)
    response = client.post(reverse("unit-edit", args=[agency.pk]), data)
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.name == "Trường Mầm non Vụ Bản mới"
    assert agency.name_key == "truong mam non vu ban moi"
    assert agency.staff_count == 6
    assert agency.code.startswith("T")  # the code does not change


def test_edit_keeps_its_own_name(world, reviewer):
    agency = world["agency_a"]
    data = agency_data(agency.parent, name=agency.name, staff_count="7", kind=agency.kind)
    assert signed_in(reviewer).post(reverse("unit-edit", args=[agency.pk]), data).status_code == 302
    agency.refresh_from_db()
    assert agency.staff_count == 7


def test_edit_moves_an_agency_and_its_path(world, reviewer):
    agency = world["agency_a"]
    data = agency_data(world["commune_b"], name=agency.name, kind=agency.kind)
    assert signed_in(reviewer).post(reverse("unit-edit", args=[agency.pk]), data).status_code == 302
    agency.refresh_from_db()
    assert agency.parent == world["commune_b"]
    assert agency.path == f"{world['commune_b'].path}{agency.pk}/"


def test_edit_hamlet(world, reviewer):
    hamlet = world["hamlet_a"]
    data = hamlet_data(hamlet.parent, name="Tổ dân phố 2", official_type="to_dan_pho")
    assert signed_in(reviewer).post(reverse("unit-edit", args=[hamlet.pk]), data).status_code == 302
    hamlet.refresh_from_db()
    assert hamlet.name == "Tổ dân phố 2"


def test_reporter_cannot_edit(world, reporter):
    agency = world["agency_a"]
    client = signed_in(reporter)
    assert client.get(reverse("unit-edit", args=[agency.pk])).status_code == 403
    data = agency_data(agency.parent, name="Đổi tên", kind=agency.kind)
    assert client.post(reverse("unit-edit", args=[agency.pk]), data).status_code == 403
    agency.refresh_from_db()
    assert agency.name == "Trường Mầm non Vụ Bản"


def test_edit_out_of_scope_is_404(world, reviewer):
    agency = world["agency_y"]
    data = agency_data(agency.parent, name="Đổi tên", kind=agency.kind)
    assert signed_in(reviewer).post(reverse("unit-edit", args=[agency.pk]), data).status_code == 404
    agency.refresh_from_db()
    assert agency.name == "Phòng Tư pháp Kim Bôi"


@pytest.mark.parametrize("key", ["province", "district_x", "commune_a"])
def test_administrative_units_cannot_be_edited(world, steering, key):
    admin = UserFactory(is_superuser=True)
    for user in (steering, admin):
        assert signed_in(user).get(reverse("unit-edit", args=[world[key].pk])).status_code == 404


# --- Picker ------------------------------------------------------------------------------


def picked(response):
    return [u.pk for u in response.context["results"]]


def test_picker_matches_without_diacritics_in_scope(world, reviewer):
    client = signed_in(reviewer)
    response = client.get(reverse("unit-picker"), {"q": "vu ban"})
    assert response.status_code == 200
    assert world["commune_a"].pk in picked(response)
    assert world["agency_a"].pk in picked(response)
    assert 'data-label="Thị trấn Vụ Bản' in body(response)
    assert picked(client.get(reverse("unit-picker"), {"q": "binh son"})) == []
    assert picked(client.get(reverse("unit-picker"), {"q": "kim boi"})) == []
    assert "Không tìm thấy đơn vị nào trong phạm vi của bạn." in body(client.get(reverse("unit-picker"), {"q": "zzz"}))


def test_picker_by_code(world, reviewer):
    response = signed_in(reviewer).get(reverse("unit-picker"), {"q": world["commune_b"].code})
    assert picked(response) == [world["commune_b"].pk]


def test_picker_purposes(world, reviewer, reporter):
    client = signed_in(reviewer)
    hamlet_parents = picked(client.get(reverse("unit-picker"), {"purpose": "hamlet-parent"}))
    assert set(hamlet_parents) == {world["commune_a"].pk, world["commune_b"].pk}
    agency_parents = picked(client.get(reverse("unit-picker"), {"purpose": "agency-parent"}))
    assert set(agency_parents) == {world["district_x"].pk, world["commune_a"].pk, world["commune_b"].pk}
    # A reviewer manages no account, a reporter no unit: nothing to pick.
    assert picked(client.get(reverse("unit-picker"), {"purpose": "grant"})) == []
    assert picked(signed_in(reporter).get(reverse("unit-picker"), {"purpose": "hamlet-parent"})) == []
    assert client.get(reverse("unit-picker"), {"purpose": "everything"}).status_code == 404


# --- Accounts ----------------------------------------------------------------------------


def account_data(unit, **extra):
    data = {
        "username": "can.bo.moi",
        "first_name": "Nguyễn Văn Mới",
        "email": "can.bo.moi@example.vn",
        "password1": "Hoa-Binh-2025-an-toan",
        "password2": "Hoa-Binh-2025-an-toan",
        "unit": unit.pk,
        "role": Role.REPORTER,
    }
    data.update(extra)
    return data


def test_account_create(world, steering):
    response = signed_in(steering).post(
        reverse("account-create"), account_data(world["commune_b"], email="Can.Bo.Moi@Example.VN")
    )
    assert response.status_code == 302
    account = User.objects.get(username="can.bo.moi")
    assert response.url == reverse("account-detail", args=[account.pk])
    assert account.first_name == "Nguyễn Văn Mới"
    assert account.email == "can.bo.moi@example.vn"
    assert account.password != "Hoa-Binh-2025-an-toan"
    assert account.check_password("Hoa-Binh-2025-an-toan")
    grant = Grant.objects.get(user=account)
    assert (grant.unit, grant.role, grant.granted_by) == (world["commune_b"], Role.REPORTER, steering)


def _account_refused(client, data, message, field=None):
    users = User.objects.count()
    response = client.post(reverse("account-create"), data)
    assert response.status_code == 200
    assert message in body(response)
    if field:
        assert message in " ".join(response.context["form"].errors[field])
    assert User.objects.count() == users
    assert not User.objects.filter(username=data["username"]).exists()
    return response


def test_account_create_mismatched_passwords(world, steering):
    data = account_data(world["commune_b"], password2="Hoa-Binh-2025-khac")
    _account_refused(signed_in(steering), data, "Hai mật khẩu không khớp.", "password2")


def test_account_create_duplicate_email(world, steering, reporter):
    data = account_data(world["commune_b"], email=reporter.email.upper())
    _account_refused(signed_in(steering), data, "Thư điện tử này đã được dùng cho một tài khoản khác.", "email")


@pytest.mark.parametrize("password", ["12345678", "password123", "can.bo.moi1"])
def test_account_create_weak_password(world, steering, password):
    data = account_data(world["commune_b"], password1=password, password2=password)
    response = _account_refused(signed_in(steering), data, "", "password1")
    assert response.context["form"].errors["password1"]


def test_account_create_unit_out_of_scope(world, steering):
    data = account_data(world["commune_2"])
    _account_refused(signed_in(steering), data, "Hãy chọn một đơn vị trong phạm vi của bạn.", "unit")


def test_steering_cannot_grant_admin(world, steering):
    client = signed_in(steering)
    response = client.get(reverse("account-create"))
    roles = [value for value, _label in response.context["form"].fields["role"].choices]
    assert Role.ADMIN not in roles
    assert Role.STEERING in roles
    data = account_data(world["commune_b"], role=Role.ADMIN)
    _account_refused(client, data, "Hãy chọn một lựa chọn hợp lệ.", "role")
    assert not Grant.objects.filter(role=Role.ADMIN).exists()


def test_superuser_can_grant_admin(world):
    admin = UserFactory(is_superuser=True)
    response = signed_in(admin).post(reverse("account-create"), account_data(world["commune_2"], role=Role.ADMIN))
    assert response.status_code == 302
    assert Grant.objects.filter(user__username="can.bo.moi", role=Role.ADMIN).exists()


def test_account_pages_need_manage_accounts(world, reviewer):
    client = signed_in(reviewer)
    assert client.get(reverse("account-create")).status_code == 403
    assert client.get(reverse("account-list")).status_code == 403


def test_account_list_only_in_scope(world, steering, reporter):
    outsider = UserFactory(username="ngoai.tinh")
    GrantFactory(user=outsider, unit=world["commune_2"], role=Role.REPORTER)
    response = signed_in(steering).get(reverse("account-list"))
    names = {u.username for u in response.context["page_obj"].object_list}
    assert reporter.username in names
    assert "ngoai.tinh" not in names
    assert signed_in(steering).get(reverse("account-detail", args=[outsider.pk])).status_code == 404


def test_account_detail_adds_a_second_grant(world, steering, reporter):
    client = signed_in(steering)
    url = reverse("account-detail", args=[reporter.pk])
    response = client.post(url, {"unit": world["commune_c"].pk, "role": Role.REPORTER})
    assert response.status_code == 302
    assert set(Grant.objects.filter(user=reporter).values_list("unit_id", flat=True)) == {
        world["commune_a"].pk,
        world["commune_c"].pk,
    }
    assert Grant.objects.get(user=reporter, unit=world["commune_c"]).granted_by == steering
    # The account now sees the cluster.
    page = body(signed_in(reporter).get(reverse("unit-list")))
    assert "Thị trấn Vụ Bản" in page
    assert "Xã Bình Sơn" in page


def test_account_detail_duplicate_grant(world, steering, reporter):
    url = reverse("account-detail", args=[reporter.pk])
    response = signed_in(steering).post(url, {"unit": world["commune_a"].pk, "role": Role.REPORTER})
    assert response.status_code == 200
    assert "Tài khoản đã có vai trò này trên đơn vị này." in body(response)
    assert Grant.objects.filter(user=reporter).count() == 1


def test_grant_revoke(world, steering, reporter):
    extra = GrantFactory(user=reporter, unit=world["commune_c"], role=Role.REPORTER, granted_by=steering)
    client = signed_in(steering)
    url = reverse("grant-revoke", args=[extra.pk])
    assert client.get(url).status_code == 405
    assert Grant.objects.filter(pk=extra.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("account-detail", args=[reporter.pk])
    assert not Grant.objects.filter(pk=extra.pk).exists()
    assert Grant.objects.filter(user=reporter).count() == 1


def test_grant_revoke_last_grant_goes_back_to_the_list(world, steering, reporter):
    grant = Grant.objects.get(user=reporter)
    response = signed_in(steering).post(reverse("grant-revoke", args=[grant.pk]))
    assert response.status_code == 302
    assert response.url == reverse("account-list")
    assert not Grant.objects.filter(user=reporter).exists()


def test_grant_revoke_out_of_scope_and_not_allowed(world, steering, reviewer):
    outside = GrantFactory(unit=world["commune_2"], role=Role.REPORTER)
    assert signed_in(steering).post(reverse("grant-revoke", args=[outside.pk])).status_code == 404
    own = Grant.objects.get(user=reviewer)
    assert signed_in(reviewer).post(reverse("grant-revoke", args=[own.pk])).status_code == 403
    assert Grant.objects.filter(pk__in=[outside.pk, own.pk]).count() == 2


def test_account_toggle_ends_sessions(world, steering, reporter):
    target = Client()
    target.force_login(reporter)
    assert target.get(reverse("home")).status_code == 200
    assert Session.objects.count() == 1
    client = signed_in(steering)
    url = reverse("account-toggle", args=[reporter.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.is_active is False
    # Only the steering user's own session is left.
    sessions = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(reporter.pk) not in sessions
    assert str(steering.pk) in sessions
    response = target.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    # Toggling again reactivates.
    assert client.post(url).status_code == 302
    reporter.refresh_from_db()
    assert reporter.is_active is True


def test_account_toggle_refused_when_a_grant_lies_elsewhere(world, steering):
    straddling = UserFactory()
    GrantFactory(user=straddling, unit=world["commune_c"], role=Role.REPORTER)
    GrantFactory(user=straddling, unit=world["commune_2"], role=Role.REPORTER)
    client = signed_in(steering)
    page = client.get(reverse("account-detail", args=[straddling.pk]))
    assert page.status_code == 200
    assert page.context["can_toggle"] is False
    assert client.post(reverse("account-toggle", args=[straddling.pk])).status_code == 403
    straddling.refresh_from_db()
    assert straddling.is_active is True


def test_nobody_deactivates_themselves(world, steering):
    assert signed_in(steering).post(reverse("account-toggle", args=[steering.pk])).status_code == 403
    steering.refresh_from_db()
    assert steering.is_active
    admin = UserFactory(is_superuser=True)
    client = signed_in(admin)
    assert client.get(reverse("account-detail", args=[admin.pk])).context["can_toggle"] is False
    assert client.post(reverse("account-toggle", args=[admin.pk])).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active
