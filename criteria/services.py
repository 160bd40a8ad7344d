"""Criteria sets (versioned), score sheets and classification."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from criteria.models import ClassificationBand, CriteriaSet, Criterion, Evidence, ScoreLine, ScoreSheet

ZERO = Decimal("0")


def _num(value: Decimal) -> str:
    """Points in a message: "20", "17,5" (Vietnamese decimal comma; never "2E+1")."""
    return format(value.normalize(), "f").replace(".", ",")


# --- Sets ------------------------------------------------------------------------------


def set_problems(criteria_set: CriteriaSet) -> list[str]:
    """Why a set cannot be published (empty when it can)."""
    problems = []
    criteria = list(criteria_set.criteria.all())
    scored = [c for c in criteria if not c.is_group]
    if not scored:
        problems.append(_("Bộ tiêu chí chưa có tiêu chí nào."))
    total = sum((c.max_points for c in scored), ZERO) + criteria_set.superior_points_max
    if total != criteria_set.total_points:
        problems.append(
            _("Tổng điểm chuẩn các tiêu chí (%(sum)s) khác tổng điểm của bộ (%(total)s).")
            % {"sum": _num(total), "total": _num(criteria_set.total_points)}
        )
    for group in (c for c in criteria if c.is_group):
        children = [c for c in criteria if c.parent_id == group.pk and not c.is_group]
        if group.max_points and sum((c.max_points for c in children), ZERO) != group.max_points:
            problems.append(_("Nhóm %(code)s: tổng điểm các tiêu chí con khác điểm của nhóm.") % {"code": group.code})
    for c in scored:
        if c.max_points <= 0:
            problems.append(_("Tiêu chí %(code)s chưa có điểm chuẩn.") % {"code": c.code})
    if not criteria_set.bands.exists():
        problems.append(_("Chưa có mức xếp loại."))
    return problems


def set_is_frozen(criteria_set: CriteriaSet) -> bool:
    """A set with score sheets is never edited again: it is copied as a new version."""
    return criteria_set.sheets.exists()


@transaction.atomic
def set_publish(*, actor, criteria_set: CriteriaSet) -> CriteriaSet:
    problems = set_problems(criteria_set)
    if problems:
        raise ValidationError(problems)
    criteria_set.status = CriteriaSet.Status.PUBLISHED
    criteria_set.save(update_fields=["status"])
    return criteria_set


@transaction.atomic
def set_copy(*, actor, criteria_set: CriteriaSet) -> CriteriaSet:
    """A new draft version with the same criteria and bands."""
    new = CriteriaSet.objects.get(pk=criteria_set.pk)
    new.pk = None
    new.previous = criteria_set
    new.version = (
        CriteriaSet.objects.filter(name=criteria_set.name, province=criteria_set.province)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    new.status = CriteriaSet.Status.DRAFT
    new.created_at = timezone.now()
    new.save()
    # Two passes: a child may sort before its parent (orders are often numbered per group),
    # so parents are linked once every criterion has its copy.
    mapping: dict[int, Criterion] = {}
    old_parent: dict[int, int | None] = {}
    for c in criteria_set.criteria.order_by("order", "pk"):
        old_pk, old_parent[old_pk] = c.pk, c.parent_id
        c.pk = None
        c.criteria_set = new
        c.parent = None
        c.save()
        mapping[old_pk] = c
    children = []
    for old_pk, parent_pk in old_parent.items():
        if parent_pk is not None:
            mapping[old_pk].parent = mapping[parent_pk]
            children.append(mapping[old_pk])
    Criterion.objects.bulk_update(children, ["parent"])
    for band in criteria_set.bands.all():
        band.pk = None
        band.criteria_set = new
        band.save()
    return new


def set_require_editable(criteria_set: CriteriaSet) -> None:
    if set_is_frozen(criteria_set):
        raise ValidationError(
            _("Bộ tiêu chí đã có phiếu chấm điểm nên không sửa được; hãy sao chép thành phiên bản mới.")
        )


def set_next_version(name: str, province) -> tuple[int, CriteriaSet | None]:
    """The version a new set named ``name`` in ``province`` gets, and the latest one before it."""
    latest = CriteriaSet.objects.filter(name=name, province=province).order_by("-version", "-pk").first()
    return (latest.version + 1 if latest else 1), latest


SET_FIELDS = (
    "name",
    "province",
    "applies_to",
    "year_from",
    "year_to",
    "legal_basis",
    "is_illustrative",
    "total_points",
    "superior_points_max",
    "bonus_max",
    "penalty_max",
    "score_step",
)


def set_rows_problems(criteria: list[dict], bands: list[dict]) -> list[str]:
    """Structural errors in the rows of a set (codes, parents, bands); totals are ``set_problems``'."""
    errors = []
    codes: dict[str, dict] = {}
    for row in criteria:
        code = (row.get("code") or "").strip()
        if not code:
            errors.append(_("Có tiêu chí chưa ghi mã (TT)."))
        elif code in codes:
            errors.append(_("Mã tiêu chí %(code)s bị trùng.") % {"code": code})
        else:
            codes[code] = row
        if not (row.get("title") or "").strip():
            errors.append(_("Tiêu chí %(code)s chưa có tên.") % {"code": code or "?"})
        if (row.get("max_points") or ZERO) < 0:
            errors.append(_("Tiêu chí %(code)s có điểm chuẩn âm.") % {"code": code or "?"})
    for row in criteria:
        parent = (row.get("parent_code") or "").strip()
        if not parent:
            continue
        if row.get("is_group"):
            errors.append(_("Nhóm %(code)s không thuộc nhóm nào khác.") % {"code": row.get("code")})
        elif parent not in codes:
            errors.append(
                _("Tiêu chí %(code)s thuộc nhóm %(parent)s nhưng không có nhóm này.")
                % {"code": row.get("code"), "parent": parent}
            )
        elif not codes[parent].get("is_group"):
            errors.append(
                _("Tiêu chí %(code)s: %(parent)s là tiêu chí, không phải nhóm.")
                % {"code": row.get("code"), "parent": parent}
            )
    labels = set()
    for band in bands:
        label = (band.get("label") or "").strip()
        if not label:
            errors.append(_("Có mức xếp loại chưa ghi tên."))
        elif label in labels:
            errors.append(_("Mức xếp loại “%(label)s” bị trùng.") % {"label": label})
        labels.add(label)
        if band.get("min_score") is None or band["min_score"] < 0:
            errors.append(_("Mức xếp loại “%(label)s” phải có điểm tối thiểu từ 0.") % {"label": label})
    return errors


@transaction.atomic
def set_save(
    *, actor, data: dict, criteria: list[dict], bands: list[dict], criteria_set: CriteriaSet | None = None
) -> CriteriaSet:
    """Create a draft set, or rewrite one that has no score sheets, with its criteria and bands.

    ``criteria`` rows: code, title, is_group, parent_code (a group's code), max_points, guidance,
    evidence_required, evidence_hint, order; ``bands`` rows: label, min_score, no_zero_criterion.
    A published set stays published only while it can still be published; otherwise it goes
    back to draft.
    """
    errors = set_rows_problems(criteria, bands)
    if errors:
        raise ValidationError(errors)
    if criteria_set is None:
        criteria_set = CriteriaSet(status=CriteriaSet.Status.DRAFT)
        criteria_set.version, criteria_set.previous = set_next_version(data["name"], data.get("province"))
    else:
        criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
        set_require_editable(criteria_set)
    for name in SET_FIELDS:
        if name in data:
            setattr(criteria_set, name, data[name])
    criteria_set.save()
    criteria_set.criteria.all().delete()
    criteria_set.bands.all().delete()
    made: dict[str, Criterion] = {}
    for position, row in enumerate(criteria, start=1):
        code = row["code"].strip()
        made[code] = Criterion.objects.create(
            criteria_set=criteria_set,
            code=code,
            title=row["title"].strip(),
            guidance=(row.get("guidance") or "").strip(),
            max_points=row.get("max_points") or ZERO,
            is_group=bool(row.get("is_group")),
            evidence_required=bool(row.get("evidence_required")),
            evidence_hint=(row.get("evidence_hint") or "").strip(),
            order=row.get("order") if row.get("order") is not None else position,
        )
    children = []
    for row in criteria:
        parent = (row.get("parent_code") or "").strip()
        if parent:
            child = made[row["code"].strip()]
            child.parent = made[parent]
            children.append(child)
    Criterion.objects.bulk_update(children, ["parent"])
    ClassificationBand.objects.bulk_create(
        ClassificationBand(
            criteria_set=criteria_set,
            label=band["label"].strip(),
            min_score=band["min_score"],
            no_zero_criterion=bool(band.get("no_zero_criterion")),
            order=position,
        )
        for position, band in enumerate(bands, start=1)
    )
    if criteria_set.status == CriteriaSet.Status.PUBLISHED and set_problems(criteria_set):
        criteria_set.status = CriteriaSet.Status.DRAFT
        criteria_set.save(update_fields=["status"])
    return criteria_set


# --- Classification -------------------------------------------------------------------


def classify(criteria_set: CriteriaSet, total: Decimal | None, *, has_zero: bool, bands=None) -> str:
    """The label of the highest band reached; a band requiring "no criterion at 0" is skipped
    when one scored 0."""
    if total is None:
        return ""
    bands = bands if bands is not None else list(criteria_set.bands.order_by("-min_score"))
    for band in bands:
        if total >= band.min_score and not (band.no_zero_criterion and has_zero):
            return band.label
    return ""


# --- Sheets ---------------------------------------------------------------------------


@transaction.atomic
def sheet_create(*, actor, unit, period, criteria_set: CriteriaSet) -> ScoreSheet:
    if criteria_set.status != CriteriaSet.Status.PUBLISHED:
        raise ValidationError(_("Chỉ chấm điểm theo bộ tiêu chí đã ban hành."))
    sheet, created = ScoreSheet.objects.get_or_create(unit=unit, period=period, criteria_set=criteria_set)
    if created:
        ScoreLine.objects.bulk_create(
            [ScoreLine(sheet=sheet, criterion=c) for c in criteria_set.criteria.filter(is_group=False)]
        )
    return sheet


def _check_points(value: Decimal | None, criterion: Criterion, step: Decimal, label: str) -> str | None:
    if value is None:
        return None
    if value < 0 or value > criterion.max_points:
        return _("%(label)s tiêu chí %(code)s phải từ 0 đến %(max)s.") % {
            "label": label,
            "code": criterion.code,
            "max": _num(criterion.max_points),
        }
    if step and (value / step) % 1 != 0:
        return _("%(label)s tiêu chí %(code)s phải là bội của %(step)s.") % {
            "label": label,
            "code": criterion.code,
            "step": _num(step),
        }
    return None


def _recompute(sheet: ScoreSheet) -> None:
    lines = list(sheet.lines.select_related("criterion"))
    bands = list(sheet.criteria_set.bands.order_by("-min_score"))
    self_total = sum((ln.self_points or ZERO for ln in lines), ZERO)
    sheet.self_total = self_total + sheet.bonus - sheet.penalty
    sheet.self_class = classify(
        sheet.criteria_set, sheet.self_total, has_zero=any(ln.self_points == 0 for ln in lines), bands=bands
    )
    if any(ln.review_points is not None for ln in lines) or sheet.status in (
        ScoreSheet.Status.REVIEWED,
        ScoreSheet.Status.PUBLISHED,
    ):
        review = [ln.review_points if ln.review_points is not None else (ln.self_points or ZERO) for ln in lines]
        sheet.review_total = sum(review, ZERO) + sheet.bonus - sheet.penalty + (sheet.superior_points or ZERO)
        sheet.review_class = classify(
            sheet.criteria_set, sheet.review_total, has_zero=any(p == 0 for p in review), bands=bands
        )
    sheet.save(update_fields=["self_total", "self_class", "review_total", "review_class"])


def _require_status(sheet: ScoreSheet, *allowed: str) -> None:
    if sheet.status not in allowed and not (
        sheet.appeal == ScoreSheet.Appeal.REQUESTED and ScoreSheet.Status.PUBLISHED in allowed
    ):
        raise ValidationError(
            _("Phiếu đang ở trạng thái “%(s)s”, không thực hiện được.") % {"s": sheet.get_status_display()}
        )


def _bump(sheet: ScoreSheet, expected_version: int | None) -> None:
    version = sheet.version if expected_version is None else expected_version
    if not ScoreSheet.objects.filter(pk=sheet.pk, version=version).update(version=version + 1):
        raise ValidationError(_("Phiếu vừa được người khác cập nhật. Hãy tải lại trang rồi làm lại."), code="stale")
    sheet.version = version + 1


@transaction.atomic
def sheet_self_score(
    *, actor, sheet: ScoreSheet, points: dict[int, tuple[Decimal | None, str]], expected_version: int | None = None
) -> ScoreSheet:
    """Save self points {line_id: (points, note)}; all-or-nothing."""
    _require_status(sheet, ScoreSheet.Status.DRAFT)
    lines = {ln.pk: ln for ln in sheet.lines.select_related("criterion")}
    errors = []
    for line_id, (value, _note) in points.items():
        line = lines.get(line_id)
        if line is None:
            errors.append(_("Dòng chấm điểm không thuộc phiếu này."))
            continue
        problem = _check_points(value, line.criterion, sheet.criteria_set.score_step, _("Điểm tự chấm"))
        if problem:
            errors.append(problem)
    if errors:
        raise ValidationError(errors)
    _bump(sheet, expected_version)
    for line_id, (value, note) in points.items():
        line = lines[line_id]
        line.self_points, line.self_note = value, note
    ScoreLine.objects.bulk_update([lines[i] for i in points], ["self_points", "self_note"])
    _recompute(sheet)
    return sheet


def missing_evidence(sheet: ScoreSheet) -> list[Criterion]:
    """Criteria that require evidence and have none uploaded (one query)."""
    with_evidence = set(Evidence.objects.filter(line__sheet=sheet).values_list("line__criterion_id", flat=True))
    return [
        ln.criterion
        for ln in sheet.lines.select_related("criterion")
        if ln.criterion.evidence_required and ln.criterion_id not in with_evidence
    ]


@transaction.atomic
def sheet_submit(*, actor, sheet: ScoreSheet, today=None) -> ScoreSheet:
    _require_status(sheet, ScoreSheet.Status.DRAFT)
    today = today or timezone.localdate()
    errors = []
    if sheet.period.self_score_due and today > sheet.period.self_score_due:
        errors.append(_("Đã quá hạn tự chấm điểm (%(d)s).") % {"d": sheet.period.self_score_due.strftime("%d/%m/%Y")})
    if sheet.lines.filter(self_points__isnull=True).exists():
        errors.append(_("Còn tiêu chí chưa tự chấm điểm."))
    missing = missing_evidence(sheet)
    if missing:
        errors.append(_("Thiếu minh chứng cho tiêu chí: %(codes)s.") % {"codes": ", ".join(c.code for c in missing)})
    if errors:
        raise ValidationError(errors)
    sheet.status = ScoreSheet.Status.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["status", "submitted_at"])
    return sheet


@transaction.atomic
def sheet_review(
    *,
    actor,
    sheet: ScoreSheet,
    points: dict[int, tuple[Decimal | None, str]],
    superior_points: Decimal | None = None,
    expected_version: int | None = None,
) -> ScoreSheet:
    """Re-score per criterion; a note is required wherever the points differ from the self score."""
    _require_status(sheet, ScoreSheet.Status.SUBMITTED, ScoreSheet.Status.REVIEWED, ScoreSheet.Status.PUBLISHED)
    if sheet.status == ScoreSheet.Status.PUBLISHED and sheet.appeal != ScoreSheet.Appeal.REQUESTED:
        raise ValidationError(_("Kết quả đã công bố; phiếu đã khóa."))
    lines = {ln.pk: ln for ln in sheet.lines.select_related("criterion")}
    errors = []
    for line_id, (value, note) in points.items():
        line = lines.get(line_id)
        if line is None:
            errors.append(_("Dòng chấm điểm không thuộc phiếu này."))
            continue
        problem = _check_points(value, line.criterion, sheet.criteria_set.score_step, _("Điểm thẩm định"))
        if problem:
            errors.append(problem)
        elif value is not None and value != line.self_points and not (note or "").strip():
            errors.append(
                _("Tiêu chí %(code)s: điểm thẩm định khác điểm tự chấm thì phải ghi nhận xét.")
                % {"code": line.criterion.code}
            )
    sp_max = sheet.criteria_set.superior_points_max
    if superior_points is not None and (superior_points < 0 or superior_points > sp_max):
        errors.append(_("Điểm cấp trên chấm phải từ 0 đến %(max)s.") % {"max": _num(sp_max)})
    if errors:
        raise ValidationError(errors)
    _bump(sheet, expected_version)
    for line_id, (value, note) in points.items():
        line = lines[line_id]
        line.review_points, line.review_note = value, note
    ScoreLine.objects.bulk_update([lines[i] for i in points], ["review_points", "review_note"])
    if superior_points is not None:
        sheet.superior_points = superior_points
    if sheet.status == ScoreSheet.Status.SUBMITTED:
        sheet.status = ScoreSheet.Status.REVIEWED
    if sheet.appeal == ScoreSheet.Appeal.REQUESTED:
        sheet.appeal = ScoreSheet.Appeal.RESOLVED
    sheet.reviewed_at, sheet.reviewed_by = timezone.now(), actor
    sheet.save(update_fields=["superior_points", "status", "appeal", "reviewed_at", "reviewed_by"])
    _recompute(sheet)
    return sheet


@transaction.atomic
def sheet_return_to_draft(*, actor, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    _require_status(sheet, ScoreSheet.Status.SUBMITTED)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại.")})
    sheet.status = ScoreSheet.Status.DRAFT
    sheet.note = (sheet.note + "\n" if sheet.note else "") + _("Trả lại: %(r)s") % {"r": reason.strip()}
    sheet.save(update_fields=["status", "note"])
    return sheet


@transaction.atomic
def results_publish(*, actor, sheets) -> int:
    """The steering committee publishes reviewed results: the sheets lock."""
    ids = [s.pk for s in sheets if s.status == ScoreSheet.Status.REVIEWED]
    # Bump the version so that a review saved concurrently from a page loaded before publishing
    # fails as stale instead of writing "reviewed" back over "published".
    return ScoreSheet.objects.filter(pk__in=ids, status=ScoreSheet.Status.REVIEWED).update(
        status=ScoreSheet.Status.PUBLISHED, published_at=timezone.now(), version=F("version") + 1
    )


@transaction.atomic
def sheet_appeal(*, actor, sheet: ScoreSheet, note: str) -> ScoreSheet:
    """One appeal round after publication, with new evidence."""
    _require_status(sheet, ScoreSheet.Status.PUBLISHED)
    if sheet.appeal:
        raise ValidationError(_("Mỗi phiếu chỉ được đề nghị xem xét lại một lần."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Hãy ghi lý do đề nghị xem xét lại.")})
    sheet.appeal, sheet.appeal_note = ScoreSheet.Appeal.REQUESTED, note.strip()
    sheet.save(update_fields=["appeal", "appeal_note"])
    return sheet


def sheet_can_upload(sheet: ScoreSheet) -> bool:
    return sheet.status == ScoreSheet.Status.DRAFT or sheet.appeal == ScoreSheet.Appeal.REQUESTED


@transaction.atomic
def evidence_add(*, actor, line: ScoreLine, upload, kind: str) -> Evidence:
    from qcdc_portal.lib.uploads import check_document

    if not sheet_can_upload(line.sheet):
        raise ValidationError(_("Phiếu đã gửi hoặc đã khóa: không thêm minh chứng được."))
    check_document(upload, max_mb=20, kinds=("pdf", "image", "office"))
    return Evidence.objects.create(
        line=line,
        kind=kind,
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        content_type=getattr(upload, "content_type", "")[:100],
        for_appeal=line.sheet.appeal == ScoreSheet.Appeal.REQUESTED,
        uploaded_by=actor,
    )


def ranking_counts(sheets, *, by=None) -> dict:
    """Counts per classification label for a queryset of sheets (one query): {label: n}.

    With ``by`` (a field name or an expression, e.g. :func:`district_path`), one query still:
    {(value of ``by``, label): n}."""
    if by is None:
        return dict(sheets.order_by().values("review_class").annotate(n=Count("pk")).values_list("review_class", "n"))
    expr = F(by) if isinstance(by, str) else by
    rows = sheets.order_by().annotate(count_group=expr).values("count_group", "review_class").annotate(n=Count("pk"))
    return {(row["count_group"], row["review_class"]): row["n"] for row in rows}


def district_path(field: str = "unit__path"):
    """SQL for the path of the district-level ancestor of a unit path: "/12/345/" of
    "/12/345/6789/" (a unit right under its province gives its own path)."""
    from django.db.models import Value
    from django.db.models.functions import StrIndex, Substr

    first = StrIndex(Substr(F(field), 2), Value("/"))  # the slash after the province id, less one
    second = StrIndex(Substr(F(field), first + 2), Value("/"))
    return Substr(F(field), 1, first + 1 + second)


def set_for(unit, period) -> CriteriaSet | None:
    """The published set that applies to ``unit`` in ``period``: its province's (else a national
    one), for its kind of unit, covering the period's year; a real set beats an illustrative one,
    then the set starting latest wins, then the newest version (an older open-ended set may not
    have been retired)."""
    from django.db.models import Q

    from criteria.models import APPLIES_TO_KINDS

    applies = [key for key, kinds in APPLIES_TO_KINDS.items() if unit.kind in kinds]
    if not applies:
        return None
    province_id = province_id_of(unit)
    return (
        CriteriaSet.objects.filter(
            status=CriteriaSet.Status.PUBLISHED, applies_to__in=applies, year_from__lte=period.year
        )
        .filter(Q(year_to__isnull=True) | Q(year_to__gte=period.year))
        .filter(Q(province_id=province_id) | Q(province__isnull=True))
        .order_by(F("province").asc(nulls_last=True), "is_illustrative", "-year_from", "-version", "-pk")
        .first()
    )


def province_id_of(unit) -> int:
    """The id of the province a unit lies in: the first id of its path."""
    return int(unit.path.strip("/").split("/")[0])


def periods_for_unit(unit):
    """The reporting periods of the unit's province (a reporter's VIEW scope does not reach
    the province itself, so periods are found from the unit's path, not through access)."""
    from reports.models import ReportingPeriod

    return ReportingPeriod.objects.filter(province_id=province_id_of(unit))
