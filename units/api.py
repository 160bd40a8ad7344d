"""/api/v1/ for units, agencies, hamlets and grants.

Visibility comes from access.for_user in get_queryset (out of scope → 404); writes are
validated by the same forms as the browser, so the rules cannot drift apart.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from qcdc_portal.lib.text import fold
from units import access, services
from units.forms import AgencyForm, GrantForm, HamletForm
from units.models import AGENCY_KINDS, Grant, Unit, UnitKind


def form_errors(form) -> dict[str, list[str]]:
    """A form's errors as the API's {field: [messages]} (non-field errors under "non_field_errors")."""
    out = {}
    for field, errors in form.errors.items():
        out["non_field_errors" if field == "__all__" else field] = [str(e) for e in errors]
    return out


class GrantOutput(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Grant
        fields = ["id", "user", "username", "role", "role_label", "unit", "unit_code", "unit_name", "created_at"]


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    is_superuser = serializers.BooleanField()
    grants = GrantOutput(many=True)
    actions = serializers.ListField(child=serializers.CharField())


class MeApi(APIView):
    """The signed-in user, their grants and the actions they may take somewhere."""

    @extend_schema(responses=MeOutput)
    def get(self, request):
        user = request.user
        data = {
            "username": user.username,
            "full_name": user.get_full_name(),
            "email": user.email,
            "is_superuser": user.is_superuser,
            "grants": access.grants_of(user),
            "actions": [a for a in access.ACTIONS if access.can(user, a)],
        }
        return Response(MeOutput(data).data)


class UnitOutput(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
            "code_list",
            "code",
            "legacy_code",
            "name",
            "kind",
            "official_type",
            "parent",
            "depth",
            "valid_from",
            "valid_to",
            "staff_count",
            "has_union",
            "tax_code",
        ]


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=UnitKind.choices)
    parent = django_filters.NumberFilter(field_name="parent_id")
    code = django_filters.CharFilter()
    code_list = django_filters.CharFilter()
    search = django_filters.CharFilter(method="filter_search", label="Tên hoặc mã (không phân biệt dấu)")
    valid_on = django_filters.DateFilter(method="filter_valid_on", label="Còn hiệu lực vào ngày (yyyy-mm-dd)")

    class Meta:
        model = Unit
        fields = ["kind", "parent", "code", "code_list"]

    def filter_search(self, qs, name, value):
        return qs.filter(Q(name_key__contains=fold(value)) | Q(code__startswith=value.strip()))

    def filter_valid_on(self, qs, name, value):
        return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=value)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=value)
        )


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Every unit in the caller's scope: provinces, districts, communes, hamlets, agencies."""

    serializer_class = UnitOutput
    filterset_class = UnitFilter

    def get_queryset(self):
        return access.for_user(self.request.user, access.VIEW).order_by("path")


class _LocalUnitInput(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    parent = serializers.IntegerField()
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


class AgencyInput(_LocalUnitInput):
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in AGENCY_KINDS])
    staff_count = serializers.IntegerField(min_value=0)
    has_union = serializers.BooleanField(required=False, default=False)
    tax_code = serializers.CharField(required=False, allow_blank=True, default="")


class HamletInput(_LocalUnitInput):
    official_type = serializers.ChoiceField(choices=[("thon", "Thôn, bản, ấp"), ("to_dan_pho", "Tổ dân phố")])


class _LocalUnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = UnitOutput
    filterset_class = UnitFilter
    kinds: list[str] = []
    form_class: type = AgencyForm
    input_class: type = AgencyInput

    def get_queryset(self):
        return access.for_user(self.request.user, access.VIEW, Unit.objects.filter(kind__in=self.kinds)).order_by(
            "path"
        )

    def _form_data(self, data, instance=None) -> dict:
        parsed = self.input_class(data=data, partial=instance is not None)
        parsed.is_valid(raise_exception=True)
        merged = {}
        if instance is not None:
            merged = {
                f: getattr(instance, f) for f in self.form_class.Meta.fields if f != "parent" and hasattr(instance, f)
            }
            merged["parent"] = instance.parent_id
        merged.update(parsed.validated_data)
        return {k: ("" if v is None else v) for k, v in merged.items()}

    def _validated_form(self, data, instance=None):
        form = self.form_class(data=self._form_data(data, instance), instance=instance, user=self.request.user)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        return form

    def create(self, request, *args, **kwargs):
        if not access.can(request.user, access.MANAGE_UNITS):
            raise ApiPermissionDenied("Bạn không có quyền quản lý cơ quan, thôn, tổ dân phố.")
        form = self._validated_form(request.data)
        data = dict(form.cleaned_data)
        kind = data.pop("kind", None) or UnitKind.HAMLET
        unit = services.unit_create_local(kind=kind, parent=data.pop("parent"), **data)
        return Response(UnitOutput(unit).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        try:
            access.require(request.user, access.MANAGE_UNITS, instance)
        except PermissionDenied:
            raise ApiPermissionDenied("Bạn chỉ được xem đơn vị này.") from None
        form = self._validated_form(request.data, instance=instance)
        form.save()
        return Response(UnitOutput(form.instance).data)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.input_class
        return UnitOutput


@extend_schema(request=AgencyInput, responses=UnitOutput)
class AgencyViewSet(_LocalUnitViewSet):
    """Agencies, public service units and enterprises (create and edit need the manage_units right)."""

    kinds = list(AGENCY_KINDS)
    form_class = AgencyForm
    input_class = AgencyInput


@extend_schema(request=HamletInput, responses=UnitOutput)
class HamletViewSet(_LocalUnitViewSet):
    """Hamlets (thôn, bản) and residential groups (tổ dân phố) of communes."""

    kinds = [UnitKind.HAMLET]
    form_class = HamletForm
    input_class = HamletInput


class GrantInput(serializers.Serializer):
    user = serializers.IntegerField()
    unit = serializers.IntegerField()
    role = serializers.ChoiceField(
        choices=[("reporter", "reporter"), ("reviewer", "reviewer"), ("steering", "steering"), ("admin", "admin")]
    )


class GrantViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Grants inside the caller's account-management scope (steering and admin users)."""

    serializer_class = GrantOutput
    filterset_fields = ["user", "unit", "role"]

    def get_queryset(self):
        return access.for_user(
            self.request.user, access.MANAGE_ACCOUNTS, Grant.objects.select_related("user", "unit")
        ).order_by("pk")

    def get_serializer_class(self):
        return GrantInput if self.action == "create" else GrantOutput

    def create(self, request, *args, **kwargs):
        if not access.can(request.user, access.MANAGE_ACCOUNTS):
            raise ApiPermissionDenied("Bạn không có quyền phân quyền tài khoản.")
        parsed = GrantInput(data=request.data)
        parsed.is_valid(raise_exception=True)
        # Only an account the caller manages (as in the browser's account pages); any other
        # answers like an unknown one, so nothing about it leaks.
        account = access.accounts_for(request.user).filter(pk=parsed.validated_data["user"]).first()
        if account is None:
            raise ValidationError({"user": ["Không có tài khoản này."]})
        form = GrantForm(
            data={"unit": parsed.validated_data["unit"], "role": parsed.validated_data["role"]},
            user=request.user,
            account=account,
        )
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        grant = services.grant_create(
            actor=request.user, user=account, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"]
        )
        return Response(GrantOutput(grant).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        if not access.may_revoke(self.request.user, instance):
            raise ApiPermissionDenied("Chỉ quản trị viên được thu hồi quyền quản trị.")
        services.grant_revoke(actor=self.request.user, grant=instance)


def register(router) -> None:
    router.register("units", UnitViewSet, basename="api-unit")
    router.register("agencies", AgencyViewSet, basename="api-agency")
    router.register("hamlets", HamletViewSet, basename="api-hamlet")
    router.register("grants", GrantViewSet, basename="api-grant")
