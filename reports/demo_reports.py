"""Demo unit reports across Lạc Sơn, so completeness and the to-do pages look like a real
province in mid-cycle (the demo's "today" is 22/11/2026, as in the other demo modules):

- 2024, 2025 and the 2026 semiannual period: every commune and agency reported, most on time,
  approved and locked; Thị trấn Vụ Bản's 2026 semiannual report was returned by the district
  and may be corrected until 30/11/2026 (the reviewer's exception after the lock date);
- the 2026 annual period (due 15/10/2026, open for late reports until 15/12/2026): reports in
  every state — approved, submitted, resubmitted, returned, drafts — and units that have sent
  nothing yet, Vụ Bản among them;
- the 2027 semiannual period (16/10/2026 → 15/5/2027) just opened, with a few drafts.

Figures are pre-filled by the same services the browser uses, from the dialogues, boards and
score sheets seeded before; the manual indicators get plausible numbers.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from reports import services
from reports.catalogue import install_defaults
from reports.models import PeriodRule, ReportEvent, ReportingPeriod, ReportStatus, UnitReport
from reports.periods import generate_periods
from units.demo import COMMUNE_CODE, DISTRICT_CODE, PROVINCE_CODE, legacy
from units.models import Unit

SEED = 20261122
TODAY = dt.date(2026, 11, 22)
ANNUAL_2026_LOCK = dt.date(2026, 12, 15)
VU_BAN_EXCEPTION = dt.date(2026, 11, 30)
RETURN_REASONS = [
    "Đề nghị bổ sung số liệu Biểu 08 (công khai thông tin) và thuyết minh mục II.2.1.",
    "Số liệu tiếp công dân chưa khớp với sổ tiếp công dân; đề nghị rà soát lại Biểu 03.",
    "Phần đánh giá chung còn sơ sài, đề nghị nêu rõ tồn tại, hạn chế và nguyên nhân.",
]
NARRATIVE = {
    "I": "{unit} có {hamlets} thôn, tổ dân phố; các tổ chức trong hệ thống chính trị hoạt động ổn định.",
    "II.1": "Cấp ủy, chính quyền ban hành kế hoạch thực hiện dân chủ ở cơ sở năm; kiện toàn Ban Chỉ đạo.",
    "III": "Việc thực hiện dân chủ ở cơ sở có chuyển biến; còn một số kiến nghị giải quyết chậm so với hạn.",
    "IV": "Tiếp tục tuyên truyền Luật Thực hiện dân chủ ở cơ sở; đối thoại định kỳ; giải quyết dứt điểm kiến nghị.",
}


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class _Seeder:
    def __init__(self, province: Unit, district: Unit):
        self.rng = random.Random(SEED)
        self.province, self.district = province, district
        users = get_user_model().objects.filter(username__in=["xa.vuban", "danvan.lacson"])
        by_name = {u.username: u for u in users}
        self.reporter, self.reviewer = by_name.get("xa.vuban"), by_name.get("danvan.lacson")
        self.units = list(
            Unit.objects.filter(path__startswith=district.path, kind__in=services.REPORTING_KINDS)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(2026, 10, 15)))
            .order_by("kind", "path")
        )
        self.vu_ban = next((u for u in self.units if u.code == COMMUNE_CODE), None)

    def _fill_manual(self, report: UnitReport) -> None:
        rng = self.rng
        values = {}
        for v in report.values.select_related("indicator").filter(indicator__source=""):
            ind = v.indicator
            if ind.value_type == "percent":
                number = rng.randint(55, 98)
            elif ind.value_type == "money":
                number = rng.randint(5, 90) * 10_000_000
            else:
                number = rng.randint(0, 12)
            values[v.pk] = (number, "")
        hamlets = Unit.objects.filter(parent=report.unit, kind="hamlet").count()
        sections = {
            s.pk: NARRATIVE[s.section.code].format(unit=report.unit.name, hamlets=hamlets)
            for s in report.sections.select_related("section")
            if s.section.code in NARRATIVE
        }
        services.report_save(
            actor=None,
            report=report,
            values=values,
            sections=sections,
            header={"doc_number": f"{self.rng.randint(10, 250)}/BC-UBND", "signer_title": "Chủ tịch UBND"},
            today=report.period.due_date,
        )

    def _stamp(self, report: UnitReport, sent: dt.date | None, approved: dt.date | None = None) -> None:
        """Put the workflow on the demo calendar (the services stamp the real clock)."""
        fields = {}
        if sent:
            fields.update(first_submitted_at=_at(sent), submitted_at=_at(sent))
        if approved:
            fields["approved_at"] = _at(approved, 15)
        UnitReport.objects.filter(pk=report.pk).update(**fields, created_at=_at((sent or TODAY) - dt.timedelta(days=6)))
        events = list(report.events.order_by("pk"))
        day = (sent or TODAY) - dt.timedelta(days=6)
        for e in events:
            if e.action in (ReportEvent.Action.SUBMIT, ReportEvent.Action.RESUBMIT) and sent:
                day = sent
            elif e.action in (ReportEvent.Action.APPROVE, ReportEvent.Action.LOCK) and approved:
                day = approved
            e.at = _at(day, 8 + e.pk % 8)
        ReportEvent.objects.bulk_update(events, ["at"])

    def report(self, unit: Unit, period: ReportingPeriod, state: str, *, late_days: int = 0) -> UnitReport | None:
        report = services.report_open(actor=self.reporter if unit == self.vu_ban else None, unit=unit, period=period)
        self._fill_manual(report)
        report.refresh_from_db()
        due = period.due_date
        sent = due - dt.timedelta(days=self.rng.randint(0, 9)) + dt.timedelta(days=late_days)
        if state == "draft":
            self._stamp(report, None)
            return report
        services.report_submit(actor=None, report=report, today=due)
        if state in ("returned", "resubmitted"):
            services.report_return(actor=self.reviewer, report=report, reason=self.rng.choice(RETURN_REASONS))
            if state == "resubmitted":
                services.report_submit(actor=None, report=report, today=due)
        approved = None
        if state in ("approved", "locked"):
            services.report_approve(actor=self.reviewer, report=report)
            approved = min(sent + dt.timedelta(days=self.rng.randint(2, 12)), TODAY)
            if state == "locked":
                services.report_lock(actor=self.reviewer, report=report)
        self._stamp(report, sent, approved)
        return report

    def closed_period(self, period: ReportingPeriod) -> int:
        """The communes' reports of a closed period (agencies report in the demo from the 2026
        annual period on: earlier agency reports would only make the demo slower to seed)."""
        units = [u for u in self.units if u.kind == "commune"]
        for unit in units:
            late = self.rng.randint(1, 20) if self.rng.random() < 0.12 else 0
            self.report(unit, period, "locked", late_days=late)
        return len(units)

    def annual_2026(self, period: ReportingPeriod) -> dict[str, int]:
        counts: dict[str, int] = {}
        others = [u for u in self.units if u != self.vu_ban]
        self.rng.shuffle(others)
        n = len(others)
        plan = (
            ["approved"] * int(n * 0.55)
            + ["submitted"] * int(n * 0.12)
            + ["resubmitted"] * 2
            + ["returned"] * 3
            + ["draft"] * 4
        )
        plan += ["missing"] * (n - len(plan))
        for unit, state in zip(others, plan, strict=True):
            counts[state] = counts.get(state, 0) + 1
            if state == "missing":
                continue
            late = self.rng.randint(1, 25) if self.rng.random() < 0.2 else 0
            self.report(unit, period, state, late_days=late)
        counts["missing"] = counts.get("missing", 0) + 1  # Vụ Bản has not reported yet
        return counts

    def vu_ban_semiannual(self, period: ReportingPeriod) -> None:
        report = UnitReport.objects.get(unit=self.vu_ban, period=period)
        # Re-play the end of the cycle: returned after submission, then an exception to fix it.
        UnitReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
        report.events.filter(action__in=[ReportEvent.Action.APPROVE, ReportEvent.Action.LOCK]).delete()
        report.refresh_from_db()
        services.report_return(
            actor=self.reviewer,
            report=report,
            reason="Đề nghị thị trấn bổ sung kết quả giải quyết các kiến nghị sau đối thoại (mục II.5) "
            "và số người tham dự từng cuộc đối thoại.",
        )
        services.report_grant_exception(
            actor=self.reviewer,
            report=report,
            until=VU_BAN_EXCEPTION,
            comment="Bổ sung trước khi tổng hợp năm.",
            today=TODAY,
        )
        UnitReport.objects.filter(pk=report.pk).update(approved_at=None, approved_by=None)

    def opening_drafts(self, period: ReportingPeriod) -> int:
        communes = [u for u in self.units if u.kind == "commune" and u != self.vu_ban][:3]
        for unit in communes:
            self.report(unit, period, "draft")
        return len(communes)


def seed(log) -> list[str]:
    if not settings.DEMO_SEED_REPORTS:
        # The test settings turn this off: the other apps' demo tests seed the whole demo per
        # test; tests/reports/test_demo.py turns it on.
        return ["Báo cáo định kỳ: bỏ qua (DEMO_SEED_REPORTS tắt)"]
    province, district = legacy(PROVINCE_CODE), legacy(DISTRICT_CODE)
    created = install_defaults(province)
    lines = [
        f"Danh mục chỉ tiêu tỉnh Hòa Bình: {created['tables']} biểu, {created['indicators']} chỉ tiêu, "
        f"{created['templates']} mẫu báo cáo (tạo mới)"
    ]
    periods = ReportingPeriod.objects.filter(province=province)
    ReportingPeriod.objects.filter(province=province, kind="annual", year=2026).update(lock_date=ANNUAL_2026_LOCK)
    # The S5 rule as the province's data; the 2027 periods are generated from it, as a
    # steering user does with "Tạo các kỳ của năm".
    for kind, label, end_month, end_day in (
        ("semiannual", "Báo cáo 6 tháng đầu năm {year}", 5, 15),
        ("annual", "Báo cáo năm {year}", 10, 15),
    ):
        PeriodRule.objects.get_or_create(
            province=province,
            kind=kind,
            label=label,
            defaults={
                "start_day": 16,
                "start_month": 10,
                "start_in_previous_year": True,
                "end_day": end_day,
                "end_month": end_month,
                "due_days_after_end": 0,
                "lock_days_after_due": 30,
            },
        )
    generated, _skipped = generate_periods(province, 2027)
    lines.append(f"Quy tắc kỳ báo cáo (S5) của tỉnh; các kỳ năm 2027 tạo từ quy tắc: {len(generated)} kỳ mới")
    if UnitReport.objects.filter(unit__path__startswith=district.path).exists():
        return [*lines, "Báo cáo định kỳ huyện Lạc Sơn: đã có, giữ nguyên"]
    seeder = _Seeder(province, district)
    closed = periods.filter(
        Q(year__in=[2024, 2025]) | Q(year=2026, kind="semiannual"), kind__in=["semiannual", "annual"]
    ).order_by("data_end")
    total = sum(seeder.closed_period(p) for p in closed)
    semi_2026 = periods.get(year=2026, kind="semiannual")
    if seeder.vu_ban:
        seeder.vu_ban_semiannual(semi_2026)
    counts = seeder.annual_2026(periods.get(year=2026, kind="annual"))
    drafts = seeder.opening_drafts(periods.get(year=2027, kind="semiannual"))
    summary = ", ".join(
        f"{ReportStatus(k).label if k in ReportStatus.values else 'chưa gửi'} {v}" for k, v in counts.items()
    )
    return [
        *lines,
        f"Báo cáo định kỳ huyện Lạc Sơn: {total} báo cáo các kỳ đã khóa sổ; năm 2026: {summary}; "
        f"6 tháng đầu năm 2027: {drafts} bản nháp",
    ]
