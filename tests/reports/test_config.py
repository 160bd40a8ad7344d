"""Configuration pages of reporting (reports/views_config.py): periods, rules and the
generation of a year's periods, the indicator catalogue and the report templates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import catalogue
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
from tests.factories import GrantFactory, UnitFactory, UserFactory
from tests.reports import matrix_config
from tests.test_permission_matrix import world  # noqa: F401  (the matrix's world: province P, personas)
from units.models import UnitKind

D = dt.date


def _msgs(response) -> list[str]:
    """The messages added by this request (earlier redirects were not followed, so their
    messages are still pending in front)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def _period(province, **over):
    data = {
        "province": province,
        "kind": "semiannual",
        "year": 2026,
        "label": "Báo cáo 6 tháng đầu năm 2026",
        "data_start": D(2025, 10, 16),
        "data_end": D(2026, 5, 15),
        "due_date": D(2026, 5, 15),
    }
    data.update(over)
    return ReportingPeriod.objects.create(**data)


def _period_post(**over):
    data = {
        "kind": "semiannual",
        "year": "2026",
        "label": "Báo cáo 6 tháng đầu năm 2026",
        "data_start": "16/10/2025",
        "data_end": "15/05/2026",
        "due_date": "15/05/2026",
        "lock_date": "15/06/2026",
        "self_score_due": "",
        "remind_days_before": "5",
    }
    data.update(over)
    return data


@pytest.fixture
def installed(tree):
    catalogue.install_defaults(tree["province"])
    return tree["province"]


# ---------------------------------------------------------------- nav and hub


def test_nav_entry_only_for_steering(client, steering, reviewer):
    client.force_login(steering)
    assert "Cấu hình báo cáo" in client.get(reverse("home")).content.decode()
    client.force_login(reviewer)
    assert "Cấu hình báo cáo" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("report-config")).status_code == 403


def test_hub_counts(client, steering, installed):
    _period(installed)
    client.force_login(steering)
    response = client.get(reverse("report-config"))
    (p,) = response.context["provinces"]
    assert p.n_periods == ReportingPeriod.objects.filter(province=installed).count() == 1
    assert p.n_tables == IndicatorTable.objects.filter(province=installed).count() == 14
    assert p.n_templates == ReportTemplate.objects.filter(province=installed).count()
    assert p.n_rules == 0


# ---------------------------------------------------------------- periods


def test_period_list_read_only_for_reporters(client, tree, reporter, steering):
    mine = _period(tree["province"])
    other_province = UnitFactory(kind=UnitKind.PROVINCE)
    theirs = _period(other_province, label="Kỳ tỉnh khác")
    client.force_login(reporter)
    response = client.get(reverse("period-list"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["page_obj"]] == [mine.pk]
    html = response.content.decode()
    assert mine.label in html
    assert theirs.label not in html
    assert reverse("period-edit", args=[mine.pk]) not in html
    assert reverse("period-create") not in html
    client.force_login(steering)
    html = client.get(reverse("period-list")).content.decode()
    assert reverse("period-edit", args=[mine.pk]) in html


def test_period_list_year_filter_and_report_counts(client, tree, steering, installed):
    p26 = _period(installed)
    p25 = _period(installed, year=2025, label="Báo cáo 6 tháng đầu năm 2025", data_start=D(2024, 10, 16),
                  data_end=D(2025, 5, 15), due_date=D(2025, 5, 15))  # fmt: skip
    template = installed.report_templates.get(applies_to="commune")
    for unit in (tree["commune_a"], tree["commune_b"]):
        UnitReport.objects.create(unit=unit, period=p25, template=template)
    client.force_login(steering)
    response = client.get(reverse("period-list"), {"year": 2025})
    rows = list(response.context["page_obj"])
    assert [p.pk for p in rows] == [p25.pk]
    assert rows[0].n_reports == UnitReport.objects.filter(period=p25).count() == 2
    rows = list(client.get(reverse("period-list")).context["page_obj"])
    assert {p.pk: p.n_reports for p in rows} == {p26.pk: 0, p25.pk: 2}


def test_period_list_fixed_queries(client, tree, steering, installed):
    client.force_login(steering)
    _period(installed)
    client.get(reverse("period-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("period-list"))
    for i in range(5):
        _period(installed, label=f"Kỳ đột xuất {i}", kind="ad_hoc")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("period-list"))
    assert len(response.context["page_obj"]) == 6
    assert len(many) == len(few)


def test_period_create(client, tree, steering):
    client.force_login(steering)
    page = client.get(reverse("period-create"))
    assert page.status_code == 200
    assert 'type="hidden" name="province"' in page.content.decode()  # one province: no select
    response = client.post(
        reverse("period-create"), {**_period_post(self_score_due="01/05/2026"), "province": tree["province"].pk}
    )
    assert response.status_code == 302
    p = ReportingPeriod.objects.get()
    assert (p.province, p.data_start, p.due_date, p.lock_date, p.self_score_due) == (
        tree["province"],
        D(2025, 10, 16),
        D(2026, 5, 15),
        D(2026, 6, 15),
        D(2026, 5, 1),
    )


def test_period_create_errors_save_nothing(client, tree, steering):
    client.force_login(steering)
    province = tree["province"].pk
    response = client.post(reverse("period-create"), {**_period_post(lock_date="01/05/2026"), "province": province})
    assert response.status_code == 200
    assert "Ngày khóa phải bằng hoặc sau hạn gửi báo cáo." in response.content.decode()
    response = client.post(reverse("period-create"), {**_period_post(data_end="01/10/2025"), "province": province})
    assert "Ngày kết thúc số liệu phải bằng hoặc sau ngày bắt đầu." in response.content.decode()
    assert ReportingPeriod.objects.count() == 0
    _period(tree["province"])
    response = client.post(reverse("period-create"), {**_period_post(), "province": province})
    assert response.status_code == 200
    assert "Tỉnh đã có kỳ báo cáo cùng loại, cùng năm với tên này." in response.content.decode()
    assert ReportingPeriod.objects.count() == 1


def test_period_create_refuses_other_province(client, tree, steering):
    other = UnitFactory(kind=UnitKind.PROVINCE)
    client.force_login(steering)
    response = client.post(reverse("period-create"), {**_period_post(), "province": other.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["province"]
    assert ReportingPeriod.objects.count() == 0


def test_period_create_select_when_steering_several(client, tree, steering):
    other = UnitFactory(kind=UnitKind.PROVINCE, name="Tỉnh Khác")
    GrantFactory(user=steering, unit=other, role="steering")
    client.force_login(steering)
    html = client.get(reverse("period-create")).content.decode()
    assert '<select name="province"' in html
    assert "Tỉnh Khác" in html
    client.post(reverse("period-create"), {**_period_post(), "province": other.pk})
    assert ReportingPeriod.objects.get().province == other


def test_period_edit_frozen_when_reports_exist(client, tree, steering, installed):
    p = _period(installed)
    UnitReport.objects.create(
        unit=tree["commune_a"], period=p, template=installed.report_templates.get(applies_to="commune")
    )
    client.force_login(steering)
    url = reverse("period-edit", args=[p.pk])
    assert "Đã có 1 báo cáo" in client.get(url).content.decode()
    response = client.post(url, _period_post(year="2027"))
    assert response.status_code == 200
    assert "Đã có đơn vị báo cáo cho kỳ này" in response.content.decode()
    p.refresh_from_db()
    assert p.year == 2026
    response = client.post(url, _period_post(due_date="20/05/2026", lock_date="30/06/2026", remind_days_before="3"))
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.due_date, p.lock_date, p.remind_days_before) == (D(2026, 5, 20), D(2026, 6, 30), 3)


def test_period_edit_rights(client, tree, reviewer, reporter):
    p = _period(tree["province"])
    for user in (reviewer, reporter):
        client.force_login(user)
        assert client.get(reverse("period-edit", args=[p.pk])).status_code == 404
        assert client.get(reverse("period-create")).status_code == 403


# ---------------------------------------------------------------- rules and generation


def _rule_post(**over):
    data = {
        "kind": "semiannual",
        "label": "Báo cáo 6 tháng đầu năm {year}",
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
    data.update(over)
    return data


def test_rule_crud_and_generate(client, tree, steering):
    province = tree["province"]
    client.force_login(steering)
    create = f"{reverse('period-rule-create')}?tinh={province.pk}"
    assert client.post(create, _rule_post()).status_code == 302
    response = client.post(create, _rule_post(end_day="31", end_month="2"))
    assert response.status_code == 200
    assert "ngày 31 tháng 2" in response.content.decode()
    response = client.post(create, _rule_post(end_month="13"))
    assert response.status_code == 200
    assert response.context["form"].errors["end_month"]
    rule = PeriodRule.objects.get()
    assert (rule.province, rule.start_in_previous_year, rule.end_month) == (province, True, 5)
    html = client.get(reverse("period-rule-list")).content.decode()
    assert "Báo cáo 6 tháng đầu năm {year}" in html
    assert client.post(reverse("period-rule-edit", args=[rule.pk]), _rule_post(end_day="20")).status_code == 302
    rule.refresh_from_db()
    assert rule.end_day == 20

    response = client.post(reverse("period-generate"), {"province": province.pk, "year": "2026"})
    assert response.status_code == 302
    assert "Đã tạo 1 kỳ báo cáo năm 2026; bỏ qua 0 kỳ đã có." in _msgs(response)
    p = ReportingPeriod.objects.get()
    assert (p.label, p.data_start, p.data_end, p.due_date) == (
        "Báo cáo 6 tháng đầu năm 2026",
        D(2025, 10, 16),
        D(2026, 5, 20),
        D(2026, 5, 20),
    )
    response = client.post(reverse("period-generate"), {"province": province.pk, "year": "2026"})
    assert "Đã tạo 0 kỳ báo cáo năm 2026; bỏ qua 1 kỳ đã có." in _msgs(response)
    assert ReportingPeriod.objects.count() == 1

    assert client.post(reverse("period-rule-delete", args=[rule.pk])).status_code == 302
    assert not PeriodRule.objects.exists()
    assert ReportingPeriod.objects.count() == 1  # generated periods stay
    response = client.post(reverse("period-generate"), {"province": province.pk, "year": "2027"})
    assert response.status_code == 200
    assert "Tỉnh chưa có quy tắc kỳ báo cáo nào." in response.content.decode()


def test_rules_of_another_province_are_out_of_reach(client, tree, steering):
    other = UnitFactory(kind=UnitKind.PROVINCE)
    rule = PeriodRule.objects.create(
        province=other, kind="annual", label="Năm {year}", start_day=1, start_month=1, end_day=31, end_month=12
    )
    client.force_login(steering)
    assert client.get(f"{reverse('period-rule-list')}?tinh={other.pk}").status_code == 404
    assert client.post(reverse("period-rule-delete", args=[rule.pk])).status_code == 404
    assert client.post(reverse("period-generate"), {"province": other.pk, "year": "2026"}).status_code == 200
    assert PeriodRule.objects.filter(pk=rule.pk).exists()
    assert not ReportingPeriod.objects.exists()


# ---------------------------------------------------------------- catalogue


def test_install_defaults_is_idempotent(client, tree, steering):
    client.force_login(steering)
    url = reverse("report-config-install")
    response = client.post(url, {"tinh": tree["province"].pk})
    n_ind = Indicator.objects.filter(table__province=tree["province"]).count()
    n_tpl = ReportTemplate.objects.filter(province=tree["province"]).count()
    assert f"thêm 14 biểu, {n_ind} chỉ tiêu, {n_tpl} mẫu báo cáo" in _msgs(response)[0]
    response = client.post(url, {"tinh": tree["province"].pk})
    assert "thêm 0 biểu, 0 chỉ tiêu, 0 mẫu báo cáo" in _msgs(response)[0]
    assert IndicatorTable.objects.filter(province=tree["province"]).count() == 14
    assert client.get(url).status_code == 405


def test_catalogue_page_fixed_queries(client, steering, installed):
    client.force_login(steering)
    url = reverse("report-config-tables")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        response = client.get(url)
    assert len(response.context["tables"]) == 14
    table = IndicatorTable.objects.filter(province=installed).first()
    for i in range(5):
        Indicator.objects.create(table=table, code=f"X.{i}", name=f"Thêm {i}")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_table_edit(client, steering, installed):
    table = IndicatorTable.objects.get(province=installed, code="02")
    client.force_login(steering)
    response = client.post(reverse("report-config-table-edit", args=[table.pk]), {"title": "Đối thoại", "order": 40})
    assert response.status_code == 302
    table.refresh_from_db()
    assert (table.title, table.order) == ("Đối thoại", 40)


def test_indicator_add_edit_unique_code(client, steering, installed):
    table = IndicatorTable.objects.get(province=installed, code="01")
    client.force_login(steering)
    url = reverse("report-config-indicator-create", args=[table.pk])
    data = {"code": "01.99", "name": "Số tổ hòa giải", "unit_of_measure": "tổ", "value_type": "int",
            "aggregation": "sum", "source": "", "order": 99}  # fmt: skip
    assert client.post(url, data).status_code == 302
    new = Indicator.objects.get(table=table, code="01.99")
    assert (new.name, new.source, new.is_computed) == ("Số tổ hòa giải", "", False)
    response = client.post(url, {**data, "code": "01.01"})
    assert response.status_code == 200
    assert "Biểu này đã có chỉ tiêu mã 01.01." in response.content.decode()
    assert Indicator.objects.filter(table=table, code="01.01").count() == 1
    # The same code in another table is fine.
    other = IndicatorTable.objects.get(province=installed, code="02")
    response = client.post(reverse("report-config-indicator-create", args=[other.pk]), {**data, "code": "01.01"})
    assert response.status_code == 302
    edit = reverse("report-config-indicator-edit", args=[new.pk])
    assert client.post(edit, {**data, "source": "units.hamlets", "name": "Số thôn"}).status_code == 302
    new.refresh_from_db()
    assert (new.name, new.source) == ("Số thôn", "units.hamlets")
    response = client.post(edit, {**data, "source": "khong.co"})
    assert response.status_code == 200
    assert response.context["form"].errors["source"]
    response = client.post(edit, {**data, "code": "01.02"})
    assert "Biểu này đã có chỉ tiêu mã 01.02." in response.content.decode()
    new.refresh_from_db()
    assert new.code == "01.99"


def test_indicator_retire_restore_delete(client, tree, steering, installed):
    table = IndicatorTable.objects.get(province=installed, code="01")
    used, unused = Indicator.objects.get(table=table, code="01.06"), Indicator.objects.get(table=table, code="01.05")
    period = _period(installed)
    report = UnitReport.objects.create(
        unit=tree["commune_a"], period=period, template=installed.report_templates.get(applies_to="commune")
    )
    ReportValue.objects.create(report=report, indicator=used, value=Decimal("3"))
    client.force_login(steering)

    response = client.post(reverse("report-config-indicator-retire", args=[used.pk]))
    used.refresh_from_db()
    assert used.retired_on == timezone.localdate()
    assert "ngừng sử dụng từ hôm nay" in _msgs(response)[0]
    html = client.get(reverse("report-config-tables")).content.decode()
    assert reverse("report-config-indicator-restore", args=[used.pk]) in html
    assert reverse("report-config-indicator-delete", args=[used.pk]) not in html
    assert reverse("report-config-indicator-delete", args=[unused.pk]) in html
    client.post(reverse("report-config-indicator-restore", args=[used.pk]))
    used.refresh_from_db()
    assert used.retired_on is None

    response = client.post(reverse("report-config-indicator-delete", args=[used.pk]))
    assert "đã có số liệu trong báo cáo nên không xóa được" in _msgs(response)[0]
    assert Indicator.objects.filter(pk=used.pk).exists()
    client.post(reverse("report-config-indicator-delete", args=[unused.pk]))
    assert not Indicator.objects.filter(pk=unused.pk).exists()


def test_catalogue_of_another_province(client, tree, steering, reviewer):
    other = UnitFactory(kind=UnitKind.PROVINCE)
    catalogue.install_defaults(other)
    indicator = Indicator.objects.filter(table__province=other).first()
    client.force_login(steering)
    assert client.get(f"{reverse('report-config-tables')}?tinh={other.pk}").status_code == 404
    assert client.post(reverse("report-config-install"), {"tinh": other.pk}).status_code == 404
    assert client.post(reverse("report-config-indicator-retire", args=[indicator.pk])).status_code == 404
    indicator.refresh_from_db()
    assert indicator.retired_on is None
    client.force_login(reviewer)
    assert client.get(reverse("report-config-tables")).status_code == 403


# ---------------------------------------------------------------- templates


def test_template_edit(client, steering, installed):
    template = ReportTemplate.objects.get(province=installed, applies_to="commune")
    tables = list(IndicatorTable.objects.filter(province=installed, code__in=["01", "02"]))
    client.force_login(steering)
    url = reverse("report-config-template-edit", args=[template.pk])
    html = client.get(url).content.decode()
    assert 'name="period_kinds"' in html
    assert 'name="tables"' in html
    response = client.post(
        url,
        {
            "name": "Mẫu xã mới",
            "applies_to": "commune",
            "period_kinds": ["semiannual", "annual"],
            "tables": [t.pk for t in tables],
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.name, template.period_kinds, template.active) == ("Mẫu xã mới", ["semiannual", "annual"], False)
    assert set(template.tables.all()) == set(tables)
    # Tables of another province are not offered.
    other = UnitFactory(kind=UnitKind.PROVINCE)
    catalogue.install_defaults(other)
    foreign = IndicatorTable.objects.filter(province=other).first()
    response = client.post(url, {"name": "X", "applies_to": "commune", "tables": [foreign.pk], "active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["tables"]
    assert set(template.tables.all()) == set(tables)


def test_template_create(client, steering, installed):
    client.force_login(steering)
    url = f"{reverse('report-config-template-create')}?tinh={installed.pk}"
    table = IndicatorTable.objects.get(province=installed, code="03")
    response = client.post(url, {"name": "Mẫu đột xuất", "applies_to": "commune", "period_kinds": ["ad_hoc"],
                                 "tables": [table.pk], "active": "on"})  # fmt: skip
    new = ReportTemplate.objects.get(name="Mẫu đột xuất")
    assert response.url == reverse("report-config-template-edit", args=[new.pk])
    assert (new.province, new.period_kinds, new.active) == (installed, ["ad_hoc"], True)
    assert list(new.tables.all()) == [table]


def test_sections_add_reorder_delete(client, tree, steering, installed):
    template = ReportTemplate.objects.get(province=installed, applies_to="commune")
    client.force_login(steering)
    n = template.sections.count()
    response = client.post(
        reverse("report-config-section-create", args=[template.pk]),
        {"code": "VI", "title": "Kiến nghị khác", "guidance": "Ghi các kiến nghị", "order": 0},
    )
    assert response.status_code == 302
    assert template.sections.count() == n + 1
    assert template.sections.order_by("order", "pk").first().code == "VI"  # order 0 puts it first
    response = client.post(
        reverse("report-config-section-create", args=[template.pk]), {"code": "VI", "title": "Trùng", "order": 1}
    )
    assert "Mẫu báo cáo đã có mục VI." in response.content.decode()
    section = template.sections.get(code="VI")
    edit = reverse("report-config-section-edit", args=[section.pk])
    client.post(edit, {"code": "VI", "title": "Kiến nghị khác", "order": 999})
    assert template.sections.order_by("order", "pk").last().pk == section.pk

    used = template.sections.exclude(pk=section.pk).first()
    report = UnitReport.objects.create(unit=tree["commune_a"], period=_period(installed), template=template)
    ReportSection.objects.create(report=report, section=used, text="Đã thực hiện")
    response = client.post(reverse("report-config-section-delete", args=[used.pk]))
    assert "đã được dùng trong báo cáo của đơn vị nên không xóa được" in _msgs(response)[0]
    assert TemplateSection.objects.filter(pk=used.pk).exists()
    client.post(reverse("report-config-section-delete", args=[section.pk]))
    assert not TemplateSection.objects.filter(pk=section.pk).exists()


def test_template_list_counts(client, tree, steering, installed):
    client.force_login(steering)
    response = client.get(reverse("report-config-templates"))
    rows = {t.pk: t for t in response.context["templates"]}
    for t in ReportTemplate.objects.filter(province=installed):
        assert rows[t.pk].n_sections == TemplateSection.objects.filter(template=t).count()
        assert rows[t.pk].n_reports == 0
    assert len(rows) == ReportTemplate.objects.filter(province=installed).count()


def test_other_user_cannot_steer(client, tree, reporter):
    stranger = UserFactory()
    for user in (reporter, stranger):
        client.force_login(user)
        assert client.get(reverse("report-config-templates")).status_code == 403


# ---------------------------------------------------------------- denied writes change nothing

POST_ROWS = [
    (name, i) for name, rows in matrix_config.ROUTES.items() for i, row in enumerate(rows) if row.method == "post"
]


@pytest.mark.parametrize(("route", "index"), POST_ROWS, ids=[f"{r}[{i}]" for r, i in POST_ROWS])
def test_denied_config_writes_change_nothing(db, client, request, route, index):
    """Every persona the matrix denies (403, 404, or a form sent back) leaves the configuration
    as it was; the steering committee of P then changes it."""
    w = request.getfixturevalue("world")
    row = matrix_config.ROUTES[route][index]
    url = row.url(w)
    for persona, expected in row.expect.items():
        if expected == 302:
            continue
        client.logout()
        if persona != "anon":
            client.force_login(w["users"][persona])
        before = matrix_config.config_snapshot()
        response = client.post(url, row.data(w))
        assert response.status_code == expected, persona
        assert matrix_config.config_snapshot() == before, f"{route} as {persona} changed the configuration"
    client.force_login(w["users"]["st_p"])
    before = matrix_config.config_snapshot()
    assert client.post(url, row.data(w)).status_code == 302
    if route != "report-config-install":  # idempotent: the world already holds the default catalogue
        assert matrix_config.config_snapshot() != before
