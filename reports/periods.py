"""Configuration of reporting by the steering committee (DESIGN.md "Reports"): reporting
periods, the rules that generate a year's periods, the indicator catalogue and the report
templates. Selectors say which provinces and rows a user sees; every write goes through a
service function that checks the business rules and raises ``ValidationError`` (with a
Vietnamese message, nothing saved) inside ``transaction.atomic``.

Rights: configuration needs STEER on the province (units/access.py); the list of periods
is readable by everyone who works in the province (VIEW somewhere under it).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import (
    Indicator,
    IndicatorTable,
    PeriodRule,
    ReportingPeriod,
    ReportSection,
    ReportTemplate,
    ReportValue,
    TemplateSection,
    UnitReport,
)
from units import access
from units.models import Unit, UnitKind

# ---------------------------------------------------------------- selectors


def steerable_provinces(user) -> QuerySet:
    """The provinces whose reporting ``user`` configures (STEER on the province)."""
    return access.for_user(user, access.STEER, Unit.objects.filter(kind=UnitKind.PROVINCE)).order_by("name")


def readable_provinces(user) -> QuerySet:
    """The provinces ``user`` works in: a reporter's or reviewer's VIEW scope lies below the
    province, so the province is the first id of each path in scope (as in
    criteria.views_sheets.reportable_periods)."""
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE)
    s = access.scope(user, access.VIEW)
    if s.everything:
        return provinces.order_by("name")
    roots = {int(path.strip("/").split("/")[0]) for path in s.paths}
    return provinces.filter(pk__in=roots).order_by("name")


def visible_periods(user) -> QuerySet:
    """The periods of the provinces ``user`` works in, with their number of unit reports."""
    return (
        ReportingPeriod.objects.filter(province__in=readable_provinces(user))
        .select_related("province")
        .annotate(n_reports=Count("reports"))
    )


def steered_periods(user) -> QuerySet:
    return access.for_user(user, access.STEER, ReportingPeriod.objects.select_related("province"))


# ---------------------------------------------------------------- periods

PERIOD_FIELDS = (
    "province",
    "kind",
    "year",
    "label",
    "data_start",
    "data_end",
    "due_date",
    "lock_date",
    "self_score_due",
    "remind_days_before",
)
# What may not change once units have reports for the period.
FROZEN_FIELDS = ("province", "kind", "year", "data_start", "data_end")


def _date_errors(data: dict) -> dict[str, str]:
    errors = {}
    start, end, due, lock = data.get("data_start"), data.get("data_end"), data.get("due_date"), data.get("lock_date")
    if start and end and end < start:
        errors["data_end"] = _("Ngày kết thúc số liệu phải bằng hoặc sau ngày bắt đầu.")
    if start and due and due < start:
        errors["due_date"] = _("Hạn gửi báo cáo phải bằng hoặc sau ngày bắt đầu số liệu.")
    if due and lock and lock < due:
        errors["lock_date"] = _("Ngày khóa phải bằng hoặc sau hạn gửi báo cáo.")
    return errors


@transaction.atomic
def period_save(*, data: dict, period: ReportingPeriod | None = None) -> ReportingPeriod:
    """Create (``period`` None) or edit a reporting period. Checks the dates, the uniqueness of
    (province, kind, year, label) and, when units already report for it, that the kind, year
    and data window stay as they are (deadlines may move)."""
    data = {k: data[k] for k in PERIOD_FIELDS if k in data}
    current = None
    if period is not None:
        current = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        data.setdefault("province", current.province)
        data = {k: data.get(k, getattr(current, k)) for k in PERIOD_FIELDS}
    errors = _date_errors(data)
    if current is not None and UnitReport.objects.filter(period=current).exists():
        for name in FROZEN_FIELDS:
            if data[name] != getattr(current, name):
                errors.setdefault(
                    name,
                    _("Đã có đơn vị báo cáo cho kỳ này nên không đổi được loại kỳ, năm và khoảng thời gian số liệu."),
                )
    duplicate = ReportingPeriod.objects.filter(
        province=data["province"], kind=data["kind"], year=data["year"], label=data["label"]
    )
    if current is not None:
        duplicate = duplicate.exclude(pk=current.pk)
    if duplicate.exists():
        errors.setdefault(
            "label", _("Tỉnh đã có kỳ báo cáo cùng loại, cùng năm với tên này. Hãy đặt tên khác hoặc sửa kỳ đã có.")
        )
    if errors:
        raise ValidationError(errors)
    obj = current or ReportingPeriod()
    for name, value in data.items():
        setattr(obj, name, value)
    obj.save()
    return obj


# ---------------------------------------------------------------- period rules

RULE_FIELDS = (
    "kind",
    "label",
    "start_day",
    "start_month",
    "start_in_previous_year",
    "end_day",
    "end_month",
    "due_days_after_end",
    "lock_days_after_due",
    "self_score_days_after_end",
    "remind_days_before",
)


def _date_or_error(year: int, month: int, day: int, what: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except (ValueError, TypeError):
        raise ValidationError(
            _("%(what)s không hợp lệ: ngày %(d)s tháng %(m)s năm %(y)s không có.")
            % {"what": what, "d": day, "m": month, "y": year}
        ) from None


def rule_dates(rule: PeriodRule, year: int) -> dict:
    """The dates of the period ``rule`` gives for ``year`` (ValidationError when a day does not exist)."""
    start_year = year - 1 if rule.start_in_previous_year else year
    data_start = _date_or_error(start_year, rule.start_month, rule.start_day, _("Ngày bắt đầu"))
    data_end = _date_or_error(year, rule.end_month, rule.end_day, _("Ngày kết thúc"))
    if data_end < data_start:
        raise ValidationError(
            _("Quy tắc “%(label)s”: ngày kết thúc trước ngày bắt đầu.") % {"label": rule.label.replace("{year}", "…")}
        )
    due = data_end + dt.timedelta(days=rule.due_days_after_end)
    if due < data_start:
        raise ValidationError(_("Hạn gửi báo cáo không được trước ngày bắt đầu số liệu."))
    return {
        "data_start": data_start,
        "data_end": data_end,
        "due_date": due,
        "lock_date": due + dt.timedelta(days=rule.lock_days_after_due),
        "self_score_due": (
            data_end + dt.timedelta(days=rule.self_score_days_after_end)
            if rule.self_score_days_after_end is not None
            else None
        ),
        "remind_days_before": rule.remind_days_before,
    }


def _check_rule(rule: PeriodRule) -> None:
    """A rule must give valid dates: try it on a leap year and a common year."""
    if "{year}" not in rule.label:
        raise ValidationError({"label": _("Tên kỳ phải có {year} để mỗi năm có tên riêng.")})
    for year in (2024, 2025):
        rule_dates(rule, year)


@transaction.atomic
def rule_save(*, data: dict, province: Unit | None = None, rule: PeriodRule | None = None) -> PeriodRule:
    obj = rule if rule is not None else PeriodRule(province=province)
    for name in RULE_FIELDS:
        if name in data:
            setattr(obj, name, data[name])
    _check_rule(obj)
    obj.save()
    return obj


@transaction.atomic
def rule_delete(*, rule: PeriodRule) -> None:
    rule.delete()


@transaction.atomic
def generate_periods(province: Unit, year: int) -> tuple[list[ReportingPeriod], list[str]]:
    """The year's periods of ``province`` from its rules. Idempotent: a period with the same
    (province, kind, year, label) is skipped. Returns (created periods, skipped labels);
    an impossible date (31/02) raises ValidationError and nothing is created."""
    if not 1990 <= int(year) <= 2100:
        raise ValidationError(_("Năm phải từ 1990 đến 2100."))
    rules = list(PeriodRule.objects.filter(province=province).order_by("end_month", "end_day", "pk"))
    if not rules:
        raise ValidationError(_("Tỉnh chưa có quy tắc kỳ báo cáo nào. Hãy thêm quy tắc trước."))
    existing = set(ReportingPeriod.objects.filter(province=province, year=year).values_list("kind", "label"))
    created, skipped = [], []
    for rule in rules:
        label = rule.label.replace("{year}", str(year))
        if (rule.kind, label) in existing:
            skipped.append(label)
            continue
        dates = rule_dates(rule, year)
        created.append(ReportingPeriod(province=province, kind=rule.kind, year=year, label=label, **dates))
        existing.add((rule.kind, label))
    ReportingPeriod.objects.bulk_create(created)
    return created, skipped


# ---------------------------------------------------------------- catalogue


@transaction.atomic
def table_save(*, table: IndicatorTable, data: dict) -> IndicatorTable:
    table.title = data["title"]
    table.order = data["order"]
    table.save(update_fields=["title", "order"])
    return table


INDICATOR_FIELDS = ("code", "name", "unit_of_measure", "value_type", "aggregation", "source", "order")


@transaction.atomic
def indicator_save(*, data: dict, table: IndicatorTable | None = None, indicator: Indicator | None = None) -> Indicator:
    from reports.sources import SOURCES

    obj = indicator if indicator is not None else Indicator(table=table)
    code = (data.get("code") or "").strip()
    errors = {}
    if not code:
        errors["code"] = _("Hãy nhập mã chỉ tiêu.")
    elif Indicator.objects.filter(table=obj.table, code=code).exclude(pk=obj.pk).exists():
        errors["code"] = _("Biểu này đã có chỉ tiêu mã %(code)s.") % {"code": code}
    source = data.get("source") or ""
    if source and source not in SOURCES:
        errors["source"] = _("Nguồn số liệu không có trong danh sách.")
    if errors:
        raise ValidationError(errors)
    for name in INDICATOR_FIELDS:
        if name in data:
            setattr(obj, name, data[name] if data[name] is not None else "")
    obj.code, obj.source = code, source
    obj.save()
    return obj


@transaction.atomic
def indicator_retire(*, indicator: Indicator, on: dt.date | None = None) -> Indicator:
    indicator.retired_on = on or timezone.localdate()
    indicator.save(update_fields=["retired_on"])
    return indicator


@transaction.atomic
def indicator_restore(*, indicator: Indicator) -> Indicator:
    indicator.retired_on = None
    indicator.save(update_fields=["retired_on"])
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator) -> None:
    """Only an indicator no report uses; the others are retired instead."""
    if ReportValue.objects.filter(indicator=indicator).exists():
        raise ValidationError(
            _("Chỉ tiêu %(code)s đã có số liệu trong báo cáo nên không xóa được; hãy cho ngừng sử dụng.")
            % {"code": indicator.code}
        )
    indicator.delete()


# ---------------------------------------------------------------- templates


@transaction.atomic
def template_save(*, data: dict, province: Unit | None = None, template: ReportTemplate | None = None):
    obj = template if template is not None else ReportTemplate(province=province)
    tables = list(data.get("tables") or [])
    if any(t.province_id != obj.province_id for t in tables):
        raise ValidationError({"tables": _("Chỉ chọn các biểu của tỉnh.")})
    kinds = list(data.get("period_kinds") or [])
    if any(k not in ReportingPeriod.Kind.values for k in kinds):
        raise ValidationError({"period_kinds": _("Loại kỳ không hợp lệ.")})
    obj.name = data["name"]
    obj.applies_to = data["applies_to"]
    obj.period_kinds = kinds
    obj.active = bool(data.get("active"))
    obj.save()
    obj.tables.set(tables)
    return obj


SECTION_FIELDS = ("code", "title", "guidance", "order")


@transaction.atomic
def section_save(*, data: dict, template: ReportTemplate | None = None, section: TemplateSection | None = None):
    obj = section if section is not None else TemplateSection(template=template)
    code = (data.get("code") or "").strip()
    if TemplateSection.objects.filter(template=obj.template, code=code).exclude(pk=obj.pk).exists():
        raise ValidationError({"code": _("Mẫu báo cáo đã có mục %(code)s.") % {"code": code}})
    for name in SECTION_FIELDS:
        if name in data:
            setattr(obj, name, data[name] if data[name] is not None else "")
    obj.code = code
    obj.save()
    return obj


@transaction.atomic
def section_delete(*, section: TemplateSection) -> None:
    """Refused when a unit's report already has text under the section."""
    if ReportSection.objects.filter(section=section).exists():
        raise ValidationError(
            _("Mục “%(title)s” đã được dùng trong báo cáo của đơn vị nên không xóa được.") % {"title": section.title}
        )
    section.delete()
