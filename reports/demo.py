"""Demo reporting periods for Hòa Bình (the S5 rule: semiannual 15/10 → 15/5 due 15/5, annual
15/10 → 15/10 due 15/10). Periods are data the steering committee edits; these are examples."""

import datetime as dt

from reports.models import ReportingPeriod
from units.demo import PROVINCE_CODE, legacy

YEARS = (2024, 2025, 2026)


def seed(log) -> list[str]:
    province = legacy(PROVINCE_CODE)
    created = 0
    for year in YEARS:
        specs = [
            (
                ReportingPeriod.Kind.SEMIANNUAL,
                f"Báo cáo 6 tháng đầu năm {year}",
                dt.date(year - 1, 10, 16),
                dt.date(year, 5, 15),
                dt.date(year, 5, 15),
                None,
            ),
            (
                ReportingPeriod.Kind.ANNUAL,
                f"Báo cáo năm {year}",
                dt.date(year - 1, 10, 16),
                dt.date(year, 10, 15),
                dt.date(year, 10, 15),
                # Self-scoring of the year closes with the annual review; the demo keeps
                # 2026's open until mid-December so the self-scoring screens can be tried.
                dt.date(year, 12, 15) if year == 2026 else dt.date(year, 10, 15),
            ),
        ]
        for kind, label, start, end, due, self_due in specs:
            _period, was_created = ReportingPeriod.objects.get_or_create(
                province=province,
                kind=kind,
                year=year,
                label=label,
                defaults={
                    "data_start": start,
                    "data_end": end,
                    "due_date": due,
                    "lock_date": due + dt.timedelta(days=30),
                    "self_score_due": self_due,
                },
            )
            created += was_created
    return [f"Kỳ báo cáo tỉnh Hòa Bình {YEARS[0]}–{YEARS[-1]}: {len(YEARS) * 2} kỳ (6 tháng, năm), tạo mới {created}"]
