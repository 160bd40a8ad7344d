"""The ranking of score sheets per district and province (xếp loại) and its Biểu 13 export.

Rows come only from ``access.for_user(user, VIEW, ScoreSheet…)``: a reporter sees their own
units' rows, a reviewer their district's, the steering committee its province's. The page
runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from criteria import exports, services
from criteria.models import APPLIES_TO_KINDS, AppliesTo, ClassificationBand, ScoreSheet
from qcdc_portal.lib.text import fold
from qcdc_portal.lib.xlsx import XLSX_CONTENT_TYPE
from reports.models import ReportingPeriod
from units import access
from units.models import Unit, UnitKind


@dataclass
class Ranking:
    periods: list[ReportingPeriod]
    period: ReportingPeriod | None = None
    scope_units: list[Unit] = field(default_factory=list)
    scope_unit: Unit | None = None
    kind: str = ""
    rows: list[dict] = field(default_factory=list)  # {"rank", "sheet", "district", "publishable"}
    labels: list[str] = field(default_factory=list)  # classification labels, highest band first
    groups: list[dict] = field(default_factory=list)  # per district: {"name", "counts", "total"}
    totals: dict = field(default_factory=dict)  # the whole scope: {"counts", "total"}
    can_steer: bool = False


def _int(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _periods(user) -> list[ReportingPeriod]:
    """The periods of the provinces the user's VIEW scope lies in (a reporter's scope does not
    reach the province itself, so the province is read from the scope's paths)."""
    s = access.scope(user, access.VIEW)
    qs = ReportingPeriod.objects.select_related("province").order_by("-data_end", "-pk")
    if not s.everything:
        qs = qs.filter(province_id__in=sorted({int(p.strip("/").split("/")[0]) for p in s.paths}))
    return list(qs)


def _counts_row(counts: dict[str, int], labels: list[str]) -> dict:
    return {"counts": [counts.get(label, 0) for label in labels], "total": sum(counts.values())}


def build_ranking(user, params) -> Ranking:
    """The ranking for the period, scope unit and kind of unit chosen in ``params`` (GET).

    A period or scope unit outside the user's sight answers 404."""
    result = Ranking(periods=_periods(user))
    if not result.periods:
        if params.get("period"):
            raise Http404
        return result
    by_pk = {p.pk: p for p in result.periods}
    period_id = _int(params.get("period"))
    if params.get("period"):
        if period_id not in by_pk:
            raise Http404
    else:
        # The latest period with a sheet the user can see, else the latest period.
        period_id = (
            access.for_user(user, access.VIEW, ScoreSheet.objects.filter(period_id__in=list(by_pk)))
            .order_by("-period__data_end", "-period_id")
            .values_list("period_id", flat=True)
            .first()
        ) or result.periods[0].pk
    period = result.period = by_pk[period_id]

    # The province of the period and its districts, as far as the user sees them.
    province_id = period.province_id
    result.scope_units = list(
        access.for_user(
            user,
            access.VIEW,
            Unit.objects.filter(Q(pk=province_id) | Q(parent_id=province_id, kind=UnitKind.DISTRICT)),
        ).order_by("depth", "name_key")
    )
    units_by_pk = {u.pk: u for u in result.scope_units}
    if params.get("unit"):
        result.scope_unit = units_by_pk.get(_int(params.get("unit")))
        if result.scope_unit is None:
            raise Http404
    elif result.scope_units and (result.scope_units[0].kind == UnitKind.PROVINCE or len(result.scope_units) == 1):
        result.scope_unit = result.scope_units[0]
    kind = params.get("kind", "")
    result.kind = kind if kind in AppliesTo.values else ""

    sheets = access.for_user(user, access.VIEW, ScoreSheet.objects.filter(period=period))
    if result.scope_unit is not None:
        sheets = sheets.filter(unit__path__startswith=result.scope_unit.path)
    if result.kind:
        sheets = sheets.filter(unit__kind__in=APPLIES_TO_KINDS[result.kind])
    ordered = (
        sheets.select_related("unit")
        .annotate(rank_score=Coalesce("review_total", "self_total"), district_path=services.district_path())
        .order_by(F("rank_score").desc(nulls_last=True), F("self_total").desc(), "unit__name_key", "pk")
    )
    sheet_list = list(ordered)
    counts = services.ranking_counts(sheets, by=services.district_path())

    paths = {s.district_path for s in sheet_list} | {path for path, _label in counts}
    districts = {u.path: u for u in Unit.objects.filter(path__in=sorted(paths), kind=UnitKind.DISTRICT)}
    set_ids = sorted({s.criteria_set_id for s in sheet_list})
    labels: list[str] = []
    for label in (
        ClassificationBand.objects.filter(criteria_set_id__in=set_ids)
        .order_by("-min_score", "order")
        .values_list("label", flat=True)
    ):
        if label not in labels:
            labels.append(label)
    labels += sorted({label for _p, label in counts if label and label not in labels}, key=fold)
    labels.append("")  # not classified yet
    result.labels = labels

    steer = access.scope(user, access.STEER)
    result.can_steer = steer.everything or bool(steer.paths)
    previous, rank = object(), 0
    for position, sheet in enumerate(sheet_list, start=1):
        if sheet.rank_score != previous:
            previous, rank = sheet.rank_score, position
        district = districts.get(sheet.district_path)
        result.rows.append(
            {
                "rank": rank,
                "sheet": sheet,
                "district": district,
                "publishable": sheet.status == ScoreSheet.Status.REVIEWED and steer.covers(sheet.unit.path),
            }
        )

    per_group: dict[Unit | None, dict[str, int]] = {}
    total: dict[str, int] = {}
    for (path, label), n in counts.items():
        group = per_group.setdefault(districts.get(path), {})
        group[label] = group.get(label, 0) + n
        total[label] = total.get(label, 0) + n
    ordered_groups = sorted(per_group.items(), key=lambda item: (item[0] is None, item[0] and item[0].name_key))
    result.groups = [
        {"name": unit.name if unit else _("Đơn vị trực thuộc tỉnh"), **_counts_row(c, labels)}
        for unit, c in ordered_groups
    ]
    result.totals = _counts_row(total, labels)
    return result


@login_required
def ranking(request):
    r = build_ranking(request.user, request.GET)
    query = request.GET.copy()
    if r.period is not None:
        query["period"] = str(r.period.pk)
        if r.scope_unit is not None:
            query["unit"] = str(r.scope_unit.pk)
    return render(
        request,
        "criteria/ranking.html",
        {
            "r": r,
            "kinds": AppliesTo.choices,
            "label_titles": [label or _(exports.UNCLASSIFIED) for label in r.labels],
            "export_query": query.urlencode(),
        },
    )


def _note(sheet: ScoreSheet) -> str:
    parts = []
    if sheet.status != ScoreSheet.Status.PUBLISHED:
        parts.append(str(sheet.get_status_display()))
    if sheet.appeal:
        parts.append(str(sheet.get_appeal_display()))
    return "; ".join(parts)


def _place(province_name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if province_name.startswith(prefix):
            return province_name[len(prefix) :]
    return province_name


@login_required
def ranking_export(request):
    """Biểu 13 for what the ranking page shows (same period, scope unit and kind of unit)."""
    r = build_ranking(request.user, request.GET)
    if r.period is None:
        raise Http404
    rows = [
        exports.RankingRow(
            unit_name=row["sheet"].unit.name,
            group=row["district"].name if row["district"] else None,
            self_total=row["sheet"].self_total,
            review_total=row["sheet"].review_total,
            review_class=row["sheet"].review_class,
            self_class=row["sheet"].self_class,
            note=_note(row["sheet"]),
        )
        for row in r.rows
    ]
    if r.scope_unit is not None:
        scope_label = r.scope_unit.name
    else:
        tops = access.scope(request.user, access.VIEW).paths
        scope_label = ", ".join(
            Unit.objects.filter(path__in=tops, path__startswith=r.period.province.path)
            .order_by("name_key")
            .values_list("name", flat=True)
        )
    province = r.period.province.name
    data = exports.ranking_workbook(
        rows,
        period_label=r.period.label,
        data_start=r.period.data_start,
        data_end=r.period.data_end,
        scope_label=scope_label,
        generated_at=timezone.localtime(),
        labels=[label for label in r.labels if label],
        issuer=province,
        place=_place(province),
        kind_label=str(AppliesTo(r.kind).label) if r.kind else "",
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    name = slugify(fold(r.period.label)) or "ky"
    response["Content-Disposition"] = f'attachment; filename="bieu-13-xep-loai-{name}.xlsx"'
    return response
