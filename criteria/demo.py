"""Demo data for the criteria app (called by seed_demo): the shipped criteria sets for Hòa Bình
(legacy list, code 17), published; the demo score sheets are in criteria/demo_sheets.py."""

from __future__ import annotations

from criteria import shipped
from units.demo import PROVINCE_CODE, legacy


def seed_sets(log) -> list[str]:
    """The shipped sets (the Bắc Giang commune set and the illustrative ones) for the demo province."""
    province = legacy(PROVINCE_CODE)
    loaded = shipped.load(province=province)
    created = sum(1 for _s, was_created in loaded if was_created)
    return [f"Bộ tiêu chí tỉnh {province.name}: {len(loaded)} bộ đã ban hành, tạo mới {created}"] + [
        f"  {criteria_set.name}" for criteria_set, _c in loaded
    ]


def seed(log) -> list[str]:
    from criteria.demo_sheets import seed_sheets

    return seed_sets(log) + seed_sheets(log)
