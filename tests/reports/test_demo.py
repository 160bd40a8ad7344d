"""The demo's unit reports (reports/demo_reports.py): Lạc Sơn in mid-cycle on 22/11/2026."""

import datetime as dt
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from dialogues.models import DialogueSession, Petition
from reports import jobs
from reports.models import Compilation, ReportingPeriod, ReportStatus, UnitReport
from tests.reports.test_compilation import evaluate, total_row
from units import demo as units_demo
from units.models import CodeList, Unit

pytestmark = pytest.mark.django_db


def test_demo_reports_show_a_district_in_mid_cycle(settings):
    settings.DEMO_SEED_REPORTS = True
    call_command("seed_demo", force=True, stdout=StringIO())
    lac_son = Unit.objects.get(code_list=CodeList.LEGACY, code=units_demo.DISTRICT_CODE)
    vu_ban = Unit.objects.get(code_list=CodeList.LEGACY, code=units_demo.COMMUNE_CODE)
    periods = ReportingPeriod.objects.filter(
        province__code=units_demo.PROVINCE_CODE, province__code_list=CodeList.LEGACY
    )
    annual = periods.get(year=2026, kind="annual")
    semi = periods.get(year=2026, kind="semiannual")

    # The 2026 annual period has reports in every state, and units that sent nothing (Vụ Bản).
    states = set(UnitReport.objects.filter(period=annual).values_list("status", flat=True))
    assert {"draft", "submitted", "resubmitted", "returned", "approved"} <= states
    assert not UnitReport.objects.filter(period=annual, unit=vu_ban).exists()
    late = UnitReport.objects.filter(period=annual, first_submitted_at__date__gt=annual.due_date).count()
    on_time = UnitReport.objects.filter(period=annual, first_submitted_at__date__lte=annual.due_date).count()
    assert late > 0
    assert on_time > late
    # Closed periods: every commune reported and the reports are locked.
    communes = Unit.objects.filter(parent=lac_son, kind="commune")
    by_period = dict(
        UnitReport.objects.filter(unit__in=communes, status=ReportStatus.LOCKED)
        .values_list("period__label")
        .annotate(n=Count("pk"))
    )
    assert by_period[periods.get(year=2025, kind="annual").label] == communes.count() == 24

    # Vụ Bản's semiannual report was returned and may be corrected until 30/11/2026.
    report = UnitReport.objects.get(unit=vu_ban, period=semi)
    assert report.status == ReportStatus.RETURNED
    assert report.exception_until == dt.date(2026, 11, 30)
    assert report.events.filter(action="return").exclude(comment="").exists()
    # Its figures are the records of the window, without retyping.
    sessions = DialogueSession.objects.filter(
        unit__path__startswith=vu_ban.path, held_on__range=(semi.data_start, semi.data_end)
    )
    figures = dict(report.values.values_list("indicator__code", "value"))
    assert figures["02.01"] == sessions.count()
    assert figures["02.08"] == Petition.objects.filter(session__in=sessions).count()

    # The demo compilations: the province's 2026 semiannual summary by bcd.tinh, whose Biểu 02
    # total of sessions equals the approved reports, and Lạc Sơn's annual one with pending reports.
    jobs_done = {j.requested_by.username: j for j in Compilation.objects.select_related("requested_by")}
    province_job, district_job = jobs_done["bcd.tinh"], jobs_done["danvan.lacson"]
    assert province_job.status == district_job.status == "succeeded"
    assert province_job.period == semi
    assert district_job.reports_pending > 0
    book = openpyxl.load_workbook(jobs.file_path(province_job.xlsx))
    sheet = book["Biểu 02"]
    got = evaluate(sheet, sheet.cell(total_row(sheet), 3).value)
    want = UnitReport.objects.filter(period=semi, status__in=["approved", "locked"]).aggregate(
        t=Sum("values__value", filter=Q(values__indicator__code="02.01"))
    )["t"]
    assert want > 0
    assert got == want

    # Re-running changes nothing.
    before = UnitReport.objects.count()
    call_command("seed_demo", force=True, stdout=StringIO())
    assert UnitReport.objects.count() == before
    assert Compilation.objects.count() == 2
