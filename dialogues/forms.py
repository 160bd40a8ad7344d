from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues.models import (
    CoOrganizer,
    DialogueSession,
    Field,
    Petition,
    PetitionStatus,
    ReceptionCase,
    ReceptionKind,
    ReceptionSession,
)
from units import access
from units.forms import UnitChoiceField
from units.models import ENTERPRISE_KINDS, Unit


def _date_widget():
    return forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def reportable_units(user):
    return access.for_user(user, access.REPORT)


class DialogueSessionForm(forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị tổ chức"), purpose="report")
    co_organizers = forms.MultipleChoiceField(
        label=_("Cơ quan phối hợp"), choices=CoOrganizer.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = DialogueSession
        fields = [
            "unit",
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
            "minutes_file",
        ]
        help_texts = {
            "employer_reps": _("Đối thoại tại doanh nghiệp: ít nhất 3 người, gồm người đại diện theo pháp luật."),
            "employee_reps": _("Đối thoại tại doanh nghiệp: ít nhất 3 người."),
            "announced_on": _("Luật yêu cầu thông báo trước ít nhất 7 ngày."),
            "results_published_on": _("Kết quả phải công khai trong 10 ngày sau hội nghị."),
            "minutes_file": _("PDF hoặc ảnh, tối đa 10 MB."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = reportable_units(user)
        for name in ("held_on", "announced_on", "results_published_on"):
            self.fields[name].widget = _date_widget()
        self.fields["participants"].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["minutes_file"].widget = forms.ClearableFileInput(attrs={"accept": ".pdf,image/*"})

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("Hội nghị đã tổ chức không thể có ngày ở tương lai."))
        return held_on

    def clean_minutes_file(self):
        from qcdc_portal.lib.uploads import check_document

        upload = self.cleaned_data.get("minutes_file")
        if upload and hasattr(upload, "content_type"):
            check_document(upload, max_mb=10, kinds=("pdf", "image"))
        return upload

    def clean(self):
        cleaned = super().clean()
        unit, held_on = cleaned.get("unit"), cleaned.get("held_on")
        announced, published = cleaned.get("announced_on"), cleaned.get("results_published_on")
        if held_on and announced and announced > held_on:
            self.add_error("announced_on", _("Ngày thông báo phải trước ngày hội nghị."))
        if held_on and published and published < held_on:
            self.add_error("results_published_on", _("Ngày công khai kết quả phải sau ngày hội nghị."))
        if published and published > timezone.localdate():
            self.add_error("results_published_on", _("Ngày công khai kết quả không được ở tương lai."))
        if unit is not None and unit.kind in ENTERPRISE_KINDS:
            for name in ("employer_reps", "employee_reps"):
                value = cleaned.get(name)
                if value is None:
                    self.add_error(name, _("Đối thoại tại doanh nghiệp phải ghi số đại diện của mỗi bên."))
                elif value < 3:
                    self.add_error(name, _("Mỗi bên cần ít nhất 3 đại diện (Nghị định 145/2020/NĐ-CP)."))
        return cleaned

    @property
    def warnings(self) -> list[str]:
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return []
        draft = DialogueSession(
            held_on=self.cleaned_data.get("held_on") or timezone.localdate(),
            announced_on=self.cleaned_data.get("announced_on"),
            results_published_on=self.cleaned_data.get("results_published_on"),
        )
        return draft.warnings


class PetitionRowForm(forms.Form):
    """One petition raised at a session (a row of the session form; rows are added with htmx)."""

    content = forms.CharField(label=_("Nội dung ý kiến, kiến nghị"), widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=[("", _("— Chọn lĩnh vực —")), *Field.choices])
    citizen_name = forms.CharField(label=_("Người nêu ý kiến"), required=False, max_length=120)
    answered_at_session = forms.BooleanField(label=_("Đã trả lời tại hội nghị"), required=False)
    result = forms.CharField(
        label=_("Nội dung trả lời / kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    assignee_person = forms.CharField(label=_("Rõ người: người chịu trách nhiệm"), required=False, max_length=120)
    task = forms.CharField(label=_("Rõ việc: việc phải làm"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Rõ thời gian: thời hạn"), required=False, widget=_date_widget())
    responsible_unit = forms.CharField(label=_("Rõ trách nhiệm: đơn vị chủ trì"), required=False, max_length=255)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answered_at_session") and not (cleaned.get("result") or "").strip():
            self.add_error("result", _("Đã trả lời tại hội nghị thì phải ghi nội dung trả lời."))
        return cleaned


PetitionFormSet = forms.formset_factory(PetitionRowForm, extra=0, min_num=0, max_num=200, validate_max=True)


class PetitionAssignForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Petition
        fields = ["assignee_person", "task", "deadline", "responsible_unit"]
        widgets = {"deadline": _date_widget(), "task": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True


class PetitionProgressForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Tiến độ"), widget=forms.Textarea(attrs={"rows": 2}))


class PetitionCloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Kết thúc"),
        choices=[
            (PetitionStatus.RESOLVED, PetitionStatus.RESOLVED.label),
            (PetitionStatus.EXPLAINED, PetitionStatus.EXPLAINED.label),
        ],
    )
    result = forms.CharField(label=_("Rõ kết quả: kết quả giải quyết"), widget=forms.Textarea(attrs={"rows": 3}))
    result_date = forms.DateField(label=_("Ngày có kết quả"), widget=_date_widget())
    note = forms.CharField(label=_("Ghi chú"), required=False)


class PetitionTransferForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Chuyển đến đơn vị"), purpose="transfer")
    note = forms.CharField(label=_("Lý do chuyển"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The competent level may lie outside the sender's scope (a district office, a
        # provincial department): any unit currently in force may receive a transfer.
        self.fields["to_unit"].queryset = Unit.objects.filter(valid_to__isnull=True)


class PetitionReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Lý do mở lại"), widget=forms.Textarea(attrs={"rows": 2}))


class PetitionFilterForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("Đơn vị"))
    field = forms.ChoiceField(choices=[("", _("Mọi lĩnh vực")), *Field.choices], required=False, label=_("Lĩnh vực"))
    status = forms.ChoiceField(
        choices=[("", _("Mọi trạng thái")), ("open", _("Đang mở")), *PetitionStatus.choices],
        required=False,
        label=_("Trạng thái"),
    )
    overdue = forms.BooleanField(required=False, label=_("Chỉ quá hạn"))
    q = forms.CharField(required=False, label=_("Tìm nội dung"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            access.for_user(user, access.VIEW).filter(kind__in=["province", "district", "commune"]).order_by("path")
        )
        for name in ("field", "status"):
            self.fields[name].widget.attrs["class"] = "form-select"


class ReceptionForm(forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"), purpose="report")

    class Meta:
        model = ReceptionSession
        fields = [
            "unit",
            "held_on",
            "kind",
            "receiver_role",
            "receiver_name",
            "persons",
            "cases_new",
            "cases_old",
            "complaints",
            "denunciations",
            "petitions_count",
            "delegations",
            "delegation_persons",
            "note",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = reportable_units(user)
        self.fields["held_on"].widget = _date_widget()
        for name in (
            "persons",
            "cases_new",
            "cases_old",
            "complaints",
            "denunciations",
            "petitions_count",
            "delegations",
            "delegation_persons",
        ):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["note"].widget.attrs["rows"] = 2

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("Buổi tiếp đã diễn ra không thể có ngày ở tương lai."))
        return held_on

    def clean(self):
        cleaned = super().clean()
        delegations, persons = cleaned.get("delegations"), cleaned.get("delegation_persons")
        if delegations and not persons:
            self.add_error("delegation_persons", _("Có đoàn đông người thì phải ghi số người trong đoàn."))
        if persons and not delegations:
            self.add_error("delegations", _("Có người trong đoàn đông người thì phải ghi số đoàn."))
        total = cleaned.get("persons")
        if total is not None and persons and persons > total:
            self.add_error("delegation_persons", _("Số người trong đoàn không thể lớn hơn tổng số lượt người."))
        return cleaned


class ReceptionCaseForm(forms.ModelForm):
    """One case received at a reception session, added from the session's page."""

    class Meta:
        model = ReceptionCase
        fields = ["case_type", "is_new", "is_mass", "field", "summary", "status", "notified_in_time"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class ReceptionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", _("Mọi hình thức tiếp")), *ReceptionKind.choices], required=False, label=_("Hình thức tiếp")
    )
    date_from = forms.DateField(required=False, label=_("Từ ngày"), widget=_date_widget())
    date_to = forms.DateField(required=False, label=_("Đến ngày"), widget=_date_widget())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned
