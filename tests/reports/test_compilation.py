"""Compilation jobs (reports/jobs.py, compilation.py, workbook.py): the workbook's totals equal an
independent query over the approved reports, its layout (merged headers, formats, print setup),
user text never becomes a formula, the job is idempotent and survives a killed worker with
exactly one published file, the browser and API start and show it, compile_report runs it headless."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from reports import jobs, services, workbook
from reports.catalogue import install_defaults
from reports.models import Compilation, Indicator, ReportingPeriod, ReportStatus, ReportValue
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

HOSTILE = [
    "=1+1",
    "+84 912 345 678",
    "-2",
    "@SUM(A1:A2)",
    "\tTab đầu",
    "\rCR đầu",
    "{=A1}",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def w(db):
    p = UnitFactory(name="Tỉnh P", kind=UnitKind.PROVINCE, code="90")
    q = UnitFactory(name="Tỉnh Q", kind=UnitKind.PROVINCE)
    x = UnitFactory(name="Huyện X", kind=UnitKind.DISTRICT, parent=p)
    y = UnitFactory(name="Huyện Y", kind=UnitKind.DISTRICT, parent=p)
    communes = [UnitFactory(name=f"Xã {n}", kind=UnitKind.COMMUNE, parent=x) for n in ("An", "Bình", "Cường")]
    communes += [UnitFactory(name=name, kind=UnitKind.COMMUNE, parent=y) for name in HOSTILE[:4]]
    school = UnitFactory(name="Trường Mầm non An", kind=UnitKind.PUBLIC_SERVICE, parent=communes[0])
    other = UnitFactory(name="Xã Ngoài", kind=UnitKind.COMMUNE, parent=UnitFactory(kind=UnitKind.DISTRICT, parent=q))
    install_defaults(p)
    install_defaults(q)
    today = timezone.localdate()
    period = ReportingPeriod.objects.create(
        province=p,
        kind=ReportingPeriod.Kind.SEMIANNUAL,
        year=today.year,
        label="Báo cáo 6 tháng đầu năm",
        data_start=today - dt.timedelta(days=200),
        data_end=today - dt.timedelta(days=10),
        due_date=today - dt.timedelta(days=5),
    )
    q_period = ReportingPeriod.objects.create(
        province=q,
        kind=ReportingPeriod.Kind.SEMIANNUAL,
        year=today.year,
        label="Kỳ của Q",
        data_start=period.data_start,
        data_end=period.data_end,
        due_date=period.due_date,
    )
    steering = GrantFactory(user=UserFactory(username="bcd", first_name="Nguyễn Văn Bình"), unit=p, role="steering")
    reviewer_x = GrantFactory(user=UserFactory(username="rev_x"), unit=x, role="reviewer").user
    reviewer_y = GrantFactory(user=UserFactory(username="rev_y"), unit=y, role="reviewer").user
    reporter = GrantFactory(user=UserFactory(username="rep"), unit=communes[0], role="reporter").user
    actor = steering.user

    def report(unit, status, seed, per=period):
        r = services.report_open(actor=actor, unit=unit, period=per)
        # Figures with thousands, money in đồng, decimals: every value distinct per unit.
        for i, value in enumerate(r.values.select_related("indicator").order_by("pk")):
            number = Decimal(seed * 1000 + i * 7 + 1)
            if value.indicator.value_type == "money":
                number = Decimal(seed) * Decimal("1234567")
            if value.indicator.value_type in ("percent", "decimal"):
                number = Decimal(seed * 10 + i) / 4
            ReportValue.objects.filter(pk=value.pk).update(value=number, computed=number)
        if status != ReportStatus.DRAFT:
            services.report_submit(actor=actor, report=r)
        if status in (ReportStatus.APPROVED, ReportStatus.LOCKED):
            services.report_approve(actor=actor, report=r)
        return r

    reports = {
        "an": report(communes[0], ReportStatus.APPROVED, 1),
        "binh": report(communes[1], ReportStatus.APPROVED, 2),
        "cuong": report(communes[2], ReportStatus.SUBMITTED, 3),  # sent, not approved
        "h1": report(communes[3], ReportStatus.APPROVED, 4),
        "h2": report(communes[4], ReportStatus.APPROVED, 5),
        "h3": report(communes[5], ReportStatus.DRAFT, 6),  # never sent
        "school": report(school, ReportStatus.APPROVED, 7),
        "other": report(other, ReportStatus.APPROVED, 8, q_period),  # another province
    }
    return {
        "p": p,
        "x": x,
        "y": y,
        "communes": communes,
        "school": school,
        "period": period,
        "q_period": q_period,
        "steering": actor,
        "rev_x": reviewer_x,
        "rev_y": reviewer_y,
        "reporter": reporter,
        "reports": reports,
    }


def compile_now(w, scope=None, include_submitted=False, actor=None) -> Compilation:
    job, created = jobs.request_compilation(
        actor=actor or w["steering"],
        scope=scope or w["p"],
        period=w["period"],
        include_submitted=include_submitted,
        enqueue=False,
    )
    assert created
    assert jobs.run_compilation(job.pk) == Compilation.Status.SUCCEEDED
    job.refresh_from_db()
    return job


def open_book(job: Compilation):
    return openpyxl.load_workbook(jobs.file_path(job.xlsx))


REF = re.compile(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?")


def evaluate(ws, cell_value):
    """The value of one of the workbook's own formulas (SUM of cells and ranges, nested SUMs;
    AVERAGE inside IFERROR), computed from the sheet like Excel would."""
    if not isinstance(cell_value, str) or not cell_value.startswith("="):
        return cell_value
    average = "AVERAGE(" in cell_value
    values = []
    for col1, row1, col2, row2 in REF.findall(cell_value.split("AVERAGE(")[-1] if average else cell_value):
        c1, r1 = openpyxl.utils.column_index_from_string(col1), int(row1)
        c2, r2 = (openpyxl.utils.column_index_from_string(col2), int(row2)) if col2 else (c1, r1)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                v = evaluate(ws, ws.cell(row=r, column=c).value)
                if isinstance(v, int | float):
                    values.append(v)
    if average:
        return sum(values) / len(values) if values else ""
    return sum(values)


def total_row(ws) -> int:
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 2).value or "").startswith("TỔNG CỘNG"))


def column_of(ws, indicator: Indicator) -> int:
    """The column whose leaf header (row 10 or 11) is the indicator's name without its group
    prefix, followed by its unit of measure."""
    head, sep, leaf = indicator.name.partition(": ")
    label = leaf if sep else indicator.name
    if indicator.unit_of_measure:
        label = f"{label} ({indicator.unit_of_measure})"
    for c in range(3, ws.max_column + 1):
        for r in (workbook.HEADER_FIRST, workbook.HEADER_FIRST + 1):
            if ws.cell(r, c).value == label:
                return c
    raise AssertionError(f"no column {label!r}")


def independent_total(w, indicator, statuses):
    return ReportValue.objects.filter(
        indicator=indicator, report__status__in=statuses, report__unit__path__startswith=w["p"].path
    ).aggregate(t=Sum("value"))["t"]


@pytest.mark.parametrize("include_submitted", [False, True])
def test_every_total_equals_an_independent_query(w, include_submitted):
    job = compile_now(w, include_submitted=include_submitted)
    book = open_book(job)
    statuses = ["approved", "locked"] + (["submitted", "resubmitted"] if include_submitted else [])
    checked = 0
    for indicator in Indicator.objects.filter(table__province=w["p"], aggregation="sum").exclude(table__code="13"):
        ws = book[f"Biểu {indicator.table.code}"]
        col = column_of(ws, indicator)
        got = evaluate(ws, ws.cell(total_row(ws), col).value)
        want = independent_total(w, indicator, statuses) or 0
        assert Decimal(str(got)) == want, (indicator.code, got, want)
        checked += 1
    assert checked > 80
    assert job.reports_included == (6 if include_submitted else 5)
    assert job.reports_pending == (1 if include_submitted else 0)
    # Money to the last đồng, as a number formatted #,##0.
    money = Indicator.objects.get(table__province=w["p"], code="04.06")
    ws = book["Biểu 04"]
    cell = ws.cell(total_row(ws), column_of(ws, money))
    assert Decimal(evaluate(ws, cell.value)) == independent_total(w, money, statuses)
    assert cell.number_format == "#,##0"


def test_group_subtotals_and_unit_rows(w):
    job = compile_now(w)
    ws = open_book(job)["Biểu 02"]
    names = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
    # Districts as groups, units inside, "Cộng" rows, then the total.
    assert "Huyện X" in names
    assert "Huyện Y" in names
    x_sum = names.index(next(n for n in names if str(n).startswith("Cộng Huyện X")))
    assert names.index("Xã An") < names.index("Trường Mầm non An") < x_sum
    assert "Xã Cường" not in names  # submitted, not approved
    assert "Xã Ngoài" not in names  # another province
    sessions = Indicator.objects.get(table__province=w["p"], code="02.01")
    col = column_of(ws, sessions)
    x_total = ReportValue.objects.filter(
        indicator=sessions, report__status="approved", report__unit__path__startswith=w["x"].path
    ).aggregate(t=Sum("value"))["t"]
    assert evaluate(ws, ws.cell(x_sum + 1, col).value) == x_total
    # Unit rows hold numbers, formatted #,##0; the total row is a live formula.
    an = names.index("Xã An") + 1
    assert isinstance(ws.cell(an, col).value, int)
    assert ws.cell(an, col).number_format == "#,##0"
    assert str(ws.cell(total_row(ws), col).value).startswith("=SUM(")


def test_layout_headers_print_setup_and_sheets(w):
    job = compile_now(w)
    book = open_book(job)
    assert book.sheetnames[:3] == ["Bìa", "Tiến độ", "Biểu 01"]
    assert {"Biểu 13", "Kiến nghị", "Biểu đồ"} <= set(book.sheetnames)
    cover = book["Bìa"]
    texts = [str(c.value) for row in cover.iter_rows() for c in row if c.value]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
    assert "BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ" in texts
    window = f"(Số liệu tính từ ngày {w['period'].data_start:%d/%m/%Y} đến ngày {w['period'].data_end:%d/%m/%Y})"
    assert window in texts
    ws = book["Biểu 03"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A10:A11", "B10:B11"} <= merged
    # "Tiếp thường xuyên: …" columns share one merged group header over their leaves.
    assert ws["C10"].value == "Tiếp thường xuyên"
    assert "C10:F10" in merged
    assert ws["C11"].value.startswith("số lượt")
    assert [ws.cell(12, c).value for c in range(1, 5)] == ["A", "B", "1", "2"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.print_title_rows == "$10:$12"
    assert ws.freeze_panes == "C13"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "TM. BAN CHỈ ĐẠO" in texts
    assert "NGƯỜI LẬP BIỂU" in texts
    assert book["Biểu đồ"]._charts, "the chart sheet has native charts"
    # Completeness: every expected unit with its state, dates as real dates shown dd/mm/yyyy.
    progress = book["Tiến độ"]
    rows = {progress.cell(r, 2).value: r for r in range(1, progress.max_row + 1)}
    an = rows["Xã An"]
    assert progress.cell(an, 6).value == "Trễ hạn"  # sent today, after the due date
    assert isinstance(progress.cell(an, 5).value, dt.datetime)
    assert progress.cell(an, 5).number_format == "dd/mm/yyyy"
    assert progress.cell(rows["-2"], 6).value == "Chưa gửi"


def test_user_text_is_never_a_formula(w):
    # Hostile names everywhere a user can type: units, the requester, an indicator renamed by the committee.
    w["steering"].first_name = "=2+3"
    w["steering"].save()
    Indicator.objects.filter(table__province=w["p"], code="02.07").update(name="@Số người")
    job = compile_now(w)
    path = jobs.file_path(job.xlsx)
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        formulas = []
        for name in sheets:
            formulas += re.findall(r"<f>(.*?)</f>", z.read(name).decode())
    assert formulas, "totals are live formulas"
    for f in formulas:
        # Only our own aggregates: SUM / AVERAGE / the resolution rate over cell references.
        assert re.fullmatch(r'(SUM|IFERROR|IF)\([A-Z0-9:,()*/"=.+ ]*\)', f.replace("&quot;", '"')), f
        for hostile in HOSTILE:
            assert hostile.strip("=") not in f or hostile in ("-2",), f
    book = openpyxl.load_workbook(path)
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in HOSTILE[:4] or cell.value in ("=2+3", "@Số người (người)"):
                    found[cell.value] = cell
    for value in HOSTILE[:4]:
        assert found[value].data_type == "s"
        if value[0] in "=+-@":
            assert found[value].quotePrefix, value
    assert found["=2+3"].data_type == "s"
    assert found["@Số người (người)"].data_type == "s"


def test_control_characters_do_not_kill_the_job(w):
    unit = w["communes"][0]
    unit.name = "Xã \x07An\x1b"
    unit.save()
    job = compile_now(w)
    names = [c.value for c in open_book(job)["Biểu 02"]["B"]]
    assert "Xã An" in names


def test_asking_again_while_running_returns_the_same_job(w):
    first, created = jobs.request_compilation(actor=w["steering"], scope=w["p"], period=w["period"], enqueue=False)
    again, created_again = jobs.request_compilation(actor=w["rev_x"], scope=w["p"], period=w["period"], enqueue=False)
    assert created
    assert not created_again
    assert again.pk == first.pk
    other, created_other = jobs.request_compilation(
        actor=w["steering"], scope=w["p"], period=w["period"], include_submitted=True, enqueue=False
    )
    assert created_other
    assert other.pk != first.pk
    assert jobs.run_compilation(first.pk) == "succeeded"
    assert jobs.run_compilation(first.pk) == "succeeded"  # a re-delivered message does nothing
    first.refresh_from_db()
    assert first.attempts == 1
    fresh, created_fresh = jobs.request_compilation(
        actor=w["steering"], scope=w["p"], period=w["period"], enqueue=False
    )
    assert created_fresh
    assert fresh.pk != first.pk


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so the job cannot record a failure."""


def test_kill_and_retry_publishes_exactly_one_file(w, media, monkeypatch):
    job, _ = jobs.request_compilation(actor=w["steering"], scope=w["p"], period=w["period"], enqueue=False)
    real = workbook.write_workbook

    def dies_half_way(summary, path, **kwargs):
        Path(path).write_bytes(b"PK\x03\x04 half a workbook")
        raise Killed

    monkeypatch.setattr(workbook, "write_workbook", dies_half_way)
    with pytest.raises(Killed):
        jobs.run_compilation(job.pk)
    job.refresh_from_db()
    assert job.status == "running"
    assert not job.xlsx
    assert list((media / jobs.FOLDER).glob("*.part")), "the dead attempt left its temporary file"
    assert not list((media / jobs.FOLDER).glob("*.xlsx")), "nothing half-written is published"
    # Its heartbeat goes stale; the sweeper re-queues it and the (eager) task runs it again.
    monkeypatch.setattr(workbook, "write_workbook", real)
    later = timezone.now() + jobs.STALE_AFTER + dt.timedelta(seconds=5)
    Compilation.objects.filter(pk=job.pk).update(heartbeat_at=later - jobs.STALE_AFTER - dt.timedelta(seconds=1))
    assert jobs.sweep(now=later) == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert job.attempts == 2
    folder = media / jobs.FOLDER
    assert [p.name for p in folder.glob("*.xlsx")] == [Path(job.xlsx).name]
    assert [p.name for p in folder.glob("*.docx")] == [Path(job.docx).name]
    assert not list(folder.glob("*.part"))
    import hashlib

    assert hashlib.sha256(jobs.file_path(job.xlsx).read_bytes()).hexdigest() == job.xlsx_sha256
    openpyxl.load_workbook(jobs.file_path(job.xlsx))  # a whole workbook


def test_sweeper_gives_up_after_the_attempt_cap(w):
    job, _ = jobs.request_compilation(actor=w["steering"], scope=w["p"], period=w["period"], enqueue=False)
    old = timezone.now() - dt.timedelta(hours=1)
    Compilation.objects.filter(pk=job.pk).update(status="running", attempts=jobs.MAX_ATTEMPTS, heartbeat_at=old)
    assert jobs.sweep() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == "failed"
    assert "3 lần" in job.error


def test_sweeper_requeues_a_lost_message(w):
    job, _ = jobs.request_compilation(actor=w["steering"], scope=w["p"], period=w["period"], enqueue=False)
    Compilation.objects.filter(pk=job.pk).update(queued_at=timezone.now() - dt.timedelta(minutes=10))
    assert jobs.sweep()["requeued"] == 1
    job.refresh_from_db()
    assert job.status == "succeeded"


def test_a_failure_is_recorded_with_its_error_and_no_file(w, media, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("hỏng")

    monkeypatch.setattr(workbook, "write_workbook", broken)
    job, _ = jobs.request_compilation(actor=w["steering"], scope=w["p"], period=w["period"], enqueue=False)
    assert jobs.run_compilation(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "ValueError: hỏng"
    assert not job.xlsx
    assert not list((media / jobs.FOLDER).iterdir())


def test_compile_report_command_writes_the_same_workbook(w, tmp_path):
    browser_job = compile_now(w)
    out = tmp_path / "out" / "tong-hop.xlsx"
    stdout = io.StringIO()
    call_command("compile_report", "--scope", "90", "--period", str(w["period"].pk), "--out", str(out), stdout=stdout)
    assert "5 báo cáo" in stdout.getvalue()
    assert out.with_suffix(".docx").exists()
    headless, browser = openpyxl.load_workbook(out), open_book(browser_job)
    assert headless.sheetnames == browser.sheetnames
    for name in headless.sheetnames:
        if name in ("Bìa",):
            continue
        a, b = headless[name], browser[name]
        rows_a = [r for r in a.iter_rows(values_only=True) if not any(isinstance(v, str) and "ngày" in v for v in r)]
        rows_b = [r for r in b.iter_rows(values_only=True) if not any(isinstance(v, str) and "ngày" in v for v in r)]
        # The last row is the requester's name (none for the command).
        assert rows_a[:-1] == rows_b[:-1], name


def test_compile_report_refuses_bad_input(w, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command(
            "compile_report", "--scope", "nope", "--period", str(w["period"].pk), "--out", str(tmp_path / "a.xlsx")
        )
    with pytest.raises(CommandError, match="Không có kỳ"):
        call_command("compile_report", "--scope", "90", "--period", "999999", "--out", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match=".xlsx"):
        call_command(
            "compile_report", "--scope", "90", "--period", str(w["period"].pk), "--out", str(tmp_path / "a.csv")
        )
    with pytest.raises(CommandError, match="không thuộc tỉnh"):
        call_command(
            "compile_report", "--scope", "90", "--period", str(w["q_period"].pk), "--out", str(tmp_path / "a.xlsx")
        )
    assert not Compilation.objects.exists()


def test_browser_start_progress_and_download(w, client, django_capture_on_commit_callbacks):
    client.force_login(w["steering"])
    page = client.get(reverse("compilation-list"))
    assert page.status_code == 200
    assert [u.name for u in page.context["scopes"]][:1] == ["Tỉnh P"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("compilation-list"), {"scope": w["p"].pk, "period": w["period"].pk})
    job = Compilation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("compilation-detail", args=[job.pk])
    assert job.status == "succeeded"
    assert job.requested_by == w["steering"]
    detail = client.get(response["Location"])
    assert b'role="progressbar"' in detail.content
    assert b"100%" in detail.content
    download = client.get(reverse("compilation-download", args=[job.pk, "xlsx"]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert download["X-Checksum-SHA256"] == job.xlsx_sha256
    body = b"".join(download.streaming_content)
    openpyxl.load_workbook(io.BytesIO(body))
    docx = client.get(reverse("compilation-download", args=[job.pk, "docx"]))
    assert docx.status_code == 200
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    listing = client.get(reverse("compilation-list"))
    assert job.xlsx_sha256[:16].encode() in listing.content


def test_progress_polls_while_active(w, client):
    job, _ = jobs.request_compilation(actor=w["steering"], scope=w["p"], period=w["period"], enqueue=False)
    Compilation.objects.filter(pk=job.pk).update(status="running", progress=42, step="Biểu số 05")
    client.force_login(w["steering"])
    partial = client.get(reverse("compilation-progress", args=[job.pk]))
    assert b'hx-trigger="every 1s"' in partial.content
    assert b"42%" in partial.content
    assert "Biểu số 05" in partial.content.decode()
    Compilation.objects.filter(pk=job.pk).update(status="failed", error="ValueError: hỏng")
    done = client.get(reverse("compilation-progress", args=[job.pk]))
    assert b"every 1s" not in done.content
    assert done["HX-Trigger"] == "compilation-finished"
    assert "ValueError: hỏng" in done.content.decode()


def test_bad_input_is_refused_and_nothing_saved(w, client):
    client.force_login(w["rev_x"])
    cases = [
        ({"period": w["period"].pk}, "Hãy chọn phạm vi"),
        ({"scope": w["x"].pk}, "Hãy chọn kỳ báo cáo"),
        ({"scope": w["p"].pk, "period": w["period"].pk}, "ngoài quyền tổng hợp"),  # the province: not theirs
        ({"scope": w["y"].pk, "period": w["period"].pk}, "ngoài quyền tổng hợp"),
        ({"scope": w["x"].pk, "period": w["q_period"].pk}, "không thuộc tỉnh"),
        ({"scope": "abc", "period": "1; DROP"}, "Hãy chọn phạm vi"),
    ]
    for data, message in cases:
        response = client.post(reverse("compilation-list"), data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert not Compilation.objects.exists()


def test_reviewer_compiles_their_district_only(w, client):
    job = compile_now(w, scope=w["x"], actor=w["rev_x"])
    names = [c.value for c in open_book(job)["Biểu 02"]["B"]]
    assert "Xã An" in names
    assert "-2" not in names
    client.force_login(w["rev_y"])
    assert client.get(reverse("compilation-detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("compilation-download", args=[job.pk, "xlsx"])).status_code == 404
    client.force_login(w["reporter"])
    assert client.get(reverse("compilation-list")).status_code == 403


def test_api_start_poll_and_download(w, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(w["steering"])
    bad = api.post("/api/v1/compilations/", {"scope": w["p"].pk}, format="json")
    assert bad.status_code == 400
    assert not Compilation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post("/api/v1/compilations/", {"scope": w["p"].pk, "period": w["period"].pk}, format="json")
    assert started.status_code == 202
    job_id = started.json()["id"]
    detail = api.get(f"/api/v1/compilations/{job_id}/").json()
    assert detail["status"] == "succeeded"
    assert detail["progress"] == 100
    assert detail["reports_included"] == 5
    xlsx = api.get(detail["downloads"]["xlsx"])
    assert xlsx.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    # The same parameters while one is active: that one, 200.
    running, _ = jobs.request_compilation(
        actor=w["steering"], scope=w["p"], period=w["period"], include_submitted=True, enqueue=False
    )
    again = api.post(
        "/api/v1/compilations/",
        {"scope": w["p"].pk, "period": w["period"].pk, "include_submitted": True},
        format="json",
    )
    assert again.status_code == 200
    assert again.json()["id"] == running.pk
    other = APIClient()
    other.force_authenticate(w["rev_y"])
    assert other.get(f"/api/v1/compilations/{job_id}/").status_code == 404
    assert [j["id"] for j in other.get("/api/v1/compilations/").json()["results"]] == []
