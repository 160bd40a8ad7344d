"""Importing the real national lists from the installed vietnamadminunits package."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from units.models import CodeList, OfficialType, Unit, UnitKind, UnitLineage
from units.services import import_current_units, import_legacy_units

pytestmark = pytest.mark.django_db

REFORM_DAY = dt.date(2025, 7, 1)
LEGACY_LAST_DAY = dt.date(2025, 6, 30)


@pytest.fixture
def hoa_binh(db):
    stats = import_legacy_units(province_code="17")
    return stats, Unit.objects.get(code_list=CodeList.LEGACY, code="17", kind=UnitKind.PROVINCE)


@pytest.fixture
def phu_tho(hoa_binh):
    stats = import_current_units(province_code="25")
    return stats, Unit.objects.get(code_list=CodeList.CURRENT, code="25", kind=UnitKind.PROVINCE)


def assert_paths_consistent():
    units = {u.pk: u for u in Unit.objects.only("pk", "parent_id", "path", "depth")}
    assert units
    for unit in units.values():
        if unit.parent_id is None:
            assert unit.path == f"/{unit.pk}/", unit.pk
            assert unit.depth == 0, unit.pk
        else:
            parent = units[unit.parent_id]
            assert unit.path == parent.path + f"{unit.pk}/", unit.pk
            assert unit.depth == parent.depth + 1, unit.pk


# --- Legacy list, one province -----------------------------------------------------------


def test_legacy_hoa_binh_counts(hoa_binh):
    stats, province = hoa_binh
    assert province.name == "Tỉnh Hòa Bình"
    assert province.official_type == OfficialType.TINH
    legacy = Unit.objects.filter(code_list=CodeList.LEGACY)
    assert legacy.filter(kind=UnitKind.PROVINCE).count() == 1
    assert legacy.filter(kind=UnitKind.DISTRICT).count() == 10
    assert legacy.filter(kind=UnitKind.COMMUNE).count() == 151
    assert Unit.objects.count() == 162
    assert stats == {"tỉnh": 1, "huyện": 10, "xã": 151, "tạo mới": 162, "cập nhật": 0}
    # Every district hangs under the province, every commune under one of its districts.
    assert set(legacy.filter(kind=UnitKind.DISTRICT).values_list("parent_id", flat=True)) == {province.pk}
    assert set(legacy.filter(kind=UnitKind.COMMUNE).values_list("parent__kind", flat=True)) == {UnitKind.DISTRICT}
    # Before the current list is loaded, nothing has ended yet.
    assert not legacy.filter(valid_to__isnull=False).exists()


def test_lac_son_has_23_communes_and_one_town(hoa_binh):
    lac_son = Unit.objects.get(code_list=CodeList.LEGACY, code="157")
    assert lac_son.name == "Huyện Lạc Sơn"
    assert lac_son.kind == UnitKind.DISTRICT
    assert lac_son.official_type == OfficialType.HUYEN
    communes = Unit.objects.filter(parent=lac_son)
    assert communes.count() == 24
    assert set(communes.values_list("kind", flat=True)) == {UnitKind.COMMUNE}
    assert communes.filter(official_type=OfficialType.XA).count() == 23
    town = communes.exclude(official_type=OfficialType.XA).get()
    assert (town.code, town.name, town.official_type) == ("05266", "Thị trấn Vụ Bản", OfficialType.THI_TRAN)
    assert town.name_key == "thi tran vu ban"
    assert all(c.name.startswith("Xã ") for c in communes.filter(official_type=OfficialType.XA))


def test_legacy_paths_are_consistent(hoa_binh):
    assert_paths_consistent()
    _stats, province = hoa_binh
    assert Unit.objects.filter(path__startswith=province.path).count() == 162
    assert set(Unit.objects.values_list("depth", "kind").distinct()) == {
        (0, UnitKind.PROVINCE),
        (1, UnitKind.DISTRICT),
        (2, UnitKind.COMMUNE),
    }


def test_legacy_rerun_changes_nothing(hoa_binh):
    before = dict(Unit.objects.values_list("code", "pk"))
    paths = dict(Unit.objects.values_list("pk", "path"))
    stats = import_legacy_units(province_code="17")
    assert stats["tạo mới"] == 0
    assert stats["cập nhật"] == 0
    assert dict(Unit.objects.values_list("code", "pk")) == before
    assert dict(Unit.objects.values_list("pk", "path")) == paths
    assert Unit.objects.count() == 162


def test_legacy_import_repairs_a_changed_name(hoa_binh):
    town = Unit.objects.get(code_list=CodeList.LEGACY, code="05266")
    Unit.objects.filter(pk=town.pk).update(name="Sai tên", name_key="sai ten")
    stats = import_legacy_units(province_code="17")
    assert stats["cập nhật"] == 1
    assert stats["tạo mới"] == 0
    town.refresh_from_db()
    assert (town.name, town.name_key) == ("Thị trấn Vụ Bản", "thi tran vu ban")


def test_unknown_legacy_province_is_refused(db):
    with pytest.raises(ValueError, match="Không có tỉnh mã 99"):
        import_legacy_units(province_code="99")
    assert not Unit.objects.exists()


# --- Current list and lineage ------------------------------------------------------------


def test_current_phu_tho_is_created(phu_tho):
    stats, province = phu_tho
    assert province.name == "Tỉnh Phú Thọ"
    assert province.valid_from == REFORM_DAY
    assert province.valid_to is None
    assert province.parent_id is None
    communes = Unit.objects.filter(code_list=CodeList.CURRENT, kind=UnitKind.COMMUNE)
    assert communes.count() == stats["xã"] == 148
    assert set(communes.values_list("parent_id", flat=True)) == {province.pk}  # no district level any more
    assert set(communes.values_list("valid_from", flat=True)) == {REFORM_DAY}
    assert not communes.filter(valid_to__isnull=False).exists()
    assert set(communes.values_list("official_type", flat=True)) <= {
        OfficialType.XA,
        OfficialType.PHUONG,
        OfficialType.DAC_KHU,
    }
    assert stats["tỉnh"] == 1
    assert stats["tạo mới"] == 149
    assert_paths_consistent()


def test_current_lineage_from_hoa_binh_province(phu_tho):
    _stats, phu_tho_unit = phu_tho
    hoa_binh = Unit.objects.get(code_list=CodeList.LEGACY, code="17")
    link = UnitLineage.objects.get(predecessor=hoa_binh, successor=phu_tho_unit)
    assert link.effective_date == REFORM_DAY
    assert link.is_primary
    assert "202/2025/QH15" in link.legal_basis


def test_current_lineage_of_vu_ban(phu_tho):
    _stats, phu_tho_unit = phu_tho
    town = Unit.objects.get(code_list=CodeList.LEGACY, code="05266")
    links = list(UnitLineage.objects.filter(predecessor=town).select_related("successor"))
    assert len(links) == 1
    successor = links[0].successor
    assert successor.code_list == CodeList.CURRENT
    assert successor.kind == UnitKind.COMMUNE
    assert successor.parent_id == phu_tho_unit.pk
    assert successor.name == "Xã Lạc Sơn"
    assert links[0].effective_date == REFORM_DAY
    assert links[0].is_primary
    # Xã Lạc Sơn was formed from Vụ Bản and its neighbours, all from Huyện Lạc Sơn.
    predecessors = UnitLineage.objects.filter(successor=successor).values_list("predecessor__name", flat=True)
    assert "Thị trấn Vụ Bản" in set(predecessors)
    assert len(predecessors) > 1
    assert set(UnitLineage.objects.filter(successor=successor).values_list("predecessor__parent__code", flat=True)) == {
        "157"
    }


def test_legacy_hoa_binh_ended_on_30_june_2025(phu_tho):
    stats, _unit = phu_tho
    legacy = Unit.objects.filter(code_list=CodeList.LEGACY)
    assert legacy.count() == 162
    assert set(legacy.values_list("valid_to", flat=True)) == {LEGACY_LAST_DAY}
    assert stats["đơn vị cũ hết hiệu lực"] == 162


def test_every_hoa_binh_commune_has_a_successor(phu_tho):
    communes = Unit.objects.filter(code_list=CodeList.LEGACY, kind=UnitKind.COMMUNE)
    orphans = communes.annotate(n=Count("successor_links")).filter(n=0)
    assert list(orphans.values_list("name", flat=True)) == []
    # Every successor of a Hòa Bình commune lies in the new Phú Thọ.
    succ = UnitLineage.objects.filter(predecessor__in=communes).values_list("successor__parent__code", flat=True)
    assert set(succ) == {"25"}


def test_split_communes_have_one_primary_successor(phu_tho):
    per_predecessor = Counter(
        UnitLineage.objects.filter(predecessor__kind=UnitKind.COMMUNE).values_list("predecessor_id", flat=True)
    )
    split = [pk for pk, n in per_predecessor.items() if n > 1]
    assert split, "the Hòa Bình → Phú Thọ mapping has split communes"
    for pk in split:
        links = UnitLineage.objects.filter(predecessor_id=pk)
        assert links.filter(is_primary=True).count() == 1, pk
        assert links.filter(is_primary=False).exists()
        assert links.values("successor").distinct().count() == links.count()
    # A merged commune (one successor) is the primary one.
    single = [pk for pk, n in per_predecessor.items() if n == 1]
    assert not UnitLineage.objects.filter(predecessor_id__in=single, is_primary=False).exists()


def test_current_rerun_changes_nothing(phu_tho):
    units = dict(Unit.objects.values_list("pk", "path"))
    links = set(UnitLineage.objects.values_list("predecessor_id", "successor_id", "is_primary"))
    stats = import_current_units(province_code="25")
    assert stats["tạo mới"] == 0
    assert stats["cập nhật"] == 0
    assert stats["đơn vị cũ hết hiệu lực"] == 0
    assert dict(Unit.objects.values_list("pk", "path")) == units
    assert set(UnitLineage.objects.values_list("predecessor_id", "successor_id", "is_primary")) == links


def test_legacy_rerun_after_current_keeps_the_end_date(phu_tho):
    stats = import_legacy_units(province_code="17")
    assert stats["tạo mới"] == 0
    assert stats["cập nhật"] == 0
    assert set(Unit.objects.filter(code_list=CodeList.LEGACY).values_list("valid_to", flat=True)) == {LEGACY_LAST_DAY}


def test_unknown_current_province_is_refused(db):
    with pytest.raises(ValueError, match=r"Không có tỉnh mã 17 trong danh mục từ 01/7/2025"):
        import_current_units(province_code="17")  # Hòa Bình no longer exists
    assert not Unit.objects.exists()


# --- Management command ------------------------------------------------------------------


def test_import_units_command(db, capsys):
    call_command("import_units", "--dataset", "legacy", "--province", "17")
    out = capsys.readouterr().out
    assert "tỉnh: 1" in out
    assert "huyện: 10" in out
    assert "xã: 151" in out
    assert "tạo mới: 162" in out
    assert Unit.objects.count() == 162


def test_import_units_command_unknown_province(db):
    with pytest.raises(CommandError, match="Không có tỉnh mã 99"):
        call_command("import_units", "--dataset", "legacy", "--province", "99")
    with pytest.raises(CommandError, match="Không có tỉnh mã 99"):
        call_command("import_units", "--dataset", "current", "--province", "99")
    assert not Unit.objects.exists()


# --- The whole country -------------------------------------------------------------------


@pytest.mark.slow
def test_full_national_lists():
    stats = import_legacy_units()
    legacy = Unit.objects.filter(code_list=CodeList.LEGACY)
    assert legacy.filter(kind=UnitKind.PROVINCE).count() == 63
    assert legacy.filter(kind=UnitKind.DISTRICT).count() == 696
    assert legacy.filter(kind=UnitKind.COMMUNE).count() == 10035
    assert (stats["tỉnh"], stats["huyện"], stats["xã"]) == (63, 696, 10035)
    assert Unit.objects.filter(depth=0).count() == 63

    stats = import_current_units()
    current = Unit.objects.filter(code_list=CodeList.CURRENT)
    assert current.filter(kind=UnitKind.PROVINCE).count() == 34
    assert current.filter(kind=UnitKind.COMMUNE).count() == 3321
    assert (stats["tỉnh"], stats["xã"]) == (34, 3321)
    assert set(current.values_list("valid_from", flat=True)) == {REFORM_DAY}

    no_predecessor = current.filter(kind=UnitKind.COMMUNE).annotate(n=Count("predecessor_links")).filter(n=0)
    missing = list(no_predecessor.values_list("code", "name"))
    print(f"current communes without a predecessor link: {len(missing)} {missing[:20]}")
    assert len(missing) <= 10
    # Every new province descends from at least one old one; every old province has a successor.
    assert not current.filter(kind=UnitKind.PROVINCE).annotate(n=Count("predecessor_links")).filter(n=0).exists()
    assert not legacy.filter(kind=UnitKind.PROVINCE).annotate(n=Count("successor_links")).filter(n=0).exists()
    assert not legacy.filter(valid_to__isnull=True).exists()
    assert_paths_consistent()
