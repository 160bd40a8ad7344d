"""The demo boards of Lạc Sơn (boards/demo.py), checked with plain ORM queries.

S1 (the district's three-year report): the people's inspection boards held 110 supervisions;
the community investment supervision boards 139, on 115 state-budget works and 24 works
funded by the people.
"""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from boards.models import (
    BoardMember,
    CommunityBoard,
    InspectionBoard,
    InvestmentProject,
    SupervisionActivity,
    VillageConvention,
    WorkplaceConference,
)
from units import demo as units_demo
from units.models import AGENCY_KINDS, ENTERPRISE_KINDS, CodeList, Unit, UnitKind

START, END = dt.date(2023, 11, 1), dt.date(2026, 11, 15)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


@pytest.fixture
def lac_son(db):
    _seed()
    return Unit.objects.get(code_list=CodeList.LEGACY, code=units_demo.DISTRICT_CODE)


def _communes(district):
    return Unit.objects.filter(parent=district, kind=UnitKind.COMMUNE)


@pytest.mark.django_db
def test_supervision_counts_follow_the_district_report(lac_son):
    communes = _communes(lac_son)
    assert communes.count() == 24
    acts = SupervisionActivity.objects.filter(held_on__gte=START, held_on__lte=END)
    # Counted from the boards' own units, not through unit paths as the selectors do.
    assert acts.filter(inspection_board__unit__in=communes).count() == 110
    assert not SupervisionActivity.objects.filter(inspection_board__unit__kind__in=AGENCY_KINDS).exists()
    community = acts.filter(community_board__project__unit__in=communes)
    assert community.count() == 139
    by_funding = Counter(community.values_list("community_board__project__funding_source", flat=True))
    assert by_funding == {"ngan_sach_nha_nuoc": 115, "von_cong_suc_cong_dong": 24}
    # One supervision on each work: 115 state-budget works, 24 people-funded works.
    projects = InvestmentProject.objects.filter(unit__in=communes)
    assert Counter(projects.values_list("funding_source", flat=True)) == by_funding
    assert not community.exclude(project=F("community_board__project")).exists()
    assert (
        not SupervisionActivity.objects.exclude(unit=F("inspection_board__unit"))
        .exclude(inspection_board__isnull=True)
        .exists()
    )
    assert (
        not SupervisionActivity.objects.exclude(unit=F("community_board__unit"))
        .exclude(community_board__isnull=True)
        .exists()
    )
    # S1's four fields carry most of the inspection boards' work.
    fields = Counter(acts.filter(inspection_board__isnull=False).values_list("field", flat=True))
    main = fields["xay_dung"] + fields["dat_dai"] + fields["khieu_nai_to_cao"] + fields["che_do_chinh_sach"]
    assert min(fields[f] for f in ("xay_dung", "dat_dai", "khieu_nai_to_cao", "che_do_chinh_sach")) > 0
    assert main >= 0.85 * 110
    assert not SupervisionActivity.objects.filter(recommendations_resolved__gt=F("recommendations_count")).exists()
    assert SupervisionActivity.objects.filter(money_recovered__gt=0).exists()
    assert SupervisionActivity.objects.filter(settlement_reduced__gt=0).exists()
    assert SupervisionActivity.objects.filter(land_recovered_m2__gt=0).exists()


@pytest.mark.django_db
def test_summary_reports_the_figures(db):
    out = _seed()
    assert "110 cuộc" in out
    assert "139 cuộc (115 công trình vốn ngân sách nhà nước, 24 công trình do Nhân dân đóng góp)" in out
    assert "Thị trấn Vụ Bản chưa có" in out


@pytest.mark.django_db
def test_commune_boards(lac_son):
    town = Unit.objects.get(code_list=CodeList.LEGACY, code=units_demo.COMMUNE_CODE)
    # The demo account registers the town's board itself: nothing under the town yet.
    assert not InspectionBoard.objects.filter(unit__path__startswith=town.path).exists()
    today = timezone.localdate()
    current = InspectionBoard.objects.filter(unit__parent=lac_son, unit__kind=UnitKind.COMMUNE, term_end__isnull=True)
    others = _communes(lac_son).exclude(pk=town.pk)
    assert set(current.values_list("unit", flat=True)) == set(others.values_list("pk", flat=True))
    assert current.count() == 23
    for board in current.select_related("unit").prefetch_related("members"):
        active = [m for m in board.members.all() if m.is_active_on(today)]
        hamlets = set(board.unit.children.filter(kind=UnitKind.HAMLET).values_list("pk", flat=True))
        assert len(active) >= 5
        assert len(active) >= len(hamlets)
        assert {m.hamlet_id for m in active} >= hamlets  # every hamlet is represented
        assert [m.role for m in active].count("truong_ban") == 1
        assert 1 <= [m.role for m in active].count("pho_truong_ban") <= 2
        assert board.decision_no.endswith("/QĐ-UBND")
        assert board.term_start.year == 2024
        assert board.decision_date <= today
    # History: the previous term ended when the new board was recognised; some left mid-term.
    previous = InspectionBoard.objects.filter(unit__parent=lac_son, term_end__isnull=False)
    assert previous.count() == 23
    assert not BoardMember.objects.filter(inspection_board__in=previous, ended_on__isnull=True).exists()
    left = BoardMember.objects.filter(inspection_board__in=current, ended_on__isnull=False)
    assert left.exists()
    assert not left.filter(end_reason="").exists()
    assert not BoardMember.objects.filter(ended_on__lt=F("started_on")).exists()
    genders = Counter(BoardMember.objects.filter(inspection_board__in=current).values_list("gender", flat=True))
    assert genders["nu"] >= 0.2 * sum(genders.values())
    assert genders["nam"] >= 0.2 * sum(genders.values())


@pytest.mark.django_db
def test_agency_boards_follow_the_staff_rule(lac_son):
    agencies = Unit.objects.filter(path__startswith=lac_son.path, kind__in=AGENCY_KINDS)
    boards = InspectionBoard.objects.filter(unit__in=agencies)
    assert 40 <= boards.count() <= 60
    assert not boards.filter(Q(unit__staff_count__lte=7) | Q(unit__staff_count__isnull=True)).exists()
    today = timezone.localdate()
    active = Count("members", filter=Q(members__started_on__lte=today) & Q(members__ended_on__isnull=True))
    sizes = Counter(boards.annotate(n=active).values_list("n", flat=True))
    short = sum(n for size, n in sizes.items() if not 3 <= size <= 9)
    assert short == sizes[2] == 2  # two boards short of members, so the "3–9" check shows


@pytest.mark.django_db
def test_projects_and_community_boards(lac_son):
    projects = InvestmentProject.objects.filter(unit__parent=lac_son)
    assert not projects.exclude(total_value=F("state_budget") + F("people_money") + F("other_value")).exists()
    assert not projects.filter(Q(total_value__lt=50_000_000) | Q(total_value__gt=5_000_000_000)).exists()
    assert not projects.filter(end_on__lt=F("start_on")).exists()
    assert not projects.exclude(investor__startswith="UBND").exists()
    boards = CommunityBoard.objects.filter(project__in=projects)
    assert boards.count() == 139
    assert boards.filter(dissolved_on__isnull=False).exists()
    assert not boards.filter(dissolved_on__lt=F("project__end_on")).exists()
    today = timezone.localdate()
    for board in boards.prefetch_related("members"):
        assert sum(1 for m in board.members.all() if m.is_active_on(today)) >= 5
    # The town's account can record a supervision on a people-funded work still under way.
    town = Unit.objects.get(code_list=CodeList.LEGACY, code=units_demo.COMMUNE_CODE)
    working = boards.filter(unit=town, dissolved_on__isnull=True)
    assert working.filter(project__funding_source="von_cong_suc_cong_dong").exists()
    assert working.filter(project__funding_source="ngan_sach_nha_nuoc").exists()


@pytest.mark.django_db
def test_conferences_and_conventions(lac_son):
    agencies = Unit.objects.filter(path__startswith=lac_son.path, kind__in=AGENCY_KINDS)
    conferences = WorkplaceConference.objects.filter(unit__in=agencies)
    assert not conferences.filter(unit__kind__in=ENTERPRISE_KINDS).exclude(kind="hn_nguoi_lao_dong").exists()
    assert not conferences.exclude(unit__kind__in=ENTERPRISE_KINDS).exclude(kind="hn_cbccvc").exists()
    assert not conferences.filter(participants__gt=F("unit__staff_count")).exists()
    for year in (2024, 2025):
        held = conferences.filter(year=year).values("unit").distinct().count()
        assert 0.8 * agencies.count() <= held < agencies.count()  # most, not all: "conference-missing"
        late = [c for c in conferences.filter(year=year) if c.is_late]
        assert late
        assert all(c.held_on.month in (4, 5) for c in late)
    conventions = VillageConvention.objects.filter(hamlet__parent__parent=lac_son)
    hamlets = Unit.objects.filter(parent__parent=lac_son, kind=UnitKind.HAMLET)
    in_force = conventions.filter(status="hieu_luc")
    assert in_force.values("hamlet").distinct().count() >= 0.75 * hamlets.count()
    assert not in_force.filter(Q(recognised_on__isnull=True) | Q(adopted_on__isnull=True)).exists()
    adopted = conventions.exclude(status="du_thao").annotate(twice=F("households_approving") * 2)
    assert not adopted.filter(twice__lte=F("households_total")).exists()  # more than half approved
    assert not conventions.filter(households_approving__gt=F("households_total")).exists()
    assert in_force.aggregate(last=Max("recognised_on"))["last"].year <= 2025
    assert conventions.filter(status="du_thao").exists()
    for status in ("tam_ngung", "sua_doi", "thay_the"):
        changed = conventions.filter(status=status)
        assert changed.exists(), status
        assert not changed.exclude(status_changed_on__range=(START, END)).exists(), status


@pytest.mark.django_db
def test_nothing_is_dated_after_today(lac_son):
    today = timezone.localdate()
    dated = {
        InspectionBoard: ("term_start", "term_end", "decision_date"),
        BoardMember: ("started_on", "ended_on"),
        CommunityBoard: ("established_on", "dissolved_on"),
        InvestmentProject: ("start_on", "end_on"),
        SupervisionActivity: ("held_on",),
        WorkplaceConference: ("held_on",),
        VillageConvention: ("draft_posted_on", "adopted_on", "recognised_on", "status_changed_on"),
    }
    for model, names in dated.items():
        for name in names:
            last = model.objects.aggregate(last=Max(name))["last"]
            assert last is None or last <= END <= today, (model.__name__, name)
    assert SupervisionActivity.objects.filter(held_on__lt=START).count() == 0
    assert not SupervisionActivity.objects.filter(inspection_board__term_start__gt=F("held_on")).exists()
    assert not SupervisionActivity.objects.filter(inspection_board__term_end__lt=F("held_on")).exists()
    assert not SupervisionActivity.objects.filter(community_board__established_on__gt=F("held_on")).exists()
    assert not WorkplaceConference.objects.exclude(held_on__year=F("year") + 1).exclude(mode="bat_thuong").exists()


@pytest.mark.django_db
def test_second_run_creates_nothing(lac_son):
    models = (
        InspectionBoard,
        BoardMember,
        InvestmentProject,
        CommunityBoard,
        SupervisionActivity,
        WorkplaceConference,
        VillageConvention,
    )
    before = [m.objects.count() for m in models]
    assert all(before)
    out = _seed()
    assert [m.objects.count() for m in models] == before
    assert "đã có sẵn, không tạo thêm" in out
