import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def signed_in(client, db):
    user = UserFactory(username="nguoi.dung")
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_english_can_be_chosen(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page
    assert "Password" in page


def test_404_page_is_friendly(signed_in):
    response = signed_in.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_403_page_is_friendly(rf, db):
    from qcdc_portal.views import error_403

    request = rf.get("/")
    request.user = UserFactory()
    response = error_403(request)
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()


def test_500_page_needs_nothing_from_the_request(rf):
    from qcdc_portal.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.content.decode()


def test_home_lists_roles_and_units(client, reporter, tree):
    client.force_login(reporter)
    body = client.get(reverse("home")).content.decode()
    assert "Cán bộ nhập liệu, báo cáo" in body
    assert "Thị trấn Vụ Bản" in body


def test_user_without_grant_is_told_so(signed_in):
    body = signed_in.get(reverse("home")).content.decode()
    assert "chưa được phân quyền" in body


def test_navigation_follows_role(client, reporter, steering):
    client.force_login(reporter)
    assert reverse("account-list") not in client.get(reverse("home")).content.decode()
    client.force_login(steering)
    assert reverse("account-list") in client.get(reverse("home")).content.decode()


def test_my_scope_page(client, reviewer, tree):
    client.force_login(reviewer)
    body = client.get(reverse("my-scope")).content.decode()
    assert "Phạm vi của tôi" in body
    assert "Huyện Lạc Sơn" in body
    assert "Thẩm định, trả lại, phê duyệt" in body


def test_pages_fit_a_phone(client, db):
    body = client.get(reverse("login")).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in body


def test_api_me(client, reporter):
    client.force_login(reporter)
    data = client.get("/api/v1/me/").json()
    assert data["username"] == "reporter.a"
    assert data["grants"][0]["role"] == "reporter"
    assert data["grants"][0]["unit_name"] == "Thị trấn Vụ Bản"
    assert data["actions"] == ["view", "report"]


def test_api_needs_authentication(client, db):
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert client.get("/api/v1/schema/").status_code in (401, 403)


def test_api_schema_and_docs_for_signed_in_users(signed_in):
    assert signed_in.get("/api/v1/schema/").status_code == 200
    docs = signed_in.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_vietnamese_even_for_an_english_browser(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
