"""Step E as its users do it: a commune officer on a phone creates the score sheet, types the
points (the running total follows), saves to 87, uploads the required evidence and submits;
the district reviewer re-scores on a desk and sees the changed row highlighted as they type."""

import pytest

from criteria.models import Evidence, ScoreSheet
from tests.browser.conftest import fits_width, shot, sign_in
from tests.criteria.test_sheets import PDF, SELF_87, bac_giang_set, make_period
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

PASSWORD = "mat-khau-thu-1"


@pytest.fixture
def lac_son(transactional_db):
    province = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    district = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, parent=province)
    vu_ban = UnitFactory(name="Thị trấn Vụ Bản", kind=UnitKind.COMMUNE, official_type="thi_tran", parent=district)
    GrantFactory(user=UserFactory(username="xa.vuban", first_name="Quách Văn Sơn"), unit=vu_ban, role="reporter")
    GrantFactory(user=UserFactory(username="danvan.lacson", first_name="Bùi Thị Lan"), unit=district, role="reviewer")
    criteria_set = bac_giang_set(province)
    period = make_period(province)
    return {"vu_ban": vu_ban, "set": criteria_set, "period": period}


def running_total(page) -> str:
    return page.inner_text("#running-total").strip()


def test_commune_self_scores_on_a_phone_and_the_reviewer_sees_differences(phone, desk, lac_son, live_server):
    sign_in(phone, "xa.vuban", PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto("/cham-diem/")
    phone.click("#create-sheet summary")
    # The officer's only commune and the province's period are already chosen.
    assert "Thị trấn Vụ Bản" in phone.input_value("#id_unit")
    phone.click("#create-sheet-submit")
    phone.locator(".alert-success").wait_for()
    sheet = ScoreSheet.objects.get(unit=lac_son["vu_ban"])
    lines = list(sheet.lines.select_related("criterion").order_by("criterion__order"))
    assert fits_width(phone)
    assert phone.locator("#missing-evidence li").count() == 3

    # The running total follows the typing, without a reload.
    phone.evaluate("window.__marker = 'same page'")
    expected = ["18,0", "40,0", "58,0", "71,0", "87,0"]
    for line, value, total in zip(lines, SELF_87, expected, strict=True):
        phone.fill(f"#points-{line.pk}", value)
        phone.fill(f"#note-{line.pk}", f"Căn cứ tiêu chí {line.criterion.code}")
        assert running_total(phone) == total
    # A point above the maximum is marked at once and left out of the total.
    phone.fill(f"#points-{lines[0].pk}", "21")
    assert "is-invalid" in phone.get_attribute(f"#points-{lines[0].pk}", "class")
    assert running_total(phone) == "69,0"
    phone.fill(f"#points-{lines[0].pk}", "18")
    assert running_total(phone) == "87,0"
    assert phone.evaluate("window.__marker") == "same page"
    assert phone.locator("#score-footer").is_visible()  # sticky at the bottom while scrolling
    shot(phone, "score-sheet-typing-360")

    phone.click("#save-scores")
    phone.locator(".alert-success").wait_for()
    assert running_total(phone) == "87,0"
    assert phone.inner_text("#self-class") == "Tốt"
    sheet.refresh_from_db()
    assert str(sheet.self_total.normalize()) == "87"

    # The required evidence, one criterion at a time; the missing list shrinks.
    for line in lines:
        if not line.criterion.evidence_required:
            continue
        phone.set_input_files(
            f"#file-{line.pk}",
            {"name": f"minh-chung-{line.criterion.code}.pdf", "mimeType": "application/pdf", "buffer": PDF},
        )
        phone.click(f"#line-{line.pk} form[enctype] button[type=submit]")
        phone.locator(".alert-success").wait_for()
    assert Evidence.objects.filter(line__sheet=sheet).count() == 3
    assert phone.locator("#missing-evidence").count() == 0
    assert fits_width(phone)
    shot(phone, "score-sheet-saved-360")
    phone.click("#submit-sheet")
    phone.locator(".alert-success").wait_for()
    assert phone.inner_text("#sheet-status") == "Đã gửi"
    assert fits_width(phone)

    # The reviewer: self and review side by side; changing a line highlights its row live.
    sign_in(desk, "danvan.lacson", PASSWORD)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"/cham-diem/{sheet.pk}/tham-dinh/")
    second = lines[1]
    row = desk.locator(f"#row-{second.pk}")
    assert "table-warning" not in (row.get_attribute("class") or "")
    assert desk.inner_text("#review-running").strip() == "87,0"
    desk.fill(f"#review-{second.pk}", "20")
    assert "table-warning" in row.get_attribute("class")
    assert "is-invalid" in desk.get_attribute(f"#rnote-{second.pk}", "class")  # a note is required
    assert desk.inner_text("#review-running").strip() == "85,0"
    shot(desk, "score-review-desk")
    # Saving without the note is refused, with the reason on the page.
    desk.click("#save-review")
    desk.locator("#review-errors").wait_for()
    assert "phải ghi nhận xét" in desk.inner_text("#review-errors")
    desk.fill(f"#rnote-{second.pk}", "Chưa có kết quả đánh giá chỉ số CCHC")
    desk.click("#save-review")
    desk.locator(".alert-success").wait_for()
    assert "table-warning" in desk.locator(f"#row-{second.pk}").get_attribute("class")
    assert desk.inner_text("#review-class") == "Tốt"
    sheet.refresh_from_db()
    assert str(sheet.review_total.normalize()) == "85"
    assert sheet.self_class == "Tốt"
