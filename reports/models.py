"""Reporting periods (DESIGN.md "Reports"). Windows and deadlines differ by province and
regime, so they are data the steering committee edits, never constants in code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
