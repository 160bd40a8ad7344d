"""A district reviewer adds an agency on a phone, choosing its managing unit with the picker."""

import pytest

from tests.browser.conftest import fits_width, shot, sign_in
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import Unit, UnitKind

PASSWORD = "mat-khau-thu-1"


@pytest.fixture
def district(transactional_db):
    province = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    lac_son = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, parent=province)
    UnitFactory(name="Thị trấn Vụ Bản", kind=UnitKind.COMMUNE, official_type="thi_tran", parent=lac_son)
    UnitFactory(name="Xã Ân Nghĩa", kind=UnitKind.COMMUNE, official_type="xa", parent=lac_son)
    other = UnitFactory(name="Huyện Kim Bôi", kind=UnitKind.DISTRICT, parent=province)
    UnitFactory(name="Xã Vĩnh Đồng", kind=UnitKind.COMMUNE, official_type="xa", parent=other)
    GrantFactory(user=UserFactory(username="danvan.lacson", first_name="Bùi Thị Lan"), unit=lac_son, role="reviewer")
    return lac_son


def test_reviewer_adds_an_agency_with_the_picker_on_a_phone(phone, district, live_server):
    sign_in(phone, "danvan.lacson", PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto("/co-quan/them/")
    phone.fill("#id_name", "Trường Mầm non Vụ Bản")
    phone.select_option("#id_kind", "public_service")
    phone.fill("#id_parent", "vu ban")  # no diacritics, lower case
    option = phone.locator("[data-pick]", has_text="Thị trấn Vụ Bản")
    option.wait_for()
    # Units outside the reviewer's district are never offered.
    phone.fill("#id_parent", "vinh dong")
    phone.locator(".unit-picker-results", has_text="Không tìm thấy").wait_for()
    phone.fill("#id_parent", "vu ban")
    option.click()
    assert phone.input_value("#id_parent") == "Thị trấn Vụ Bản (" + Unit.objects.get(name="Thị trấn Vụ Bản").code + ")"
    phone.fill("#id_staff_count", "24")
    phone.fill("#id_valid_from", "05/09/2016")
    assert fits_width(phone)
    shot(phone, "agency-form-360")
    phone.click("main button[type=submit]")
    phone.locator("h1", has_text="Trường Mầm non Vụ Bản").wait_for()
    agency = Unit.objects.get(name="Trường Mầm non Vụ Bản")
    assert agency.parent.name == "Thị trấn Vụ Bản"
    assert agency.valid_from.isoformat() == "2016-09-05"
    assert agency.staff_count == 24
    assert fits_width(phone)
    shot(phone, "agency-detail-360")


def test_directory_search_ignores_diacritics(desk, district, live_server):
    sign_in(desk, "danvan.lacson", PASSWORD)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto("/don-vi/")
    desk.fill("#q", "AN NGHIA")
    desk.click("form[role=search] button[type=submit]")
    desk.locator("td a", has_text="Xã Ân Nghĩa").wait_for()
    assert desk.locator("td a", has_text="Vĩnh Đồng").count() == 0
