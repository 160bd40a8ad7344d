"""Step D as its users do it: the officer of Thị trấn Vụ Bản, on a phone, registers the
town's people's inspection board, adds its five members (one per residential group),
records two supervisions (one on a people-funded road) and finds them on the board page."""

import datetime as dt

import pytest
from django.utils import timezone

from boards.models import InspectionBoard, InvestmentProject
from tests.browser.conftest import fits_width, shot, sign_in
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

PASSWORD = "mat-khau-thu-1"
SHORT = "cần ít nhất 5 thành viên"
MEMBERS = [
    ("Bùi Văn Tám", "truong_ban", "nam"),
    ("Quách Thị Hằng", "pho_truong_ban", "nu"),
    ("Đinh Văn Khoa", "uy_vien", "nam"),
    ("Hà Thị Lụa", "uy_vien", "nu"),
    ("Bùi Văn Nam", "uy_vien", "nam"),
]


@pytest.fixture
def vu_ban(transactional_db):
    province = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    district = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, parent=province)
    town = UnitFactory(name="Thị trấn Vụ Bản", kind=UnitKind.COMMUNE, official_type="thi_tran", parent=district)
    for i in range(1, 6):
        UnitFactory(name=f"Tổ dân phố {i}", kind=UnitKind.HAMLET, official_type="to_dan_pho", parent=town)
    GrantFactory(user=UserFactory(username="xa.vuban", first_name="Quách Văn Sơn"), unit=town, role="reporter")
    road = InvestmentProject.objects.create(
        unit=town,
        name="Đường bê tông tổ dân phố 3",
        funding_source=InvestmentProject.Funding.CONG_DONG,
        total_value=450_000_000,
        people_money=450_000_000,
        labour_days=300,
        investor="Ban phát triển tổ dân phố 3",
        start_on=dt.date(2025, 3, 1),
    )
    return {"town": town, "road": road}


def d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_commune_officer_registers_the_board_on_a_phone(phone, vu_ban, live_server):
    today = timezone.localdate()
    term_start = today - dt.timedelta(days=400)
    sign_in(phone, "xa.vuban", PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto("/ban-ttnd/them/")
    # The officer's own town is already chosen.
    assert "Thị trấn Vụ Bản" in phone.input_value("#id_unit")
    phone.fill("#id_term_start", d(term_start))
    phone.fill("#id_term_end", d(term_start.replace(year=term_start.year + 5)))
    phone.fill("#id_decision_no", "125/QĐ-UBND")
    phone.fill("#id_decision_date", d(term_start + dt.timedelta(days=5)))
    assert fits_width(phone)
    shot(phone, "board-form-360")
    phone.click("#save-board")
    phone.locator(".alert-success").wait_for()
    board = InspectionBoard.objects.get()
    assert board.unit == vu_ban["town"]
    assert SHORT in phone.content()

    for i, (name, role, gender) in enumerate(MEMBERS, start=1):
        phone.click("#add-member summary")
        phone.fill("#id_full_name", name)
        phone.select_option("#id_role", role)
        phone.select_option("#id_gender", gender)
        phone.select_option("#id_hamlet", label=f"Tổ dân phố {i}")
        phone.fill("#id_started_on", d(term_start + dt.timedelta(days=10)))
        phone.click("#save-member")
        phone.locator(".alert-success", has_text=name).wait_for()
        # Four members are short of five; the fifth one lifts the alert.
        assert (SHORT in phone.content()) == (i < 5)
    assert board.members.count() == 5
    assert phone.locator("#members tbody tr").count() == 5
    assert phone.locator("[data-check]").count() == 0
    assert fits_width(phone)
    shot(phone, "board-members-360")

    phone.click("#add-supervision")
    phone.fill("#id_held_on", d(today - dt.timedelta(days=30)))
    phone.fill("#id_subject", "Thu chi quỹ phòng chống thiên tai năm trước")
    phone.select_option("#id_field", "thu_chi_tai_chinh")
    phone.fill("#id_findings_count", "2")
    phone.fill("#id_violations_count", "1")
    phone.fill("#id_recommendations_count", "2")
    phone.fill("#id_recommendations_resolved", "1")
    phone.fill("#id_money_recovered", "3500000")
    assert fits_width(phone)
    shot(phone, "supervision-form-360")
    phone.click("#save-supervision")
    phone.locator(".alert-success").wait_for()

    phone.click("#add-supervision")
    phone.fill("#id_held_on", d(today - dt.timedelta(days=7)))
    phone.fill("#id_subject", "Chất lượng thi công đường bê tông tổ dân phố 3")
    phone.select_option("#id_field", "tien_do_du_an")
    phone.select_option("#id_project", label="Đường bê tông tổ dân phố 3")
    phone.fill("#id_recommendations_count", "1")
    phone.click("#save-supervision")
    phone.locator(".alert-success").wait_for()

    # Both are on the board page, the newest first, with the people-funded road named.
    assert board.activities.count() == 2
    rows = phone.locator("#activities tbody tr")
    assert rows.count() == 2
    assert "Chất lượng thi công đường bê tông" in rows.nth(0).inner_text()
    assert "Vốn, công sức của Nhân dân" in rows.nth(0).inner_text()
    assert "Thu chi quỹ phòng chống thiên tai" in rows.nth(1).inner_text()
    assert board.activities.get(project=vu_ban["road"]).project.funding_source == "von_cong_suc_cong_dong"
    assert fits_width(phone)
    shot(phone, "board-page-360")

    # The list shows the board as meeting the rules.
    phone.goto("/ban-ttnd/")
    row = phone.locator("tbody tr", has_text="Thị trấn Vụ Bản")
    assert "Đạt" in row.inner_text()
    assert fits_width(phone)
    shot(phone, "board-list-360")
