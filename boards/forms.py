from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boards.models import (
    BoardMember,
    CommunityBoard,
    InspectionBoard,
    InvestmentProject,
    SupervisionActivity,
    VillageConvention,
    WorkplaceConference,
)
from qcdc_portal.lib.uploads import check_document
from units import access
from units.forms import UnitChoiceField
from units.models import AGENCY_KINDS, ENTERPRISE_KINDS, Unit, UnitKind

DATE_FIELDS = {
    "term_start",
    "term_end",
    "decision_date",
    "started_on",
    "ended_on",
    "start_on",
    "end_on",
    "established_on",
    "dissolved_on",
    "held_on",
    "draft_posted_on",
    "adopted_on",
    "recognised_on",
    "status_changed_on",
}


class _BoardForm(forms.ModelForm):
    """Dates typed dd/mm/yyyy, numbers ≥ 0, no date in the future for things that happened."""

    past_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in DATE_FIELDS:
                field.widget = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
            elif isinstance(field, forms.IntegerField | forms.DecimalField):
                field.widget.attrs.update({"min": 0, "inputmode": "decimal"})
                field.min_value = 0
                field.validators.append(MinValueValidator(0))

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in self.past_fields:
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, _("Ngày này không được ở tương lai."))
        return cleaned

    def _check_order(self, cleaned, first, second, message):
        if cleaned.get(first) and cleaned.get(second) and cleaned[second] < cleaned[first]:
            self.add_error(second, message)


def _check_file(upload):
    if upload and hasattr(upload, "content_type"):
        check_document(upload, max_mb=10, kinds=("pdf", "image", "office"))
    return upload


class InspectionBoardForm(_BoardForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Xã hoặc cơ quan"), purpose="report-board")
    past_fields = ("decision_date",)

    class Meta:
        model = InspectionBoard
        fields = ["unit", "term_start", "term_end", "decision_no", "decision_date", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.for_user(user, access.REPORT).filter(
            kind__in=[UnitKind.COMMUNE, *AGENCY_KINDS]
        )
        self.fields["note"].widget.attrs["rows"] = 2

    def clean(self):
        cleaned = super().clean()
        self._check_order(cleaned, "term_start", "term_end", _("Nhiệm kỳ phải kết thúc sau khi bắt đầu."))
        return cleaned


class BoardMemberForm(_BoardForm):
    past_fields = ("started_on",)

    class Meta:
        model = BoardMember
        fields = ["full_name", "role", "gender", "hamlet", "started_on"]

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board
        hamlets = Unit.objects.filter(parent=board.unit, kind=UnitKind.HAMLET).order_by("name")
        self.fields["hamlet"].queryset = hamlets
        if board.unit.kind in AGENCY_KINDS:
            del self.fields["hamlet"]

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("started_on")
        begin = getattr(self.board, "term_start", None) or getattr(self.board, "established_on", None)
        if start and begin and start < begin:
            self.add_error("started_on", _("Ngày bắt đầu phải trong nhiệm kỳ của ban."))
        return cleaned


class MemberEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ngày thôi"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    end_reason = forms.ChoiceField(label=_("Lý do"), choices=BoardMember._meta.get_field("end_reason").choices)


class InvestmentProjectForm(_BoardForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Xã, phường, thị trấn"), purpose="report-commune")

    class Meta:
        model = InvestmentProject
        fields = [
            "unit",
            "name",
            "funding_source",
            "total_value",
            "state_budget",
            "people_money",
            "labour_days",
            "other_value",
            "investor",
            "start_on",
            "end_on",
            "hamlets",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reportable = access.for_user(user, access.REPORT)
        self.fields["unit"].queryset = reportable.filter(kind=UnitKind.COMMUNE)
        self.fields["hamlets"].queryset = reportable.filter(kind=UnitKind.HAMLET).order_by("name")
        self.fields["hamlets"].required = False
        self.fields["hamlets"].widget = forms.CheckboxSelectMultiple()
        self.fields["hamlets"].choices = [(h.pk, h.name) for h in self.fields["hamlets"].queryset[:200]]

    def clean(self):
        cleaned = super().clean()
        self._check_order(cleaned, "start_on", "end_on", _("Ngày hoàn thành phải sau ngày khởi công."))
        total = cleaned.get("total_value")
        parts = [cleaned.get(n) or 0 for n in ("state_budget", "people_money", "other_value")]
        if total is not None and sum(parts) > total:
            self.add_error("total_value", _("Tổng các nguồn vốn vượt tổng mức đầu tư."))
        unit = cleaned.get("unit")
        for hamlet in cleaned.get("hamlets") or []:
            if unit and hamlet.parent_id != unit.pk:
                self.add_error("hamlets", _("Thôn %(h)s không thuộc xã đã chọn.") % {"h": hamlet.name})
        return cleaned


class CommunityBoardForm(_BoardForm):
    past_fields = ("established_on", "dissolved_on")

    class Meta:
        model = CommunityBoard
        fields = ["established_on", "decision_no", "dissolved_on"]

    def clean(self):
        cleaned = super().clean()
        self._check_order(cleaned, "established_on", "dissolved_on", _("Ngày giải thể phải sau ngày thành lập."))
        return cleaned


class SupervisionActivityForm(_BoardForm):
    past_fields = ("held_on",)

    class Meta:
        model = SupervisionActivity
        fields = [
            "held_on",
            "subject",
            "field",
            "project",
            "findings_count",
            "violations_count",
            "recommendations_count",
            "recommendations_resolved",
            "money_recovered",
            "settlement_reduced",
            "land_recovered_m2",
            "other_measures",
            "report_file",
        ]

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board
        if isinstance(board, CommunityBoard):
            del self.fields["project"]
        else:
            self.fields["project"].queryset = InvestmentProject.objects.filter(unit=board.unit)
            self.fields["project"].required = False
        self.fields["other_measures"].widget.attrs["rows"] = 2

    def clean_report_file(self):
        return _check_file(self.cleaned_data.get("report_file"))

    def clean(self):
        cleaned = super().clean()
        made, resolved = cleaned.get("recommendations_count"), cleaned.get("recommendations_resolved")
        if made is not None and resolved is not None and resolved > made:
            self.add_error("recommendations_resolved", _("Số kiến nghị đã giải quyết không thể lớn hơn số kiến nghị."))
        return cleaned


class WorkplaceConferenceForm(_BoardForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Cơ quan, doanh nghiệp"), purpose="report-agency")
    past_fields = ("held_on",)

    class Meta:
        model = WorkplaceConference
        fields = ["unit", "kind", "mode", "form", "held_on", "year", "participants", "resolution_file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.for_user(user, access.REPORT).filter(kind__in=AGENCY_KINDS)

    def clean_resolution_file(self):
        return _check_file(self.cleaned_data.get("resolution_file"))

    def clean(self):
        cleaned = super().clean()
        unit, kind = cleaned.get("unit"), cleaned.get("kind")
        if unit and kind:
            enterprise = unit.kind in ENTERPRISE_KINDS
            if enterprise and kind != WorkplaceConference.Kind.NLD:
                self.add_error("kind", _("Doanh nghiệp tổ chức Hội nghị người lao động."))
            if not enterprise and kind != WorkplaceConference.Kind.CBCCVC:
                self.add_error("kind", _("Cơ quan, đơn vị tổ chức Hội nghị cán bộ, công chức, viên chức."))
        held, year = cleaned.get("held_on"), cleaned.get("year")
        if held and year and not (year <= held.year <= year + 1):
            self.add_error("year", _("Năm công tác phải là năm tổ chức hoặc năm trước đó."))
        if unit and cleaned.get("participants") and unit.staff_count and cleaned["participants"] > unit.staff_count:
            self.add_error("participants", _("Số người dự lớn hơn số cán bộ, người lao động của đơn vị."))
        return cleaned

    @property
    def warnings(self) -> list[str]:
        if not self.is_bound or not self.is_valid():
            return []
        draft = WorkplaceConference(**{k: self.cleaned_data[k] for k in ("mode", "held_on", "year")})
        return (
            [str(_("Hội nghị định kỳ tổ chức muộn hơn 3 tháng sau khi năm công tác kết thúc."))]
            if draft.is_late
            else []
        )


class VillageConventionForm(_BoardForm):
    hamlet = UnitChoiceField(queryset=Unit.objects.none(), label=_("Thôn, tổ dân phố"), purpose="report-hamlet")
    past_fields = ("draft_posted_on", "adopted_on", "recognised_on", "status_changed_on")

    class Meta:
        model = VillageConvention
        fields = [
            "hamlet",
            "kind",
            "title",
            "draft_posted_on",
            "adopted_on",
            "households_total",
            "households_approving",
            "recognition_decision_no",
            "recognised_on",
            "status",
            "status_changed_on",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = access.for_user(user, access.REPORT).filter(kind=UnitKind.HAMLET)

    def clean(self):
        cleaned = super().clean()
        self._check_order(cleaned, "draft_posted_on", "adopted_on", _("Ngày thông qua phải sau ngày niêm yết dự thảo."))
        self._check_order(cleaned, "adopted_on", "recognised_on", _("Ngày công nhận phải sau ngày thông qua."))
        total, yes = cleaned.get("households_total"), cleaned.get("households_approving")
        if total is not None and yes is not None and yes > total:
            self.add_error("households_approving", _("Số hộ tán thành không thể lớn hơn tổng số hộ."))
        status = cleaned.get("status")
        if status and status != VillageConvention.Status.DU_THAO:
            if not cleaned.get("adopted_on"):
                self.add_error("adopted_on", _("Hương ước, quy ước đã thông qua phải có ngày thông qua."))
            if not total or yes is None or yes * 2 <= total:
                self.add_error(
                    "households_approving",
                    _("Phải được trên 50% số hộ tán thành mới được thông qua (Nghị định 61/2023/NĐ-CP)."),
                )
            if status == VillageConvention.Status.HIEU_LUC and not cleaned.get("recognised_on"):
                self.add_error("recognised_on", _("Chỉ có hiệu lực khi đã có quyết định công nhận của UBND xã."))
        return cleaned
