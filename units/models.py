"""One tree for administrative units, hamlets and agencies (DESIGN.md "Units and scoping")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qcdc_portal.lib.text import fold


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố trực thuộc TW")
    DISTRICT = "district", _("Huyện, quận, thị xã, thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Xã, phường, thị trấn, đặc khu")
    HAMLET = "hamlet", _("Thôn, tổ dân phố")
    STATE_AGENCY = "state_agency", _("Cơ quan hành chính nhà nước")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp công lập")
    SOE = "soe", _("Doanh nghiệp nhà nước")
    ENTERPRISE = "enterprise", _("Doanh nghiệp ngoài nhà nước")
    OTHER_ORG = "other_org", _("Tổ chức khác")


ADMINISTRATIVE_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)
AGENCY_KINDS = (
    UnitKind.STATE_AGENCY,
    UnitKind.PUBLIC_SERVICE,
    UnitKind.SOE,
    UnitKind.ENTERPRISE,
    UnitKind.OTHER_ORG,
)
ENTERPRISE_KINDS = (UnitKind.SOE, UnitKind.ENTERPRISE)


class OfficialType(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc TW")
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO_THUOC_TINH = "thanh_pho_thuoc_tinh", _("Thành phố thuộc tỉnh")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")
    THON = "thon", _("Thôn, bản, ấp")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")


class CodeList(models.TextChoices):
    LEGACY = "qd124", _("Danh mục cũ (QĐ 124/2004, 63 tỉnh)")
    CURRENT = "qd19", _("Danh mục từ 01/7/2025 (QĐ 19/2025, 34 tỉnh)")
    LOCAL = "local", _("Mã do cổng cấp (cơ quan, thôn)")


class Unit(models.Model):
    code_list = models.CharField(_("danh mục mã"), max_length=8, choices=CodeList.choices)
    code = models.CharField(_("mã"), max_length=32)
    legacy_code = models.CharField(_("mã cũ"), max_length=32, blank=True)
    name = models.CharField(_("tên"), max_length=255)
    name_key = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices, db_index=True)
    official_type = models.CharField(_("loại hình"), max_length=24, choices=OfficialType.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized ancestor path of ids, "/12/345/6789/": "everything under X" is one
    # prefix filter (an indexed LIKE 'X%') on SQLite and PostgreSQL alike.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    # Agencies and enterprises
    staff_count = models.PositiveIntegerField(_("số cán bộ, người lao động"), null=True, blank=True)
    has_union = models.BooleanField(_("có tổ chức công đoàn"), default=False)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["path", "depth", "name_key", "updated_at"])

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["code_list", "code"], name="unit_code_unique_in_list")]
        indexes = [models.Index(fields=["kind", "path"], name="unit_kind_path")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        depth = path.count("/") - 2
        if path != self.path or depth != self.depth:
            old = self.path
            Unit.objects.filter(pk=self.pk).update(path=path, depth=depth)
            if old:
                _move_subtree(old, path)
            self.path, self.depth = path, depth

    @property
    def is_agency(self) -> bool:
        return self.kind in AGENCY_KINDS

    @property
    def is_administrative(self) -> bool:
        return self.kind in ADMINISTRATIVE_KINDS

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def ancestors(self):
        ids = [int(p) for p in self.path.strip("/").split("/")[:-1] if p]
        return Unit.objects.filter(pk__in=ids).order_by("depth")

    def subtree(self):
        return Unit.objects.filter(path__startswith=self.path)

    def province(self):
        first = self.path.strip("/").split("/")[0]
        return Unit.objects.get(pk=int(first)) if first and int(first) != self.pk else self


def _move_subtree(old: str, new: str) -> None:
    """Rewrite the paths of every descendant after a move (rare; admin edits only)."""
    for unit in Unit.objects.filter(path__startswith=old).exclude(path=old).only("pk", "path"):
        path = new + unit.path[len(old) :]
        Unit.objects.filter(pk=unit.pk).update(path=path, depth=path.count("/") - 2)


class UnitLineage(models.Model):
    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessor_links")
    effective_date = models.DateField(_("ngày hiệu lực"))
    share = models.DecimalField(_("tỷ lệ"), max_digits=5, decimal_places=4, null=True, blank=True)
    is_primary = models.BooleanField(_("đơn vị kế thừa chính"), default=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quan hệ kế thừa")
        verbose_name_plural = _("quan hệ kế thừa")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor", "effective_date"], name="lineage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Role(models.TextChoices):
    REPORTER = "reporter", _("Cán bộ nhập liệu, báo cáo")
    REVIEWER = "reviewer", _("Cán bộ thẩm định (Dân vận)")
    STEERING = "steering", _("Ban Chỉ đạo")
    ADMIN = "admin", _("Quản trị")


class Grant(models.Model):
    """A role on a unit; it covers the unit's whole subtree."""

    ACCESS_PATH = "unit__path"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="grants", verbose_name=_("đơn vị"))
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
