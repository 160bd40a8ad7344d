import pytest

from tests.browser.conftest import fits_width, reveal, shot, sign_in
from tests.factories import GrantFactory, UserFactory

PASSWORD = "mat-khau-thu-1"  # the demo password is refused here: tests run with DEBUG off


@pytest.fixture
def commune_user(transactional_db, tree_units):
    user = UserFactory(username="xa.vuban", first_name="Quách Văn Sơn", password=PASSWORD)
    GrantFactory(user=user, unit=tree_units["commune_a"], role="reporter")
    return user


@pytest.fixture
def tree_units(transactional_db):
    from tests.factories import UnitFactory
    from units.models import UnitKind

    province = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    district = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, parent=province)
    commune = UnitFactory(name="Thị trấn Vụ Bản", kind=UnitKind.COMMUNE, parent=district)
    return {"province": province, "district": district, "commune_a": commune}


def test_phone_sign_in_home_and_sign_out(phone, commune_user, live_server):
    phone.goto("/")
    assert phone.locator("h1").inner_text() == "Đăng nhập"
    assert fits_width(phone)
    shot(phone, "login-360")
    sign_in(phone, "xa.vuban", PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    assert "Xin chào, Quách Văn Sơn" in phone.locator("h1").inner_text()
    assert "Thị trấn Vụ Bản" in phone.content()
    assert fits_width(phone)
    shot(phone, "home-360")
    # The menu collapses behind the toggler on a phone, and opens with Bootstrap's JS.
    reveal(phone, ".navbar-toggler", "#mainnav")
    reveal(phone, "#mainnav .dropdown-toggle", "#mainnav .dropdown-menu")
    phone.click("#mainnav .dropdown-menu button[type=submit]")
    phone.wait_for_url("**/accounts/login/")
    assert phone.locator("h1").inner_text() == "Đăng nhập"


def test_wrong_password_shows_message(phone, commune_user):
    sign_in(phone, "xa.vuban", "sai-mat-khau")
    assert phone.locator(".alert-danger").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_switch_to_english_and_back(desk, commune_user):
    desk.goto("/accounts/login/")
    desk.click("button[value=en]")
    desk.wait_for_selector("html[lang=en]")
    assert desk.locator("h1").inner_text() == "Sign in"
    desk.click("button[value=vi]")
    desk.wait_for_selector("html[lang=vi]")
    assert desk.locator("h1").inner_text() == "Đăng nhập"


def test_styles_are_served_locally(desk, commune_user, live_server):
    failed, outside = [], []
    desk.on("requestfailed", lambda r: failed.append(r.url))
    desk.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    desk.goto("/accounts/login/")
    desk.wait_for_load_state("networkidle")
    assert failed == []
    assert outside == []
    # Bootstrap's CSS applied: the submit button is styled as a primary button.
    colour = desk.eval_on_selector("button[type=submit]", "b => getComputedStyle(b).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)")
