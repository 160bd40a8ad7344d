"""Progress of reporting: the completeness page (tiến độ gửi báo cáo) and its API, and the
list of reminder e-mails sent. Visibility goes through units/access.py; the counting lives
in reports/completeness.py."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import completeness
from reports.models import Reminder, ReportingPeriod
from units import access
from units.models import Unit, UnitKind

PAGE_SIZE = 50


# --- Choosing the scope and the period -------------------------------------------------------


def _int(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def top_scope_units(user) -> list[Unit]:
    """The units at the top of the user's VIEW scope (for a superuser: the provinces)."""
    s = access.scope(user, access.VIEW)
    if s.everything:
        qs = Unit.objects.filter(kind=UnitKind.PROVINCE, parent__isnull=True)
    else:
        qs = access.for_user(user, access.VIEW, Unit.objects.filter(path__in=s.paths))
    return list(qs.order_by("depth", "name_key"))


def province_periods(unit: Unit):
    return ReportingPeriod.objects.filter(province_id=int(unit.path.strip("/").split("/")[0])).order_by(
        "-data_end", "-pk"
    )


def default_period(periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """The period being collected now: among those whose data window has begun, the one due
    first that is still open (not past its lock date, or due within the last 30 days when it
    has none); else the latest begun; else the earliest to come."""
    today = timezone.localdate()
    started = [p for p in periods if p.data_start <= today]
    open_ = [
        p
        for p in started
        if (p.lock_date and p.lock_date >= today) or (not p.lock_date and p.due_date >= today - dt.timedelta(days=30))
    ]
    if open_:
        return min(open_, key=lambda p: (p.due_date, p.pk))
    if started:
        return started[0]
    return periods[-1] if periods else None


def api_scope_and_period(request) -> tuple[Unit, ReportingPeriod]:
    """The ``?scope=&period=`` of an API call: 400 when malformed, 404 when the unit is out of
    the caller's sight or the period is not its province's."""
    raw_scope = request.query_params.get("scope", "").strip()
    raw_period = request.query_params.get("period", "").strip()
    errors = {}
    if not raw_scope.isdigit():
        errors["scope"] = [_("Hãy chọn đơn vị phạm vi (mã số của đơn vị).")]
    if not raw_period.isdigit():
        errors["period"] = [_("Hãy chọn kỳ báo cáo (mã số của kỳ).")]
    if errors:
        raise ValidationError(errors)
    scope = access.for_user(request.user, access.VIEW).filter(pk=int(raw_scope)).first()
    if scope is None:
        raise NotFound(_("Không tìm thấy đơn vị."))
    period = province_periods(scope).filter(pk=int(raw_period)).first()
    if period is None:
        raise NotFound(_("Không tìm thấy kỳ báo cáo của tỉnh này."))
    return scope, period


# --- The page --------------------------------------------------------------------------------


@login_required
def completeness_page(request):
    user = request.user
    tops = top_scope_units(user)
    scope_id = _int(request.GET.get("scope"))
    if request.GET.get("scope"):
        scope = access.get_for_user(user, access.VIEW, Unit.objects.all(), pk=scope_id)
    else:
        scope = tops[0] if tops else None
    context = {"tops": tops, "scope": scope, "periods": [], "period": None, "result": None}
    if scope is not None:
        periods = list(province_periods(scope))
        context["periods"] = periods
        if request.GET.get("period"):
            period = next((p for p in periods if p.pk == _int(request.GET.get("period"))), None)
            if period is None:
                raise Http404
        else:
            period = default_period(periods)
        context["period"] = period
        # The way back up, as far as the user sees.
        context["trail"] = list(access.for_user(user, access.VIEW, scope.ancestors()))
        if period is not None:
            context["result"] = completeness.completeness(scope, period)
    return render(request, "reports/progress/completeness.html", context)


# --- The API ---------------------------------------------------------------------------------


class CountsOutput(serializers.Serializer):
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()
    approved = serializers.IntegerField()
    returned = serializers.IntegerField()


class CompletenessRowOutput(serializers.Serializer):
    unit = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    communes = CountsOutput()
    agencies = CountsOutput()


class CompletenessUnitOutput(serializers.Serializer):
    unit = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.ChoiceField(choices=[completeness.MISSING, completeness.ON_TIME, completeness.LATE])
    report = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    first_submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)


class CompletenessOutput(serializers.Serializer):
    scope = serializers.IntegerField()
    period = serializers.IntegerField()
    communes = CountsOutput()
    agencies = CountsOutput()
    rows = CompletenessRowOutput(many=True)
    units = CompletenessUnitOutput(many=True, allow_null=True)


class CompletenessApi(APIView):
    """Reporting completeness of a period in a scope unit: totals for communes and for agencies,
    one row per direct child of the scope, and (from the commune down) the per-unit list."""

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", OpenApiTypes.INT, required=True, description="Đơn vị phạm vi"),
            OpenApiParameter("period", OpenApiTypes.INT, required=True, description="Kỳ báo cáo"),
        ],
        responses={
            200: CompletenessOutput,
            400: OpenApiResponse(description="Thiếu hoặc sai tham số"),
            404: OpenApiResponse(description="Không tìm thấy đơn vị hoặc kỳ báo cáo"),
        },
    )
    def get(self, request):
        scope, period = api_scope_and_period(request)
        return Response(CompletenessOutput(completeness.completeness(scope, period).as_dict()).data)


# --- Reminders sent ----------------------------------------------------------------------------


@login_required
def reminder_list(request):
    user = request.user
    qs = access.for_user(user, access.VIEW, Reminder.objects.select_related("unit", "period", "recipient"))
    periods = list(
        ReportingPeriod.objects.filter(pk__in=qs.order_by().values("period_id").distinct()).order_by("-data_end", "-pk")
    )
    period = None
    if request.GET.get("period"):
        period = next((p for p in periods if p.pk == _int(request.GET.get("period"))), None)
        if period is None:
            raise Http404
        qs = qs.filter(period=period)
    page = Paginator(qs.order_by("-sent_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/progress/reminder_list.html",
        {"page_obj": page, "periods": periods, "period": period, "query_string": query.urlencode()},
    )
