"""Services of reports/periods.py: saving periods (date checks, uniqueness, frozen fields once
units report), period rules and generating a year's periods from them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from reports import catalogue, periods
from reports.models import PeriodRule, ReportingPeriod, UnitReport
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

D = dt.date


def _data(province, **over):
    data = {
        "province": province,
        "kind": "semiannual",
        "year": 2026,
        "label": "Báo cáo 6 tháng đầu năm 2026",
        "data_start": D(2025, 10, 16),
        "data_end": D(2026, 5, 15),
        "due_date": D(2026, 5, 15),
        "lock_date": D(2026, 6, 15),
        "self_score_due": None,
        "remind_days_before": 5,
    }
    data.update(over)
    return data


def _s5_rules(province):
    PeriodRule.objects.create(
        province=province,
        kind="semiannual",
        label="Báo cáo 6 tháng đầu năm {year}",
        start_day=16,
        start_month=10,
        start_in_previous_year=True,
        end_day=15,
        end_month=5,
        due_days_after_end=0,
        lock_days_after_due=30,
        remind_days_before=7,
    )
    PeriodRule.objects.create(
        province=province,
        kind="annual",
        label="Báo cáo năm {year}",
        start_day=16,
        start_month=10,
        start_in_previous_year=True,
        end_day=15,
        end_month=10,
        due_days_after_end=0,
        lock_days_after_due=20,
        self_score_days_after_end=-15,
        remind_days_before=5,
    )


# ---------------------------------------------------------------- period_save


def test_period_save_creates_with_every_field(tree):
    p = periods.period_save(data=_data(tree["province"], self_score_due=D(2026, 5, 1), remind_days_before=9))
    p.refresh_from_db()
    assert (p.kind, p.year, p.data_start, p.data_end) == ("semiannual", 2026, D(2025, 10, 16), D(2026, 5, 15))
    assert (p.due_date, p.lock_date, p.self_score_due, p.remind_days_before) == (
        D(2026, 5, 15),
        D(2026, 6, 15),
        D(2026, 5, 1),
        9,
    )


@pytest.mark.parametrize(
    ("over", "field", "text"),
    [
        ({"data_end": D(2025, 10, 1)}, "data_end", "Ngày kết thúc số liệu"),
        ({"due_date": D(2025, 10, 1)}, "due_date", "Hạn gửi báo cáo"),
        ({"lock_date": D(2026, 5, 14)}, "lock_date", "Ngày khóa"),
    ],
)
def test_period_save_refuses_bad_dates(tree, over, field, text):
    with pytest.raises(ValidationError) as exc:
        periods.period_save(data=_data(tree["province"], **over))
    assert text in exc.value.message_dict[field][0]
    assert ReportingPeriod.objects.count() == 0


def test_period_save_equal_dates_are_fine(tree):
    same_day = D(2025, 10, 16)
    periods.period_save(data=_data(tree["province"], data_end=same_day, due_date=same_day, lock_date=None))
    assert ReportingPeriod.objects.count() == 1


def test_period_save_refuses_duplicate_with_message(tree):
    periods.period_save(data=_data(tree["province"]))
    with pytest.raises(ValidationError) as exc:
        periods.period_save(data=_data(tree["province"], due_date=D(2026, 5, 20)))
    assert "đã có kỳ báo cáo" in exc.value.message_dict["label"][0]
    assert ReportingPeriod.objects.count() == 1
    # Another province, another kind or another label is not a duplicate.
    other = UnitFactory(kind=UnitKind.PROVINCE)
    periods.period_save(data=_data(other))
    periods.period_save(data=_data(tree["province"], kind="annual"))
    periods.period_save(data=_data(tree["province"], label="Báo cáo bổ sung"))
    assert ReportingPeriod.objects.count() == 4


def test_period_edit_keeps_own_label_unique_check(tree):
    p = periods.period_save(data=_data(tree["province"]))
    periods.period_save(data=_data(tree["province"], due_date=D(2026, 5, 20)), period=p)
    p.refresh_from_db()
    assert p.due_date == D(2026, 5, 20)


def _with_report(tree, period):
    catalogue.install_defaults(tree["province"])
    template = tree["province"].report_templates.get(applies_to="commune")
    UnitReport.objects.create(unit=tree["commune_a"], period=period, template=template)


@pytest.mark.parametrize(
    "over",
    [{"kind": "annual"}, {"year": 2027}, {"data_start": D(2025, 10, 1)}, {"data_end": D(2026, 5, 14)}],
)
def test_period_with_reports_keeps_kind_year_and_window(tree, over):
    p = periods.period_save(data=_data(tree["province"]))
    _with_report(tree, p)
    with pytest.raises(ValidationError) as exc:
        periods.period_save(data=_data(tree["province"], **over), period=p)
    field = next(iter(over))
    assert "Đã có đơn vị báo cáo" in exc.value.message_dict[field][0]
    p.refresh_from_db()
    assert (p.kind, p.year, p.data_start, p.data_end) == ("semiannual", 2026, D(2025, 10, 16), D(2026, 5, 15))


def test_period_with_reports_may_move_deadlines(tree):
    p = periods.period_save(data=_data(tree["province"]))
    _with_report(tree, p)
    periods.period_save(
        data=_data(tree["province"], due_date=D(2026, 5, 25), lock_date=D(2026, 7, 1), self_score_due=D(2026, 6, 1)),
        period=p,
    )
    p.refresh_from_db()
    assert (p.due_date, p.lock_date, p.self_score_due) == (D(2026, 5, 25), D(2026, 7, 1), D(2026, 6, 1))


# ---------------------------------------------------------------- generate_periods


def test_generate_s5_example(tree):
    province = tree["province"]
    _s5_rules(province)
    created, skipped = periods.generate_periods(province, 2026)
    assert skipped == []
    assert len(created) == 2
    semi = ReportingPeriod.objects.get(province=province, year=2026, kind="semiannual")
    assert semi.label == "Báo cáo 6 tháng đầu năm 2026"
    assert (semi.data_start, semi.data_end, semi.due_date) == (D(2025, 10, 16), D(2026, 5, 15), D(2026, 5, 15))
    assert semi.lock_date == D(2026, 6, 14)
    assert semi.self_score_due is None
    assert semi.remind_days_before == 7
    annual = ReportingPeriod.objects.get(province=province, year=2026, kind="annual")
    assert annual.label == "Báo cáo năm 2026"
    assert (annual.data_start, annual.data_end, annual.due_date) == (D(2025, 10, 16), D(2026, 10, 15), D(2026, 10, 15))
    assert annual.lock_date == D(2026, 11, 4)
    assert annual.self_score_due == D(2026, 9, 30)


def test_generate_is_idempotent(tree):
    province = tree["province"]
    _s5_rules(province)
    periods.generate_periods(province, 2026)
    created, skipped = periods.generate_periods(province, 2026)
    assert created == []
    assert sorted(skipped) == ["Báo cáo 6 tháng đầu năm 2026", "Báo cáo năm 2026"]
    assert ReportingPeriod.objects.filter(province=province).count() == 2
    # Another year adds its own periods; another province's rules are not used.
    other = UnitFactory(kind=UnitKind.PROVINCE)
    PeriodRule.objects.create(
        province=other, kind="quarterly", label="Quý I/{year}", start_day=1, start_month=1,
        start_in_previous_year=False, end_day=31, end_month=3,
    )  # fmt: skip
    created, _ = periods.generate_periods(province, 2027)
    assert {p.kind for p in created} == {"semiannual", "annual"}
    assert ReportingPeriod.objects.filter(province=province).count() == 4
    assert not ReportingPeriod.objects.filter(province=other).exists()


def test_generate_start_in_same_year(tree):
    PeriodRule.objects.create(
        province=tree["province"], kind="quarterly", label="Quý I/{year}", start_day=1, start_month=1,
        start_in_previous_year=False, end_day=31, end_month=3, due_days_after_end=10, lock_days_after_due=5,
    )  # fmt: skip
    (q,), _ = periods.generate_periods(tree["province"], 2026)
    assert (q.label, q.data_start, q.data_end, q.due_date, q.lock_date) == (
        "Quý I/2026",
        D(2026, 1, 1),
        D(2026, 3, 31),
        D(2026, 4, 10),
        D(2026, 4, 15),
    )


def test_generate_invalid_date_saves_nothing(tree):
    province = tree["province"]
    _s5_rules(province)
    PeriodRule.objects.create(
        province=province, kind="quarterly", label="Quý I/{year}", start_day=1, start_month=1,
        start_in_previous_year=False, end_day=31, end_month=2,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        periods.generate_periods(province, 2026)
    assert "ngày 31 tháng 2 năm 2026 không có" in exc.value.messages[0]
    assert ReportingPeriod.objects.count() == 0


def test_generate_without_rules(tree):
    with pytest.raises(ValidationError, match="chưa có quy tắc"):
        periods.generate_periods(tree["province"], 2026)


# ---------------------------------------------------------------- rules


def _rule_data(**over):
    data = {
        "kind": "semiannual",
        "label": "6 tháng {year}",
        "start_day": 16,
        "start_month": 10,
        "start_in_previous_year": True,
        "end_day": 15,
        "end_month": 5,
        "due_days_after_end": 0,
        "lock_days_after_due": 30,
        "self_score_days_after_end": None,
        "remind_days_before": 5,
    }
    data.update(over)
    return data


def test_rule_save_checks_dates_and_label(tree):
    rule = periods.rule_save(data=_rule_data(), province=tree["province"])
    assert PeriodRule.objects.get(pk=rule.pk).province == tree["province"]
    with pytest.raises(ValidationError, match="31 tháng 2"):
        periods.rule_save(data=_rule_data(end_day=31, end_month=2), province=tree["province"])
    with pytest.raises(ValidationError, match=r"\{year\}"):
        periods.rule_save(data=_rule_data(label="6 tháng"), province=tree["province"])
    with pytest.raises(ValidationError, match="trước ngày bắt đầu"):
        periods.rule_save(data=_rule_data(start_in_previous_year=False), province=tree["province"])
    assert PeriodRule.objects.count() == 1


# ---------------------------------------------------------------- selectors


def test_readable_and_steerable_provinces(tree):
    other = UnitFactory(kind=UnitKind.PROVINCE)
    reporter = GrantFactory(user=UserFactory(), unit=tree["commune_a"], role="reporter").user
    steering = GrantFactory(user=UserFactory(), unit=tree["province"], role="steering").user
    assert list(periods.readable_provinces(reporter)) == [tree["province"]]
    assert list(periods.steerable_provinces(reporter)) == []
    assert list(periods.steerable_provinces(steering)) == [tree["province"]]
    p1 = periods.period_save(data=_data(tree["province"]))
    periods.period_save(data=_data(other))
    assert list(periods.visible_periods(reporter)) == [p1]
