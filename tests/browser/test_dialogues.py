"""Step C as its users do it: a commune officer on a phone records a dialogue with three
petitions, closes one with its result and leaves one past its deadline; the district
reviewer finds the overdue one in the district list."""

import datetime as dt

import pytest
from django.utils import timezone

from dialogues.models import DialogueSession, Petition, PetitionStatus
from tests.browser.conftest import fits_width, reveal, shot, sign_in
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

PASSWORD = "mat-khau-thu-1"


@pytest.fixture
def lac_son(transactional_db):
    province = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    district = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, parent=province)
    vu_ban = UnitFactory(name="Thị trấn Vụ Bản", kind=UnitKind.COMMUNE, official_type="thi_tran", parent=district)
    UnitFactory(name="Xã Ân Nghĩa", kind=UnitKind.COMMUNE, official_type="xa", parent=district)
    GrantFactory(user=UserFactory(username="xa.vuban", first_name="Quách Văn Sơn"), unit=vu_ban, role="reporter")
    GrantFactory(user=UserFactory(username="danvan.lacson", first_name="Bùi Thị Lan"), unit=district, role="reviewer")
    return {"district": district, "vu_ban": vu_ban}


def d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def fill_petition(page, index, content, field):
    page.fill(f"#id_pet-{index}-content", content)
    page.select_option(f"#id_pet-{index}-field", field)


def test_commune_officer_records_a_dialogue_on_a_phone(phone, desk, lac_son, live_server):
    today = timezone.localdate()
    held = today - dt.timedelta(days=40)
    sign_in(phone, "xa.vuban", PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto("/doi-thoai/them/")
    # The officer's only unit is already chosen.
    assert "Thị trấn Vụ Bản" in phone.input_value("#id_unit")
    phone.fill("#id_held_on", d(held))
    phone.fill("#id_topic", "Đối thoại định kỳ giữa Chủ tịch UBND thị trấn với Nhân dân")
    phone.select_option("#id_scope", "toan_dien")
    phone.select_option("#id_trigger", "dinh_ky")
    phone.select_option("#id_chair_role", "chu_tich_ubnd")
    phone.fill("#id_chair_name", "Bùi Văn Hùng")
    phone.fill("#id_participants", "135")
    phone.fill("#id_announced_on", d(held - dt.timedelta(days=10)))
    # Three petitions, each row added with htmx (no page reload).
    phone.evaluate("window.__marker = 'same page'")
    for i in range(3):
        phone.click("[data-add-row]")
        phone.locator(f"#id_pet-{i}-content").wait_for()
    assert phone.evaluate("window.__marker") == "same page"
    assert phone.input_value("#id_pet-TOTAL_FORMS") == "3"
    fill_petition(phone, 0, "Đề nghị sửa đường vào tổ dân phố 3 bị sạt lở", "ha_tang")
    phone.click("#id_pet-0-content >> xpath=ancestor::fieldset//summary")
    phone.fill("#id_pet-0-assignee_person", "Ông Đinh Văn Tâm, Phó Chủ tịch UBND")
    phone.fill("#id_pet-0-task", "Khảo sát và sửa chữa đoạn đường")
    phone.fill("#id_pet-0-deadline", d(today - dt.timedelta(days=5)))
    phone.fill("#id_pet-0-responsible_unit", "UBND thị trấn Vụ Bản")
    fill_petition(phone, 1, "Hỏi về chế độ hỗ trợ người có công", "chinh_sach_xa_hoi")
    phone.check("#id_pet-1-answered_at_session")
    phone.fill("#id_pet-1-result", "Chủ tịch UBND đã giải thích tại hội nghị")
    fill_petition(phone, 2, "Đề nghị cấp giấy chứng nhận quyền sử dụng đất", "dat_dai")
    phone.click("#id_pet-2-content >> xpath=ancestor::fieldset//summary")
    phone.fill("#id_pet-2-assignee_person", "Bà Hà Thị Mai, công chức địa chính")
    phone.fill("#id_pet-2-task", "Hoàn thiện hồ sơ cấp giấy chứng nhận")
    phone.fill("#id_pet-2-deadline", d(today + dt.timedelta(days=20)))
    phone.fill("#id_pet-2-responsible_unit", "Bộ phận địa chính thị trấn")
    assert fits_width(phone)
    shot(phone, "dialogue-form-360")
    phone.click("#save-dialogue")
    phone.locator(".alert-success").wait_for()
    session = DialogueSession.objects.get()
    assert session.petitions.count() == 3
    assert fits_width(phone)
    shot(phone, "dialogue-detail-360")

    # Close the land petition with its result.
    land = Petition.objects.get(field="dat_dai")
    phone.goto(f"/kien-nghi/{land.pk}/")
    reveal(phone, "button[aria-controls=act-close]", "#act-close")
    phone.fill("#id_close-result", "Đã cấp giấy chứng nhận cho hộ gia đình")
    phone.fill("#id_close-result_date", d(today))
    phone.click("#act-close button[type=submit]")
    phone.locator(".alert-success").wait_for()
    land.refresh_from_db()
    assert land.status == PetitionStatus.RESOLVED
    assert "Đã cấp giấy chứng nhận" in phone.content()
    shot(phone, "petition-timeline-360")

    # "Kiến nghị của tôi": the road petition is past its deadline and marked.
    phone.goto("/kien-nghi/")
    overdue_row = phone.locator("tr.table-danger", has_text="sạt lở")
    overdue_row.wait_for()
    assert phone.locator("tr", has_text="giấy chứng nhận").count() == 0  # closed ones are not "mine"

    # The district reviewer finds it with the overdue filter.
    sign_in(desk, "danvan.lacson", PASSWORD)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto("/kien-nghi/")
    desk.check("#id_overdue")
    desk.click("main form button[type=submit]")
    desk.locator("tr.table-danger", has_text="sạt lở").wait_for()
    assert desk.locator("tbody tr").count() == 1
    shot(desk, "petitions-overdue-desk")
