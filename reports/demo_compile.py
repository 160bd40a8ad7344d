"""Demo compilations, so `make run` shows the steering committee's "Tổng hợp" page with past
jobs and files to download: Hòa Bình's 2026 semiannual summary compiled by bcd.tinh (approved
reports only) and Lạc Sơn's 2026 annual summary compiled by danvan.lacson, with the reports
sent but not yet approved included and marked. The same job as the browser's button, run here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from reports import jobs
from reports.models import Compilation, ReportingPeriod
from units.demo import DISTRICT_CODE, PROVINCE_CODE, legacy


def seed(log) -> list[str]:
    if not settings.DEMO_SEED_REPORTS:
        return ["Tổng hợp báo cáo: bỏ qua (DEMO_SEED_REPORTS tắt)"]
    if Compilation.objects.exists():
        return ["Tổng hợp báo cáo: đã có, giữ nguyên"]
    province, district = legacy(PROVINCE_CODE), legacy(DISTRICT_CODE)
    users = get_user_model().objects.in_bulk(["bcd.tinh", "danvan.lacson"], field_name="username")
    periods = ReportingPeriod.objects.filter(province=province, year=2026)
    lines = []
    for scope, period, user, include_submitted in (
        (province, periods.get(kind="semiannual"), users.get("bcd.tinh"), False),
        (district, periods.get(kind="annual"), users.get("danvan.lacson"), True),
    ):
        job, _created = jobs.request_compilation(
            actor=user, scope=scope, period=period, include_submitted=include_submitted, enqueue=False
        )
        status = jobs.run_compilation(job.pk)
        job.refresh_from_db()
        lines.append(
            f"Tổng hợp {scope.name} – {period.label}: {job.get_status_display()}, {job.reports_included} báo cáo"
            + (f" ({job.reports_pending} chưa phê duyệt)" if job.reports_pending else "")
            + ("" if status == Compilation.Status.SUCCEEDED else f" – lỗi: {job.error}")
        )
    return lines
