"""Permission-matrix rows for the reporting progress pages and API (see
tests/test_permission_matrix.py): the completeness page and API, the reminders sent."""

import datetime as dt

from django.urls import reverse

from reports.catalogue import install_defaults
from reports.models import ReportingPeriod
from tests.matrix import ANON_LOGIN, API_ANON, OWN_PAGE, SEES_A, Row, u


def extend_world(world):
    p = world["units"]["p"]
    install_defaults(p)
    world["progress_period"] = ReportingPeriod.objects.create(
        province=p,
        kind=ReportingPeriod.Kind.SEMIANNUAL,
        year=2025,
        label="Kỳ tiến độ ma trận",
        data_start=dt.date(2024, 10, 15),
        data_end=dt.date(2025, 5, 15),
        due_date=dt.date(2025, 5, 20),
    )


def _scope_a(name):
    return lambda w: f"{reverse(name)}?scope={w['units']['a'].pk}&period={w['progress_period'].pk}"


ROUTES = {
    "report-completeness": [
        Row(u("report-completeness"), OWN_PAGE),
        Row(_scope_a("report-completeness"), {**SEES_A, **ANON_LOGIN}),
    ],
    "report-reminders": [Row(u("report-reminders"), OWN_PAGE)],
    "api-completeness": [Row(_scope_a("api-completeness"), {**SEES_A, **API_ANON})],
}
