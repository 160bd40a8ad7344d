"""Unit reports: opening, pre-filling, saving with optimistic locking, and the workflow
draft → submitted → returned → resubmitted → approved → locked (DESIGN.md "Reports").

Every write checks ``expected_version`` against the row (UPDATE … WHERE version = n):
a form loaded before someone else's save is refused and nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from criteria.models import APPLIES_TO_KINDS
from reports import sources
from reports.models import (
    AWAITING_REVIEW,
    EDITABLE_STATUSES,
    Indicator,
    ReportEvent,
    ReportingPeriod,
    ReportSection,
    ReportStatus,
    ReportTemplate,
    ReportValue,
    UnitReport,
)
from units.models import Unit

KIND_APPLIES_TO = {kind: applies_to for applies_to, kinds in APPLIES_TO_KINDS.items() for kind in kinds}
REPORTING_KINDS = tuple(KIND_APPLIES_TO)
MAX_VALUE = Decimal("9999999999999999")


class StaleReport(ValidationError):
    """The report changed since the form was loaded."""


def stale_message() -> str:
    return _(
        "Báo cáo đã được người khác lưu hoặc chuyển trạng thái sau khi bạn mở trang. "
        "Thay đổi của bạn chưa được lưu; hãy tải lại trang để xem bản mới nhất."
    )


# --- Templates and opening ----------------------------------------------------------------


def template_for(unit: Unit, period: ReportingPeriod) -> ReportTemplate | None:
    applies_to = KIND_APPLIES_TO.get(unit.kind)
    if not applies_to:
        return None
    for template in ReportTemplate.objects.filter(
        province=period.province, applies_to=applies_to, active=True
    ).order_by("pk"):
        if template.applies_to_period(period):
            return template
    return None


def indicators_of(template: ReportTemplate, period: ReportingPeriod):
    """The template's indicators in use for the period (retired ones only stay in old reports)."""
    return (
        Indicator.objects.filter(table__templates=template)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=period.data_start))
        .select_related("table")
        .order_by("table__order", "table__code", "order", "code")
    )


@transaction.atomic
def report_open(*, actor, unit: Unit, period: ReportingPeriod) -> UnitReport:
    """The unit's report for the period, created with its figures pre-filled if new."""
    existing = UnitReport.objects.filter(unit=unit, period=period).first()
    if existing:
        return existing
    if not unit.path.startswith(period.province.path):
        raise ValidationError(_("Kỳ báo cáo không thuộc tỉnh của đơn vị."))
    template = template_for(unit, period)
    if template is None:
        raise ValidationError(_("Chưa có mẫu báo cáo áp dụng cho loại đơn vị này trong kỳ này."))
    report = UnitReport.objects.create(unit=unit, period=period, template=template)
    indicators = list(indicators_of(template, period))
    computed = sources.compute([i.source for i in indicators if i.source], unit, period.data_start, period.data_end)
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator=i, computed=computed.get(i.source), value=computed.get(i.source))
        for i in indicators
    )
    ReportSection.objects.bulk_create(ReportSection(report=report, section=s) for s in template.sections.all())
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.CREATE, to_status=report.status, actor=actor)
    return report


def _refresh(report: UnitReport) -> None:
    """Re-compute the pre-filled figures (only while the report is editable: they are frozen
    at submission). A figure the unit did not override follows the records."""
    values = list(report.values.select_related("indicator").exclude(indicator__source=""))
    if not values:
        return
    period = report.period
    computed = sources.compute([v.indicator.source for v in values], report.unit, period.data_start, period.data_end)
    changed = []
    for v in values:
        new = computed.get(v.indicator.source)
        if new == v.computed:
            continue
        followed = v.value is None or v.value == v.computed
        v.computed = new
        if followed:
            v.value = new
            v.override_reason = ""
        changed.append(v)
    ReportValue.objects.bulk_update(changed, ["computed", "value", "override_reason"])


def refresh_if_editable(report: UnitReport) -> None:
    if report.status in EDITABLE_STATUSES:
        _refresh(report)


# --- Editing --------------------------------------------------------------------------


def edit_problem(report: UnitReport, *, today: dt.date | None = None) -> str | None:
    """Why the unit may not edit the report now, or None."""
    today = today or timezone.localdate()
    if report.status not in EDITABLE_STATUSES:
        return _("Báo cáo ở trạng thái “%(status)s” nên không sửa được.") % {"status": report.get_status_display()}
    lock = report.period.lock_date
    if lock and today > lock and not (report.exception_until and today <= report.exception_until):
        return _("Đã quá ngày khóa số liệu %(date)s. Đề nghị người thẩm định cho phép sửa nếu cần bổ sung.") % {
            "date": lock.strftime("%d/%m/%Y")
        }
    return None


def _bump(report: UnitReport, expected_version: int | None) -> None:
    version = report.version if expected_version is None else expected_version
    if not UnitReport.objects.filter(pk=report.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    ):
        raise StaleReport(stale_message(), code="stale")
    report.version = version + 1


def parse_number(raw) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    text = str(raw).strip().replace(" ", "")
    if not text:
        return None
    # Vietnamese writing: 1.234,5 ; also accept 1234.5 from machines.
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None


def check_values(report: UnitReport, values: dict[int, tuple[object, str]]) -> tuple[dict, dict[int, str]]:
    """Parse and check the figures; returns (clean {value_pk: (Decimal|None, reason)}, errors)."""
    rows = {v.pk: v for v in report.values.select_related("indicator")}
    clean, errors = {}, {}
    for pk, (raw, reason) in values.items():
        row = rows.get(pk)
        if row is None:
            continue
        reason = (reason or "").strip()
        try:
            number = parse_number(raw)
        except ValueError:
            errors[pk] = _("“%(value)s” không phải là số.") % {"value": raw}
            continue
        ind = row.indicator
        if number is not None:
            if number < 0:
                errors[pk] = _("Số liệu không được âm.")
                continue
            if number > MAX_VALUE:
                errors[pk] = _("Số liệu quá lớn.")
                continue
            if ind.value_type == Indicator.ValueType.PERCENT and number > 100:
                errors[pk] = _("Tỷ lệ không vượt quá 100%.")
                continue
            if (
                ind.value_type in (Indicator.ValueType.INTEGER, Indicator.ValueType.MONEY)
                and number != number.to_integral()
            ):
                errors[pk] = _("Chỉ tiêu này phải là số nguyên.")
                continue
            if number.as_tuple().exponent < -2:
                errors[pk] = _("Tối đa 2 chữ số thập phân.")
                continue
        if ind.is_computed and number != row.computed and not reason:
            errors[pk] = _("Số liệu khác số tự động tính (%(computed)s): cần ghi lý do điều chỉnh.") % {
                "computed": "—" if row.computed is None else f"{row.computed.normalize():f}"
            }
            continue
        clean[pk] = (number, reason if (ind.is_computed and number != row.computed) else "")
    return clean, errors


@transaction.atomic
def report_save(
    *,
    actor,
    report: UnitReport,
    values: dict[int, tuple[object, str]] | None = None,
    sections: dict[int, str] | None = None,
    header: dict | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> UnitReport:
    problem = edit_problem(report, today=today)
    if problem:
        raise ValidationError(problem)
    clean, errors = check_values(report, values or {})
    if errors:
        raise ValidationError({str(k): v for k, v in errors.items()})
    _bump(report, expected_version)
    if clean:
        rows = list(report.values.filter(pk__in=clean))
        for row in rows:
            row.value, row.override_reason = clean[row.pk]
        ReportValue.objects.bulk_update(rows, ["value", "override_reason"])
    if sections:
        rows = list(report.sections.filter(pk__in=sections))
        for row in rows:
            row.text = sections[row.pk].strip()
        ReportSection.objects.bulk_update(rows, ["text"])
    if header:
        for name in ("doc_number", "doc_date", "signer_name", "signer_title"):
            if name in header:
                setattr(report, name, header[name] or ("" if name != "doc_date" else None))
        report.save(update_fields=["doc_number", "doc_date", "signer_name", "signer_title"])
    ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.SAVE, from_status=report.status, to_status=report.status, actor=actor
    )
    return report


# --- Workflow ---------------------------------------------------------------------------


def _transition(report, actor, action, to_status, comment="", **fields):
    event = ReportEvent(
        report=report, action=action, from_status=report.status, to_status=to_status, actor=actor, comment=comment
    )
    report.status = to_status
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=["status", *fields])
    event.save()
    return report


@transaction.atomic
def report_submit(*, actor, report: UnitReport, expected_version: int | None = None, today=None) -> UnitReport:
    problem = edit_problem(report, today=today)
    if problem:
        raise ValidationError(problem)
    _bump(report, expected_version)
    _refresh(report)  # the last computation is the one frozen with the submission
    missing_reasons = [
        v.indicator.code
        for v in report.values.select_related("indicator").exclude(indicator__source="")
        if v.value != v.computed and not v.override_reason
    ]
    if missing_reasons:
        raise ValidationError(
            _("Các chỉ tiêu %(codes)s khác số tự động tính mà chưa có lý do điều chỉnh.")
            % {"codes": ", ".join(missing_reasons)}
        )
    now = timezone.now()
    resubmit = report.status == ReportStatus.RETURNED
    return _transition(
        report,
        actor,
        ReportEvent.Action.RESUBMIT if resubmit else ReportEvent.Action.SUBMIT,
        ReportStatus.RESUBMITTED if resubmit else ReportStatus.SUBMITTED,
        submitted_at=now,
        first_submitted_at=report.first_submitted_at or now,
        rounds=report.rounds + 1,
    )


def _require(report: UnitReport, *allowed: str) -> None:
    if report.status not in allowed:
        raise ValidationError(
            _("Báo cáo đang ở trạng thái “%(status)s”: không thực hiện được thao tác này.")
            % {"status": report.get_status_display()}
        )


@transaction.atomic
def report_return(*, actor, report: UnitReport, reason: str, expected_version: int | None = None) -> UnitReport:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Cần ghi lý do trả lại để đơn vị biết phải sửa gì."))
    _require(report, *AWAITING_REVIEW)
    _bump(report, expected_version)
    return _transition(report, actor, ReportEvent.Action.RETURN, ReportStatus.RETURNED, reason)


@transaction.atomic
def report_approve(*, actor, report: UnitReport, comment: str = "", expected_version: int | None = None):
    _require(report, *AWAITING_REVIEW)
    _bump(report, expected_version)
    return _transition(
        report,
        actor,
        ReportEvent.Action.APPROVE,
        ReportStatus.APPROVED,
        (comment or "").strip(),
        approved_at=timezone.now(),
        approved_by=actor,
    )


def reports_bulk_approve(*, actor, reports) -> int:
    """Approve every report of ``reports`` awaiting review; the others are left alone."""
    done = 0
    for report in reports.filter(status__in=AWAITING_REVIEW).select_related("period"):
        report_approve(actor=actor, report=report)
        done += 1
    return done


@transaction.atomic
def report_lock(*, actor, report: UnitReport, expected_version: int | None = None) -> UnitReport:
    _require(report, ReportStatus.APPROVED)
    _bump(report, expected_version)
    return _transition(report, actor, ReportEvent.Action.LOCK, ReportStatus.LOCKED)


@transaction.atomic
def report_grant_exception(
    *, actor, report: UnitReport, until: dt.date, comment: str = "", today: dt.date | None = None
) -> UnitReport:
    today = today or timezone.localdate()
    if until is None or until < today:
        raise ValidationError(_("Ngày cho phép sửa phải từ hôm nay trở đi."))
    _require(report, *EDITABLE_STATUSES)
    _bump(report, None)
    note = (comment or "").strip()
    label = _("Cho phép sửa đến %(date)s") % {"date": until.strftime("%d/%m/%Y")}
    return _transition(
        report,
        actor,
        ReportEvent.Action.EXCEPTION,
        report.status,
        f"{label}. {note}".strip(),
        exception_until=until,
    )


def lock_past_lock_date(*, today: dt.date | None = None) -> int:
    """Lock approved reports whose period's lock date has passed (a beat job)."""
    today = today or timezone.localdate()
    count = 0
    for report in UnitReport.objects.filter(status=ReportStatus.APPROVED, period__lock_date__lt=today):
        report_lock(actor=None, report=report)
        count += 1
    return count


# --- The same period one year earlier ---------------------------------------------------------


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(
            province=period.province_id,
            kind=period.kind,
            year=period.year - 1,
            data_end__month=period.data_end.month,
        )
        .order_by("pk")
        .first()
    )


def previous_values(report: UnitReport) -> dict[str, Decimal | None]:
    """Indicator code → the figure of the same period one year earlier: the previous year's
    report where there is one, otherwise what the records give for the window a year back."""
    prev = previous_period(report.period)
    if prev:
        old = UnitReport.objects.filter(unit=report.unit_id, period=prev).first()
        if old:
            return dict(old.values.values_list("indicator__code", "value"))
        start, end = prev.data_start, prev.data_end
    else:
        start, end = _year_before(report.period.data_start), _year_before(report.period.data_end)
    rows = list(report.values.exclude(indicator__source="").values_list("indicator__code", "indicator__source"))
    computed = sources.compute([s for _c, s in rows], report.unit, start, end)
    return {code: computed.get(source) for code, source in rows}
