import time

import pytest
from django.core import mail
from django.urls import reverse

from qcdc_portal.lib.session_timeout import SEEN, STARTED
from tests.factories import UserFactory

PASSWORD = "mat-khau-thu-1"


@pytest.fixture
def user(db):
    return UserFactory(username="canbo.xa", first_name="Quách Văn Sơn")


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")


def test_login_page_is_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
    assert "Mật khẩu" in body


def test_login_then_home_shows_name(client, user):
    response = login(client, "canbo.xa", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert "Quách Văn Sơn" in home.content.decode()


def test_wrong_password_says_so_in_vietnamese(client, user):
    response = login(client, "canbo.xa", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_axes_locks_after_five_failures_and_cools_off(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo.xa", "sai-mat-khau")
    locked = login(client, "canbo.xa", PASSWORD)
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The lockout is not permanent: it expires after the cool-off.
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time.replace(year=2000))
    assert login(client, "canbo.xa", PASSWORD).status_code == 302


def test_login_is_rate_limited_per_address(client, user, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for i in range(3):
        login(client, f"khong-co-{i}", "x")
    response = login(client, "canbo.xa", PASSWORD)
    assert "Quá nhiều lần đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_demo_password_refused_when_debug_off(client, db, settings):
    UserFactory(username="xa.vuban", password=settings.DEMO_PASSWORD)
    settings.DEBUG = False
    response = login(client, "xa.vuban", settings.DEMO_PASSWORD)
    assert "Tài khoản mẫu chỉ dùng được" in response.content.decode()
    assert "_auth_user_id" not in client.session
    settings.DEBUG = True
    assert login(client, "xa.vuban", settings.DEMO_PASSWORD).status_code == 302


def test_session_expires_after_30_idle_minutes(client, user):
    login(client, "canbo.xa", PASSWORD)
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_session_expires_after_12_hours_even_when_active(client, user):
    login(client, "canbo.xa", PASSWORD)
    session = client.session
    session[STARTED] = int(time.time()) - 12 * 3600 - 1
    session[SEEN] = int(time.time())
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_active_session_survives(client, user):
    login(client, "canbo.xa", PASSWORD)
    session = client.session
    session[SEEN] = int(time.time()) - 20 * 60
    session.save()
    assert client.get(reverse("home")).status_code == 200


def test_a_busy_session_is_not_rewritten_on_every_request(client, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "canbo.xa", PASSWORD)
    client.get(reverse("home"))  # the first request stores when the session started
    started = client.session[STARTED]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    writes = [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    assert writes == []
    assert client.session[STARTED] == started


def test_logout_needs_post_and_ends_session(client, user):
    login(client, "canbo.xa", PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, user):
    login(client, "canbo.xa", PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-2026", "new_password2": "Mot-mat-khau-moi-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mot-mat-khau-moi-2026")


def test_password_change_rejects_mismatch_and_keeps_old(client, user):
    login(client, "canbo.xa", PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-2026", "new_password2": "khac-hoan-toan-2026"},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_sends_a_working_link(client, user):
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Đặt lại mật khẩu" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line).strip()
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-dat-lai-2026", "new_password2": "Mat-khau-dat-lai-2026"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mat-khau-dat-lai-2026")


def test_password_reset_for_unknown_email_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "khong-ai@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_passwords_are_argon2_in_production_settings():
    from django.conf import settings as s

    from qcdc_portal import settings as prod

    assert prod.PASSWORD_HASHERS[0] == "qcdc_portal.lib.hashers.OwaspArgon2PasswordHasher"
    from qcdc_portal.lib.hashers import OwaspArgon2PasswordHasher

    hasher = OwaspArgon2PasswordHasher()
    encoded = hasher.encode("mat-khau", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify("mat-khau", encoded)
    assert s.SESSION_COOKIE_AGE == 12 * 3600
