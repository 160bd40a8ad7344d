"""Writes to the unit tree (HackSoft-style services)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from qcdc_portal.lib.text import fold
from units.models import CodeList, OfficialType, Unit, UnitKind, UnitLineage

REFORM_DAY = dt.date(2025, 7, 1)
LEGACY_LAST_DAY = dt.date(2025, 6, 30)
PROVINCE_LEGAL_BASIS = "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh"
COMMUNE_LEGAL_BASIS = "Nghị quyết của UBTVQH ngày 16/6/2025 về sắp xếp đơn vị hành chính cấp xã"

_DISTRICT_TYPES = {
    "Quận": OfficialType.QUAN,
    "Huyện": OfficialType.HUYEN,
    "Thị xã": OfficialType.THI_XA,
    "Thành phố": OfficialType.THANH_PHO_THUOC_TINH,
}
_WARD_TYPES = {
    "Phường": OfficialType.PHUONG,
    "Xã": OfficialType.XA,
    "Thị trấn": OfficialType.THI_TRAN,
    "Đặc khu": OfficialType.DAC_KHU,
}
_FIELDS = ("name", "kind", "official_type", "valid_from", "valid_to")


def _dataset_dir() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent / "data"


def _rows(sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{_dataset_dir() / 'dataset.db'}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _province_type(name: str) -> str:
    return OfficialType.THANH_PHO_TW if name.startswith("Thành phố") else OfficialType.TINH


def _spec(code, name, kind, official_type, parent_code, valid_from, valid_to) -> dict:
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "official_type": official_type,
        "parent_code": parent_code,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


class _Upserter:
    """Upsert the units of one code list by official code, level by level, in bulk."""

    def __init__(self, code_list: str):
        self.code_list = code_list
        self.existing = {u.code: u for u in Unit.objects.filter(code_list=code_list)}
        self.created = 0
        self.updated = 0

    def level(self, specs: list[dict], parents: dict[str, Unit] | None) -> dict[str, Unit]:
        new, changed, out = [], [], {}
        for spec in specs:
            parent = parents[spec["parent_code"]] if parents is not None else None
            unit = self.existing.get(spec["code"])
            if unit is None:
                unit = Unit(code_list=self.code_list, code=spec["code"], parent=parent)
                for f in _FIELDS:
                    setattr(unit, f, spec[f])
                unit.name_key = fold(unit.name)
                new.append(unit)
            elif any(getattr(unit, f) != spec[f] for f in _FIELDS) or unit.parent_id != (parent.pk if parent else None):
                for f in _FIELDS:
                    setattr(unit, f, spec[f])
                unit.parent = parent
                unit.name_key = fold(unit.name)
                changed.append(unit)
            out[spec["code"]] = (unit, parent)
        if new:
            Unit.objects.bulk_create(new, batch_size=1000)
            if any(u.pk is None for u in new):  # a back end that cannot return ids
                ids = dict(
                    Unit.objects.filter(code_list=self.code_list, code__in=[u.code for u in new]).values_list(
                        "code", "pk"
                    )
                )
                for u in new:
                    u.pk = ids[u.code]
            self.created += len(new)
        if changed:
            Unit.objects.bulk_update(changed, [*_FIELDS, "name_key", "parent"], batch_size=1000)
            self.updated += len(changed)
        fix = []
        for unit, parent in out.values():
            path = (parent.path if parent else "/") + f"{unit.pk}/"
            if unit.path != path:
                unit.path, unit.depth = path, path.count("/") - 2
                fix.append(unit)
        if fix:
            Unit.objects.bulk_update(fix, ["path", "depth"], batch_size=1000)
        units = {code: pair[0] for code, pair in out.items()}
        self.existing.update(units)
        return units


@transaction.atomic
def import_legacy_units(*, province_code: str | None = None) -> dict[str, int]:
    """The 63-province list: provinces, districts, communes (QĐ 124/2004 codes)."""
    sql = (
        "SELECT DISTINCT province, provinceCode, district, districtType, districtCode, ward, wardType, wardCode "
        "FROM admin_units_legacy"
    )
    params: tuple = ()
    if province_code:
        sql += " WHERE provinceCode = ?"
        params = (province_code,)
    rows = _rows(sql + " ORDER BY provinceCode, districtCode, wardCode", params)
    if not rows:
        raise ValueError(f"Không có tỉnh mã {province_code} trong danh mục cũ (63 tỉnh).")
    # Legacy units carry valid_to 30/6/2025 once the current list is in the portal.
    valid_to = LEGACY_LAST_DAY if Unit.objects.filter(code_list=CodeList.CURRENT).exists() else None
    provinces, districts, wards = {}, {}, {}
    for r in rows:
        provinces[r["provinceCode"]] = _spec(
            r["provinceCode"], r["province"], UnitKind.PROVINCE, _province_type(r["province"]), None, None, valid_to
        )
        districts[r["districtCode"]] = _spec(
            r["districtCode"],
            r["district"],
            UnitKind.DISTRICT,
            _DISTRICT_TYPES[r["districtType"]],
            r["provinceCode"],
            None,
            valid_to,
        )
        if r["wardCode"]:  # five island districts have no commune level
            wards[r["wardCode"]] = _spec(
                r["wardCode"],
                r["ward"],
                UnitKind.COMMUNE,
                _WARD_TYPES[r["wardType"]],
                r["districtCode"],
                None,
                valid_to,
            )
    up = _Upserter(CodeList.LEGACY)
    p = up.level(list(provinces.values()), None)
    d = up.level(list(districts.values()), p)
    up.level(list(wards.values()), d)
    return {
        "tỉnh": len(provinces),
        "huyện": len(districts),
        "xã": len(wards),
        "tạo mới": up.created,
        "cập nhật": up.updated,
    }


@transaction.atomic
def import_current_units(*, province_code: str | None = None) -> dict[str, int]:
    """The 34-province list in force since 1/7/2025 and the lineage back to the legacy units.

    Lineage is recorded against legacy units already in the portal (import the legacy list
    first for the full history); split communes get several successors, the package's
    default successor marked primary.
    """
    sql = "SELECT province, provinceCode, provinceKey, ward, wardType, wardCode, wardKey FROM admin_units"
    params: tuple = ()
    if province_code:
        sql += " WHERE provinceCode = ?"
        params = (province_code,)
    rows = _rows(sql + " ORDER BY provinceCode, wardCode", params)
    if not rows:
        raise ValueError(f"Không có tỉnh mã {province_code} trong danh mục từ 01/7/2025 (34 tỉnh).")
    provinces, wards = {}, {}
    new_province_key, new_ward_key = {}, {}
    for r in rows:
        provinces[r["provinceCode"]] = _spec(
            r["provinceCode"], r["province"], UnitKind.PROVINCE, _province_type(r["province"]), None, REFORM_DAY, None
        )
        wards[r["wardCode"]] = _spec(
            r["wardCode"],
            r["ward"],
            UnitKind.COMMUNE,
            _WARD_TYPES[r["wardType"]],
            r["provinceCode"],
            REFORM_DAY,
            None,
        )
        new_province_key[r["provinceKey"]] = r["provinceCode"]
        new_ward_key[(r["provinceKey"], r["wardKey"])] = r["wardCode"]
    up = _Upserter(CodeList.CURRENT)
    p = up.level(list(provinces.values()), None)
    w = up.level(list(wards.values()), p)

    # Lineage from the package's 63→34 mapping, keyed by its normalised names.
    with open(_dataset_dir() / "converter_2025.json", encoding="utf-8") as fh:
        mapping = json.load(fh)
    legacy_rows = _rows(
        "SELECT DISTINCT provinceKey, provinceCode, districtKey, districtCode, wardKey, wardCode "
        "FROM admin_units_legacy"
    )
    legacy_province = {r["provinceKey"]: r["provinceCode"] for r in legacy_rows}
    legacy_ward = {
        f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": r["wardCode"] for r in legacy_rows if r["wardCode"]
    }
    legacy_units = {
        (u.kind, u.code): u
        for u in Unit.objects.filter(code_list=CodeList.LEGACY, kind__in=[UnitKind.PROVINCE, UnitKind.COMMUNE])
    }
    links: dict[tuple[int, int], tuple[bool, str]] = {}
    for new_key, old_keys in mapping["DICT_PROVINCE"].items():
        successor = p.get(new_province_key.get(new_key, ""))
        if successor is None:
            continue
        for old_key in old_keys:
            predecessor = legacy_units.get((UnitKind.PROVINCE, legacy_province.get(old_key)))
            if predecessor is not None:
                links[(predecessor.pk, successor.pk)] = (True, PROVINCE_LEGAL_BASIS)
    for new_prov_key, wards_map in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards_map.items():
            successor = w.get(new_ward_key.get((new_prov_key, ward_key), ""))
            if successor is None:
                continue
            for old_key in old_keys:
                predecessor = legacy_units.get((UnitKind.COMMUNE, legacy_ward.get(old_key)))
                if predecessor is not None:
                    links[(predecessor.pk, successor.pk)] = (True, COMMUNE_LEGAL_BASIS)
    for new_prov_key, divided in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in divided.items():
            predecessor = legacy_units.get((UnitKind.COMMUNE, legacy_ward.get(old_key)))
            if predecessor is None:
                continue
            for target in targets:
                successor = w.get(new_ward_key.get((new_prov_key, target["newWardKey"]), ""))
                if successor is not None:
                    links[(predecessor.pk, successor.pk)] = (bool(target["isDefaultNewWard"]), COMMUNE_LEGAL_BASIS)
    existing = set(UnitLineage.objects.filter(effective_date=REFORM_DAY).values_list("predecessor_id", "successor_id"))
    UnitLineage.objects.bulk_create(
        [
            UnitLineage(
                predecessor_id=a, successor_id=b, effective_date=REFORM_DAY, is_primary=primary, legal_basis=basis
            )
            for (a, b), (primary, basis) in links.items()
            if (a, b) not in existing
        ],
        batch_size=1000,
    )
    # The legacy units ended on 30/6/2025.
    ended_ids = {a for a, _b in links}
    ended = Unit.objects.filter(code_list=CodeList.LEGACY, valid_to__isnull=True)
    if province_code:
        paths = Unit.objects.filter(pk__in=ended_ids, kind=UnitKind.PROVINCE).values_list("path", flat=True)
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(path__startswith=path)
        ended = ended.filter(q)
    ended_count = ended.update(valid_to=LEGACY_LAST_DAY)
    return {
        "tỉnh": len(provinces),
        "xã": len(wards),
        "tạo mới": up.created,
        "cập nhật": up.updated,
        "quan hệ kế thừa": len(links),
        "đơn vị cũ hết hiệu lực": ended_count,
    }


# --- Agencies, hamlets, accounts and grants ---------------------------------------------

_CODE_PREFIX = {UnitKind.HAMLET: "TH"}


def _local_code(kind: str, parent: Unit) -> str:
    prefix = _CODE_PREFIX.get(kind, "CQ")
    taken = set(
        Unit.objects.filter(code_list=CodeList.LOCAL, code__startswith=f"{prefix}-{parent.code}-").values_list(
            "code", flat=True
        )
    )
    n = len(taken) + 1
    while f"{prefix}-{parent.code}-{n:03d}" in taken:
        n += 1
    return f"{prefix}-{parent.code}-{n:03d}"


@transaction.atomic
def unit_create_local(*, kind: str, parent: Unit, **fields) -> Unit:
    """Create an agency or a hamlet; the portal gives it a code in its local code list."""
    unit = Unit(
        code_list=CodeList.LOCAL,
        code=fields.pop("code", "") or _local_code(kind, parent),
        kind=kind,
        parent=parent,
        **fields,
    )
    unit.full_clean(exclude=["path", "name_key"])
    unit.save()
    return unit


@transaction.atomic
def account_create(*, actor, username: str, full_name: str, email: str, password: str, unit: Unit, role: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=username, email=email, password=password, first_name=full_name)
    grant_create(actor=actor, user=user, unit=unit, role=role)
    return user


def grant_create(*, actor, user, unit: Unit, role: str):
    from units.models import Grant

    grant = Grant.objects.create(user=user, unit=unit, role=role, granted_by=actor)
    _forget(user)
    return grant


def grant_revoke(*, actor, grant) -> None:
    grant._change_reason = f"revoked by {actor.username}"
    grant.delete()
    _forget(grant.user)


def _forget(user) -> None:
    from units import access

    access.forget(user)
