"""What a compilation reads (DESIGN.md "Compilation jobs and exports"): the province's indicator
tables, the approved reports of a scope and period aggregated in SQL along the unit path, and
the figures the narrative draft quotes.

Everything here is a fixed number of queries whatever the number of units: one GROUP BY per
indicator table for the per-unit rows (iterated, never loaded whole), one GROUP BY per table
for the group subtotals and scope totals, and the record figures of dialogues/ and boards/.
The workbook (reports/workbook.py) and the narrative (reports/narrative.py) only format what
this module returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from boards.selectors import community_figures, inspection_figures
from criteria.models import ClassificationBand, ScoreSheet
from dialogues.selectors import dialogue_figures, reception_figures
from reports import completeness as completeness_mod
from reports.models import (
    Indicator,
    IndicatorTable,
    ReportingPeriod,
    ReportStatus,
    ReportTemplate,
    ReportValue,
    TemplateSection,
    UnitReport,
)
from units.models import AGENCY_KINDS, Unit, UnitKind

APPROVED = (ReportStatus.APPROVED, ReportStatus.LOCKED)
NOT_YET_APPROVED = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)
# Biểu 13 is written from the score sheets (it carries the classification), not summed.
CLASSIFICATION_TABLE = "13"
DIRECT = 0  # group key of the units that sit right under the scope (or are not in a district)
AGENCIES_GROUP = -1  # group key of agencies when the scope has no districts


@dataclass(frozen=True)
class Column:
    """One indicator of a table, as a column of its sheet."""

    indicator_id: int
    code: str
    name: str
    unit_of_measure: str
    value_type: str
    summed: bool  # False: a rate or a score, shown as an average on group and total rows


@dataclass
class Group:
    key: int
    name: str
    values: dict[str, Decimal | None] = field(default_factory=dict)  # indicator code → sum (summed only)
    units: int = 0


@dataclass
class Table:
    """A table's columns and its SQL totals (per group and for the whole scope)."""

    id: int
    code: str
    title: str
    columns: list[Column]
    groups: list[Group] = field(default_factory=list)
    total: dict[str, Decimal | None] = field(default_factory=dict)
    units: int = 0


@dataclass
class UnitRow:
    unit_id: int
    name: str
    group: int
    status: str
    values: dict[str, Decimal | None]

    @property
    def pending(self) -> bool:
        return self.status in NOT_YET_APPROVED


@dataclass
class Summary:
    """Everything the narrative draft and the workbook's cover quote, computed in SQL."""

    scope: Unit
    period: ReportingPeriod
    generated_at: dt.datetime
    requested_by: str
    include_submitted: bool
    tables: list[Table]
    groups: dict[int, str]  # group key → name, in the workbook's order
    completeness: dict[str, int]
    reports_included: int
    reports_pending: int  # submitted, not yet approved (counted only with include_submitted)
    dialogues: dict
    reception: dict
    inspection: dict
    community: dict
    classification: list[tuple[str, int]]
    outline: list[tuple[str, str]]

    @property
    def province(self) -> Unit:
        return self.period.province

    def table(self, code: str) -> Table | None:
        return next((t for t in self.tables if t.code == code), None)


# --- Scope and grouping ----------------------------------------------------------------------


def statuses(include_submitted: bool) -> tuple[str, ...]:
    return APPROVED + (NOT_YET_APPROVED if include_submitted else ())


def groups_of(scope: Unit) -> dict[int, str]:
    """The workbook's groups: the districts of a province (then the units right under it), or
    for a scope without districts the communes, then the agencies (one query)."""
    districts = list(
        Unit.objects.filter(parent=scope, kind=UnitKind.DISTRICT).order_by("name_key").values_list("pk", "name")
    )
    if districts:
        return {**dict(districts), DIRECT: _("Đơn vị trực thuộc %(scope)s") % {"scope": scope.name}}
    return {DIRECT: _("Xã, phường, thị trấn"), AGENCIES_GROUP: _("Cơ quan, đơn vị, doanh nghiệp")}


def _group_whens(scope: Unit, groups: dict[int, str], prefix: str, result) -> list[When]:
    """One WHEN per group telling a row's group from its unit's path or kind; ``result(key)``
    is what the branch gives (the key, or its position for ordering)."""
    path, kind = f"{prefix}path", f"{prefix}kind"
    if AGENCIES_GROUP in groups:
        return [When(**{f"{kind}__in": AGENCY_KINDS}, then=Value(result(AGENCIES_GROUP)))]
    return [
        When(**{f"{path}__startswith": f"{scope.path}{pk}/"}, then=Value(result(pk))) for pk in groups if pk != DIRECT
    ]


def group_expression(scope: Unit, groups: dict[int, str], prefix: str = "") -> Case:
    """SQL CASE giving each row's group key from its unit's path (``prefix`` reaches the unit)."""
    return Case(
        *_group_whens(scope, groups, prefix, lambda key: key), default=Value(DIRECT), output_field=IntegerField()
    )


def group_order(scope: Unit, groups: dict[int, str], prefix: str = "") -> Case:
    """The group's position in ``groups``, from the same conditions (not from the group key's
    CASE nested once per group, which made the SQL grow with the square of the groups)."""
    position = {key: i for i, key in enumerate(groups)}
    return Case(
        *_group_whens(scope, groups, prefix, position.__getitem__),
        default=Value(position.get(DIRECT, len(groups))),
        output_field=IntegerField(),
    )


def included_reports(scope: Unit, period: ReportingPeriod, include_submitted: bool) -> QuerySet:
    return UnitReport.objects.filter(
        period=period, unit__path__startswith=scope.path, status__in=statuses(include_submitted)
    )


# --- Tables ----------------------------------------------------------------------------------


def tables_of(period: ReportingPeriod) -> list[Table]:
    """The province's indicator tables with their columns in force for the period (two queries)."""
    tables = {
        t.pk: Table(id=t.pk, code=t.code, title=t.title, columns=[])
        for t in IndicatorTable.objects.filter(province=period.province_id)
    }
    indicators = Indicator.objects.filter(table__province=period.province_id).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gt=period.data_start)
    )
    for ind in indicators.order_by("table__order", "table__code", "order", "code"):
        tables[ind.table_id].columns.append(
            Column(
                indicator_id=ind.pk,
                code=ind.code,
                name=ind.name,
                unit_of_measure=ind.unit_of_measure,
                value_type=ind.value_type,
                summed=ind.aggregation == Indicator.Aggregation.SUM,
            )
        )
    ordered = (
        IndicatorTable.objects.filter(province=period.province_id)
        .order_by("order", "code")
        .values_list("pk", flat=True)
    )
    return [tables[pk] for pk in ordered if tables[pk].columns]


def _pivot(table: Table, agg) -> dict:
    return {f"c{col.indicator_id}": agg("value", filter=Q(indicator_id=col.indicator_id)) for col in table.columns}


def _values(table: Table, row: dict) -> dict[str, Decimal | None]:
    return {col.code: row.get(f"c{col.indicator_id}") for col in table.columns}


def table_rows(
    scope: Unit, period: ReportingPeriod, table: Table, groups: dict[int, str], include_submitted: bool
) -> Iterator[UnitRow]:
    """One row per reporting unit, grouped, in the workbook's order: one GROUP BY over the
    values of the included reports, pivoted in SQL, streamed in chunks."""
    qs = (
        ReportValue.objects.filter(
            report__period=period,
            report__unit__path__startswith=scope.path,
            report__status__in=statuses(include_submitted),
            indicator__table_id=table.id,
        )
        .annotate(group=group_expression(scope, groups, "report__unit__"))
        .values("report__unit_id", "report__unit__name", "report__unit__name_key", "report__status", "group")
        .annotate(
            **_pivot(table, Max),
            is_agency=Max(Case(When(report__unit__kind__in=AGENCY_KINDS, then=Value(1)), default=Value(0))),
        )
        .annotate(order=group_order(scope, groups, "report__unit__"))
        .order_by("order", "is_agency", "report__unit__name_key", "report__unit_id")
    )
    for row in qs.iterator(chunk_size=2000):
        yield UnitRow(
            unit_id=row["report__unit_id"],
            name=row["report__unit__name"],
            group=row["group"],
            status=row["report__status"],
            values=_values(table, row),
        )


def table_totals(scope: Unit, period: ReportingPeriod, table: Table, groups: dict[int, str], include_submitted: bool):
    """Fill ``table.groups`` and ``table.total`` with SQL sums (GROUP BY the group key)."""
    base = ReportValue.objects.filter(
        report__period=period,
        report__unit__path__startswith=scope.path,
        report__status__in=statuses(include_submitted),
        indicator__table_id=table.id,
    )
    summed = Table(table.id, table.code, table.title, [c for c in table.columns if c.summed])
    rows = (
        base.annotate(group=group_expression(scope, groups, "report__unit__"))
        .values("group")
        .annotate(**_pivot(summed, Sum), units=Count("report__unit_id", distinct=True))
        .order_by()
    )
    by_key = {row["group"]: row for row in rows}
    table.groups = [
        Group(key=key, name=name, values=_values(summed, by_key[key]), units=by_key[key]["units"])
        for key, name in groups.items()
        if key in by_key
    ]
    total = base.aggregate(**_pivot(summed, Sum), units=Count("report__unit_id", distinct=True))
    table.total = _values(summed, total)
    table.units = total["units"]


# --- The other sheets ------------------------------------------------------------------------


def completeness_rows(scope: Unit, period: ReportingPeriod, groups: dict[int, str]) -> QuerySet:
    """Every unit expected to report, with its report's state, in the workbook's order."""
    cutoff = completeness_mod.on_time_cutoff(period)
    return (
        completeness_mod.expected_units(period, scope.path)
        .annotate(
            group=group_expression(scope, groups),
            report_status=F("rep__status"),
            first_submitted_at=F("rep__first_submitted_at"),
            approved_at=F("rep__approved_at"),
            rounds=F("rep__rounds"),
            state=Case(
                When(rep__first_submitted_at__isnull=True, then=Value(completeness_mod.MISSING)),
                When(rep__first_submitted_at__lt=cutoff, then=Value(completeness_mod.ON_TIME)),
                default=Value(completeness_mod.LATE),
                output_field=CharField(),
            ),
            is_agency=Case(When(kind__in=AGENCY_KINDS, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .annotate(order=group_order(scope, groups))
        .order_by("order", "is_agency", "name_key", "pk")
        .values("pk", "name", "kind", "group", "report_status", "first_submitted_at", "approved_at", "state", "rounds")
    )


def classification_rows(scope: Unit, period: ReportingPeriod, groups: dict[int, str]) -> QuerySet:
    """Biểu 13: the score sheets of the period in the scope (reviewed or published first)."""
    return (
        ScoreSheet.objects.filter(period=period, unit__path__startswith=scope.path)
        .annotate(group=group_expression(scope, groups, "unit__"))
        .annotate(order=group_order(scope, groups, "unit__"))
        .order_by("order", F("review_total").desc(nulls_last=True), "unit__name_key", "pk")
        .values(
            "unit__name",
            "group",
            "status",
            "self_total",
            "review_total",
            "self_class",
            "review_class",
            "note",
        )
    )


def classification_counts(scope: Unit, period: ReportingPeriod) -> list[tuple[str, int]]:
    """How many units got each classification, in the order of the province's bands (two queries)."""
    counts = dict(
        ScoreSheet.objects.filter(period=period, unit__path__startswith=scope.path)
        .values("review_class")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("review_class", "n")
    )
    order = list(
        ClassificationBand.objects.filter(criteria_set__province=period.province_id)
        .order_by("order", "-min_score")
        .values_list("label", flat=True)
    )
    seen: list[str] = []
    for label in [*order, *sorted(counts)]:
        if label in counts and label not in seen:
            seen.append(label)
    return [(label or _("Chưa xếp loại"), counts[label]) for label in seen]


def petition_rows(scope: Unit, period: ReportingPeriod, groups: dict[int, str], today: dt.date) -> QuerySet:
    """Petitions raised at sessions held in the window, per unit holding the session: raised,
    answered, resolved, open, overdue (one GROUP BY)."""
    from dialogues.models import OPEN_STATUSES, Petition, PetitionStatus

    return (
        Petition.objects.filter(
            session__unit__path__startswith=scope.path,
            session__held_on__range=(period.data_start, period.data_end),
        )
        .annotate(group=group_expression(scope, groups, "session__unit__"))
        .values("session__unit_id", "session__unit__name", "session__unit__name_key", "group")
        .annotate(
            raised=Count("pk"),
            answered=Count("pk", filter=Q(answered_at_session=True)),
            resolved=Count("pk", filter=Q(status__in=[PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED])),
            transferred=Count("pk", filter=Q(status=PetitionStatus.TRANSFERRED)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        )
        .annotate(order=group_order(scope, groups, "session__unit__"))
        .order_by("order", "session__unit__name_key", "session__unit_id")
    )


def outline_of(period: ReportingPeriod) -> list[tuple[str, str]]:
    """The narrative outline: the headings of the province's active commune templates that apply
    to the period's kind (else of every applying template), each code once (two queries)."""
    templates = [
        t
        for t in ReportTemplate.objects.filter(province=period.province_id, active=True).order_by("pk")
        if t.applies_to_period(period)
    ]
    communes = [t for t in templates if t.applies_to == "commune"]
    templates = communes or templates
    rank = {t.pk: i for i, t in enumerate(templates)}
    sections = TemplateSection.objects.filter(template__in=templates).values_list(
        "template_id", "order", "code", "title"
    )
    seen: dict[str, str] = {}
    for _template, _order, code, title in sorted(sections, key=lambda s: (rank[s[0]], s[1])):
        seen.setdefault(code, title)
    return list(seen.items())


def summarize(
    scope: Unit,
    period: ReportingPeriod,
    *,
    include_submitted: bool = False,
    requested_by: str = "",
    generated_at: dt.datetime | None = None,
    today: dt.date | None = None,
) -> Summary:
    """The figures of a compilation: table totals in SQL and the record figures for the window."""
    groups = groups_of(scope)
    tables = tables_of(period)
    for table in tables:
        table_totals(scope, period, table, groups, include_submitted)
    counts = completeness_mod.completeness(scope, period, with_units=False)
    total = completeness_mod.Counts()
    total.add(counts.communes)
    total.add(counts.agencies)
    reports = included_reports(scope, period, include_submitted).aggregate(
        n=Count("pk"), pending=Count("pk", filter=Q(status__in=NOT_YET_APPROVED))
    )
    start, end = period.data_start, period.data_end
    return Summary(
        scope=scope,
        period=period,
        generated_at=timezone.localtime(generated_at or timezone.now()),
        requested_by=requested_by,
        include_submitted=include_submitted,
        tables=tables,
        groups=groups,
        completeness=total.as_dict(),
        reports_included=reports["n"],
        reports_pending=reports["pending"],
        dialogues=dialogue_figures(scope, start, end, today=today),
        reception=reception_figures(scope, start, end),
        inspection=inspection_figures(scope, start, end),
        community=community_figures(scope, start, end),
        classification=classification_counts(scope, period),
        outline=outline_of(period),
    )
