"""Figures for Biểu 04–07 (DOMAIN.md §3.4) over a unit's subtree and a date window, in SQL."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum

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
from units.models import ENTERPRISE_KINDS, Unit, UnitKind

AGENCY_CONFERENCE_KINDS = (UnitKind.STATE_AGENCY, UnitKind.PUBLIC_SERVICE, UnitKind.OTHER_ORG)
ENDED_STATUSES = ("tam_ngung", "sua_doi", "thay_the", "bai_bo")  # conventions once in force


def _active(prefix: str, on: dt.date) -> Q:
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


def _money(name: str, f: Q | None = None):
    # default=0 keeps the field's type (Coalesce(Sum(decimal), 0) raises "mixed types").
    return Sum(name, filter=f, default=0)


def inspection_figures(unit: Unit, start: dt.date, end: dt.date) -> dict:
    """Biểu 04: boards and members at the end of the window; supervisions inside it."""
    boards = InspectionBoard.objects.filter(unit__path__startswith=unit.path, term_start__lte=end).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=end)
    )
    figures = {
        "boards": boards.count(),
        "members": BoardMember.objects.filter(inspection_board__in=boards).filter(_active("", end)).count(),
    }
    acts = SupervisionActivity.objects.filter(
        unit__path__startswith=unit.path, inspection_board__isnull=False, held_on__range=(start, end)
    )
    figures.update(
        acts.aggregate(
            supervisions=Count("pk"),
            **{f"field_{f}": Count("pk", filter=Q(field=f)) for f in SupervisionField.values},
            violations=_money("violations_count"),
            recommendations=_money("recommendations_count"),
            recommendations_resolved=_money("recommendations_resolved"),
            money_recovered=_money("money_recovered"),
            land_recovered_m2=_money("land_recovered_m2"),
        )
    )
    return figures


def community_figures(unit: Unit, start: dt.date, end: dt.date) -> dict:
    """Biểu 05: community investment supervision boards, projects and supervisions by funding."""
    boards = CommunityBoard.objects.filter(unit__path__startswith=unit.path, established_on__lte=end).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start)
    )
    acts = SupervisionActivity.objects.filter(
        unit__path__startswith=unit.path, community_board__isnull=False, held_on__range=(start, end)
    )
    figures = {
        "boards": boards.count(),
        "members": BoardMember.objects.filter(community_board__in=boards).filter(_active("", end)).count(),
        "projects": InvestmentProject.objects.filter(activities__in=acts).distinct().count(),
    }
    funding = "community_board__project__funding_source"
    figures.update(
        acts.aggregate(
            supervisions=Count("pk"),
            **{
                f"funding_{source}": Count("pk", filter=Q(**{funding: source}))
                for source in InvestmentProject.Funding.values
            },
            violations=_money("violations_count"),
            recommendations=_money("recommendations_count"),
            money_recovered=_money("money_recovered"),
            settlement_reduced=_money("settlement_reduced"),
        )
    )
    return figures


def workplace_figures(unit: Unit, start: dt.date, end: dt.date, *, year: int | None = None) -> dict:
    """Biểu 06: agencies holding their staff conference, enterprises their workers' conference
    (for ``year``, default the window's end year), and enterprise dialogues in the window."""
    year = year or end.year
    agencies = Unit.objects.filter(path__startswith=unit.path, kind__in=AGENCY_CONFERENCE_KINDS, valid_to__isnull=True)
    enterprises = Unit.objects.filter(path__startswith=unit.path, kind__in=ENTERPRISE_KINDS, valid_to__isnull=True)
    held = WorkplaceConference.objects.filter(year=year)
    figures = {
        "year": year,
        "agencies_total": agencies.count(),
        "agencies_with_conference": agencies.filter(conferences__in=held.filter(kind="hn_cbccvc")).distinct().count(),
        "enterprises_total": enterprises.count(),
        "enterprises_with_conference": enterprises.filter(conferences__in=held.filter(kind="hn_nguoi_lao_dong"))
        .distinct()
        .count(),
        "late_conferences": WorkplaceConference.objects.filter(
            unit__path__startswith=unit.path, year=year, mode="dinh_ky", held_on__gt=dt.date(year + 1, 3, 31)
        ).count(),
    }
    dialogues = DialogueSession.objects.filter(
        unit__path__startswith=unit.path, level="enterprise", held_on__range=(start, end)
    )
    figures.update(
        dialogues.aggregate(
            enterprises_with_dialogue=Count("unit", distinct=True),
            **{f"dialogues_{t}": Count("pk", filter=Q(trigger=t)) for t in Trigger.values},
        )
    )
    return figures


def convention_figures(unit: Unit, start: dt.date, end: dt.date) -> dict:
    """Biểu 07: hamlets with a convention in force at the end of the window; changes inside it."""
    conventions = VillageConvention.objects.filter(hamlet__path__startswith=unit.path)
    return {
        "hamlets_total": Unit.objects.filter(
            path__startswith=unit.path, kind=UnitKind.HAMLET, valid_to__isnull=True
        ).count(),
        # In force at the end of the window: recognised by then and not suspended, amended,
        # replaced or repealed by then (the status is today's, status_changed_on says since when).
        "hamlets_with_convention": conventions.filter(recognised_on__lte=end)
        .filter(Q(status="hieu_luc") | Q(status__in=ENDED_STATUSES, status_changed_on__gt=end))
        .values("hamlet")
        .distinct()
        .count(),
        **conventions.aggregate(
            recognised_in_window=Count("pk", filter=Q(recognised_on__range=(start, end))),
            amended_or_replaced=Count(
                "pk", filter=Q(status__in=["sua_doi", "thay_the"], status_changed_on__range=(start, end))
            ),
            suspended=Count("pk", filter=Q(status="tam_ngung", status_changed_on__range=(start, end))),
        ),
    }
