"""Forms of the reporting configuration pages (periods, rules, catalogue, templates).

The forms parse and check single fields; the business rules (date order, uniqueness, frozen
fields) are checked by the service functions in reports/periods.py, whose ValidationError the
views attach to the form.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Indicator, IndicatorTable, PeriodRule, ReportingPeriod, ReportTemplate, TemplateSection
from reports.sources import SOURCES


def _date_widget():
    return forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def _number_widget(**attrs):
    return forms.NumberInput(attrs={"inputmode": "numeric", **attrs})


class ProvinceField(forms.ModelChoiceField):
    """The province being configured: a select when the user steers several, hidden otherwise."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Tỉnh"))
        kwargs.setdefault("empty_label", None)
        super().__init__(*args, **kwargs)


def pin_province(field: forms.ModelChoiceField, provinces) -> None:
    field.queryset = provinces
    only = list(provinces[:2])
    if len(only) == 1:
        field.initial = only[0].pk
        field.widget = forms.HiddenInput()


class _NoModelUnique:
    """Uniqueness and constraints are checked by the service, with the portal's own messages:
    the model's own checks (run by ModelForm with English messages) are skipped; the form's
    fields still parse and check each value."""

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), *self._meta.fields}

    def validate_unique(self):
        return None


class PeriodForm(_NoModelUnique, forms.ModelForm):
    province = ProvinceField(queryset=ReportingPeriod.objects.none())

    class Meta:
        model = ReportingPeriod
        fields = [
            "province",
            "kind",
            "year",
            "label",
            "data_start",
            "data_end",
            "due_date",
            "lock_date",
            "self_score_due",
            "remind_days_before",
        ]
        help_texts = {
            "lock_date": _("Sau ngày này báo cáo bị khóa, không sửa được (trừ khi được cho phép)."),
            "remind_days_before": _("Số ngày trước hạn gửi thư nhắc các đơn vị chưa gửi."),
        }

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["province"]
        else:
            pin_province(self.fields["province"], provinces)
        for name in ("data_start", "data_end", "due_date", "lock_date", "self_score_due"):
            self.fields[name].widget = _date_widget()
        self.fields["year"].widget = _number_widget(min=1990, max=2100)
        self.fields["remind_days_before"].widget = _number_widget(min=0, max=365)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1990 <= year <= 2100:
            raise forms.ValidationError(_("Năm phải từ 1990 đến 2100."))
        return year


class PeriodFilterForm(forms.Form):
    province = forms.ModelChoiceField(
        queryset=ReportingPeriod.objects.none(), required=False, label=_("Tỉnh"), empty_label=_("Mọi tỉnh")
    )
    year = forms.IntegerField(required=False, min_value=1990, max_value=2100, label=_("Năm"))

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        self.fields["year"].widget = _number_widget(min=1990, max=2100, placeholder=_("Năm"))


class RuleForm(forms.ModelForm):
    class Meta:
        model = PeriodRule
        fields = [
            "kind",
            "label",
            "start_day",
            "start_month",
            "start_in_previous_year",
            "end_day",
            "end_month",
            "due_days_after_end",
            "lock_days_after_due",
            "self_score_days_after_end",
            "remind_days_before",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, low, high in (
            ("start_day", 1, 31),
            ("end_day", 1, 31),
            ("start_month", 1, 12),
            ("end_month", 1, 12),
            ("due_days_after_end", -366, 366),
            ("lock_days_after_due", 0, 366),
            ("self_score_days_after_end", -366, 366),
            ("remind_days_before", 0, 365),
        ):
            old = self.fields[name]
            self.fields[name] = forms.IntegerField(
                label=old.label,
                required=old.required,
                help_text=old.help_text,
                min_value=low,
                max_value=high,
                widget=_number_widget(min=low, max=high),
            )


class ProvinceYearForm(forms.Form):
    province = ProvinceField(queryset=ReportingPeriod.objects.none())
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        pin_province(self.fields["province"], provinces)
        self.fields["year"].widget = _number_widget(min=1990, max=2100)


class ProvincePickForm(forms.Form):
    """Which province's catalogue or templates to show (only when the user steers several)."""

    tinh = forms.ModelChoiceField(queryset=ReportingPeriod.objects.none(), label=_("Tỉnh"), empty_label=None)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tinh"].queryset = provinces


class TableForm(forms.ModelForm):
    class Meta:
        model = IndicatorTable
        fields = ["title", "order"]
        widgets = {"order": _number_widget(min=0, max=32767)}


class IndicatorForm(_NoModelUnique, forms.ModelForm):
    source = forms.ChoiceField(
        label=_("Nguồn số liệu"),
        required=False,
        help_text=_("Để trống nếu đơn vị tự nhập; chọn một nguồn để cổng tự tính từ dữ liệu đã nhập."),
    )

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit_of_measure", "value_type", "aggregation", "source", "order"]
        widgets = {"order": _number_widget(min=0, max=32767)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("Nhập tay")), *((k, f"{label} ({k})") for k, label in SOURCES.items())]


class TemplateForm(forms.ModelForm):
    period_kinds = forms.MultipleChoiceField(
        label=_("Loại kỳ"),
        choices=ReportingPeriod.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Để trống: mọi loại kỳ"),
    )
    tables = forms.ModelMultipleChoiceField(
        label=_("Các biểu"), queryset=IndicatorTable.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ReportTemplate
        fields = ["name", "applies_to", "period_kinds", "tables", "active"]

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tables"].queryset = IndicatorTable.objects.filter(province=province).order_by("order", "code")
        self.fields["tables"].label_from_instance = lambda t: f"{t.code} – {t.title}"


class SectionForm(forms.ModelForm):
    class Meta:
        model = TemplateSection
        fields = ["code", "title", "guidance", "order"]
        widgets = {"order": _number_widget(min=0, max=32767), "guidance": forms.Textarea(attrs={"rows": 3})}
