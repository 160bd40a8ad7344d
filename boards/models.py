"""People's inspection boards, community investment supervision, workplace conferences and
village conventions (DOMAIN.md §4.5, §4.6, §7). Workplace conferences and village
conventions live here with the boards: the same commune and agency staff record them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Unit


def upload_path(instance, filename: str) -> str:
    return f"boards/{type(instance).__name__.lower()}/{timezone.now():%Y%m}/{filename}"


class MemberRole(models.TextChoices):
    TRUONG_BAN = "truong_ban", _("Trưởng ban")
    PHO_TRUONG_BAN = "pho_truong_ban", _("Phó Trưởng ban")
    UY_VIEN = "uy_vien", _("Ủy viên")


class Gender(models.TextChoices):
    NAM = "nam", _("Nam")
    NU = "nu", _("Nữ")


class EndReason(models.TextChoices):
    HET_NHIEM_KY = "het_nhiem_ky", _("Hết nhiệm kỳ")
    XIN_THOI = "xin_thoi", _("Xin thôi")
    BAI_NHIEM = "bai_nhiem", _("Bãi nhiệm")
    CHUYEN_NOI_O = "chuyen_noi_o", _("Chuyển nơi ở, công tác")
    KHAC = "khac", _("Khác")


class InspectionBoard(models.Model):
    """Ban Thanh tra nhân dân of a commune or of an agency/enterprise, for one term."""

    ACCESS_PATH = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspection_boards", verbose_name=_("đơn vị"))
    term_start = models.DateField(_("nhiệm kỳ từ"))
    term_end = models.DateField(_("nhiệm kỳ đến"), null=True, blank=True)
    decision_no = models.CharField(_("số quyết định công nhận"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Ban Thanh tra nhân dân")
        verbose_name_plural = _("Ban Thanh tra nhân dân")
        ordering = ["-term_start", "pk"]

    def __str__(self) -> str:
        return f"{_('Ban TTND')} {self.unit.name} ({self.term_start:%Y})"


class InvestmentProject(models.Model):
    """A public or community investment project supervised by the community."""

    class Funding(models.TextChoices):
        NSNN = "ngan_sach_nha_nuoc", _("Ngân sách nhà nước")
        PPP = "ppp", _("Đối tác công tư (PPP)")
        CONG_DONG = "von_cong_suc_cong_dong", _("Vốn, công sức của Nhân dân")
        TAI_TRO = "tai_tro_truc_tiep", _("Tài trợ trực tiếp")
        HON_HOP = "hon_hop", _("Hỗn hợp")

    ACCESS_PATH = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="projects", verbose_name=_("xã, phường"))
    name = models.CharField(_("tên công trình, dự án"), max_length=255)
    hamlets = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("thôn, tổ dân phố"))
    funding_source = models.CharField(_("nguồn vốn"), max_length=32, choices=Funding.choices)
    total_value = models.DecimalField(_("tổng mức đầu tư (đồng)"), max_digits=18, decimal_places=0)
    state_budget = models.DecimalField(_("ngân sách nhà nước"), max_digits=18, decimal_places=0, default=0)
    people_money = models.DecimalField(_("Nhân dân đóng góp"), max_digits=18, decimal_places=0, default=0)
    labour_days = models.PositiveIntegerField(_("ngày công"), default=0)
    other_value = models.DecimalField(_("nguồn khác"), max_digits=18, decimal_places=0, default=0)
    investor = models.CharField(_("chủ đầu tư"), max_length=255)
    start_on = models.DateField(_("khởi công"), null=True, blank=True)
    end_on = models.DateField(_("hoàn thành"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("công trình, dự án")
        verbose_name_plural = _("công trình, dự án")
        ordering = ["-start_on", "name"]

    def __str__(self) -> str:
        return self.name


class CommunityBoard(models.Model):
    """Ban Giám sát đầu tư của cộng đồng: one per project, formed by the commune's Fatherland Front."""

    ACCESS_PATH = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="community_boards", verbose_name=_("xã"))
    project = models.OneToOneField(
        InvestmentProject, on_delete=models.PROTECT, related_name="board", verbose_name=_("công trình, dự án")
    )
    established_on = models.DateField(_("ngày thành lập"))
    decision_no = models.CharField(_("số quyết định (UBMTTQ xã)"), max_length=64, blank=True)
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Ban Giám sát đầu tư của cộng đồng")
        verbose_name_plural = _("Ban Giám sát đầu tư của cộng đồng")
        ordering = ["-established_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Ban GSĐTCĐ')} — {self.project.name}"


class BoardMember(models.Model):
    """A member of either kind of board, with history (start, end, why)."""

    ACCESS_PATHS = ("inspection_board__unit__path", "community_board__unit__path")

    inspection_board = models.ForeignKey(
        InspectionBoard, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    community_board = models.ForeignKey(
        CommunityBoard, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    role = models.CharField(_("chức danh"), max_length=16, choices=MemberRole.choices, default=MemberRole.UY_VIEN)
    hamlet = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn, tổ dân phố")
    )
    gender = models.CharField(_("giới tính"), max_length=3, choices=Gender.choices)
    started_on = models.DateField(_("bắt đầu"))
    ended_on = models.DateField(_("kết thúc"), null=True, blank=True)
    end_reason = models.CharField(_("lý do kết thúc"), max_length=16, choices=EndReason.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        ordering = ["ended_on", "role", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(inspection_board__isnull=False) & models.Q(community_board__isnull=True))
                | (models.Q(inspection_board__isnull=True) & models.Q(community_board__isnull=False)),
                name="member_of_exactly_one_board",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_active_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class SupervisionField(models.TextChoices):
    XAY_DUNG = "xay_dung", _("Xây dựng")
    DAT_DAI = "dat_dai", _("Quản lý đất đai")
    KNTC = "khieu_nai_to_cao", _("Giải quyết khiếu nại, tố cáo")
    CHINH_SACH = "che_do_chinh_sach", _("Chế độ, chính sách")
    THU_CHI = "thu_chi_tai_chinh", _("Thu chi tài chính")
    MOI_TRUONG = "moi_truong", _("Môi trường")
    GPMB = "giai_phong_mat_bang", _("Bồi thường, giải phóng mặt bằng")
    TIEN_DO = "tien_do_du_an", _("Tiến độ, chất lượng công trình")
    KHAC = "khac", _("Khác")


class SupervisionActivity(models.Model):
    """One supervision (cuộc giám sát) by an inspection board or a community board."""

    ACCESS_PATH = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervisions", editable=False)
    inspection_board = models.ForeignKey(
        InspectionBoard, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    community_board = models.ForeignKey(
        CommunityBoard, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    held_on = models.DateField(_("ngày giám sát"), db_index=True)
    subject = models.CharField(_("nội dung, đối tượng giám sát"), max_length=500)
    field = models.CharField(_("lĩnh vực"), max_length=24, choices=SupervisionField.choices)
    project = models.ForeignKey(
        InvestmentProject,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("công trình, dự án"),
    )
    findings_count = models.PositiveIntegerField(_("số vấn đề phát hiện"), default=0)
    violations_count = models.PositiveIntegerField(_("số sai phạm"), default=0)
    recommendations_count = models.PositiveIntegerField(_("số kiến nghị"), default=0)
    recommendations_resolved = models.PositiveIntegerField(_("số kiến nghị đã được giải quyết"), default=0)
    money_recovered = models.DecimalField(_("thu hồi tiền (đồng)"), max_digits=18, decimal_places=0, default=0)
    settlement_reduced = models.DecimalField(
        _("giảm trừ quyết toán (đồng)"), max_digits=18, decimal_places=0, default=0
    )
    land_recovered_m2 = models.DecimalField(_("thu hồi đất (m²)"), max_digits=14, decimal_places=1, default=0)
    other_measures = models.TextField(_("xử lý khác"), blank=True)
    report_file = models.FileField(_("báo cáo kết quả"), upload_to=upload_path, blank=True, max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cuộc giám sát")
        verbose_name_plural = _("cuộc giám sát")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "held_on"], name="supervision_unit_day")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(inspection_board__isnull=False) & models.Q(community_board__isnull=True))
                | (models.Q(inspection_board__isnull=True) & models.Q(community_board__isnull=False)),
                name="supervision_by_exactly_one_board",
            ),
            models.CheckConstraint(
                condition=models.Q(recommendations_resolved__lte=models.F("recommendations_count")),
                name="supervision_resolved_le_made",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.held_on:%d/%m/%Y})"

    @property
    def board(self):
        return self.inspection_board or self.community_board


class WorkplaceConference(models.Model):
    """Hội nghị cán bộ, công chức, viên chức (agencies) or Hội nghị người lao động (enterprises)."""

    class Kind(models.TextChoices):
        CBCCVC = "hn_cbccvc", _("Hội nghị cán bộ, công chức, viên chức")
        NLD = "hn_nguoi_lao_dong", _("Hội nghị người lao động")

    class Mode(models.TextChoices):
        DINH_KY = "dinh_ky", _("Định kỳ")
        BAT_THUONG = "bat_thuong", _("Bất thường")

    class Form(models.TextChoices):
        TOAN_THE = "toan_the", _("Toàn thể")
        DAI_BIEU = "dai_bieu", _("Đại biểu")

    ACCESS_PATH = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("cơ quan"))
    kind = models.CharField(_("loại hội nghị"), max_length=24, choices=Kind.choices)
    mode = models.CharField(_("định kỳ hay bất thường"), max_length=16, choices=Mode.choices, default=Mode.DINH_KY)
    form = models.CharField(_("hình thức"), max_length=16, choices=Form.choices, default=Form.TOAN_THE)
    held_on = models.DateField(_("ngày tổ chức"), db_index=True)
    year = models.PositiveSmallIntegerField(_("năm công tác"))
    participants = models.PositiveIntegerField(_("số người dự"))
    resolution_file = models.FileField(_("nghị quyết hội nghị"), upload_to=upload_path, blank=True, max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hội nghị tại nơi làm việc")
        verbose_name_plural = _("hội nghị tại nơi làm việc")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} — {self.unit.name}"

    @property
    def is_late(self) -> bool:
        """A periodic conference is due within 3 months after the year it reviews ended (by 31/3)."""
        return self.mode == self.Mode.DINH_KY and self.held_on > dt.date(self.year + 1, 3, 31)


class VillageConvention(models.Model):
    """Hương ước, quy ước of a hamlet (NĐ 61/2023)."""

    class Kind(models.TextChoices):
        HUONG_UOC = "huong_uoc", _("Hương ước")
        QUY_UOC = "quy_uoc", _("Quy ước")

    class Status(models.TextChoices):
        DU_THAO = "du_thao", _("Dự thảo")
        HIEU_LUC = "hieu_luc", _("Đang có hiệu lực")
        TAM_NGUNG = "tam_ngung", _("Tạm ngừng thực hiện")
        SUA_DOI = "sua_doi", _("Đã sửa đổi, bổ sung")
        THAY_THE = "thay_the", _("Đã được thay thế")
        BAI_BO = "bai_bo", _("Đã bãi bỏ")

    ACCESS_PATH = "hamlet__path"

    hamlet = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="conventions", verbose_name=_("thôn, tổ dân phố")
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("tên"), max_length=255)
    draft_posted_on = models.DateField(_("ngày niêm yết dự thảo"), null=True, blank=True)
    adopted_on = models.DateField(_("ngày thông qua"), null=True, blank=True)
    households_total = models.PositiveIntegerField(_("tổng số hộ"), null=True, blank=True)
    households_approving = models.PositiveIntegerField(_("số hộ tán thành"), null=True, blank=True)
    recognition_decision_no = models.CharField(_("số quyết định công nhận"), max_length=64, blank=True)
    recognised_on = models.DateField(_("ngày công nhận"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=16, choices=Status.choices, default=Status.DU_THAO)
    status_changed_on = models.DateField(_("ngày thay đổi tình trạng"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("thay thế cho")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hương ước, quy ước")
        verbose_name_plural = _("hương ước, quy ước")
        ordering = ["hamlet__name", "-adopted_on"]

    def __str__(self) -> str:
        return self.title

    @property
    def approval_share(self):
        if not self.households_total:
            return None
        return (self.households_approving or 0) / self.households_total
