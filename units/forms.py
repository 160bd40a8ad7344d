from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from units import access
from units.models import AGENCY_KINDS, ENTERPRISE_KINDS, Grant, OfficialType, Role, Unit, UnitKind

TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


class UnitPickerWidget(forms.Widget):
    """A search box that asks /don-vi/chon/ for units in scope, and a hidden input for the id."""

    template_name = "partials/unit_picker.html"

    def __init__(self, purpose: str, attrs=None):
        super().__init__(attrs)
        self.purpose = purpose
        self.queryset = Unit.objects.none()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        label = ""
        if value not in (None, ""):
            # Only a unit the field itself would accept is named back to the user.
            unit = self.queryset.filter(pk=value).first() if str(value).isdigit() else None
            label = f"{unit.name} ({unit.code})" if unit else ""
        context["widget"].update({"purpose": self.purpose, "label": label})
        return context


class UnitChoiceField(forms.ModelChoiceField):
    """A unit chosen by id, limited to a queryset the view scoped through access.py.

    Its widget is a searchable picker, so the page never lists thousands of options.
    """

    def __init__(self, *args, purpose: str = "view", **kwargs):
        kwargs.setdefault("widget", UnitPickerWidget(purpose))
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = _("Hãy chọn một đơn vị trong phạm vi của bạn.")

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class _DatesMixin:
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned


class AgencyForm(_DatesMixin, forms.ModelForm):
    """An agency, public service unit or enterprise under an administrative unit."""

    parent = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị quản lý"), purpose="agency-parent")

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "staff_count", "has_union", "tax_code", "valid_from", "valid_to"]
        labels = {"valid_from": _("Hoạt động từ"), "valid_to": _("Hoạt động đến")}
        help_texts = {
            "tax_code": _("Bắt buộc với doanh nghiệp: 10 chữ số, hoặc 10 chữ số - 3 chữ số của chi nhánh."),
            "staff_count": _("Cơ quan có từ 7 người trở xuống không bắt buộc lập Ban Thanh tra nhân dân."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in AGENCY_KINDS]
        self.fields["parent"].queryset = access.for_user(user, access.MANAGE_UNITS).filter(
            kind__in=[UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE]
        )
        self.fields["staff_count"].required = True
        for name in ("valid_from", "valid_to"):
            self.fields[name].widget = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        kind, tax_code = cleaned.get("kind"), (cleaned.get("tax_code") or "").strip()
        if kind in ENTERPRISE_KINDS and not tax_code:
            self.add_error("tax_code", _("Doanh nghiệp phải có mã số thuế."))
        if tax_code and not TAX_CODE.match(tax_code):
            self.add_error("tax_code", _("Mã số thuế gồm 10 chữ số (chi nhánh: 10 chữ số, dấu gạch, 3 chữ số)."))
        cleaned["tax_code"] = tax_code
        parent, name = cleaned.get("parent"), cleaned.get("name")
        if parent and name:
            clash = Unit.objects.filter(parent=parent, name__iexact=name, kind__in=AGENCY_KINDS)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("Đơn vị quản lý này đã có cơ quan cùng tên."))
        return cleaned


class HamletForm(_DatesMixin, forms.ModelForm):
    """A hamlet (thôn, bản, xóm) or residential group (tổ dân phố) of a commune."""

    parent = UnitChoiceField(queryset=Unit.objects.none(), label=_("Xã, phường, thị trấn"), purpose="hamlet-parent")

    class Meta:
        model = Unit
        fields = ["name", "official_type", "parent", "valid_from", "valid_to"]
        labels = {"official_type": _("Loại")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official_type"].choices = [
            (t.value, t.label) for t in (OfficialType.THON, OfficialType.TO_DAN_PHO)
        ]
        self.fields["official_type"].required = True
        self.fields["parent"].queryset = access.for_user(user, access.MANAGE_UNITS).filter(kind=UnitKind.COMMUNE)
        for name in ("valid_from", "valid_to"):
            self.fields[name].widget = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        parent, name = cleaned.get("parent"), cleaned.get("name")
        if parent and name:
            clash = Unit.objects.filter(parent=parent, name__iexact=name, kind=UnitKind.HAMLET)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("Xã này đã có thôn, tổ dân phố cùng tên."))
        return cleaned


def grantable_roles(user) -> list[tuple[str, str]]:
    """Roles ``user`` may hand out: admin only by admins and superusers."""
    roles = [Role.REPORTER, Role.REVIEWER, Role.STEERING]
    if access.holds_admin(user):
        roles.append(Role.ADMIN)
    return [(r.value, r.label) for r in roles]


class GrantForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"), purpose="grant")
    role = forms.ChoiceField(label=_("Vai trò"))

    def __init__(self, *args, user, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["unit"].queryset = access.for_user(user, access.MANAGE_ACCOUNTS)
        self.fields["role"].choices = grantable_roles(user)

    def clean(self):
        cleaned = super().clean()
        unit, role = cleaned.get("unit"), cleaned.get("role")
        if self.account and unit and role and Grant.objects.filter(user=self.account, unit=unit, role=role).exists():
            raise ValidationError(_("Tài khoản đã có vai trò này trên đơn vị này."))
        return cleaned


class AccountForm(forms.ModelForm):
    """A new account with its first grant (every account is reachable through a grant)."""

    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"), purpose="grant")
    role = forms.ChoiceField(label=_("Vai trò"))
    password1 = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "email"]
        labels = {"username": _("Tên đăng nhập"), "first_name": _("Họ và tên"), "email": _("Thư điện tử")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["email"].required = True
        self.fields["unit"].queryset = access.for_user(user, access.MANAGE_ACCOUNTS)
        self.fields["role"].choices = grantable_roles(user)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(_("Thư điện tử này đã được dùng cho một tài khoản khác."))
        return email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        if p1:
            from django.contrib.auth.password_validation import validate_password

            candidate = get_user_model()(username=cleaned.get("username"), email=cleaned.get("email"))
            try:
                validate_password(p1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
