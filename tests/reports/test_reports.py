"""Unit reports: pre-filled figures, overrides with reasons, optimistic locking, the workflow,
the lock date and its exception, bulk approval, the same period of the previous year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dialogues.models import DialogueSession, Petition
from reports import services
from reports.catalogue import install_defaults
from reports.models import Indicator, ReportEvent, ReportingPeriod, ReportStatus, UnitReport
from tests.dialogues.test_selectors_services import make_session, petition_row
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-1"


@pytest.fixture
def tree():
    p = UnitFactory(name="Tỉnh P", kind=UnitKind.PROVINCE)
    x = UnitFactory(name="Huyện X", kind=UnitKind.DISTRICT, parent=p)
    y = UnitFactory(name="Huyện Y", kind=UnitKind.DISTRICT, parent=p)
    a = UnitFactory(name="Xã A", kind=UnitKind.COMMUNE, parent=x)
    b = UnitFactory(name="Xã B", kind=UnitKind.COMMUNE, parent=y)
    install_defaults(p)
    period = ReportingPeriod.objects.create(
        province=p,
        kind="semiannual",
        year=2026,
        label="Báo cáo 6 tháng thử",
        data_start=dt.date(2026, 1, 1),
        data_end=dt.date(2026, 11, 30),
        due_date=dt.date(2026, 12, 15),
        lock_date=dt.date(2027, 1, 15),
    )
    rep = GrantFactory(user=UserFactory(username="rep_a"), unit=a, role="reporter").user
    rev = GrantFactory(user=UserFactory(username="rev_x"), unit=x, role="reviewer").user
    rev_y = GrantFactory(user=UserFactory(username="rev_y"), unit=y, role="reviewer").user
    return {"p": p, "x": x, "a": a, "b": b, "period": period, "rep": rep, "rev": rev, "rev_y": rev_y}


def value(report, code):
    return report.values.get(indicator__code=code)


def seed_dialogues(unit):
    make_session(
        unit,
        dt.date(2026, 3, 10),
        participants=120,
        petitions=[petition_row(answered_at_session=True, result="Đã trả lời"), petition_row(), petition_row()],
    )
    make_session(unit, dt.date(2026, 6, 2), participants=80, scope="chuyen_de", petitions=[petition_row()])
    make_session(unit, dt.date(2025, 12, 20), participants=999)  # outside the window


def test_report_is_prefilled_from_the_records_of_the_window(tree):
    seed_dialogues(tree["a"])
    report = services.report_open(actor=tree["rep"], unit=tree["a"], period=tree["period"])
    window = DialogueSession.objects.filter(unit=tree["a"], held_on__range=(dt.date(2026, 1, 1), dt.date(2026, 11, 30)))
    assert value(report, "02.01").value == window.count() == 2
    assert value(report, "02.07").value == sum(s.participants for s in window) == 200
    assert value(report, "02.08").value == Petition.objects.filter(session__in=window).count() == 4
    assert value(report, "02.09").value == 1
    assert value(report, "02.05").value == 1  # chuyên đề
    # Manual indicators start empty; the commune template has no Biểu 06.
    assert value(report, "08.01").value is None
    assert not report.values.filter(indicator__table__code="06").exists()
    assert report.sections.count() == report.template.sections.count() > 0
    assert report.events.get().action == ReportEvent.Action.CREATE


def test_opening_twice_returns_the_same_report_and_wrong_province_is_refused(tree):
    first = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    assert services.report_open(actor=None, unit=tree["a"], period=tree["period"]) == first
    other = UnitFactory(kind=UnitKind.PROVINCE)
    stray = UnitFactory(kind=UnitKind.COMMUNE, parent=other)
    with pytest.raises(ValidationError):
        services.report_open(actor=None, unit=stray, period=tree["period"])
    assert UnitReport.objects.count() == 1


def test_override_needs_a_reason_and_keeps_both_numbers(tree):
    seed_dialogues(tree["a"])
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    row = value(report, "02.01")
    with pytest.raises(ValidationError) as err:
        services.report_save(actor=None, report=report, values={row.pk: ("3", "")})
    assert "lý do" in str(err.value)
    row.refresh_from_db()
    assert row.value == 2
    report.refresh_from_db()
    services.report_save(actor=None, report=report, values={row.pk: ("3", "Một cuộc chưa nhập vào hệ thống")})
    row.refresh_from_db()
    assert (row.computed, row.value, row.override_reason) == (2, 3, "Một cuộc chưa nhập vào hệ thống")


@pytest.mark.parametrize(
    ("raw", "message"),
    [("-1", "âm"), ("abc", "không phải là số"), ("1,5", "số nguyên"), ("101", "100%")],
)
def test_bad_figures_are_refused_and_nothing_is_saved(tree, raw, message):
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    manual = value(report, "08.01")
    rate = value(report, "11.04")
    target = rate if message == "100%" else manual
    version = report.version
    with pytest.raises(ValidationError) as err:
        services.report_save(actor=None, report=report, values={manual.pk: ("7", ""), target.pk: (raw, "")})
    assert message in str(err.value)
    manual.refresh_from_db()
    report.refresh_from_db()
    assert manual.value is None
    assert report.version == version


def test_vietnamese_number_writing_is_understood(tree):
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    money = value(report, "09.06")
    rate = value(report, "11.04")
    services.report_save(actor=None, report=report, values={money.pk: ("1.234.500", ""), rate.pk: ("72,5", "")})
    money.refresh_from_db()
    rate.refresh_from_db()
    assert money.value == Decimal("1234500")
    assert rate.value == Decimal("72.5")


def test_a_stale_form_is_refused_and_nothing_is_overwritten(tree):
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    loaded = report.version
    row = value(report, "08.01")
    services.report_save(actor=None, report=report, values={row.pk: ("5", "")}, expected_version=loaded)
    tab2 = UnitReport.objects.get(pk=report.pk)
    with pytest.raises(services.StaleReport):
        services.report_save(actor=None, report=tab2, values={row.pk: ("9", "")}, expected_version=loaded)
    row.refresh_from_db()
    assert row.value == 5


def test_the_whole_workflow_is_recorded(tree):
    seed_dialogues(tree["a"])
    report = services.report_open(actor=tree["rep"], unit=tree["a"], period=tree["period"])
    services.report_submit(actor=tree["rep"], report=report)
    assert report.status == ReportStatus.SUBMITTED
    assert report.rounds == 1
    with pytest.raises(ValidationError):
        services.report_return(actor=tree["rev"], report=report, reason="  ")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    services.report_return(actor=tree["rev"], report=report, reason="Bổ sung số liệu Biểu 08")
    assert report.status == ReportStatus.RETURNED
    services.report_submit(actor=tree["rep"], report=report)
    assert report.status == ReportStatus.RESUBMITTED
    assert report.rounds == 2
    services.report_approve(actor=tree["rev"], report=report)
    assert report.status == ReportStatus.APPROVED
    assert report.approved_by == tree["rev"]
    with pytest.raises(ValidationError):
        services.report_save(actor=tree["rep"], report=report, values={})
    services.report_lock(actor=tree["rev"], report=report)
    actions = list(report.events.values_list("action", "from_status", "to_status"))
    assert actions == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("resubmit", "returned", "resubmitted"),
        ("approve", "resubmitted", "approved"),
        ("lock", "approved", "locked"),
    ]
    assert report.events.get(action="return").comment == "Bổ sung số liệu Biểu 08"


def test_figures_are_frozen_at_submission(tree):
    seed_dialogues(tree["a"])
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    services.report_submit(actor=None, report=report)
    make_session(tree["a"], dt.date(2026, 7, 1))
    services.refresh_if_editable(report)
    assert value(report, "02.01").computed == 2
    # Returned, the report follows the records again.
    services.report_return(actor=None, report=report, reason="Cập nhật")
    services.refresh_if_editable(report)
    assert value(report, "02.01").value == 3


def test_editing_after_the_lock_date_needs_the_reviewers_exception(tree):
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    late = dt.date(2027, 2, 1)
    row = value(report, "08.01")
    with pytest.raises(ValidationError) as err:
        services.report_save(actor=None, report=report, values={row.pk: ("1", "")}, today=late)
    assert "15/01/2027" in str(err.value)
    services.report_grant_exception(actor=tree["rev"], report=report, until=dt.date(2027, 2, 5), today=late)
    services.report_save(actor=None, report=report, values={row.pk: ("1", "")}, today=late)
    row.refresh_from_db()
    assert row.value == 1
    with pytest.raises(ValidationError):
        services.report_save(actor=None, report=report, values={}, today=dt.date(2027, 2, 6))


def test_previous_year_comes_from_last_years_report_or_the_records(tree):
    seed_dialogues(tree["a"])
    last = ReportingPeriod.objects.create(
        province=tree["p"],
        kind="semiannual",
        year=2025,
        label="Báo cáo 6 tháng 2025",
        data_start=dt.date(2025, 1, 1),
        data_end=dt.date(2025, 11, 30),
        due_date=dt.date(2025, 12, 15),
    )
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    # No report last year: the records of last year's window (the session of 20/12/2025 is outside it).
    assert services.previous_values(report)["02.01"] == 0
    old = services.report_open(actor=None, unit=tree["a"], period=last)
    services.report_save(actor=None, report=old, values={value(old, "08.01").pk: ("4", "")})
    assert services.previous_values(report)["08.01"] == 4


def test_retired_indicators_stay_in_old_reports_only(tree):
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    ind = Indicator.objects.get(table__province=tree["p"], code="08.07")
    ind.retired_on = dt.date(2026, 12, 1)
    ind.save()
    later = ReportingPeriod.objects.create(
        province=tree["p"],
        kind="annual",
        year=2027,
        label="Năm 2027",
        data_start=dt.date(2027, 1, 1),
        data_end=dt.date(2027, 11, 30),
        due_date=dt.date(2027, 12, 15),
    )
    new = services.report_open(actor=None, unit=tree["a"], period=later)
    assert report.values.filter(indicator=ind).exists()
    assert not new.values.filter(indicator=ind).exists()


# --- Browser views ----------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


def test_reporter_opens_saves_and_submits_in_the_browser(client, tree):
    seed_dialogues(tree["a"])
    login(client, tree["rep"])
    response = client.post(reverse("report-open"), {"unit": tree["a"].pk, "period": tree["period"].pk})
    report = UnitReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("report-detail", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert 'name="value-' in page
    assert "Cùng kỳ năm trước" in page
    row = value(report, "08.01")
    section = report.sections.first()
    data = {"version": report.version, f"value-{row.pk}": "6", f"section-{section.pk}": "Tình hình chung ổn định"}
    assert client.post(reverse("report-save", args=[report.pk]), data).status_code == 302
    report.refresh_from_db()
    data["version"] = report.version
    data["submit"] = "1"
    assert client.post(reverse("report-save", args=[report.pk]), data).status_code == 302
    report.refresh_from_db()
    section.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert section.text == "Tình hình chung ổn định"
    assert value(report, "08.01").value == 6


def test_two_tabs_cannot_lose_an_edit(client, tree):
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    login(client, tree["rep"])
    row = value(report, "08.01")
    loaded = report.version
    first = client.post(reverse("report-save", args=[report.pk]), {"version": loaded, f"value-{row.pk}": "5"})
    assert first.status_code == 302
    second = client.post(reverse("report-save", args=[report.pk]), {"version": loaded, f"value-{row.pk}": "9"})
    assert second.status_code == 409
    assert "tải lại trang" in second.content.decode()
    row.refresh_from_db()
    assert row.value == 5


def test_override_without_reason_shows_the_row_error(client, tree):
    seed_dialogues(tree["a"])
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    login(client, tree["rep"])
    row = value(report, "02.01")
    response = client.post(
        reverse("report-save", args=[report.pk]), {"version": report.version, f"value-{row.pk}": "7"}
    )
    assert response.status_code == 400
    assert "cần ghi lý do điều chỉnh" in response.content.decode()
    row.refresh_from_db()
    assert row.value == 2


def test_reviewer_returns_with_reason_then_approves(client, tree):
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    services.report_submit(actor=None, report=report)
    login(client, tree["rev"])
    url = reverse("report-action", args=[report.pk, "tra-lai"])
    assert client.post(url, {"version": report.version, "reason": ""}).status_code == 400
    assert client.post(url, {"version": report.version, "reason": "Thiếu phần II.5"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    services.report_submit(actor=None, report=report)
    ok = client.post(reverse("report-action", args=[report.pk, "phe-duyet"]), {"version": report.version})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_bulk_approve_touches_only_reports_in_the_reviewers_scope(client, tree):
    mine = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    other = services.report_open(actor=None, unit=tree["b"], period=tree["period"])
    for r in (mine, other):
        services.report_submit(actor=None, report=r)
    login(client, tree["rev"])
    client.post(reverse("report-bulk-approve"), {"reports": [mine.pk, other.pk]})
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.status == ReportStatus.APPROVED
    assert other.status == ReportStatus.SUBMITTED


def test_reporter_cannot_review_and_other_district_cannot_see(client, tree):
    report = services.report_open(actor=None, unit=tree["a"], period=tree["period"])
    services.report_submit(actor=None, report=report)
    login(client, tree["rep"])
    assert (
        client.post(reverse("report-action", args=[report.pk, "phe-duyet"]), {"version": report.version}).status_code
        == 403
    )
    client.logout()
    login(client, tree["rev_y"])
    assert client.get(reverse("report-detail", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
