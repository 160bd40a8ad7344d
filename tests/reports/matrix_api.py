"""Permission-matrix rows for /api/v1/periods/, report-templates/ and reports/ (see
tests/test_permission_matrix.py). The periods and templates belong to province P, every
report to commune A."""

import datetime as dt

from reports.models import ReportTemplate
from tests.matrix import ALL_SIGNED_IN, API_ANON, REPORTS_A, SEES_A, Row, u

EVERYONE = {**ALL_SIGNED_IN, **API_ANON}
READS_A = {**SEES_A, **API_ANON}
WRITES_A = {**REPORTS_A, **API_ANON}
REVIEWS_A = {"rep_a": 403, "rep_b": 404, "rev_x": 200, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200, **API_ANON}
# Province P's periods and templates: read by everyone who works in province P.
PROVINCE_P = {**ALL_SIGNED_IN, "st_q": 404, **API_ANON}
# Edited by province P's steering committee (and admins); the others of P only read.
STEERS_P = {"rep_a": 403, "rep_b": 403, "rev_x": 403, "rev_y": 403, "st_p": 200, "st_q": 404, "admin": 200, **API_ANON}


def extend_world(world):
    """The reports of tests/reports/matrix_reports.py (draft, submitted, approved and a new
    period of commune A), shared so the world is built once per case."""
    p = world["units"]["p"]
    for mine, theirs in (
        ("api_rp_draft", "reports_draft"),
        ("api_rp_submitted", "reports_submitted"),
        ("api_rp_approved", "reports_approved"),
        ("api_rp_new_period", "reports_new_period"),
    ):
        world[mine] = world[theirs]
    world["api_rp_template"] = ReportTemplate.objects.filter(province=p, applies_to="commune").first()
    for key in ("api_rp_draft", "api_rp_submitted", "api_rp_approved"):
        world[key].refresh_from_db()


def pk(key):
    return lambda w: w[key].pk


def report_action(name, key):
    return u(f"api-report-{name}", pk(key))


def version(key, **extra):
    return lambda w: {"version": w[key].version, **extra}


def new_period(w):
    return {
        "province": w["units"]["p"].pk,
        "kind": "quarterly",
        "year": 2026,
        "label": "Báo cáo quý IV năm 2026 (API)",
        "data_start": "2026-10-01",
        "data_end": "2026-12-31",
        "due_date": "2027-01-10",
        "lock_date": "2027-02-10",
    }


def save_payload(w):
    report = w["api_rp_draft"]
    manual = report.values.get(indicator__code="08.01")
    section = report.sections.order_by("pk").first()
    return {
        "version": report.version,
        "values": [{"id": manual.pk, "value": 3}],
        "sections": [{"id": section.pk, "text": "Đã niêm yết công khai ngân sách xã."}],
    }


ROUTES = {
    "api-period-list": [
        Row(u("api-period-list"), EVERYONE),
        # Only steering committees create periods; steering Q may, but not for province P (400).
        Row(
            u("api-period-list"),
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 403,
                "rev_y": 403,
                "st_p": 201,
                "st_q": 400,
                "admin": 201,
                "anon": 403,
            },
            method="post",
            data=new_period,
            writes=True,
            json=True,
        ),
    ],
    "api-period-detail": [
        Row(u("api-period-detail", pk("api_rp_new_period")), PROVINCE_P),
        Row(
            u("api-period-detail", pk("api_rp_new_period")),
            STEERS_P,
            method="patch",
            data=lambda w: {"due_date": (dt.date.today() + dt.timedelta(days=30)).isoformat()},
            writes=True,
            json=True,
        ),
    ],
    "api-report-template-list": [Row(u("api-report-template-list"), EVERYONE)],
    "api-report-template-detail": [Row(u("api-report-template-detail", pk("api_rp_template")), PROVINCE_P)],
    "api-report-list": [
        Row(u("api-report-list"), EVERYONE),
        # Opening needs REPORT somewhere (403), then on commune A (reporter B does not see it: 404).
        Row(
            u("api-report-list"),
            {
                "rep_a": 201,
                "rep_b": 404,
                "rev_x": 403,
                "rev_y": 403,
                "st_p": 403,
                "st_q": 403,
                "admin": 201,
                "anon": 403,
            },
            method="post",
            data=lambda w: {"unit": w["units"]["a"].pk, "period": w["api_rp_new_period"].pk},
            writes=True,
            json=True,
        ),
    ],
    "api-report-detail": [
        Row(u("api-report-detail", pk("api_rp_draft")), READS_A),
        Row(
            u("api-report-detail", pk("api_rp_draft")),
            WRITES_A,
            method="patch",
            data=save_payload,
            writes=True,
            json=True,
        ),
    ],
    "api-report-submit": [
        Row(
            report_action("submit", "api_rp_draft"),
            WRITES_A,
            method="post",
            data=version("api_rp_draft"),
            writes=True,
            json=True,
        )
    ],
    "api-report-return": [
        Row(
            report_action("return", "api_rp_submitted"),
            REVIEWS_A,
            method="post",
            data=version("api_rp_submitted", reason="Bổ sung số liệu Biểu 08"),
            writes=True,
            json=True,
        )
    ],
    "api-report-approve": [
        Row(
            report_action("approve", "api_rp_submitted"),
            REVIEWS_A,
            method="post",
            data=version("api_rp_submitted", comment="Đạt yêu cầu"),
            writes=True,
            json=True,
        )
    ],
    "api-report-lock": [
        Row(
            report_action("lock", "api_rp_approved"),
            REVIEWS_A,
            method="post",
            data=version("api_rp_approved"),
            writes=True,
            json=True,
        )
    ],
    "api-report-exception": [
        Row(
            report_action("exception", "api_rp_draft"),
            REVIEWS_A,
            method="post",
            data=lambda w: {"until": (dt.date.today() + dt.timedelta(days=60)).isoformat(), "comment": "Bổ sung"},
            writes=True,
            json=True,
        )
    ],
    "api-report-bulk-approve": [
        # Reviewers only (403); reviewer Y and steering Q do not see the report (404).
        Row(
            u("api-report-bulk-approve"),
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 200,
                "rev_y": 404,
                "st_p": 200,
                "st_q": 404,
                "admin": 200,
                "anon": 403,
            },
            method="post",
            data=lambda w: {"ids": [w["api_rp_submitted"].pk]},
            writes=True,
            json=True,
        )
    ],
}
