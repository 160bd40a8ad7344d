"""Permission-matrix rows for the unit-report pages (see tests/test_permission_matrix.py).
Every report belongs to commune A of province P."""

import datetime as dt

from reports import services
from reports.catalogue import install_defaults
from reports.models import ReportingPeriod
from tests.matrix import ANON_LOGIN, OWN_PAGE, PERSONAS, REPORTS_A, SEES_A, Row, redirect_when_allowed, u

REVIEWS_A = {"rep_a": 403, "rep_b": 404, "rev_x": 200, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}
WRITES_A = {**redirect_when_allowed(REPORTS_A), **ANON_LOGIN}
REVIEW_WRITES_A = {**redirect_when_allowed(REVIEWS_A), **ANON_LOGIN}
POST_ONLY = {**{p: 405 for p in PERSONAS if p != "anon"}, **ANON_LOGIN}


def extend_world(world):
    p, a = world["units"]["p"], world["units"]["a"]
    install_defaults(p)
    today = dt.date.today()

    def period(n):
        return ReportingPeriod.objects.create(
            province=p,
            kind=ReportingPeriod.Kind.AD_HOC,
            year=today.year,
            label=f"Kỳ báo cáo ma trận {n}",
            data_start=today - dt.timedelta(days=200),
            data_end=today,
            due_date=today + dt.timedelta(days=20),
            lock_date=today + dt.timedelta(days=50),
        )

    world["reports_draft"] = services.report_open(actor=None, unit=a, period=period(1))
    submitted = services.report_open(actor=None, unit=a, period=period(2))
    services.report_submit(actor=None, report=submitted)
    world["reports_submitted"] = submitted
    approved = services.report_open(actor=None, unit=a, period=period(3))
    services.report_submit(actor=None, report=approved)
    services.report_approve(actor=None, report=approved)
    world["reports_approved"] = approved
    world["reports_new_period"] = period(4)


def obj(key):
    return lambda w: w[key].pk


def save_payload(w):
    r = w["reports_draft"]
    manual = r.values.get(indicator__code="08.01")
    section = r.sections.order_by("pk").first()
    return {"version": r.version, f"value-{manual.pk}": "3", f"section-{section.pk}": "Đã công khai ngân sách"}


def action(name, key):
    return u("report-action", obj(key), name)


ROUTES = {
    "report-list": [Row(u("report-list"), OWN_PAGE)],
    "report-open": [
        Row(u("report-open"), POST_ONLY),
        # Reporter B may open reports, but not for commune A: the form refuses the unit.
        Row(
            u("report-open"),
            {
                "rep_a": 302,
                "rep_b": 400,
                "rev_x": 403,
                "rev_y": 403,
                "st_p": 403,
                "st_q": 403,
                "admin": 302,
                "anon": 302,
            },
            method="post",
            data=lambda w: {"unit": w["units"]["a"].pk, "period": w["reports_new_period"].pk},
            writes=True,
        ),
    ],
    "report-detail": [
        Row(u("report-detail", obj("reports_draft")), {**SEES_A, **ANON_LOGIN}),
        Row(u("report-detail", obj("reports_approved")), {**SEES_A, **ANON_LOGIN}),
    ],
    "report-save": [
        Row(u("report-save", obj("reports_draft")), POST_ONLY),
        Row(u("report-save", obj("reports_draft")), WRITES_A, method="post", data=save_payload, writes=True),
    ],
    "report-action": [
        Row(action("tra-lai", "reports_submitted"), POST_ONLY),
        Row(
            action("tra-lai", "reports_submitted"),
            REVIEW_WRITES_A,
            method="post",
            data=lambda w: {"version": w["reports_submitted"].version, "reason": "Bổ sung Biểu 08"},
            writes=True,
        ),
        Row(
            action("phe-duyet", "reports_submitted"),
            REVIEW_WRITES_A,
            method="post",
            data=lambda w: {"version": w["reports_submitted"].version},
            writes=True,
        ),
        Row(
            action("khoa", "reports_approved"),
            REVIEW_WRITES_A,
            method="post",
            data=lambda w: {"version": w["reports_approved"].version},
            writes=True,
        ),
    ],
    "report-bulk-approve": [
        Row(u("report-bulk-approve"), POST_ONLY),
        Row(
            u("report-bulk-approve"),
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 302,
                "rev_y": 404,
                "st_p": 302,
                "st_q": 404,
                "admin": 302,
                "anon": 302,
            },
            method="post",
            data=lambda w: {"reports": [w["reports_submitted"].pk]},
            writes=True,
        ),
    ],
}
