"""/api/v1/ for people's inspection boards, community investment supervision, workplace
conferences, village conventions and their figures (Biểu 04–07).

Visibility comes from access.for_user in get_queryset (out of scope → 404; visible but not
allowed → 403). Writes are validated by the browser's forms (boards/forms.py) and saved by
boards/services.py, so the rules cannot drift apart. Creating needs the right to report
somewhere; the unit, project or board named in the request must lie inside that scope
(else 400, as in the browser's forms). Files (a supervision's report, a conference's
resolution) are not handled by the API: upload them in the browser.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boards import selectors, services
from boards.forms import (
    BoardMemberForm,
    CommunityBoardForm,
    InspectionBoardForm,
    InvestmentProjectForm,
    MemberEndForm,
    SupervisionActivityForm,
    VillageConventionForm,
    WorkplaceConferenceForm,
)
from boards.models import (
    BoardMember,
    CommunityBoard,
    EndReason,
    InspectionBoard,
    InvestmentProject,
    SupervisionActivity,
    SupervisionField,
    VillageConvention,
    WorkplaceConference,
)
from dialogues.api import FIGURES_PARAMETERS, ErrorOutput, _FiguresApi, _reportable, _service_errors, _subtree
from dialogues.models import Trigger
from units import access
from units.api import form_errors
from units.models import AGENCY_KINDS

# --- Shared helpers ----------------------------------------------------------------------

TTND, GSDT = "ttnd", "gsdt"
BOARD_KINDS = {TTND: InspectionBoard, GSDT: CommunityBoard}
BOARD_KIND_CHOICES = [(TTND, "Ban Thanh tra nhân dân"), (GSDT, "Ban Giám sát đầu tư của cộng đồng")]

WRITE_RESPONSES = {400: OpenApiResponse(description="Lỗi nhập liệu"), 403: ErrorOutput, 404: ErrorOutput}


def _value(value):
    """A cleaned value as form data (None → "", a list of objects → their ids)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [getattr(v, "pk", v) for v in value]
    return value


def _form_data(values: dict) -> dict:
    return {k: _value(v) for k, v in values.items()}


def _valid(form):
    if not form.is_valid():
        raise ValidationError(form_errors(form))
    return form


def _require_report(user, message: str) -> None:
    """Creating needs the right to report somewhere (403 otherwise)."""
    if not access.can(user, access.REPORT):
        raise ApiPermissionDenied(message)


def _fk_values(validated: dict, *names: str) -> dict:
    """A serializer's ``<fk>_id`` sources back under the form's field names."""
    values = dict(validated)
    for name in names:
        if f"{name}_id" in values:
            values[name] = values.pop(f"{name}_id")
    return values


def _merged(instance, form_fields, validated: dict, fks=("unit",)) -> dict:
    """The instance's current values under the form's field names, overlaid with the request's."""
    merged = {}
    for name in form_fields:
        if name in fks:
            merged[name] = getattr(instance, f"{name}_id")
        elif name == "hamlets":
            merged[name] = list(instance.hamlets.values_list("pk", flat=True))
        else:
            merged[name] = getattr(instance, name)
    merged.update(validated)
    return merged


def _defaults(model, names, **extra) -> dict:
    """extra_kwargs giving the request's omitted fields the model's defaults (the browser's
    forms open with them filled in), and "" for optional text."""
    out = {}
    for name in names:
        field = model._meta.get_field(name)
        if field.has_default() and not callable(field.default):
            out[name] = {"default": field.default}
        elif field.blank and not field.null and isinstance(field, models.CharField | models.TextField):
            out[name] = {"default": ""}
    for name, kwargs in extra.items():
        out[name] = {**out.get(name, {}), **kwargs}
    return out


def _reportable_board(user, kind: str, pk):
    """The board a new member or supervision belongs to, among the boards ``user`` may report for.

    A board out of that scope reads like an unknown one (400 on the ``board`` field)."""
    model = BOARD_KINDS[kind]
    board = (
        access.for_user(user, access.REPORT, model.objects.select_related("unit")).filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if board is None:
        raise ValidationError({"board": [_("Không tìm thấy ban này trong phạm vi nhập liệu của bạn.")]})
    return board


class _BoardKindField(serializers.ChoiceField):
    """``ttnd`` (inspection board) or ``gsdt`` (community board): read from the record, required on create."""

    def __init__(self, **kwargs):
        super().__init__(choices=BOARD_KIND_CHOICES, source="*", **kwargs)

    def to_representation(self, value):
        return GSDT if value.community_board_id else TTND

    def to_internal_value(self, data):
        return {"board_kind": super().to_internal_value(data)}


class _BoardIdField(serializers.IntegerField):
    """The id of the board (of the kind ``board_kind`` says)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, value):
        return value.community_board_id or value.inspection_board_id

    def to_internal_value(self, data):
        return {"board": super().to_internal_value(data)}


def _board_name(obj) -> str:
    board = obj.community_board or obj.inspection_board
    return str(board) if board else ""


def _pattern_choice(choices, help_text: str):
    """A choice field shown in the schema as a pattern, so an enum of the same property name
    elsewhere in the API (dialogues' ``field``, petitions' ``status``) keeps its own name."""
    labels = "; ".join(f"{c.value} ({c.label})" for c in choices)

    @extend_schema_field(
        {"type": "string", "pattern": "^(" + "|".join(choices.values) + ")$", "description": f"{help_text}: {labels}"}
    )
    class _Choice(serializers.ChoiceField):
        pass

    return _Choice


SupervisionFieldChoice = _pattern_choice(SupervisionField, "Lĩnh vực")
ConventionStatusChoice = _pattern_choice(VillageConvention.Status, "Tình trạng")


class CheckOutput(serializers.Serializer):
    level = serializers.CharField(help_text="danger, warning hoặc info")
    message = serializers.CharField()


def _checks(board) -> list[dict]:
    return [{"level": level, "message": message} for level, message in services.board_checks(board)]


# --- Members -----------------------------------------------------------------------------


class BoardMemberSerializer(serializers.ModelSerializer):
    """A member of either kind of board; written with BoardMemberForm (fields of the board's unit)."""

    board_kind = _BoardKindField(help_text="ttnd: Ban Thanh tra nhân dân; gsdt: Ban Giám sát đầu tư của cộng đồng.")
    board = _BoardIdField(help_text="Mã số (id) của ban, trong phạm vi nhập liệu của bạn.")
    board_name = serializers.SerializerMethodField()
    hamlet = serializers.IntegerField(
        source="hamlet_id",
        required=False,
        allow_null=True,
        default=None,
        help_text="Thôn, tổ dân phố của xã (ban của xã); để trống với ban của cơ quan.",
    )
    hamlet_name = serializers.CharField(source="hamlet.name", read_only=True, allow_null=True)
    active = serializers.SerializerMethodField(help_text="Còn tham gia hôm nay.")

    class Meta:
        model = BoardMember
        fields = [
            "id",
            "board_kind",
            "board",
            "board_name",
            "full_name",
            "role",
            "gender",
            "hamlet",
            "hamlet_name",
            "started_on",
            "ended_on",
            "end_reason",
            "active",
        ]
        read_only_fields = ["id", "ended_on", "end_reason"]
        extra_kwargs = _defaults(
            BoardMember,
            ["full_name", "role", "gender"],
            started_on={"help_text": "Ngày bắt đầu (trong nhiệm kỳ của ban, không ở tương lai)."},
        )

    def get_board_name(self, obj) -> str:
        return _board_name(obj)

    def get_active(self, obj) -> bool:
        return obj.is_active_on(timezone.localdate())


class MemberEndInput(serializers.Serializer):
    ended_on = serializers.DateField(help_text="Ngày thôi tham gia (không trước ngày bắt đầu).")
    end_reason = serializers.ChoiceField(choices=EndReason.choices)


class BoardMemberFilter(django_filters.FilterSet):
    board_kind = django_filters.ChoiceFilter(choices=BOARD_KIND_CHOICES, method="filter_kind", label="Loại ban")
    board = django_filters.NumberFilter(method="filter_board", label="Mã số (id) của ban (dùng cùng board_kind)")
    active = django_filters.BooleanFilter(method="filter_active", label="Còn tham gia hôm nay (true/false)")

    class Meta:
        model = BoardMember
        fields = ["board_kind", "board", "active"]

    def filter_kind(self, qs, name, value):
        return qs.filter(**{"community_board__isnull" if value == GSDT else "inspection_board__isnull": False})

    def filter_board(self, qs, name, value):
        kind = self.form.cleaned_data.get("board_kind")
        if kind == GSDT:
            return qs.filter(community_board_id=value)
        if kind == TTND:
            return qs.filter(inspection_board_id=value)
        return qs.filter(Q(community_board_id=value) | Q(inspection_board_id=value))

    def filter_active(self, qs, name, value):
        today = timezone.localdate()
        active = Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        return qs.filter(active) if value else qs.exclude(active)


@extend_schema_view(create=extend_schema(responses={201: BoardMemberSerializer, **WRITE_RESPONSES}))
class BoardMemberViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Members of inspection boards and community boards in the caller's scope, with their history.

    Create with ``board_kind`` and ``board`` (a board you may report for); a member leaves
    with the ``end`` action (date and reason), never by deletion.
    """

    serializer_class = BoardMemberSerializer
    filterset_class = BoardMemberFilter

    def get_queryset(self):
        qs = BoardMember.objects.select_related(
            "inspection_board__unit", "community_board__project", "community_board__unit", "hamlet"
        )
        return access.for_user(self.request.user, access.VIEW, qs).order_by("ended_on", "role", "full_name", "pk")

    def get_serializer_class(self):
        return MemberEndInput if self.action == "end" else BoardMemberSerializer

    def create(self, request, *args, **kwargs):
        _require_report(request.user, _("Bạn không có quyền nhập thành viên ban."))
        parsed = BoardMemberSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        values = _fk_values(parsed.validated_data, "hamlet")
        board = _reportable_board(request.user, values.pop("board_kind"), values.pop("board"))
        if values.get("hamlet") and board.unit.kind in AGENCY_KINDS:
            raise ValidationError(
                {"hamlet": [_("Ban Thanh tra nhân dân của cơ quan không ghi thôn, tổ dân phố; hãy để trống.")]}
            )
        form = _valid(BoardMemberForm(data=_form_data(values), board=board))
        member = services.member_add(actor=request.user, board=board, data=form.cleaned_data)
        output = BoardMemberSerializer(self.get_queryset().get(pk=member.pk))
        return Response(output.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MemberEndInput,
        responses={200: BoardMemberSerializer, **WRITE_RESPONSES},
        summary="Thành viên thôi tham gia ban",
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        member = _reportable(
            request.user, BoardMember.objects.select_related("inspection_board", "community_board"), pk
        )
        parsed = MemberEndInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        form = _valid(MemberEndForm(data=_form_data(parsed.validated_data)))
        try:
            services.member_end(actor=request.user, member=member, **form.cleaned_data)
        except DjangoValidationError as exc:
            raise ValidationError(_service_errors(exc, form)) from None
        return Response(BoardMemberSerializer(self.get_queryset().get(pk=member.pk)).data)


# --- Inspection boards -------------------------------------------------------------------

INSPECTION_FIELDS = InspectionBoardForm.Meta.fields


class InspectionBoardSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id", help_text="Xã hoặc cơ quan (trong phạm vi nhập liệu của bạn).")
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = InspectionBoard
        fields = ["id", "unit", "unit_name", *[f for f in INSPECTION_FIELDS if f != "unit"], "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = _defaults(InspectionBoard, [f for f in INSPECTION_FIELDS if f != "unit"])


class InspectionBoardDetail(InspectionBoardSerializer):
    members = BoardMemberSerializer(many=True, read_only=True)
    checks = serializers.SerializerMethodField(help_text="Nhận xét về thành phần ban (services.board_checks).")

    class Meta(InspectionBoardSerializer.Meta):
        fields = [*InspectionBoardSerializer.Meta.fields, "members", "checks"]

    @extend_schema_field(CheckOutput(many=True))
    def get_checks(self, obj):
        return _checks(obj)


class UnitSubtreeFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(method="filter_unit", label="Đơn vị (cả các đơn vị trực thuộc)")
    path_field = "unit__path"

    def filter_unit(self, qs, name, value):
        return _subtree(qs, value, self.path_field)


class InspectionBoardFilter(UnitSubtreeFilter):
    class Meta:
        model = InspectionBoard
        fields = ["unit"]


def _members_prefetch():
    return Prefetch(
        "members",
        queryset=BoardMember.objects.select_related(
            "hamlet", "inspection_board__unit", "community_board__project", "community_board__unit"
        ).order_by("ended_on", "role", "full_name", "pk"),
    )


@extend_schema_view(
    create=extend_schema(request=InspectionBoardSerializer, responses={201: InspectionBoardDetail, **WRITE_RESPONSES}),
    update=extend_schema(request=InspectionBoardSerializer, responses={200: InspectionBoardDetail, **WRITE_RESPONSES}),
    partial_update=extend_schema(
        request=InspectionBoardSerializer, responses={200: InspectionBoardDetail, **WRITE_RESPONSES}
    ),
)
class InspectionBoardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People's inspection boards (Ban Thanh tra nhân dân) of communes and agencies in the caller's scope.

    One record per term. The detail shows the members (with history) and ``checks`` on the
    board's make-up (at least 5 members for a commune, 3–9 for an agency). Create and edit
    need the right to report on the unit.
    """

    serializer_class = InspectionBoardSerializer
    filterset_class = InspectionBoardFilter

    def get_queryset(self):
        qs = InspectionBoard.objects.select_related("unit")
        if self.action != "list":
            qs = qs.prefetch_related(_members_prefetch())
        return access.for_user(self.request.user, access.VIEW, qs).order_by("-term_start", "pk")

    def get_serializer_class(self):
        if self.action in ("list", "create", "update", "partial_update"):
            return InspectionBoardSerializer
        return InspectionBoardDetail

    def _output(self, pk, **kwargs) -> Response:
        return Response(InspectionBoardDetail(self.get_queryset().get(pk=pk)).data, **kwargs)

    def create(self, request, *args, **kwargs):
        _require_report(request.user, _("Bạn không có quyền nhập Ban Thanh tra nhân dân."))
        parsed = InspectionBoardSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        values = _fk_values(parsed.validated_data, "unit")
        form = _valid(InspectionBoardForm(data=_form_data(values), user=request.user))
        board = services.inspection_board_create(actor=request.user, data=form.cleaned_data)
        return self._output(board.pk, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        board = _reportable(request.user, InspectionBoard.objects.select_related("unit"), kwargs["pk"])
        parsed = InspectionBoardSerializer(data=request.data, partial=partial)
        parsed.is_valid(raise_exception=True)
        merged = _merged(board, INSPECTION_FIELDS, _fk_values(parsed.validated_data, "unit"))
        form = _valid(InspectionBoardForm(data=_form_data(merged), instance=board, user=request.user))
        services.inspection_board_update(actor=request.user, board=board, data=form.cleaned_data)
        return self._output(board.pk)


# --- Projects and community boards -------------------------------------------------------

PROJECT_FIELDS = InvestmentProjectForm.Meta.fields


class _IdList(serializers.ListField):
    """Ids of a many-to-many relation."""

    def to_representation(self, data):
        return [obj.pk for obj in data.all()]


class InvestmentProjectSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id", help_text="Xã, phường, thị trấn (trong phạm vi nhập liệu).")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    hamlets = _IdList(
        child=serializers.IntegerField(), required=False, default=list, help_text="Các thôn, tổ dân phố của xã."
    )
    community_board = serializers.SerializerMethodField(help_text="Ban giám sát đầu tư của cộng đồng (nếu đã lập).")

    class Meta:
        model = InvestmentProject
        fields = ["id", "unit", "unit_name", *[f for f in PROJECT_FIELDS if f != "unit"], "community_board"]
        read_only_fields = ["id"]
        extra_kwargs = _defaults(InvestmentProject, [f for f in PROJECT_FIELDS if f not in ("unit", "hamlets")])

    def get_community_board(self, obj) -> int | None:
        board = getattr(obj, "board", None)
        return board.pk if board else None


class InvestmentProjectFilter(UnitSubtreeFilter):
    funding_source = django_filters.ChoiceFilter(choices=InvestmentProject.Funding.choices)

    class Meta:
        model = InvestmentProject
        fields = ["unit", "funding_source"]


@extend_schema_view(
    create=extend_schema(responses={201: InvestmentProjectSerializer, **WRITE_RESPONSES}),
    update=extend_schema(responses={200: InvestmentProjectSerializer, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: InvestmentProjectSerializer, **WRITE_RESPONSES}),
)
class InvestmentProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Investment projects (công trình, dự án) of communes in the caller's scope, supervised by the community.

    Amounts are in đồng, as strings. Create and edit need the right to report on the commune.
    """

    serializer_class = InvestmentProjectSerializer
    filterset_class = InvestmentProjectFilter

    def get_queryset(self):
        qs = InvestmentProject.objects.select_related("unit", "board").prefetch_related("hamlets")
        return access.for_user(self.request.user, access.VIEW, qs).order_by("-start_on", "name", "pk")

    def _output(self, pk, **kwargs) -> Response:
        return Response(InvestmentProjectSerializer(self.get_queryset().get(pk=pk)).data, **kwargs)

    def create(self, request, *args, **kwargs):
        _require_report(request.user, _("Bạn không có quyền nhập công trình, dự án."))
        parsed = InvestmentProjectSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        values = _fk_values(parsed.validated_data, "unit")
        form = _valid(InvestmentProjectForm(data=_form_data(values), user=request.user))
        data = dict(form.cleaned_data)
        hamlets = data.pop("hamlets", None) or []
        project = services.project_create(actor=request.user, data=data, hamlets=hamlets)
        return self._output(project.pk, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        project = _reportable(request.user, InvestmentProject.objects.select_related("unit"), kwargs["pk"])
        parsed = InvestmentProjectSerializer(data=request.data, partial=partial)
        parsed.is_valid(raise_exception=True)
        merged = _merged(project, PROJECT_FIELDS, _fk_values(parsed.validated_data, "unit"))
        commune = project.unit
        form = _valid(InvestmentProjectForm(data=_form_data(merged), instance=project, user=request.user))
        if form.cleaned_data["unit"] != commune and CommunityBoard.objects.filter(project=project).exists():
            # The board and its supervisions belong to the commune: they do not move with the project.
            raise ValidationError(
                {"unit": [_("Công trình đã có Ban Giám sát đầu tư của cộng đồng: không thể đổi sang xã khác.")]}
            )
        data = dict(form.cleaned_data)
        hamlets = data.pop("hamlets", None) or []
        services.project_update(actor=request.user, project=project, data=data, hamlets=hamlets)
        return self._output(project.pk)


COMMUNITY_FIELDS = CommunityBoardForm.Meta.fields


class CommunityBoardSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(
        source="project_id", help_text="Công trình, dự án được giám sát (chưa có ban); không đổi được khi sửa."
    )
    project_name = serializers.CharField(source="project.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = CommunityBoard
        fields = ["id", "project", "project_name", "unit", "unit_name", *COMMUNITY_FIELDS]
        read_only_fields = ["id", "unit"]
        extra_kwargs = _defaults(CommunityBoard, COMMUNITY_FIELDS)


class CommunityBoardDetail(CommunityBoardSerializer):
    members = BoardMemberSerializer(many=True, read_only=True)
    checks = serializers.SerializerMethodField(help_text="Nhận xét về thành phần ban (services.board_checks).")

    class Meta(CommunityBoardSerializer.Meta):
        fields = [*CommunityBoardSerializer.Meta.fields, "members", "checks"]

    @extend_schema_field(CheckOutput(many=True))
    def get_checks(self, obj):
        return _checks(obj)


class CommunityBoardFilter(UnitSubtreeFilter):
    project = django_filters.NumberFilter(field_name="project_id")

    class Meta:
        model = CommunityBoard
        fields = ["unit", "project"]


@extend_schema_view(
    create=extend_schema(request=CommunityBoardSerializer, responses={201: CommunityBoardDetail, **WRITE_RESPONSES}),
    update=extend_schema(request=CommunityBoardSerializer, responses={200: CommunityBoardDetail, **WRITE_RESPONSES}),
    partial_update=extend_schema(
        request=CommunityBoardSerializer, responses={200: CommunityBoardDetail, **WRITE_RESPONSES}
    ),
)
class CommunityBoardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Community investment supervision boards (Ban Giám sát đầu tư của cộng đồng), one per project.

    The detail shows the members and ``checks`` (at least 5 members). Create with the
    ``project`` (one you may report for, without a board yet).
    """

    serializer_class = CommunityBoardSerializer
    filterset_class = CommunityBoardFilter

    def get_queryset(self):
        qs = CommunityBoard.objects.select_related("unit", "project")
        if self.action != "list":
            qs = qs.prefetch_related(_members_prefetch())
        return access.for_user(self.request.user, access.VIEW, qs).order_by("-established_on", "pk")

    def get_serializer_class(self):
        if self.action in ("list", "create", "update", "partial_update"):
            return CommunityBoardSerializer
        return CommunityBoardDetail

    def _output(self, pk, **kwargs) -> Response:
        return Response(CommunityBoardDetail(self.get_queryset().get(pk=pk)).data, **kwargs)

    def create(self, request, *args, **kwargs):
        _require_report(request.user, _("Bạn không có quyền lập Ban giám sát đầu tư của cộng đồng."))
        parsed = CommunityBoardSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        values = dict(parsed.validated_data)
        project_id = values.pop("project_id")
        project = (
            access.for_user(request.user, access.REPORT, InvestmentProject.objects.select_related("unit"))
            .filter(pk=project_id)
            .first()
        )
        if project is None:
            raise ValidationError({"project": [_("Không tìm thấy công trình này trong phạm vi nhập liệu của bạn.")]})
        if CommunityBoard.objects.filter(project=project).exists():
            raise ValidationError({"project": [_("Công trình này đã có Ban giám sát đầu tư của cộng đồng.")]})
        form = _valid(CommunityBoardForm(data=_form_data(values)))
        board = services.community_board_create(actor=request.user, project=project, data=form.cleaned_data)
        return self._output(board.pk, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        board = _reportable(request.user, CommunityBoard.objects.select_related("unit", "project"), kwargs["pk"])
        parsed = CommunityBoardSerializer(data=request.data, partial=partial)
        parsed.is_valid(raise_exception=True)
        values = dict(parsed.validated_data)
        values.pop("project_id", None)  # a board stays with its project
        merged = _merged(board, COMMUNITY_FIELDS, values, fks=())
        form = _valid(CommunityBoardForm(data=_form_data(merged), instance=board))
        services.community_board_update(actor=request.user, board=board, data=form.cleaned_data)
        return self._output(board.pk)


# --- Supervision activities ----------------------------------------------------------------

SUPERVISION_FIELDS = [f for f in SupervisionActivityForm.Meta.fields if f != "report_file"]


class SupervisionSerializer(serializers.ModelSerializer):
    board_kind = _BoardKindField(help_text="ttnd: Ban Thanh tra nhân dân; gsdt: Ban Giám sát đầu tư của cộng đồng.")
    board = _BoardIdField(help_text="Mã số (id) của ban giám sát, trong phạm vi nhập liệu của bạn.")
    board_name = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    field = SupervisionFieldChoice(choices=SupervisionField.choices)
    project = serializers.IntegerField(
        source="project_id",
        required=False,
        allow_null=True,
        default=None,
        help_text="Công trình của xã (ban TTND); với ban GSĐTCĐ là công trình của ban.",
    )
    project_name = serializers.CharField(source="project.name", read_only=True, allow_null=True)
    has_report_file = serializers.SerializerMethodField(help_text="Đã có báo cáo kết quả (tải lên trên trình duyệt).")

    class Meta:
        model = SupervisionActivity
        fields = [
            "id",
            "board_kind",
            "board",
            "board_name",
            "unit",
            "unit_name",
            *[f for f in SUPERVISION_FIELDS if f != "project"],
            "project",
            "project_name",
            "has_report_file",
            "created_at",
        ]
        read_only_fields = ["id", "unit", "created_at"]
        extra_kwargs = _defaults(
            SupervisionActivity,
            [f for f in SUPERVISION_FIELDS if f != "project"],
            held_on={"help_text": "Ngày giám sát (không ở tương lai)."},
        )

    def get_board_name(self, obj) -> str:
        return _board_name(obj)

    def get_has_report_file(self, obj) -> bool:
        return bool(obj.report_file)


class SupervisionFilter(UnitSubtreeFilter):
    board_kind = django_filters.ChoiceFilter(choices=BOARD_KIND_CHOICES, method="filter_kind", label="Loại ban")
    field = django_filters.ChoiceFilter(choices=SupervisionField.choices)
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="Giám sát từ ngày")
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label="Giám sát đến ngày")

    class Meta:
        model = SupervisionActivity
        fields = ["unit", "board_kind", "field", "held_from", "held_to"]

    def filter_kind(self, qs, name, value):
        return qs.filter(**{"community_board__isnull" if value == GSDT else "inspection_board__isnull": False})


@extend_schema_view(create=extend_schema(responses={201: SupervisionSerializer, **WRITE_RESPONSES}))
class SupervisionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Supervisions (cuộc giám sát) by inspection boards and community boards in the caller's scope.

    Create with ``board_kind`` and ``board`` (a board you may report for); the unit is the
    board's. Days in the future are refused; resolved recommendations cannot exceed those
    made. The report file (báo cáo kết quả) is not handled by the API: upload it in the browser.
    """

    serializer_class = SupervisionSerializer
    filterset_class = SupervisionFilter

    def get_queryset(self):
        qs = SupervisionActivity.objects.select_related(
            "unit", "inspection_board__unit", "community_board__project", "project"
        )
        return access.for_user(self.request.user, access.VIEW, qs).order_by("-held_on", "-pk")

    def create(self, request, *args, **kwargs):
        _require_report(request.user, _("Bạn không có quyền nhập cuộc giám sát."))
        parsed = SupervisionSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        values = _fk_values(parsed.validated_data, "project")
        board = _reportable_board(request.user, values.pop("board_kind"), values.pop("board"))
        form = SupervisionActivityForm(data=_form_data(values), board=board)
        del form.fields["report_file"]  # uploaded in the browser only
        _valid(form)
        activity = services.activity_create(actor=request.user, board=board, data=form.cleaned_data)
        return Response(
            SupervisionSerializer(self.get_queryset().get(pk=activity.pk)).data, status=status.HTTP_201_CREATED
        )


# --- Workplace conferences ---------------------------------------------------------------

CONFERENCE_FIELDS = [f for f in WorkplaceConferenceForm.Meta.fields if f != "resolution_file"]


class ConferenceSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id", help_text="Cơ quan, doanh nghiệp (trong phạm vi nhập liệu).")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    late = serializers.BooleanField(
        source="is_late", read_only=True, help_text="Hội nghị định kỳ tổ chức sau 31/3 năm sau năm công tác."
    )
    has_resolution_file = serializers.SerializerMethodField(help_text="Đã có nghị quyết (tải lên trên trình duyệt).")

    class Meta:
        model = WorkplaceConference
        fields = [
            "id",
            "unit",
            "unit_name",
            *[f for f in CONFERENCE_FIELDS if f != "unit"],
            "late",
            "has_resolution_file",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = _defaults(WorkplaceConference, [f for f in CONFERENCE_FIELDS if f != "unit"])

    def get_has_resolution_file(self, obj) -> bool:
        return bool(obj.resolution_file)


class ConferenceFilter(UnitSubtreeFilter):
    year = django_filters.NumberFilter()
    kind = django_filters.ChoiceFilter(choices=WorkplaceConference.Kind.choices)

    class Meta:
        model = WorkplaceConference
        fields = ["unit", "year", "kind"]


def _conference_form(data, user, instance=None) -> WorkplaceConferenceForm:
    form = WorkplaceConferenceForm(data=data, instance=instance, user=user)
    del form.fields["resolution_file"]  # uploaded in the browser only
    return _valid(form)


@extend_schema_view(
    create=extend_schema(responses={201: ConferenceSerializer, **WRITE_RESPONSES}),
    update=extend_schema(responses={200: ConferenceSerializer, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: ConferenceSerializer, **WRITE_RESPONSES}),
)
class ConferenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Workplace conferences: staff conferences of agencies (hn_cbccvc) and workers' conferences
    of enterprises (hn_nguoi_lao_dong) in the caller's scope.

    ``late`` flags a periodic conference held more than 3 months after its year ended. The
    resolution file is not handled by the API: upload it in the browser.
    """

    serializer_class = ConferenceSerializer
    filterset_class = ConferenceFilter

    def get_queryset(self):
        qs = WorkplaceConference.objects.select_related("unit")
        return access.for_user(self.request.user, access.VIEW, qs).order_by("-held_on", "pk")

    def _output(self, pk, **kwargs) -> Response:
        return Response(ConferenceSerializer(self.get_queryset().get(pk=pk)).data, **kwargs)

    def create(self, request, *args, **kwargs):
        _require_report(request.user, _("Bạn không có quyền nhập hội nghị tại nơi làm việc."))
        parsed = ConferenceSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        form = _conference_form(_form_data(_fk_values(parsed.validated_data, "unit")), request.user)
        conference = services.conference_create(actor=request.user, data=form.cleaned_data)
        return self._output(conference.pk, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        conference = _reportable(request.user, WorkplaceConference.objects.select_related("unit"), kwargs["pk"])
        parsed = ConferenceSerializer(data=request.data, partial=partial)
        parsed.is_valid(raise_exception=True)
        merged = _merged(conference, CONFERENCE_FIELDS, _fk_values(parsed.validated_data, "unit"))
        form = _conference_form(_form_data(merged), request.user, instance=conference)
        services.conference_update(actor=request.user, conference=conference, data=form.cleaned_data)
        return self._output(conference.pk)


# --- Village conventions -------------------------------------------------------------------

CONVENTION_FIELDS = VillageConventionForm.Meta.fields


class ConventionSerializer(serializers.ModelSerializer):
    hamlet = serializers.IntegerField(source="hamlet_id", help_text="Thôn, tổ dân phố (trong phạm vi nhập liệu).")
    hamlet_name = serializers.CharField(source="hamlet.name", read_only=True)
    status = ConventionStatusChoice(choices=VillageConvention.Status.choices, required=False, default="du_thao")
    approval_share = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Tỷ lệ hộ tán thành (0–1); null khi chưa có tổng số hộ."
    )

    class Meta:
        model = VillageConvention
        fields = ["id", "hamlet", "hamlet_name", *[f for f in CONVENTION_FIELDS if f != "hamlet"], "approval_share"]
        read_only_fields = ["id"]
        extra_kwargs = _defaults(VillageConvention, [f for f in CONVENTION_FIELDS if f not in ("hamlet", "status")])


class ConventionFilter(UnitSubtreeFilter):
    path_field = "hamlet__path"
    kind = django_filters.ChoiceFilter(choices=VillageConvention.Kind.choices)
    status = django_filters.ChoiceFilter(choices=VillageConvention.Status.choices)

    class Meta:
        model = VillageConvention
        fields = ["unit", "kind", "status"]


@extend_schema_view(
    create=extend_schema(responses={201: ConventionSerializer, **WRITE_RESPONSES}),
    update=extend_schema(responses={200: ConventionSerializer, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: ConventionSerializer, **WRITE_RESPONSES}),
)
class ConventionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Village conventions (hương ước, quy ước) of hamlets in the caller's scope (Nghị định 61/2023).

    Adopted only with more than 50% of households approving; in force only once recognised.
    """

    serializer_class = ConventionSerializer
    filterset_class = ConventionFilter

    def get_queryset(self):
        qs = VillageConvention.objects.select_related("hamlet")
        return access.for_user(self.request.user, access.VIEW, qs).order_by("hamlet__name", "-adopted_on", "pk")

    def _output(self, pk, **kwargs) -> Response:
        return Response(ConventionSerializer(self.get_queryset().get(pk=pk)).data, **kwargs)

    def create(self, request, *args, **kwargs):
        _require_report(request.user, _("Bạn không có quyền nhập hương ước, quy ước."))
        parsed = ConventionSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        values = _fk_values(parsed.validated_data, "hamlet")
        form = _valid(VillageConventionForm(data=_form_data(values), user=request.user))
        convention = services.convention_save(actor=request.user, data=form.cleaned_data)
        return self._output(convention.pk, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        convention = _reportable(request.user, VillageConvention.objects.select_related("hamlet"), kwargs["pk"])
        parsed = ConventionSerializer(data=request.data, partial=partial)
        parsed.is_valid(raise_exception=True)
        merged = _merged(convention, CONVENTION_FIELDS, _fk_values(parsed.validated_data, "hamlet"), fks=("hamlet",))
        form = _valid(VillageConventionForm(data=_form_data(merged), instance=convention, user=request.user))
        services.convention_save(actor=request.user, data=form.cleaned_data, instance=convention)
        return self._output(convention.pk)


# --- Figures (Biểu 04–07) ------------------------------------------------------------------


def _figures_part(name: str, counts: list[str], amounts: dict[str, int]) -> type[serializers.Serializer]:
    attrs = {
        **{key: serializers.IntegerField() for key in counts},
        **{
            key: serializers.DecimalField(max_digits=None, decimal_places=places, coerce_to_string=True)
            for key, places in amounts.items()
        },
    }
    return type(name, (serializers.Serializer,), attrs)


InspectionFiguresOutput = _figures_part(
    "InspectionFiguresOutput",
    [
        "boards",
        "members",
        "supervisions",
        *[f"field_{f}" for f in SupervisionField.values],
        "violations",
        "recommendations",
        "recommendations_resolved",
    ],
    {"money_recovered": 0, "land_recovered_m2": 1},
)
CommunityFiguresOutput = _figures_part(
    "CommunityFiguresOutput",
    [
        "boards",
        "members",
        "projects",
        "supervisions",
        *[f"funding_{s}" for s in InvestmentProject.Funding.values],
        "violations",
        "recommendations",
    ],
    {"money_recovered": 0, "settlement_reduced": 0},
)
WorkplaceFiguresOutput = _figures_part(
    "WorkplaceFiguresOutput",
    [
        "year",
        "agencies_total",
        "agencies_with_conference",
        "enterprises_total",
        "enterprises_with_conference",
        "late_conferences",
        "enterprises_with_dialogue",
        *[f"dialogues_{t}" for t in Trigger.values],
    ],
    {},
)
ConventionFiguresOutput = _figures_part(
    "ConventionFiguresOutput",
    ["hamlets_total", "hamlets_with_convention", "recognised_in_window", "amended_or_replaced", "suspended"],
    {},
)


class BoardFiguresOutput(serializers.Serializer):
    unit = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    inspection = InspectionFiguresOutput(help_text="Biểu 04: Ban Thanh tra nhân dân.")
    community = CommunityFiguresOutput(help_text="Biểu 05: giám sát đầu tư của cộng đồng.")
    workplace = WorkplaceFiguresOutput(help_text="Biểu 06: hội nghị tại nơi làm việc, đối thoại ở doanh nghiệp.")
    conventions = ConventionFiguresOutput(help_text="Biểu 07: hương ước, quy ước.")


class BoardFiguresApi(_FiguresApi):
    """Biểu 04–07 over a unit's subtree and [start, end]: inspection boards, community
    supervision, workplace conferences (for the end date's year) and village conventions.
    Amounts (đồng, m²) are strings."""

    output = BoardFiguresOutput

    @extend_schema(
        parameters=FIGURES_PARAMETERS,
        responses={
            200: BoardFiguresOutput,
            400: OpenApiResponse(description="Thiếu hoặc sai tham số"),
            404: ErrorOutput,
        },
    )
    def get(self, request):
        return super().get(request)

    def figures(self, unit, start, end):
        return {
            "inspection": selectors.inspection_figures(unit, start, end),
            "community": selectors.community_figures(unit, start, end),
            "workplace": selectors.workplace_figures(unit, start, end),
            "conventions": selectors.convention_figures(unit, start, end),
        }


def register(router) -> None:
    router.register("inspection-boards", InspectionBoardViewSet, basename="api-inspection-board")
    router.register("board-members", BoardMemberViewSet, basename="api-board-member")
    router.register("projects", InvestmentProjectViewSet, basename="api-project")
    router.register("community-boards", CommunityBoardViewSet, basename="api-community-board")
    router.register("supervisions", SupervisionViewSet, basename="api-supervision")
    router.register("conferences", ConferenceViewSet, basename="api-conference")
    router.register("conventions", ConventionViewSet, basename="api-convention")
