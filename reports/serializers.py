"""Input and output shapes of the reports API (reports/api.py): reporting periods, report
templates with their tables and indicators, unit reports with their figures, sections and
history, and the bodies of the workflow actions."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from criteria.api import _status_field
from criteria.models import AppliesTo
from reports import services
from reports.models import (
    Indicator,
    IndicatorTable,
    ReportEvent,
    ReportingPeriod,
    ReportSection,
    ReportStatus,
    ReportTemplate,
    ReportValue,
    TemplateSection,
    UnitReport,
)

# --- Periods -------------------------------------------------------------------------------


class PeriodOutput(serializers.ModelSerializer):
    province_name = serializers.CharField(source="province.name", read_only=True)
    kind = _status_field(
        ReportingPeriod.Kind.choices, "semiannual: 6 tháng; annual: năm; quarterly: quý; ad_hoc: đột xuất."
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    n_reports = serializers.IntegerField(read_only=True, help_text="Số báo cáo của đơn vị đã mở trong kỳ.")

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "province",
            "province_name",
            "kind",
            "kind_label",
            "year",
            "label",
            "data_start",
            "data_end",
            "due_date",
            "lock_date",
            "self_score_due",
            "remind_days_before",
            "n_reports",
        ]


class PeriodInput(serializers.Serializer):
    province = serializers.IntegerField(help_text="Tỉnh (Ban Chỉ đạo của tỉnh mới được tạo, sửa kỳ).")
    kind = serializers.ChoiceField(choices=ReportingPeriod.Kind.choices, help_text="Loại kỳ.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    label = serializers.CharField(max_length=120, help_text="Tên kỳ (duy nhất theo tỉnh, loại kỳ, năm).")
    data_start = serializers.DateField(help_text="Số liệu từ ngày (YYYY-MM-DD).")
    data_end = serializers.DateField(help_text="Số liệu đến ngày; không trước ngày bắt đầu.")
    due_date = serializers.DateField(help_text="Hạn gửi báo cáo; không trước ngày bắt đầu số liệu.")
    lock_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Ngày khóa; không trước hạn gửi."
    )
    self_score_due = serializers.DateField(required=False, allow_null=True, default=None)
    remind_days_before = serializers.IntegerField(required=False, min_value=0, max_value=365, default=5)


# --- Templates -----------------------------------------------------------------------------


class IndicatorOutput(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "unit_of_measure", "value_type", "aggregation", "source", "retired_on"]


class IndicatorTableOutput(serializers.ModelSerializer):
    indicators = IndicatorOutput(
        source="active_indicators", many=True, read_only=True, help_text="Các chỉ tiêu đang dùng của biểu."
    )

    class Meta:
        model = IndicatorTable
        fields = ["id", "code", "title", "order", "indicators"]


class TemplateSectionOutput(serializers.ModelSerializer):
    class Meta:
        model = TemplateSection
        fields = ["id", "code", "title", "guidance", "order"]


class ReportTemplateOutput(serializers.ModelSerializer):
    province_name = serializers.CharField(source="province.name", read_only=True)
    applies_to = _status_field(AppliesTo.choices, "Loại đơn vị áp dụng mẫu.")
    applies_to_label = serializers.CharField(source="get_applies_to_display", read_only=True)
    period_kinds = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Loại kỳ áp dụng; rỗng: mọi loại kỳ."
    )
    tables = IndicatorTableOutput(many=True, read_only=True)
    sections = TemplateSectionOutput(many=True, read_only=True)

    class Meta:
        model = ReportTemplate
        fields = [
            "id",
            "province",
            "province_name",
            "name",
            "applies_to",
            "applies_to_label",
            "period_kinds",
            "active",
            "tables",
            "sections",
        ]


# --- Unit reports --------------------------------------------------------------------------

STATUS_HELP = (
    "draft: đang soạn; submitted: đã gửi; returned: bị trả lại; resubmitted: đã gửi lại; "
    "approved: đã phê duyệt; locked: đã khóa."
)


class ReportOutput(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    template_name = serializers.CharField(source="template.name", read_only=True)
    status = _status_field(ReportStatus.choices, STATUS_HELP)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    on_time = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Gửi lần đầu đúng hạn (null: chưa gửi)."
    )

    class Meta:
        model = UnitReport
        fields = [
            "id",
            "unit",
            "unit_name",
            "period",
            "period_label",
            "template",
            "template_name",
            "status",
            "status_label",
            "version",
            "rounds",
            "first_submitted_at",
            "submitted_at",
            "approved_at",
            "approved_by",
            "exception_until",
            "on_time",
            "doc_number",
            "doc_date",
            "signer_name",
            "signer_title",
            "updated_at",
        ]


class ReportValueOutput(serializers.ModelSerializer):
    table = serializers.CharField(source="indicator.table.code", read_only=True, help_text="Số biểu.")
    code = serializers.CharField(source="indicator.code", read_only=True)
    name = serializers.CharField(source="indicator.name", read_only=True)
    unit_of_measure = serializers.CharField(source="indicator.unit_of_measure", read_only=True)
    value_type = serializers.CharField(source="indicator.value_type", read_only=True)
    is_computed = serializers.BooleanField(
        source="indicator.is_computed", read_only=True, help_text="Số được tính tự động từ dữ liệu của đơn vị."
    )
    previous = serializers.SerializerMethodField(help_text="Số liệu cùng kỳ năm trước.")

    class Meta:
        model = ReportValue
        fields = [
            "id",
            "indicator",
            "table",
            "code",
            "name",
            "unit_of_measure",
            "value_type",
            "is_computed",
            "computed",
            "value",
            "override_reason",
            "previous",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True))
    def get_previous(self, obj):
        number = self.context.get("previous", {}).get(obj.indicator.code)
        return None if number is None else f"{Decimal(number):.2f}"


class ReportSectionOutput(serializers.ModelSerializer):
    code = serializers.CharField(source="section.code", read_only=True)
    title = serializers.CharField(source="section.title", read_only=True)
    guidance = serializers.CharField(source="section.guidance", read_only=True)

    class Meta:
        model = ReportSection
        fields = ["id", "section", "code", "title", "guidance", "text"]


class ReportEventOutput(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ReportEvent
        fields = ["id", "action", "action_label", "from_status", "to_status", "actor", "actor_name", "at", "comment"]

    def get_actor_name(self, obj) -> str:
        if obj.actor is None:
            return ""
        return obj.actor.get_full_name() or obj.actor.get_username()


class ReportDetailOutput(ReportOutput):
    edit_problem = serializers.SerializerMethodField(
        help_text="Vì sao đơn vị không sửa được báo cáo lúc này (null: sửa được)."
    )
    values = ReportValueOutput(many=True, read_only=True)
    sections = ReportSectionOutput(many=True, read_only=True)
    events = ReportEventOutput(many=True, read_only=True)

    class Meta(ReportOutput.Meta):
        fields = [*ReportOutput.Meta.fields, "edit_problem", "values", "sections", "events"]

    def get_edit_problem(self, obj) -> str | None:
        return services.edit_problem(obj)


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string"}],
        "nullable": True,
        "description": "Số liệu: số JSON, hoặc chuỗi viết kiểu Việt Nam (1.234,5); null hoặc rỗng: để trống.",
    }
)
class NumberField(serializers.Field):
    """A figure: a JSON number is taken as it is; a string goes to the service, which reads the
    Vietnamese way of writing numbers (thousands with dots, decimals with a comma)."""

    default_error_messages = {"invalid": _("Số liệu phải là số hoặc chuỗi số.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            return Decimal(data)
        if isinstance(data, float):
            return Decimal(repr(data))
        if isinstance(data, str):
            return data[:40]
        self.fail("invalid")

    def to_representation(self, value):
        return value


class ReportValueInput(serializers.Serializer):
    id = serializers.IntegerField(help_text="values[].id của báo cáo.")
    value = NumberField()
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="Bắt buộc khi số khác số tự động tính.",
    )


class ReportSectionInput(serializers.Serializer):
    id = serializers.IntegerField(help_text="sections[].id của báo cáo.")
    text = serializers.CharField(allow_blank=True, max_length=20000, trim_whitespace=False)


class _VersionInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="Phiên bản báo cáo đã đọc (khóa lạc quan); sai phiên bản → 409.")


class ReportSaveInput(_VersionInput):
    values = ReportValueInput(many=True, required=False, max_length=1000)
    sections = ReportSectionInput(many=True, required=False, max_length=200)
    doc_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    doc_date = serializers.DateField(required=False, allow_null=True)
    signer_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    signer_title = serializers.CharField(required=False, allow_blank=True, max_length=120)


class ReportOpenInput(serializers.Serializer):
    unit = serializers.IntegerField(help_text="Đơn vị báo cáo (trong phạm vi nhập liệu của bạn).")
    period = serializers.IntegerField(help_text="Kỳ báo cáo của tỉnh có đơn vị.")


class ReportSubmitInput(_VersionInput):
    pass


class ReportReturnInput(_VersionInput):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000, help_text="Lý do trả lại (bắt buộc)."
    )


class ReportApproveInput(_VersionInput):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ReportLockInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="Phiên bản báo cáo đã đọc (không bắt buộc); sai phiên bản → 409."
    )


class ReportExceptionInput(serializers.Serializer):
    until = serializers.DateField(help_text="Cho phép đơn vị sửa đến hết ngày này (YYYY-MM-DD), từ hôm nay trở đi.")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class BulkApproveInput(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=2000, help_text="Các báo cáo cần phê duyệt."
    )


class BulkApproveOutput(serializers.Serializer):
    approved = serializers.IntegerField(help_text="Số báo cáo đã phê duyệt.")
    skipped = serializers.IntegerField(
        help_text="Số báo cáo không chờ thẩm định hoặc ngoài phạm vi thẩm định nên bỏ qua."
    )
