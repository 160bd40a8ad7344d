"""Figures of the dashboard (bảng điều khiển) of a scope unit and a reporting period.

Six series, each a handful of SQL aggregates over the scope's subtree (the ``path`` prefix)
and the period's data window; a fixed number of queries whatever the number of units or
records:

- ``completeness``: reports expected / submitted / on time / late / missing / approved per
  direct child of the scope (the rules of reports/completeness.py);
- ``dialogues``: dialogue sessions per month of the window and per level;
- ``petitions``: petitions raised at the sessions held in the window, resolved (resolved or
  explained), overdue (open past their deadline today), per child (the definitions of
  dialogues.selectors.dialogue_figures);
- ``supervisions``: supervisions by field (inspection boards and community investment
  supervision boards) and community supervisions by the project's funding source
  (Biểu 04/05, boards/selectors.py);
- ``classification``: the review classes of the period's score sheets, in the order of the
  province's classification bands;
- ``year_on_year``: this window against the same window one year earlier.

Per-child figures are one GROUP BY on the child's id cut out of the materialized path: for a
scope path P the rows' child is the path segment after P; rows of the scope unit itself
form their own "direct" group. The queries shared by several series (sessions, petitions,
supervisions, reception) run once per :class:`Dashboard` and serve both windows.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import StrIndex, Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from boards.models import InvestmentProject, SupervisionActivity, SupervisionField
from criteria.models import ClassificationBand, ScoreSheet
from dialogues.models import OPEN_STATUSES, DialogueSession, Level, Petition, PetitionStatus, ReceptionSession
from dialogues.selectors import _year_before as year_before
from reports import completeness as reporting
from reports.models import ReportingPeriod
from units.models import ADMINISTRATIVE_KINDS, Unit

SERIES = ("completeness", "dialogues", "petitions", "supervisions", "classification", "year_on_year")
RESOLVED_STATUSES = (PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED)
COUNTS = ("expected", "submitted", "on_time", "late", "missing", "approved")
DIRECT = ""  # the child key of rows on the scope unit itself
UNCLASSIFIED = ""  # a blank review class


def rate(numerator: int, denominator: int) -> dict:
    """``{numerator, denominator, pct}``; ``pct`` to one decimal (half up), None over 0."""
    pct = None
    if denominator:
        pct = float((Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP))
    return {"numerator": numerator, "denominator": denominator, "pct": pct}


def change(current: int, previous: int) -> dict:
    """The difference and the % change against the previous value (None when it was 0)."""
    pct = None
    if previous:
        pct = float((Decimal(current - previous) * 100 / Decimal(previous)).quantize(Decimal("0.1"), ROUND_HALF_UP))
    return {"current": current, "previous": previous, "difference": current - previous, "pct_change": pct}


def child_of(path_field: str, scope_path: str):
    """The id (as text) of the scope's direct child that a row's ``path_field`` lies under;
    "" for a row on the scope unit itself. Works on SQLite and PostgreSQL."""
    rest = Substr(F(path_field), len(scope_path) + 1)
    return Case(
        # Guard the empty rest: PostgreSQL refuses a negative SUBSTRING length.
        When(**{path_field: scope_path}, then=Value(DIRECT)),
        default=Substr(rest, 1, StrIndex(rest, Value("/")) - 1),
        output_field=CharField(),
    )


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from ``start``'s to ``end``'s."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


class Dashboard:
    """The figures of ``scope`` for ``period``; each series is computed on first use."""

    def __init__(self, scope: Unit, period: ReportingPeriod, *, now: dt.datetime | None = None):
        self.scope = scope
        self.period = period
        self.as_of = timezone.localtime(now or timezone.now())
        self.today = self.as_of.date()
        self.start, self.end = period.data_start, period.data_end
        self.previous_start, self.previous_end = year_before(self.start), year_before(self.end)

    # --- Shared pieces ------------------------------------------------------------------------

    def current_q(self, field: str) -> Q:
        return Q(**{f"{field}__range": (self.start, self.end)})

    def previous_q(self, field: str) -> Q:
        return Q(**{f"{field}__range": (self.previous_start, self.previous_end)})

    def header(self) -> dict:
        return {
            "as_of": self.as_of,
            "scope": {"id": self.scope.pk, "name": self.scope.name, "kind": self.scope.kind},
            "period": {
                "id": self.period.pk,
                "label": self.period.label,
                "data_start": self.period.data_start,
                "data_end": self.period.data_end,
                "due_date": self.period.due_date,
            },
        }

    @cached_property
    def children(self) -> list[Unit]:
        """The scope's direct children (one query)."""
        return list(Unit.objects.filter(parent=self.scope).order_by("kind", "name_key", "pk"))

    def _listed(self, unit: Unit) -> bool:
        """A child shown with zeros when it has no figures: an administrative unit in force
        during the window (agencies and hamlets only appear when they have figures)."""
        return (
            unit.kind in ADMINISTRATIVE_KINDS
            and (unit.valid_from is None or unit.valid_from <= self.end)
            and (unit.valid_to is None or unit.valid_to >= self.start)
        )

    def _unit_rows(self, grouped: dict[str, dict], *, all_listed: bool) -> list[tuple[dict, dict | None]]:
        """``(unit header, figures)`` for the direct group (when it has figures) and each child
        with figures (or, with ``all_listed``, each listed child)."""
        rows = []
        direct = grouped.get(DIRECT)
        if direct is not None:
            rows.append((self._unit_header(self.scope, direct=True), direct))
        known = set()
        for unit in self.children:
            known.add(str(unit.pk))
            figures = grouped.get(str(unit.pk))
            if figures is not None or (all_listed and self._listed(unit)):
                rows.append((self._unit_header(unit), figures))
        # A group that matches no child (a malformed path) is still counted, never lost.
        for key in sorted(set(grouped) - known - {DIRECT}):
            header = {"unit": int(key) if key.isdigit() else None, "name": key, "kind": "", "direct": False}
            rows.append((header, grouped[key]))
        return rows

    @staticmethod
    def _unit_header(unit: Unit, *, direct: bool = False) -> dict:
        return {"unit": unit.pk, "name": unit.name, "kind": unit.kind, "direct": direct}

    # --- Completeness -------------------------------------------------------------------------

    def completeness(self) -> dict:
        """Reports per direct child (two queries plus the children): the expected units and
        measures of reports/completeness.py, grouped by the child in one SQL GROUP BY."""
        units = reporting.expected_units(self.period, self.scope.path)
        grouped = {
            row.pop("child"): row
            for row in units.annotate(child=child_of("path", self.scope.path))
            .order_by()
            .values("child")
            .annotate(**reporting._aggregates(self.period))
        }
        totals = {group: reporting.Counts() for group in reporting.GROUPS}
        rows = []
        for header, values in self._unit_rows(grouped, all_listed=False):
            groups = {group: reporting._counts(values, group) for group in reporting.GROUPS}
            both = reporting.Counts()
            for group, counts in groups.items():
                both.add(counts)
                totals[group].add(counts)
            rows.append({**header, **self._completeness_counts(both), **{g: c.as_dict() for g, c in groups.items()}})
        both = reporting.Counts()
        for counts in totals.values():
            both.add(counts)
        return {
            **self.header(),
            "rows": rows,
            "total": self._completeness_counts(both),
            **{group: self._completeness_counts(counts) for group, counts in totals.items()},
        }

    @staticmethod
    def _completeness_counts(c: reporting.Counts) -> dict:
        return {
            **{name: getattr(c, name) for name in COUNTS},
            "submitted_rate": rate(c.submitted, c.expected),
            "on_time_rate": rate(c.on_time, c.expected),
            "approved_rate": rate(c.approved, c.expected),
        }

    # --- Dialogues ----------------------------------------------------------------------------

    @cached_property
    def _session_months(self) -> list[dict]:
        """Sessions of the subtree in either window, per month and window (one query)."""
        sessions = DialogueSession.objects.filter(unit__path__startswith=self.scope.path).filter(
            self.current_q("held_on") | self.previous_q("held_on")
        )
        return list(
            sessions.annotate(
                month=TruncMonth("held_on"),
                current=Case(When(self.current_q("held_on"), then=1), default=0, output_field=IntegerField()),
                previous=Case(When(self.previous_q("held_on"), then=1), default=0, output_field=IntegerField()),
            )
            .order_by()
            .values("month", "current", "previous")
            .annotate(
                sessions=Count("pk"),
                participants=Sum("participants", default=0),
                **{f"level_{lv}": Count("pk", filter=Q(level=lv)) for lv in Level.values},
            )
        )

    def _session_totals(self, window: str) -> dict:
        rows = [r for r in self._session_months if r[window]]
        return {
            "sessions": sum(r["sessions"] for r in rows),
            "participants": sum(r["participants"] for r in rows),
        }

    def dialogues(self) -> dict:
        per_month = {}
        for row in self._session_months:
            if row["current"]:
                m = per_month.setdefault(row["month"], {"sessions": 0, "participants": 0})
                m["sessions"] += row["sessions"]
                m["participants"] += row["participants"]
        months = [
            {
                "month": month,
                "label": f"{month:%m/%Y}",
                **per_month.get(month, {"sessions": 0, "participants": 0}),
            }
            for month in months_between(self.start, self.end)
        ]
        current = [r for r in self._session_months if r["current"]]
        by_level = [
            {"level": lv, "label": str(label), "sessions": sum(r[f"level_{lv}"] for r in current)}
            for lv, label in Level.choices
        ]
        return {**self.header(), **self._session_totals("current"), "months": months, "by_level": by_level}

    # --- Petitions ----------------------------------------------------------------------------

    @cached_property
    def _petitions_grouped(self) -> dict[str, dict]:
        """Petitions raised at the subtree's sessions of either window, per child (one query)."""
        cur, prev = self.current_q("session__held_on"), self.previous_q("session__held_on")
        resolved = Q(status__in=RESOLVED_STATUSES)
        rows = (
            Petition.objects.filter(session__unit__path__startswith=self.scope.path)
            .filter(cur | prev)
            .annotate(child=child_of("session__unit__path", self.scope.path))
            .order_by()
            .values("child")
            .annotate(
                raised=Count("pk", filter=cur),
                resolved=Count("pk", filter=cur & resolved),
                overdue=Count("pk", filter=cur & Q(status__in=OPEN_STATUSES, deadline__lt=self.today)),
                previous_raised=Count("pk", filter=prev),
                previous_resolved=Count("pk", filter=prev & resolved),
            )
        )
        return {row.pop("child"): row for row in rows}

    @staticmethod
    def _petition_figures(raised: int, resolved: int, overdue: int) -> dict:
        return {"raised": raised, "resolved": resolved, "overdue": overdue, "resolution_rate": rate(resolved, raised)}

    def _petition_sum(self, name: str) -> int:
        return sum(row[name] for row in self._petitions_grouped.values())

    def petitions(self) -> dict:
        grouped = {k: v for k, v in self._petitions_grouped.items() if v["raised"]}
        rows = []
        for header, values in self._unit_rows(grouped, all_listed=True):
            values = values or {"raised": 0, "resolved": 0, "overdue": 0}
            rows.append({**header, **self._petition_figures(values["raised"], values["resolved"], values["overdue"])})
        total = self._petition_figures(*(self._petition_sum(name) for name in ("raised", "resolved", "overdue")))
        return {**self.header(), "rows": rows, "total": total}

    # --- Supervisions -------------------------------------------------------------------------

    @cached_property
    def _supervision_groups(self) -> list[dict]:
        """Supervisions of the subtree in either window per field and funding source (one query)."""
        cur, prev = self.current_q("held_on"), self.previous_q("held_on")
        community = Q(community_board__isnull=False)
        return list(
            SupervisionActivity.objects.filter(unit__path__startswith=self.scope.path)
            .filter(cur | prev)
            .order_by()
            .values("field", funding=F("community_board__project__funding_source"))
            .annotate(
                inspection=Count("pk", filter=cur & Q(inspection_board__isnull=False)),
                community=Count("pk", filter=cur & community),
                recommendations=Sum("recommendations_count", filter=cur & community, default=0),
                previous=Count("pk", filter=prev),
            )
        )

    def supervisions(self) -> dict:
        groups = self._supervision_groups
        by_field = []
        for value, label in SupervisionField.choices:
            rows = [r for r in groups if r["field"] == value]
            inspection = sum(r["inspection"] for r in rows)
            community = sum(r["community"] for r in rows)
            by_field.append(
                {
                    "field": value,
                    "label": str(label),
                    "inspection": inspection,
                    "community": community,
                    "total": inspection + community,
                }
            )
        by_funding = []
        for value, label in InvestmentProject.Funding.choices:
            rows = [r for r in groups if r["funding"] == value]
            by_funding.append(
                {
                    "source": value,
                    "label": str(label),
                    "supervisions": sum(r["community"] for r in rows),
                    "recommendations": sum(r["recommendations"] for r in rows),
                }
            )
        inspection = sum(r["inspection"] for r in groups)
        community = sum(r["community"] for r in groups)
        return {
            **self.header(),
            "inspection": inspection,
            "community": community,
            "total": inspection + community,
            "by_field": by_field,
            "by_funding": by_funding,
        }

    # --- Classification -----------------------------------------------------------------------

    def classification(self) -> dict:
        """Review classes of the period's score sheets in the subtree (two queries)."""
        counts = dict(
            ScoreSheet.objects.filter(period=self.period, unit__path__startswith=self.scope.path)
            .order_by()
            .values_list("review_class")
            .annotate(n=Count("pk"))
        )
        bands = list(
            ClassificationBand.objects.filter(criteria_set__province=self.period.province_id)
            .order_by()
            .values_list("label")
            .annotate(top=Max("min_score"))
            .order_by("-top", "label")
        )
        # The province's bands best first, then classes given outside any band, then none.
        band_labels = [label for label, _top in bands if label]
        others = sorted(label for label in counts if label and label not in band_labels)
        total = sum(counts.values())
        classes = [
            {"label": label, "band": label in band_labels, "unclassified": False, "sheets": counts.get(label, 0)}
            for label in band_labels + others
        ]
        classes.append(
            {"label": _("Chưa xếp loại"), "band": False, "unclassified": True, "sheets": counts.get(UNCLASSIFIED, 0)}
        )
        for c in classes:
            c["share"] = rate(c["sheets"], total)
        return {**self.header(), "sheets": total, "classes": classes}

    # --- Year on year -------------------------------------------------------------------------

    @cached_property
    def _reception(self) -> dict:
        """Reception sessions and persons of the subtree in both windows (one query)."""
        cur, prev = self.current_q("held_on"), self.previous_q("held_on")
        return (
            ReceptionSession.objects.filter(unit__path__startswith=self.scope.path)
            .filter(cur | prev)
            .aggregate(
                current_sessions=Count("pk", filter=cur),
                current_persons=Sum("persons", filter=cur, default=0),
                previous_sessions=Count("pk", filter=prev),
                previous_persons=Sum("persons", filter=prev, default=0),
            )
        )

    def year_on_year(self) -> dict:
        now, before = self._session_totals("current"), self._session_totals("previous")
        supervisions_now = sum(r["inspection"] + r["community"] for r in self._supervision_groups)
        supervisions_before = sum(r["previous"] for r in self._supervision_groups)
        figures = [
            ("sessions", _("Hội nghị đối thoại"), now["sessions"], before["sessions"]),
            ("participants", _("Lượt người tham dự đối thoại"), now["participants"], before["participants"]),
            (
                "petitions_raised",
                _("Ý kiến, kiến nghị tiếp nhận tại đối thoại"),
                self._petition_sum("raised"),
                self._petition_sum("previous_raised"),
            ),
            (
                "petitions_resolved",
                _("Ý kiến, kiến nghị đã giải quyết, trả lời"),
                self._petition_sum("resolved"),
                self._petition_sum("previous_resolved"),
            ),
            (
                "reception_sessions",
                _("Buổi tiếp công dân"),
                self._reception["current_sessions"],
                self._reception["previous_sessions"],
            ),
            (
                "reception_persons",
                _("Lượt người được tiếp"),
                self._reception["current_persons"],
                self._reception["previous_persons"],
            ),
            ("supervisions", _("Cuộc giám sát"), supervisions_now, supervisions_before),
        ]
        return {
            **self.header(),
            "current": {"start": self.start, "end": self.end},
            "previous": {"start": self.previous_start, "end": self.previous_end},
            "rows": [{"key": key, "label": label, **change(a, b)} for key, label, a, b in figures],
        }

    # --- All ----------------------------------------------------------------------------------

    def series(self, name: str) -> dict:
        """One series, from the shared cache when it was computed less than
        ``DASHBOARD_CACHE_SECONDS`` ago (its ``as_of`` says when): dashboards are opened by
        many people at once near a deadline and the figures move slowly."""
        if name not in SERIES:
            raise ValueError(f"unknown series {name!r}")
        seconds = settings.DASHBOARD_CACHE_SECONDS
        if not seconds:
            return getattr(self, name)()
        key = f"dashboard:v1:{self.scope.pk}:{self.period.pk}:{name}"
        data = cache.get(key)
        if data is None:
            data = getattr(self, name)()
            cache.set(key, data, seconds)
        return data

    def everything(self) -> dict[str, dict]:
        return {name: self.series(name) for name in SERIES}
