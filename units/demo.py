"""Demo data for the units app (called by seed_demo)."""

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model

from units.models import CodeList, Grant, OfficialType, Role, Unit, UnitKind
from units.services import import_legacy_units

PROVINCE_CODE = "17"  # Tỉnh Hòa Bình (legacy list)
DISTRICT_CODE = "157"  # Huyện Lạc Sơn
COMMUNE_CODE = "05266"  # Thị trấn Vụ Bản

ACCOUNTS = [
    # username, full name, role, unit code
    ("bcd.tinh", "Nguyễn Văn Bình", Role.STEERING, PROVINCE_CODE, "Ban Chỉ đạo QCDC tỉnh Hòa Bình"),
    ("danvan.lacson", "Bùi Thị Lan", Role.REVIEWER, DISTRICT_CODE, "Ban Dân vận Huyện ủy Lạc Sơn"),
    ("xa.vuban", "Quách Văn Sơn", Role.REPORTER, COMMUNE_CODE, "Văn phòng UBND Thị trấn Vụ Bản"),
]


def legacy(code: str) -> Unit:
    return Unit.objects.get(code_list=CodeList.LEGACY, code=code)


def seed(log) -> list[str]:
    stats = import_legacy_units(province_code=PROVINCE_CODE)
    lines = [f"Đơn vị hành chính tỉnh Hòa Bình: {stats['huyện']} huyện, {stats['xã']} xã/phường/thị trấn"]
    User = get_user_model()
    for username, full_name, role, code, title in ACCOUNTS:
        # Vietnamese names read family name first: keep the whole name in first_name.
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name, "email": f"{username}@qcdc.local"}
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        Grant.objects.get_or_create(user=user, unit=legacy(code), role=role)
        lines.append(f"Tài khoản {username}: {Role(role).label} — {title}")
    lines += seed_agencies_and_hamlets()
    return lines


# --- Agencies and hamlets of Lạc Sơn ------------------------------------------------------
# Lạc Sơn reported 155 agencies under the grassroots-democracy rules: 70 state administrative
# agencies, 65 public service units and 20 enterprises (Báo Lạc Sơn, 3 years of Chỉ thị 31-CT/TU).
# Names are plausible, not an official register. Staff ranges are (low, high) for the seeded RNG.

AGENCY_VALID_FROM = dt.date(2015, 1, 1)
PUBLIC_SERVICE_TOTAL = 65

# name, staff range, armed force (no trade union)
DISTRICT_STATE_AGENCIES = [
    ("Văn phòng HĐND và UBND huyện Lạc Sơn", (28, 38), False),
    ("Phòng Nội vụ huyện Lạc Sơn", (8, 12), False),
    ("Phòng Tư pháp huyện Lạc Sơn", (5, 7), False),
    ("Phòng Tài chính - Kế hoạch huyện Lạc Sơn", (12, 16), False),
    ("Phòng Tài nguyên và Môi trường huyện Lạc Sơn", (10, 14), False),
    ("Phòng Lao động - Thương binh và Xã hội huyện Lạc Sơn", (10, 14), False),
    ("Phòng Văn hóa và Thông tin huyện Lạc Sơn", (6, 9), False),
    ("Phòng Giáo dục và Đào tạo huyện Lạc Sơn", (12, 18), False),
    ("Phòng Y tế huyện Lạc Sơn", (5, 6), False),
    ("Thanh tra huyện Lạc Sơn", (7, 9), False),
    ("Phòng Nông nghiệp và Phát triển nông thôn huyện Lạc Sơn", (10, 14), False),
    ("Phòng Kinh tế và Hạ tầng huyện Lạc Sơn", (10, 14), False),
    ("Phòng Dân tộc huyện Lạc Sơn", (5, 7), False),
    ("Chi cục Thuế khu vực Lạc Sơn - Yên Thủy", (35, 45), False),
    ("Kho bạc Nhà nước Lạc Sơn", (10, 14), False),
    ("Chi cục Thống kê huyện Lạc Sơn", (4, 6), False),
    ("Chi cục Thi hành án dân sự huyện Lạc Sơn", (10, 14), False),
    ("Hạt Kiểm lâm huyện Lạc Sơn", (18, 26), False),
    ("Đội Quản lý thị trường số 4", (6, 8), False),
    ("Bảo hiểm xã hội huyện Lạc Sơn", (14, 20), False),
    ("Công an huyện Lạc Sơn", (140, 190), True),
    ("Ban Chỉ huy Quân sự huyện Lạc Sơn", (28, 40), True),
]
# Two per commune (24 × 2 = 48): "{} {type} {name}", e.g. "Ủy ban nhân dân xã Quý Hòa".
COMMUNE_STATE_AGENCIES = [("Ủy ban nhân dân", (18, 26), False), ("Công an", (5, 12), True)]

DISTRICT_PUBLIC_SERVICE = [
    ("Trung tâm Y tế huyện Lạc Sơn", (190, 260)),
    ("Ban Quản lý dự án đầu tư xây dựng huyện Lạc Sơn", (14, 22)),
    ("Trung tâm Văn hóa, Thông tin và Thể thao huyện Lạc Sơn", (12, 18)),
    ("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện Lạc Sơn", (20, 30)),
    ("Trung tâm Dịch vụ nông nghiệp huyện Lạc Sơn", (12, 18)),
    ("Chi nhánh Văn phòng Đăng ký đất đai huyện Lạc Sơn", (10, 15)),
    ("Ban Quản lý công trình công cộng huyện Lạc Sơn", (8, 14)),
    ("Trường THPT Lạc Sơn", (60, 80)),
    ("Trường THPT Quyết Thắng", (45, 60)),
    ("Trường THPT Cộng Hòa", (40, 55)),
    ("Trường THPT Ngọc Sơn", (35, 50)),
    ("Trường Phổ thông Dân tộc nội trú THCS và THPT huyện Lạc Sơn", (40, 55)),
]
# Every commune has its kindergarten; the other commune units are drawn from the rest.
COMMUNE_KINDERGARTEN = ("Trường Mầm non {name}", (15, 40))
COMMUNE_PUBLIC_SERVICE = [
    ("Trường Tiểu học {name}", (18, 45)),
    ("Trường THCS {name}", (15, 35)),
    ("Trạm Y tế {type} {name}", (5, 9)),
]

# name, kind, commune (short name; None: under the district), staff range
ENTERPRISES = [
    ("Công ty TNHH MTV Lâm nghiệp Lạc Sơn", UnitKind.SOE, None, (60, 90)),
    ("Điện lực Lạc Sơn", UnitKind.SOE, "Vụ Bản", (45, 60)),
    ("Xí nghiệp Khai thác công trình thủy lợi Lạc Sơn", UnitKind.SOE, None, (25, 40)),
    ("Bưu điện huyện Lạc Sơn", UnitKind.SOE, "Vụ Bản", (20, 35)),
    ("Công ty TNHH May xuất khẩu Lạc Sơn", UnitKind.ENTERPRISE, None, (320, 450)),
    ("Công ty Cổ phần Xi măng Mường Vang", UnitKind.ENTERPRISE, None, (120, 200)),
    ("Công ty Cổ phần Gạch tuynel Ân Nghĩa", UnitKind.ENTERPRISE, "Ân Nghĩa", (40, 70)),
    ("Công ty TNHH Khai thác đá Yên Nghiệp", UnitKind.ENTERPRISE, "Yên Nghiệp", (20, 40)),
    ("Công ty TNHH Chế biến gỗ Tân Lập", UnitKind.ENTERPRISE, "Tân Lập", (25, 50)),
    ("Công ty TNHH Chè Ngọc Lâu", UnitKind.ENTERPRISE, "Ngọc Lâu", (12, 25)),
    ("Công ty Cổ phần Chế biến mía Thượng Cốc", UnitKind.ENTERPRISE, "Thượng Cốc", (15, 30)),
    ("Công ty TNHH Xây dựng Thành Đạt Lạc Sơn", UnitKind.ENTERPRISE, None, (30, 60)),
    ("Công ty TNHH Thương mại và Dịch vụ Vụ Bản", UnitKind.ENTERPRISE, "Vụ Bản", (12, 20)),
    ("Công ty TNHH Vận tải hành khách Lạc Sơn", UnitKind.ENTERPRISE, None, (20, 35)),
    ("Công ty Cổ phần Môi trường và Dịch vụ đô thị Lạc Sơn", UnitKind.ENTERPRISE, "Vụ Bản", (35, 60)),
    ("Công ty TNHH Du lịch sinh thái Ngọc Sơn", UnitKind.ENTERPRISE, "Ngọc Sơn", (12, 25)),
    ("Công ty TNHH Thức ăn chăn nuôi Nhân Nghĩa", UnitKind.ENTERPRISE, "Nhân Nghĩa", (25, 45)),
    ("Công ty Cổ phần Dược - Vật tư y tế Lạc Sơn", UnitKind.ENTERPRISE, None, (12, 25)),
    ("Công ty TNHH Xăng dầu Quyết Thắng", UnitKind.ENTERPRISE, "Quyết Thắng", (12, 20)),
    ("Công ty Cổ phần Thủy điện Miền Đồi", UnitKind.ENTERPRISE, "Miền Đồi", (12, 25)),
]

# Hamlet names of the Mường area ("Xóm ...", a few "Bản ..."); each commune draws its own.
# fmt: off
HAMLET_NAMES = [
    "Chiềng", "Đồi", "Mới", "Khang", "Vó", "Bưng", "Khộp", "Củ", "Ráy", "Bái", "Cốc", "Dài", "Mòn", "Thung", "Vín",
    "Trang", "Mun", "Rệ", "Bận", "Sáng", "Ong", "Bương", "Đai", "Cháy", "Bói", "Muôn", "Nội", "Ngoài", "Khả", "Tráng",
    "Cui", "Dằm", "Vàng", "Kháo", "Pheo", "Tre", "Cả", "Bằng", "Thây", "Chạo", "Trung Hòa", "Tân Thành", "Đồng Tâm",
    "Thống Nhất", "Quyết Tiến", "Hưng Thịnh", "Phú Lợi", "Tân Sơn", "Đồng Bót", "Lâm Lưu",
]
# fmt: on
HAMLETS_PER_COMMUNE = (6, 14)
TOWN_GROUPS = (6, 9)  # "Tổ dân phố 1".. in the district town


def _tax_code(rng: random.Random, taken: set[str]) -> str:
    """A 10-digit tax code of Hòa Bình (prefix 54) with a valid check digit."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    while True:
        body = "54" + "".join(str(rng.randrange(10)) for _ in range(7))
        check = 10 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
        code = f"{body}{check}"
        if check < 10 and code not in taken:
            taken.add(code)
            return code


def _short(commune: Unit) -> str:
    return commune.name.removeprefix("Xã ").removeprefix("Thị trấn ")


def _type(commune: Unit) -> str:
    return "thị trấn" if commune.official_type == OfficialType.THI_TRAN else "xã"


def _agency_specs(district: Unit, communes: list[Unit], rng: random.Random) -> list[dict]:
    """The 155 agencies: (parent, name, kind, staff_count, has_union, tax_code) in a fixed order."""
    specs = []

    def add(parent, name, kind, staff_range, *, armed=False, tax_code=""):
        staff = rng.randint(*staff_range)
        # Police and army units have no trade union; some small offices have none either.
        has_union = not armed and (staff > 7 or rng.random() < 0.5)
        specs.append(
            {
                "parent": parent,
                "name": name,
                "kind": kind,
                "staff_count": staff,
                "has_union": has_union,
                "tax_code": tax_code,
            }
        )

    for name, staff, armed in DISTRICT_STATE_AGENCIES:
        add(district, name, UnitKind.STATE_AGENCY, staff, armed=armed)
    for commune in communes:
        for prefix, staff, armed in COMMUNE_STATE_AGENCIES:
            add(commune, f"{prefix} {_type(commune)} {_short(commune)}", UnitKind.STATE_AGENCY, staff, armed=armed)

    for name, staff in DISTRICT_PUBLIC_SERVICE:
        add(district, name, UnitKind.PUBLIC_SERVICE, staff)
    # 65 = district units + one kindergarten per commune + units drawn from the other commune units.
    others = [(commune, *unit) for commune in communes for unit in COMMUNE_PUBLIC_SERVICE]
    n_drawn = PUBLIC_SERVICE_TOTAL - len(DISTRICT_PUBLIC_SERVICE) - len(communes)
    drawn = set(rng.sample(range(len(others)), n_drawn))
    for commune in communes:
        picks = [COMMUNE_KINDERGARTEN] + [
            (tpl, staff) for j, (c, tpl, staff) in enumerate(others) if c is commune and j in drawn
        ]
        for tpl, staff in picks:
            add(commune, tpl.format(name=_short(commune), type=_type(commune)), UnitKind.PUBLIC_SERVICE, staff)

    by_name = {_short(c): c for c in communes}
    taken: set[str] = set()
    for name, kind, commune, staff in ENTERPRISES:
        parent = by_name[commune] if commune else district
        add(parent, name, kind, staff, tax_code=_tax_code(rng, taken))
    return specs


def _hamlet_specs(communes: list[Unit], rng: random.Random) -> list[dict]:
    specs = []
    for commune in communes:
        if commune.official_type == OfficialType.THI_TRAN:
            names = [f"Tổ dân phố {n}" for n in range(1, rng.randint(*TOWN_GROUPS) + 1)]
            official_type = OfficialType.TO_DAN_PHO
        else:
            bases = rng.sample(HAMLET_NAMES, rng.randint(*HAMLETS_PER_COMMUNE))
            names = [("Bản " if rng.random() < 0.1 else "Xóm ") + base for base in bases]
            official_type = OfficialType.THON
        specs += [{"parent": commune, "name": name, "official_type": official_type} for name in names]
    return specs


def seed_agencies_and_hamlets() -> list[str]:
    """Lạc Sơn's 155 agencies and the hamlets of its 24 communes; re-running creates nothing.

    Codes follow services.unit_create_local: "CQ-<parent code>-001", "TH-<commune code>-001".
    """
    district = legacy(DISTRICT_CODE)
    communes = list(Unit.objects.filter(parent=district, kind=UnitKind.COMMUNE).order_by("code"))
    rng = random.Random(157)
    agencies = _agency_specs(district, communes, rng)
    hamlets = _hamlet_specs(communes, rng)

    numbers: dict[str, int] = {}  # last number given per code prefix, e.g. "CQ-157"

    def upsert(prefix: str, spec: dict, **defaults) -> bool:
        key = f"{prefix}-{spec['parent'].code}"
        numbers[key] = numbers.get(key, 0) + 1
        _unit, created = Unit.objects.get_or_create(
            code_list=CodeList.LOCAL, code=f"{key}-{numbers[key]:03d}", defaults={**spec, **defaults}
        )
        return created

    new_agencies = sum(upsert("CQ", spec, valid_from=AGENCY_VALID_FROM) for spec in agencies)
    new_hamlets = sum(upsert("TH", spec, kind=UnitKind.HAMLET) for spec in hamlets)
    kinds = [spec["kind"] for spec in agencies]
    state, public = kinds.count(UnitKind.STATE_AGENCY), kinds.count(UnitKind.PUBLIC_SERVICE)
    enterprises = kinds.count(UnitKind.SOE) + kinds.count(UnitKind.ENTERPRISE)
    return [
        f"Cơ quan, đơn vị huyện Lạc Sơn: {len(agencies)} ({state} cơ quan hành chính nhà nước, "
        f"{public} đơn vị sự nghiệp công lập, {enterprises} doanh nghiệp), tạo mới {new_agencies}",
        f"Thôn, xóm, tổ dân phố: {len(hamlets)} ở {len(communes)} xã, thị trấn của huyện Lạc Sơn, "
        f"tạo mới {new_hamlets}",
    ]


def banner() -> str:
    rows = "\n".join(f"    {username:<15} {Role(role).label} ({title})" for username, _n, role, _c, title in ACCOUNTS)
    return (
        "\nCổng báo cáo QCDC: http://127.0.0.1:8000\n"
        f"  Tài khoản mẫu (mật khẩu {settings.DEMO_PASSWORD}, chỉ dùng khi DEBUG bật):\n{rows}\n"
    )
