"""/api/v1/compilations/: the steering committee's compilation jobs over the API — list the
past ones, start one (or get the running one with the same parameters), poll its progress,
download its files. Visibility and the right to compile go through units/access.py (REVIEW)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from reports import jobs, views_compile
from reports.models import Compilation
from units import access


class CompilationOutput(serializers.ModelSerializer):
    scope_name = serializers.CharField(source="scope.name", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, default=None)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = Compilation
        fields = [
            "id",
            "scope",
            "scope_name",
            "period",
            "period_label",
            "include_submitted",
            "requested_by",
            "status",
            "status_label",
            "progress",
            "step",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "reports_included",
            "reports_pending",
            "xlsx_sha256",
            "xlsx_size",
            "docx_sha256",
            "error",
            "downloads",
        ]
        read_only_fields = fields

    def get_downloads(self, job) -> dict[str, str]:
        if job.status != Compilation.Status.SUCCEEDED:
            return {}
        return {fmt: reverse("api-compilation-download", args=[job.pk, fmt]) for fmt in ("xlsx", "docx")}


class CompilationInput(serializers.Serializer):
    scope = serializers.IntegerField()
    period = serializers.IntegerField()
    include_submitted = serializers.BooleanField(default=False)


class CompilationViewSet(viewsets.ReadOnlyModelViewSet):
    """Compilations (tổng hợp báo cáo) the caller may see: those of scopes they review.

    POST starts one for a province or district and period (202), or returns the one already
    queued or running with the same parameters (200); poll the detail for ``progress``."""

    serializer_class = CompilationOutput

    def get_queryset(self):
        return views_compile.visible_jobs(self.request.user)

    @extend_schema(request=CompilationInput, responses={200: CompilationOutput, 202: CompilationOutput})
    def create(self, request):
        user = request.user
        if not access.can(user, access.REVIEW):
            raise ApiPermissionDenied(_("Bạn không có quyền tổng hợp báo cáo."))
        data = CompilationInput(data=request.data)
        data.is_valid(raise_exception=True)
        errors, scope, period = views_compile._form_errors(user, {k: str(v) for k, v in data.validated_data.items()})
        if errors:
            raise ValidationError(errors)
        job, created = jobs.request_compilation(
            actor=user, scope=scope, period=period, include_submitted=data.validated_data["include_submitted"]
        )
        job = self.get_queryset().get(pk=job.pk)
        return Response(CompilationOutput(job).data, status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK)

    @extend_schema(
        parameters=[OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["xlsx", "docx"])],
        responses={200: OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>xlsx|docx)", url_name="download")
    def download(self, request, pk=None, fmt="xlsx"):
        job = self.get_object()
        name = job.xlsx if fmt == "xlsx" else job.docx
        if job.status != Compilation.Status.SUCCEEDED or not name or not jobs.file_path(name).exists():
            raise Http404
        path = jobs.file_path(name)
        return FileResponse(
            open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
            as_attachment=True,
            filename=path.name.split("-", 1)[1],
            content_type=views_compile.CONTENT_TYPES[fmt],
        )


def register(router) -> None:
    router.register("compilations", CompilationViewSet, basename="api-compilation")
