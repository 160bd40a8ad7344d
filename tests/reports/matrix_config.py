"""Permission-matrix rows for the reporting configuration pages (reports/urls_config.py; see
tests/test_permission_matrix.py). Periods, rules, the catalogue and templates belong to
province P: the steering committee of P and the admin of P configure them; steering Q
configures its own province only (P's rows are out of its sight: 404); reporters and
reviewers may read the list of periods and nothing else."""

import datetime as dt

from reports.models import Indicator, IndicatorTable, PeriodRule, ReportingPeriod, ReportTemplate, TemplateSection
from tests.matrix import ANON_LOGIN, OWN_PAGE, PERSONAS, Row, redirect_when_allowed, u

# Pages of the steering committee, wherever it steers.
STEERS = {"rep_a": 403, "rep_b": 403, "rev_x": 403, "rev_y": 403, "st_p": 200, "st_q": 200, "admin": 200, "anon": 302}
# Objects of province P: outside P's steering (and admin) nobody sees them.
STEERS_P = {"rep_a": 404, "rep_b": 404, "rev_x": 404, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}
STEERS_P_PAGE = {**STEERS_P, **ANON_LOGIN}
STEERS_P_WRITE = {**redirect_when_allowed(STEERS_P), **ANON_LOGIN}
# A page of province P chosen with ?tinh=: only steering users get that far.
PROVINCE_P = {**STEERS, "st_q": 404}
PROVINCE_P_WRITE = redirect_when_allowed(PROVINCE_P)
# A form posting province P: steering Q may post forms, but the form refuses P (200, nothing saved).
FORM_P_WRITE = {**redirect_when_allowed(STEERS), "st_q": 200}
POST_ONLY = {**{p: 405 for p in PERSONAS if p != "anon"}, **ANON_LOGIN}


def extend_world(world):
    p = world["units"]["p"]
    world["config_period"] = ReportingPeriod.objects.create(
        province=p,
        kind=ReportingPeriod.Kind.SEMIANNUAL,
        year=2030,
        label="Kỳ cấu hình ma trận 2030",
        data_start=dt.date(2029, 10, 16),
        data_end=dt.date(2030, 5, 15),
        due_date=dt.date(2030, 5, 15),
    )
    world["config_rule"] = PeriodRule.objects.create(
        province=p,
        kind=ReportingPeriod.Kind.ANNUAL,
        label="Báo cáo năm {year}",
        start_day=16,
        start_month=10,
        end_day=15,
        end_month=10,
    )
    table = IndicatorTable.objects.create(province=p, code="M1", title="Biểu ma trận", order=1)
    world["config_table"] = table
    world["config_indicator"] = Indicator.objects.create(table=table, code="M1.01", name="Chỉ tiêu ma trận")
    world["config_retired"] = Indicator.objects.create(
        table=table, code="M1.02", name="Chỉ tiêu đã ngừng", retired_on=dt.date(2029, 1, 1)
    )
    template = ReportTemplate.objects.create(province=p, name="Mẫu ma trận", applies_to="commune")
    template.tables.set([table])
    world["config_template"] = template
    world["config_section"] = TemplateSection.objects.create(template=template, code="I", title="Tình hình", order=1)


def obj(key):
    return lambda w: w[key].pk


def with_p(name, *args):
    return lambda w: f"{u(name, *args)(w)}?tinh={w['units']['p'].pk}"


def period_payload(w, **over):
    return {
        "kind": "semiannual",
        "year": "2030",
        "label": "Kỳ cấu hình ma trận 2030",
        "data_start": "16/10/2029",
        "data_end": "15/05/2030",
        "due_date": "20/05/2030",
        "lock_date": "",
        "self_score_due": "",
        "remind_days_before": "5",
        **over,
    }


RULE_PAYLOAD = {
    "kind": "semiannual",
    "label": "6 tháng {year}",
    "start_day": "16",
    "start_month": "10",
    "start_in_previous_year": "on",
    "end_day": "15",
    "end_month": "5",
    "due_days_after_end": "0",
    "lock_days_after_due": "30",
    "self_score_days_after_end": "",
    "remind_days_before": "5",
}
INDICATOR_PAYLOAD = {
    "code": "M1.09",
    "name": "Chỉ tiêu mới",
    "unit_of_measure": "cuộc",
    "value_type": "int",
    "aggregation": "sum",
    "source": "",
    "order": "9",
}


def template_payload(w):
    return {"name": "Mẫu ma trận mới", "applies_to": "commune", "tables": [w["config_table"].pk], "active": "on"}


SECTION_PAYLOAD = {"code": "II", "title": "Kết quả", "guidance": "", "order": "2"}

ROUTES = {
    "period-list": [Row(u("period-list"), OWN_PAGE)],
    "period-create": [
        Row(u("period-create"), STEERS),
        Row(
            u("period-create"),
            FORM_P_WRITE,
            method="post",
            data=lambda w: period_payload(w, label="Kỳ mới", province=w["units"]["p"].pk),
        ),
    ],
    "period-edit": [
        Row(u("period-edit", obj("config_period")), STEERS_P_PAGE),
        Row(u("period-edit", obj("config_period")), STEERS_P_WRITE, method="post", data=period_payload),
    ],
    "period-generate": [
        Row(u("period-generate"), STEERS),
        Row(
            u("period-generate"),
            FORM_P_WRITE,
            method="post",
            data=lambda w: {"province": w["units"]["p"].pk, "year": "2031"},
        ),
    ],
    "period-rule-list": [Row(u("period-rule-list"), STEERS), Row(with_p("period-rule-list"), PROVINCE_P)],
    "period-rule-create": [
        Row(u("period-rule-create"), STEERS),
        Row(with_p("period-rule-create"), PROVINCE_P_WRITE, method="post", data=lambda w: RULE_PAYLOAD),
    ],
    "period-rule-edit": [
        Row(u("period-rule-edit", obj("config_rule")), STEERS_P_PAGE),
        Row(u("period-rule-edit", obj("config_rule")), STEERS_P_WRITE, method="post", data=lambda w: RULE_PAYLOAD),
    ],
    "period-rule-delete": [
        Row(u("period-rule-delete", obj("config_rule")), POST_ONLY),
        Row(u("period-rule-delete", obj("config_rule")), STEERS_P_WRITE, method="post"),
    ],
    "report-config": [Row(u("report-config"), STEERS)],
    "report-config-tables": [Row(u("report-config-tables"), STEERS), Row(with_p("report-config-tables"), PROVINCE_P)],
    "report-config-install": [
        Row(u("report-config-install"), POST_ONLY),
        Row(
            u("report-config-install"),
            PROVINCE_P_WRITE,
            method="post",
            data=lambda w: {"tinh": w["units"]["p"].pk},
        ),
    ],
    "report-config-table-edit": [
        Row(u("report-config-table-edit", obj("config_table")), STEERS_P_PAGE),
        Row(
            u("report-config-table-edit", obj("config_table")),
            STEERS_P_WRITE,
            method="post",
            data=lambda w: {"title": "Biểu đã sửa", "order": "3"},
        ),
    ],
    "report-config-indicator-create": [
        Row(u("report-config-indicator-create", obj("config_table")), STEERS_P_PAGE),
        Row(
            u("report-config-indicator-create", obj("config_table")),
            STEERS_P_WRITE,
            method="post",
            data=lambda w: INDICATOR_PAYLOAD,
        ),
    ],
    "report-config-indicator-edit": [
        Row(u("report-config-indicator-edit", obj("config_indicator")), STEERS_P_PAGE),
        Row(
            u("report-config-indicator-edit", obj("config_indicator")),
            STEERS_P_WRITE,
            method="post",
            data=lambda w: INDICATOR_PAYLOAD,
        ),
    ],
    "report-config-indicator-retire": [
        Row(u("report-config-indicator-retire", obj("config_indicator")), POST_ONLY),
        Row(u("report-config-indicator-retire", obj("config_indicator")), STEERS_P_WRITE, method="post"),
    ],
    "report-config-indicator-restore": [
        Row(u("report-config-indicator-restore", obj("config_retired")), POST_ONLY),
        Row(u("report-config-indicator-restore", obj("config_retired")), STEERS_P_WRITE, method="post"),
    ],
    "report-config-indicator-delete": [
        Row(u("report-config-indicator-delete", obj("config_indicator")), POST_ONLY),
        Row(u("report-config-indicator-delete", obj("config_indicator")), STEERS_P_WRITE, method="post"),
    ],
    "report-config-templates": [
        Row(u("report-config-templates"), STEERS),
        Row(with_p("report-config-templates"), PROVINCE_P),
    ],
    "report-config-template-create": [
        Row(u("report-config-template-create"), STEERS),
        Row(with_p("report-config-template-create"), PROVINCE_P_WRITE, method="post", data=template_payload),
    ],
    "report-config-template-edit": [
        Row(u("report-config-template-edit", obj("config_template")), STEERS_P_PAGE),
        Row(
            u("report-config-template-edit", obj("config_template")),
            STEERS_P_WRITE,
            method="post",
            data=template_payload,
        ),
    ],
    "report-config-section-create": [
        Row(u("report-config-section-create", obj("config_template")), STEERS_P_PAGE),
        Row(
            u("report-config-section-create", obj("config_template")),
            STEERS_P_WRITE,
            method="post",
            data=lambda w: SECTION_PAYLOAD,
        ),
    ],
    "report-config-section-edit": [
        Row(u("report-config-section-edit", obj("config_section")), STEERS_P_PAGE),
        Row(
            u("report-config-section-edit", obj("config_section")),
            STEERS_P_WRITE,
            method="post",
            data=lambda w: SECTION_PAYLOAD,
        ),
    ],
    "report-config-section-delete": [
        Row(u("report-config-section-delete", obj("config_section")), POST_ONLY),
        Row(u("report-config-section-delete", obj("config_section")), STEERS_P_WRITE, method="post"),
    ],
}


def config_snapshot():
    """The configuration rows, to check that a denied call changed nothing (the shared
    snapshot of tests/test_permission_matrix.py does not cover the reports tables)."""
    return (
        list(ReportingPeriod.objects.order_by("pk").values_list()),
        list(PeriodRule.objects.order_by("pk").values_list()),
        list(IndicatorTable.objects.order_by("pk").values_list()),
        list(Indicator.objects.order_by("pk").values_list()),
        list(ReportTemplate.objects.order_by("pk").values_list()),
        list(ReportTemplate.tables.through.objects.order_by("pk").values_list()),
        list(TemplateSection.objects.order_by("pk").values_list()),
    )
