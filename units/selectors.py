"""Reads over the unit tree (HackSoft-style selectors)."""

from __future__ import annotations

from django.db.models import Count, Q

from units.models import AGENCY_KINDS, Unit, UnitKind

COUNTED = {
    "communes": [UnitKind.COMMUNE],
    "agencies": list(AGENCY_KINDS),
    "hamlets": [UnitKind.HAMLET],
}


def subtree_counts(units: list[Unit]) -> dict[int, dict[str, int]]:
    """Communes, agencies and hamlets under each of ``units``, in one SQL query.

    One indexed prefix scan over the union of the subtrees, with a conditional COUNT
    per (unit, kind): the number of queries does not grow with the page size.
    """
    if not units:
        return {}
    outer = Q()
    for unit in units:
        outer |= Q(path__startswith=unit.path)
    aggregates = {}
    for unit in units:
        for name, kinds in COUNTED.items():
            aggregates[f"u{unit.pk}_{name}"] = Count(
                "pk", filter=Q(path__startswith=unit.path, kind__in=kinds) & ~Q(pk=unit.pk)
            )
    row = Unit.objects.filter(outer).aggregate(**aggregates)
    return {unit.pk: {name: row[f"u{unit.pk}_{name}"] for name in COUNTED} for unit in units}


def attach_counts(page) -> None:
    """Set ``.counts`` on every unit of a paginator page."""
    units = list(page.object_list)
    counts = subtree_counts(units)
    for unit in units:
        unit.counts = counts[unit.pk]
    page.object_list = units
