"""The benchmark's own parts at a toy size, so ``make bench`` cannot rot silently: the generator
writes a well-formed tree (paths, one report per reporting unit with every indicator of its
template filled, score sheets, records), is found again instead of regenerated, and the floor
F1 writes as many unit rows in Biểu 02 as the product's workbook (bench/generate.py, floor.py)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from bench import floor, generate
from criteria.models import ScoreSheet
from dialogues.models import DialogueSession, Petition
from reports import compilation, services, workbook
from reports.models import ReportValue, UnitReport
from units.models import Unit

TODAY = dt.date(2026, 6, 20)


@pytest.fixture
def ds(db):
    return generate.generate(generate.Spec.of("toy"), log=lambda _line: None)


def _product_rows(path, title: str) -> int:
    """Unit rows of a product sheet: the rows whose first cell is the running number."""
    ws = openpyxl.load_workbook(path, read_only=True)[title]
    return sum(1 for row in ws.iter_rows(max_col=1, values_only=True) if isinstance(row[0], int))


def test_the_tree_and_the_reports_are_well_formed(ds):
    spec = generate.Spec.of("toy")
    units = Unit.objects.filter(path__startswith=ds.province.path)
    by_id = {u.pk: u for u in units}
    assert len(by_id) == 1 + spec.districts + spec.communes + spec.agencies
    for unit in units:
        parent_path = by_id[unit.parent_id].path if unit.parent_id else "/"
        assert unit.path == f"{parent_path}{unit.pk}/"
        assert unit.depth == unit.path.count("/") - 2
    reporting = units.filter(kind__in=services.REPORTING_KINDS)
    assert reporting.count() == spec.communes + spec.agencies
    reports = UnitReport.objects.filter(period_id=ds.period_id)
    assert sorted(reports.values_list("unit_id", flat=True)) == sorted(reporting.values_list("pk", flat=True))
    for report in reports.select_related("unit"):
        expected = set(
            services.indicators_of(services.template_for(report.unit, ds.period), ds.period).values_list(
                "pk", flat=True
            )
        )
        values = ReportValue.objects.filter(report=report)
        assert set(values.values_list("indicator_id", flat=True)) == expected
        assert not values.filter(value__isnull=True).exists()
    assert ScoreSheet.objects.filter(period_id=ds.period_id).count() == reporting.count()
    assert DialogueSession.objects.count() + Petition.objects.count() == spec.records
    assert ds.sizes["reports"] == reporting.count()


def test_a_complete_dataset_is_found_not_regenerated(ds):
    again = generate.ensure(generate.Spec.of("toy"), log=lambda _line: None)
    assert again.reused
    assert again.province_id == ds.province_id
    assert generate.find(generate.Spec.of("toy", seed=1)) is None


def test_the_floor_writes_the_rows_and_cells_of_the_product(ds, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    scope, period = ds.province, ds.period
    summary = compilation.summarize(scope, period, today=TODAY)
    product = tmp_path / "product.xlsx"
    workbook.write_workbook(summary, product, today=TODAY)
    target = floor.count_cells(product)
    out = tmp_path / "floor.xlsx"
    stats = floor.write_floor(scope, period, out, today=TODAY, pad_to=target)
    approved = UnitReport.objects.filter(period=period, status__in=["approved", "locked"]).count()
    assert stats["rows"]["Biểu 02"] == _product_rows(product, "Biểu 02") == approved
    assert stats["rows"]["Tiến độ"] == _product_rows(product, "Tiến độ")
    assert floor.count_cells(out) == stats["cells"] == target
    floor_ws = openpyxl.load_workbook(out, read_only=True)["Biểu 02"]
    assert sum(1 for _row in floor_ws.iter_rows(min_row=2)) == approved
