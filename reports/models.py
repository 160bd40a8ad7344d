"""Reporting periods (DESIGN.md "Reports"). Windows and deadlines differ by province and
regime, so they are data the steering committee edits, never constants in code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.models import AppliesTo
from units.models import Unit


class ReportingPeriod(models.Model):
    class Kind(models.TextChoices):
        SEMIANNUAL = "semiannual", _("6 tháng")
        ANNUAL = "annual", _("Năm")
        QUARTERLY = "quarterly", _("Quý")
        AD_HOC = "ad_hoc", _("Đột xuất")

    ACCESS_PATH = "province__path"

    province = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="periods", verbose_name=_("tỉnh"))
    kind = models.CharField(_("loại kỳ"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    label = models.CharField(_("tên kỳ"), max_length=120)
    data_start = models.DateField(_("số liệu từ ngày"))
    data_end = models.DateField(_("số liệu đến ngày"))
    due_date = models.DateField(_("hạn gửi báo cáo"))
    lock_date = models.DateField(_("ngày khóa"), null=True, blank=True)
    self_score_due = models.DateField(_("hạn tự chấm điểm"), null=True, blank=True)
    remind_days_before = models.PositiveSmallIntegerField(_("nhắc trước hạn (ngày)"), default=5)

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-year", "data_end", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["province", "kind", "year", "label"], name="period_unique"),
            models.CheckConstraint(condition=models.Q(data_end__gte=models.F("data_start")), name="period_window"),
        ]

    def __str__(self) -> str:
        return self.label


class PeriodRule(models.Model):
    """A province's rule for generating one kind of period each year (e.g. S5: semiannual
    15/10 of the previous year → 15/5, due 15/5). Editable data, never code."""

    ACCESS_PATH = "province__path"

    province = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="period_rules", verbose_name=_("tỉnh"))
    kind = models.CharField(_("loại kỳ"), max_length=16, choices=ReportingPeriod.Kind.choices)
    label = models.CharField(
        _("tên kỳ"), max_length=120, help_text=_("Dùng {year} cho năm, ví dụ: Báo cáo 6 tháng đầu năm {year}")
    )
    start_day = models.PositiveSmallIntegerField(_("ngày bắt đầu"))
    start_month = models.PositiveSmallIntegerField(_("tháng bắt đầu"))
    start_in_previous_year = models.BooleanField(_("bắt đầu từ năm trước"), default=True)
    end_day = models.PositiveSmallIntegerField(_("ngày kết thúc"))
    end_month = models.PositiveSmallIntegerField(_("tháng kết thúc"))
    due_days_after_end = models.SmallIntegerField(_("hạn gửi (số ngày sau ngày kết thúc)"), default=0)
    lock_days_after_due = models.PositiveSmallIntegerField(_("khóa sau hạn gửi (ngày)"), default=30)
    self_score_days_after_end = models.SmallIntegerField(
        _("hạn tự chấm điểm (số ngày sau ngày kết thúc)"), null=True, blank=True
    )
    remind_days_before = models.PositiveSmallIntegerField(_("nhắc trước hạn (ngày)"), default=5)

    class Meta:
        verbose_name = _("quy tắc kỳ báo cáo")
        verbose_name_plural = _("quy tắc kỳ báo cáo")
        ordering = ["province", "end_month", "end_day", "pk"]

    def __str__(self) -> str:
        return self.label


class IndicatorTable(models.Model):
    """A "biểu" of the province's catalogue (DOMAIN.md §3.4): Biểu 01 … Biểu 14."""

    ACCESS_PATH = "province__path"

    province = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="indicator_tables", verbose_name=_("tỉnh")
    )
    code = models.CharField(_("số biểu"), max_length=8)
    title = models.CharField(_("tên biểu"), max_length=255)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("biểu số liệu")
        verbose_name_plural = _("biểu số liệu")
        ordering = ["province", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="indicator_table_unique")]

    def __str__(self) -> str:
        return f"Biểu {self.code} – {self.title}"


class Indicator(models.Model):
    """One figure of a table. ``source`` names a computation in reports/sources.py (pre-filled
    from the unit's records); blank means entered by hand. Retired indicators stay in old reports."""

    class ValueType(models.TextChoices):
        INTEGER = "int", _("Số nguyên")
        MONEY = "money", _("Số tiền (đồng)")
        DECIMAL = "decimal", _("Số thập phân")
        PERCENT = "percent", _("Tỷ lệ (%)")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Cộng")
        NONE = "none", _("Không cộng (tỷ lệ, tính lại)")

    ACCESS_PATH = "table__province__path"

    table = models.ForeignKey(IndicatorTable, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("mã chỉ tiêu"), max_length=16)
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=32, blank=True)
    value_type = models.CharField(_("kiểu số"), max_length=8, choices=ValueType.choices, default=ValueType.INTEGER)
    aggregation = models.CharField(_("cách tổng hợp"), max_length=8, choices=Aggregation.choices, default="sum")
    source = models.CharField(_("nguồn số liệu"), max_length=64, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    retired_on = models.DateField(_("ngừng sử dụng từ"), null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["table__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["table", "code"], name="indicator_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_computed(self) -> bool:
        return bool(self.source)


class ReportTemplate(models.Model):
    """Which tables and narrative sections a kind of unit reports for a kind of period."""

    ACCESS_PATH = "province__path"

    province = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="report_templates")
    name = models.CharField(_("tên mẫu báo cáo"), max_length=255)
    applies_to = models.CharField(_("áp dụng cho"), max_length=16, choices=AppliesTo.choices)
    period_kinds = models.JSONField(_("loại kỳ"), default=list, blank=True, help_text=_("Để trống: mọi loại kỳ"))
    tables = models.ManyToManyField(IndicatorTable, related_name="templates", verbose_name=_("các biểu"))
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")
        ordering = ["province", "applies_to", "pk"]

    def __str__(self) -> str:
        return self.name

    def applies_to_period(self, period: ReportingPeriod) -> bool:
        return not self.period_kinds or period.kind in self.period_kinds


class TemplateSection(models.Model):
    """A narrative heading of the report outline (DOMAIN.md §3.3)."""

    ACCESS_PATH = "template__province__path"

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("mục"), max_length=16)
    title = models.CharField(_("tiêu đề"), max_length=255)
    guidance = models.TextField(_("hướng dẫn"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    RESUBMITTED = "resubmitted", _("Đã gửi lại")
    APPROVED = "approved", _("Đã phê duyệt")
    LOCKED = "locked", _("Đã khóa")


SENT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED, ReportStatus.APPROVED, ReportStatus.LOCKED)
AWAITING_REVIEW = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class UnitReport(models.Model):
    """One unit's report for one period; ``version`` guards every write (optimistic locking)."""

    ACCESS_PATH = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("đơn vị"))
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("trạng thái"), max_length=16, choices=ReportStatus.choices, default="draft")
    version = models.PositiveIntegerField(default=1)
    rounds = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lần gần nhất"), null=True, blank=True)
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exception_until = models.DateField(_("cho phép sửa sau ngày khóa đến"), null=True, blank=True)
    doc_number = models.CharField(_("số văn bản"), max_length=64, blank=True)
    doc_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["period", "unit__name_key"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="unit_report_unique")]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.unit.name} — {self.period}"

    @property
    def on_time(self) -> bool | None:
        if not self.first_submitted_at:
            return None
        return timezone.localdate(self.first_submitted_at) <= self.period.due_date


class ReportValue(models.Model):
    """A figure of a report: ``computed`` is what the records give (frozen at submission),
    ``value`` what the unit reports; a different value needs ``override_reason``."""

    ACCESS_PATH = "report__unit__path"

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    computed = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    override_reason = models.CharField(_("lý do điều chỉnh"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="report_value_unique")]
        indexes = [models.Index(fields=["indicator", "report"])]

    @property
    def is_override(self) -> bool:
        return self.indicator.is_computed and self.value != self.computed


class ReportSection(models.Model):
    ACCESS_PATH = "report__unit__path"

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="sections")
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="report_section_unique")]
        ordering = ["section__order", "pk"]


class ReportEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Tạo báo cáo")
        SAVE = "save", _("Lưu nháp")
        SUBMIT = "submit", _("Gửi báo cáo")
        RETURN = "return", _("Trả lại")
        RESUBMIT = "resubmit", _("Gửi lại")
        APPROVE = "approve", _("Phê duyệt")
        LOCK = "lock", _("Khóa")
        EXCEPTION = "exception", _("Cho phép sửa sau ngày khóa")

    ACCESS_PATH = "report__unit__path"

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Reminder(models.Model):
    """Every reminder e-mail sent about a period, so it is visible and never sent twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Nhắc trước hạn")
        AFTER = "after", _("Nhắc quá hạn")
        DIGEST = "digest", _("Tổng hợp gửi người thẩm định")

    ACCESS_PATH = "unit__path"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(blank=True)
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "kind", "recipient"], name="reminder_once"),
        ]


class Compilation(models.Model):
    """A steering committee's compilation of a scope and period (DESIGN.md "Compilation jobs"):
    the row is the source of truth for the job's status, progress and published files."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tổng hợp")
        SUCCEEDED = "succeeded", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    ACCESS_PATH = "scope__path"

    scope = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="compilations", verbose_name=_("phạm vi"))
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="compilations", verbose_name=_("kỳ báo cáo")
    )
    include_submitted = models.BooleanField(_("gồm cả báo cáo đã gửi chưa phê duyệt"), default=False)
    params_key = models.CharField(max_length=64, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    step = models.CharField(_("bước"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    xlsx = models.CharField(_("tệp Excel"), max_length=255, blank=True)
    xlsx_sha256 = models.CharField(_("mã kiểm tra (SHA-256)"), max_length=64, blank=True)
    xlsx_size = models.PositiveIntegerField(null=True, blank=True)
    docx = models.CharField(_("tệp Word"), max_length=255, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    reports_included = models.PositiveIntegerField(_("số báo cáo được tổng hợp"), null=True, blank=True)
    reports_pending = models.PositiveIntegerField(_("trong đó chưa phê duyệt"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lần tổng hợp")
        verbose_name_plural = _("các lần tổng hợp")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Asking again while one runs returns the running job: one active job per parameters.
            models.UniqueConstraint(
                fields=["params_key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="compilation_one_active",
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.scope.name} — {self.period}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def requester_label(self) -> str:
        if self.requested_by is None:
            return "compile_report"
        return self.requested_by.get_full_name() or self.requested_by.username
