"""/api/v1/ for dialogue sessions, petitions ("5 rõ" follow-up), citizen reception and their figures.

Visibility comes from access.for_user in get_queryset (out of scope → 404; visible but not
allowed → 403). Writes are validated by the browser's forms (dialogues/forms.py) and saved
by dialogues/services.py, so the rules cannot drift apart. Edits of dialogue sessions and
petitions carry the ``version`` they were read with (optimistic locking): a stale one
answers 409.
"""

from __future__ import annotations

import datetime as dt
import re

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from dialogues import selectors, services
from dialogues.forms import (
    DialogueSessionForm,
    PetitionAssignForm,
    PetitionCloseForm,
    PetitionProgressForm,
    PetitionReopenForm,
    PetitionRowForm,
    PetitionTransferForm,
    ReceptionForm,
)
from dialogues.models import (
    ChairRole,
    CoOrganizer,
    DialogueSession,
    Field,
    Format,
    Level,
    Petition,
    PetitionEvent,
    PetitionStatus,
    ReceptionKind,
    ReceptionSession,
    Scope,
    Trigger,
)
from units import access
from units.api import form_errors
from units.models import Unit

# --- Shared helpers ----------------------------------------------------------------------


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class StaleOutput(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="Phiên bản hiện tại của bản ghi.")


def _subtree(qs, unit_id, *path_fields):
    """Rows whose unit (any of ``path_fields``) lies in the subtree of unit ``unit_id``.

    Applied after access.for_user, so it narrows the caller's scope and never widens it."""
    path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
    if path is None:
        return qs.none()
    q = Q()
    for name in path_fields:
        q |= Q(**{f"{name}__startswith": path})
    return qs.filter(q)


def _reportable(user, queryset, pk):
    """The object ``pk``: looked up among what ``user`` sees (else 404), then REPORT required (else 403)."""
    obj = access.for_user(user, access.VIEW, queryset).filter(pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise NotFound(_("Không tìm thấy."))
    if not access.for_user(user, access.REPORT, queryset.model.objects.filter(pk=obj.pk)).exists():
        raise ApiPermissionDenied(_("Bạn chỉ được xem bản ghi này, không được cập nhật."))
    return obj


def _form_value(value):
    return "" if value is None else value


def _stale(obj) -> Response:
    current = type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).first()
    return Response(
        {
            "detail": _(
                "Bản ghi vừa được người khác cập nhật (phiên bản hiện tại: %(v)s). "
                "Hãy đọc lại bản ghi rồi gửi lại thay đổi với phiên bản mới."
            )
            % {"v": current},
            "version": current,
        },
        status=status.HTTP_409_CONFLICT,
    )


def _service_errors(exc: DjangoValidationError, form) -> dict[str, list[str]]:
    """A service's ValidationError as the API's {field: [messages]}."""
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": [str(m) for m in exc.messages]}
    out: dict[str, list[str]] = {}
    for name, errors in exc.error_dict.items():
        key = name if name in form.fields else "non_field_errors"
        for error in errors:
            out.setdefault(key, []).extend(str(m) for m in error.messages)
    return out


# --- Dialogue sessions -------------------------------------------------------------------


class PetitionSummaryOutput(serializers.ModelSerializer):
    class Meta:
        model = Petition
        fields = ["id", "status", "deadline"]


class DialogueOutput(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    co_organizers = serializers.ListField(child=serializers.ChoiceField(choices=CoOrganizer.choices), read_only=True)
    has_minutes = serializers.SerializerMethodField()
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)
    petitions = PetitionSummaryOutput(many=True, read_only=True)

    class Meta:
        model = DialogueSession
        fields = [
            "id",
            "unit",
            "unit_name",
            "level",
            "held_on",
            "topic",
            "scope",
            "trigger",
            "format",
            "chair_role",
            "chair_name",
            "co_organizers",
            "participants",
            "employer_reps",
            "employee_reps",
            "announced_on",
            "results_published_on",
            "has_minutes",
            "warnings",
            "created_at",
            "updated_at",
            "version",
            "petitions",
        ]

    def get_has_minutes(self, obj) -> bool:
        return bool(obj.minutes_file)


class PetitionRowInput(serializers.Serializer):
    """One petition raised at the session (the fields of PetitionRowForm)."""

    content = serializers.CharField()
    field = serializers.ChoiceField(choices=Field.choices)
    citizen_name = serializers.CharField(required=False, allow_blank=True, default="")
    answered_at_session = serializers.BooleanField(required=False, default=False)
    result = serializers.CharField(required=False, allow_blank=True, default="")
    assignee_person = serializers.CharField(required=False, allow_blank=True, default="")
    task = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    responsible_unit = serializers.CharField(required=False, allow_blank=True, default="")


class _DialogueFields(serializers.Serializer):
    unit = serializers.IntegerField(help_text="Đơn vị tổ chức (trong phạm vi nhập liệu của bạn).")
    held_on = serializers.DateField(help_text="Ngày tổ chức (không ở tương lai).")
    topic = serializers.CharField(max_length=500)
    scope = serializers.ChoiceField(choices=Scope.choices)
    trigger = serializers.ChoiceField(choices=Trigger.choices)
    format = serializers.ChoiceField(choices=Format.choices, required=False, default=Format.TRUC_TIEP)
    chair_role = serializers.ChoiceField(choices=ChairRole.choices)
    chair_name = serializers.CharField(max_length=120)
    co_organizers = serializers.ListField(
        child=serializers.ChoiceField(choices=CoOrganizer.choices), required=False, default=list
    )
    participants = serializers.IntegerField()
    employer_reps = serializers.IntegerField(required=False, allow_null=True, default=None)
    employee_reps = serializers.IntegerField(required=False, allow_null=True, default=None)
    announced_on = serializers.DateField(required=False, allow_null=True, default=None)
    results_published_on = serializers.DateField(required=False, allow_null=True, default=None)


class DialogueCreateInput(_DialogueFields):
    petitions = PetitionRowInput(many=True, required=False, default=list, max_length=200)


class DialogueUpdateInput(_DialogueFields):
    version = serializers.IntegerField(help_text="Phiên bản đã đọc (khóa lạc quan); sai phiên bản → 409.")


def _rows_as_list(errors, data) -> dict:
    """DRF reports a nested row's errors as {index: errors}; the API answers one entry per row."""
    errors = dict(errors)
    rows = errors.get("petitions")
    if isinstance(rows, dict):
        count = len(data.get("petitions") or []) if hasattr(data, "get") else 0
        errors["petitions"] = [rows.get(i, {}) for i in range(max(count, max(rows) + 1))]
    return errors


SESSION_FIELDS = [name for name in DialogueSessionForm.Meta.fields if name != "minutes_file"]


def _session_form(data, user, instance=None) -> DialogueSessionForm:
    form = DialogueSessionForm(data=data, instance=instance, user=user)
    del form.fields["minutes_file"]  # uploaded in the browser only
    return form


class DialogueFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(method="filter_unit", label="Đơn vị (cả các đơn vị trực thuộc)")
    level = django_filters.ChoiceFilter(choices=Level.choices)
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="Tổ chức từ ngày")
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label="Tổ chức đến ngày")

    class Meta:
        model = DialogueSession
        fields = ["unit", "level", "held_from", "held_to"]

    def filter_unit(self, qs, name, value):
        return _subtree(qs, value, "unit__path")


@extend_schema_view(
    create=extend_schema(
        request=DialogueCreateInput,
        responses={201: DialogueOutput, 400: OpenApiResponse(description="Lỗi nhập liệu"), 403: ErrorOutput},
    ),
    update=extend_schema(
        request=DialogueUpdateInput,
        responses={200: DialogueOutput, 400: OpenApiResponse(description="Lỗi nhập liệu"), 409: StaleOutput},
    ),
    partial_update=extend_schema(
        request=DialogueUpdateInput,
        responses={200: DialogueOutput, 400: OpenApiResponse(description="Lỗi nhập liệu"), 409: StaleOutput},
    ),
)
class DialogueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Dialogue sessions (hội nghị đối thoại) in the caller's scope, with a summary of their petitions.

    Create needs the right to report somewhere and a unit inside that scope; the session's
    petitions may be sent with it (``petitions``; errors come back as a list with one entry
    per row, by index). Held dates in the future are refused. The minutes file (biên bản)
    is not handled by the API: upload it in the browser. Edits carry ``version``.
    """

    serializer_class = DialogueOutput
    filterset_class = DialogueFilter

    def get_queryset(self):
        qs = DialogueSession.objects.select_related("unit").prefetch_related(
            Prefetch("petitions", queryset=Petition.objects.order_by("pk"))
        )
        return access.for_user(self.request.user, access.VIEW, qs).order_by("-held_on", "-pk")

    def get_serializer_class(self):
        if self.action == "create":
            return DialogueCreateInput
        if self.action in ("update", "partial_update"):
            return DialogueUpdateInput
        return DialogueOutput

    def _output(self, pk, **kwargs) -> Response:
        return Response(DialogueOutput(self.get_queryset().get(pk=pk)).data, **kwargs)

    def create(self, request, *args, **kwargs):
        if not access.can(request.user, access.REPORT):
            raise ApiPermissionDenied(_("Bạn không có quyền nhập hội nghị đối thoại."))
        parsed = DialogueCreateInput(data=request.data)
        if not parsed.is_valid():
            raise ValidationError(_rows_as_list(parsed.errors, request.data))
        values = dict(parsed.validated_data)
        rows = values.pop("petitions")
        form = _session_form({k: _form_value(v) for k, v in values.items()}, request.user)
        row_forms = [PetitionRowForm(data={k: _form_value(v) for k, v in row.items()}) for row in rows]
        errors = {} if form.is_valid() else form_errors(form)
        row_errors = [{} if row.is_valid() else form_errors(row) for row in row_forms]
        if any(row_errors):
            errors["petitions"] = row_errors
        if errors:
            raise ValidationError(errors)
        data = {k: v for k, v in form.cleaned_data.items() if k in SESSION_FIELDS}
        session = services.session_create(
            actor=request.user, data=data, petitions=[row.cleaned_data for row in row_forms]
        )
        return self._output(session.pk, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        session = _reportable(request.user, DialogueSession.objects.select_related("unit"), kwargs["pk"])
        parsed = DialogueUpdateInput(data=request.data, partial=partial)
        parsed.is_valid(raise_exception=True)
        values = dict(parsed.validated_data)
        version = values.pop("version", None)
        if version is None:
            raise ValidationError({"version": [_("Hãy gửi phiên bản (version) của bản ghi đã đọc.")]})
        merged = {name: getattr(session, name) for name in SESSION_FIELDS if name != "unit"}
        merged["unit"] = session.unit_id
        merged.update(values)
        form = _session_form({k: _form_value(v) for k, v in merged.items()}, request.user, instance=session)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        data = {k: v for k, v in form.cleaned_data.items() if k in SESSION_FIELDS}
        try:
            services.session_update(actor=request.user, session=session, data=data, expected_version=version)
        except services.StaleEdit:
            return _stale(session)
        return self._output(session.pk)


# --- Petitions ---------------------------------------------------------------------------


class PetitionEventOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)
    # Plain strings in the schema: the values are those of the petition's ``status`` (or empty).
    from_status = serializers.CharField(read_only=True, help_text="Trạng thái trước (giá trị của status, có thể rỗng).")
    to_status = serializers.CharField(read_only=True, help_text="Trạng thái sau (giá trị của status).")

    class Meta:
        model = PetitionEvent
        fields = ["at", "actor", "kind", "from_status", "to_status", "note"]


class PetitionOutput(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    transferred_to_name = serializers.CharField(source="transferred_to.name", read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    five_clear_missing = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Những “rõ” còn thiếu trong “5 rõ”."
    )

    class Meta:
        model = Petition
        fields = [
            "id",
            "unit",
            "unit_name",
            "session",
            "reception",
            "raised_on",
            "content",
            "citizen_name",
            "field",
            "answered_at_session",
            "assignee_person",
            "task",
            "deadline",
            "responsible_unit",
            "result",
            "result_date",
            "status",
            "transferred_to",
            "transferred_to_name",
            "is_overdue",
            "five_clear_missing",
            "created_at",
            "version",
        ]


class PetitionDetailOutput(PetitionOutput):
    events = PetitionEventOutput(many=True, read_only=True)

    class Meta(PetitionOutput.Meta):
        fields = [*PetitionOutput.Meta.fields, "events"]


class _VersionInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="Phiên bản đã đọc (khóa lạc quan); sai phiên bản → 409.")


class PetitionAssignInput(_VersionInput):
    assignee_person = serializers.CharField(max_length=120, help_text="Rõ người")
    task = serializers.CharField(help_text="Rõ việc")
    deadline = serializers.DateField(help_text="Rõ thời gian")
    responsible_unit = serializers.CharField(max_length=255, help_text="Rõ trách nhiệm")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PetitionProgressInput(_VersionInput):
    note = serializers.CharField(help_text="Tiến độ")


CLOSING_STATUSES = (PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED)


# A pattern rather than an enum in the schema, so the petition's own ``status`` enum keeps its name.
@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(CLOSING_STATUSES) + ")$"})
class _ClosingStatusField(serializers.ChoiceField):
    pass


class PetitionCloseInput(_VersionInput):
    status = _ClosingStatusField(
        choices=[(s.value, s.label) for s in CLOSING_STATUSES],
        help_text="Kết thúc: resolved (đã giải quyết) hoặc explained (đã giải thích, trả lời).",
    )
    result = serializers.CharField(help_text="Rõ kết quả")
    result_date = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PetitionTransferInput(_VersionInput):
    to_unit = serializers.IntegerField(help_text="Đơn vị có thẩm quyền nhận kiến nghị (đơn vị đang hoạt động).")
    note = serializers.CharField(help_text="Lý do chuyển")


class PetitionReopenInput(_VersionInput):
    note = serializers.CharField(help_text="Lý do mở lại")


class PetitionFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(
        method="filter_unit", label="Đơn vị (cả đơn vị trực thuộc và kiến nghị được chuyển đến)"
    )
    field = django_filters.ChoiceFilter(choices=Field.choices)
    status = django_filters.ChoiceFilter(
        choices=[("open", "Đang mở"), *PetitionStatus.choices], method="filter_status", label="Trạng thái"
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Quá hạn (true/false)")
    raised_from = django_filters.DateFilter(field_name="raised_on", lookup_expr="gte", label="Tiếp nhận từ ngày")
    raised_to = django_filters.DateFilter(field_name="raised_on", lookup_expr="lte", label="Tiếp nhận đến ngày")
    session = django_filters.NumberFilter(field_name="session", label="Hội nghị đối thoại")
    reception = django_filters.NumberFilter(field_name="reception", label="Buổi tiếp công dân")

    class Meta:
        model = Petition
        fields = ["unit", "field", "status", "overdue", "raised_from", "raised_to", "session", "reception"]

    def filter_unit(self, qs, name, value):
        return _subtree(qs, value, "unit__path", "transferred_to__path")

    def filter_status(self, qs, name, value):
        return qs.open() if value == "open" else qs.filter(status=value)

    def filter_overdue(self, qs, name, value):
        overdue = Petition.objects.overdue().values("pk")
        return qs.filter(pk__in=overdue) if value else qs.exclude(pk__in=overdue)


def _action_schema(request, summary):
    return extend_schema(
        request=request,
        responses={
            200: PetitionDetailOutput,
            400: OpenApiResponse(description="Lỗi nhập liệu hoặc kiến nghị không ở trạng thái phù hợp"),
            403: ErrorOutput,
            404: ErrorOutput,
            409: StaleOutput,
        },
        summary=summary,
    )


class PetitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Petitions (ý kiến, kiến nghị) in the caller's scope, including those transferred to it.

    The actions follow the "5 rõ": ``assign`` (rõ người, việc, thời gian, trách nhiệm),
    ``progress``, ``close`` (rõ kết quả), ``transfer`` to the competent level and ``reopen``.
    They need the right to report on the petition's unit (or the unit it was transferred
    to) and the ``version`` the petition was read with: a stale one answers 409.
    """

    serializer_class = PetitionOutput
    filterset_class = PetitionFilter

    def get_queryset(self):
        qs = Petition.objects.select_related("unit", "transferred_to")
        if self.action != "list":
            qs = qs.prefetch_related(
                Prefetch("events", queryset=PetitionEvent.objects.select_related("actor").order_by("at", "pk"))
            )
        return access.for_user(self.request.user, access.VIEW, qs).order_by("deadline", "raised_on", "pk")

    def get_serializer_class(self):
        return PetitionOutput if self.action == "list" else PetitionDetailOutput

    def _act(self, request, pk, input_class, form_class, call):
        petition = _reportable(request.user, Petition.objects.select_related("unit"), pk)
        parsed = input_class(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = {k: _form_value(v) for k, v in parsed.validated_data.items()}
        kwargs = {"instance": petition} if form_class is PetitionAssignForm else {}
        form = form_class(data=data, **kwargs)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        d = form.cleaned_data
        try:
            call(d, actor=request.user, petition=petition, expected_version=d["version"])
        except services.StaleEdit:
            return _stale(petition)
        except DjangoValidationError as exc:
            raise ValidationError(_service_errors(exc, form)) from None
        return Response(PetitionDetailOutput(self.get_queryset().get(pk=petition.pk)).data)

    @_action_schema(PetitionAssignInput, "Giao xử lý (rõ người, việc, thời gian, trách nhiệm)")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        def call(d, **kw):
            services.petition_assign(
                assignee_person=d["assignee_person"],
                task=d["task"],
                deadline=d["deadline"],
                responsible_unit=d["responsible_unit"],
                note=d["note"],
                **kw,
            )

        return self._act(request, pk, PetitionAssignInput, PetitionAssignForm, call)

    @_action_schema(PetitionProgressInput, "Cập nhật tiến độ")
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        return self._act(
            request,
            pk,
            PetitionProgressInput,
            PetitionProgressForm,
            lambda d, **kw: services.petition_progress(note=d["note"], **kw),
        )

    @_action_schema(PetitionCloseInput, "Kết thúc (rõ kết quả)")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        def call(d, **kw):
            services.petition_close(
                status=d["status"], result=d["result"], result_date=d["result_date"], note=d["note"], **kw
            )

        return self._act(request, pk, PetitionCloseInput, PetitionCloseForm, call)

    @_action_schema(PetitionTransferInput, "Chuyển cấp có thẩm quyền")
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._act(
            request,
            pk,
            PetitionTransferInput,
            PetitionTransferForm,
            lambda d, **kw: services.petition_transfer(to_unit=d["to_unit"], note=d["note"], **kw),
        )

    @_action_schema(PetitionReopenInput, "Mở lại")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._act(
            request,
            pk,
            PetitionReopenInput,
            PetitionReopenForm,
            lambda d, **kw: services.petition_reopen(note=d["note"], **kw),
        )


# --- Citizen reception -------------------------------------------------------------------


_RECEPTION_COUNTS = [
    "cases_new",
    "cases_old",
    "complaints",
    "denunciations",
    "petitions_count",
    "delegations",
    "delegation_persons",
]


class ReceptionSerializer(serializers.ModelSerializer):
    """A reception session, read and written with the same fields (writes are validated by ReceptionForm)."""

    unit = serializers.IntegerField(source="unit_id", help_text="Đơn vị (trong phạm vi nhập liệu của bạn).")
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ReceptionSession
        fields = [
            "id",
            "unit",
            "unit_name",
            *[name for name in ReceptionForm.Meta.fields if name != "unit"],
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "held_on": {"help_text": "Ngày tiếp (không ở tương lai)."},
            "receiver_name": {"default": ""},
            "note": {"default": ""},
            **{name: {"default": 0} for name in _RECEPTION_COUNTS},
        }


def _reception_values(validated: dict) -> dict:
    values = dict(validated)
    if "unit_id" in values:
        values["unit"] = values.pop("unit_id")
    return values


class ReceptionFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(method="filter_unit", label="Đơn vị (cả các đơn vị trực thuộc)")
    kind = django_filters.ChoiceFilter(choices=ReceptionKind.choices)
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="Tiếp từ ngày")
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label="Tiếp đến ngày")

    class Meta:
        model = ReceptionSession
        fields = ["unit", "kind", "held_from", "held_to"]

    def filter_unit(self, qs, name, value):
        return _subtree(qs, value, "unit__path")


@extend_schema_view(
    create=extend_schema(
        request=ReceptionSerializer,
        responses={201: ReceptionSerializer, 400: OpenApiResponse(description="Lỗi nhập liệu"), 403: ErrorOutput},
    ),
    update=extend_schema(
        request=ReceptionSerializer,
        responses={200: ReceptionSerializer, 400: OpenApiResponse(description="Lỗi nhập liệu"), 403: ErrorOutput},
    ),
    partial_update=extend_schema(
        request=ReceptionSerializer,
        responses={200: ReceptionSerializer, 400: OpenApiResponse(description="Lỗi nhập liệu"), 403: ErrorOutput},
    ),
)
class ReceptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Citizen-reception sessions (buổi tiếp công dân) in the caller's scope, with their counts.

    Create and edit need the right to report on the unit; days in the future are refused.
    """

    serializer_class = ReceptionSerializer
    filterset_class = ReceptionFilter

    def get_queryset(self):
        qs = ReceptionSession.objects.select_related("unit")
        return access.for_user(self.request.user, access.VIEW, qs).order_by("-held_on", "-pk")

    def get_serializer_class(self):
        return ReceptionSerializer if self.action in ("create", "update", "partial_update") else ReceptionSerializer

    def create(self, request, *args, **kwargs):
        if not access.can(request.user, access.REPORT):
            raise ApiPermissionDenied(_("Bạn không có quyền nhập buổi tiếp công dân."))
        parsed = ReceptionSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        values = _reception_values(parsed.validated_data)
        form = ReceptionForm(data={k: _form_value(v) for k, v in values.items()}, user=request.user)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        reception = services.reception_create(actor=request.user, data=form.cleaned_data)
        return Response(ReceptionSerializer(reception).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        reception = _reportable(request.user, ReceptionSession.objects.select_related("unit"), kwargs["pk"])
        parsed = ReceptionSerializer(data=request.data, partial=partial)
        parsed.is_valid(raise_exception=True)
        merged = {name: getattr(reception, name) for name in ReceptionForm.Meta.fields if name != "unit"}
        merged["unit"] = reception.unit_id
        merged.update(_reception_values(parsed.validated_data))
        form = ReceptionForm(data={k: _form_value(v) for k, v in merged.items()}, instance=reception, user=request.user)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        services.reception_update(actor=request.user, reception=reception, data=form.cleaned_data)
        return Response(ReceptionSerializer(self.get_queryset().get(pk=reception.pk)).data)


# --- Figures (Biểu 02, Biểu 03) ------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

FIGURES_PARAMETERS = [
    OpenApiParameter("unit", OpenApiTypes.INT, required=True, description="Đơn vị (tính cả các đơn vị trực thuộc)"),
    OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="Từ ngày (YYYY-MM-DD)"),
    OpenApiParameter("end", OpenApiTypes.DATE, required=True, description="Đến ngày (YYYY-MM-DD)"),
]


def _figures_serializer(name: str, counts: list[str], extra: dict | None = None) -> type[serializers.Serializer]:
    attrs = {
        "unit": serializers.IntegerField(),
        "start": serializers.DateField(),
        "end": serializers.DateField(),
        **{key: serializers.IntegerField() for key in counts},
        **(extra or {}),
    }
    return type(name, (serializers.Serializer,), attrs)


DialogueFiguresOutput = _figures_serializer(
    "DialogueFiguresOutput",
    [
        "sessions",
        *[f"level_{v}" for v in Level.values],
        *[f"scope_{v}" for v in Scope.values],
        *[f"trigger_{v}" for v in Trigger.values],
        "participants",
        "raised",
        "answered",
        "assigned_after",
        "resolved",
        "transferred",
        "open",
        "overdue",
    ],
    {
        "resolution_rate": serializers.DecimalField(
            max_digits=5,
            decimal_places=1,
            allow_null=True,
            help_text="Tỷ lệ giải quyết (%), null khi không có kiến nghị.",
        )
    },
)

_RECEPTION_TOTALS = [
    "delegations",
    "delegation_persons",
    "complaints",
    "denunciations",
    "petitions_count",
    "persons",
    "cases_new",
    "cases_old",
]
_RECEPTION_COMPARED = ["total_sessions", "total_persons", "total_cases_new"]

ReceptionFiguresOutput = _figures_serializer(
    "ReceptionFiguresOutput",
    [
        *[
            f"{group}_{name}"
            for group in selectors.RECEPTION_GROUPS
            for name in ("sessions", "persons", "cases_old", "cases_new")
        ],
        *[f"total_{name}" for name in _RECEPTION_TOTALS],
        "total_sessions",
        *[f"change_{name}" for name in _RECEPTION_COMPARED],
        *[f"previous_{name}" for name in _RECEPTION_COMPARED],
    ],
)


class _FiguresApi(APIView):
    output: type[serializers.Serializer]

    def figures(self, unit: Unit, start: dt.date, end: dt.date) -> dict:
        raise NotImplementedError

    def _date(self, request, name: str, label: str) -> dt.date:
        raw = request.query_params.get(name, "").strip()
        if not raw:
            raise ValidationError({name: [_("Hãy ghi %(label)s (YYYY-MM-DD).") % {"label": label}]})
        try:
            if not _ISO_DATE.match(raw):
                raise ValueError(raw)
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(
                {name: [_("%(label)s không hợp lệ: hãy ghi theo dạng YYYY-MM-DD.") % {"label": label.capitalize()}]}
            ) from None

    def get(self, request):
        raw_unit = request.query_params.get("unit", "").strip()
        if not raw_unit.isdigit():
            raise ValidationError({"unit": [_("Hãy chọn đơn vị (mã số của đơn vị).")]})
        start = self._date(request, "start", _("ngày bắt đầu"))
        end = self._date(request, "end", _("ngày kết thúc"))
        if end < start:
            raise ValidationError({"end": [_("Ngày kết thúc phải sau ngày bắt đầu.")]})
        unit = access.for_user(request.user, access.VIEW).filter(pk=int(raw_unit)).first()
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị."))
        data = {"unit": unit.pk, "start": start, "end": end, **self.figures(unit, start, end)}
        return Response(self.output(data).data)


class DialogueFiguresApi(_FiguresApi):
    """Biểu 02: dialogue sessions and their petitions in a unit's subtree over [start, end]."""

    output = DialogueFiguresOutput

    @extend_schema(
        parameters=FIGURES_PARAMETERS,
        responses={
            200: DialogueFiguresOutput,
            400: OpenApiResponse(description="Thiếu hoặc sai tham số"),
            404: ErrorOutput,
        },
    )
    def get(self, request):
        return super().get(request)

    def figures(self, unit, start, end):
        return selectors.dialogue_figures(unit, start, end)


class ReceptionFiguresApi(_FiguresApi):
    """Biểu 03: citizen reception in a unit's subtree over [start, end], compared with a year earlier."""

    output = ReceptionFiguresOutput

    @extend_schema(
        parameters=FIGURES_PARAMETERS,
        responses={
            200: ReceptionFiguresOutput,
            400: OpenApiResponse(description="Thiếu hoặc sai tham số"),
            404: ErrorOutput,
        },
    )
    def get(self, request):
        return super().get(request)

    def figures(self, unit, start, end):
        return selectors.reception_figures(unit, start, end)


def register(router) -> None:
    router.register("dialogues", DialogueViewSet, basename="api-dialogue")
    router.register("petitions", PetitionViewSet, basename="api-petition")
    router.register("receptions", ReceptionViewSet, basename="api-reception")
