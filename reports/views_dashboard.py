"""The dashboard (bảng điều khiển) of district reviewers and the provincial steering committee:
a page that renders every figure in tables (it works without JavaScript) and one JSON
endpoint per series, from which static/js/dashboard.js draws the charts. Visibility goes
through units/access.py; the figures come from reports/dashboards.py."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.dashboards import SERIES, Dashboard
from reports.views_progress import _int, api_scope_and_period, default_period, province_periods, top_scope_units
from units import access
from units.models import Unit, UnitKind


def _scope_for(user, raw: str | None, tops: list[Unit]) -> Unit | None:
    """The scope asked for (404 when out of sight), else the first unit of the user's scope."""
    if not raw:
        return tops[0] if tops else None
    scope_id = _int(raw)
    scope = next((u for u in tops if u.pk == scope_id), None)
    if scope is None:
        scope = access.get_for_user(user, access.VIEW, Unit.objects.all(), pk=scope_id)
    access.require(user, access.VIEW, scope)
    return scope


def _parent_in_sight(user, scope: Unit) -> int | None:
    """The parent's id when the user may view it (from the path: no query)."""
    if not scope.parent_id:
        return None
    parent_path = scope.path[: scope.path.rstrip("/").rfind("/") + 1]
    return scope.parent_id if access.scope(user, access.VIEW).covers(parent_path) else None


def chart_labels() -> dict[str, str]:
    """Translated labels the charts need (passed to the script in a data- attribute)."""
    return {
        "on_time": _("Đúng hạn"),
        "late": _("Muộn"),
        "missing": _("Chưa gửi"),
        "sessions": _("Số hội nghị"),
        "raised": _("Tiếp nhận"),
        "resolved": _("Đã giải quyết, trả lời"),
        "overdue": _("Quá hạn"),
        "inspection": _("Ban Thanh tra nhân dân"),
        "community": _("Ban Giám sát đầu tư cộng đồng"),
        "supervisions": _("Số cuộc giám sát"),
        "sheets": _("Số phiếu"),
        "direct": _("trực tiếp"),
    }


@login_required
def dashboard(request):
    user = request.user
    tops = top_scope_units(user)
    scope = _scope_for(user, request.GET.get("scope"), tops)
    context = {"tops": tops, "scope": scope, "periods": [], "period": None, "figures": None}
    if scope is not None:
        periods = list(province_periods(scope))
        if request.GET.get("period"):
            period = next((p for p in periods if p.pk == _int(request.GET.get("period"))), None)
            if period is None:
                raise Http404
        else:
            period = default_period(periods)
        board = Dashboard(scope, period) if period is not None else None
        context.update(
            periods=periods,
            period=period,
            parent_id=_parent_in_sight(user, scope),
            # The children to drill down to (hamlets hold no figures of their own).
            children=[u for u in board.children if u.kind != UnitKind.HAMLET] if board else [],
        )
        if board is not None:
            query = urlencode({"scope": scope.pk, "period": period.pk})
            figures = board.everything()
            context.update(
                figures=figures,
                as_of=min(f["as_of"] for f in figures.values()),  # the oldest cached series
                endpoints={name: f"{reverse(f'api-dashboard-{name}')}?{query}" for name in SERIES},
                labels_json=json.dumps(chart_labels(), ensure_ascii=False),
            )
    return render(request, "reports/dashboard.html", context)


# --- The API -----------------------------------------------------------------------------------


class DashboardApi(APIView):
    """One series of the dashboard for a scope unit and a reporting period of its province."""

    series = ""

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", OpenApiTypes.INT, required=True, description="Đơn vị phạm vi"),
            OpenApiParameter("period", OpenApiTypes.INT, required=True, description="Kỳ báo cáo"),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="as_of, scope, period và số liệu của chuỗi"),
            400: OpenApiResponse(description="Thiếu hoặc sai tham số"),
            404: OpenApiResponse(description="Không tìm thấy đơn vị hoặc kỳ báo cáo"),
        },
    )
    def get(self, request):
        scope, period = api_scope_and_period(request)
        return Response(Dashboard(scope, period).series(self.series))


class CompletenessSeriesApi(DashboardApi):
    """Reports expected, submitted, on time, late, missing and approved per direct child of the scope."""

    series = "completeness"


class DialoguesSeriesApi(DashboardApi):
    """Dialogue sessions of the scope's subtree per month of the data window and per level."""

    series = "dialogues"


class PetitionsSeriesApi(DashboardApi):
    """Petitions raised at the sessions of the window, resolved and overdue, per direct child."""

    series = "petitions"


class SupervisionsSeriesApi(DashboardApi):
    """Supervisions of the window by field and community supervisions by funding source."""

    series = "supervisions"


class ClassificationSeriesApi(DashboardApi):
    """Review classes of the period's score sheets, in the order of the province's bands."""

    series = "classification"


class YearOnYearSeriesApi(DashboardApi):
    """The window's figures against the same window one year earlier."""

    series = "year_on_year"


API_VIEWS = {
    view.series: view
    for view in (
        CompletenessSeriesApi,
        DialoguesSeriesApi,
        PetitionsSeriesApi,
        SupervisionsSeriesApi,
        ClassificationSeriesApi,
        YearOnYearSeriesApi,
    )
}
