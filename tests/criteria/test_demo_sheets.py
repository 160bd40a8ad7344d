"""The demo score sheets of Lạc Sơn (criteria/demo_sheets.py), checked with plain ORM queries.

When seed_demo already runs the criteria seeders, the demo is seeded through it; otherwise
the seeders are called one by one (and, if criteria/demo.py does not exist yet, the sets are
built here).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from importlib import import_module
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from criteria import demo_sheets, services
from criteria.models import AppliesTo, ClassificationBand, CriteriaSet, Criterion, Evidence, ScoreLine, ScoreSheet
from reports.models import ReportingPeriod
from units import demo as units_demo
from units.models import CodeList, Unit, UnitKind

LABELS = ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
BANDS = [("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0)]
TODAY = dt.date(2026, 11, 22)  # the demo's "today"


def _log(*_args, **_kwargs):
    pass


def _build_sets() -> None:
    """Stand-ins for criteria.demo.seed_sets while it does not exist: one published set per kind."""
    province = units_demo.legacy(units_demo.PROVINCE_CODE)
    if CriteriaSet.objects.filter(province=province).exists():
        return
    specs = [
        (AppliesTo.COMMUNE, "Chính quyền thân thiện (xã)", [20, 25, 20, 15, 20], Decimal("0")),
        (AppliesTo.STATE_AGENCY, "Bộ minh họa – cơ quan hành chính", [20, 20, 20, 20, 10], Decimal("10")),
        (AppliesTo.PUBLIC_SERVICE, "Bộ minh họa – đơn vị sự nghiệp", [25, 25, 25, 25], Decimal("0")),
        (AppliesTo.ENTERPRISE, "Bộ minh họa – doanh nghiệp", [30, 30, 40], Decimal("0")),
    ]
    titles = ["Tổ chức đối thoại", "Công tác cải cách hành chính", "Công khai", "Hội nghị", "Mức độ hài lòng"]
    for applies_to, name, points, superior in specs:
        cs = CriteriaSet.objects.create(
            name=name, province=province, applies_to=applies_to, year_from=2024, superior_points_max=superior
        )
        for i, p in enumerate(points, start=1):
            Criterion.objects.create(
                criteria_set=cs,
                code=str(i),
                title=titles[i - 1],
                max_points=p,
                order=i,
                evidence_required=applies_to == AppliesTo.COMMUNE,
            )
        for order, (label, minimum) in enumerate(BANDS):
            ClassificationBand.objects.create(criteria_set=cs, label=label, min_score=minimum, order=order)
        services.set_publish(actor=None, criteria_set=cs)


def _seed_one_by_one() -> None:
    for name in ("units.demo", "dialogues.demo", "reports.demo"):
        import_module(name).seed(log=_log)
    try:
        seed_sets = import_module("criteria.demo").seed_sets
    except (ImportError, AttributeError):
        _build_sets()
    else:
        seed_sets(log=_log)
    demo_sheets.seed_sheets(log=_log)


def _seed() -> None:
    from units.management.commands.seed_demo import SEEDERS

    if "criteria.demo" in SEEDERS:
        call_command("seed_demo", force=True, stdout=StringIO())
        # Whatever seed_demo left out (periods, sheets) is added; both seeders are idempotent.
        import_module("reports.demo").seed(log=_log)
        demo_sheets.seed_sheets(log=_log)
    else:
        _seed_one_by_one()


@pytest.fixture
def lac_son(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    _seed()
    return Unit.objects.get(code_list=CodeList.LEGACY, code=units_demo.DISTRICT_CODE)


def _periods():
    annual = ReportingPeriod.objects.filter(
        province__code_list=CodeList.LEGACY, province__code=units_demo.PROVINCE_CODE, kind="annual"
    )
    return annual.get(year=2025), annual.get(year=2026)


def _expected(spread) -> Counter:
    return Counter({label: n for label, n in zip(LABELS, spread, strict=True) if n})


@pytest.mark.django_db
def test_2025_is_reviewed_and_published_with_a_realistic_spread(lac_son):
    done, _open = _periods()
    sheets = ScoreSheet.objects.filter(unit__path__startswith=lac_son.path, period=done)
    assert not sheets.exclude(status=ScoreSheet.Status.PUBLISHED).exists()
    communes = sheets.filter(unit__kind=UnitKind.COMMUNE)
    assert communes.count() == 24
    assert set(communes.values_list("unit__parent", flat=True)) == {lac_son.pk}
    agencies = sheets.exclude(unit__kind=UnitKind.COMMUNE)
    assert 25 <= agencies.count() <= 35
    kinds = set(agencies.values_list("unit__kind", flat=True))
    assert UnitKind.STATE_AGENCY in kinds
    assert UnitKind.PUBLIC_SERVICE in kinds
    assert kinds & {UnitKind.SOE, UnitKind.ENTERPRISE}
    # Police and military units are not scored against the district's sets.
    assert not agencies.filter(unit__name__startswith="Công an").exists()

    assert Counter(communes.values_list("review_class", flat=True)) == _expected(demo_sheets.COMMUNE_SPREAD)
    assert Counter(agencies.values_list("review_class", flat=True)) == _expected(demo_sheets.AGENCY_SPREAD)
    assert services.ranking_counts(sheets) == dict(
        _expected(demo_sheets.COMMUNE_SPREAD) + _expected(demo_sheets.AGENCY_SPREAD)
    )

    # Reviewers took points off with a note, and some self classifications were too high.
    assert sheets.exclude(self_class=F("review_class")).count() >= 5
    lowered = ScoreLine.objects.filter(sheet__in=sheets, review_points__lt=F("self_points"))
    assert lowered.count() >= 20
    assert not lowered.filter(review_note="").exists()
    dialogue = lowered.filter(criterion__title__icontains="đối thoại")
    if dialogue.exists():
        notes = {note for keys, notes in demo_sheets.REVIEW_NOTES if "đối thoại" in keys for note in notes}
        assert set(dialogue.values_list("review_note", flat=True)) <= notes
    # The Done-when example: a commune self-scored 87 (Tốt), re-scored to 78 (Khá).
    example = communes.get(self_total=Decimal("87"), review_total=Decimal("78"))
    assert (example.self_class, example.review_class) == ("Tốt", "Khá")
    assert example.reviewed_by.username == "danvan.lacson"

    # Timestamps are past dates of the 2025 cycle, in order.
    for s in sheets:
        assert s.submitted_at.date() <= done.self_score_due
        assert s.submitted_at < s.reviewed_at < s.published_at < timezone.now()
    # A few sheets carry their (placeholder PDF) evidence, Vụ Bản's among them.
    with_files = sheets.filter(lines__evidence__isnull=False).distinct()
    assert 1 <= with_files.count() <= 8
    assert with_files.filter(unit__code=units_demo.COMMUNE_CODE).exists()
    for sheet in with_files:
        assert services.missing_evidence(sheet) == []
    evidence = Evidence.objects.filter(line__sheet__in=sheets).first()
    with evidence.file.open("rb") as f:
        assert f.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_totals_and_classes_add_up_independently(lac_son):
    done, _open = _periods()
    sheets = ScoreSheet.objects.filter(unit__path__startswith=lac_son.path).select_related("criteria_set")
    assert sheets.count() > 50
    for sheet in sheets:
        lines = list(sheet.lines.select_related("criterion"))
        assert {ln.criterion_id for ln in lines} == set(
            sheet.criteria_set.criteria.filter(is_group=False).values_list("pk", flat=True)
        )
        step = sheet.criteria_set.score_step
        for ln in lines:
            for value in (ln.self_points, ln.review_points):
                if value is not None:
                    assert 0 <= value <= ln.criterion.max_points
                    assert (value / step) % 1 == 0
            if ln.review_points is not None and ln.review_points != ln.self_points:
                assert ln.review_note.strip()
        own = sum((ln.self_points or 0 for ln in lines), Decimal("0"))
        assert sheet.self_total == own + sheet.bonus - sheet.penalty
        if sheet.status != ScoreSheet.Status.PUBLISHED:
            assert sheet.review_total is None
            continue
        review = [ln.review_points if ln.review_points is not None else ln.self_points for ln in lines]
        expected = sum(review, Decimal("0")) + sheet.bonus - sheet.penalty + (sheet.superior_points or 0)
        assert sheet.review_total == expected
        if sheet.criteria_set.superior_points_max:
            assert sheet.superior_points is not None
            assert 0 <= sheet.superior_points <= sheet.criteria_set.superior_points_max
        else:
            assert not sheet.superior_points
        bands = sorted(sheet.criteria_set.bands.all(), key=lambda b: -b.min_score)
        zero = any(p == 0 for p in review)
        label = next(b.label for b in bands if expected >= b.min_score and not (b.no_zero_criterion and zero))
        assert sheet.review_class == label


@pytest.mark.django_db
def test_2026_leaves_vu_ban_to_its_own_account(lac_son):
    _done, open_ = _periods()
    sheets = ScoreSheet.objects.filter(unit__path__startswith=lac_son.path, period=open_)
    assert not sheets.filter(unit__code_list=CodeList.LEGACY, unit__code=units_demo.COMMUNE_CODE).exists()
    assert not sheets.exclude(unit__kind=UnitKind.COMMUNE).exists()
    by_status = Counter(sheets.values_list("status", flat=True))
    assert by_status == {ScoreSheet.Status.SUBMITTED: 3, ScoreSheet.Status.DRAFT: 5}
    for sheet in sheets.filter(status=ScoreSheet.Status.SUBMITTED):
        assert sheet.submitted_at.date() <= TODAY <= open_.self_score_due
        assert services.missing_evidence(sheet) == []
        assert not sheet.lines.filter(self_points__isnull=True).exists()
        assert sheet.review_total is None
    drafts = sheets.filter(status=ScoreSheet.Status.DRAFT)
    assert drafts.filter(lines__self_points__isnull=True).distinct().exists()  # some half way through
    # The Vụ Bản account can start its own sheet: a set applies to the town in 2026.
    town = Unit.objects.get(code_list=CodeList.LEGACY, code=units_demo.COMMUNE_CODE)
    assert services.set_for(town, open_) is not None


@pytest.mark.django_db
def test_seeding_twice_creates_nothing(lac_son):
    counts = (ScoreSheet.objects.count(), ScoreLine.objects.count(), Evidence.objects.count())
    totals = list(ScoreSheet.objects.order_by("pk").values_list("self_total", "review_total", "status"))
    lines = demo_sheets.seed_sheets(log=_log)
    assert "đã có sẵn" in lines[0]
    _seed()
    assert (ScoreSheet.objects.count(), ScoreLine.objects.count(), Evidence.objects.count()) == counts
    assert list(ScoreSheet.objects.order_by("pk").values_list("self_total", "review_total", "status")) == totals
