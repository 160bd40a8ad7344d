"""Biểu 04–07 figures (boards/selectors.py) against an independent count in plain Python.

A small random world: communes under two districts, hamlets (one ended), agencies of every
kind (one ended), inspection boards of communes and agencies over several terms, members who
left, projects of every funding source with their community boards (some dissolved),
supervisions by both kinds of board inside and outside the window, workplace conferences
(on time, late, extraordinary, missing, one recorded under the wrong kind), enterprise and
commune dialogues, and village conventions whose status changed before, inside and after
the window.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from boards import selectors, services
from boards.models import (
    BoardMember,
    CommunityBoard,
    InspectionBoard,
    InvestmentProject,
    SupervisionActivity,
    SupervisionField,
    VillageConvention,
    WorkplaceConference,
)
from dialogues.models import DialogueSession, Trigger
from dialogues.services import LEVEL_OF_KIND
from tests.factories import UnitFactory
from units.models import AGENCY_KINDS, ENTERPRISE_KINDS, Unit, UnitKind

pytestmark = pytest.mark.django_db

FIRST, LAST = dt.date(2023, 1, 1), dt.date(2026, 11, 20)
WINDOWS = [
    (dt.date(2024, 11, 1), dt.date(2025, 10, 31)),
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    (dt.date(2023, 11, 1), dt.date(2026, 11, 15)),
]
ENDED_STATUSES = ("tam_ngung", "sua_doi", "thay_the", "bai_bo")
# Queries per selector, whatever the size of the world.
QUERIES = {"inspection": 3, "community": 4, "workplace": 6, "convention": 3}


def _day(rng: random.Random, first: dt.date = FIRST, last: dt.date = LAST) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _maybe_after(rng: random.Random, day: dt.date, p: float) -> dt.date | None:
    return _day(rng, day, LAST) if rng.random() < p else None


def _members(rng, board, n, since):
    for i in range(n):
        started = _day(rng, since, LAST)
        ended = _maybe_after(rng, started, 0.3)
        services.member_add(
            actor=None,
            board=board,
            data={
                "full_name": f"Thành viên {i}",
                "role": "truong_ban" if i == 0 else rng.choice(["pho_truong_ban", "uy_vien"]),
                "gender": rng.choice(["nam", "nu"]),
                "started_on": started,
                "ended_on": ended,
                "end_reason": "xin_thoi" if ended else "",
            },
        )


def _activity(rng, board):
    made = rng.randint(0, 5)
    services.activity_create(
        actor=None,
        board=board,
        data={
            "held_on": _day(rng),
            "subject": "Giám sát",
            "field": rng.choice(SupervisionField.values),
            "findings_count": rng.randint(0, 6),
            "violations_count": rng.randint(0, 3),
            "recommendations_count": made,
            "recommendations_resolved": rng.randint(0, made),
            "money_recovered": Decimal(rng.choice([0, 0, rng.randrange(100_000, 90_000_000, 100_000)])),
            "settlement_reduced": Decimal(rng.choice([0, rng.randrange(1_000_000, 400_000_000, 1000)])),
            "land_recovered_m2": Decimal(rng.choice([0, 0, rng.randrange(5, 9000)])) / 10,
        },
    )


def build_world(tree, seed: int, scale: int = 1) -> None:
    rng = random.Random(seed)
    x, y = tree["district_x"], tree["district_y"]
    extra = UnitFactory(name="Xã Quý Hòa", kind=UnitKind.COMMUNE, official_type="xa", parent=x)
    communes = [tree["commune_a"], tree["commune_b"], extra, tree["commune_c"]]

    hamlets = []
    for commune in communes:
        for i in range(4 * scale):
            ended = rng.random() < 0.08 or (commune == communes[0] and i == 0)
            hamlets.append(
                UnitFactory(
                    name=f"Xóm {commune.pk}-{i}",
                    kind=UnitKind.HAMLET,
                    parent=commune,
                    valid_to=dt.date(2025, 6, 30) if ended else None,
                )
            )
    agencies = []
    for parent in [x, y, *communes]:
        for i in range(2 * scale):
            kind = rng.choice(AGENCY_KINDS)
            agencies.append(
                UnitFactory(
                    name=f"Cơ quan {parent.pk}-{i}",
                    kind=kind,
                    parent=parent,
                    staff_count=rng.randint(3, 200),
                    valid_to=dt.date(2025, 6, 30) if rng.random() < 0.1 or (parent == x and i == 0) else None,
                )
            )

    # People's inspection boards: communes over two terms, most agencies over one.
    for unit in communes + agencies:
        if unit.kind in AGENCY_KINDS and rng.random() < 0.4:
            continue
        start = _day(rng, dt.date(2022, 1, 1), dt.date(2025, 6, 30))
        terms = [(start, _maybe_after(rng, start, 0.5))]
        if terms[0][1] and rng.random() < 0.7:
            terms.append((terms[0][1] + dt.timedelta(days=1), None))
        for term_start, term_end in terms:
            board = services.inspection_board_create(
                actor=None, data={"unit": unit, "term_start": term_start, "term_end": term_end}
            )
            _members(rng, board, rng.randint(2, 9), term_start)
            for _ in range(rng.randint(0, 4)):
                _activity(rng, board)

    # Projects of every funding source, most with a community board.
    for commune in communes:
        for i in range(4 * scale):
            total = Decimal(rng.randrange(50, 5000) * 1_000_000)
            project = services.project_create(
                actor=None,
                data={
                    "unit": commune,
                    "name": f"Công trình {commune.pk}-{i}",
                    "funding_source": rng.choice(InvestmentProject.Funding.values),
                    "total_value": total,
                    "state_budget": total,
                    "investor": "UBND xã",
                    "start_on": _day(rng),
                },
            )
            if rng.random() < 0.2:
                continue
            established = _day(rng, dt.date(2023, 1, 1), dt.date(2026, 6, 30))
            dissolved = established + dt.timedelta(days=rng.randint(30, 500)) if rng.random() < 0.5 else None
            dissolved = dissolved if dissolved and dissolved <= LAST else None
            board = services.community_board_create(
                actor=None,
                project=project,
                data={"established_on": established, "dissolved_on": dissolved},
            )
            _members(rng, board, rng.randint(3, 7), established)
            for _ in range(rng.randint(0, 3)):
                _activity(rng, board)

    # Workplace conferences for 2024 and 2025; some late, some extraordinary, some missing.
    for unit in agencies:
        right = "hn_nguoi_lao_dong" if unit.kind in ENTERPRISE_KINDS else "hn_cbccvc"
        wrong = "hn_cbccvc" if right == "hn_nguoi_lao_dong" else "hn_nguoi_lao_dong"
        for year in (2024, 2025):
            for _ in range(rng.choice([0, 1, 1, 1, 2])):
                late = rng.random() < 0.3
                held_on = _day(rng, dt.date(year + 1, 1, 2), dt.date(year + 1, 3, 31))
                if late:
                    held_on = _day(rng, dt.date(year + 1, 4, 1), dt.date(year + 1, 7, 31))
                WorkplaceConference.objects.create(
                    unit=unit,
                    kind=wrong if rng.random() < 0.05 else right,
                    mode="bat_thuong" if rng.random() < 0.15 else "dinh_ky",
                    held_on=min(held_on, LAST),
                    year=year,
                    participants=rng.randint(1, 50),
                )
    # Dialogues: those of enterprises count, those of the communes do not.
    for unit in agencies + communes:
        if unit.kind not in ENTERPRISE_KINDS and unit.kind != UnitKind.COMMUNE:
            continue
        for _ in range(rng.randint(0, 3)):
            DialogueSession.objects.create(
                unit=unit,
                level=LEVEL_OF_KIND[unit.kind],
                held_on=_day(rng),
                chair_role="nguoi_su_dung_lao_dong",
                chair_name="Ông A",
                scope="toan_dien",
                trigger=rng.choice(Trigger.values),
                topic="Đối thoại",
                participants=rng.randint(5, 90),
            )

    # Village conventions: in force, drafts, suspended/amended/replaced/repealed at any time.
    for hamlet in hamlets:
        for _ in range(rng.choice([0, 1, 1, 2])):
            status = rng.choice(VillageConvention.Status.values)
            recognised = None if status == "du_thao" else _day(rng, dt.date(2019, 1, 1), LAST)
            changed = None
            if status in ENDED_STATUSES and rng.random() < 0.9:
                changed = _day(rng, max(recognised, dt.date(2023, 6, 1)), LAST)
            services.convention_save(
                actor=None,
                data={
                    "hamlet": hamlet,
                    "kind": rng.choice(VillageConvention.Kind.values),
                    "title": "Hương ước",
                    "households_total": 100,
                    "households_approving": 70,
                    "recognised_on": recognised,
                    "status": status,
                    "status_changed_on": changed,
                },
            )


# --- independent counts over the rows, in plain Python ------------------------------------------
def _in(unit: Unit, scope: Unit) -> bool:
    return unit.path.startswith(scope.path)


def _active(member: BoardMember, day: dt.date) -> bool:
    return member.started_on <= day and (member.ended_on is None or member.ended_on >= day)


def _acts(scope, start, end, kind):
    rows = SupervisionActivity.objects.select_related(
        "unit", "community_board__project", "inspection_board", "project"
    ).order_by("pk")
    return [
        a for a in rows if _in(a.unit, scope) and start <= a.held_on <= end and getattr(a, f"{kind}_id") is not None
    ]


def _close(a, b) -> bool:
    return abs(Decimal(a) - Decimal(b)) < Decimal("0.01")


def expected_inspection(scope, start, end) -> dict:
    boards = [
        b
        for b in InspectionBoard.objects.select_related("unit")
        if _in(b.unit, scope) and b.term_start <= end and (b.term_end is None or b.term_end >= end)
    ]
    ids = {b.pk for b in boards}
    acts = _acts(scope, start, end, "inspection_board")
    out = {
        "boards": len(boards),
        "members": sum(1 for m in BoardMember.objects.all() if m.inspection_board_id in ids and _active(m, end)),
        "supervisions": len(acts),
        "violations": sum(a.violations_count for a in acts),
        "recommendations": sum(a.recommendations_count for a in acts),
        "recommendations_resolved": sum(a.recommendations_resolved for a in acts),
        "money_recovered": sum((a.money_recovered for a in acts), Decimal(0)),
        "land_recovered_m2": sum((a.land_recovered_m2 for a in acts), Decimal(0)),
    }
    for field in SupervisionField.values:
        out[f"field_{field}"] = sum(1 for a in acts if a.field == field)
    return out


def expected_community(scope, start, end) -> dict:
    boards = [
        b
        for b in CommunityBoard.objects.select_related("unit")
        if _in(b.unit, scope) and b.established_on <= end and (b.dissolved_on is None or b.dissolved_on >= start)
    ]
    ids = {b.pk for b in boards}
    acts = _acts(scope, start, end, "community_board")
    out = {
        "boards": len(boards),
        "members": sum(1 for m in BoardMember.objects.all() if m.community_board_id in ids and _active(m, end)),
        "projects": len({a.community_board.project_id for a in acts}),
        "supervisions": len(acts),
        "violations": sum(a.violations_count for a in acts),
        "recommendations": sum(a.recommendations_count for a in acts),
        "money_recovered": sum((a.money_recovered for a in acts), Decimal(0)),
        "settlement_reduced": sum((a.settlement_reduced for a in acts), Decimal(0)),
    }
    for source in InvestmentProject.Funding.values:
        out[f"funding_{source}"] = sum(1 for a in acts if a.community_board.project.funding_source == source)
    return out


def expected_workplace(scope, start, end, year) -> dict:
    units = [u for u in Unit.objects.all() if _in(u, scope) and u.valid_to is None]
    agencies = [u for u in units if u.kind in (UnitKind.STATE_AGENCY, UnitKind.PUBLIC_SERVICE, UnitKind.OTHER_ORG)]
    enterprises = [u for u in units if u.kind in ENTERPRISE_KINDS]
    conferences = [c for c in WorkplaceConference.objects.select_related("unit") if c.year == year]
    held_by = {(c.unit_id, c.kind) for c in conferences}
    sessions = [
        s
        for s in DialogueSession.objects.select_related("unit")
        if _in(s.unit, scope) and s.level == "enterprise" and start <= s.held_on <= end
    ]
    out = {
        "year": year,
        "agencies_total": len(agencies),
        "agencies_with_conference": sum(1 for u in agencies if (u.pk, "hn_cbccvc") in held_by),
        "enterprises_total": len(enterprises),
        "enterprises_with_conference": sum(1 for u in enterprises if (u.pk, "hn_nguoi_lao_dong") in held_by),
        "late_conferences": sum(1 for c in conferences if _in(c.unit, scope) and c.is_late),
        "enterprises_with_dialogue": len({s.unit_id for s in sessions}),
    }
    for trigger in Trigger.values:
        out[f"dialogues_{trigger}"] = sum(1 for s in sessions if s.trigger == trigger)
    return out


def _in_force(c: VillageConvention, day: dt.date) -> bool:
    if c.recognised_on is None or c.recognised_on > day:
        return False
    if c.status == "hieu_luc":
        return True
    return c.status in ENDED_STATUSES and c.status_changed_on is not None and c.status_changed_on > day


def expected_convention(scope, start, end) -> dict:
    rows = [c for c in VillageConvention.objects.select_related("hamlet") if _in(c.hamlet, scope)]

    def changed_in_window(c, statuses):
        return c.status in statuses and c.status_changed_on is not None and start <= c.status_changed_on <= end

    return {
        "hamlets_total": sum(
            1 for u in Unit.objects.filter(kind=UnitKind.HAMLET) if _in(u, scope) and u.valid_to is None
        ),
        "hamlets_with_convention": len({c.hamlet_id for c in rows if _in_force(c, end)}),
        "recognised_in_window": sum(1 for c in rows if c.recognised_on and start <= c.recognised_on <= end),
        "amended_or_replaced": sum(1 for c in rows if changed_in_window(c, ("sua_doi", "thay_the"))),
        "suspended": sum(1 for c in rows if changed_in_window(c, ("tam_ngung",))),
    }


def _assert_same(figures: dict, expected: dict) -> None:
    assert set(expected) <= set(figures)
    for key, value in expected.items():
        if isinstance(value, Decimal):
            assert _close(figures[key], value), (key, figures[key], value)
        else:
            assert figures[key] == value, (key, figures[key], value)


def _scopes(tree):
    return [tree["district_x"], tree["commune_a"]]


@pytest.mark.parametrize("seed", [11, 22, 33])
def test_inspection_and_community_figures_match_an_independent_count(tree, seed):
    build_world(tree, seed)
    for scope in _scopes(tree):
        for start, end in WINDOWS:
            _assert_same(selectors.inspection_figures(scope, start, end), expected_inspection(scope, start, end))
            _assert_same(selectors.community_figures(scope, start, end), expected_community(scope, start, end))


@pytest.mark.parametrize("seed", [11, 22, 33])
def test_workplace_figures_match_an_independent_count(tree, seed):
    build_world(tree, seed)
    for scope in _scopes(tree):
        for start, end in WINDOWS:
            figures = selectors.workplace_figures(scope, start, end)
            _assert_same(figures, expected_workplace(scope, start, end, end.year))
            for year in (2024, 2025):
                figures = selectors.workplace_figures(scope, start, end, year=year)
                _assert_same(figures, expected_workplace(scope, start, end, year))


@pytest.mark.parametrize("seed", [11, 22, 33])
def test_convention_figures_match_an_independent_count(tree, seed):
    build_world(tree, seed)
    for scope in _scopes(tree):
        for start, end in WINDOWS:
            _assert_same(selectors.convention_figures(scope, start, end), expected_convention(scope, start, end))


@pytest.mark.parametrize("seed", [11, 22, 33])
def test_the_random_world_covers_the_cases(tree, seed):
    """The worlds above are worth checking against: every case shows up in each."""
    build_world(tree, seed)
    start, end = WINDOWS[0]
    assert InspectionBoard.objects.filter(term_end__lt=end).exists()
    assert InspectionBoard.objects.filter(term_start__lte=end, term_end__isnull=True).exists()
    assert BoardMember.objects.filter(ended_on__isnull=False).exists()
    assert CommunityBoard.objects.filter(dissolved_on__lt=start).exists()
    acts = SupervisionActivity.objects
    assert acts.filter(inspection_board__isnull=False, held_on__range=(start, end)).exists()
    assert acts.filter(community_board__isnull=False, held_on__range=(start, end)).exists()
    assert acts.exclude(held_on__range=(start, end)).exists()
    assert acts.filter(unit__path__startswith=tree["district_y"].path).exists()
    assert len(set(InvestmentProject.objects.values_list("funding_source", flat=True))) >= 4
    conferences = WorkplaceConference.objects
    assert any(c.is_late for c in conferences.all())
    assert conferences.filter(mode="bat_thuong").exists()
    assert Unit.objects.filter(kind__in=AGENCY_KINDS, valid_to__isnull=False).exists()
    assert Unit.objects.filter(kind=UnitKind.HAMLET, valid_to__isnull=False).exists()
    changed = VillageConvention.objects.filter(status__in=ENDED_STATUSES)
    assert changed.filter(status_changed_on__gt=end, recognised_on__lte=end).exists()
    assert changed.filter(status_changed_on__range=(start, end)).exists()


@pytest.mark.parametrize("scale", [1, 5])
def test_query_count_does_not_grow_with_the_world(tree, scale, django_assert_max_num_queries):
    build_world(tree, 7, scale=scale)
    assert SupervisionActivity.objects.count() > 10 * scale
    start, end = WINDOWS[0]
    for scope in _scopes(tree):
        with django_assert_max_num_queries(QUERIES["inspection"]):
            selectors.inspection_figures(scope, start, end)
        with django_assert_max_num_queries(QUERIES["community"]):
            selectors.community_figures(scope, start, end)
        with django_assert_max_num_queries(QUERIES["workplace"]):
            selectors.workplace_figures(scope, start, end)
        with django_assert_max_num_queries(QUERIES["convention"]):
            selectors.convention_figures(scope, start, end)
