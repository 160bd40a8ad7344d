"""Step F as its users do it: the commune officer opens the semiannual report on a phone,
finds the dialogue figures already there, writes a section, saves and submits; the district
reviewer returns it with a reason; the officer fixes and resubmits; the reviewer approves.
Two tabs on one report cannot overwrite each other."""

import datetime as dt

import pytest
from django.utils import timezone

from reports.catalogue import install_defaults
from reports.models import ReportingPeriod, ReportStatus, UnitReport
from tests.browser.conftest import fits_width, shot, sign_in
from tests.dialogues.test_selectors_services import make_session, petition_row
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

PASSWORD = "mat-khau-thu-1"


@pytest.fixture
def lac_son(transactional_db):
    today = timezone.localdate()
    province = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    district = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, parent=province)
    vu_ban = UnitFactory(name="Thị trấn Vụ Bản", kind=UnitKind.COMMUNE, official_type="thi_tran", parent=district)
    GrantFactory(user=UserFactory(username="xa.vuban", first_name="Quách Văn Sơn"), unit=vu_ban, role="reporter")
    GrantFactory(user=UserFactory(username="danvan.lacson", first_name="Bùi Thị Lan"), unit=district, role="reviewer")
    install_defaults(province)
    period = ReportingPeriod.objects.create(
        province=province,
        kind="semiannual",
        year=today.year,
        label=f"Báo cáo 6 tháng đầu năm {today.year}",
        data_start=today - dt.timedelta(days=180),
        data_end=today + dt.timedelta(days=10),
        due_date=today + dt.timedelta(days=10),
        lock_date=today + dt.timedelta(days=40),
    )
    make_session(
        vu_ban,
        today - dt.timedelta(days=30),
        participants=135,
        petitions=[petition_row(), petition_row(answered_at_session=True, result="Đã giải thích"), petition_row()],
    )
    return {"vu_ban": vu_ban, "period": period}


def test_report_round_trip_between_commune_and_district(phone, desk, lac_son, live_server):
    sign_in(phone, "xa.vuban", PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto("/bao-cao/")
    # The officer's only unit and the open period are pre-selected.
    phone.click("#open-report-submit")
    phone.locator("#report-form").wait_for(state="attached")
    report = UnitReport.objects.get()
    # Biểu 02 is pre-filled from the dialogue recorded earlier: 1 session, 135 people, 3 petitions.
    assert phone.input_value(f"#value-{report.values.get(indicator__code='02.01').pk}") == "1"
    assert phone.input_value(f"#value-{report.values.get(indicator__code='02.07').pk}") == "135"
    assert phone.input_value(f"#value-{report.values.get(indicator__code='02.08').pk}") == "3"
    assert fits_width(phone)
    shot(phone, "report-form-360")
    section = report.sections.get(section__code="II.5")
    phone.fill(f"#section-{section.pk}", "Tổ chức 1 cuộc đối thoại với 135 người tham dự.")
    manual = report.values.get(indicator__code="08.01")
    phone.fill(f"#value-{manual.pk}", "12")
    phone.click("#save-report")
    phone.locator(".alert-success").wait_for()
    phone.click("#submit-report")
    phone.locator(".alert-success").wait_for()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    # The district reviewer returns it with a reason.
    sign_in(desk, "danvan.lacson", PASSWORD)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"/bao-cao/{report.pk}/")
    desk.click("#return-form button[type=submit]")
    desk.locator("#report-errors").wait_for()  # no reason: refused
    desk.fill("#return-reason-input", "Đề nghị bổ sung số nội dung công khai theo từng hình thức.")
    desk.click("#return-form button[type=submit]")
    desk.locator(".alert-success").wait_for()

    # The officer sees the reason, fixes and resubmits.
    phone.goto(f"/bao-cao/{report.pk}/")
    assert "bổ sung số nội dung công khai" in phone.locator("#return-reason").inner_text()
    posted = report.values.get(indicator__code="08.02")
    phone.fill(f"#value-{posted.pk}", "7")
    phone.click("#submit-report")
    phone.locator(".alert-success").wait_for()
    report.refresh_from_db()
    assert report.status == ReportStatus.RESUBMITTED
    assert fits_width(phone)

    # The reviewer approves; the history shows every step.
    desk.goto(f"/bao-cao/{report.pk}/")
    desk.click("#approve-form button[type=submit]")
    desk.locator(".alert-success").wait_for()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    events = desk.locator("#report-events li")
    assert events.count() >= 6
    shot(desk, "report-approved-desk")


def test_two_tabs_cannot_lose_an_edit(phone, lac_son, live_server):
    sign_in(phone, "xa.vuban", PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto("/bao-cao/")
    phone.click("#open-report-submit")
    phone.locator("#report-form").wait_for(state="attached")
    report = UnitReport.objects.get()
    manual = report.values.get(indicator__code="08.01")
    other = phone.context.new_page()
    other.goto(f"/bao-cao/{report.pk}/")
    phone.fill(f"#value-{manual.pk}", "5")
    phone.click("#save-report")
    phone.locator(".alert-success").wait_for()
    other.fill(f"#value-{manual.pk}", "9")
    other.click("#save-report")
    other.locator("#stale").wait_for()
    manual.refresh_from_db()
    assert manual.value == 5
