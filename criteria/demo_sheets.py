"""Demo score sheets for Lạc Sơn (called after the criteria sets are seeded, see criteria/demo.py).

Annual period 2025: every commune of Lạc Sơn and 30 agencies, public service units and
enterprises self-scored, were re-scored by the district's Ban Dân vận and published by the
provincial steering committee, with a realistic spread of classifications. One commune shows
the Bắc Kạn case of DOMAIN §5.1: self-scored 87 (Tốt), re-scored to 78 (Khá).

Annual period 2026 (self-scoring open until 15/12/2026; the demo's "today" is 22/11/2026): a
few communes are still self-scoring, three have submitted and wait for danvan.lacson, and
Thị trấn Vụ Bản has no sheet yet, so that the demo account xa.vuban creates its own.

Every score goes through criteria.services, so totals and classifications are the services'.
Evidence files are tiny placeholder PDFs, and only for a few sheets. Timestamps are moved to
plausible past dates afterwards (the services stamp "now"). Points, names and notes are
plausible, not real records.

Re-running creates nothing: if any score sheet exists under Lạc Sơn, the counts are reported.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from criteria import services
from criteria.models import CriteriaSet, Evidence, ScoreSheet
from reports.models import ReportingPeriod
from units.demo import COMMUNE_CODE, DISTRICT_CODE, PROVINCE_CODE, legacy
from units.models import Unit, UnitKind

SEED = 13
YEAR_DONE, YEAR_OPEN = 2025, 2026

# Review classes per band, best first (Xuất sắc, Tốt, Khá, Trung bình, Yếu with the default bands).
COMMUNE_SPREAD = (3, 7, 9, 4, 1)  # 24 communes
AGENCY_SPREAD = (4, 10, 11, 4, 1)  # 30 agencies, units and enterprises
AGENCIES = {  # how many of each kind are scored in 2025
    (UnitKind.STATE_AGENCY,): 12,
    (UnitKind.PUBLIC_SERVICE,): 12,
    (UnitKind.SOE, UnitKind.ENTERPRISE): 6,
}
# Police and military units follow their own sector's rules, not the district's criteria sets.
NOT_SCORED_PREFIXES = ("Công an", "Ban Chỉ huy Quân sự")
COMMUNES_WITH_FILES = 5  # 2025 sheets carrying their evidence files (Vụ Bản among them)
OPEN_SUBMITTED, OPEN_DRAFTS = 3, 5  # 2026 sheets
DONE_WHEN = (Decimal("87"), Decimal("78"))  # self, review: DOMAIN §5.1 (Ngân Sơn, Bắc Kạn)

SUBMIT_FROM_2025 = dt.date(2025, 10, 1)  # the 2025 self-scoring closed on 15/10/2025
REVIEW_FROM_2025 = dt.date(2025, 11, 3)
PUBLISHED_2025 = dt.date(2025, 12, 18)
SUBMITTED_2026 = (dt.date(2026, 11, 16), dt.date(2026, 11, 18), dt.date(2026, 11, 20))

PDF = b"%PDF-1.4\n% QCDC demo evidence\n%%EOF\n"

# Reviewer notes by a keyword of the criterion's title; the first match wins.
REVIEW_NOTES = [
    (
        ("đối thoại", "tiếp xúc"),
        ["Chưa có biên bản hội nghị đối thoại", "Biên bản đối thoại thiếu chữ ký đại diện Nhân dân"],
    ),
    (
        ("khiếu nại", "tiếp công dân", "tiếp dân"),
        ["Sổ tiếp công dân ghi chưa đầy đủ", "Còn đơn thư giải quyết quá thời hạn"],
    ),
    (
        ("cải cách hành chính", "một cửa", "dịch vụ công"),
        ["Tỷ lệ hồ sơ trễ hạn trên hệ thống một cửa cao hơn số liệu tự chấm", "Thiếu kế hoạch cải cách hành chính năm"],
    ),
    (("hài lòng",), ["Số phiếu khảo sát sự hài lòng chưa đủ theo hướng dẫn"]),
    (("văn hóa công sở", "ứng xử"), ["Chưa ban hành quy chế văn hóa công sở bằng văn bản"]),
    (("công khai",), ["Chưa công khai đủ nội dung theo Điều 11 Luật Thực hiện dân chủ ở cơ sở"]),
    (("hương ước", "quy ước"), ["Một số hương ước, quy ước chưa được rà soát theo quy định"]),
    (("thanh tra nhân dân", "giám sát"), ["Ban Thanh tra nhân dân chưa có báo cáo hoạt động 6 tháng"]),
    (("hội nghị",), ["Chưa có nghị quyết hội nghị cán bộ, công chức, viên chức năm 2025"]),
    (
        ("dân chủ", "tuyên truyền", "chỉ đạo", "lãnh đạo"),
        ["Chưa có kế hoạch thực hiện dân chủ ở cơ sở năm 2025 bằng văn bản", "Thiếu tài liệu tuyên truyền, tập huấn"],
    ),
    (("báo cáo",), ["Báo cáo gửi chậm so với thời hạn"]),
]
GENERIC_NOTES = [
    "Minh chứng chưa đầy đủ so với yêu cầu của tiêu chí",
    "Số liệu tự chấm chưa khớp với báo cáo năm",
    "Tự chấm cao hơn kết quả đối chiếu hồ sơ lưu",
]
RAISE_NOTE = "Đơn vị bổ sung minh chứng khi thẩm định; cộng điểm"
SELF_NOTES = [
    "Theo báo cáo kết quả thực hiện năm",
    "Có kế hoạch, biên bản kèm theo",
    "Đã thực hiện đầy đủ theo kế hoạch",
    "Đạt một phần, còn tồn tại đã nêu trong báo cáo",
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _units(x: Decimal, step: Decimal, rounding) -> int:
    return int((x / step).to_integral_value(rounding=rounding))


def _review_note(title: str, rng: random.Random) -> str:
    low = title.lower()
    for keys, notes in REVIEW_NOTES:
        if any(k in low for k in keys):
            return rng.choice(notes)
    return rng.choice(GENERIC_NOTES)


class _SetInfo:
    """What the generator needs of a criteria set, read once."""

    def __init__(self, criteria_set: CriteriaSet):
        self.set = criteria_set
        self.step = criteria_set.score_step or Decimal("1")
        self.bands = list(criteria_set.bands.order_by("-min_score"))
        scored = criteria_set.criteria.filter(is_group=False)
        self.line_max = sum((c.max_points for c in scored), Decimal("0"))
        self.superior_max = criteria_set.superior_points_max

    def target_range(self, band_index: int) -> tuple[int, int]:
        """Review totals (in steps) that fall in the band: near the floor of the top band,
        not far under the next band for the lowest one."""
        s = self.step
        band = self.bands[band_index]
        top = self.line_max + self.superior_max
        if band_index == 0:
            lo, hi = band.min_score, min(band.min_score + 6, top)
        else:
            hi = self.bands[band_index - 1].min_score - s
            lo = max(band.min_score, hi - 11) if band_index == len(self.bands) - 1 else band.min_score
        return _units(lo, s, ROUND_CEILING), _units(hi, s, ROUND_FLOOR)


class _Seeder:
    def __init__(self, district: Unit):
        self.district = district
        self.rng = random.Random(SEED)
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=["danvan.lacson", "bcd.tinh", "xa.vuban"])
        }
        self.reviewer, self.steering, self.vuban = (users.get(n) for n in ("danvan.lacson", "bcd.tinh", "xa.vuban"))
        self.infos: dict[int, _SetInfo] = {}
        self.sets: dict[tuple[str, int], CriteriaSet | None] = {}

    # --- helpers -------------------------------------------------------------------------

    def set_for(self, unit: Unit, period: ReportingPeriod) -> CriteriaSet | None:
        key = (unit.kind, period.pk)
        if key not in self.sets:
            self.sets[key] = services.set_for(unit, period)
        return self.sets[key]

    def info(self, criteria_set: CriteriaSet) -> _SetInfo:
        if criteria_set.pk not in self.infos:
            self.infos[criteria_set.pk] = _SetInfo(criteria_set)
        return self.infos[criteria_set.pk]

    def actor(self, unit: Unit):
        return self.vuban if unit.code == COMMUNE_CODE else None

    def spread(self, maxes: list[int], total: int) -> list[int]:
        """Points (in steps) per line, each in 1..max, summing to ``total``."""
        rng, whole = self.rng, sum(maxes)
        total = max(len(maxes), min(total, whole))
        pts = [max(1, min(m, round(m * total / whole + rng.uniform(-0.12, 0.12) * m))) for m in maxes]
        diff = total - sum(pts)
        while diff:
            i = rng.randrange(len(pts))
            if diff > 0 and pts[i] < maxes[i]:
                pts[i], diff = pts[i] + 1, diff - 1
            elif diff < 0 and pts[i] > 1:
                pts[i], diff = pts[i] - 1, diff + 1
        return pts

    def self_from_review(self, review: list[int], maxes: list[int], step: Decimal, exact: int | None) -> list[int]:
        """Self points: the review points plus what the reviewer took off (``exact`` steps, or
        a random 0–3 lines of 1–5 points); now and then the reviewer gave a line more."""
        rng = self.rng
        own = list(review)
        if exact is None:
            lowered = rng.choices([0, 1, 2, 3], weights=[30, 38, 25, 7])[0]
            if lowered == 0 and rng.random() < 0.15:
                i = max(range(len(own)), key=lambda j: own[j])
                if own[i] > 1:
                    own[i] -= 1  # the reviewer accepted evidence added later: review above self
                return own
            budget = sum(
                max(1, _units(Decimal(rng.choice(["1", "1.5", "2", "2.5", "3", "4", "5"])), step, ROUND_CEILING))
                for _ in range(lowered)
            )
            lines = lowered
        else:
            budget, lines = exact, 3
        room = [i for i in range(len(own)) if own[i] < maxes[i]]
        rng.shuffle(room)
        room = room[:lines] or room
        while budget and room:
            for i in list(room):
                if not budget:
                    break
                if own[i] >= maxes[i]:
                    room.remove(i)
                    continue
                add = min(budget, maxes[i] - own[i], max(1, budget // max(1, len(room))))
                own[i], budget = own[i] + add, budget - add
            if budget and not room:
                room = [i for i in range(len(own)) if own[i] < maxes[i]]
        return own

    def plan(self, sheet: ScoreSheet, band_index: int, done_when: bool = False) -> tuple[dict, dict, Decimal | None]:
        """Self points, review points (with notes) and superior points for a sheet."""
        info, rng = self.info(sheet.criteria_set), self.rng
        s = info.step
        lines = list(sheet.lines.select_related("criterion").order_by("criterion__order", "pk"))
        maxes = [_units(ln.criterion.max_points, s, ROUND_FLOOR) for ln in lines]
        lo, hi = info.target_range(min(band_index, len(info.bands) - 1))
        total = rng.randint(lo, max(lo, hi))
        exact = None
        if done_when:
            total = _units(DONE_WHEN[1], s, ROUND_FLOOR)
            exact = _units(DONE_WHEN[0] - DONE_WHEN[1], s, ROUND_FLOOR)
        superior = 0
        sp_units = _units(info.superior_max, s, ROUND_FLOOR)
        if sp_units:
            superior = round(sp_units * total / _units(info.line_max + info.superior_max, s, ROUND_FLOOR))
            superior = max(0, min(sp_units, superior - rng.randint(0, 1), total - len(maxes)))
            superior = max(superior, total - sum(maxes))
        review = self.spread(maxes, total - superior)
        own = self.self_from_review(review, maxes, s, exact)
        self_points, review_points = {}, {}
        for ln, r, o in zip(lines, review, own, strict=True):
            note = rng.choice(SELF_NOTES) if rng.random() < 0.35 else ""
            self_points[ln.pk] = (o * s, note)
            if r < o:
                review_note = _review_note(ln.criterion.title, rng)
            elif r > o:
                review_note = RAISE_NOTE
            else:
                review_note = ""
            review_points[ln.pk] = (r * s, review_note)
        return self_points, review_points, (superior * s if info.superior_max else None)

    def add_evidence(self, sheet: ScoreSheet, uploaded_on: dt.date) -> None:
        actor = self.actor(sheet.unit)
        for line in sheet.lines.select_related("criterion").filter(criterion__evidence_required=True):
            code = line.criterion.code.replace(".", "-")
            upload = ContentFile(PDF, name=f"minh-chung-tieu-chi-{code}.pdf")
            services.evidence_add(actor=actor, line=line, upload=upload, kind=Evidence.Kind.EVIDENCE)
        Evidence.objects.filter(line__sheet=sheet).update(uploaded_at=_at(uploaded_on, 15, self.rng.randint(0, 59)))

    # --- 2025: the whole cycle -------------------------------------------------------------

    def scored_units(
        self, period: ReportingPeriod
    ) -> tuple[list[tuple[Unit, CriteriaSet]], list[tuple[Unit, CriteriaSet]]]:
        rng = self.rng
        communes = list(Unit.objects.filter(parent=self.district, kind=UnitKind.COMMUNE).order_by("code"))
        agencies = []
        for kinds, n in AGENCIES.items():
            pool = [
                u
                for u in Unit.objects.filter(path__startswith=self.district.path, kind__in=kinds).order_by("code")
                if not u.name.startswith(NOT_SCORED_PREFIXES)
            ]
            agencies += sorted(rng.sample(pool, min(n, len(pool))), key=lambda u: u.code)
        with_set = []
        for group in (communes, agencies):
            with_set.append([(u, cs) for u in group if (cs := self.set_for(u, period))])
        return with_set[0], with_set[1]

    def classes(self, spread: tuple[int, ...], n: int) -> list[int]:
        out = [i for i, count in enumerate(spread) for _ in range(count)][:n]
        out += [2] * (n - len(out))  # more units than planned: "Khá"
        self.rng.shuffle(out)
        return out

    def year_done(self, period: ReportingPeriod) -> int:
        rng = self.rng
        communes, agencies = self.scored_units(period)
        with_files = {u.pk for u, _cs in communes if u.code == COMMUNE_CODE}
        others = [u.pk for u, _cs in communes if u.code != COMMUNE_CODE]
        with_files |= set(rng.sample(others, min(COMMUNES_WITH_FILES - len(with_files), len(others))))
        plan = list(zip(communes, self.classes(COMMUNE_SPREAD, len(communes)), strict=True))
        plan += zip(agencies, self.classes(AGENCY_SPREAD, len(agencies)), strict=True)
        done_when = next(
            (u.pk for (u, cs), c in plan if u.kind == UnitKind.COMMUNE and c == 2 and self._fits(cs)), None
        )
        sheets, stamps = [], {}
        for (unit, criteria_set), band_index in plan:
            actor = self.actor(unit)
            sheet = services.sheet_create(actor=actor, unit=unit, period=period, criteria_set=criteria_set)
            own, review, superior = self.plan(sheet, band_index, done_when=unit.pk == done_when)
            services.sheet_self_score(actor=actor, sheet=sheet, points=own)
            submitted = SUBMIT_FROM_2025 + dt.timedelta(days=rng.randint(0, 14))
            if unit.pk in with_files:
                self.add_evidence(sheet, submitted - dt.timedelta(days=1))
                services.sheet_submit(actor=actor, sheet=sheet, today=submitted)
            else:
                # No evidence files for most demo sheets, so sheet_submit would refuse them
                # ("Thiếu minh chứng"): the points went through the service above, the
                # submission is recorded directly.
                ScoreSheet.objects.filter(pk=sheet.pk).update(status=ScoreSheet.Status.SUBMITTED)
                sheet.status = ScoreSheet.Status.SUBMITTED
            services.sheet_review(actor=self.reviewer, sheet=sheet, points=review, superior_points=superior)
            reviewed = REVIEW_FROM_2025 + dt.timedelta(days=rng.randint(0, 25))
            stamps[sheet.pk] = (
                _at(submitted, rng.randint(8, 16), rng.randint(0, 59)),
                _at(reviewed, rng.randint(8, 16), rng.randint(0, 59)),
            )
            sheets.append(sheet)
        services.results_publish(actor=self.steering, sheets=sheets)
        for pk, (submitted_at, reviewed_at) in stamps.items():
            ScoreSheet.objects.filter(pk=pk).update(
                submitted_at=submitted_at, reviewed_at=reviewed_at, published_at=_at(PUBLISHED_2025, 9)
            )
        return len(sheets)

    def _fits(self, criteria_set: CriteriaSet) -> bool:
        """Whether the set can show self 87 (one band) re-scored to 78 (the next band down)."""
        info = self.info(criteria_set)
        if info.superior_max or info.line_max < DONE_WHEN[0] or len(info.bands) < 3:
            return False
        self_label, review_label = (
            services.classify(criteria_set, total, has_zero=False, bands=info.bands) for total in DONE_WHEN
        )
        return (self_label, review_label) == (info.bands[1].label, info.bands[2].label)

    # --- 2026: self-scoring under way --------------------------------------------------------

    def year_open(self, period: ReportingPeriod) -> int:
        rng = self.rng
        communes = [
            u
            for u in Unit.objects.filter(parent=self.district, kind=UnitKind.COMMUNE).order_by("code")
            if u.code != COMMUNE_CODE and self.set_for(u, period)
        ]
        picked = rng.sample(communes, min(OPEN_SUBMITTED + OPEN_DRAFTS, len(communes)))
        for i, unit in enumerate(picked):
            criteria_set = self.set_for(unit, period)
            sheet = services.sheet_create(actor=None, unit=unit, period=period, criteria_set=criteria_set)
            own, _review, _sp = self.plan(sheet, rng.choice([0, 1, 1, 2, 2, 2, 3]))
            if i < OPEN_SUBMITTED:
                services.sheet_self_score(actor=None, sheet=sheet, points=own)
                day = SUBMITTED_2026[i % len(SUBMITTED_2026)]
                self.add_evidence(sheet, day)
                services.sheet_submit(actor=None, sheet=sheet, today=day)
                ScoreSheet.objects.filter(pk=sheet.pk).update(submitted_at=_at(day, 16, rng.randint(0, 59)))
            elif i < OPEN_SUBMITTED + 2:
                services.sheet_self_score(actor=None, sheet=sheet, points=own)  # scored, evidence still missing
            else:
                first = dict(list(own.items())[: rng.randint(1, max(1, len(own) - 2))])
                services.sheet_self_score(actor=None, sheet=sheet, points=first)  # half way through
        return len(picked)


def _summary(district: Unit, done: ReportingPeriod, open_: ReportingPeriod, created: bool) -> list[str]:
    sheets = ScoreSheet.objects.filter(unit__path__startswith=district.path)
    published = sheets.filter(period=done, status=ScoreSheet.Status.PUBLISHED)
    counts = services.ranking_counts(published)
    order = ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    labels = [x for x in order if x in counts] + sorted(x for x in counts if x not in order)
    communes = published.filter(unit__kind=UnitKind.COMMUNE).count()
    head = "Chấm điểm thực hiện dân chủ ở cơ sở huyện Lạc Sơn"
    head += ": tạo mới" if created else ": đã có sẵn, không tạo thêm"
    waiting = sheets.filter(period=open_)
    town = legacy(COMMUNE_CODE)
    town_note = (
        "Thị trấn Vụ Bản chưa có phiếu, để tài khoản xa.vuban tự chấm"
        if not waiting.filter(unit=town).exists()
        else "kể cả Thị trấn Vụ Bản"
    )
    return [
        head,
        f"{done.label}: {published.count()} phiếu đã thẩm định, công bố ({communes} xã, thị trấn, "
        f"{published.count() - communes} cơ quan, đơn vị, doanh nghiệp): "
        + ", ".join(f"{label or 'chưa xếp loại'} {counts[label]}" for label in labels),
        f"{open_.label}: {waiting.filter(status=ScoreSheet.Status.DRAFT).count()} phiếu đang tự chấm, "
        f"{waiting.filter(status=ScoreSheet.Status.SUBMITTED).count()} phiếu đã gửi chờ thẩm định; {town_note}",
    ]


def seed_sheets(log) -> list[str]:
    province, district = legacy(PROVINCE_CODE), legacy(DISTRICT_CODE)
    annual = ReportingPeriod.objects.filter(province=province, kind=ReportingPeriod.Kind.ANNUAL)
    done, open_ = annual.filter(year=YEAR_DONE).first(), annual.filter(year=YEAR_OPEN).first()
    if done is None or open_ is None:
        return [f"Chấm điểm: tỉnh Hòa Bình chưa có kỳ báo cáo năm {YEAR_DONE}, {YEAR_OPEN}, bỏ qua"]
    if ScoreSheet.objects.filter(unit__path__startswith=district.path).exists():
        return _summary(district, done, open_, created=False)
    if services.set_for(legacy(COMMUNE_CODE), done) is None:
        return ["Chấm điểm: chưa có bộ tiêu chí đã ban hành cho xã, thị trấn tỉnh Hòa Bình, bỏ qua"]
    seeder = _Seeder(district)
    seeder.year_done(done)
    seeder.year_open(open_)
    return _summary(district, done, open_, created=True)
