"""The scoring rules of criteria/services.py, called directly (no views)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from criteria import services
from criteria.models import AppliesTo, ClassificationBand, CriteriaSet, Criterion, ScoreLine, ScoreSheet
from reports.models import ReportingPeriod
from tests.factories import UnitFactory
from units.models import UnitKind

D = Decimal
DEFAULT_BANDS = [("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0)]
# The Bắc Giang commune set (DOMAIN §5.2): 5 criteria, 100 points.
BAC_GIANG = [
    ("1", "Xây dựng và thực hiện quy chế dân chủ ở cơ sở", 20),
    ("2", "Công tác cải cách hành chính", 25),
    ("3", "Văn minh, văn hóa công sở", 20),
    ("4", "Tiếp xúc, đối thoại và giải quyết đơn thư", 15),
    ("5", "Mức độ hài lòng", 20),
]
DUE = dt.date(2025, 10, 15)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def make_set(
    province=None,
    *,
    criteria=BAC_GIANG,
    bands=DEFAULT_BANDS,
    applies_to=AppliesTo.COMMUNE,
    evidence=("4",),
    publish=True,
    **fields,
) -> CriteriaSet:
    fields.setdefault("name", "Chính quyền thân thiện")
    fields.setdefault("year_from", 2024)
    cs = CriteriaSet.objects.create(province=province, applies_to=applies_to, **fields)
    for order, (code, title, points) in enumerate(criteria, start=1):
        Criterion.objects.create(
            criteria_set=cs,
            code=code,
            title=title,
            max_points=points,
            order=order,
            evidence_required=code in evidence,
        )
    for order, band in enumerate(bands):
        label, minimum, *no_zero = band
        ClassificationBand.objects.create(
            criteria_set=cs, label=label, min_score=minimum, order=order, no_zero_criterion=bool(no_zero)
        )
    if publish:
        services.set_publish(actor=None, criteria_set=cs)
    return cs


def make_period(province, year=2025, due=DUE) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        province=province,
        kind=ReportingPeriod.Kind.ANNUAL,
        year=year,
        label=f"Báo cáo năm {year}",
        data_start=dt.date(year - 1, 10, 16),
        data_end=dt.date(year, 10, 15),
        due_date=dt.date(year, 10, 15),
        self_score_due=due,
    )


def pdf(name="minh-chung.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test\n%%EOF\n", content_type="application/pdf")


def lines_by_code(sheet) -> dict:
    return {ln.criterion.code: ln for ln in sheet.lines.select_related("criterion")}


def self_score(sheet, points: dict[str, str | None], note="") -> ScoreSheet:
    by_code = lines_by_code(sheet)
    return services.sheet_self_score(
        actor=None,
        sheet=sheet,
        points={by_code[c].pk: (None if p is None else D(p), note) for c, p in points.items()},
    )


def review(sheet, points: dict[str, tuple[str, str]], **kwargs) -> ScoreSheet:
    by_code = lines_by_code(sheet)
    return services.sheet_review(
        actor=None, sheet=sheet, points={by_code[c].pk: (D(p), n) for c, (p, n) in points.items()}, **kwargs
    )


def add_evidence(sheet, *codes):
    by_code = lines_by_code(sheet)
    for code in codes:
        services.evidence_add(actor=None, line=by_code[code], upload=pdf(), kind="minh_chung")


SELF_87 = {"1": "20", "2": "22", "3": "17", "4": "13", "5": "15"}


@pytest.fixture
def world(tree):
    cs = make_set(tree["province"])
    period = make_period(tree["province"])
    sheet = services.sheet_create(actor=None, unit=tree["commune_a"], period=period, criteria_set=cs)
    return {"set": cs, "period": period, "sheet": sheet, **tree}


def submitted(world, points=SELF_87) -> ScoreSheet:
    sheet = self_score(world["sheet"], points)
    add_evidence(sheet, "4")
    return services.sheet_submit(actor=None, sheet=sheet, today=DUE)


def published(world) -> ScoreSheet:
    sheet = submitted(world)
    review(sheet, {"4": ("10", "Chưa có biên bản hội nghị đối thoại")})
    assert services.results_publish(actor=None, sheets=[sheet]) == 1
    sheet.refresh_from_db()
    return sheet


# --- classify ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "label"),
    [
        ("100", "Xuất sắc"),
        ("90", "Xuất sắc"),
        ("89.99", "Tốt"),
        ("80", "Tốt"),
        ("79.5", "Khá"),
        ("65", "Khá"),
        ("64.5", "Trung bình"),
        ("50", "Trung bình"),
        ("49.5", "Yếu"),
        ("0", "Yếu"),
    ],
)
@pytest.mark.django_db
def test_classify_uses_the_highest_band_reached_boundaries_included(total, label):
    cs = make_set(publish=False)
    assert services.classify(cs, D(total), has_zero=False) == label


@pytest.mark.django_db
def test_classify_skips_a_band_that_requires_no_criterion_at_zero():
    bands = [("Xuất sắc", 90, True), ("Tốt", 80, True), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0)]
    cs = make_set(bands=bands, publish=False)
    assert services.classify(cs, D("95"), has_zero=False) == "Xuất sắc"
    # One criterion at 0: both "no zero" bands are skipped, the next one applies.
    assert services.classify(cs, D("95"), has_zero=True) == "Khá"
    assert services.classify(cs, D("70"), has_zero=True) == "Khá"
    assert services.classify(cs, None, has_zero=False) == ""
    # Bands given by the caller win over the set's (and are read in the order given).
    assert services.classify(cs, D("95"), has_zero=True, bands=list(cs.bands.order_by("-min_score"))) == "Khá"


@pytest.mark.django_db
def test_a_zero_line_lowers_the_classification_of_the_sheet(tree):
    bands = [("Xuất sắc", 90, True), ("Tốt", 80, True), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0)]
    cs = make_set(tree["province"], bands=bands)
    sheet = services.sheet_create(
        actor=None, unit=tree["commune_a"], period=make_period(tree["province"]), criteria_set=cs
    )
    self_score(sheet, {"1": "20", "2": "25", "3": "20", "4": "0", "5": "20"})
    assert (sheet.self_total, sheet.self_class) == (D("85"), "Khá")
    self_score(sheet, {"4": "0.5"})
    assert (sheet.self_total, sheet.self_class) == (D("85.5"), "Tốt")
    # The review side: a line re-scored to 0 lowers the review classification too.
    add_evidence(sheet, "4")
    services.sheet_submit(actor=None, sheet=sheet, today=DUE)
    review(sheet, {"5": ("0", "Không tổ chức khảo sát sự hài lòng")})
    assert (sheet.review_total, sheet.review_class) == (D("65.5"), "Khá")
    review(sheet, {"5": ("20", ""), "3": ("0", "Không có quy chế văn hóa công sở")})
    assert (sheet.review_total, sheet.review_class) == (D("65.5"), "Khá")
    review(sheet, {"3": ("20", ""), "4": ("10", "Bổ sung biên bản đối thoại")})
    assert (sheet.review_total, sheet.review_class) == (D("95"), "Xuất sắc")


# --- The Done-when numbers -----------------------------------------------------------------


@pytest.mark.django_db
def test_self_87_is_tot_and_review_78_is_kha(world):
    sheet = self_score(world["sheet"], SELF_87)
    assert (sheet.self_total, sheet.self_class) == (D("87"), "Tốt")
    assert sheet.review_total is None
    add_evidence(sheet, "4")
    services.sheet_submit(actor=None, sheet=sheet, today=dt.date(2025, 10, 10))
    review(
        sheet,
        {
            "2": ("20", "Tỷ lệ hồ sơ trễ hạn cao hơn số liệu tự chấm"),
            "4": ("8", "Chưa có biên bản hội nghị đối thoại"),
            "5": ("13", "Số phiếu khảo sát chưa đủ"),
            "1": ("20", ""),  # same as the self points: no note needed
        },
    )
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.REVIEWED
    assert (sheet.self_total, sheet.self_class) == (D("87"), "Tốt")
    assert (sheet.review_total, sheet.review_class) == (D("78"), "Khá")
    services.results_publish(actor=None, sheets=ScoreSheet.objects.all())
    assert services.ranking_counts(ScoreSheet.objects.filter(status=ScoreSheet.Status.PUBLISHED)) == {"Khá": 1}


@pytest.mark.django_db
def test_the_classification_follows_the_configured_bands(world):
    sheet = submitted(world)
    review(sheet, {"4": ("4", "Thiếu biên bản"), "5": ("10", "Ít phiếu khảo sát")})
    assert sheet.review_total == D("73")
    assert sheet.review_class == "Khá"
    # The steering committee lowers "Tốt" to 70 in a new version; sheets of the new version follow it.
    copy = services.set_copy(actor=None, criteria_set=world["set"])
    copy.bands.filter(label="Tốt").update(min_score=70)
    services.set_publish(actor=None, criteria_set=copy)
    other = services.sheet_create(actor=None, unit=world["commune_b"], period=world["period"], criteria_set=copy)
    self_score(other, {"1": "20", "2": "20", "3": "15", "4": "8", "5": "10"})
    assert (other.self_total, other.self_class) == (D("73"), "Tốt")


# --- Points: step and range ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["-0.5", "20.5", "10.25", "0.1"])
@pytest.mark.django_db
def test_self_points_must_be_within_max_and_a_multiple_of_the_step(world, value):
    sheet = world["sheet"]
    with pytest.raises(ValidationError):
        self_score(sheet, {"1": value})
    assert not sheet.lines.filter(self_points__isnull=False).exists()


@pytest.mark.parametrize("value", ["0", "0.5", "10.5", "20"])
@pytest.mark.django_db
def test_self_points_on_the_step_within_range_are_kept(world, value):
    sheet = self_score(world["sheet"], {"1": value})
    assert lines_by_code(sheet)["1"].self_points == D(value)
    assert sheet.self_total == D(value)


@pytest.mark.django_db
def test_the_step_is_the_sets(tree):
    cs = make_set(tree["province"], score_step=D("1"))
    sheet = services.sheet_create(
        actor=None, unit=tree["commune_a"], period=make_period(tree["province"]), criteria_set=cs
    )
    with pytest.raises(ValidationError, match="bội của 1"):
        self_score(sheet, {"1": "10.5"})
    self_score(sheet, {"1": "11"})


@pytest.mark.django_db
def test_self_score_is_all_or_nothing_and_only_for_its_own_lines(world):
    sheet = world["sheet"]
    with pytest.raises(ValidationError) as caught:
        self_score(sheet, {"1": "15", "2": "26"})
    assert "2" in str(caught.value)
    assert not sheet.lines.filter(self_points__isnull=False).exists()
    other = services.sheet_create(
        actor=None, unit=world["commune_b"], period=world["period"], criteria_set=world["set"]
    )
    foreign = other.lines.first()
    with pytest.raises(ValidationError, match="không thuộc phiếu"):
        services.sheet_self_score(actor=None, sheet=sheet, points={foreign.pk: (D("5"), "")})
    assert ScoreLine.objects.get(pk=foreign.pk).self_points is None


@pytest.mark.django_db
def test_review_points_follow_the_same_range_and_step(world):
    sheet = submitted(world)
    for value in ("16", "-1", "7.25"):
        with pytest.raises(ValidationError):
            review(sheet, {"4": (value, "Ghi chú")})
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    assert sheet.review_total is None


@pytest.mark.django_db
def test_a_stale_version_is_refused(world):
    sheet = world["sheet"]
    line = sheet.lines.first()
    services.sheet_self_score(actor=None, sheet=sheet, points={line.pk: (D("5"), "")}, expected_version=1)
    with pytest.raises(ValidationError) as caught:
        services.sheet_self_score(actor=None, sheet=sheet, points={line.pk: (D("6"), "")}, expected_version=1)
    assert caught.value.code == "stale"
    line.refresh_from_db()
    assert line.self_points == D("5")


# --- Submit --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_needs_every_point(world):
    sheet = self_score(world["sheet"], {**SELF_87, "3": None})
    add_evidence(sheet, "4")
    with pytest.raises(ValidationError, match="chưa tự chấm"):
        services.sheet_submit(actor=None, sheet=sheet, today=DUE)
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.DRAFT


@pytest.mark.django_db
def test_submit_needs_the_required_evidence(world):
    sheet = self_score(world["sheet"], SELF_87)
    assert [c.code for c in services.missing_evidence(sheet)] == ["4"]
    add_evidence(sheet, "1")  # evidence on a line that does not require it does not count
    with pytest.raises(ValidationError, match="Thiếu minh chứng cho tiêu chí: 4"):
        services.sheet_submit(actor=None, sheet=sheet, today=DUE)
    add_evidence(sheet, "4")
    assert services.missing_evidence(sheet) == []
    services.sheet_submit(actor=None, sheet=sheet, today=DUE)  # on the due date itself
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    assert sheet.submitted_at is not None


@pytest.mark.django_db
def test_submit_closes_after_the_deadline(world):
    sheet = self_score(world["sheet"], SELF_87)
    add_evidence(sheet, "4")
    with pytest.raises(ValidationError, match="quá hạn tự chấm điểm \\(15/10/2025\\)"):
        services.sheet_submit(actor=None, sheet=sheet, today=DUE + dt.timedelta(days=1))
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.DRAFT


@pytest.mark.django_db
def test_all_submit_problems_are_reported_together(world):
    sheet = world["sheet"]
    with pytest.raises(ValidationError) as caught:
        services.sheet_submit(actor=None, sheet=sheet, today=DUE + dt.timedelta(days=1))
    assert len(caught.value.messages) == 3


@pytest.mark.django_db
def test_a_submitted_sheet_is_no_longer_self_scored_nor_given_evidence(world):
    sheet = submitted(world)
    with pytest.raises(ValidationError):
        self_score(sheet, {"1": "19"})
    with pytest.raises(ValidationError):
        add_evidence(sheet, "1")
    with pytest.raises(ValidationError):
        services.sheet_submit(actor=None, sheet=sheet, today=DUE)


@pytest.mark.django_db
def test_return_to_draft_needs_a_reason_and_reopens_self_scoring(world):
    sheet = submitted(world)
    with pytest.raises(ValidationError):
        services.sheet_return_to_draft(actor=None, sheet=sheet, reason="  ")
    services.sheet_return_to_draft(actor=None, sheet=sheet, reason="Thiếu bảng tự chấm có chữ ký")
    assert sheet.status == ScoreSheet.Status.DRAFT
    assert "Thiếu bảng tự chấm có chữ ký" in sheet.note
    self_score(sheet, {"1": "19"})
    assert sheet.self_total == D("86")


# --- Review --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_review_before_submit_is_refused(world):
    sheet = self_score(world["sheet"], SELF_87)
    with pytest.raises(ValidationError):
        review(sheet, {"1": ("20", "")})


@pytest.mark.django_db
def test_a_review_note_is_required_only_where_points_differ(world):
    sheet = submitted(world)
    with pytest.raises(ValidationError, match="Tiêu chí 2"):
        review(sheet, {"1": ("20", ""), "2": ("20", "")})
    with pytest.raises(ValidationError, match="Tiêu chí 2"):
        review(sheet, {"2": ("20", "   ")})
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    review(sheet, {"1": ("20", ""), "2": ("20", "Hồ sơ một cửa trễ hạn"), "3": ("17", "")})
    by_code = lines_by_code(sheet)
    assert (by_code["2"].review_points, by_code["2"].review_note) == (D("20"), "Hồ sơ một cửa trễ hạn")
    assert by_code["1"].review_points == D("20")
    assert sheet.status == ScoreSheet.Status.REVIEWED
    # Lines the reviewer left alone count with their self points.
    assert sheet.review_total == D("85")
    assert sheet.self_total == D("87")
    # A second review before publication is allowed (the same rules apply).
    review(sheet, {"2": ("22", "")})
    assert sheet.review_total == D("87")


@pytest.mark.django_db
def test_superior_points_are_kept_within_the_sets_allowance(tree):
    criteria = [("1", "Lãnh đạo, chỉ đạo", 45), ("2", "Tổ chức thực hiện", 45)]
    cs = make_set(tree["province"], criteria=criteria, evidence=(), superior_points_max=D("10"), name="Cơ quan")
    sheet = services.sheet_create(
        actor=None, unit=tree["commune_a"], period=make_period(tree["province"]), criteria_set=cs
    )
    self_score(sheet, {"1": "40", "2": "42"})
    services.sheet_submit(actor=None, sheet=sheet, today=DUE)
    assert sheet.self_total == D("82")  # the superior's share is not self-scored
    for bad in ("10.5", "-1"):
        with pytest.raises(ValidationError, match="từ 0 đến 10"):
            review(sheet, {}, superior_points=D(bad))
    sheet.refresh_from_db()
    assert sheet.superior_points is None
    review(sheet, {}, superior_points=D("9"))
    assert (sheet.review_total, sheet.review_class) == (D("91"), "Xuất sắc")
    review(sheet, {}, superior_points=D("10"))
    assert sheet.review_total == D("92")


@pytest.mark.django_db
def test_no_superior_points_where_the_set_has_none(world):
    sheet = submitted(world)
    with pytest.raises(ValidationError, match="từ 0 đến 0"):
        review(sheet, {}, superior_points=D("1"))


@pytest.mark.django_db
def test_review_total_is_lines_plus_bonus_minus_penalty_plus_superior(tree):
    criteria = [("1", "Lãnh đạo, chỉ đạo", 45), ("2", "Tổ chức thực hiện", 45)]
    cs = make_set(
        tree["province"],
        criteria=criteria,
        evidence=(),
        superior_points_max=D("10"),
        bonus_max=D("5"),
        penalty_max=D("5"),
        name="Cơ quan",
    )
    sheet = services.sheet_create(
        actor=None, unit=tree["commune_a"], period=make_period(tree["province"]), criteria_set=cs
    )
    # No service sets bonus and penalty yet: they are written directly here.
    ScoreSheet.objects.filter(pk=sheet.pk).update(bonus=D("3"), penalty=D("2.5"))
    sheet.refresh_from_db()
    self_score(sheet, {"1": "40", "2": "35.5"})
    assert sheet.self_total == D("40") + D("35.5") + D("3") - D("2.5")
    services.sheet_submit(actor=None, sheet=sheet, today=DUE)
    review(sheet, {"1": ("38", "Kế hoạch ban hành muộn")}, superior_points=D("8.5"))
    sheet.refresh_from_db()
    assert sheet.review_total == D("38") + D("35.5") + D("3") - D("2.5") + D("8.5")
    assert sheet.review_total == D("82.5")
    assert sheet.review_class == "Tốt"


# --- Publish, lock, appeal ------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_takes_only_reviewed_sheets_and_locks_them(world):
    sheet = published(world)
    other = services.sheet_create(
        actor=None, unit=world["commune_b"], period=world["period"], criteria_set=world["set"]
    )
    assert services.results_publish(actor=None, sheets=[other, sheet]) == 0  # a draft, and one already published
    other.refresh_from_db()
    assert other.status == ScoreSheet.Status.DRAFT
    assert sheet.status == ScoreSheet.Status.PUBLISHED
    assert sheet.published_at is not None
    assert sheet.is_locked
    with pytest.raises(ValidationError):
        self_score(sheet, {"1": "10"})
    with pytest.raises(ValidationError, match="khóa"):
        review(sheet, {"1": ("10", "Hạ điểm")})
    with pytest.raises(ValidationError):
        add_evidence(sheet, "1")
    with pytest.raises(ValidationError):
        services.sheet_return_to_draft(actor=None, sheet=sheet, reason="Làm lại")
    sheet.refresh_from_db()
    assert (sheet.review_total, sheet.status) == (D("84"), ScoreSheet.Status.PUBLISHED)
    assert lines_by_code(sheet)["1"].review_points is None


@pytest.mark.django_db
def test_a_review_from_a_page_loaded_before_publishing_is_stale(world):
    sheet = submitted(world)
    review(sheet, {"4": ("10", "Thiếu biên bản")})
    stale = ScoreSheet.objects.get(pk=sheet.pk)  # the reviewer's page, still "reviewed"
    services.results_publish(actor=None, sheets=[sheet])
    with pytest.raises(ValidationError):
        review(stale, {"1": ("15", "Hạ điểm")})
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.PUBLISHED
    assert lines_by_code(sheet)["1"].review_points is None


@pytest.mark.django_db
def test_one_appeal_with_new_evidence_then_locked_again(world):
    sheet = published(world)
    with pytest.raises(ValidationError):
        services.sheet_appeal(actor=None, sheet=sheet, note="  ")
    services.sheet_appeal(actor=None, sheet=sheet, note="Đã có biên bản hội nghị đối thoại ngày 20/9/2025")
    sheet.refresh_from_db()
    assert sheet.appeal == ScoreSheet.Appeal.REQUESTED
    assert not sheet.is_locked
    # New evidence during the appeal is marked as such; self points stay as they were.
    line = lines_by_code(sheet)["4"]
    evidence = services.evidence_add(actor=None, line=line, upload=pdf("bien-ban.pdf"), kind="minh_chung")
    assert evidence.for_appeal
    with pytest.raises(ValidationError):
        self_score(sheet, {"4": "15"})
    with pytest.raises(ValidationError, match="một lần"):
        services.sheet_appeal(actor=None, sheet=sheet, note="Lần nữa")
    # The reviewer re-scores during the appeal: resolved, still published, locked again.
    review(sheet, {"4": ("13", "Đã bổ sung biên bản hội nghị đối thoại")})
    sheet.refresh_from_db()
    assert sheet.appeal == ScoreSheet.Appeal.RESOLVED
    assert sheet.status == ScoreSheet.Status.PUBLISHED
    assert (sheet.review_total, sheet.review_class) == (D("87"), "Tốt")
    assert sheet.is_locked
    with pytest.raises(ValidationError, match="khóa"):
        review(sheet, {"4": ("15", "Cộng thêm")})
    with pytest.raises(ValidationError, match="một lần"):
        services.sheet_appeal(actor=None, sheet=sheet, note="Lần hai")
    with pytest.raises(ValidationError):
        add_evidence(sheet, "4")


@pytest.mark.django_db
def test_no_appeal_before_publication(world):
    sheet = submitted(world)
    review(sheet, {"4": ("10", "Thiếu biên bản")})
    with pytest.raises(ValidationError):
        services.sheet_appeal(actor=None, sheet=sheet, note="Xin xem xét lại")
    sheet.refresh_from_db()
    assert sheet.appeal == ""


# --- Sets: copy, set_for, problems ----------------------------------------------------------

QCDC_TREE = [
    # code, title, points, parent, order (numbered per group, as the §5.5 template reads)
    ("I", "Lãnh đạo, chỉ đạo", 10, None, 1),
    ("1.1", "Ban Chỉ đạo kiện toàn, kế hoạch năm", 4, "I", 1),
    ("1.2", "Tuyên truyền, tập huấn", 3, "I", 2),
    ("1.3", "Chế độ báo cáo đúng hạn", 3, "I", 3),
    ("II", "Công khai", 15, None, 2),
    ("2.1", "Đủ nội dung công khai", 10, "II", 1),
    ("2.2", "Đúng hình thức, thời điểm", 5, "II", 2),
    ("III", "Kiểm tra, giám sát", 75, None, 3),
    ("3.1", "Ban Thanh tra nhân dân hoạt động", 75, "III", 1),
]


def make_tree_set(province) -> CriteriaSet:
    cs = CriteriaSet.objects.create(
        name="Bộ minh họa QCDC xã", province=province, applies_to=AppliesTo.COMMUNE, year_from=2025
    )
    made = {}
    for code, title, points, parent, order in QCDC_TREE:
        made[code] = Criterion.objects.create(
            criteria_set=cs,
            code=code,
            title=title,
            max_points=points,
            is_group=parent is None,
            parent=made.get(parent),
            order=order,
            evidence_required=code == "2.1",
            evidence_hint="Biên bản niêm yết" if code == "2.1" else "",
        )
    for order, (label, minimum) in enumerate(DEFAULT_BANDS):
        ClassificationBand.objects.create(
            criteria_set=cs, label=label, min_score=minimum, order=order, no_zero_criterion=label == "Xuất sắc"
        )
    return cs


def _tree_of(cs) -> set:
    return {
        (c.code, c.title, c.max_points, c.is_group, c.parent.code if c.parent else None, c.order, c.evidence_required)
        for c in cs.criteria.select_related("parent")
    }


@pytest.mark.django_db
def test_set_copy_copies_the_criteria_tree_and_the_bands(tree):
    cs = make_tree_set(tree["province"])
    services.set_publish(actor=None, criteria_set=cs)
    copy = services.set_copy(actor=None, criteria_set=cs)
    assert copy.pk != cs.pk
    assert (copy.name, copy.province, copy.version, copy.previous, copy.status) == (
        cs.name,
        cs.province,
        2,
        cs,
        CriteriaSet.Status.DRAFT,
    )
    assert _tree_of(copy) == _tree_of(cs)
    # The copy's parents are its own criteria, never the original's.
    assert not copy.criteria.filter(parent__criteria_set=cs).exists()
    assert copy.criteria.filter(parent__isnull=False).count() == 6
    assert {(b.label, b.min_score, b.no_zero_criterion) for b in copy.bands.all()} == {
        (b.label, b.min_score, b.no_zero_criterion) for b in cs.bands.all()
    }
    assert services.set_problems(copy) == []
    # The original is untouched; a copy of the copy is version 3.
    assert cs.criteria.count() == len(QCDC_TREE)
    assert CriteriaSet.objects.get(pk=cs.pk).status == CriteriaSet.Status.PUBLISHED
    assert services.set_copy(actor=None, criteria_set=copy).version == 3


@pytest.mark.django_db
def test_a_set_with_sheets_is_frozen(world):
    assert services.set_is_frozen(world["set"])
    with pytest.raises(ValidationError, match="sao chép"):
        services.set_require_editable(world["set"])
    copy = services.set_copy(actor=None, criteria_set=world["set"])
    assert not services.set_is_frozen(copy)
    services.set_require_editable(copy)


@pytest.mark.django_db
def test_set_problems():
    assert services.set_problems(make_set(publish=False)) == []
    cs = make_set(criteria=BAC_GIANG[:4], publish=False)  # 80 of 100 points
    assert any("80" in p and "100" in p for p in services.set_problems(cs))
    with pytest.raises(ValidationError):
        services.set_publish(actor=None, criteria_set=cs)
    cs.refresh_from_db()
    assert cs.status == CriteriaSet.Status.DRAFT
    # The superior's points count towards the total.
    assert services.set_problems(make_set(criteria=BAC_GIANG[:4], superior_points_max=D("20"), publish=False)) == []
    empty = CriteriaSet.objects.create(name="Trống", applies_to=AppliesTo.COMMUNE, year_from=2025)
    problems = services.set_problems(empty)
    assert any("chưa có tiêu chí" in p for p in problems)
    assert any("mức xếp loại" in p for p in problems)
    zero = make_set(criteria=[*BAC_GIANG, ("6", "Khác", 0)], publish=False)
    assert any("Tiêu chí 6" in p for p in services.set_problems(zero))


@pytest.mark.django_db
def test_set_problems_checks_group_sums(tree):
    cs = make_tree_set(tree["province"])
    assert services.set_problems(cs) == []
    cs.criteria.filter(code="1.3").update(max_points=2)
    cs.criteria.filter(code="3.1").update(max_points=76)  # the set still adds up to 100
    assert services.set_problems(cs) == ["Nhóm I: tổng điểm các tiêu chí con khác điểm của nhóm."] + [
        "Nhóm III: tổng điểm các tiêu chí con khác điểm của nhóm."
    ]


@pytest.mark.django_db
def test_set_for_picks_the_provinces_newest_published_set(tree):
    province, commune = tree["province"], tree["commune_a"]
    p2025, p2027 = make_period(province, 2025), make_period(province, 2027, due=dt.date(2027, 10, 15))
    assert services.set_for(commune, p2025) is None
    national = make_set(None, name="Bộ quốc gia", year_from=2020)
    assert services.set_for(commune, p2025) == national  # national fallback
    other_province = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    make_set(other_province, name="Bộ tỉnh khác", year_from=2024)
    assert services.set_for(commune, p2025) == national
    make_set(province, name="Bộ dự thảo", year_from=2025, publish=False)  # drafts never apply
    assert services.set_for(commune, p2025) == national
    old = make_set(province, name="Bộ 2020–2024", year_from=2020, year_to=2024)
    assert services.set_for(commune, p2025) == national  # does not cover 2025
    v1 = make_set(province, name="Bộ tỉnh", year_from=2025, year_to=2026)
    assert services.set_for(commune, p2025) == v1  # the province's own beats the national one
    v2 = services.set_publish(actor=None, criteria_set=services.set_copy(actor=None, criteria_set=v1))
    assert services.set_for(commune, p2025) == v2  # the newest version
    assert services.set_for(commune, p2027) == national  # v1/v2 end in 2026
    p2022 = make_period(province, 2022, due=dt.date(2022, 10, 15))
    assert services.set_for(commune, p2022) == old
    # Agencies get the set for their kind; hamlets have none.
    agency = UnitFactory(name="Phòng Nội vụ", kind=UnitKind.STATE_AGENCY, parent=tree["district_x"])
    assert services.set_for(agency, p2025) is None
    agency_set = make_set(province, name="Bộ cơ quan", applies_to=AppliesTo.STATE_AGENCY)
    assert services.set_for(agency, p2025) == agency_set
    soe = UnitFactory(name="Điện lực", kind=UnitKind.SOE, parent=tree["district_x"])
    enterprise_set = make_set(province, name="Bộ doanh nghiệp", applies_to=AppliesTo.ENTERPRISE)
    assert services.set_for(soe, p2025) == enterprise_set
    hamlet = UnitFactory(name="Xóm Chiềng", kind=UnitKind.HAMLET, parent=commune)
    assert services.set_for(hamlet, p2025) is None


@pytest.mark.django_db
def test_set_for_prefers_the_set_starting_latest_over_an_older_revised_one(tree):
    province, commune = tree["province"], tree["commune_a"]
    period = make_period(province, 2025)
    old = make_set(province, name="Bộ 2018", year_from=2018)
    old_v2 = services.set_publish(actor=None, criteria_set=services.set_copy(actor=None, criteria_set=old))
    assert services.set_for(commune, period) == old_v2
    new = make_set(province, name="Bộ 2025", year_from=2025)
    assert services.set_for(commune, period) == new


@pytest.mark.django_db
def test_set_for_prefers_a_real_set_to_an_illustrative_one(tree):
    province, commune = tree["province"], tree["commune_a"]
    period = make_period(province, 2025)
    real = make_set(province, name="Chính quyền thân thiện")
    make_set(province, name="Bộ minh họa", is_illustrative=True)
    assert services.set_for(commune, period) == real
