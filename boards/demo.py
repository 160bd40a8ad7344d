"""Demo data for the boards app (called by seed_demo after dialogues.demo).

Three years (1/11/2023 – 15/11/2026) of people's inspection boards, community investment
supervision, workplace conferences and village conventions in Lạc Sơn. The supervision counts
follow the district's three-year report (S1): the people's inspection boards held 110
supervisions (construction, land management, complaints and denunciations, social policy);
the community investment supervision boards held 139, on 115 works funded by the state
budget and 24 works funded by the people. Names, works and amounts are plausible, not real
records.

Thị trấn Vụ Bản is left without a people's inspection board (nor do the agencies under it
have one): registering the town's board is the scenario of the demo account xa.vuban. Its
community boards, conferences and conventions are seeded.

Commune boards: the current term began mid-2024; the previous term (2022–2024) is kept as
history so that the supervisions of the first months have a board. Agency boards exist only
where the law asks for one (more than 7 staff; state agencies, public service units and
state-owned enterprises with a trade union; not the commune People's Committees and police,
whose residents' board is the commune's).

Re-running creates nothing: if any inspection board exists under Lạc Sơn, the existing
counts are reported.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from boards.models import (
    BoardMember,
    CommunityBoard,
    EndReason,
    Gender,
    InspectionBoard,
    InvestmentProject,
    MemberRole,
    SupervisionActivity,
    SupervisionField,
    VillageConvention,
    WorkplaceConference,
)
from dialogues.demo import END, FEMALE_GIVEN, FEMALE_MIDDLE, MALE_GIVEN, MALE_MIDDLE, START, SURNAMES
from units.demo import COMMUNE_CODE, DISTRICT_CODE, legacy
from units.models import AGENCY_KINDS, ENTERPRISE_KINDS, OfficialType, Unit, UnitKind

SEED = 59

INSPECTION_SUPERVISIONS = 110  # S1: "trong 3 năm qua giám sát 110 cuộc"
STATE_BUDGET_WORKS = 115  # S1: "115 công trình sử dụng vốn ngân sách nhà nước"
PEOPLE_FUNDED_WORKS = 24  # S1: "24 công trình có kinh phí do Nhân dân đóng góp"
AGENCY_BOARDS = 50
CONFERENCE_YEARS = (2023, 2024, 2025)
P_NO_CONFERENCE = 0.06
P_LATE_CONFERENCE = 0.06

NSNN = InvestmentProject.Funding.NSNN
CONG_DONG = InvestmentProject.Funding.CONG_DONG
MILLION = 1_000_000

# --- Supervisions of the people's inspection boards -------------------------------------------
# field -> (weight, subject templates); S1 names construction, land, complaints and social policy.
INSPECTION_SUBJECTS = {
    SupervisionField.XAY_DUNG: (
        28,
        [
            "Giám sát việc quản lý trật tự xây dựng trên địa bàn {xa} năm {year}",
            "Giám sát việc thi công sửa chữa nhà văn hóa {xom}",
            "Giám sát việc xây dựng, nghiệm thu đường bê tông nội đồng {xom}",
            "Giám sát việc xử lý công trình xây dựng lấn chiếm hành lang đường bộ đoạn qua {xom}",
            "Giám sát chất lượng xây dựng nhà ở cho hộ nghèo ở {xom}",
        ],
    ),
    SupervisionField.DAT_DAI: (
        27,
        [
            "Giám sát việc cấp giấy chứng nhận quyền sử dụng đất cho các hộ ở {xom}",
            "Giám sát việc quản lý, cho thuê quỹ đất công ích của {xa}",
            "Giám sát việc chuyển mục đích sử dụng đất vườn sang đất ở năm {year}",
            "Giám sát việc xử lý lấn chiếm đất công tại {xom}",
            "Giám sát việc đo đạc, chỉnh lý biến động đất đai ở {xom}",
        ],
    ),
    SupervisionField.KNTC: (
        18,
        [
            "Giám sát việc giải quyết đơn khiếu nại về tranh chấp đất đai của các hộ ở {xom}",
            "Giám sát việc tiếp công dân, tiếp nhận và giải quyết đơn thư của UBND {xa} năm {year}",
            "Giám sát việc thực hiện kết luận giải quyết tố cáo liên quan đến thu chi quỹ {xom}",
            "Giám sát việc hòa giải tranh chấp ranh giới đất vườn tại {xom}",
        ],
    ),
    SupervisionField.CHINH_SACH: (
        19,
        [
            "Giám sát việc rà soát, bình xét hộ nghèo, hộ cận nghèo năm {year}",
            "Giám sát việc chi trả trợ cấp xã hội hằng tháng cho đối tượng bảo trợ xã hội",
            "Giám sát việc cấp thẻ bảo hiểm y tế cho người dân tộc thiểu số, hộ nghèo năm {year}",
            "Giám sát việc hỗ trợ nhà ở cho hộ nghèo theo Chương trình mục tiêu quốc gia dân tộc thiểu số",
            "Giám sát việc thực hiện chính sách đối với người có công với cách mạng",
            "Giám sát việc hỗ trợ giống cây trồng, vật nuôi cho các hộ ở {xom}",
        ],
    ),
    SupervisionField.THU_CHI: (
        5,
        [
            "Giám sát việc thu, chi các khoản đóng góp tự nguyện của Nhân dân năm {year}",
            "Giám sát việc công khai thu, chi quỹ {xom}",
        ],
    ),
    SupervisionField.MOI_TRUONG: (
        3,
        [
            "Giám sát việc thu gom, xử lý rác thải sinh hoạt ở {xom}",
            "Giám sát việc khai thác cát, sỏi lòng suối đoạn qua {xom}",
        ],
    ),
}
INSPECTION_MEASURES = {
    SupervisionField.XAY_DUNG: "Kiến nghị UBND {xa} yêu cầu đơn vị thi công khắc phục các hạng mục chưa đạt.",
    SupervisionField.DAT_DAI: "Kiến nghị UBND {xa} rà soát, chỉnh lý hồ sơ địa chính và xử lý trường hợp lấn chiếm.",
    SupervisionField.KNTC: "Kiến nghị UBND {xa} trả lời bằng văn bản cho người có đơn đúng thời hạn.",
    SupervisionField.CHINH_SACH: "Kiến nghị rà soát lại danh sách, thu hồi khoản hỗ trợ chi sai đối tượng.",
    SupervisionField.THU_CHI: "Kiến nghị công khai bổ sung các khoản thu, chi tại nhà văn hóa.",
    SupervisionField.MOI_TRUONG: "Kiến nghị UBND {xa} tăng tần suất thu gom, xử lý điểm tập kết rác tự phát.",
}

# --- Works under community supervision --------------------------------------------------------
# name templates: {xom}, {xom2} are hamlets ("xóm Chiềng"), {xa} the commune ("xã Quý Hòa").
STATE_WORKS = [
    ("Đường bê tông {xom}", 3, (0.4, 1.8)),
    ("Đường giao thông {xom} – {xom2}", 3, (1.2, 4.5)),
    ("Nhà văn hóa {xom}", 2, (0.6, 1.5)),
    ("Kênh mương nội đồng {xom}", 3, (0.3, 1.2)),
    ("Cầu treo {xom}", 1, (1.5, 3.5)),
    ("Ngầm tràn qua suối {xom}", 1, (0.5, 1.6)),
    ("Kè chống sạt lở bờ suối {xom}", 1, (1.0, 3.0)),
    ("Công trình nước sinh hoạt tập trung {xom}", 1, (0.8, 2.5)),
    ("Đập dâng và kênh dẫn nước {xom}", 1, (0.6, 2.0)),
    ("Phòng học điểm trường {xom}, Trường Mầm non {short}", 1, (1.0, 2.8)),
    ("Cải tạo, nâng cấp Trạm Y tế {xa}", 1, (0.8, 2.2)),
    ("Sân thể thao {xom}", 1, (0.3, 0.8)),
]
PEOPLE_WORKS = [
    ("Đường bê tông ngõ {xom}", 3, (0.12, 0.6)),
    ("Sân, tường rào nhà văn hóa {xom}", 2, (0.08, 0.35)),
    ("Đường điện chiếu sáng {xom}", 2, (0.06, 0.25)),
    ("Rãnh thoát nước {xom}", 1, (0.1, 0.4)),
    ("Sửa chữa nhà văn hóa {xom}", 2, (0.1, 0.45)),
    ("Đường nội đồng {xom}", 1, (0.15, 0.7)),
]
# field -> (weight for state works, weight for people's works, subject template)
COMMUNITY_SUBJECTS = {
    SupervisionField.XAY_DUNG: (40, 40, "Giám sát chất lượng vật liệu, thi công công trình {name}"),
    SupervisionField.TIEN_DO: (28, 25, "Giám sát tiến độ, khối lượng thi công công trình {name}"),
    SupervisionField.GPMB: (12, 0, "Giám sát việc bồi thường, hỗ trợ giải phóng mặt bằng công trình {name}"),
    SupervisionField.THU_CHI: (8, 30, "Giám sát việc huy động, sử dụng vốn đóng góp công trình {name}"),
    SupervisionField.MOI_TRUONG: (5, 5, "Giám sát việc đổ thải, bảo vệ môi trường khi thi công công trình {name}"),
}
COMMUNITY_MEASURES = {
    SupervisionField.XAY_DUNG: "Kiến nghị chủ đầu tư yêu cầu nhà thầu thay vật liệu không đúng thiết kế.",
    SupervisionField.TIEN_DO: "Kiến nghị nhà thầu bổ sung nhân lực, bảo đảm tiến độ trước mùa mưa.",
    SupervisionField.GPMB: "Kiến nghị công khai phương án bồi thường, hỗ trợ tại nhà văn hóa xóm.",
    SupervisionField.THU_CHI: "Kiến nghị công khai danh sách hộ đóng góp, các khoản chi tại nhà văn hóa xóm.",
    SupervisionField.MOI_TRUONG: "Kiến nghị nhà thầu thu dọn vật liệu thải, che chắn khi vận chuyển.",
}
SETTLEMENT_MEASURE = "Kiến nghị giảm trừ khối lượng thi công không đúng thực tế khi quyết toán."


CONVENTION_KIND_LABEL = {"huong_uoc": "Hương ước", "quy_uoc": "Quy ước"}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _weekday(day: dt.date) -> dt.date:
    """The nearest working day at or after ``day``, or before it when that would pass END."""
    step = 1 if day + dt.timedelta(days=7) <= END else -1
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    return day


def _commune_type(commune: Unit) -> str:
    return "thị trấn" if commune.official_type == OfficialType.THI_TRAN else "xã"


def _short(commune: Unit) -> str:
    return commune.name.removeprefix("Xã ").removeprefix("Thị trấn ")


def _money(amount: float, step: int = MILLION) -> Decimal:
    return Decimal(int(round(amount / step)) * step)


class _Seeder:
    def __init__(self, district: Unit, vuban_user):
        self.rng = random.Random(SEED)
        self.district = district
        self.vuban_user = vuban_user
        self.communes = list(Unit.objects.filter(parent=district, kind=UnitKind.COMMUNE).order_by("code"))
        self.town = next(c for c in self.communes if c.code == COMMUNE_CODE)
        self.hamlets: dict[int, list[Unit]] = {c.pk: [] for c in self.communes}
        for hamlet in Unit.objects.filter(parent__in=self.communes, kind=UnitKind.HAMLET).order_by("code"):
            self.hamlets[hamlet.parent_id].append(hamlet)
        self.agencies = list(
            Unit.objects.filter(path__startswith=district.path, kind__in=AGENCY_KINDS).order_by("code")
        )
        self.commune_boards: dict[int, tuple[InspectionBoard, InspectionBoard]] = {}
        self.inspection_boards: list[InspectionBoard] = []
        self.members: list[BoardMember] = []
        self.activities: list[SupervisionActivity] = []
        self.conferences: list[WorkplaceConference] = []
        self.conventions: list[VillageConvention] = []
        self.projects: list[InvestmentProject] = []
        self.project_hamlets: list[tuple[InvestmentProject, list[Unit]]] = []
        self.community_boards: list[CommunityBoard] = []

    # --- helpers ----------------------------------------------------------------------------
    def _name(self, gender: str) -> str:
        rng = self.rng
        surname = rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
        if gender == Gender.NU:
            return f"{surname} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}"
        return f"{surname} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}"

    def _gender(self, female_share: float) -> str:
        return Gender.NU if self.rng.random() < female_share else Gender.NAM

    def _day(self, start: dt.date, end: dt.date) -> dt.date:
        return _weekday(start + dt.timedelta(days=self.rng.randint(0, (end - start).days)))

    def _decision(self, suffix: str) -> str:
        return f"{self.rng.randint(12, 380)}/QĐ-{suffix}"

    def _roles(self, n: int) -> list[str]:
        """One head, one deputy (two on boards of nine or more), the rest members."""
        deputies = 2 if n >= 9 and self.rng.random() < 0.7 else 1
        roles = [MemberRole.TRUONG_BAN] + [MemberRole.PHO_TRUONG_BAN] * deputies
        return (roles + [MemberRole.UY_VIEN] * n)[:n]

    def _member(self, board, *, started_on, role, hamlet=None, female_share=0.35, **extra) -> BoardMember:
        gender = extra.pop("gender", None) or self._gender(female_share)
        field = "community_board" if isinstance(board, CommunityBoard) else "inspection_board"
        member = BoardMember(
            **{field: board},
            full_name=extra.pop("full_name", None) or self._name(gender),
            role=role,
            hamlet=hamlet,
            gender=gender,
            started_on=started_on,
            **extra,
        )
        self.members.append(member)
        return member

    def _replace_some(self, board, members, *, start, p, reasons, female_share, last_end=None):
        """History: with probability ``p`` a member leaves mid-term and another takes the seat."""
        rng = self.rng
        last_end = last_end or END - dt.timedelta(days=45)
        if rng.random() >= p or start + dt.timedelta(days=120) >= last_end:
            return
        for member in rng.sample(members, 1 if rng.random() < 0.75 else min(2, len(members))):
            member.ended_on = self._day(start + dt.timedelta(days=90), last_end)
            member.end_reason = rng.choices(list(reasons), weights=list(reasons.values()))[0]
            self._member(
                board,
                started_on=_weekday(member.ended_on + dt.timedelta(days=rng.randint(10, 40))),
                role=member.role,
                hamlet=member.hamlet,
                female_share=female_share,
            )

    # --- people's inspection boards of the communes ------------------------------------------
    def commune_boards_all(self) -> None:
        rng = self.rng
        reasons = {EndReason.XIN_THOI: 4, EndReason.CHUYEN_NOI_O: 3, EndReason.BAI_NHIEM: 1, EndReason.KHAC: 1}
        for commune in self.communes:
            if commune == self.town:
                continue  # xa.vuban registers the town's board in the demo scenario
            hamlets = self.hamlets[commune.pk]
            seats: list[Unit | None] = list(hamlets) + [None] * max(0, 5 - len(hamlets))
            # Previous term (2 years, NĐ 159/2016), ended when the new board was recognised.
            new_start = self._day(dt.date(2024, 6, 17), dt.date(2024, 7, 31))
            old_start = self._day(dt.date(2022, 6, 13), dt.date(2022, 7, 29))
            old = InspectionBoard(
                unit=commune,
                term_start=old_start,
                term_end=new_start - dt.timedelta(days=1),
                decision_no=self._decision("UBND"),
                decision_date=old_start,
                note="Nhiệm kỳ 2022 – 2024.",
            )
            new = InspectionBoard(
                unit=commune,
                term_start=new_start,
                decision_no=self._decision("UBND"),
                decision_date=new_start,
                note="Bầu tại hội nghị các thôn, tổ dân phố tháng 6/2024; mỗi thôn một thành viên.",
            )
            self.inspection_boards += [old, new]
            self.commune_boards[commune.pk] = (old, new)
            old_members = [
                self._member(
                    old,
                    started_on=old_start,
                    role=role,
                    hamlet=hamlet,
                    ended_on=old.term_end,
                    end_reason=EndReason.HET_NHIEM_KY,
                )
                for role, hamlet in zip(self._roles(len(seats)), seats, strict=True)
            ]
            rng.shuffle(seats)
            current = []
            for role, hamlet in zip(self._roles(len(seats)), seats, strict=True):
                # About four in ten were re-elected for the same hamlet.
                before = next((m for m in old_members if m.hamlet == hamlet and hamlet), None)
                again = before and rng.random() < 0.4
                extra = {"full_name": before.full_name, "gender": before.gender} if again else {}
                current.append(self._member(new, started_on=new_start, role=role, hamlet=hamlet, **extra))
            self._replace_some(new, current, start=new_start, p=0.3, reasons=reasons, female_share=0.35)

    def inspection_supervisions(self) -> None:
        rng = self.rng
        communes = [c for c in self.communes if c.pk in self.commune_boards]
        # At least three per commune in three years; the rest wherever the boards are most active.
        picks = communes * 3 + rng.choices(communes, k=INSPECTION_SUPERVISIONS - 3 * len(communes))
        fields = list(INSPECTION_SUBJECTS)
        weights = [INSPECTION_SUBJECTS[f][0] for f in fields]
        for commune in picks:
            held_on = self._day(START, END)
            old, new = self.commune_boards[commune.pk]
            board = new if held_on >= new.term_start else old
            field = rng.choices(fields, weights=weights)[0]
            hamlet = rng.choice(self.hamlets[commune.pk]) if self.hamlets[commune.pk] else None
            ctx = {
                "xom": _lower_first(hamlet.name) if hamlet else "khu trung tâm",
                "xa": _lower_first(commune.name),
                "year": held_on.year,
            }
            subject = rng.choice(INSPECTION_SUBJECTS[field][1]).format(**ctx)
            findings = rng.choices(range(6), weights=[18, 28, 24, 15, 9, 6])[0]
            violations = rng.randint(0, findings) if rng.random() < 0.55 else 0
            recommendations = max(violations, findings - rng.randint(0, 1)) if findings else 0
            age = (END - held_on).days
            resolved = recommendations if age > 240 and rng.random() < 0.85 else rng.randint(0, recommendations)
            money = Decimal(0)
            land = Decimal(0)
            if violations and field in (SupervisionField.CHINH_SACH, SupervisionField.THU_CHI) and rng.random() < 0.6:
                money = _money(rng.uniform(1.5, 38) * MILLION, 100_000)
            if violations and field == SupervisionField.DAT_DAI and rng.random() < 0.35:
                land = Decimal(rng.randrange(300, 6000)) / 10
            self.activities.append(
                SupervisionActivity(
                    unit=commune,
                    inspection_board=board,
                    held_on=held_on,
                    subject=subject,
                    field=field,
                    findings_count=findings,
                    violations_count=violations,
                    recommendations_count=recommendations,
                    recommendations_resolved=resolved,
                    money_recovered=money,
                    land_recovered_m2=land,
                    other_measures=INSPECTION_MEASURES[field].format(**ctx) if recommendations else "",
                )
            )

    # --- people's inspection boards of agencies ----------------------------------------------
    def agency_boards(self) -> None:
        """Boards elected at the staff (workers') conference for 2024, held early in 2025."""
        rng = self.rng
        held = {c.unit_id: c.held_on for c in self.conferences if c.year == 2024 and c.mode == "dinh_ky"}
        eligible = [
            a
            for a in self.agencies
            if a.staff_count
            and a.staff_count > 7
            and a.has_union
            and a.kind != UnitKind.ENTERPRISE
            and not a.name.startswith(("Ủy ban nhân dân", "Công an"))
            and a.parent_id != self.town.pk  # the town's Biểu 04 starts empty for xa.vuban
        ]
        chosen = sorted(rng.sample(eligible, min(AGENCY_BOARDS, len(eligible))), key=lambda a: a.code)
        small = [a for a in chosen if a.staff_count <= 20]
        short_handed = set(rng.sample(small, min(2, len(small))))  # the "3–9 members" check shows
        reasons = {EndReason.XIN_THOI: 3, EndReason.CHUYEN_NOI_O: 4, EndReason.KHAC: 1}
        for agency in chosen:
            start = held.get(agency.pk) or self._day(dt.date(2025, 1, 6), dt.date(2025, 3, 20))
            board = InspectionBoard(
                unit=agency,
                term_start=start,
                decision_no=self._decision("CĐCS"),
                decision_date=start + dt.timedelta(days=rng.randint(0, 6)),
                note="Bầu tại Hội nghị cán bộ, công chức, viên chức năm 2025; nhiệm kỳ 2 năm.",
            )
            if agency.kind in ENTERPRISE_KINDS:
                board.note = "Bầu tại Hội nghị người lao động năm 2025; nhiệm kỳ 2 năm."
            self.inspection_boards.append(board)
            staff = agency.staff_count
            if staff <= 15 or agency in short_handed:
                n = 3
            else:
                n = rng.randint(3, 5) if staff <= 40 else rng.randint(5, 7) if staff <= 120 else 9
            female = 0.6 if agency.name.startswith(("Trường", "Trạm Y tế", "Trung tâm Y tế")) else 0.35
            members = [self._member(board, started_on=start, role=role, female_share=female) for role in self._roles(n)]
            if agency in short_handed:
                # One member left and nobody has been elected in their place yet: 2 of 3.
                leaver = members[-1]
                leaver.ended_on = self._day(start + dt.timedelta(days=120), END - dt.timedelta(days=30))
                leaver.end_reason = EndReason.CHUYEN_NOI_O
            else:
                self._replace_some(board, members, start=start, p=0.2, reasons=reasons, female_share=female)

    # --- community investment supervision ------------------------------------------------------
    def projects_all(self) -> None:
        rng = self.rng
        # One people-funded work per commune (24) and 115 state-budget works, at least 3 each.
        state = self.communes * 3 + rng.choices(self.communes, k=STATE_BUDGET_WORKS - 3 * len(self.communes))
        people = list(self.communes)  # 24 communes: PEOPLE_FUNDED_WORKS
        plan = [(c, NSNN) for c in state] + [(c, CONG_DONG) for c in people]
        rng.shuffle(plan)
        # The town's account records its own supervision on a people-funded work: keep one of
        # each kind of work in the town under way, with its board still working.
        town_ongoing = {NSNN: False, CONG_DONG: False}
        used: set[tuple[int, str]] = set()
        for commune, funding in plan:
            ongoing = commune == self.town and not town_ongoing[funding]
            if ongoing:
                town_ongoing[funding] = True
            self._project(commune, funding, used, ongoing=ongoing)

    def _project(self, commune: Unit, funding: str, used: set, *, ongoing: bool) -> None:
        rng = self.rng
        hamlets = self.hamlets[commune.pk]
        works = STATE_WORKS if funding == NSNN else PEOPLE_WORKS
        for _attempt in range(20):
            template, _w, (low, high) = rng.choices(works, weights=[w for _t, w, _r in works])[0]
            pair = rng.sample(hamlets, 2) if len(hamlets) > 1 else hamlets * 2
            ctx = {
                "xom": _lower_first(pair[0].name),
                "xom2": _lower_first(pair[1].name),
                "xa": _lower_first(commune.name),
                "short": _short(commune),
            }
            name = template.format(**ctx)
            if (commune.pk, name) not in used:
                break
        used.add((commune.pk, name))
        served = pair[:2] if "{xom2}" in template else pair[:1]
        if "{xom}" not in template:
            served = []
        total = _money(rng.uniform(low, high) * 1000 * MILLION)
        if funding == NSNN:
            # State budget with the people's counterpart share usual in new-rural-area works.
            share = 1.0 if rng.random() < 0.45 else rng.uniform(0.75, 0.97)
            state_budget = min(total, _money(float(total) * share))
            people_money, other = total - state_budget, Decimal(0)
            labour_days = rng.randrange(50, 600, 10) if people_money else 0
        else:
            state_budget = _money(float(total) * rng.uniform(0.1, 0.3)) if rng.random() < 0.5 else Decimal(0)
            other = _money(float(total) * rng.uniform(0.05, 0.2)) if rng.random() < 0.35 else Decimal(0)
            people_money = total - state_budget - other
            labour_days = rng.randrange(150, 1500, 10)
        if ongoing:
            start_on = self._day(dt.date(2026, 7, 1), dt.date(2026, 9, 15))
            end_on = None
        else:
            start_on = self._day(dt.date(2023, 11, 20), dt.date(2026, 9, 30))
            days = rng.randint(45, 150) if funding == CONG_DONG else rng.randint(90, 330)
            end_on = start_on + dt.timedelta(days=days)
            end_on = end_on if end_on <= END - dt.timedelta(days=5) else None
        project = InvestmentProject(
            unit=commune,
            name=name,
            funding_source=funding,
            total_value=total,
            state_budget=state_budget,
            people_money=people_money,
            labour_days=labour_days,
            other_value=other,
            investor=f"UBND {_commune_type(commune)} {_short(commune)}",
            start_on=start_on,
            end_on=end_on,
        )
        self.projects.append(project)
        self.project_hamlets.append((project, served))

        established = max(START, _weekday(start_on - dt.timedelta(days=rng.randint(7, 25))))
        dissolved = None
        if end_on and end_on + dt.timedelta(days=70) <= END and rng.random() < 0.7:
            dissolved = _weekday(end_on + dt.timedelta(days=rng.randint(15, 60)))
        board = CommunityBoard(
            unit=commune,
            project=project,
            established_on=established,
            decision_no=self._decision("MTTQ"),
            dissolved_on=dissolved,
        )
        self.community_boards.append(board)
        # MTTQ representative as head, a people's inspection board member, residents of the hamlets.
        n = rng.choices([5, 6, 7], weights=[5, 3, 2])[0]
        seats = [None] + [rng.choice(served or hamlets or [None]) for _ in range(n - 1)]
        members = [
            self._member(board, started_on=established, role=role, hamlet=hamlet)
            for role, hamlet in zip(self._roles(n), seats, strict=True)
        ]
        last = min(END, end_on or END) - dt.timedelta(days=30)
        self._replace_some(
            board,
            members,
            start=established,
            p=0.08,
            reasons={EndReason.XIN_THOI: 2, EndReason.CHUYEN_NOI_O: 1},
            female_share=0.35,
            last_end=last,
        )
        self._community_supervision(commune, board, project)

    def _community_supervision(self, commune, board, project) -> None:
        rng = self.rng
        first = project.start_on + dt.timedelta(days=20)
        last = min(project.end_on or END, END)
        held_on = self._day(first, max(first, last))
        held_on = min(held_on, END)
        fields = list(COMMUNITY_SUBJECTS)
        column = 0 if project.funding_source == NSNN else 1
        field = rng.choices(fields, weights=[COMMUNITY_SUBJECTS[f][column] for f in fields])[0]
        findings = rng.choices(range(5), weights=[25, 30, 25, 12, 8])[0]
        violations = rng.randint(0, findings) if rng.random() < 0.5 else 0
        recommendations = max(violations, findings)
        age = (END - held_on).days
        resolved = recommendations if age > 180 and rng.random() < 0.9 else rng.randint(0, recommendations)
        settlement = Decimal(0)
        money = Decimal(0)
        if violations and project.funding_source == NSNN and rng.random() < 0.45:
            settlement = _money(float(project.total_value) * rng.uniform(0.005, 0.04), 100_000)
        if violations and field == SupervisionField.THU_CHI and rng.random() < 0.5:
            money = _money(rng.uniform(2, 25) * MILLION, 100_000)
        measures = COMMUNITY_MEASURES[field] if recommendations else ""
        measures = SETTLEMENT_MEASURE if settlement else measures
        self.activities.append(
            SupervisionActivity(
                unit=commune,
                community_board=board,
                project=project,
                held_on=held_on,
                subject=COMMUNITY_SUBJECTS[field][2].format(name=_lower_first(project.name)),
                field=field,
                findings_count=findings,
                violations_count=violations,
                recommendations_count=recommendations,
                recommendations_resolved=resolved,
                money_recovered=money,
                settlement_reduced=settlement,
                other_measures=measures,
                created_by=self.vuban_user if commune == self.town else None,
            )
        )

    # --- workplace conferences ------------------------------------------------------------------
    def conferences_all(self) -> None:
        rng = self.rng
        for agency in self.agencies:
            enterprise = agency.kind in ENTERPRISE_KINDS
            kind = WorkplaceConference.Kind.NLD if enterprise else WorkplaceConference.Kind.CBCCVC
            staff = agency.staff_count or 10
            for year in CONFERENCE_YEARS:
                if rng.random() < P_NO_CONFERENCE:
                    continue  # none recorded: listed on "conference-missing"
                if rng.random() < P_LATE_CONFERENCE:
                    held_on = self._day(dt.date(year + 1, 4, 2), dt.date(year + 1, 5, 29))
                else:
                    held_on = self._day(dt.date(year + 1, 1, 5), dt.date(year + 1, 3, 27))
                self.conferences.append(self._conference(agency, kind, year, held_on, staff))
            if not enterprise and rng.random() < 0.04:
                # An extraordinary conference, e.g. on the 2025 reorganisation.
                held_on = self._day(dt.date(2025, 4, 1), dt.date(2025, 9, 30))
                conference = self._conference(agency, kind, 2025, held_on, staff)
                conference.mode = WorkplaceConference.Mode.BAT_THUONG
                self.conferences.append(conference)

    def _conference(self, agency, kind, year, held_on, staff) -> WorkplaceConference:
        rng = self.rng
        delegates = staff > 100
        participants = min(staff, rng.randint(45, 90)) if delegates else max(1, round(staff * rng.uniform(0.82, 1.0)))
        return WorkplaceConference(
            unit=agency,
            kind=kind,
            mode=WorkplaceConference.Mode.DINH_KY,
            form=WorkplaceConference.Form.DAI_BIEU if delegates else WorkplaceConference.Form.TOAN_THE,
            held_on=held_on,
            year=year,
            participants=participants,
        )

    # --- village conventions --------------------------------------------------------------------
    def conventions_all(self) -> None:
        rng = self.rng
        status = VillageConvention.Status
        for commune in self.communes:
            for hamlet in self.hamlets[commune.pk]:
                if hamlet.official_type == OfficialType.TO_DAN_PHO:
                    kind = VillageConvention.Kind.QUY_UOC
                else:
                    kind = VillageConvention.Kind.HUONG_UOC if rng.random() < 0.8 else VillageConvention.Kind.QUY_UOC
                title = f"{CONVENTION_KIND_LABEL[kind]} {_lower_first(hamlet.name)}"
                households = rng.randint(60, 250)
                r = rng.random()
                if r < 0.04:
                    continue  # none yet
                if r < 0.09:
                    # A first convention being drafted.
                    self._draft(hamlet, kind, title, households)
                    continue
                if r < 0.13:
                    old = self._adopted(hamlet, kind, title, households, dt.date(2019, 3, 1), dt.date(2022, 12, 31))
                    old.status = status.TAM_NGUNG
                    old.status_changed_on = self._day(dt.date(2024, 1, 8), dt.date(2026, 10, 30))
                    continue
                if r < 0.25:
                    # Amended or replaced to follow NĐ 61/2023; the new text is in force.
                    old = self._adopted(hamlet, kind, title, households, dt.date(2019, 3, 1), dt.date(2021, 12, 31))
                    new = self._adopted(hamlet, kind, title, households, dt.date(2024, 3, 1), dt.date(2025, 12, 20))
                    old.status = status.SUA_DOI if rng.random() < 0.5 else status.THAY_THE
                    old.status_changed_on = new.recognised_on
                    new.replaces = old
                    if old.status == status.SUA_DOI:
                        new.title = f"{title} (sửa đổi, bổ sung năm {new.recognised_on.year})"
                    continue
                self._adopted(hamlet, kind, title, households, dt.date(2019, 3, 1), dt.date(2025, 12, 20))
                if rng.random() < 0.03:
                    self._draft(hamlet, kind, f"{title} (dự thảo sửa đổi)", households)

    def _adopted(self, hamlet, kind, title, households, first, last) -> VillageConvention:
        rng = self.rng
        recognised = self._day(first, last)
        adopted = recognised - dt.timedelta(days=rng.randint(8, 30))
        approving = round(households * rng.uniform(0.55, 0.95))
        convention = VillageConvention(
            hamlet=hamlet,
            kind=kind,
            title=title,
            draft_posted_on=adopted - dt.timedelta(days=rng.randint(30, 45)),
            adopted_on=adopted,
            households_total=households,
            households_approving=max(approving, households // 2 + 1),
            recognition_decision_no=self._decision("UBND"),
            recognised_on=recognised,
            status=VillageConvention.Status.HIEU_LUC,
        )
        self.conventions.append(convention)
        return convention

    def _draft(self, hamlet, kind, title, households) -> None:
        self.conventions.append(
            VillageConvention(
                hamlet=hamlet,
                kind=kind,
                title=title,
                draft_posted_on=self._day(dt.date(2026, 8, 3), dt.date(2026, 11, 6)),
                households_total=households,
                status=VillageConvention.Status.DU_THAO,
            )
        )

    # --- writing --------------------------------------------------------------------------------
    def write(self) -> None:
        InspectionBoard.objects.bulk_create(self.inspection_boards, batch_size=500)
        InvestmentProject.objects.bulk_create(self.projects, batch_size=500)
        Through = InvestmentProject.hamlets.through
        Through.objects.bulk_create(
            [Through(investmentproject=p, unit=h) for p, hamlets in self.project_hamlets for h in hamlets],
            batch_size=1000,
        )
        CommunityBoard.objects.bulk_create(self.community_boards, batch_size=500)
        BoardMember.objects.bulk_create(self.members, batch_size=1000)
        SupervisionActivity.objects.bulk_create(self.activities, batch_size=500)
        WorkplaceConference.objects.bulk_create(self.conferences, batch_size=1000)
        # The replaced texts first, so that "replaces" can point at them.
        VillageConvention.objects.bulk_create([c for c in self.conventions if c.replaces is None], batch_size=1000)
        VillageConvention.objects.bulk_create([c for c in self.conventions if c.replaces is not None], batch_size=1000)


def _vn(n, digits: int = 0) -> str:
    """1234567 -> "1.234.567", (1584.9, 1) -> "1.584,9"."""
    return f"{n:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _summary(district: Unit, created: bool) -> list[str]:
    from boards.selectors import community_figures, convention_figures, inspection_figures, workplace_figures

    ins = inspection_figures(district, START, END)
    com = community_figures(district, START, END)
    work = workplace_figures(district, START, END, year=2025)
    conv = convention_figures(district, START, END)
    boards = InspectionBoard.objects.filter(unit__path__startswith=district.path, term_end__isnull=True)
    commune_boards = boards.filter(unit__kind=UnitKind.COMMUNE).count()
    town = legacy(COMMUNE_CODE)
    town_note = (
        "Thị trấn Vụ Bản chưa có, để tài khoản xa.vuban tự đăng ký"
        if not InspectionBoard.objects.filter(unit=town).exists()
        else "kể cả Thị trấn Vụ Bản"
    )
    head = "Ban Thanh tra nhân dân, giám sát đầu tư cộng đồng, hội nghị cơ quan, hương ước huyện Lạc Sơn"
    head += ": tạo mới" if created else ": đã có sẵn, không tạo thêm"
    return [
        head,
        f"Ban Thanh tra nhân dân đang hoạt động: {commune_boards} ở xã, thị trấn ({town_note}), "
        f"{boards.count() - commune_boards} ở cơ quan, đơn vị; {ins['members']} thành viên",
        f"Giám sát của Ban Thanh tra nhân dân (1/11/2023 – 15/11/2026): {ins['supervisions']} cuộc "
        f"(xây dựng {ins['field_xay_dung']}, đất đai {ins['field_dat_dai']}, khiếu nại, tố cáo "
        f"{ins['field_khieu_nai_to_cao']}, chế độ chính sách {ins['field_che_do_chinh_sach']}), "
        f"thu hồi {_vn(ins['money_recovered'])} đồng và {_vn(ins['land_recovered_m2'], 1)} m² đất",
        f"Giám sát đầu tư của cộng đồng: {com['boards']} ban, {com['supervisions']} cuộc "
        f"({com['funding_ngan_sach_nha_nuoc']} công trình vốn ngân sách nhà nước, "
        f"{com['funding_von_cong_suc_cong_dong']} công trình do Nhân dân đóng góp), "
        f"giảm trừ quyết toán {_vn(com['settlement_reduced'])} đồng",
        f"Hội nghị năm 2025: {work['agencies_with_conference']}/{work['agencies_total']} cơ quan, đơn vị "
        f"tổ chức Hội nghị CBCCVC, {work['enterprises_with_conference']}/{work['enterprises_total']} doanh nghiệp "
        f"tổ chức Hội nghị người lao động, {work['late_conferences']} hội nghị tổ chức muộn",
        f"Hương ước, quy ước: {conv['hamlets_with_convention']}/{conv['hamlets_total']} thôn, tổ dân phố "
        f"có hương ước, quy ước đang có hiệu lực; sửa đổi, thay thế {conv['amended_or_replaced']}, "
        f"tạm ngừng {conv['suspended']} (1/11/2023 – 15/11/2026)",
    ]


def seed(log) -> list[str]:
    district = legacy(DISTRICT_CODE)
    if InspectionBoard.objects.filter(unit__path__startswith=district.path).exists():
        return _summary(district, created=False)
    seeder = _Seeder(district, get_user_model().objects.filter(username="xa.vuban").first())
    seeder.commune_boards_all()
    seeder.inspection_supervisions()
    seeder.conferences_all()
    seeder.agency_boards()
    seeder.projects_all()
    seeder.conventions_all()
    seeder.write()
    return _summary(district, created=True)
