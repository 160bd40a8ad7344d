"""/api/v1/periods/, report-templates/ and reports/: scoping, the period rules, the template
catalogue, and the whole report workflow through the API with its 400/403/404/409 answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q
from rest_framework.test import APIClient

from reports import services
from reports.catalogue import install_defaults
from reports.models import Indicator, ReportEvent, ReportingPeriod, ReportStatus, ReportTemplate, UnitReport
from tests.dialogues.test_selectors_services import make_session
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def grant(unit, role, username):
    return GrantFactory(user=UserFactory(username=username), unit=unit, role=role).user


def make_period(province, label="Báo cáo 6 tháng thử", **dates):
    fields = {
        "data_start": TODAY - dt.timedelta(days=150),
        "data_end": TODAY,
        "due_date": TODAY + dt.timedelta(days=15),
        "lock_date": TODAY + dt.timedelta(days=45),
    }
    fields.update(dates)
    return ReportingPeriod.objects.create(province=province, kind="semiannual", year=TODAY.year, label=label, **fields)


@pytest.fixture
def w():
    p = UnitFactory(name="Tỉnh P", kind=UnitKind.PROVINCE)
    q = UnitFactory(name="Tỉnh Q", kind=UnitKind.PROVINCE)
    x = UnitFactory(name="Huyện X", kind=UnitKind.DISTRICT, parent=p)
    y = UnitFactory(name="Huyện Y", kind=UnitKind.DISTRICT, parent=p)
    a = UnitFactory(name="Xã A", kind=UnitKind.COMMUNE, parent=x)
    b = UnitFactory(name="Xã B", kind=UnitKind.COMMUNE, parent=y)
    install_defaults(p)
    install_defaults(q)
    return {
        "p": p,
        "q": q,
        "x": x,
        "a": a,
        "b": b,
        "period": make_period(p),
        "q_period": make_period(q, label="Kỳ của tỉnh Q"),
        "rep_a": grant(a, "reporter", "rep_a"),
        "rep_b": grant(b, "reporter", "rep_b"),
        "rev_x": grant(x, "reviewer", "rev_x"),
        "rev_y": grant(y, "reviewer", "rev_y"),
        "st_p": grant(p, "steering", "st_p"),
        "st_q": grant(q, "steering", "st_q"),
    }


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def url(pk=None, action=None):
    base = "/api/v1/reports/" + (f"{pk}/" if pk else "")
    return base + (f"{action}/" if action else "")


def open_report(user, unit, period):
    return api(user).post(url(), {"unit": unit.pk, "period": period.pk}, format="json")


def row(body, code):
    return next(v for v in body["values"] if v["code"] == code)


def state(report_id):
    """Everything a write may change, to check that a refused call changed nothing."""
    r = UnitReport.objects.get(pk=report_id)
    return (
        r.version,
        r.status,
        r.doc_number,
        list(r.values.order_by("pk").values_list("value", "override_reason")),
        list(r.sections.order_by("pk").values_list("text", flat=True)),
        r.events.count(),
    )


# --- Periods ---------------------------------------------------------------------------------


def test_periods_are_read_in_the_province_and_filtered(w):
    old = make_period(w["p"], label="Kỳ năm trước", data_start=dt.date(2024, 1, 1), data_end=dt.date(2024, 6, 30))
    old.year = 2024
    old.save()
    seen = {r["id"] for r in results(api(w["rep_a"]).get("/api/v1/periods/"))}
    assert seen == {w["period"].pk, old.pk}
    assert {r["id"] for r in results(api(w["st_q"]).get("/api/v1/periods/"))} == {w["q_period"].pk}
    assert [r["id"] for r in results(api(w["rev_x"]).get("/api/v1/periods/", {"year": 2024}))] == [old.pk]
    assert results(api(w["rev_x"]).get("/api/v1/periods/", {"province": w["q"].pk})) == []
    assert api(w["st_q"]).get(f"/api/v1/periods/{w['period'].pk}/").status_code == 404
    assert api().get("/api/v1/periods/").status_code == 403
    services.report_open(actor=None, unit=w["a"], period=w["period"])
    body = api(w["st_p"]).get(f"/api/v1/periods/{w['period'].pk}/").json()
    assert body["n_reports"] == UnitReport.objects.filter(period=w["period"]).count() == 1
    assert body["due_date"] == w["period"].due_date.isoformat()


def period_body(w, **extra):
    return {
        "province": w["p"].pk,
        "kind": "annual",
        "year": 2027,
        "label": "Báo cáo năm 2027",
        "data_start": "2026-12-15",
        "data_end": "2027-12-14",
        "due_date": "2027-12-15",
        "lock_date": "2028-01-15",
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"data_end": "2026-12-01"}, "data_end", "Ngày kết thúc số liệu"),
        ({"due_date": "2026-12-01"}, "due_date", "Hạn gửi báo cáo"),
        ({"lock_date": "2027-12-01"}, "lock_date", "Ngày khóa"),
    ],
)
def test_period_dates_are_checked_and_nothing_is_saved(w, extra, field, message):
    before = ReportingPeriod.objects.count()
    response = api(w["st_p"]).post("/api/v1/periods/", period_body(w, **extra), format="json")
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert ReportingPeriod.objects.count() == before


def test_steering_creates_and_edits_periods_of_its_province_only(w):
    response = api(w["st_p"]).post("/api/v1/periods/", period_body(w), format="json")
    assert response.status_code == 201, response.content
    created = ReportingPeriod.objects.get(pk=response.json()["id"])
    assert (created.province, created.kind, created.lock_date) == (w["p"], "annual", dt.date(2028, 1, 15))
    assert response.json()["remind_days_before"] == created.remind_days_before == 5

    duplicate = api(w["st_p"]).post("/api/v1/periods/", period_body(w), format="json")
    assert duplicate.status_code == 400
    assert "cùng loại, cùng năm" in duplicate.json()["label"][0]
    assert ReportingPeriod.objects.filter(label="Báo cáo năm 2027").count() == 1

    assert api(w["rev_x"]).post("/api/v1/periods/", period_body(w, year=2028), format="json").status_code == 403
    other = api(w["st_q"]).post("/api/v1/periods/", period_body(w, year=2028), format="json")
    assert other.status_code == 400
    assert "province" in other.json()

    detail = f"/api/v1/periods/{created.pk}/"
    bad = api(w["st_p"]).patch(detail, {"lock_date": "2027-12-01"}, format="json")
    assert bad.status_code == 400
    assert "lock_date" in bad.json()
    ok = api(w["st_p"]).patch(detail, {"due_date": "2027-12-20"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["due_date"] == "2027-12-20"
    assert api(w["rep_a"]).patch(detail, {"due_date": "2027-12-21"}, format="json").status_code == 403
    assert api(w["st_q"]).patch(detail, {"due_date": "2027-12-21"}, format="json").status_code == 404
    created.refresh_from_db()
    assert (created.due_date, created.lock_date) == (dt.date(2027, 12, 20), dt.date(2028, 1, 15))


def test_a_period_with_reports_keeps_its_window(w):
    services.report_open(actor=None, unit=w["a"], period=w["period"])
    detail = f"/api/v1/periods/{w['period'].pk}/"
    response = api(w["st_p"]).patch(detail, {"data_start": (TODAY - dt.timedelta(days=10)).isoformat()}, format="json")
    assert response.status_code == 400
    assert "data_start" in response.json()
    w["period"].refresh_from_db()
    assert w["period"].data_start == TODAY - dt.timedelta(days=150)


# --- Templates -------------------------------------------------------------------------------


def test_templates_show_tables_indicators_in_use_and_sections(w):
    template = ReportTemplate.objects.get(province=w["p"], applies_to="commune")
    retired = Indicator.objects.filter(table__templates=template).order_by("pk").first()
    retired.retired_on = TODAY - dt.timedelta(days=1)
    retired.save()
    listing = results(api(w["rep_a"]).get("/api/v1/report-templates/", {"applies_to": "commune"}))
    assert [t["id"] for t in listing] == [template.pk]
    body = api(w["rep_a"]).get(f"/api/v1/report-templates/{template.pk}/").json()
    assert [t["code"] for t in body["tables"]] == list(
        template.tables.order_by("order", "code").values_list("code", flat=True)
    )
    codes = [i["code"] for t in body["tables"] for i in t["indicators"]]
    in_use = Indicator.objects.filter(table__templates=template).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gt=TODAY)
    )
    assert sorted(codes) == sorted(in_use.values_list("code", flat=True))
    assert retired.code not in codes
    first = body["tables"][0]["indicators"][0]
    assert set(first) == {"id", "code", "name", "unit_of_measure", "value_type", "aggregation", "source", "retired_on"}
    assert [s["code"] for s in body["sections"]] == list(
        template.sections.order_by("order", "pk").values_list("code", flat=True)
    )
    assert api(w["st_q"]).get(f"/api/v1/report-templates/{template.pk}/").status_code == 404
    q_ids = {t["id"] for t in results(api(w["st_q"]).get("/api/v1/report-templates/"))}
    assert q_ids == set(ReportTemplate.objects.filter(province=w["q"]).values_list("pk", flat=True))


# --- The workflow ------------------------------------------------------------------------------


def test_the_whole_workflow_through_the_api(w):
    make_session(w["a"], TODAY - dt.timedelta(days=20), participants=90)
    rep, rev = w["rep_a"], w["rev_x"]

    opened = open_report(rep, w["a"], w["period"])
    assert opened.status_code == 201, opened.content
    body = opened.json()
    rid = body["id"]
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert row(body, "02.01")["computed"] == row(body, "02.01")["value"] == "1.00"
    assert row(body, "02.01")["is_computed"] is True
    assert row(body, "08.01")["value"] is None
    assert row(body, "08.01")["is_computed"] is False
    assert len(body["values"]) == UnitReport.objects.get(pk=rid).values.count()
    assert [e["action"] for e in body["events"]] == ["create"]
    again = open_report(rep, w["a"], w["period"])
    assert again.status_code == 200
    assert again.json()["id"] == rid
    assert UnitReport.objects.filter(unit=w["a"], period=w["period"]).count() == 1

    manual, computed = row(body, "08.01")["id"], row(body, "02.01")["id"]
    section = body["sections"][0]["id"]
    saved = api(rep).patch(
        url(rid),
        {
            "version": 1,
            "values": [{"id": manual, "value": "1.234"}, {"id": computed, "value": 2, "override_reason": "Thiếu 1"}],
            "sections": [{"id": section, "text": "  Đã công khai ngân sách.  "}],
            "doc_number": "12/BC-UBND",
            "doc_date": "2026-06-20",
        },
        format="json",
    )
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["version"] == 2
    assert body["doc_number"] == "12/BC-UBND"
    assert body["doc_date"] == "2026-06-20"
    assert row(body, "08.01")["value"] == "1234.00"  # Vietnamese thousands separator
    assert (row(body, "02.01")["computed"], row(body, "02.01")["value"]) == ("1.00", "2.00")
    assert row(body, "02.01")["override_reason"] == "Thiếu 1"
    assert body["sections"][0]["text"] == "Đã công khai ngân sách."

    # A form loaded at version 1 is refused: 409 with the Vietnamese message, nothing overwritten.
    before = state(rid)
    stale = api(rep).patch(url(rid), {"version": 1, "values": [{"id": manual, "value": 9}]}, format="json")
    assert stale.status_code == 409
    assert stale.json() == {"detail": services.stale_message(), "version": 2}
    assert state(rid) == before
    # A changed computed figure without a reason: 400 on the row, nothing saved.
    no_reason = api(rep).patch(url(rid), {"version": 2, "values": [{"id": computed, "value": 5}]}, format="json")
    assert no_reason.status_code == 400
    assert "lý do điều chỉnh" in no_reason.json()["values"][str(computed)][0]
    assert state(rid) == before
    assert api(rep).post(url(rid, "submit"), {"version": 1}, format="json").status_code == 409
    assert api(rev).post(url(rid, "submit"), {"version": 2}, format="json").status_code == 403
    assert state(rid) == before

    submitted = api(rep).post(url(rid, "submit"), {"version": 2}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert (submitted.json()["status"], submitted.json()["rounds"]) == ("submitted", 1)
    version = submitted.json()["version"]
    locked_out = api(rep).patch(url(rid), {"version": version, "doc_number": "13/BC"}, format="json")
    assert locked_out.status_code == 400
    assert "Đã gửi" in locked_out.json()["non_field_errors"][0]

    before = state(rid)
    assert api(rep).post(url(rid, "return"), {"version": version, "reason": "Sửa"}, format="json").status_code == 403
    empty = api(rev).post(url(rid, "return"), {"version": version, "reason": "  "}, format="json")
    assert empty.status_code == 400
    assert "lý do trả lại" in empty.json()["non_field_errors"][0]
    assert state(rid) == before
    returned = api(rev).post(url(rid, "return"), {"version": version, "reason": "Bổ sung Biểu 08"}, format="json")
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["events"][-1]["comment"] == "Bổ sung Biểu 08"

    version = returned.json()["version"]
    resubmitted = api(rep).post(url(rid, "submit"), {"version": version}, format="json")
    assert (resubmitted.json()["status"], resubmitted.json()["rounds"]) == ("resubmitted", 2)
    version = resubmitted.json()["version"]
    approved = api(rev).post(url(rid, "approve"), {"version": version, "comment": "Đạt"}, format="json")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == rev.pk
    assert api(rev).post(url(rid, "approve"), {"version": approved.json()["version"]}, format="json").status_code == 400
    locked = api(rev).post(url(rid, "lock"), {}, format="json")
    assert locked.status_code == 200
    assert locked.json()["status"] == "locked"

    detail = api(w["st_p"]).get(url(rid)).json()
    assert [(e["action"], e["from_status"], e["to_status"]) for e in detail["events"]] == list(
        ReportEvent.objects.filter(report_id=rid).order_by("at", "pk").values_list("action", "from_status", "to_status")
    )
    assert [e["action"] for e in detail["events"]] == [
        "create",
        "save",
        "submit",
        "return",
        "resubmit",
        "approve",
        "lock",
    ]


def test_previous_year_figures_come_with_each_value(w):
    last_year = ReportingPeriod.objects.create(
        province=w["p"],
        kind="semiannual",
        year=TODAY.year - 1,
        label="Kỳ năm trước",
        data_start=w["period"].data_start - dt.timedelta(days=365),
        data_end=w["period"].data_end.replace(year=TODAY.year - 1, day=min(TODAY.day, 28)),
        due_date=w["period"].due_date - dt.timedelta(days=365),
    )
    old = services.report_open(actor=None, unit=w["a"], period=last_year)
    manual = old.values.get(indicator__code="08.01")
    services.report_save(actor=None, report=old, values={manual.pk: ("41", "")})
    rid = open_report(w["rep_a"], w["a"], w["period"]).json()["id"]
    body = api(w["rev_x"]).get(url(rid)).json()
    assert row(body, "08.01")["previous"] == "41.00"
    # Every figure: last year's reported value of the same indicator (an independent query).
    last = dict(old.values.values_list("indicator__code", "value"))
    assert {v["code"]: v["previous"] for v in body["values"]} == {
        v["code"]: (None if last.get(v["code"]) is None else f"{last[v['code']]:.2f}") for v in body["values"]
    }


def test_open_is_refused_outside_scope_or_province(w):
    assert open_report(w["rep_b"], w["a"], w["period"]).status_code == 404
    assert open_report(w["rev_x"], w["a"], w["period"]).status_code == 403
    wrong = open_report(w["rep_a"], w["a"], w["q_period"])
    assert wrong.status_code == 400
    assert "period" in wrong.json()
    hamlet = UnitFactory(kind=UnitKind.HAMLET, parent=w["a"], official_type="thon")
    no_template = open_report(w["rep_a"], hamlet, w["period"])
    assert no_template.status_code == 400
    assert "mẫu báo cáo" in no_template.json()["non_field_errors"][0]
    assert api().post(url(), {"unit": w["a"].pk, "period": w["period"].pk}, format="json").status_code == 403
    assert UnitReport.objects.count() == 0


def test_bad_input_to_save_is_refused_and_nothing_changes(w):
    body = open_report(w["rep_a"], w["a"], w["period"]).json()
    rid = body["id"]
    other = services.report_open(actor=None, unit=w["b"], period=w["period"])
    foreign = other.values.first().pk
    before = state(rid)
    cases = [
        ({"values": [{"id": row(body, "08.01")["id"], "value": 1}]}, "version"),
        ({"version": 1, "values": [{"id": foreign, "value": 1}]}, "values"),
        ({"version": 1, "values": [{"id": row(body, "08.01")["id"], "value": -1}]}, "values"),
        ({"version": 1, "values": [{"id": row(body, "11.04")["id"], "value": 101}]}, "values"),
        ({"version": 1, "values": [{"id": row(body, "08.01")["id"], "value": True}]}, "values"),
        ({"version": 1, "sections": [{"id": 999999, "text": "x"}]}, "sections"),
        ({"version": 1, "doc_date": "20/06/2026"}, "doc_date"),
    ]
    for payload, field in cases:
        response = api(w["rep_a"]).patch(url(rid), payload, format="json")
        assert response.status_code == 400, (payload, response.content)
        assert field in response.json(), (payload, response.json())
        assert state(rid) == before
    assert api(w["rep_a"]).put(url(rid), {"version": 1}, format="json").status_code == 405


def test_exception_after_the_lock_date(w):
    period = make_period(
        w["p"],
        label="Kỳ đã khóa",
        data_start=TODAY - dt.timedelta(days=100),
        data_end=TODAY - dt.timedelta(days=40),
        due_date=TODAY - dt.timedelta(days=30),
        lock_date=TODAY - dt.timedelta(days=1),
    )
    report = services.report_open(actor=None, unit=w["a"], period=period)
    manual = report.values.get(indicator__code="08.01").pk
    change = {"version": report.version, "values": [{"id": manual, "value": 4}]}
    refused = api(w["rep_a"]).patch(url(report.pk), change, format="json")
    assert refused.status_code == 400
    assert "ngày khóa" in refused.json()["non_field_errors"][0]
    past = api(w["rev_x"]).post(url(report.pk, "exception"), {"until": "2000-01-01"}, format="json")
    assert past.status_code == 400
    assert api(w["rev_x"]).post(url(report.pk, "exception"), {"until": "01/01/2099"}, format="json").status_code == 400
    assert api(w["rep_a"]).post(url(report.pk, "exception"), {"until": "2099-01-01"}, format="json").status_code == 403
    assert api(w["rev_y"]).post(url(report.pk, "exception"), {"until": "2099-01-01"}, format="json").status_code == 404
    until = TODAY + dt.timedelta(days=7)
    granted = api(w["rev_x"]).post(url(report.pk, "exception"), {"until": until.isoformat(), "comment": "Bổ sung"})
    assert granted.status_code == 200, granted.content
    assert granted.json()["exception_until"] == until.isoformat()
    assert granted.json()["edit_problem"] is None
    change["version"] = granted.json()["version"]
    assert api(w["rep_a"]).patch(url(report.pk), change, format="json").status_code == 200
    assert UnitReport.objects.get(pk=report.pk).values.get(pk=manual).value == Decimal(4)


# --- Scoping and bulk approval ------------------------------------------------------------------


def submitted_report(unit, period):
    report = services.report_open(actor=None, unit=unit, period=period)
    return services.report_submit(actor=None, report=report)


def test_list_and_detail_are_scoped_and_filtered(w):
    ra = submitted_report(w["a"], w["period"])
    rb = services.report_open(actor=None, unit=w["b"], period=w["period"])
    assert {r["id"] for r in results(api(w["rev_x"]).get(url()))} == {ra.pk}
    assert {r["id"] for r in results(api(w["st_p"]).get(url()))} == {ra.pk, rb.pk}
    assert results(api(w["st_q"]).get(url())) == []
    assert [r["id"] for r in results(api(w["st_p"]).get(url(), {"status": "draft"}))] == [rb.pk]
    assert [r["id"] for r in results(api(w["st_p"]).get(url(), {"unit": w["x"].pk}))] == [ra.pk]
    assert results(api(w["st_p"]).get(url(), {"period": w["q_period"].pk})) == []
    listed = results(api(w["rep_a"]).get(url(), {"period": w["period"].pk}))
    assert listed[0]["status"] == "submitted"
    assert listed[0]["unit_name"] == "Xã A"
    assert listed[0]["on_time"] is True
    assert api(w["rep_b"]).get(url(ra.pk)).status_code == 404
    assert api(w["rev_y"]).get(url(ra.pk)).status_code == 404
    assert api(w["rev_x"]).get(url(ra.pk)).status_code == 200
    assert api(w["rev_x"]).patch(url(rb.pk), {"version": rb.version}, format="json").status_code == 404


def test_the_list_costs_a_fixed_number_of_queries(w, django_assert_max_num_queries):
    submitted_report(w["a"], w["period"])
    client = api(w["st_p"])
    client.get(url())  # warm up caches (content types, translations)
    with django_assert_max_num_queries(8) as one:
        client.get(url())
    for n in range(4):
        services.report_open(actor=None, unit=w["a"], period=make_period(w["p"], label=f"Kỳ thêm {n}"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(results(client.get(url()))) == 5


def test_bulk_approve_touches_only_the_reviewers_scope(w):
    ra = submitted_report(w["a"], w["period"])
    rb = submitted_report(w["b"], w["period"])
    draft = services.report_open(actor=None, unit=w["a"], period=make_period(w["p"], label="Kỳ nháp"))
    assert api(w["rep_a"]).post(url(action="bulk-approve"), {"ids": [ra.pk]}, format="json").status_code == 403
    assert api(w["rev_y"]).post(url(action="bulk-approve"), {"ids": [ra.pk]}, format="json").status_code == 404
    assert api(w["rev_x"]).post(url(action="bulk-approve"), {"ids": []}, format="json").status_code == 400
    # Reviewer of district X who also reports for commune B: sees B's report but may not approve it.
    GrantFactory(user=w["rev_x"], unit=w["b"], role="reporter")
    both = type(w["rev_x"]).objects.get(pk=w["rev_x"].pk)  # without the grants cached on the old object
    assert api(both).get(url(rb.pk)).status_code == 200
    response = api(both).post(url(action="bulk-approve"), {"ids": [ra.pk, rb.pk, draft.pk]}, format="json")
    assert response.status_code == 200
    assert response.json() == {"approved": 1, "skipped": 2}
    statuses = dict(UnitReport.objects.values_list("pk", "status"))
    assert statuses == {ra.pk: ReportStatus.APPROVED, rb.pk: ReportStatus.SUBMITTED, draft.pk: ReportStatus.DRAFT}
    assert UnitReport.objects.get(pk=ra.pk).approved_by == both
    assert api(both).post(url(action="bulk-approve"), {"ids": [rb.pk]}, format="json").status_code == 403
    assert UnitReport.objects.get(pk=rb.pk).status == ReportStatus.SUBMITTED


def test_the_schema_lists_the_report_routes(w):
    response = api(w["rep_a"]).get("/api/v1/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/v1/periods/{id}/",
        "/api/v1/report-templates/{id}/",
        "/api/v1/reports/{id}/",
        "/api/v1/reports/{id}/return/",
        "/api/v1/reports/{id}/exception/",
        "/api/v1/reports/bulk-approve/",
    ):
        assert path in text
