"""/api/v1/ for criteria sets, score sheets (with their lines and evidence metadata) and the
review actions.

Criteria sets are public rules: every signed-in user reads the published ones; drafts are
read by the steering committee of the set's province (national drafts by superusers).
Score sheets and evidence are unit-owned: visibility comes from access.for_user in
get_queryset (out of scope → 404; visible but not allowed → 403). Every write goes through
criteria/services.py, so the API and the browser share the same scoring rules; its
Vietnamese messages come back as 400, a stale ``version`` as 409.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from criteria import services
from criteria.models import (
    AppliesTo,
    ClassificationBand,
    CriteriaSet,
    Criterion,
    Evidence,
    ScoreLine,
    ScoreSheet,
)
from dialogues.api import ErrorOutput, StaleOutput, _subtree
from units import access
from units.models import Unit, UnitKind

# --- Shared helpers ----------------------------------------------------------------------


def _service_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as the API's {field: [messages]}."""
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": [str(m) for m in exc.messages]}
    return {name: [str(m) for e in errors for m in e.messages] for name, errors in exc.error_dict.items()}


def _is_stale(exc: DjangoValidationError) -> bool:
    return any(getattr(e, "code", None) == "stale" for e in getattr(exc, "error_list", []))


def _stale(sheet: ScoreSheet) -> Response:
    current = ScoreSheet.objects.filter(pk=sheet.pk).values_list("version", flat=True).first()
    return Response(
        {
            "detail": _(
                "Phiếu vừa được người khác cập nhật (phiên bản hiện tại: %(v)s). "
                "Hãy đọc lại phiếu rồi gửi lại thay đổi với phiên bản mới."
            )
            % {"v": current},
            "version": current,
        },
        status=status.HTTP_409_CONFLICT,
    )


# Patterns rather than enums in the schema, so the petition's own ``status`` enum keeps its name.
def _status_field(choices, help_text):
    @extend_schema_field(
        {"type": "string", "pattern": "^(" + "|".join(v for v, _l in choices) + ")$", "readOnly": True}
    )
    class StatusField(serializers.ChoiceField):
        pass

    return StatusField(choices=choices, read_only=True, help_text=help_text)


# --- Criteria sets -----------------------------------------------------------------------


class BandOutput(serializers.ModelSerializer):
    class Meta:
        model = ClassificationBand
        fields = ["id", "label", "min_score", "no_zero_criterion", "order"]


class _CriterionFields(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = [
            "id",
            "parent",
            "code",
            "title",
            "guidance",
            "max_points",
            "is_group",
            "evidence_required",
            "evidence_hint",
            "order",
        ]


class CriterionNodeOutput(_CriterionFields):
    """A group or a criterion, with the criteria under it."""

    children = serializers.SerializerMethodField()

    class Meta(_CriterionFields.Meta):
        fields = [*_CriterionFields.Meta.fields, "children"]

    @extend_schema_field(
        {"type": "array", "items": {"$ref": "#/components/schemas/CriterionNodeOutput"}, "readOnly": True}
    )
    def get_children(self, obj):
        children = self.context.get("children", {}).get(obj.pk, [])
        return CriterionNodeOutput(children, many=True, context=self.context).data


def criteria_tree(criteria: list[Criterion]) -> list[dict]:
    """The set's criteria as a tree (roots first, each with its ``children``), in their order."""
    children: dict[int | None, list[Criterion]] = {}
    known = {c.pk for c in criteria}
    for c in sorted(criteria, key=lambda c: (c.order, c.pk)):
        children.setdefault(c.parent_id if c.parent_id in known else None, []).append(c)
    return CriterionNodeOutput(children.get(None, []), many=True, context={"children": children}).data


class CriteriaSetOutput(serializers.ModelSerializer):
    province_name = serializers.CharField(source="province.name", read_only=True, allow_null=True, default=None)
    applies_to_label = serializers.CharField(source="get_applies_to_display", read_only=True)
    status = _status_field(CriteriaSet.Status.choices, "draft: dự thảo; published: đã ban hành; retired: hết hiệu lực.")
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "name",
            "province",
            "province_name",
            "applies_to",
            "applies_to_label",
            "year_from",
            "year_to",
            "legal_basis",
            "is_illustrative",
            "total_points",
            "superior_points_max",
            "bonus_max",
            "penalty_max",
            "score_step",
            "version",
            "previous",
            "status",
            "status_label",
            "created_at",
        ]


class CriteriaSetDetailOutput(CriteriaSetOutput):
    criteria = serializers.SerializerMethodField(help_text="Cây tiêu chí: nhóm tiêu chí và các tiêu chí con.")
    bands = BandOutput(many=True, read_only=True)

    class Meta(CriteriaSetOutput.Meta):
        fields = [*CriteriaSetOutput.Meta.fields, "criteria", "bands"]

    @extend_schema_field(CriterionNodeOutput(many=True))
    def get_criteria(self, obj):
        return criteria_tree(list(obj.criteria.all()))


class CriteriaSetFilter(django_filters.FilterSet):
    province = django_filters.NumberFilter(field_name="province_id")
    applies_to = django_filters.ChoiceFilter(choices=AppliesTo.choices)
    status = django_filters.ChoiceFilter(choices=CriteriaSet.Status.choices)
    year = django_filters.NumberFilter(method="filter_year", label="Áp dụng cho năm")

    class Meta:
        model = CriteriaSet
        fields = ["province", "applies_to", "status", "year"]

    def filter_year(self, qs, name, value):
        return qs.filter(year_from__lte=value).filter(Q(year_to__isnull=True) | Q(year_to__gte=value))


def visible_sets(user):
    """Published (and retired) sets for everyone signed in; drafts for the steering committee
    of the set's province (national drafts for superusers)."""
    qs = CriteriaSet.objects.select_related("province")
    if user.is_superuser:
        return qs
    steered = access.for_user(user, access.STEER, Unit.objects.filter(kind=UnitKind.PROVINCE)).values("pk")
    return qs.filter(~Q(status=CriteriaSet.Status.DRAFT) | Q(province__in=steered))


class CriteriaSetViewSet(viewsets.ReadOnlyModelViewSet):
    """Criteria sets (bộ tiêu chí): the list, and each set with its criteria tree and classification bands.

    Published sets are public rules, read by every signed-in user; drafts only by the steering
    committee of their province. Sets are created and edited in the browser.
    """

    serializer_class = CriteriaSetOutput
    filterset_class = CriteriaSetFilter

    def get_queryset(self):
        qs = visible_sets(self.request.user)
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk")),
                Prefetch("bands", queryset=ClassificationBand.objects.order_by("-min_score", "order")),
            )
        return qs.order_by("-year_from", "applies_to", "name", "-version", "pk")

    def get_serializer_class(self):
        return CriteriaSetDetailOutput if self.action == "retrieve" else CriteriaSetOutput


# --- Evidence ----------------------------------------------------------------------------


class EvidenceOutput(serializers.ModelSerializer):
    sheet = serializers.IntegerField(source="line.sheet_id", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField(help_text="Tải tệp (kiểm tra quyền xem phiếu).")

    class Meta:
        model = Evidence
        fields = [
            "id",
            "sheet",
            "line",
            "kind",
            "kind_label",
            "original_name",
            "size",
            "content_type",
            "for_appeal",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, obj) -> str:
        url = reverse("evidence-download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class EvidenceFilter(django_filters.FilterSet):
    sheet = django_filters.NumberFilter(field_name="line__sheet_id", label="Phiếu chấm điểm")
    line = django_filters.NumberFilter(field_name="line_id", label="Dòng chấm điểm")
    kind = django_filters.ChoiceFilter(choices=Evidence.Kind.choices)

    class Meta:
        model = Evidence
        fields = ["sheet", "line", "kind"]


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Evidence files (minh chứng) of the score sheets in the caller's scope: metadata only;
    the file itself is downloaded from ``download_url``. Uploads are made in the browser."""

    serializer_class = EvidenceOutput
    filterset_class = EvidenceFilter

    def get_queryset(self):
        qs = Evidence.objects.select_related("line")
        return access.for_user(self.request.user, access.VIEW, qs).order_by("line__sheet_id", "uploaded_at", "pk")


# --- Score sheets ------------------------------------------------------------------------


class LineOutput(serializers.ModelSerializer):
    code = serializers.CharField(source="criterion.code", read_only=True)
    title = serializers.CharField(source="criterion.title", read_only=True)
    max_points = serializers.DecimalField(source="criterion.max_points", max_digits=6, decimal_places=2, read_only=True)
    evidence_required = serializers.BooleanField(source="criterion.evidence_required", read_only=True)
    evidence = EvidenceOutput(many=True, read_only=True)

    class Meta:
        model = ScoreLine
        fields = [
            "id",
            "criterion",
            "code",
            "title",
            "max_points",
            "evidence_required",
            "self_points",
            "self_note",
            "review_points",
            "review_note",
            "evidence",
        ]


class SheetOutput(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_kind = serializers.CharField(source="unit.kind", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    criteria_set_name = serializers.CharField(source="criteria_set.name", read_only=True)
    status = _status_field(
        ScoreSheet.Status.choices,
        "draft: đang tự chấm; submitted: đã gửi; reviewed: đã thẩm định; published: đã công bố (khóa).",
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_locked = serializers.BooleanField(read_only=True)

    class Meta:
        model = ScoreSheet
        fields = [
            "id",
            "unit",
            "unit_name",
            "unit_kind",
            "period",
            "period_label",
            "criteria_set",
            "criteria_set_name",
            "status",
            "status_label",
            "self_total",
            "self_class",
            "review_total",
            "review_class",
            "bonus",
            "penalty",
            "superior_points",
            "note",
            "submitted_at",
            "reviewed_at",
            "published_at",
            "appeal",
            "appeal_note",
            "is_locked",
            "version",
        ]


class SheetDetailOutput(SheetOutput):
    lines = LineOutput(many=True, read_only=True)
    missing_evidence = serializers.SerializerMethodField(
        help_text="Mã các tiêu chí bắt buộc minh chứng mà chưa có tệp nào."
    )

    class Meta(SheetOutput.Meta):
        fields = [*SheetOutput.Meta.fields, "lines", "missing_evidence"]

    def get_missing_evidence(self, obj) -> list[str]:
        return [ln.criterion.code for ln in obj.lines.all() if ln.criterion.evidence_required and not ln.evidence.all()]


class SheetFilter(django_filters.FilterSet):
    period = django_filters.NumberFilter(field_name="period_id", label="Kỳ")
    unit = django_filters.NumberFilter(method="filter_unit", label="Đơn vị (cả các đơn vị trực thuộc)")
    status = django_filters.ChoiceFilter(choices=ScoreSheet.Status.choices)

    class Meta:
        model = ScoreSheet
        fields = ["period", "unit", "status"]

    def filter_unit(self, qs, name, value):
        return _subtree(qs, value, "unit__path")


class LineScoreInput(serializers.Serializer):
    line = serializers.IntegerField(help_text="Mã dòng chấm điểm (lines[].id của phiếu).")
    points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class _VersionInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="Phiên bản phiếu đã đọc (khóa lạc quan); sai phiên bản → 409.")


class SelfScoreInput(_VersionInput):
    lines = LineScoreInput(many=True, max_length=500, help_text="Điểm tự chấm và căn cứ chấm từng tiêu chí.")


class ReviewInput(_VersionInput):
    lines = LineScoreInput(
        many=True,
        max_length=500,
        help_text="Điểm thẩm định từng tiêu chí; khác điểm tự chấm thì phải ghi nhận xét (note).",
    )
    superior_points = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True, default=None, help_text="Điểm cấp trên chấm."
    )


class SubmitInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="Phiên bản phiếu đã đọc (không bắt buộc); sai phiên bản → 409."
    )


class ReturnInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Lý do trả lại.")


class AppealInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Lý do đề nghị xem xét lại.")


class PublishInput(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=2000, help_text="Các phiếu cần công bố."
    )


class PublishOutput(serializers.Serializer):
    published = serializers.IntegerField(help_text="Số phiếu đã công bố (đã khóa).")
    skipped = serializers.IntegerField(help_text="Số phiếu chưa thẩm định hoặc đã công bố nên bỏ qua.")


def _action_schema(request, summary):
    return extend_schema(
        request=request,
        responses={
            200: SheetDetailOutput,
            400: OpenApiResponse(description="Lỗi nhập liệu hoặc phiếu không ở trạng thái phù hợp"),
            403: ErrorOutput,
            404: ErrorOutput,
            409: StaleOutput,
        },
        summary=summary,
    )


def _points(lines: list[dict]) -> dict:
    return {row["line"]: (row["points"], row.get("note", "")) for row in lines}


class ScoreSheetViewSet(viewsets.ReadOnlyModelViewSet):
    """Score sheets (phiếu chấm điểm) in the caller's scope, each with its lines and evidence metadata.

    The unit's reporters self-score (``self_score``), ``submit`` and ``appeal`` after publication;
    reviewers and the steering committee re-score (``review``) or ``return`` a submitted sheet;
    the steering committee ``publish``es reviewed results, which locks the sheets. Scoring
    carries the ``version`` the sheet was read with: a stale one answers 409.
    """

    serializer_class = SheetOutput
    filterset_class = SheetFilter

    def get_queryset(self):
        qs = ScoreSheet.objects.select_related("unit", "period", "criteria_set")
        if self.action != "list":
            lines = ScoreLine.objects.select_related("criterion").prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk"))
            )
            qs = qs.prefetch_related(Prefetch("lines", queryset=lines.order_by("criterion__order", "pk")))
        return access.for_user(self.request.user, access.VIEW, qs).order_by("period_id", "unit__name_key", "pk")

    def get_serializer_class(self):
        return SheetOutput if self.action == "list" else SheetDetailOutput

    def _sheet(self, pk, right: str, message: str) -> ScoreSheet:
        """The sheet ``pk`` among those the caller sees (else 404), with ``right`` on its unit (else 403)."""
        qs = ScoreSheet.objects.select_related("unit", "period", "criteria_set")
        sheet = access.for_user(self.request.user, access.VIEW, qs).filter(pk=pk).first() if str(pk).isdigit() else None
        if sheet is None:
            raise NotFound(_("Không tìm thấy phiếu chấm điểm."))
        if not access.can(self.request.user, right, sheet.unit):
            raise ApiPermissionDenied(message)
        return sheet

    def _run(self, sheet: ScoreSheet, call) -> Response:
        try:
            call()
        except DjangoValidationError as exc:
            if _is_stale(exc):
                return _stale(sheet)
            raise ValidationError(_service_errors(exc)) from None
        fresh = self.get_queryset().get(pk=sheet.pk)
        return Response(SheetDetailOutput(fresh, context=self.get_serializer_context()).data)

    @_action_schema(SelfScoreInput, "Tự chấm điểm")
    @action(detail=True, methods=["post"], url_path="self-score", url_name="self-score")
    def self_score(self, request, pk=None):
        sheet = self._sheet(pk, access.REPORT, _("Chỉ cán bộ của đơn vị được tự chấm điểm phiếu này."))
        parsed = SelfScoreInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        d = parsed.validated_data
        return self._run(
            sheet,
            lambda: services.sheet_self_score(
                actor=request.user, sheet=sheet, points=_points(d["lines"]), expected_version=d["version"]
            ),
        )

    @_action_schema(SubmitInput, "Gửi phiếu tự chấm")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        sheet = self._sheet(pk, access.REPORT, _("Chỉ cán bộ của đơn vị được gửi phiếu này."))
        parsed = SubmitInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        version = parsed.validated_data.get("version")
        if version is not None and version != sheet.version:
            return _stale(sheet)
        return self._run(sheet, lambda: services.sheet_submit(actor=request.user, sheet=sheet))

    @_action_schema(ReviewInput, "Thẩm định, chấm lại")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        sheet = self._sheet(pk, access.REVIEW, _("Bạn chỉ được xem phiếu này, không được thẩm định."))
        parsed = ReviewInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        d = parsed.validated_data
        return self._run(
            sheet,
            lambda: services.sheet_review(
                actor=request.user,
                sheet=sheet,
                points=_points(d["lines"]),
                superior_points=d.get("superior_points"),
                expected_version=d["version"],
            ),
        )

    @_action_schema(ReturnInput, "Trả lại để tự chấm lại")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_draft(self, request, pk=None):
        sheet = self._sheet(pk, access.REVIEW, _("Bạn chỉ được xem phiếu này, không được trả lại."))
        parsed = ReturnInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        reason = parsed.validated_data["reason"]
        return self._run(sheet, lambda: services.sheet_return_to_draft(actor=request.user, sheet=sheet, reason=reason))

    @_action_schema(AppealInput, "Đề nghị xem xét lại kết quả đã công bố")
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        sheet = self._sheet(pk, access.REPORT, _("Chỉ cán bộ của đơn vị được đề nghị xem xét lại."))
        parsed = AppealInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        note = parsed.validated_data["note"]
        return self._run(sheet, lambda: services.sheet_appeal(actor=request.user, sheet=sheet, note=note))

    @extend_schema(
        request=PublishInput,
        responses={
            200: PublishOutput,
            400: OpenApiResponse(description="Lỗi nhập liệu"),
            403: ErrorOutput,
            404: ErrorOutput,
        },
        summary="Công bố kết quả (khóa phiếu)",
    )
    @action(detail=False, methods=["post"])
    def publish(self, request):
        user = request.user
        if not access.can(user, access.STEER):
            raise ApiPermissionDenied(_("Chỉ Ban Chỉ đạo được công bố kết quả."))
        parsed = PublishInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        ids = set(parsed.validated_data["ids"])
        chosen = ScoreSheet.objects.filter(pk__in=ids).select_related("unit")
        visible = list(access.for_user(user, access.VIEW, chosen))
        if len(visible) != len(ids):
            raise NotFound(_("Không tìm thấy phiếu chấm điểm."))
        if any(not access.can(user, access.STEER, sheet.unit) for sheet in visible):
            raise ApiPermissionDenied(_("Có phiếu ngoài phạm vi công bố của bạn."))
        n = services.results_publish(actor=user, sheets=visible)
        return Response(PublishOutput({"published": n, "skipped": len(visible) - n}).data)


def register(router) -> None:
    router.register("criteria-sets", CriteriaSetViewSet, basename="api-criteria-set")
    router.register("score-sheets", ScoreSheetViewSet, basename="api-score-sheet")
    router.register("evidence", EvidenceViewSet, basename="api-evidence")
