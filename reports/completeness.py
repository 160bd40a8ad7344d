"""How complete a period's reporting is in a scope (DESIGN.md "Reports"): who is expected to
report, who submitted (on time or late), who is missing, approved or returned.

Expected units: in the scope's subtree and the period's province, of a kind that reports and
for which an active template of the province applies to the period, in force on the period's
``data_end``. A unit "submitted" once ``first_submitted_at`` is set (a report returned after
it was sent still counts as submitted); "on time" when that local date is <= ``due_date``.

Every function runs a fixed number of SQL queries whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, FilteredRelation, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from reports.models import ReportingPeriod, ReportStatus, ReportTemplate
from reports.services import KIND_APPLIES_TO
from units.models import AGENCY_KINDS, Unit, UnitKind

GROUPS = ("communes", "agencies")
MEASURES = ("expected", "submitted", "on_time", "late", "missing", "approved", "returned")
APPROVED_STATUSES = (ReportStatus.APPROVED, ReportStatus.LOCKED)

# Per-unit state on the completeness page.
MISSING, ON_TIME, LATE = "missing", "on_time", "late"


@dataclass
class Counts:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    approved: int = 0
    returned: int = 0

    def _pct(self, n: int) -> float | None:
        return round(100 * n / self.expected, 1) if self.expected else None

    @property
    def submitted_pct(self):
        return self._pct(self.submitted)

    @property
    def on_time_pct(self):
        return self._pct(self.on_time)

    @property
    def late_pct(self):
        return self._pct(self.late)

    @property
    def missing_pct(self):
        return self._pct(self.missing)

    @property
    def approved_pct(self):
        return self._pct(self.approved)

    def add(self, other: Counts) -> None:
        for name in MEASURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in MEASURES}


@dataclass
class Row:
    """One direct child of the scope (or the scope itself when it reports)."""

    unit: Unit
    communes: Counts
    agencies: Counts
    is_scope: bool = False

    @property
    def total(self) -> Counts:
        c = Counts()
        c.add(self.communes)
        c.add(self.agencies)
        return c


@dataclass
class Completeness:
    scope: Unit
    period: ReportingPeriod
    communes: Counts = field(default_factory=Counts)
    agencies: Counts = field(default_factory=Counts)
    rows: list[Row] = field(default_factory=list)
    units: list[Unit] | None = None  # the per-unit list, at the leaf only

    def as_dict(self) -> dict:
        return {
            "scope": self.scope.pk,
            "period": self.period.pk,
            "communes": self.communes.as_dict(),
            "agencies": self.agencies.as_dict(),
            "rows": [
                {
                    "unit": r.unit.pk,
                    "name": r.unit.name,
                    "kind": r.unit.kind,
                    "communes": r.communes.as_dict(),
                    "agencies": r.agencies.as_dict(),
                }
                for r in self.rows
            ],
            "units": None
            if self.units is None
            else [
                {
                    "unit": u.pk,
                    "name": u.name,
                    "kind": u.kind,
                    "state": u.state,
                    "report": u.report_pk,
                    "status": u.report_status,
                    "first_submitted_at": u.first_submitted_at,
                    "approved_at": u.approved_at,
                }
                for u in self.units
            ],
        }


def reporting_kinds(period: ReportingPeriod) -> list[str]:
    """The unit kinds that report for ``period``: one query over the province's templates
    (the same rule as services.template_for, computed once for every unit)."""
    applies = {
        applies_to
        for applies_to, kinds in ReportTemplate.objects.filter(province=period.province_id, active=True).values_list(
            "applies_to", "period_kinds"
        )
        if not kinds or period.kind in kinds
    }
    return sorted(kind for kind, applies_to in KIND_APPLIES_TO.items() if applies_to in applies)


def on_time_cutoff(period: ReportingPeriod) -> dt.datetime:
    """Submitted before this instant = on time (the end of the due date, local time)."""
    return timezone.make_aware(dt.datetime.combine(period.due_date + dt.timedelta(days=1), dt.time.min))


def expected_units(period: ReportingPeriod, scope_path: str | None = None, kinds: list[str] | None = None) -> QuerySet:
    """Units expected to report for ``period`` under ``scope_path`` (default: the whole province),
    annotated with their report for the period (``rep``)."""
    if kinds is None:
        kinds = reporting_kinds(period)
    province_path = f"/{period.province_id}/"
    qs = Unit.objects.filter(path__startswith=province_path, kind__in=kinds)
    if scope_path:
        qs = qs.filter(path__startswith=scope_path)
    end = period.data_end
    return (
        qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=end))
        .annotate(rep=FilteredRelation("reports", condition=Q(reports__period=period)))
    )


def _conditions(period: ReportingPeriod) -> dict[str, Q]:
    submitted = Q(rep__first_submitted_at__isnull=False)
    cutoff = on_time_cutoff(period)
    return {
        "expected": Q(),
        "submitted": submitted,
        "on_time": submitted & Q(rep__first_submitted_at__lt=cutoff),
        "late": submitted & Q(rep__first_submitted_at__gte=cutoff),
        "missing": Q(rep__first_submitted_at__isnull=True),
        "approved": Q(rep__status__in=APPROVED_STATUSES),
        "returned": Q(rep__status=ReportStatus.RETURNED),
    }


GROUP_Q = {"communes": Q(kind=UnitKind.COMMUNE), "agencies": Q(kind__in=AGENCY_KINDS)}


def _aggregates(period: ReportingPeriod) -> dict:
    conds = _conditions(period)
    return {
        f"{group}__{name}": Count("pk", filter=GROUP_Q[group] & cond)
        for group in GROUPS
        for name, cond in conds.items()
    }


def _counts(values: dict, group: str) -> Counts:
    return Counts(**{name: values.get(f"{group}__{name}") or 0 for name in MEASURES})


def is_leaf(scope: Unit) -> bool:
    """The per-unit list is shown from the commune down (a province or district lists its children)."""
    return scope.kind not in (UnitKind.PROVINCE, UnitKind.DISTRICT)


def completeness(scope: Unit, period: ReportingPeriod, *, with_units: bool | None = None) -> Completeness:
    """Counts for ``scope`` and ``period``: totals per group, one row per direct child of the
    scope (one grouped query), and at the leaf the per-unit list."""
    result = Completeness(scope=scope, period=period)
    kinds = reporting_kinds(period)
    units = expected_units(period, scope.path, kinds)
    children = list(Unit.objects.filter(parent=scope).exclude(kind=UnitKind.HAMLET).order_by("kind", "name_key"))
    bucket = Case(
        *[When(path__startswith=child.path, then=Value(child.pk)) for child in children],
        default=Value(scope.pk),
        output_field=IntegerField(),
    )
    grouped = {
        row["bucket"]: row
        for row in units.annotate(bucket=bucket).order_by().values("bucket").annotate(**_aggregates(period))
    }
    for unit in [scope, *children]:
        values = grouped.get(unit.pk)
        if values is None:
            continue
        row = Row(unit=unit, communes=_counts(values, "communes"), agencies=_counts(values, "agencies"))
        row.is_scope = unit.pk == scope.pk
        result.communes.add(row.communes)
        result.agencies.add(row.agencies)
        if not row.is_scope:
            result.rows.append(row)
        else:
            result.rows.insert(0, row)
    if with_units is None:
        with_units = is_leaf(scope)
    if with_units:
        result.units = unit_list(units, period)
    return result


def unit_list(units: QuerySet, period: ReportingPeriod) -> list[Unit]:
    """Expected units with their report's pk, status, dates and ``state`` (missing / on_time / late)."""
    cutoff = on_time_cutoff(period)
    rows = list(
        units.annotate(
            report_pk=F("rep__pk"),
            report_status=F("rep__status"),
            first_submitted_at=F("rep__first_submitted_at"),
            approved_at=F("rep__approved_at"),
            state=Case(
                When(rep__first_submitted_at__isnull=True, then=Value(MISSING)),
                When(rep__first_submitted_at__lt=cutoff, then=Value(ON_TIME)),
                default=Value(LATE),
                output_field=CharField(),
            ),
            group_order=Case(When(kind=UnitKind.COMMUNE, then=Value(0)), default=Value(1)),
        ).order_by("group_order", "path")
    )
    labels = dict(ReportStatus.choices)
    for u in rows:
        u.report_status_label = labels.get(u.report_status, "")
    return rows


def missing_units(period: ReportingPeriod, scope_path: str | None = None) -> QuerySet:
    """Expected units that never submitted their report for ``period``."""
    return expected_units(period, scope_path).filter(rep__first_submitted_at__isnull=True)
