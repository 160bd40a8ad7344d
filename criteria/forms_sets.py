"""Forms for configuring a criteria set: the set's fields, its criteria rows and its bands."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from criteria import set_access
from criteria.models import CriteriaSet
from units.models import Unit, UnitKind

MAX_CRITERIA = 300
MAX_BANDS = 20


def _points_widget(**attrs):
    return forms.NumberInput(attrs={"step": "0.01", "min": 0, "inputmode": "decimal", **attrs})


class CriteriaSetForm(forms.ModelForm):
    province = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Tỉnh áp dụng"), required=True)

    class Meta:
        model = CriteriaSet
        fields = [
            "name",
            "province",
            "applies_to",
            "year_from",
            "year_to",
            "legal_basis",
            "is_illustrative",
            "total_points",
            "score_step",
            "superior_points_max",
            "bonus_max",
            "penalty_max",
        ]
        help_texts = {
            "legal_basis": _("Ví dụ: Quyết định số …/QĐ-UBND ngày … của UBND tỉnh."),
            "year_to": _("Để trống nếu bộ tiêu chí áp dụng đến khi có bộ mới."),
            "score_step": _("Điểm chấm phải là bội của bước điểm, ví dụ 0,5 hoặc 1."),
            "superior_points_max": _("Phần điểm do cấp trên chấm (ví dụ 10 trên 100); 0 nếu không có."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = set_access.steerable_provinces(user)
        if user.is_superuser:
            provinces = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("name")
            self.fields["province"].required = False
            self.fields["province"].empty_label = _("Toàn quốc (mọi tỉnh)")
        self.fields["province"].queryset = provinces
        if self.instance.pk is None and not user.is_superuser and len(provinces[:2]) == 1:
            self.fields["province"].initial = provinces.first()
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs.update({"min": 1990, "max": 2100, "inputmode": "numeric"})
        for name in ("total_points", "score_step", "superior_points_max", "bonus_max", "penalty_max"):
            self.fields[name].widget = _points_widget()

    def clean(self):
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from is not None and not 1990 <= year_from <= 2100:
            self.add_error("year_from", _("Năm phải từ 1990 đến 2100."))
        if year_from and year_to and year_to < year_from:
            self.add_error("year_to", _("Năm kết thúc phải sau năm bắt đầu."))
        if cleaned.get("total_points") is not None and cleaned["total_points"] <= 0:
            self.add_error("total_points", _("Tổng điểm phải lớn hơn 0."))
        if cleaned.get("score_step") is not None and cleaned["score_step"] <= 0:
            self.add_error("score_step", _("Bước điểm phải lớn hơn 0."))
        for name in ("superior_points_max", "bonus_max", "penalty_max"):
            if cleaned.get(name) is not None and cleaned[name] < 0:
                self.add_error(name, _("Không được âm."))
        return cleaned

    def set_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class CriterionRowForm(forms.Form):
    code = forms.CharField(label=_("Mã (TT)"), max_length=16)
    title = forms.CharField(label=_("Tên tiêu chí"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    is_group = forms.BooleanField(label=_("Là nhóm tiêu chí"), required=False)
    parent_code = forms.CharField(
        label=_("Thuộc nhóm (mã nhóm)"), max_length=16, required=False, help_text=_("Để trống nếu không thuộc nhóm.")
    )
    max_points = forms.DecimalField(
        label=_("Điểm chuẩn"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        widget=_points_widget(),
    )
    guidance = forms.CharField(
        label=_("Nội dung, yêu cầu, cách chấm"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_required = forms.BooleanField(label=_("Bắt buộc minh chứng"), required=False)
    evidence_hint = forms.CharField(label=_("Tài liệu minh chứng"), max_length=500, required=False)
    order = forms.IntegerField(
        label=_("Thứ tự"),
        min_value=0,
        max_value=32767,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )


class BaseCriteriaFormSet(forms.BaseFormSet):
    def live_forms(self):
        return [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", None) and f.cleaned_data.get("code") and not f.cleaned_data.get("DELETE")
        ]

    def clean(self):
        if any(self.errors):
            return
        seen: dict[str, forms.Form] = {}
        for form in self.live_forms():
            code = form.cleaned_data["code"].strip()
            if code in seen:
                form.add_error("code", _("Mã %(code)s đã dùng ở một dòng khác.") % {"code": code})
            seen[code] = form
        for form in self.live_forms():
            d = form.cleaned_data
            parent = (d.get("parent_code") or "").strip()
            if not parent:
                continue
            if d.get("is_group"):
                form.add_error("parent_code", _("Nhóm tiêu chí không thuộc nhóm nào khác."))
            elif parent not in seen:
                form.add_error("parent_code", _("Không có nhóm mã %(code)s.") % {"code": parent})
            elif not seen[parent].cleaned_data.get("is_group"):
                form.add_error("parent_code", _("%(code)s là tiêu chí, không phải nhóm.") % {"code": parent})
        if not self.live_forms():
            raise forms.ValidationError(_("Hãy nhập ít nhất một tiêu chí."))

    def rows(self) -> list[dict]:
        out = []
        for position, form in enumerate(self.live_forms(), start=1):
            d = form.cleaned_data
            out.append(
                {
                    "code": d["code"].strip(),
                    "title": d["title"].strip(),
                    "is_group": d.get("is_group", False),
                    "parent_code": (d.get("parent_code") or "").strip(),
                    "max_points": d.get("max_points") or Decimal("0"),
                    "guidance": d.get("guidance", ""),
                    "evidence_required": d.get("evidence_required", False),
                    "evidence_hint": d.get("evidence_hint", ""),
                    "order": d["order"] if d.get("order") is not None else position,
                }
            )
        return out


class BandRowForm(forms.Form):
    label = forms.CharField(label=_("Xếp loại"), max_length=64)
    min_score = forms.DecimalField(
        label=_("Điểm tối thiểu"), max_digits=6, decimal_places=2, min_value=Decimal("0"), widget=_points_widget()
    )
    no_zero_criterion = forms.BooleanField(label=_("Không có tiêu chí 0 điểm"), required=False)


class BaseBandFormSet(forms.BaseFormSet):
    def live_forms(self):
        return [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", None) and f.cleaned_data.get("label") and not f.cleaned_data.get("DELETE")
        ]

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.live_forms():
            label = form.cleaned_data["label"].strip()
            if label in seen:
                form.add_error("label", _("Mức xếp loại này đã có ở dòng khác."))
            seen.add(label)
        if not self.live_forms():
            raise forms.ValidationError(_("Hãy nhập ít nhất một mức xếp loại."))

    def rows(self) -> list[dict]:
        return [
            {
                "label": f.cleaned_data["label"].strip(),
                "min_score": f.cleaned_data["min_score"],
                "no_zero_criterion": f.cleaned_data.get("no_zero_criterion", False),
            }
            for f in sorted(self.live_forms(), key=lambda f: -f.cleaned_data["min_score"])
        ]


def criteria_formset(extra: int):
    return forms.formset_factory(
        CriterionRowForm,
        formset=BaseCriteriaFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_CRITERIA,
        validate_max=True,
    )


def band_formset(extra: int):
    return forms.formset_factory(
        BandRowForm, formset=BaseBandFormSet, extra=extra, can_delete=True, max_num=MAX_BANDS, validate_max=True
    )


def _plain(value: Decimal) -> str:
    """20.00 -> "20", 2.50 -> "2.5" for the number inputs."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def criteria_initial(criteria_set: CriteriaSet) -> list[dict]:
    return [
        {
            "code": c.code,
            "title": c.title,
            "is_group": c.is_group,
            "parent_code": c.parent.code if c.parent_id else "",
            "max_points": _plain(c.max_points),
            "guidance": c.guidance,
            "evidence_required": c.evidence_required,
            "evidence_hint": c.evidence_hint,
            "order": c.order,
        }
        for c in criteria_set.criteria.select_related("parent").order_by("order", "pk")
    ]


def bands_initial(criteria_set: CriteriaSet) -> list[dict]:
    return [
        {"label": b.label, "min_score": _plain(b.min_score), "no_zero_criterion": b.no_zero_criterion}
        for b in criteria_set.bands.order_by("-min_score", "order")
    ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    province = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Tỉnh áp dụng"), required=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = set_access.steerable_provinces(user)
        if user.is_superuser:
            provinces = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("name")
            self.fields["province"].required = False
            self.fields["province"].empty_label = _("Toàn quốc (mọi tỉnh)")
        self.fields["province"].queryset = provinces
        if not user.is_superuser and len(provinces[:2]) == 1:
            self.fields["province"].initial = provinces.first()
