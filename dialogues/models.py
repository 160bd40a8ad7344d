"""Dialogue sessions, petitions with their "5 rõ" follow-up, citizen reception (DOMAIN.md §4.3, §4.4)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Unit


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    AGENCY = "agency", _("Cơ quan, đơn vị")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")


class ChairRole(models.TextChoices):
    BI_THU = "bi_thu_cap_uy", _("Bí thư cấp ủy")
    PHO_BI_THU = "pho_bi_thu", _("Phó Bí thư cấp ủy")
    CHU_TICH_UBND = "chu_tich_ubnd", _("Chủ tịch UBND")
    CHU_TICH_HDND = "chu_tich_hdnd", _("Chủ tịch HĐND")
    THU_TRUONG = "nguoi_dung_dau_co_quan", _("Người đứng đầu cơ quan, đơn vị")
    NGUOI_SU_DUNG_LD = "nguoi_su_dung_lao_dong", _("Người sử dụng lao động")
    KHAC = "khac", _("Khác")


class CoOrganizer(models.TextChoices):
    MTTQ = "mttq", _("Ủy ban MTTQ")
    HDND = "hdnd", _("Thường trực HĐND")
    CONG_DOAN = "cong_doan", _("Công đoàn")
    DOAN_THE = "doan_the", _("Các đoàn thể")


class Scope(models.TextChoices):
    CHUYEN_DE = "chuyen_de", _("Chuyên đề")
    TOAN_DIEN = "toan_dien", _("Toàn diện")


class Trigger(models.TextChoices):
    DINH_KY = "dinh_ky", _("Định kỳ")
    THEO_YEU_CAU = "theo_yeu_cau", _("Theo yêu cầu")
    VU_VIEC = "vu_viec", _("Khi có vụ việc")


class Format(models.TextChoices):
    TRUC_TIEP = "truc_tiep", _("Trực tiếp")
    TRUC_TUYEN = "truc_tuyen", _("Trực tuyến")
    MANG_XA_HOI = "mang_xa_hoi", _("Qua mạng xã hội")


class Field(models.TextChoices):
    DAT_DAI = "dat_dai", _("Đất đai")
    XAY_DUNG = "xay_dung", _("Xây dựng")
    CHINH_SACH = "chinh_sach_xa_hoi", _("Chính sách xã hội")
    MOI_TRUONG = "moi_truong", _("Môi trường")
    HA_TANG = "ha_tang", _("Hạ tầng, giao thông")
    KHAC = "khac", _("Khác")


def minutes_path(instance, filename: str) -> str:
    return f"dialogues/{instance.unit_id}/{timezone.now():%Y%m}/{filename}"


class DialogueSession(models.Model):
    """A dialogue between the government (or an employer) and the people (or workers)."""

    ACCESS_PATH = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dialogues", verbose_name=_("đơn vị tổ chức"))
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices, db_index=True)
    held_on = models.DateField(_("ngày tổ chức"), db_index=True)
    chair_role = models.CharField(_("chức vụ người chủ trì"), max_length=32, choices=ChairRole.choices)
    chair_name = models.CharField(_("họ tên người chủ trì"), max_length=120)
    co_organizers = models.JSONField(_("cơ quan phối hợp"), default=list, blank=True)
    scope = models.CharField(_("phạm vi"), max_length=16, choices=Scope.choices)
    trigger = models.CharField(_("hình thức tổ chức"), max_length=16, choices=Trigger.choices)
    topic = models.CharField(_("chủ đề, nội dung"), max_length=500)
    format = models.CharField(_("phương thức"), max_length=16, choices=Format.choices, default=Format.TRUC_TIEP)
    participants = models.PositiveIntegerField(_("số người tham dự"))
    employer_reps = models.PositiveSmallIntegerField(_("số đại diện người sử dụng lao động"), null=True, blank=True)
    employee_reps = models.PositiveSmallIntegerField(_("số đại diện người lao động"), null=True, blank=True)
    announced_on = models.DateField(_("ngày thông báo"), null=True, blank=True)
    results_published_on = models.DateField(_("ngày công khai kết quả"), null=True, blank=True)
    minutes_file = models.FileField(_("biên bản"), upload_to=minutes_path, blank=True, max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("hội nghị đối thoại")
        verbose_name_plural = _("hội nghị đối thoại")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "held_on"], name="dialogue_unit_day")]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%d/%m/%Y})"

    @property
    def warnings(self) -> list[str]:
        """Rules that are reminders, not errors (Luật TCCQĐP: announce ≥7 days before, publish ≤10 days after)."""
        from django.utils.translation import gettext

        out = []
        if self.announced_on and (self.held_on - self.announced_on).days < 7:
            out.append(gettext("Thông báo chưa đủ 7 ngày trước hội nghị."))
        if self.results_published_on and (self.results_published_on - self.held_on).days > 10:
            out.append(gettext("Kết quả được công khai sau hơn 10 ngày kể từ hội nghị."))
        return out


class PetitionStatus(models.TextChoices):
    NEW = "new", _("Mới tiếp nhận")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    RESOLVED = "resolved", _("Đã giải quyết")
    EXPLAINED = "explained", _("Đã giải thích, trả lời")
    TRANSFERRED = "transferred", _("Chuyển cấp có thẩm quyền")


OPEN_STATUSES = (PetitionStatus.NEW, PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS)
CLOSED_STATUSES = (PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED, PetitionStatus.TRANSFERRED)


class PetitionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(status__in=OPEN_STATUSES, deadline__lt=on)


class Petition(models.Model):
    """An opinion or petition (ý kiến, kiến nghị) and its "5 rõ" follow-up."""

    # Visible to the unit that received it and, once transferred, to the competent unit.
    ACCESS_PATHS = ("unit__path", "transferred_to__path")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="petitions", verbose_name=_("đơn vị tiếp nhận")
    )
    session = models.ForeignKey(
        DialogueSession, null=True, blank=True, on_delete=models.CASCADE, related_name="petitions"
    )
    reception = models.ForeignKey(
        "ReceptionSession", null=True, blank=True, on_delete=models.CASCADE, related_name="petitions"
    )
    raised_on = models.DateField(_("ngày tiếp nhận"), db_index=True)
    content = models.TextField(_("nội dung ý kiến, kiến nghị"))
    citizen_name = models.CharField(_("người nêu ý kiến"), max_length=120, blank=True)
    field = models.CharField(_("lĩnh vực"), max_length=24, choices=Field.choices)
    answered_at_session = models.BooleanField(_("đã trả lời tại hội nghị"), default=False)
    # "5 rõ": rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, rõ kết quả
    assignee_person = models.CharField(_("người chịu trách nhiệm"), max_length=120, blank=True)
    task = models.TextField(_("việc phải làm"), blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True, db_index=True)
    responsible_unit = models.CharField(_("đơn vị chịu trách nhiệm"), max_length=255, blank=True)
    result = models.TextField(_("kết quả giải quyết"), blank=True)
    result_date = models.DateField(_("ngày có kết quả"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=PetitionStatus.choices, default=PetitionStatus.NEW, db_index=True
    )
    transferred_to = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("chuyển đến")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ý kiến, kiến nghị")
        verbose_name_plural = _("ý kiến, kiến nghị")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="petition_status_deadline")]

    def __str__(self) -> str:
        return self.content[:80]

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return not self.is_closed and self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def five_clear_missing(self) -> list[str]:
        """Which of the "5 rõ" are still missing (all five are required to close)."""
        names = {
            "assignee_person": _("rõ người"),
            "task": _("rõ việc"),
            "deadline": _("rõ thời gian"),
            "responsible_unit": _("rõ trách nhiệm"),
            "result": _("rõ kết quả"),
        }
        return [str(label) for name, label in names.items() if not getattr(self, name)]


class PetitionEvent(models.Model):
    """Every change of a petition: who, when, what, and a note."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Tiếp nhận")
        ASSIGNED = "assigned", _("Giao xử lý (5 rõ)")
        STATUS = "status", _("Cập nhật tiến độ")
        CLOSED = "closed", _("Kết thúc")
        TRANSFERRED = "transferred", _("Chuyển cấp có thẩm quyền")
        REOPENED = "reopened", _("Mở lại")
        NOTE = "note", _("Ghi chú")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_status = models.CharField(max_length=16, choices=PetitionStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PetitionStatus.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class ReceptionKind(models.TextChoices):
    ROUTINE = "thuong_xuyen", _("Tiếp thường xuyên")
    PERIODIC_HEAD = "dinh_ky_nguoi_dung_dau", _("Tiếp định kỳ của người đứng đầu")
    AD_HOC = "dot_xuat", _("Tiếp đột xuất")


class ReceiverRole(models.TextChoices):
    BI_THU = "bi_thu", _("Bí thư cấp ủy")
    CHU_TICH = "chu_tich_ubnd", _("Chủ tịch UBND")
    CAN_BO = "can_bo_tiep_dan", _("Cán bộ tiếp công dân")


class ReceptionSession(models.Model):
    """A citizen-reception session (buổi tiếp công dân) with its counts."""

    ACCESS_PATH = "unit__path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="receptions", verbose_name=_("đơn vị"))
    held_on = models.DateField(_("ngày tiếp"), db_index=True)
    kind = models.CharField(_("loại"), max_length=32, choices=ReceptionKind.choices)
    receiver_role = models.CharField(_("người tiếp"), max_length=32, choices=ReceiverRole.choices)
    receiver_name = models.CharField(_("họ tên người tiếp"), max_length=120, blank=True)
    persons = models.PositiveIntegerField(_("số lượt người"))
    cases_new = models.PositiveIntegerField(_("vụ việc mới phát sinh"), default=0)
    cases_old = models.PositiveIntegerField(_("vụ việc cũ"), default=0)
    complaints = models.PositiveIntegerField(_("đơn khiếu nại"), default=0)
    denunciations = models.PositiveIntegerField(_("đơn tố cáo"), default=0)
    petitions_count = models.PositiveIntegerField(_("đơn kiến nghị, phản ánh"), default=0)
    delegations = models.PositiveIntegerField(_("số đoàn đông người"), default=0)
    delegation_persons = models.PositiveIntegerField(_("số người trong đoàn đông người"), default=0)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("buổi tiếp công dân")
        verbose_name_plural = _("buổi tiếp công dân")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "held_on"], name="reception_unit_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"


class ReceptionCase(models.Model):
    """One case received at a reception session (optional detail)."""

    class CaseType(models.TextChoices):
        COMPLAINT = "khieu_nai", _("Khiếu nại")
        DENUNCIATION = "to_cao", _("Tố cáo")
        PETITION = "kien_nghi_phan_anh", _("Kiến nghị, phản ánh")

    class Status(models.TextChoices):
        RESOLVED = "da_giai_quyet", _("Đã giải quyết")
        IN_PROGRESS = "dang_giai_quyet", _("Đang giải quyết")
        FORWARDED = "chuyen_don", _("Chuyển đơn")
        GUIDED = "huong_dan", _("Hướng dẫn")

    ACCESS_PATH = "session__unit__path"

    session = models.ForeignKey(ReceptionSession, on_delete=models.CASCADE, related_name="cases")
    case_type = models.CharField(_("loại đơn"), max_length=24, choices=CaseType.choices)
    is_new = models.BooleanField(_("vụ việc mới"), default=True)
    is_mass = models.BooleanField(_("đông người"), default=False)
    field = models.CharField(_("lĩnh vực"), max_length=24, choices=Field.choices)
    summary = models.TextField(_("tóm tắt nội dung"))
    status = models.CharField(_("kết quả xử lý"), max_length=24, choices=Status.choices)
    notified_in_time = models.BooleanField(_("đã thông báo trong 10 ngày làm việc"), default=False)

    class Meta:
        verbose_name = _("vụ việc tiếp công dân")
        verbose_name_plural = _("vụ việc tiếp công dân")
        ordering = ["pk"]
