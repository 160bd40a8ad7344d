"""/api/v1/ for reporting periods, report templates and unit reports with their workflow.

Periods and templates belong to a province: they are read by everyone who works in it
(reports.periods.readable_provinces) and periods are created and edited by its steering
committee (STEER on the province), through reports.periods.period_save, the same service
as the browser's forms. Unit reports are unit-owned: visibility comes from access.for_user
(out of scope → 404; visible but not allowed → 403). Every write goes through
reports/services.py; its Vietnamese messages come back as 400, a stale ``version`` as 409.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from criteria.models import AppliesTo
from dialogues.api import ErrorOutput, StaleOutput, _subtree
from reports import periods, services
from reports.models import (
    Indicator,
    IndicatorTable,
    ReportEvent,
    ReportingPeriod,
    ReportSection,
    ReportStatus,
    ReportTemplate,
    ReportValue,
    TemplateSection,
    UnitReport,
)
from reports.serializers import (
    BulkApproveInput,
    BulkApproveOutput,
    PeriodInput,
    PeriodOutput,
    ReportApproveInput,
    ReportDetailOutput,
    ReportExceptionInput,
    ReportLockInput,
    ReportOpenInput,
    ReportOutput,
    ReportReturnInput,
    ReportSaveInput,
    ReportSubmitInput,
    ReportTemplateOutput,
)
from units import access
from units.models import Unit

# --- Shared helpers ----------------------------------------------------------------------


def _service_errors(exc: DjangoValidationError) -> dict:
    """A service's ValidationError as the API's {field: [messages]}; the figures' errors (keyed
    by the value's id) are gathered under ``values``."""
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": [str(m) for m in exc.messages]}
    out: dict = {}
    values: dict[str, list[str]] = {}
    for name, errors in exc.error_dict.items():
        messages = [str(m) for e in errors for m in e.messages]
        if str(name).isdigit():
            values[str(name)] = messages
        else:
            out[name] = messages
    if values:
        out["values"] = values
    return out


def _is_stale(exc: DjangoValidationError) -> bool:
    return isinstance(exc, services.StaleReport) or any(
        getattr(e, "code", None) == "stale" for e in getattr(exc, "error_list", [])
    )


def _stale(report: UnitReport) -> Response:
    current = UnitReport.objects.filter(pk=report.pk).values_list("version", flat=True).first()
    return Response({"detail": services.stale_message(), "version": current}, status=status.HTTP_409_CONFLICT)


# --- Periods ------------------------------------------------------------------------------


class PeriodFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="year", label="Năm")
    province = django_filters.NumberFilter(field_name="province_id", label="Tỉnh")
    kind = django_filters.ChoiceFilter(choices=ReportingPeriod.Kind.choices, label="Loại kỳ")

    class Meta:
        model = ReportingPeriod
        fields = ["year", "province", "kind"]


_PERIOD_WRITE_RESPONSES = {
    400: OpenApiResponse(description="Ngày không hợp lệ, trùng tên kỳ hoặc tỉnh ngoài phạm vi"),
    403: ErrorOutput,
    404: ErrorOutput,
}


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Reporting periods (kỳ báo cáo) of the provinces the caller works in, with their number of reports.

    The steering committee of the province creates and edits them: the data window, the deadline
    (not before the window starts) and the lock date (not before the deadline). Once units have
    reports for a period, its kind, year and data window no longer change.
    """

    serializer_class = PeriodOutput
    filterset_class = PeriodFilter

    def get_queryset(self):
        return periods.visible_periods(self.request.user).order_by("-year", "data_end", "pk")

    def _province(self, pk) -> Unit:
        province = periods.steerable_provinces(self.request.user).filter(pk=pk).first()
        if province is None:
            raise ValidationError({"province": [_("Bạn không cấu hình kỳ báo cáo của tỉnh này.")]})
        return province

    def _save(self, data: dict, period: ReportingPeriod | None, code: int) -> Response:
        try:
            saved = periods.period_save(data=data, period=period)
        except DjangoValidationError as exc:
            raise ValidationError(_service_errors(exc)) from None
        fresh = self.get_queryset().get(pk=saved.pk)
        return Response(PeriodOutput(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=PeriodInput, responses={201: PeriodOutput, **_PERIOD_WRITE_RESPONSES}, summary="Tạo kỳ")
    def create(self, request):
        if not access.can(request.user, access.STEER):
            raise ApiPermissionDenied(_("Chỉ Ban Chỉ đạo cấp tỉnh được tạo kỳ báo cáo."))
        parsed = PeriodInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = dict(parsed.validated_data)
        data["province"] = self._province(data["province"])
        return self._save(data, None, status.HTTP_201_CREATED)

    def _update(self, request, pk, partial: bool) -> Response:
        period = self.get_object()
        if not access.can(request.user, access.STEER, period.province):
            raise ApiPermissionDenied(_("Chỉ Ban Chỉ đạo của tỉnh được sửa kỳ báo cáo."))
        parsed = PeriodInput(data=request.data, partial=partial)
        parsed.is_valid(raise_exception=True)
        data = dict(parsed.validated_data)
        if "province" in data:
            data["province"] = self._province(data["province"])
        return self._save(data, period, status.HTTP_200_OK)

    @extend_schema(request=PeriodInput, responses={200: PeriodOutput, **_PERIOD_WRITE_RESPONSES}, summary="Sửa kỳ")
    def update(self, request, pk=None):
        return self._update(request, pk, partial=False)

    @extend_schema(
        request=PeriodInput, responses={200: PeriodOutput, **_PERIOD_WRITE_RESPONSES}, summary="Sửa một phần kỳ"
    )
    def partial_update(self, request, pk=None):
        return self._update(request, pk, partial=True)


# --- Templates ----------------------------------------------------------------------------


class TemplateFilter(django_filters.FilterSet):
    province = django_filters.NumberFilter(field_name="province_id", label="Tỉnh")
    applies_to = django_filters.ChoiceFilter(choices=AppliesTo.choices, label="Áp dụng cho")
    active = django_filters.BooleanFilter(label="Đang dùng")

    class Meta:
        model = ReportTemplate
        fields = ["province", "applies_to", "active"]


class ReportTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Report templates (mẫu báo cáo) of the provinces the caller works in: the tables (biểu)
    with their indicators in use today, and the narrative sections. Edited in the browser."""

    serializer_class = ReportTemplateOutput
    filterset_class = TemplateFilter

    def get_queryset(self):
        today = timezone.localdate()
        in_use = Indicator.objects.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=today)).order_by(
            "order", "code"
        )
        tables = IndicatorTable.objects.order_by("order", "code").prefetch_related(
            Prefetch("indicators", queryset=in_use, to_attr="active_indicators")
        )
        return (
            ReportTemplate.objects.filter(province__in=periods.readable_provinces(self.request.user))
            .select_related("province")
            .prefetch_related(
                Prefetch("tables", queryset=tables),
                Prefetch("sections", queryset=TemplateSection.objects.order_by("order", "pk")),
            )
            .order_by("province__name", "applies_to", "pk")
        )


# --- Unit reports -------------------------------------------------------------------------


class ReportFilter(django_filters.FilterSet):
    period = django_filters.NumberFilter(field_name="period_id", label="Kỳ")
    unit = django_filters.NumberFilter(method="filter_unit", label="Đơn vị (cả các đơn vị trực thuộc)")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label="Trạng thái")

    class Meta:
        model = UnitReport
        fields = ["period", "unit", "status"]

    def filter_unit(self, qs, name, value):
        return _subtree(qs, value, "unit__path")


def _action_schema(request, summary, code=200):
    return extend_schema(
        request=request,
        responses={
            code: ReportDetailOutput,
            400: OpenApiResponse(description="Lỗi nhập liệu hoặc báo cáo không ở trạng thái phù hợp"),
            403: ErrorOutput,
            404: ErrorOutput,
            409: StaleOutput,
        },
        summary=summary,
    )


RELATED = ("unit", "period", "template")
HEADER_FIELDS = ("doc_number", "doc_date", "signer_name", "signer_title")


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Unit reports (báo cáo của đơn vị) in the caller's scope.

    A reporter opens the unit's report for a period (POST: pre-filled from the unit's records),
    edits it (PATCH: figures, narrative sections, document heading) and ``submit``s it; a reviewer
    ``return``s it with a reason, ``approve``s it (one by one or ``bulk-approve``), ``lock``s it,
    or grants an ``exception`` to edit after the lock date. Every change carries the ``version``
    the report was read with: a stale one answers 409 and nothing is saved.
    """

    serializer_class = ReportOutput
    filterset_class = ReportFilter

    def get_queryset(self):
        qs = UnitReport.objects.select_related(*RELATED)
        return access.for_user(self.request.user, access.VIEW, qs).order_by(
            "-period__year", "-period__data_end", "unit__path", "pk"
        )

    def get_serializer_class(self):
        return ReportOutput if self.action == "list" else ReportDetailOutput

    def _report(self, pk, right: str) -> UnitReport:
        """The report ``pk`` (404 out of the caller's sight) with ``right`` on its unit (else 403)."""
        return access.get_for_user(self.request.user, right, UnitReport.objects.select_related(*RELATED), pk=pk)

    def _detail(self, report: UnitReport, code: int = status.HTTP_200_OK) -> Response:
        values = ReportValue.objects.select_related("indicator__table").order_by(
            "indicator__table__order", "indicator__order", "indicator__code"
        )
        fresh = (
            UnitReport.objects.select_related(*RELATED)
            .prefetch_related(
                Prefetch("values", queryset=values),
                Prefetch("sections", queryset=ReportSection.objects.select_related("section")),
                Prefetch("events", queryset=ReportEvent.objects.select_related("actor").order_by("at", "pk")),
            )
            .get(pk=report.pk)
        )
        context = {**self.get_serializer_context(), "previous": services.previous_values(fresh)}
        return Response(ReportDetailOutput(fresh, context=context).data, status=code)

    def _run(self, report: UnitReport, call) -> Response:
        try:
            call()
        except DjangoValidationError as exc:
            if _is_stale(exc):
                return _stale(report)
            raise ValidationError(_service_errors(exc)) from None
        return self._detail(report)

    def retrieve(self, request, pk=None):
        report = self._report(pk, access.VIEW)
        if access.can(request.user, access.REPORT, report.unit):
            services.refresh_if_editable(report)  # as in the browser: the figures follow the records
        return self._detail(report)

    @_action_schema(ReportOpenInput, "Mở báo cáo của đơn vị cho kỳ (đã có: trả lại báo cáo đó, 200)", code=201)
    def create(self, request):
        user = request.user
        if not access.can(user, access.REPORT):
            raise ApiPermissionDenied(_("Chỉ cán bộ nhập liệu của đơn vị được mở báo cáo."))
        parsed = ReportOpenInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        d = parsed.validated_data
        unit = access.get_for_user(user, access.REPORT, Unit.objects.all(), pk=d["unit"])
        period = (
            ReportingPeriod.objects.filter(province__in=periods.readable_provinces(user), pk=d["period"])
            .select_related("province")
            .first()
        )
        if period is None:
            raise ValidationError({"period": [_("Không tìm thấy kỳ báo cáo.")]})
        existed = UnitReport.objects.filter(unit=unit, period=period).exists()
        try:
            report = services.report_open(actor=user, unit=unit, period=period)
        except DjangoValidationError as exc:
            raise ValidationError(_service_errors(exc)) from None
        return self._detail(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @_action_schema(ReportSaveInput, "Lưu nháp: số liệu, phần thuyết minh, số và người ký văn bản")
    def partial_update(self, request, pk=None):
        report = self._report(pk, access.REPORT)
        parsed = ReportSaveInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        d = parsed.validated_data
        values = {row["id"]: (row["value"], row["override_reason"]) for row in d.get("values", [])}
        sections = {row["id"]: row["text"] for row in d.get("sections", [])}
        errors = {}
        unknown = set(values) - set(report.values.values_list("pk", flat=True))
        if unknown:
            errors["values"] = {str(pk): [_("Chỉ tiêu này không thuộc báo cáo.")] for pk in sorted(unknown)}
        unknown = set(sections) - set(report.sections.values_list("pk", flat=True))
        if unknown:
            errors["sections"] = {str(pk): [_("Mục thuyết minh này không thuộc báo cáo.")] for pk in sorted(unknown)}
        if errors:
            raise ValidationError(errors)
        header = {name: d[name] for name in HEADER_FIELDS if name in d}
        return self._run(
            report,
            lambda: services.report_save(
                actor=request.user,
                report=report,
                values=values,
                sections=sections,
                header=header,
                expected_version=d["version"],
            ),
        )

    @_action_schema(ReportSubmitInput, "Gửi báo cáo (gửi lại nếu bị trả lại)")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self._report(pk, access.REPORT)
        parsed = ReportSubmitInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        version = parsed.validated_data["version"]
        return self._run(
            report, lambda: services.report_submit(actor=request.user, report=report, expected_version=version)
        )

    @_action_schema(ReportReturnInput, "Trả lại báo cáo để đơn vị sửa (bắt buộc ghi lý do)")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        report = self._report(pk, access.REVIEW)
        parsed = ReportReturnInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        d = parsed.validated_data
        return self._run(
            report,
            lambda: services.report_return(
                actor=request.user, report=report, reason=d["reason"], expected_version=d["version"]
            ),
        )

    @_action_schema(ReportApproveInput, "Phê duyệt báo cáo")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self._report(pk, access.REVIEW)
        parsed = ReportApproveInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        d = parsed.validated_data
        return self._run(
            report,
            lambda: services.report_approve(
                actor=request.user, report=report, comment=d["comment"], expected_version=d["version"]
            ),
        )

    @_action_schema(ReportLockInput, "Khóa báo cáo đã phê duyệt")
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        report = self._report(pk, access.REVIEW)
        parsed = ReportLockInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        version = parsed.validated_data.get("version")
        return self._run(
            report, lambda: services.report_lock(actor=request.user, report=report, expected_version=version)
        )

    @_action_schema(ReportExceptionInput, "Cho phép đơn vị sửa báo cáo sau ngày khóa")
    @action(detail=True, methods=["post"], url_path="exception", url_name="exception")
    def grant_exception(self, request, pk=None):
        report = self._report(pk, access.REVIEW)
        parsed = ReportExceptionInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        d = parsed.validated_data
        return self._run(
            report,
            lambda: services.report_grant_exception(
                actor=request.user, report=report, until=d["until"], comment=d["comment"]
            ),
        )

    @extend_schema(
        request=BulkApproveInput,
        responses={
            200: BulkApproveOutput,
            400: OpenApiResponse(description="Lỗi nhập liệu"),
            403: ErrorOutput,
            404: ErrorOutput,
        },
        summary="Phê duyệt hàng loạt các báo cáo đang chờ thẩm định",
    )
    @action(detail=False, methods=["post"], url_path="bulk-approve", url_name="bulk-approve")
    def bulk_approve(self, request):
        user = request.user
        if not access.can(user, access.REVIEW):
            raise ApiPermissionDenied(_("Chỉ người thẩm định được phê duyệt báo cáo."))
        parsed = BulkApproveInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        ids = set(parsed.validated_data["ids"])
        chosen = UnitReport.objects.filter(pk__in=ids)
        if not access.for_user(user, access.VIEW, chosen).exists():
            raise NotFound(_("Không tìm thấy báo cáo."))
        allowed = access.for_user(user, access.REVIEW, chosen)
        if not allowed.exists():
            raise ApiPermissionDenied(_("Các báo cáo đã chọn nằm ngoài phạm vi thẩm định của bạn."))
        n = services.reports_bulk_approve(actor=user, reports=allowed)
        return Response(BulkApproveOutput({"approved": n, "skipped": len(ids) - n}).data)


def register(router) -> None:
    router.register("periods", PeriodViewSet, basename="api-period")
    router.register("report-templates", ReportTemplateViewSet, basename="api-report-template")
    router.register("reports", ReportViewSet, basename="api-report")
    from reports import api_compile

    api_compile.register(router)
