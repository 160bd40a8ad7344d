"""Synthetic dataset for the benchmark (RELIABILITY-PERFORMANCE.md B5): one province with its
districts, communes and agencies, one semiannual period, one report per commune and agency
with every indicator of its template filled (about 85% approved, 10% submitted, 5% draft),
one score sheet per reporting unit, and dialogue sessions with their petitions across the
period's data window and the same window a year earlier.

Deterministic: the same ``Spec`` (scale, seed, sizes) gives the same rows, drawn from one
``random.Random(seed)`` in a fixed order. About 1% of the unit names are hostile strings
(``=``, ``+``, ``@``, ``-``, tab, CR, a control character) and some names and petitions carry
legitimate "+84…" phone numbers, so the exporters' escaping is exercised at scale.

Rows are written in batches: ``COPY … FROM STDIN`` on PostgreSQL (with ids chosen here, the
sequences moved past them afterwards), ``bulk_create`` elsewhere (the toy size of
tests/test_bench.py runs on SQLite). The whole dataset is one transaction, and a row of the
``bench_dataset`` marker table, written last, says it is complete: ``ensure`` reuses it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import io
import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import Max

from bench.scales import SCALES
from criteria.models import APPLIES_TO_KINDS, AppliesTo, ClassificationBand, CriteriaSet, ScoreSheet
from dialogues.models import DialogueSession, Petition
from qcdc_portal.lib.text import fold
from reports import services
from reports.catalogue import install_defaults
from reports.models import ReportingPeriod, ReportStatus, ReportValue, UnitReport
from units.models import ENTERPRISE_KINDS, CodeList, Grant, Unit, UnitKind

GENERATOR_VERSION = 1  # bump when the rows drawn for a Spec change: a new dataset is generated
DEFAULT_SEED = 20261204
MARKER_TABLE = "bench_dataset"
CHUNK = 20_000  # rows per COPY (or per group of bulk_create batches)


TZ = dt.timezone(dt.timedelta(hours=7))  # Asia/Ho_Chi_Minh has no DST: a fixed offset is exact
NOW = dt.datetime(2026, 6, 20, 9, 0, tzinfo=TZ)
PERIOD = {
    "kind": ReportingPeriod.Kind.SEMIANNUAL,
    "year": 2026,
    "label": "Báo cáo 6 tháng đầu năm 2026 (dữ liệu thử)",
    "data_start": dt.date(2025, 10, 16),
    "data_end": dt.date(2026, 5, 15),
    "due_date": dt.date(2026, 5, 15),
    "lock_date": dt.date(2026, 6, 14),
}
RECORDS_FROM = dt.date(2024, 10, 16)  # the same window one year earlier (the dashboard's year on year)

# --- Words -------------------------------------------------------------------------------------

SYLLABLES = (  # noqa: SIM905  (a word list reads better as one string)
    "An Bình Cường Đông Hòa Hưng Lạc Long Minh Nghĩa Phú Quang Sơn Tân Thành Thịnh Tiến Trung Văn "
    "Vĩnh Xuân Yên Kim Bảo Đức Hải Hợp Mỹ Ngọc Phúc Lộc Thượng Hạ Đồng Lâm Khánh Thuận Quý Hiệp"
).split()
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Bạch Quách".split()  # noqa: SIM905
GIVEN = "Văn Bình|Thị Hoa|Minh Đức|Thị Lan|Quốc Hùng|Thu Hà|Đình Phúc|Ngọc Ánh|Văn Tư|Thị Mận".split("|")  # noqa: SIM905
TOPICS = [
    "Đối thoại về bồi thường, hỗ trợ giải phóng mặt bằng",
    "Tiếp xúc cử tri định kỳ",
    "Đối thoại về thực hiện chính sách an sinh xã hội",
    "Đối thoại về ô nhiễm môi trường tại cụm công nghiệp",
    "Đối thoại định kỳ tại nơi làm việc",
    "Lấy ý kiến Nhân dân về quy hoạch sử dụng đất",
    "Đối thoại về nâng cấp đường giao thông nông thôn",
]
CONTENTS = [
    "Đề nghị sớm cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân thôn {p}.",
    "Kiến nghị sửa chữa tuyến đường liên thôn xuống cấp, đi lại khó khăn.",
    "Đề nghị công khai danh sách hộ nghèo, cận nghèo năm {y}.",
    "Phản ánh tình trạng xả thải gây ô nhiễm nguồn nước tại khu vực {p}.",
    "Đề nghị tăng cường bảo đảm an ninh trật tự khu dân cư.",
    "Kiến nghị hỗ trợ giống cây trồng sau thiên tai.",
    "Đề nghị giải thích rõ mức thu các khoản đóng góp tự nguyện.",
]
PETITION_FIELDS = ["dat_dai", "xay_dung", "chinh_sach_xa_hoi", "moi_truong", "ha_tang", "khac"]
PETITION_STATUS = [("resolved", 45), ("explained", 15), ("transferred", 5), ("in_progress", 15), ("assigned", 10)]
PETITION_STATUS += [("new", 10)]
# Strings a spreadsheet would run as formulas, plus tab/CR/control characters (openpyxl refuses
# the latter), and legitimate numbers starting with "+84". ``{n}`` keeps the names distinct.
HOSTILE = [
    "=1+1 Xã {n}",
    "+84 912 345 {n:03d}",
    "-2 Thôn {n}",
    "@SUM(A1:A2) {n}",
    "\tTab đầu {n}",
    "\rCR đầu {n}",
    '=HYPERLINK("http://x.invalid","Bấm {n}")',
    "=cmd|' /C calc'!A{n}",
    "Công ty chuông\x07báo {n}",
    "{{=A1}} {n}",
]
AGENCY_KINDS_WEIGHTED = [
    (UnitKind.STATE_AGENCY, 20),
    (UnitKind.PUBLIC_SERVICE, 35),
    (UnitKind.SOE, 5),
    (UnitKind.ENTERPRISE, 35),
    (UnitKind.OTHER_ORG, 5),
]
AGENCY_NAMES = {
    UnitKind.STATE_AGENCY: ["Phòng Tài chính – Kế hoạch {p}", "Phòng Nội vụ {p}", "Chi cục Thuế {p}"],
    UnitKind.PUBLIC_SERVICE: ["Trường Tiểu học {p}", "Trường Mầm non {p}", "Trạm Y tế {p}", "Trường THCS {p}"],
    UnitKind.SOE: ["Công ty TNHH MTV Thủy lợi {p}", "Công ty TNHH MTV Lâm nghiệp {p}"],
    UnitKind.ENTERPRISE: ["Công ty Cổ phần {p}", "Công ty TNHH May {p}", "Công ty TNHH Dịch vụ +84 {p}"],
    UnitKind.OTHER_ORG: ["Hội Nông dân {p}", "Hợp tác xã {p}"],
}
COMMUNE_TYPES = [("xa", "Xã", 80, 3), ("phuong", "Phường", 15, 6), ("thi_tran", "Thị trấn", 5, 4)]
BANDS = [("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0)]


# --- What to generate ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    scale: str
    seed: int
    districts: int
    communes: int
    agencies: int
    records: int  # dialogue sessions + petitions
    hostile_share: float = 0.01

    @classmethod
    def of(cls, scale: str, seed: int = DEFAULT_SEED, **overrides) -> Spec:
        if scale not in SCALES:
            raise ValueError(f"unknown scale {scale!r} (one of {', '.join(SCALES)})")
        return cls(scale=scale, seed=seed, **{**SCALES[scale], **overrides})

    @property
    def key(self) -> str:
        raw = json.dumps({**asdict(self), "v": GENERATOR_VERSION}, sort_keys=True)
        return f"{self.scale}-{self.seed}-{hashlib.sha256(raw.encode()).hexdigest()[:8]}"

    @property
    def tag(self) -> str:
        return self.key.rsplit("-", 1)[1]


@dataclass
class Dataset:
    key: str
    spec: dict
    province_id: int
    period_id: int
    district_id: int
    commune_id: int
    steering_user_id: int
    commune_user_id: int
    sizes: dict = field(default_factory=dict)
    seconds: float = 0.0
    created_at: str = ""
    reused: bool = False

    @property
    def province(self) -> Unit:
        return Unit.objects.get(pk=self.province_id)

    @property
    def period(self) -> ReportingPeriod:
        return ReportingPeriod.objects.select_related("province").get(pk=self.period_id)


MARKER_COLUMNS = [f.name for f in fields(Dataset) if f.name != "reused"]


def _marker_table() -> None:
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key VARCHAR(80) PRIMARY KEY, spec TEXT, "
            "province_id BIGINT, period_id BIGINT, district_id BIGINT, commune_id BIGINT, "
            "steering_user_id BIGINT, commune_user_id BIGINT, sizes TEXT, seconds DOUBLE PRECISION, "
            "created_at VARCHAR(40))"
        )


def find(spec: Spec) -> Dataset | None:
    """The complete dataset generated earlier for ``spec``, if any."""
    _marker_table()
    with connection.cursor() as cur:
        cur.execute(f"SELECT {', '.join(MARKER_COLUMNS)} FROM {MARKER_TABLE} WHERE key = %s", [spec.key])  # noqa: S608
        row = cur.fetchone()
    if row is None:
        return None
    data = dict(zip(MARKER_COLUMNS, row, strict=True))
    data["spec"], data["sizes"] = json.loads(data["spec"]), json.loads(data["sizes"])
    if not Unit.objects.filter(pk=data["province_id"]).exists():  # the rows were deleted by hand
        return None
    return Dataset(**data, reused=True)


def _mark(ds: Dataset) -> None:
    _marker_table()
    values = [getattr(ds, name) for name in MARKER_COLUMNS]
    values[MARKER_COLUMNS.index("spec")] = json.dumps(ds.spec, sort_keys=True)
    values[MARKER_COLUMNS.index("sizes")] = json.dumps(ds.sizes, sort_keys=True)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {MARKER_TABLE} WHERE key = %s", [ds.key])  # noqa: S608
        cur.execute(
            f"INSERT INTO {MARKER_TABLE} ({', '.join(MARKER_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(MARKER_COLUMNS))})",
            values,
        )


def ensure(spec: Spec, log: Callable[[str], None] = print) -> Dataset:
    """The dataset of ``spec``: reused when complete, else generated now."""
    found = find(spec)
    if found is not None:
        log(f"bench: dataset {spec.key} already generated ({found.created_at}); reusing it")
        return found
    return generate(spec, log)


# --- Writing rows --------------------------------------------------------------------------------


def _pg_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind in (list, dict):
        return _pg_text(json.dumps(value, ensure_ascii=False))
    if kind in (dt.date, dt.datetime):
        return value.isoformat()
    return str(value)


class Writer:
    """Inserts rows given as ``{attname: value}`` dicts (ids included), in batches."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}
        self._plans: dict[type, tuple] = {}

    def _plan(self, model: type[models.Model]):
        plan = self._plans.get(model)
        if plan is None:
            columns = []
            for f in model._meta.concrete_fields:
                if f.has_default():
                    fill = f.get_default()
                elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    fill = NOW
                elif f.null or f.primary_key:
                    fill = None
                elif isinstance(f, models.CharField | models.TextField | models.FileField) and f.blank:
                    fill = ""
                else:
                    fill = KeyError  # must be given
                columns.append((f.attname, f.column, fill))
            plan = self._plans[model] = columns
        return plan

    def ids_from(self, model: type[models.Model]) -> int:
        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def write(self, model: type[models.Model], rows: list[dict]) -> None:
        if not rows:
            return
        plan = self._plan(model)
        for attname, _column, fill in plan:
            if fill is KeyError and attname not in rows[0]:
                raise KeyError(f"{model.__name__}.{attname} has no value and no default")
        if self.postgres:
            buf = io.StringIO()
            for row in rows:
                buf.write("\t".join([_pg_text(row.get(a, f)) for a, _c, f in plan]))
                buf.write("\n")
            buf.seek(0)
            columns = ", ".join(connection.ops.quote_name(c) for _a, c, _f in plan)
            with connection.cursor() as cur:
                cur.cursor.copy_expert(
                    f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN", buf
                )
        else:
            model.objects.bulk_create(
                [model(**{a: row.get(a, f) for a, _c, f in plan}) for row in rows], batch_size=500
            )
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)

    def finish(self) -> None:
        """Move the PostgreSQL sequences past the ids chosen here."""
        if not self.postgres:
            return
        with connection.cursor() as cur:
            for model in self._plans:
                table = model._meta.db_table
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))",  # noqa: S608
                    [table],
                )


# --- Drawing ---------------------------------------------------------------------------------------


class Draw:
    """The seeded random choices, with cheap weighted picks (cumulative weights + bisect)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def weighted(self, pairs: list[tuple]) -> Callable[[], object]:
        values = [v for v, _w in pairs]
        cum, total = [], 0
        for _v, w in pairs:
            total += w
            cum.append(total)
        rnd = self.rng.random
        return lambda: values[bisect.bisect_right(cum, rnd() * total)]

    def place(self) -> str:
        return f"{self.rng.choice(SYLLABLES)} {self.rng.choice(SYLLABLES)}"

    def person(self) -> str:
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(GIVEN)}"


def _days(start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """Every day of the window, weighted 3× in the last 15 days of a quarter (reporting spikes)."""
    out, day = [], start
    while day <= end:
        spike = day.month in (3, 6, 9, 12) and day.day >= 16
        out.append((day, 3 if spike else 1))
        day += dt.timedelta(days=1)
    return out


class _Units:
    def __init__(self, province: Unit):
        self.province = province
        self.districts: list[int] = []
        self.communes: list[tuple[int, int]] = []  # (id, weight for records)
        self.agencies: list[tuple[int, str]] = []  # (id, kind)
        self.reporting: list[tuple[int, str]] = []  # (id, kind) in id order


def _name(d: Draw, spec: Spec, regular: str, n: int) -> str:
    if d.rng.random() < spec.hostile_share:
        return d.rng.choice(HOSTILE).format(n=n)
    return regular


def _units(spec: Spec, d: Draw, w: Writer) -> _Units:
    tag = spec.tag
    next_id = w.ids_from(Unit)
    province_id = next_id
    province_path = f"/{province_id}/"
    base = {"code_list": CodeList.LOCAL, "created_at": NOW, "updated_at": NOW}
    province_name = f"Tỉnh Thử Nghiệm ({spec.scale}, {tag})"
    w.write(
        Unit,
        [
            {
                **base,
                "id": province_id,
                "code": f"BENCH-{tag}",
                "name": province_name,
                "name_key": fold(province_name),
                "kind": UnitKind.PROVINCE,
                "official_type": "tinh",
                "parent_id": None,
                "path": province_path,
                "depth": 0,
            }
        ],
    )
    out = _Units(Unit.objects.get(pk=province_id))
    rows: list[dict] = []
    n = 0

    def add(name: str, kind: str, parent_id: int, parent_path: str, **extra) -> tuple[int, str]:
        nonlocal n, next_id
        n += 1
        next_id += 1
        path = f"{parent_path}{next_id}/"
        rows.append(
            {
                **base,
                "id": next_id,
                "code": f"{tag}-{n:06d}",
                "name": name,
                "name_key": fold(name),
                "kind": kind,
                "parent_id": parent_id,
                "path": path,
                "depth": path.count("/") - 2,
                **extra,
            }
        )
        return next_id, path

    district_paths = []
    for i in range(spec.districts):
        uid, path = add(
            f"Huyện {d.place()} {i + 1}", UnitKind.DISTRICT, province_id, province_path, official_type="huyen"
        )
        out.districts.append(uid)
        district_paths.append((uid, path))
    commune_type = d.weighted([((code, label, weight), share) for code, label, share, weight in COMMUNE_TYPES])
    commune_paths = []
    for i in range(spec.communes):
        code, label, weight = commune_type()
        parent_id, parent_path = (
            district_paths[i % len(district_paths)] if district_paths else (province_id, province_path)
        )
        name = _name(d, spec, f"{label} {d.place()} {i + 1}", n + 1)
        uid, path = add(name, UnitKind.COMMUNE, parent_id, parent_path, official_type=code)
        out.communes.append((uid, weight))
        commune_paths.append((uid, path, weight))
    # Agencies hang under the unit that manages them: 10% the province, 20% a district, 70% a
    # commune, urban communes (phường, thị trấn) getting more of them.
    agency_kind = d.weighted(AGENCY_KINDS_WEIGHTED)
    commune_pick = d.weighted([((uid, path), weight) for uid, path, weight in commune_paths]) if commune_paths else None
    for i in range(spec.agencies):
        kind = agency_kind()
        where = d.rng.random()
        if where < 0.1 or commune_pick is None:
            parent_id, parent_path = province_id, province_path
        elif where < 0.3 and district_paths:
            parent_id, parent_path = d.rng.choice(district_paths)
        else:
            parent_id, parent_path = commune_pick()
        regular = d.rng.choice(AGENCY_NAMES[kind]).format(p=d.place()) + f" {i + 1}"
        uid, _path = add(
            _name(d, spec, regular, n + 1),
            kind,
            parent_id,
            parent_path,
            staff_count=d.rng.randint(8, 600),
            has_union=d.rng.random() < 0.6,
        )
        out.agencies.append((uid, kind))
        if len(rows) >= CHUNK:
            w.write(Unit, rows)
            rows.clear()
    w.write(Unit, rows)
    out.reporting = [(uid, UnitKind.COMMUNE) for uid, _w in out.communes] + out.agencies
    out.reporting.sort()
    return out


def _criteria_sets(province: Unit) -> dict[str, tuple[int, list[tuple[str, Decimal]]]]:
    out = {}
    for applies_to, label in AppliesTo.choices:
        cs = CriteriaSet.objects.create(
            name=f"Bộ tiêu chí thử – {label}",
            province=province,
            applies_to=applies_to,
            year_from=2026,
            status=CriteriaSet.Status.PUBLISHED,
            is_illustrative=True,
        )
        bands = []
        for order, (band, minimum) in enumerate(BANDS, start=1):
            ClassificationBand.objects.create(criteria_set=cs, label=band, min_score=Decimal(minimum), order=order)
            bands.append((band, Decimal(minimum)))
        out[applies_to] = (cs.pk, bands)
    return out


def _band(bands: list[tuple[str, Decimal]], score: Decimal) -> str:
    return next((label for label, minimum in bands if score >= minimum), "")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def _reports(spec: Spec, d: Draw, w: Writer, units: _Units, period: ReportingPeriod) -> None:
    """One report per reporting unit with every indicator of its template, and a score sheet."""
    templates = {}
    for applies_to in {services.KIND_APPLIES_TO[kind] for _uid, kind in units.reporting}:
        template = services.template_for(Unit(kind=_kind_of(applies_to)), period)
        if template is None:
            raise RuntimeError(f"no template for {applies_to}")
        indicators = [(i.pk, i.code, i.value_type, i.source) for i in services.indicators_of(template, period)]
        templates[applies_to] = (template.pk, indicators)
    sets = _criteria_sets(units.province)
    status = d.weighted([(ReportStatus.APPROVED, 85), (ReportStatus.SUBMITTED, 10), (ReportStatus.DRAFT, 5)])
    rng = d.rng
    report_id, value_id, sheet_id = w.ids_from(UnitReport), w.ids_from(ReportValue), w.ids_from(ScoreSheet)
    reports: list[dict] = []
    values: list[dict] = []
    sheets: list[dict] = []
    due = period.due_date

    def flush():
        w.write(UnitReport, reports)
        w.write(ReportValue, values)
        w.write(ScoreSheet, sheets)
        reports.clear()
        values.clear()
        sheets.clear()

    for uid, kind in units.reporting:
        applies_to = services.KIND_APPLIES_TO[kind]
        template_id, indicators = templates[applies_to]
        state = status()
        sent = approved = None
        if state != ReportStatus.DRAFT:
            late = rng.randint(1, 20) if rng.random() < 0.1 else 0
            sent = _at(due - dt.timedelta(days=rng.randint(0, 9) - late), 9 + rng.randint(0, 8))
            if state == ReportStatus.APPROVED:
                approved = sent + dt.timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 6))
        reports.append(
            {
                "id": report_id,
                "unit_id": uid,
                "period_id": period.pk,
                "template_id": template_id,
                "status": state,
                "version": 3 if approved else 2 if sent else 1,
                "rounds": 1 if sent else 0,
                "first_submitted_at": sent,
                "submitted_at": sent,
                "approved_at": approved,
                "doc_number": f"{rng.randint(10, 250)}/BC-UBND" if sent else "",
                "created_at": _at(due - dt.timedelta(days=20), 8),
                "updated_at": approved or sent or NOW,
            }
        )
        for indicator_id, _code, value_type, source in indicators:
            if value_type == "percent":
                number = Decimal(rng.randint(400, 1000)) / 10
            elif value_type == "money":
                number = Decimal(rng.randint(5, 900) * 1_000_000)
            elif value_type == "decimal":
                number = Decimal(rng.randint(500, 1000)) / 10
            else:
                number = Decimal(rng.randint(0, 60))
            values.append(
                {
                    "id": value_id,
                    "report_id": report_id,
                    "indicator_id": indicator_id,
                    "computed": number if source else None,
                    "value": number,
                }
            )
            value_id += 1
        set_id, bands = sets[applies_to]
        self_total = Decimal(rng.randint(100, 200)) / 2
        review_total = self_total - Decimal(rng.choice([0, 0, 1, 2, 5])) / 2 if approved else None
        sheets.append(
            {
                "id": sheet_id,
                "unit_id": uid,
                "period_id": period.pk,
                "criteria_set_id": set_id,
                "status": ScoreSheet.Status.PUBLISHED
                if approved
                else ScoreSheet.Status.SUBMITTED
                if sent
                else ScoreSheet.Status.DRAFT,
                "self_total": self_total,
                "review_total": review_total,
                "self_class": _band(bands, self_total),
                "review_class": _band(bands, review_total) if review_total is not None else "",
                "submitted_at": sent,
                "reviewed_at": approved,
                "published_at": approved,
            }
        )
        report_id += 1
        sheet_id += 1
        if len(values) >= CHUNK:
            flush()
    flush()


def _kind_of(applies_to: str) -> str:
    return APPLIES_TO_KINDS[applies_to][0]


def _records(spec: Spec, d: Draw, w: Writer, units: _Units, today: dt.date) -> None:
    """Dialogue sessions and the petitions raised at them (1.5 per session on average), until
    ``spec.records`` rows, spread over both windows with end-of-quarter spikes."""
    rng = d.rng
    holders = [((uid, "commune"), weight * 3) for uid, weight in units.communes]
    holders += [((uid, "enterprise" if kind in ENTERPRISE_KINDS else "agency"), 1) for uid, kind in units.agencies]
    holder = d.weighted(holders)
    day = d.weighted(_days(RECORDS_FROM, PERIOD["data_end"]))
    chair = d.weighted([("chu_tich_ubnd", 5), ("bi_thu_cap_uy", 3), ("nguoi_dung_dau_co_quan", 2), ("khac", 1)])
    petition_status = d.weighted(PETITION_STATUS)
    session_id, petition_id = w.ids_from(DialogueSession), w.ids_from(Petition)
    sessions: list[dict] = []
    petitions: list[dict] = []
    written = 0
    while written < spec.records:
        (uid, level) = holder()
        held = day()
        at = _at(held, 10)
        participants = rng.randint(20, 300)
        enterprise = level == "enterprise"
        sessions.append(
            {
                "id": session_id,
                "unit_id": uid,
                "level": level,
                "held_on": held,
                "chair_role": "nguoi_su_dung_lao_dong" if enterprise else chair(),
                "chair_name": d.person(),
                "co_organizers": ["mttq", "hdnd"] if level == "commune" else ["cong_doan"],
                "scope": "toan_dien" if rng.random() < 0.6 else "chuyen_de",
                "trigger": "dinh_ky" if rng.random() < 0.7 else "theo_yeu_cau",
                "topic": rng.choice(TOPICS),
                "format": "truc_tiep",
                "participants": participants,
                "employer_reps": rng.randint(2, 6) if enterprise else None,
                "employee_reps": rng.randint(5, 30) if enterprise else None,
                "announced_on": held - dt.timedelta(days=rng.randint(5, 12)),
                "results_published_on": held + dt.timedelta(days=rng.randint(2, 14)) if rng.random() < 0.8 else None,
                "created_at": at,
                "updated_at": at,
            }
        )
        written += 1
        for _i in range(min(rng.choice((0, 1, 1, 2, 2, 3)), spec.records - written)):
            state = petition_status()
            closed = state in ("resolved", "explained", "transferred")
            content = rng.choice(CONTENTS).format(p=d.place(), y=held.year)
            if rng.random() < 0.02:
                content += f" Liên hệ: +84 9{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}."
            elif rng.random() < spec.hostile_share:
                content = rng.choice(HOSTILE).format(n=petition_id) + " " + content
            assigned = state != "new"
            petitions.append(
                {
                    "id": petition_id,
                    "unit_id": uid,
                    "session_id": session_id,
                    "raised_on": held,
                    "content": content,
                    "citizen_name": d.person(),
                    "field": rng.choice(PETITION_FIELDS),
                    "answered_at_session": rng.random() < 0.4,
                    "assignee_person": d.person() if assigned else "",
                    "task": "Kiểm tra, trả lời bằng văn bản" if assigned else "",
                    "deadline": held + dt.timedelta(days=rng.randint(30, 90)) if assigned else None,
                    "responsible_unit": "UBND cấp xã" if assigned else "",
                    "result": "Đã trả lời bằng văn bản" if closed else "",
                    "result_date": min(held + dt.timedelta(days=rng.randint(5, 60)), today) if closed else None,
                    "status": state,
                    "created_at": at,
                }
            )
            petition_id += 1
            written += 1
        session_id += 1
        if len(sessions) + len(petitions) >= CHUNK:
            w.write(DialogueSession, sessions)
            w.write(Petition, petitions)
            sessions.clear()
            petitions.clear()
    w.write(DialogueSession, sessions)
    w.write(Petition, petitions)


def _users(spec: Spec, units: _Units) -> tuple[int, int]:
    """A steering user of the province, and a reviewer of one commune only (for S7)."""
    User = get_user_model()  # noqa: N806
    steering = User.objects.create_user(username=f"bench.bcd.{spec.tag}", first_name="Ban Chỉ đạo (thử)")
    Grant.objects.create(user=steering, unit=units.province, role="steering")
    one = User.objects.create_user(username=f"bench.xa.{spec.tag}", first_name="Thẩm định một xã (thử)")
    Grant.objects.create(user=one, unit_id=units.communes[0][0], role="reviewer")
    return steering.pk, one.pk


def generate(spec: Spec, log: Callable[[str], None] = print) -> Dataset:
    """Generate ``spec``'s dataset in one transaction and mark it complete."""
    started = time.monotonic()
    log(
        f"bench: generating {spec.key}: {spec.districts} districts, {spec.communes} communes, "
        f"{spec.agencies} agencies, {spec.records} records"
    )
    d = Draw(spec.seed)
    w = Writer()
    with transaction.atomic():
        units = _units(spec, d, w)
        install_defaults(units.province)
        period = ReportingPeriod.objects.create(province=units.province, **PERIOD)
        steering_id, commune_user_id = _users(spec, units)
        _reports(spec, d, w, units, period)
        log(f"bench: units and reports written ({time.monotonic() - started:.1f} s)")
        _records(spec, d, w, units, today=NOW.date())
        w.finish()
        sizes = {
            "districts": len(units.districts),
            "communes": len(units.communes),
            "agencies": len(units.agencies),
            "reports": w.counts.get("reports.UnitReport", 0),
            "report_values": w.counts.get("reports.ReportValue", 0),
            "score_sheets": w.counts.get("criteria.ScoreSheet", 0),
            "dialogue_sessions": w.counts.get("dialogues.DialogueSession", 0),
            "petitions": w.counts.get("dialogues.Petition", 0),
            "reports_by_status": dict(
                UnitReport.objects.filter(period=period)
                .values_list("status")
                .annotate(n=models.Count("pk"))
                .order_by("status")
            ),
        }
        ds = Dataset(
            key=spec.key,
            spec=asdict(spec),
            province_id=units.province.pk,
            period_id=period.pk,
            district_id=units.districts[0] if units.districts else units.province.pk,
            commune_id=units.communes[0][0],
            steering_user_id=steering_id,
            commune_user_id=commune_user_id,
            sizes=sizes,
            seconds=round(time.monotonic() - started, 1),
            created_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
        _mark(ds)
    if w.postgres and not connection.in_atomic_block:  # VACUUM cannot run in a transaction (tests)
        with connection.cursor() as cur:
            for model in (Unit, UnitReport, ReportValue, ScoreSheet, DialogueSession, Petition):
                cur.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    ds.seconds = round(time.monotonic() - started, 1)
    log(f"bench: dataset {spec.key} generated in {ds.seconds} s: {_summary(sizes)}")
    return ds


def _summary(sizes: dict) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sizes.items() if isinstance(v, int))
