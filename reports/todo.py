"""The "Việc cần làm" (to-do) list of the home page.

- Reporters: the reports of the units they hold a reporter grant on that are due within
  ``DUE_WITHIN`` days or overdue and not submitted yet, the reports returned to them (with the
  reviewer's reason), and the open petitions near (<= ``PETITION_NEAR`` days) or past deadline.
- Reviewers: the reports awaiting review and the overdue petitions in their scope.
- Steering committee: per current period of their province, how many units have not reported.

A fixed number of queries whatever the number of items; long lists are cut at ``LIMIT`` rows
with the full count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from dialogues.models import OPEN_STATUSES, Petition
from reports.models import AWAITING_REVIEW, ReportEvent, ReportingPeriod, ReportStatus, ReportTemplate, UnitReport
from reports.services import KIND_APPLIES_TO, REPORTING_KINDS
from units import access
from units.models import Role, Unit

DUE_WITHIN = 30
PETITION_NEAR = 7
# Overdue reports of a period without a lock date stay on the list this long after the due date.
OVERDUE_WINDOW = 180
LIMIT = 20


@dataclass
class Item:
    unit: Unit
    period: ReportingPeriod
    report: UnitReport | None = None
    days: int = 0  # days left (due) or days late (overdue)


@dataclass
class Capped:
    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass
class Todo:
    due: list[Item] = field(default_factory=list)
    overdue: list[Item] = field(default_factory=list)
    returned: list[UnitReport] = field(default_factory=list)
    petitions: Capped = field(default_factory=Capped)
    is_reviewer: bool = False
    awaiting: Capped = field(default_factory=Capped)
    overdue_petitions: Capped = field(default_factory=Capped)
    progress: list[dict] = field(default_factory=list)  # {"scope", "period", "missing"}

    @property
    def empty(self) -> bool:
        return not (
            self.due
            or self.overdue
            or self.returned
            or self.petitions
            or self.awaiting
            or self.overdue_petitions
            or self.progress
        )


def _capped(qs) -> Capped:
    items = list(qs[: LIMIT + 1])
    if len(items) <= LIMIT:
        return Capped(items, len(items))
    return Capped(items[:LIMIT], qs.count())


def _kinds_by_period(periods: list[ReportingPeriod]) -> dict[int, set[str]]:
    """Unit kinds that report, per period: one query over the provinces' active templates."""
    templates = list(
        ReportTemplate.objects.filter(province_id__in={p.province_id for p in periods}, active=True).values_list(
            "province_id", "applies_to", "period_kinds"
        )
    )
    result = {}
    for period in periods:
        applies = {
            a for prov, a, kinds in templates if prov == period.province_id and (not kinds or period.kind in kinds)
        }
        result[period.pk] = {kind for kind, a in KIND_APPLIES_TO.items() if a in applies}
    return result


def _province_id(path: str) -> int:
    return int(path.strip("/").split("/")[0])


def _reporter_part(user, today: dt.date, todo: Todo) -> None:
    unit_ids = {g.unit_id for g in access.grants_of(user) if g.role == Role.REPORTER}
    if not unit_ids:
        return
    units = list(
        access.for_user(user, access.REPORT, Unit.objects.filter(pk__in=unit_ids, kind__in=REPORTING_KINDS)).order_by(
            "name_key"
        )
    )
    if not units:
        return
    horizon = today + dt.timedelta(days=DUE_WITHIN)
    periods = list(
        ReportingPeriod.objects.filter(
            province_id__in={_province_id(u.path) for u in units}, due_date__lte=horizon
        ).filter(
            Q(due_date__gte=today)
            | Q(lock_date__gte=today)
            | Q(lock_date__isnull=True, due_date__gte=today - dt.timedelta(days=OVERDUE_WINDOW))
        )
    )
    kinds = _kinds_by_period(periods)
    reports = {
        (r.unit_id, r.period_id): r
        for r in UnitReport.objects.filter(unit__in=units, period__in=periods).only(
            "pk", "unit_id", "period_id", "status", "first_submitted_at"
        )
    }
    for period in sorted(periods, key=lambda p: (p.due_date, p.pk)):
        for unit in units:
            if not unit.path.startswith(f"/{period.province_id}/") or unit.kind not in kinds[period.pk]:
                continue
            if not unit.is_valid_on(period.data_end):
                continue
            report = reports.get((unit.pk, period.pk))
            if report is not None and report.first_submitted_at is not None:
                continue
            days = (period.due_date - today).days
            item = Item(unit=unit, period=period, report=report, days=abs(days))
            (todo.due if days >= 0 else todo.overdue).append(item)
    last_return = ReportEvent.objects.filter(report=OuterRef("pk"), action=ReportEvent.Action.RETURN).order_by(
        "-at", "-pk"
    )
    todo.returned = list(
        UnitReport.objects.filter(unit__in=units, status=ReportStatus.RETURNED)
        .select_related("unit", "period")
        .annotate(return_reason=Subquery(last_return.values("comment")[:1]))
        .order_by("period__due_date", "pk")
    )


def _petitions_part(user, today: dt.date, todo: Todo) -> None:
    if access.can(user, access.REPORT):
        near = Petition.objects.filter(status__in=OPEN_STATUSES, deadline__lte=today + dt.timedelta(days=PETITION_NEAR))
        todo.petitions = _capped(
            access.for_user(user, access.REPORT, near).select_related("unit").order_by("deadline", "pk")
        )
    if access.can(user, access.REVIEW):
        todo.is_reviewer = True
        todo.awaiting = _capped(
            access.for_user(user, access.REVIEW, UnitReport.objects.filter(status__in=AWAITING_REVIEW))
            .select_related("unit", "period")
            .order_by("submitted_at", "pk")
        )
        shown = {p.pk for p in todo.petitions.items}
        overdue = Petition.objects.overdue(today).exclude(pk__in=shown)
        todo.overdue_petitions = _capped(
            access.for_user(user, access.REVIEW, overdue).select_related("unit").order_by("deadline", "pk")
        )


def _steering_part(user, today: dt.date, todo: Todo) -> None:
    scope = access.scope(user, access.STEER)
    if scope.everything:
        scope_units = list(Unit.objects.filter(parent__isnull=True).order_by("name_key"))
    elif scope.paths:
        scope_units = list(access.for_user(user, access.STEER, Unit.objects.filter(path__in=scope.paths)))
    else:
        return
    provinces = {_province_id(u.path) for u in scope_units}
    # Current: the data window has begun and the reports are not locked yet (or, without a
    # lock date, the due date is at most DUE_WITHIN days ago).
    recent = dt.timedelta(days=DUE_WITHIN)
    periods = list(
        ReportingPeriod.objects.filter(province_id__in=provinces, data_start__lte=today)
        .filter(Q(lock_date__gte=today) | Q(lock_date__isnull=True, due_date__gte=today - recent))
        .order_by("due_date", "pk")
    )
    if not periods:
        return
    kinds = _kinds_by_period(periods)
    pairs = [(u, p) for p in periods for u in scope_units if u.path.startswith(f"/{p.province_id}/")]
    aggregates = {}
    for i, (unit, period) in enumerate(pairs):
        sent = UnitReport.objects.filter(unit=OuterRef("pk"), period=period, first_submitted_at__isnull=False)
        aggregates[f"m{i}"] = Count(
            "pk",
            filter=Q(path__startswith=unit.path, kind__in=sorted(kinds[period.pk]))
            & (Q(valid_from__isnull=True) | Q(valid_from__lte=period.data_end))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=period.data_end))
            & ~Exists(sent),
        )
    counts = Unit.objects.aggregate(**aggregates) if aggregates else {}
    todo.progress = [
        {"scope": unit, "period": period, "missing": counts[f"m{i}"] or 0} for i, (unit, period) in enumerate(pairs)
    ]


def todo_for(user, today: dt.date) -> Todo:
    todo = Todo()
    if not getattr(user, "is_authenticated", False):
        return todo
    _reporter_part(user, today, todo)
    _petitions_part(user, today, todo)
    _steering_part(user, today, todo)
    return todo
