"""/api/v1/ for units, agencies, hamlets and grants."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import CodeList, Grant, Role, Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    t = dict(tree)
    t["agency_a"] = UnitFactory(
        name="Trường Mầm non Vụ Bản", kind=UnitKind.PUBLIC_SERVICE, parent=t["commune_a"], staff_count=5
    )
    t["agency_y"] = UnitFactory(
        name="Phòng Tư pháp Kim Bôi", kind=UnitKind.STATE_AGENCY, parent=t["district_y"], staff_count=9
    )
    t["hamlet_a"] = UnitFactory(name="Tổ dân phố Liên Vụ", kind=UnitKind.HAMLET, parent=t["commune_a"])
    t["old_commune"] = UnitFactory(
        name="Xã Đã Sáp Nhập",
        kind=UnitKind.COMMUNE,
        parent=t["district_y"],
        valid_to=dt.date(2025, 6, 30),
    )
    t["new_commune"] = UnitFactory(
        name="Xã Mới Lập", kind=UnitKind.COMMUNE, parent=t["district_y"], valid_from=dt.date(2025, 7, 1)
    )
    t["province_2"] = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    t["commune_2"] = UnitFactory(name="Xã Ngoài Tỉnh", kind=UnitKind.COMMUNE, parent=t["province_2"])
    return t


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def pks(response):
    return {row["id"] for row in results(response)}


# --- /api/v1/units/ ----------------------------------------------------------------------


def test_units_list_is_scoped(world, reporter, steering):
    assert pks(api(reporter).get("/api/v1/units/")) == {
        world["commune_a"].pk,
        world["agency_a"].pk,
        world["hamlet_a"].pk,
    }
    province = pks(api(steering).get("/api/v1/units/"))
    assert province == set(Unit.objects.filter(path__startswith=world["province"].path).values_list("pk", flat=True))
    assert world["commune_2"].pk not in province


def test_units_detail_out_of_scope_is_404(world, reporter):
    client = api(reporter)
    assert client.get(f"/api/v1/units/{world['commune_a'].pk}/").status_code == 200
    assert client.get(f"/api/v1/units/{world['commune_b'].pk}/").status_code == 404
    assert client.get(f"/api/v1/units/{world['province'].pk}/").status_code == 404


def test_units_detail_fields(world, reporter):
    data = api(reporter).get(f"/api/v1/units/{world['agency_a'].pk}/").json()
    assert data["name"] == "Trường Mầm non Vụ Bản"
    assert data["kind"] == UnitKind.PUBLIC_SERVICE
    assert data["parent"] == world["commune_a"].pk
    assert data["staff_count"] == 5
    assert data["depth"] == 3


def test_units_filter_by_kind(world, steering):
    client = api(steering)
    communes = pks(client.get("/api/v1/units/", {"kind": "commune"}))
    assert communes == set(
        Unit.objects.filter(path__startswith=world["province"].path, kind=UnitKind.COMMUNE).values_list("pk", flat=True)
    )
    both = pks(client.get("/api/v1/units/?kind=hamlet&kind=state_agency"))
    assert both == {world["hamlet_a"].pk, world["agency_y"].pk}
    assert client.get("/api/v1/units/", {"kind": "planet"}).status_code == 400


def test_units_filter_by_parent_and_code(world, steering):
    client = api(steering)
    children = pks(client.get("/api/v1/units/", {"parent": world["district_x"].pk}))
    assert children == {world["commune_a"].pk, world["commune_b"].pk}
    assert pks(client.get("/api/v1/units/", {"code": world["commune_c"].code})) == {world["commune_c"].pk}
    # Filters never widen the scope.
    assert pks(client.get("/api/v1/units/", {"parent": world["province_2"].pk})) == set()
    assert pks(client.get("/api/v1/units/", {"code": world["commune_2"].code})) == set()


@pytest.mark.parametrize(
    ("search", "key"), [("vu ban", "commune_a"), ("VỤ BẢN", "commune_a"), ("an nghia", "commune_b")]
)
def test_units_search_without_diacritics(world, steering, search, key):
    found = pks(api(steering).get("/api/v1/units/", {"search": search, "kind": "commune"}))
    assert found == {world[key].pk}


def test_units_search_stays_in_scope(world, reporter):
    assert pks(api(reporter).get("/api/v1/units/", {"search": "an nghia"})) == set()
    assert pks(api(reporter).get("/api/v1/units/", {"search": "ngoai tinh"})) == set()


def test_units_filter_valid_on(world, steering):
    client = api(steering)
    before = pks(client.get("/api/v1/units/", {"valid_on": "2025-06-30", "parent": world["district_y"].pk}))
    after = pks(client.get("/api/v1/units/", {"valid_on": "2025-07-01", "parent": world["district_y"].pk}))
    assert world["old_commune"].pk in before
    assert world["new_commune"].pk not in before
    assert world["old_commune"].pk not in after
    assert world["new_commune"].pk in after
    assert world["commune_c"].pk in before & after  # no dates: valid on any day
    assert client.get("/api/v1/units/", {"valid_on": "30/06/2025x"}).status_code == 400


def test_api_needs_authentication(world):
    client = APIClient()
    assert client.get("/api/v1/units/").status_code in (401, 403)
    assert client.post("/api/v1/agencies/", {}, format="json").status_code in (401, 403)
    assert not Unit.objects.filter(code_list=CodeList.LOCAL, code__startswith="CQ-").exists()


# --- /api/v1/agencies/ -------------------------------------------------------------------


def agency(parent, **extra):
    data = {"name": "Trạm Y tế Vụ Bản", "kind": "public_service", "parent": parent.pk, "staff_count": 9}
    data.update(extra)
    return data


def test_agency_create(world, reviewer):
    parent = world["commune_a"]
    response = api(reviewer).post(
        "/api/v1/agencies/", agency(parent, has_union=True, valid_from="2025-03-02"), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    unit = Unit.objects.get(pk=data["id"])
    assert data["code"] == unit.code == f"CQ-{parent.code}-001"
    assert data["code_list"] == CodeList.LOCAL
    assert unit.parent == parent
    assert unit.path == f"{parent.path}{unit.pk}/"
    assert unit.has_union is True
    assert unit.valid_from == dt.date(2025, 3, 2)
    assert data["valid_from"] == "2025-03-02"


def test_agency_create_enterprise(world, reviewer):
    data = agency(world["commune_a"], kind="enterprise", name="Công ty TNHH Thử", tax_code="5400123456-001")
    response = api(reviewer).post("/api/v1/agencies/", data, format="json")
    assert response.status_code == 201, response.content
    assert Unit.objects.get(name="Công ty TNHH Thử").tax_code == "5400123456-001"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"kind": "enterprise", "tax_code": ""}, "tax_code", "Doanh nghiệp phải có mã số thuế."),
        ({"kind": "soe", "tax_code": "12345"}, "tax_code", "Mã số thuế gồm 10 chữ số"),
        ({"valid_from": "2025-06-10", "valid_to": "2025-06-09"}, "valid_to", "Ngày kết thúc phải sau ngày bắt đầu."),
        ({"name": "trường mầm non vụ bản"}, "name", "Đơn vị quản lý này đã có cơ quan cùng tên."),
    ],
)
def test_agency_create_invalid(world, reviewer, extra, field, message):
    before = Unit.objects.count()
    response = api(reviewer).post("/api/v1/agencies/", agency(world["commune_a"], **extra), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert any(message in m for m in errors[field]), errors
    assert Unit.objects.count() == before


def test_agency_create_missing_fields(world, reviewer):
    before = Unit.objects.count()
    response = api(reviewer).post("/api/v1/agencies/", {"name": "Thiếu"}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert {"parent", "kind", "staff_count"} <= set(errors)
    assert Unit.objects.count() == before


def test_agency_create_parent_out_of_scope(world, reviewer):
    before = Unit.objects.count()
    response = api(reviewer).post("/api/v1/agencies/", agency(world["commune_c"]), format="json")
    assert response.status_code == 400
    assert response.json()["parent"] == ["Hãy chọn một đơn vị trong phạm vi của bạn."]
    assert Unit.objects.count() == before


def test_agency_create_by_reporter_is_403(world, reporter):
    before = Unit.objects.count()
    response = api(reporter).post("/api/v1/agencies/", agency(world["commune_a"]), format="json")
    assert response.status_code == 403
    assert Unit.objects.count() == before


def test_agency_patch_by_reviewer(world, reviewer):
    unit = world["agency_a"]
    response = api(reviewer).patch(f"/api/v1/agencies/{unit.pk}/", {"staff_count": 11}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["staff_count"] == 11
    unit.refresh_from_db()
    assert unit.staff_count == 11
    assert unit.name == "Trường Mầm non Vụ Bản"  # untouched fields keep their values
    assert unit.parent == world["commune_a"]


def test_agency_patch_validates(world, reviewer):
    unit = world["agency_a"]
    response = api(reviewer).patch(f"/api/v1/agencies/{unit.pk}/", {"kind": "soe"}, format="json")
    assert response.status_code == 400
    assert response.json()["tax_code"] == ["Doanh nghiệp phải có mã số thuế."]
    unit.refresh_from_db()
    assert unit.kind == UnitKind.PUBLIC_SERVICE


def test_agency_patch_by_reporter_is_403(world, reporter):
    unit = world["agency_a"]
    client = api(reporter)
    assert client.get(f"/api/v1/agencies/{unit.pk}/").status_code == 200
    response = client.patch(f"/api/v1/agencies/{unit.pk}/", {"staff_count": 50}, format="json")
    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.staff_count == 5


def test_agency_patch_out_of_scope_is_404(world, reviewer):
    unit = world["agency_y"]
    response = api(reviewer).patch(f"/api/v1/agencies/{unit.pk}/", {"staff_count": 50}, format="json")
    assert response.status_code == 404
    unit.refresh_from_db()
    assert unit.staff_count == 9


def test_agencies_list_only_agencies_in_scope(world, reviewer):
    assert pks(api(reviewer).get("/api/v1/agencies/")) == {world["agency_a"].pk}
    assert api(reviewer).get(f"/api/v1/agencies/{world['commune_a'].pk}/").status_code == 404


# --- /api/v1/hamlets/ --------------------------------------------------------------------


def test_hamlet_create(world, reviewer):
    parent = world["commune_b"]
    data = {"name": "Xóm Mới", "official_type": "thon", "parent": parent.pk}
    response = api(reviewer).post("/api/v1/hamlets/", data, format="json")
    assert response.status_code == 201, response.content
    hamlet = Unit.objects.get(pk=response.json()["id"])
    assert hamlet.kind == UnitKind.HAMLET
    assert hamlet.code == f"TH-{parent.code}-001"
    assert hamlet.parent == parent
    assert pks(api(reviewer).get("/api/v1/hamlets/")) == {world["hamlet_a"].pk, hamlet.pk}


def test_hamlet_create_under_a_district_is_refused(world, reviewer):
    before = Unit.objects.count()
    data = {"name": "Xóm Sai", "official_type": "thon", "parent": world["district_x"].pk}
    response = api(reviewer).post("/api/v1/hamlets/", data, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()
    assert Unit.objects.count() == before


# --- /api/v1/grants/ ---------------------------------------------------------------------


def test_grants_list_only_in_scope(world, steering, reporter, reviewer):
    outside = GrantFactory(unit=world["commune_2"], role=Role.REPORTER)
    listed = pks(api(steering).get("/api/v1/grants/"))
    assert listed == set(Grant.objects.filter(user__in=[steering, reporter, reviewer]).values_list("pk", flat=True))
    assert outside.pk not in listed
    assert api(steering).get(f"/api/v1/grants/{outside.pk}/").status_code == 404
    # A reviewer manages no account and lists nothing.
    assert pks(api(reviewer).get("/api/v1/grants/")) == set()


def test_grant_create(world, steering, reporter):
    data = {"user": reporter.pk, "unit": world["commune_c"].pk, "role": "reporter"}
    response = api(steering).post("/api/v1/grants/", data, format="json")
    assert response.status_code == 201, response.content
    grant = Grant.objects.get(pk=response.json()["id"])
    assert (grant.user, grant.unit, grant.role, grant.granted_by) == (
        reporter,
        world["commune_c"],
        "reporter",
        steering,
    )
    assert response.json()["unit_name"] == "Xã Bình Sơn"


def test_grant_create_duplicate(world, steering, reporter):
    data = {"user": reporter.pk, "unit": world["commune_a"].pk, "role": "reporter"}
    response = api(steering).post("/api/v1/grants/", data, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Tài khoản đã có vai trò này trên đơn vị này."]
    assert Grant.objects.filter(user=reporter).count() == 1


def test_grant_create_admin_by_steering_is_refused(world, steering, reporter):
    data = {"user": reporter.pk, "unit": world["commune_a"].pk, "role": "admin"}
    response = api(steering).post("/api/v1/grants/", data, format="json")
    assert response.status_code == 400
    assert "role" in response.json()
    assert not Grant.objects.filter(role=Role.ADMIN).exists()


def test_grant_create_unit_out_of_scope(world, steering, reporter):
    data = {"user": reporter.pk, "unit": world["commune_2"].pk, "role": "reporter"}
    response = api(steering).post("/api/v1/grants/", data, format="json")
    assert response.status_code == 400
    assert "unit" in response.json()
    assert Grant.objects.filter(user=reporter).count() == 1


def test_grant_create_for_an_account_out_of_scope(world, steering):
    # An account that only holds grants in another province is not the steering user's to manage:
    # it answers like an unknown account, and nothing is granted.
    outsider = UserFactory()
    GrantFactory(user=outsider, unit=world["commune_2"], role=Role.REPORTER)
    data = {"user": outsider.pk, "unit": world["commune_a"].pk, "role": "reporter"}
    response = api(steering).post("/api/v1/grants/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {"user": ["Không có tài khoản này."]}
    assert Grant.objects.filter(user=outsider).count() == 1
    unknown = {"user": 10**8, "unit": world["commune_a"].pk, "role": "reporter"}
    assert api(steering).post("/api/v1/grants/", unknown, format="json").json() == {"user": ["Không có tài khoản này."]}


def test_grant_create_by_reporter_is_403(world, reporter):
    data = {"user": reporter.pk, "unit": world["commune_a"].pk, "role": "steering"}
    response = api(reporter).post("/api/v1/grants/", data, format="json")
    assert response.status_code == 403
    assert Grant.objects.filter(user=reporter).count() == 1


def test_grant_delete(world, steering, reporter):
    grant = Grant.objects.get(user=reporter)
    response = api(steering).delete(f"/api/v1/grants/{grant.pk}/")
    assert response.status_code == 204
    assert not Grant.objects.filter(pk=grant.pk).exists()


def test_grant_delete_out_of_scope_is_404(world, steering, reporter):
    outside = GrantFactory(unit=world["commune_2"], role=Role.REPORTER)
    assert api(steering).delete(f"/api/v1/grants/{outside.pk}/").status_code == 404
    assert Grant.objects.filter(pk=outside.pk).exists()
    own = Grant.objects.get(user=reporter)
    assert api(reporter).delete(f"/api/v1/grants/{own.pk}/").status_code == 404
    assert Grant.objects.filter(pk=own.pk).exists()


# --- Token authentication and schema -----------------------------------------------------


def test_token_auth(world, reviewer):
    token = Token.objects.create(user=reviewer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/units/")
    assert pks(response) == set(
        Unit.objects.filter(path__startswith=world["district_x"].path).values_list("pk", flat=True)
    )
    response = client.post("/api/v1/agencies/", agency(world["commune_b"]), format="json")
    assert response.status_code == 201
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert bad.get("/api/v1/units/").status_code in (401, 403)


def test_token_of_an_inactive_user_is_refused(world, reviewer):
    token = Token.objects.create(user=reviewer)
    reviewer.is_active = False
    reviewer.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/units/").status_code in (401, 403)


def test_schema_lists_the_unit_routes(world, reporter):
    response = api(reporter).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/units/", "/api/v1/agencies/", "/api/v1/hamlets/", "/api/v1/grants/"):
        assert path in paths, path
    assert "post" in paths["/api/v1/agencies/"]
    assert "delete" in paths["/api/v1/grants/{id}/"]
