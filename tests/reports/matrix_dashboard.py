"""Permission-matrix rows for the dashboard (see tests/test_permission_matrix.py): the page
(default scope, and commune A's scope) and its six JSON series for commune A."""

import datetime as dt

from django.urls import reverse

from reports.dashboards import SERIES
from reports.models import ReportingPeriod
from tests.matrix import ANON_LOGIN, API_ANON, OWN_PAGE, SEES_A, Row, u


def extend_world(world):
    today = dt.date.today()
    world["dashboard_period"] = ReportingPeriod.objects.create(
        province=world["units"]["p"],
        kind=ReportingPeriod.Kind.ANNUAL,
        year=today.year,
        label="Kỳ bảng điều khiển ma trận",
        data_start=today - dt.timedelta(days=300),
        data_end=today - dt.timedelta(days=10),
        due_date=today - dt.timedelta(days=5),
    )


def _scope_a(name):
    return lambda w: f"{reverse(name)}?scope={w['units']['a'].pk}&period={w['dashboard_period'].pk}"


ROUTES = {
    "dashboard": [
        Row(u("dashboard"), OWN_PAGE),
        Row(_scope_a("dashboard"), {**SEES_A, **ANON_LOGIN}),
    ],
    **{
        f"api-dashboard-{series}": [Row(_scope_a(f"api-dashboard-{series}"), {**SEES_A, **API_ANON})]
        for series in SERIES
    },
}
