"""The dashboard on a 360-px phone: the district reviewer opens it, the tables carry the
numbers, Chart.js draws the charts from the JSON series, nothing scrolls sideways and the
console stays clean."""

import datetime as dt

import pytest
from django.utils import timezone

from dialogues.models import PetitionStatus
from reports import services
from reports.catalogue import install_defaults
from reports.models import ReportingPeriod
from tests.browser.conftest import fits_width, shot, sign_in
from tests.factories import GrantFactory, UnitFactory, UserFactory
from tests.reports.test_dashboards import community, criteria_set, inspection, reception, session, sheet
from units.models import UnitKind

PASSWORD = "mat-khau-thu-1"


@pytest.fixture
def lac_son(transactional_db):
    today = timezone.localdate()
    province = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    district = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, parent=province)
    communes = [
        UnitFactory(name=name, kind=UnitKind.COMMUNE, parent=district)
        for name in ("Thị trấn Vụ Bản", "Xã Ân Nghĩa", "Xã Tân Lập", "Xã Văn Sơn")
    ]
    GrantFactory(user=UserFactory(username="danvan.lacson", first_name="Bùi Thị Lan"), unit=district, role="reviewer")
    install_defaults(province)
    period = ReportingPeriod.objects.create(
        province=province,
        kind="semiannual",
        year=today.year,
        label=f"Báo cáo 6 tháng {today.year}",
        data_start=today - dt.timedelta(days=170),
        data_end=today + dt.timedelta(days=10),
        due_date=today + dt.timedelta(days=10),
        lock_date=today + dt.timedelta(days=40),
    )
    cs = criteria_set(province, [("Tốt", 80), ("Khá", 65), ("Yếu", 0)])
    S = PetitionStatus
    for i, commune in enumerate(communes):
        day = today - dt.timedelta(days=20 + 30 * i)
        session(
            commune,
            day,
            participants=100 + 45 * i,
            petitions=[(S.RESOLVED, None), (S.ASSIGNED, today - dt.timedelta(days=2)), (S.EXPLAINED, None)][: i + 1],
        )
        session(commune, day - dt.timedelta(days=365), participants=80)
        reception(commune, day, 3 + i)
        inspection(commune, day, "dat_dai")
        community(commune, day, "xay_dung", "ngan_sach_nha_nuoc")
        sheet(commune, period, cs, ["Tốt", "Khá", "", "Tốt"][i])
        report = services.report_open(actor=None, unit=commune, period=period)
        if i < 2:
            services.report_submit(actor=None, report=report)
    return {"period": period, "district": district}


def test_dashboard_on_a_phone(phone, lac_son, live_server):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(phone, "danvan.lacson", PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto("/bang-dieu-khien/")
    # The numbers are in the tables, rendered by the server.
    assert "2/4 = 50,0%" in phone.locator("#table-completeness tfoot").inner_text()
    assert "Thị trấn Vụ Bản" in phone.locator("#table-petitions").inner_text()
    assert "Số liệu tính đến" in phone.locator("#as-of").inner_text()
    # Chart.js draws from the JSON series.
    phone.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length >= 6")
    drawn = phone.evaluate(
        """() => Array.from(document.querySelectorAll('canvas[data-drawn]')).map(c => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i]) painted++;
            return {w: c.clientWidth, h: c.clientHeight, painted};
        })"""
    )
    assert all(c["w"] > 200 and c["h"] > 150 for c in drawn), drawn
    assert all(c["painted"] > 500 for c in drawn), drawn
    assert fits_width(phone)
    shot(phone, "dashboard-360")
    # Choosing a commune and "Xem" drills down (a plain GET form).
    phone.select_option("#scope", label="Xã Ân Nghĩa")
    phone.click("#dashboard-form button[type=submit]")
    phone.wait_for_url("**/bang-dieu-khien/?scope=*")
    assert "Xã Ân Nghĩa" in phone.locator("h1").inner_text()
    phone.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length >= 1")
    assert fits_width(phone)
    assert errors == []
