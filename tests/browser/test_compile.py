"""Step G as the steering committee does it: bcd.tinh picks the province and the period,
starts the compilation, watches the progress bar reach 100% and downloads the workbook, whose
total of sessions equals the approved reports; on a phone the page fits 360 px."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from reports import services
from reports.catalogue import install_defaults
from reports.models import Compilation, ReportingPeriod, ReportValue
from tests.browser.conftest import fits_width, shot, sign_in
from tests.factories import GrantFactory, UnitFactory, UserFactory
from tests.reports.test_compilation import evaluate, total_row
from units.models import UnitKind

PASSWORD = "mat-khau-thu-1"


@pytest.fixture
def hoa_binh(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    today = timezone.localdate()
    province = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    district = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, parent=province)
    steering = GrantFactory(
        user=UserFactory(username="bcd.tinh", first_name="Bùi Văn Tỉnh"), unit=province, role="steering"
    )
    install_defaults(province)
    period = ReportingPeriod.objects.create(
        province=province,
        kind="semiannual",
        year=today.year,
        label=f"Báo cáo 6 tháng đầu năm {today.year}",
        data_start=today - dt.timedelta(days=180),
        data_end=today - dt.timedelta(days=5),
        due_date=today,
    )
    for i, name in enumerate(["Thị trấn Vụ Bản", "Xã Ân Nghĩa", "Xã Yên Phú"], start=1):
        commune = UnitFactory(name=name, kind=UnitKind.COMMUNE, parent=district)
        report = services.report_open(actor=steering.user, unit=commune, period=period)
        services.report_submit(actor=steering.user, report=report)
        services.report_approve(actor=steering.user, report=report)
        ReportValue.objects.filter(report=report, indicator__code="02.01").update(value=i * 3, computed=i * 3)
    return {"province": province, "period": period}


def test_steering_compiles_the_province_and_downloads_it(desk, phone, hoa_binh):
    sign_in(desk, "bcd.tinh", PASSWORD)
    desk.goto("/tong-hop/")
    desk.select_option("#scope", label="Tỉnh Hòa Bình")
    desk.select_option("#period", value=str(hoa_binh["period"].pk))
    desk.click("#compile-form button[type=submit]")
    bar = desk.locator("#progress-card .progress-bar")
    bar.wait_for()
    desk.locator("#downloads").wait_for()
    assert bar.inner_text() == "100%"
    shot(desk, "compile-desk")
    with desk.expect_download() as info:
        desk.click("#downloads a:has-text('Excel')")
    # Playwright keeps the download under a name without extension: read its bytes.
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    ws = book["Biểu 02"]
    assert evaluate(ws, ws.cell(total_row(ws), 3).value) == 3 + 6 + 9
    with desk.expect_download() as word:
        desk.click("#downloads a:has-text('Word')")
    assert word.value.suggested_filename.endswith(".docx")
    job = Compilation.objects.get()
    assert job.status == "succeeded"
    assert job.reports_included == 3

    # The list of past compilations, on a phone.
    sign_in(phone, "bcd.tinh", PASSWORD)
    phone.goto("/tong-hop/")
    assert phone.locator("#compilations").inner_text().count("Hoàn thành") == 1
    assert fits_width(phone)
    shot(phone, "compile-phone")
