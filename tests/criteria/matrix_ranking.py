"""Permission-matrix rows for the ranking page, its Biểu 13 export and the criteria API
(/api/v1/criteria-sets/, score-sheets/ with their actions, evidence/); see
tests/test_permission_matrix.py. Also the small builders the ranking and API tests share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from criteria import services
from criteria.models import ClassificationBand, CriteriaSet, Criterion, Evidence, ScoreLine, ScoreSheet
from reports.models import ReportingPeriod
from tests.matrix import ALL_SIGNED_IN, ANON_LOGIN, API_ANON, OWN_PAGE, REPORTS_A, SEES_A, Row, u

BANDS = [("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0)]


# --- Builders -------------------------------------------------------------------------------


def small_set(province, *, applies_to="commune", publish=True, name="Bộ tiêu chí thử (xã)", year=2024):
    """Two criteria under one group (60 + 40 = 100 points), step 0.5, the default bands."""
    cs = CriteriaSet.objects.create(
        name=name, province=province, applies_to=applies_to, year_from=year, score_step=Decimal("0.5")
    )
    group = Criterion.objects.create(
        criteria_set=cs, code="I", title="Thực hiện dân chủ ở cơ sở", is_group=True, max_points=100, order=0
    )
    Criterion.objects.bulk_create(
        [
            Criterion(criteria_set=cs, parent=group, code="1", title="Công khai thông tin", max_points=60, order=1),
            Criterion(criteria_set=cs, parent=group, code="2", title="Dân bàn, dân kiểm tra", max_points=40, order=2),
        ]
    )
    ClassificationBand.objects.bulk_create(
        [
            ClassificationBand(criteria_set=cs, label=label, min_score=minimum, order=i)
            for i, (label, minimum) in enumerate(BANDS)
        ]
    )
    return services.set_publish(actor=None, criteria_set=cs) if publish else cs


def make_period(province, label="Năm 2025", *, year=2025, kind=ReportingPeriod.Kind.ANNUAL, end=None):
    return ReportingPeriod.objects.create(
        province=province,
        kind=kind,
        year=year,
        label=label,
        data_start=dt.date(year - 1, 10, 16),
        data_end=end or dt.date(year, 10, 15),
        due_date=dt.date(year, 10, 20),
    )


def split(total) -> tuple[Decimal, Decimal]:
    """A total as points of criterion 1 (max 60) and criterion 2 (max 40)."""
    total = Decimal(str(total))
    first = min(total, Decimal("60"))
    return first, total - first


def make_sheet(unit, period, cs, *, self_total=None, review_total=None, status="draft", actor=None):
    """A sheet brought to ``status`` through the services, with the given totals."""
    sheet = services.sheet_create(actor=actor, unit=unit, period=period, criteria_set=cs)
    lines = {ln.criterion.code: ln for ln in sheet.lines.select_related("criterion")}
    if self_total is not None:
        a, b = split(self_total)
        services.sheet_self_score(actor=actor, sheet=sheet, points={lines["1"].pk: (a, ""), lines["2"].pk: (b, "")})
    if status == "draft":
        return sheet
    services.sheet_submit(actor=actor, sheet=sheet)
    if status == "submitted":
        return sheet
    a, b = split(review_total if review_total is not None else self_total)
    sheet.refresh_from_db()
    services.sheet_review(
        actor=actor,
        sheet=sheet,
        points={lines["1"].pk: (a, "Chấm lại theo hồ sơ"), lines["2"].pk: (b, "Chấm lại theo hồ sơ")},
    )
    if status == "published":
        services.results_publish(actor=actor, sheets=[sheet])
    sheet.refresh_from_db()
    return sheet


# --- The matrix world -----------------------------------------------------------------------


def quick_sheet(unit, period, cs, status, self_points, review_points=None):
    """A sheet in ``status`` written straight to the database (the matrix world is built for
    every case, so it stays cheap); totals and classifications as the services would set them."""
    self_total = sum(self_points, Decimal("0"))
    review_total = None if review_points is None else sum(review_points, Decimal("0"))
    bands = list(cs.bands.order_by("-min_score"))
    now = timezone.now()
    sheet = ScoreSheet.objects.create(
        unit=unit,
        period=period,
        criteria_set=cs,
        status=status,
        self_total=self_total,
        self_class=services.classify(cs, self_total, has_zero=False, bands=bands),
        review_total=review_total,
        review_class=services.classify(cs, review_total, has_zero=False, bands=bands),
        submitted_at=None if status == "draft" else now,
        reviewed_at=now if review_points is not None else None,
        published_at=now if status == "published" else None,
    )
    criteria = list(cs.criteria.filter(is_group=False).order_by("order"))
    ScoreLine.objects.bulk_create(
        [
            ScoreLine(
                sheet=sheet,
                criterion=c,
                self_points=points,
                review_points=None if review_points is None else review_points[i],
                review_note="" if review_points is None else "Chấm lại theo hồ sơ",
            )
            for i, (c, points) in enumerate(zip(criteria, self_points, strict=True))
        ]
    )
    return sheet


def extend_world(world):
    p, a = world["units"]["p"], world["units"]["a"]
    cs = world["rk_set"] = small_set(p)
    world["rk_draft_set"] = small_set(p, publish=False, name="Bộ tiêu chí dự thảo (xã)")
    world["rk_period"] = make_period(p, "Năm 2025 (xếp loại)")
    d = Decimal
    world["rk_sheet"] = quick_sheet(a, world["rk_period"], cs, "submitted", [d(50), d(35)])
    # One sheet of commune A in each other state, each in its own period.
    periods = ReportingPeriod.objects.bulk_create(
        [
            ReportingPeriod(
                province=p,
                kind="quarterly",
                year=2025,
                label=f"Quý {n}/2025 (xếp loại)",
                data_start=dt.date(2025, 1, 1),
                data_end=dt.date(2025, 3 * n, 28),
                due_date=dt.date(2025, 3 * n, 28),
            )
            for n in (1, 2, 3)
        ]
    )
    world["rk_draft"] = quick_sheet(a, periods[0], cs, "draft", [d(40), d(30)])
    world["rk_reviewed"] = quick_sheet(a, periods[1], cs, "reviewed", [d(52), d(36)], [d(50), d(36)])
    world["rk_published"] = quick_sheet(a, periods[2], cs, "published", [d(55), d(36)], [d(55), d(30)])
    line = world["rk_sheet"].lines.order_by("criterion__order").first()
    world["rk_evidence"] = Evidence.objects.create(
        line=line, file="evidence/0/minh-chung.pdf", original_name="minh-chung.pdf", size=1024
    )


def pk(key):
    return lambda w: w[key].pk


def first_line(key):
    return lambda w: w[key].lines.order_by("criterion__order").first().pk


# Province P's periods: everyone of province P (reporters and reviewers included) picks them.
PERIOD_P = {"rep_a": 200, "rep_b": 200, "rev_x": 200, "rev_y": 200, "st_p": 200, "st_q": 404, "admin": 200}
# District X as the ranking's scope.
SEES_X = {"rep_a": 404, "rep_b": 404, "rev_x": 200, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}
EVERYONE = {**ALL_SIGNED_IN, **API_ANON}
READS_A = {**SEES_A, **API_ANON}
WRITES_A = {**REPORTS_A, **API_ANON}
REVIEWS_A = {"rep_a": 403, "rep_b": 404, "rev_x": 200, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}
STEERS_P = {"rep_a": 404, "rep_b": 404, "rev_x": 404, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}
# Publishing: steering only (403 for the others); steering Q does not see the sheet (404).
PUBLISHES_A = {"rep_a": 403, "rep_b": 403, "rev_x": 403, "rev_y": 403, "st_p": 200, "st_q": 404, "admin": 200}


def ranking_url(name, **params):
    def build(w):
        query = "&".join(f"{k}={v(w)}" for k, v in params.items())
        return reverse(name) + (f"?{query}" if query else "")

    return build


def sheet_action(name, key):
    return u(f"api-score-sheet-{name}", pk(key))


ROUTES = {
    "ranking": [
        Row(u("ranking"), OWN_PAGE),
        Row(ranking_url("ranking", period=pk("rk_period")), {**PERIOD_P, **ANON_LOGIN}),
        Row(
            ranking_url("ranking", period=pk("rk_period"), unit=lambda w: w["units"]["x"].pk),
            {**SEES_X, **ANON_LOGIN},
        ),
    ],
    "ranking-export": [
        Row(ranking_url("ranking-export", period=pk("rk_period")), {**PERIOD_P, **ANON_LOGIN}),
        Row(
            ranking_url(
                "ranking-export", period=pk("rk_period"), unit=lambda w: w["units"]["x"].pk, kind=lambda w: "commune"
            ),
            {**SEES_X, **ANON_LOGIN},
        ),
    ],
    "api-criteria-set-list": [Row(u("api-criteria-set-list"), EVERYONE)],
    "api-criteria-set-detail": [
        Row(u("api-criteria-set-detail", pk("rk_set")), EVERYONE),
        Row(u("api-criteria-set-detail", pk("rk_draft_set")), {**STEERS_P, **API_ANON}),
    ],
    "api-score-sheet-list": [Row(u("api-score-sheet-list"), EVERYONE)],
    "api-score-sheet-detail": [Row(u("api-score-sheet-detail", pk("rk_sheet")), READS_A)],
    "api-score-sheet-self-score": [
        Row(
            sheet_action("self-score", "rk_draft"),
            WRITES_A,
            method="post",
            data=lambda w: {
                "version": w["rk_draft"].version,
                "lines": [{"line": first_line("rk_draft")(w), "points": "55", "note": "Đủ 14 nội dung"}],
            },
            writes=True,
            json=True,
        )
    ],
    "api-score-sheet-submit": [
        Row(sheet_action("submit", "rk_draft"), WRITES_A, method="post", writes=True, json=True)
    ],
    "api-score-sheet-review": [
        Row(
            sheet_action("review", "rk_sheet"),
            {**REVIEWS_A, **API_ANON},
            method="post",
            data=lambda w: {
                "version": w["rk_sheet"].version,
                "lines": [{"line": first_line("rk_sheet")(w), "points": "50", "note": "Thiếu biên bản"}],
            },
            writes=True,
            json=True,
        )
    ],
    "api-score-sheet-return": [
        Row(
            sheet_action("return", "rk_sheet"),
            {**REVIEWS_A, **API_ANON},
            method="post",
            data=lambda w: {"reason": "Bổ sung minh chứng tiêu chí 1"},
            writes=True,
            json=True,
        )
    ],
    "api-score-sheet-appeal": [
        Row(
            sheet_action("appeal", "rk_published"),
            WRITES_A,
            method="post",
            data=lambda w: {"note": "Đề nghị xem xét lại tiêu chí 2"},
            writes=True,
            json=True,
        )
    ],
    "api-score-sheet-publish": [
        Row(
            u("api-score-sheet-publish"),
            {**PUBLISHES_A, **API_ANON},
            method="post",
            data=lambda w: {"ids": [w["rk_reviewed"].pk]},
            writes=True,
            json=True,
        )
    ],
    "api-evidence-list": [Row(u("api-evidence-list"), EVERYONE)],
    "api-evidence-detail": [Row(u("api-evidence-detail", pk("rk_evidence")), READS_A)],
}
