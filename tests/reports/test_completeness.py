"""Completeness of reporting (reports/completeness.py), its page and its API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from reports import services
from reports.catalogue import install_defaults
from reports.completeness import LATE, MISSING, ON_TIME, completeness, expected_units, reporting_kinds
from reports.models import ReportingPeriod, ReportStatus, ReportTemplate, UnitReport
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import AGENCY_KINDS, UnitKind

TODAY = timezone.localdate()


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def w(db):
    p = UnitFactory(name="Tỉnh P", kind=UnitKind.PROVINCE)
    q = UnitFactory(name="Tỉnh Q", kind=UnitKind.PROVINCE)
    x = UnitFactory(name="Huyện X", kind=UnitKind.DISTRICT, parent=p)
    y = UnitFactory(name="Huyện Y", kind=UnitKind.DISTRICT, parent=p)
    a = UnitFactory(name="Xã A", kind=UnitKind.COMMUNE, parent=x)
    b = UnitFactory(name="Xã B", kind=UnitKind.COMMUNE, parent=x)
    c = UnitFactory(name="Xã C", kind=UnitKind.COMMUNE, parent=y)
    d = UnitFactory(name="Xã D", kind=UnitKind.COMMUNE, parent=UnitFactory(kind=UnitKind.DISTRICT, parent=q))
    school = UnitFactory(name="Trường Mầm non A", kind=UnitKind.PUBLIC_SERVICE, parent=a)
    office = UnitFactory(name="Phòng Nội vụ X", kind=UnitKind.STATE_AGENCY, parent=x)
    UnitFactory(name="Thôn 1", kind=UnitKind.HAMLET, parent=a)
    period = ReportingPeriod.objects.create(
        province=p,
        kind=ReportingPeriod.Kind.SEMIANNUAL,
        year=TODAY.year,
        label="Báo cáo 6 tháng",
        data_start=TODAY - dt.timedelta(days=200),
        data_end=TODAY - dt.timedelta(days=20),
        due_date=TODAY - dt.timedelta(days=5),
    )
    # Dissolved before the end of the window, created after it: not expected.
    UnitFactory(name="Xã E (đã sáp nhập)", kind=UnitKind.COMMUNE, parent=x, valid_to=period.data_end - dt.timedelta(1))
    UnitFactory(name="Xã F (mới lập)", kind=UnitKind.COMMUNE, parent=x, valid_from=period.data_end + dt.timedelta(1))
    install_defaults(p)
    install_defaults(q)
    actor = UserFactory(username="nguoi.thu")

    def submit(unit, at=None):
        report = services.report_open(actor=actor, unit=unit, period=period)
        services.report_submit(actor=actor, report=report)
        if at is not None:
            UnitReport.objects.filter(pk=report.pk).update(first_submitted_at=at, submitted_at=at)
        report.refresh_from_db()
        return report

    # A: on time (the last minute of the due date), approved.
    ra = submit(a, _local(period.due_date, 23, 59))
    services.report_approve(actor=actor, report=ra)
    # B: late (the first minute after the due date), then returned.
    rb = submit(b, _local(period.due_date + dt.timedelta(1), 0, 1))
    services.report_return(actor=actor, report=rb, reason="Thiếu số liệu Biểu 02")
    # C: on time, awaiting review.
    submit(c, _local(period.due_date - dt.timedelta(3), 9, 0))
    # The school opened its report but never sent it; the office never opened one.
    services.report_open(actor=actor, unit=school, period=period)
    # Province Q reports too, but is not in P's counts.
    d_period = ReportingPeriod.objects.create(
        province=q,
        kind=ReportingPeriod.Kind.SEMIANNUAL,
        year=TODAY.year,
        label="Báo cáo 6 tháng Q",
        data_start=period.data_start,
        data_end=period.data_end,
        due_date=period.due_date,
    )
    rd = services.report_open(actor=actor, unit=d, period=d_period)
    services.report_submit(actor=actor, report=rd)
    return {
        "p": p,
        "q": q,
        "x": x,
        "y": y,
        "a": a,
        "b": b,
        "c": c,
        "school": school,
        "office": office,
        "period": period,
        "reports": {"a": ra, "b": rb},
    }


def hand_count(scope, period):
    """An independent count: walk the units and their reports in Python."""
    kinds = set(reporting_kinds(period))
    reports = {r.unit_id: r for r in UnitReport.objects.filter(period=period)}
    result = {}
    for group, members in (("communes", {UnitKind.COMMUNE}), ("agencies", set(AGENCY_KINDS))):
        c = dict.fromkeys(["expected", "submitted", "on_time", "late", "missing", "approved", "returned"], 0)
        for unit in scope.subtree():
            if unit.kind not in members or unit.kind not in kinds or not unit.is_valid_on(period.data_end):
                continue
            if not unit.path.startswith(period.province.path):
                continue
            c["expected"] += 1
            r = reports.get(unit.pk)
            if r is None or r.first_submitted_at is None:
                c["missing"] += 1
            else:
                c["submitted"] += 1
                c["on_time" if r.on_time else "late"] += 1
            if r is not None and r.status in (ReportStatus.APPROVED, ReportStatus.LOCKED):
                c["approved"] += 1
            if r is not None and r.status == ReportStatus.RETURNED:
                c["returned"] += 1
        result[group] = c
    return result


def test_province_totals_match_a_hand_count(w):
    result = completeness(w["p"], w["period"])
    assert result.communes.as_dict() == {
        "expected": 3,
        "submitted": 3,
        "on_time": 2,
        "late": 1,
        "missing": 0,
        "approved": 1,
        "returned": 1,
    }
    assert result.agencies.as_dict() == {
        "expected": 2,
        "submitted": 0,
        "on_time": 0,
        "late": 0,
        "missing": 2,
        "approved": 0,
        "returned": 0,
    }
    hand = hand_count(w["p"], w["period"])
    assert result.communes.as_dict() == hand["communes"]
    assert result.agencies.as_dict() == hand["agencies"]
    assert result.communes.submitted_pct == 100.0
    assert result.communes.on_time_pct == pytest.approx(66.7)


def test_rows_per_district_add_up(w):
    result = completeness(w["p"], w["period"])
    by_unit = {r.unit: r for r in result.rows}
    assert set(by_unit) == {w["x"], w["y"]}
    assert by_unit[w["x"]].communes.as_dict() == hand_count(w["x"], w["period"])["communes"]
    assert by_unit[w["x"]].agencies.as_dict() == hand_count(w["x"], w["period"])["agencies"]
    assert by_unit[w["x"]].communes.expected == 2
    assert by_unit[w["x"]].agencies.expected == 2
    assert by_unit[w["y"]].communes.as_dict() == hand_count(w["y"], w["period"])["communes"]
    assert by_unit[w["y"]].agencies.expected == 0
    assert result.units is None  # no per-unit list at the province


def test_district_rows_are_its_communes_and_agencies(w):
    result = completeness(w["x"], w["period"])
    by_unit = {r.unit: r for r in result.rows}
    # Commune A's row counts A and its school; the office is a direct child row of its own.
    assert set(by_unit) == {w["a"], w["b"], w["office"]}
    assert by_unit[w["a"]].communes.on_time == 1
    assert by_unit[w["a"]].agencies.missing == 1
    assert by_unit[w["b"]].communes.late == 1
    assert by_unit[w["b"]].communes.returned == 1
    assert by_unit[w["office"]].agencies.missing == 1
    assert result.communes.as_dict() == hand_count(w["x"], w["period"])["communes"]


def test_leaf_lists_each_unit_with_its_state(w):
    result = completeness(w["a"], w["period"])
    states = {u.pk: (u.state, u.report_pk, u.report_status) for u in result.units}
    assert states == {
        w["a"].pk: (ON_TIME, w["reports"]["a"].pk, ReportStatus.APPROVED),
        w["school"].pk: (MISSING, UnitReport.objects.get(unit=w["school"]).pk, ReportStatus.DRAFT),
    }
    late = completeness(w["b"], w["period"]).units
    assert [(u.state, u.report_status) for u in late] == [(LATE, ReportStatus.RETURNED)]
    assert late[0].first_submitted_at == _local(w["period"].due_date + dt.timedelta(1), 0, 1)


def test_templates_decide_which_kinds_are_expected(w):
    period = w["period"]
    ReportTemplate.objects.filter(province=w["p"], applies_to="public_service").update(period_kinds=["annual"])
    assert UnitKind.PUBLIC_SERVICE not in reporting_kinds(period)
    assert w["school"] not in expected_units(period)
    assert completeness(w["p"], period).agencies.expected == 1
    ReportTemplate.objects.filter(province=w["p"], applies_to="state_agency").update(active=False)
    assert completeness(w["p"], period).agencies.expected == 0
    assert completeness(w["p"], period).communes.expected == 3


def test_query_count_does_not_grow_with_units(w):
    def queries(scope):
        with CaptureQueriesContext(connection) as ctx:
            completeness(scope, w["period"])
        return len(ctx.captured_queries)

    before_p, before_a = queries(w["p"]), queries(w["a"])
    for i in range(6):
        commune = UnitFactory(name=f"Xã thêm {i}", kind=UnitKind.COMMUNE, parent=w["y"])
        UnitFactory(name=f"Trường thêm {i}", kind=UnitKind.PUBLIC_SERVICE, parent=w["a"])
        UnitFactory(name=f"Huyện thêm {i}", kind=UnitKind.DISTRICT, parent=w["p"])
        services.report_open(actor=None, unit=commune, period=w["period"])
    assert queries(w["p"]) == before_p
    assert queries(w["a"]) == before_a
    assert completeness(w["p"], w["period"]).communes.expected == 3 + 6


# --- The page ---------------------------------------------------------------------------------


@pytest.fixture
def reviewer_x(w):
    return GrantFactory(user=UserFactory(username="tham.dinh.x"), unit=w["x"], role="reviewer").user


def test_page_shows_both_groups_and_drills_down(client, w, reviewer_x):
    client.force_login(reviewer_x)
    url = reverse("report-completeness")
    response = client.get(url, {"scope": w["x"].pk, "period": w["period"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="completeness-communes"' in html
    assert 'id="completeness-agencies"' in html
    assert f'href="?scope={w["a"].pk}&amp;period={w["period"].pk}"' in html
    assert response.context["result"].communes.expected == 2
    # Default: the reviewer's own district and the latest period.
    default = client.get(url)
    assert default.context["scope"] == w["x"]
    assert default.context["period"] == w["period"]
    # Drilled down to commune A: each unit, a link to the report, "Chưa gửi" for the missing one.
    leaf = client.get(url, {"scope": w["a"].pk, "period": w["period"].pk}).content.decode()
    assert reverse("report-detail", args=[w["reports"]["a"].pk]) in leaf
    assert "Chưa gửi" in leaf
    assert "Trường Mầm non A" in leaf


def test_page_refuses_scope_or_period_out_of_sight(client, w, reviewer_x):
    client.force_login(reviewer_x)
    url = reverse("report-completeness")
    assert client.get(url, {"scope": w["y"].pk}).status_code == 404
    assert client.get(url, {"scope": w["p"].pk}).status_code == 404
    other = ReportingPeriod.objects.get(province=w["q"])
    assert client.get(url, {"scope": w["x"].pk, "period": other.pk}).status_code == 404
    assert client.get(url, {"scope": "abc"}).status_code == 404


# --- The API ----------------------------------------------------------------------------------


def test_api_returns_the_counts(w, reviewer_x):
    api = APIClient()
    api.force_authenticate(reviewer_x)
    url = reverse("api-completeness")
    response = api.get(url, {"scope": w["x"].pk, "period": w["period"].pk})
    assert response.status_code == 200
    data = response.json()
    assert data["communes"] == hand_count(w["x"], w["period"])["communes"]
    assert data["agencies"] == hand_count(w["x"], w["period"])["agencies"]
    assert {r["unit"] for r in data["rows"]} == {w["a"].pk, w["b"].pk, w["office"].pk}
    assert data["units"] is None
    leaf = api.get(url, {"scope": w["a"].pk, "period": w["period"].pk}).json()
    assert {u["unit"]: u["state"] for u in leaf["units"]} == {w["a"].pk: ON_TIME, w["school"].pk: MISSING}

    bad = api.get(url, {"scope": "x"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"scope", "period"}
    assert api.get(url, {"scope": w["y"].pk, "period": w["period"].pk}).status_code == 404
    other = ReportingPeriod.objects.get(province=w["q"])
    assert api.get(url, {"scope": w["x"].pk, "period": other.pk}).status_code == 404
    assert APIClient().get(url, {"scope": w["x"].pk, "period": w["period"].pk}).status_code == 403
