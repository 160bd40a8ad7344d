"""Figures for the reports (DOMAIN.md §3.4 Biểu 02 and 03), aggregated in SQL over a unit's subtree.

Each function runs a fixed number of queries whatever the number of records: one
conditional aggregate over the rows whose unit path starts with the scope's path.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from dialogues.models import (
    OPEN_STATUSES,
    DialogueSession,
    Level,
    Petition,
    PetitionStatus,
    ReceptionKind,
    ReceptionSession,
    Scope,
    Trigger,
)
from units.models import Unit


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def dialogue_figures(unit: Unit, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> dict:
    """Biểu 02 for ``unit``'s subtree and the window [start, end] (two queries)."""
    today = today or timezone.localdate()
    sessions = DialogueSession.objects.filter(unit__path__startswith=unit.path, held_on__range=(start, end))
    s = sessions.aggregate(
        sessions=Count("pk"),
        **{f"level_{lv}": Count("pk", filter=Q(level=lv)) for lv in Level.values},
        **{f"scope_{sc}": Count("pk", filter=Q(scope=sc)) for sc in Scope.values},
        **{f"trigger_{tr}": Count("pk", filter=Q(trigger=tr)) for tr in Trigger.values},
        participants=Coalesce(Sum("participants"), 0),
    )
    petitions = Petition.objects.filter(session__in=sessions)
    p = petitions.aggregate(
        raised=Count("pk"),
        answered=Count("pk", filter=Q(answered_at_session=True)),
        assigned_after=Count("pk", filter=Q(answered_at_session=False)),
        resolved=Count("pk", filter=Q(status__in=[PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED])),
        transferred=Count("pk", filter=Q(status=PetitionStatus.TRANSFERRED)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
    )
    figures = {**s, **p}
    figures["resolution_rate"] = _rate(p["resolved"], p["raised"])
    return figures


RECEPTION_GROUPS = {
    "routine": [ReceptionKind.ROUTINE],
    "head": [ReceptionKind.PERIODIC_HEAD, ReceptionKind.AD_HOC],
}


def reception_figures(unit: Unit, start: dt.date, end: dt.date, *, compare: bool = True) -> dict:
    """Biểu 03 for ``unit``'s subtree and the window; with ``compare``, the change against
    the same window one year earlier (two queries)."""

    def one(a: dt.date, b: dt.date) -> dict:
        qs = ReceptionSession.objects.filter(unit__path__startswith=unit.path, held_on__range=(a, b))
        aggregates = {}
        for group, kinds in RECEPTION_GROUPS.items():
            f = Q(kind__in=kinds)
            aggregates[f"{group}_sessions"] = Count("pk", filter=f)
            aggregates[f"{group}_persons"] = Coalesce(Sum("persons", filter=f), 0)
            aggregates[f"{group}_cases_old"] = Coalesce(Sum("cases_old", filter=f), 0)
            aggregates[f"{group}_cases_new"] = Coalesce(Sum("cases_new", filter=f), 0)
        for name in (
            "delegations",
            "delegation_persons",
            "complaints",
            "denunciations",
            "petitions_count",
            "persons",
            "cases_new",
            "cases_old",
        ):
            aggregates[f"total_{name}"] = Coalesce(Sum(name), 0)
        aggregates["total_sessions"] = Count("pk")
        return qs.aggregate(**aggregates)

    figures = one(start, end)
    if compare:
        prev = one(_year_before(start), _year_before(end))
        for name in ("total_sessions", "total_persons", "total_cases_new"):
            figures[f"change_{name}"] = figures[name] - prev[name]
            figures[f"previous_{name}"] = prev[name]
    return figures


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
