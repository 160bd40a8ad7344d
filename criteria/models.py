"""Criteria sets as versioned data, score sheets, evidence, classification (DOMAIN.md §4.7, §5)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Unit


class AppliesTo(models.TextChoices):
    COMMUNE = "commune", _("Xã, phường, thị trấn")
    STATE_AGENCY = "state_agency", _("Cơ quan hành chính nhà nước")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp công lập")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")


# Which unit kinds each "applies to" value covers.
APPLIES_TO_KINDS = {
    AppliesTo.COMMUNE: ["commune"],
    AppliesTo.STATE_AGENCY: ["state_agency", "other_org"],
    AppliesTo.PUBLIC_SERVICE: ["public_service"],
    AppliesTo.ENTERPRISE: ["soe", "enterprise"],
}


class CriteriaSet(models.Model):
    """A province's criteria set for one kind of unit and a range of years, versioned.

    A set that already has scores is never edited: it is copied as a new version.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đã ban hành")
        RETIRED = "retired", _("Hết hiệu lực")

    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    province = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="criteria_sets", verbose_name=_("tỉnh")
    )
    applies_to = models.CharField(_("áp dụng cho"), max_length=16, choices=AppliesTo.choices)
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    is_illustrative = models.BooleanField(
        _("bộ minh họa"), default=False, help_text=_("Bộ tiêu chí minh họa, không phải văn bản của tỉnh.")
    )
    total_points = models.DecimalField(_("tổng điểm"), max_digits=6, decimal_places=2, default=Decimal("100"))
    superior_points_max = models.DecimalField(
        _("điểm cấp trên chấm"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    bonus_max = models.DecimalField(_("điểm thưởng tối đa"), max_digits=6, decimal_places=2, default=Decimal("0"))
    penalty_max = models.DecimalField(_("điểm trừ tối đa"), max_digits=6, decimal_places=2, default=Decimal("0"))
    score_step = models.DecimalField(_("bước điểm"), max_digits=4, decimal_places=2, default=Decimal("0.5"))
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("phiên bản trước")
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["-year_from", "applies_to", "-version"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Criterion(models.Model):
    """A group (no points of its own) or a criterion with its maximum points."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("mã"), max_length=16)
    title = models.CharField(_("tên tiêu chí"), max_length=500)
    guidance = models.TextField(_("nội dung, yêu cầu, cách chấm"), blank=True)
    max_points = models.DecimalField(_("điểm chuẩn"), max_digits=6, decimal_places=2, default=Decimal("0"))
    is_group = models.BooleanField(_("là nhóm tiêu chí"), default=False)
    evidence_required = models.BooleanField(_("bắt buộc minh chứng"), default=False)
    evidence_hint = models.CharField(_("tài liệu minh chứng"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class ClassificationBand(models.Model):
    """A grade from a minimum score; a band may require that no criterion scored 0."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("xếp loại"), max_length=64)
    min_score = models.DecimalField(_("điểm tối thiểu"), max_digits=6, decimal_places=2)
    no_zero_criterion = models.BooleanField(_("không có tiêu chí 0 điểm"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["criteria_set", "-min_score"]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_score}"


class ScoreSheet(models.Model):
    """One unit's score sheet for one period against one criteria set."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang tự chấm")
        SUBMITTED = "submitted", _("Đã gửi")
        REVIEWED = "reviewed", _("Đã thẩm định")
        PUBLISHED = "published", _("Đã công bố")

    class Appeal(models.TextChoices):
        NONE = "", _("Không")
        REQUESTED = "requested", _("Đang đề nghị xem xét lại")
        RESOLVED = "resolved", _("Đã xem xét lại")

    ACCESS_PATH = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="score_sheets", verbose_name=_("đơn vị"))
    period = models.ForeignKey(
        "reports.ReportingPeriod", on_delete=models.PROTECT, related_name="score_sheets", verbose_name=_("kỳ")
    )
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    self_total = models.DecimalField(_("điểm tự chấm"), max_digits=6, decimal_places=2, default=Decimal("0"))
    review_total = models.DecimalField(_("điểm thẩm định"), max_digits=6, decimal_places=2, null=True, blank=True)
    bonus = models.DecimalField(_("điểm thưởng"), max_digits=6, decimal_places=2, default=Decimal("0"))
    penalty = models.DecimalField(_("điểm trừ"), max_digits=6, decimal_places=2, default=Decimal("0"))
    superior_points = models.DecimalField(
        _("điểm cấp trên chấm"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    self_class = models.CharField(_("tự xếp loại"), max_length=64, blank=True)
    review_class = models.CharField(_("xếp loại"), max_length=64, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    appeal = models.CharField(_("xem xét lại"), max_length=16, choices=Appeal.choices, default="", blank=True)
    appeal_note = models.TextField(_("lý do đề nghị xem xét lại"), blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")
        ordering = ["period", "unit__name_key"]
        constraints = [models.UniqueConstraint(fields=["unit", "period", "criteria_set"], name="sheet_unique")]

    def __str__(self) -> str:
        return f"{self.unit.name} — {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.appeal != self.Appeal.REQUESTED


class ScoreLine(models.Model):
    ACCESS_PATH = "sheet__unit__path"

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="lines")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(_("điểm tự chấm"), max_digits=6, decimal_places=2, null=True, blank=True)
    self_note = models.TextField(_("căn cứ tự chấm"), blank=True)
    review_points = models.DecimalField(_("điểm thẩm định"), max_digits=6, decimal_places=2, null=True, blank=True)
    review_note = models.TextField(_("nhận xét thẩm định"), blank=True)

    class Meta:
        ordering = ["criterion__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="line_unique")]


def evidence_path(instance, filename: str) -> str:
    # Stored under MEDIA_ROOT, which is outside the web root and never served directly:
    # downloads go through an access-checked view.
    return f"evidence/{instance.line.sheet_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        INDEX = "muc_luc", _("Mục lục tài liệu")
        EVIDENCE = "minh_chung", _("Tài liệu minh chứng")

    ACCESS_PATH = "line__sheet__unit__path"

    line = models.ForeignKey(ScoreLine, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.EVIDENCE)
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    for_appeal = models.BooleanField(_("bổ sung khi đề nghị xem xét lại"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["uploaded_at", "pk"]
