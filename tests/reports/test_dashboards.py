"""The dashboard (reports/dashboards.py, reports/views_dashboard.py): every series against an
independent count in plain Python and against the selectors the reports use, the page and
its API, scoping, bad parameters, and a fixed number of queries whatever the number of units."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from boards import selectors as board_selectors
from boards.models import CommunityBoard, InspectionBoard, InvestmentProject, SupervisionActivity
from criteria.models import ClassificationBand, CriteriaSet, ScoreSheet
from dialogues import selectors as dialogue_selectors
from dialogues.models import DialogueSession, Petition, PetitionStatus, ReceptionSession
from dialogues.services import LEVEL_OF_KIND
from reports import services
from reports.catalogue import install_defaults
from reports.completeness import completeness
from reports.dashboards import SERIES, Dashboard, months_between, rate
from reports.models import ReportingPeriod, UnitReport
from tests.factories import GrantFactory, UnitFactory, UserFactory
from tests.reports.test_completeness import hand_count
from units.models import UnitKind

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=300)
END = TODAY - dt.timedelta(days=30)
PREV_START = dialogue_selectors._year_before(START)
PREV_END = dialogue_selectors._year_before(END)
MEASURES = ("expected", "submitted", "on_time", "late", "missing", "approved")


# --- Records ------------------------------------------------------------------------------------


def session(unit, day, *, participants=40, petitions=()):
    """A dialogue session with petitions given as (status, deadline) pairs."""
    s = DialogueSession.objects.create(
        unit=unit,
        level=LEVEL_OF_KIND[unit.kind],
        held_on=day,
        chair_role="chu_tich_ubnd",
        chair_name="Bùi Văn Hùng",
        scope="toan_dien",
        trigger="dinh_ky",
        topic="Đối thoại định kỳ",
        participants=participants,
    )
    for status, deadline in petitions:
        Petition.objects.create(
            unit=unit, session=s, raised_on=day, content="Kiến nghị", field="dat_dai", status=status, deadline=deadline
        )
    return s


def reception(unit, day, persons):
    return ReceptionSession.objects.create(
        unit=unit, held_on=day, kind="thuong_xuyen", receiver_role="chu_tich_ubnd", persons=persons
    )


def inspection(unit, day, field, recommendations=0):
    board = InspectionBoard.objects.filter(unit=unit).first() or InspectionBoard.objects.create(
        unit=unit, term_start=START - dt.timedelta(days=800)
    )
    return SupervisionActivity.objects.create(
        unit=unit, inspection_board=board, held_on=day, subject="Giám sát", field=field,
        recommendations_count=recommendations,
    )  # fmt: skip


def community(unit, day, field, funding, recommendations=0):
    project = InvestmentProject.objects.create(
        unit=unit, name=f"Công trình {funding}", funding_source=funding, total_value=Decimal(1_000_000), investor="UBND"
    )
    board = CommunityBoard.objects.create(unit=unit, project=project, established_on=START - dt.timedelta(days=400))
    return SupervisionActivity.objects.create(
        unit=unit, community_board=board, held_on=day, subject="Giám sát công trình", field=field,
        recommendations_count=recommendations,
    )  # fmt: skip


def criteria_set(province, bands):
    cs = CriteriaSet.objects.create(name="Bộ tiêu chí thử", province=province, applies_to="commune", year_from=2024)
    for i, (label, minimum) in enumerate(bands):
        ClassificationBand.objects.create(criteria_set=cs, label=label, min_score=minimum, order=i)
    return cs


def sheet(unit, period, cs, review_class):
    return ScoreSheet.objects.create(unit=unit, period=period, criteria_set=cs, review_class=review_class)


def make_period(province, label="Báo cáo năm", start=START, end=END):
    return ReportingPeriod.objects.create(
        province=province,
        kind=ReportingPeriod.Kind.ANNUAL,
        year=end.year,
        label=label,
        data_start=start,
        data_end=end,
        due_date=end + dt.timedelta(days=10),
    )


def in_window(day):
    return START <= day <= END


def in_previous(day):
    return PREV_START <= day <= PREV_END


# --- The world ----------------------------------------------------------------------------------


@pytest.fixture
def w(db):
    """Province P: district X (communes A, B; an office; A has a school and a hamlet) and
    district Y (commune C); province Q with commune D. Records in the window, in the window a
    year earlier and outside both, on communes, agencies and on district X itself."""
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
    install_defaults(p)
    install_defaults(q)
    period = make_period(p)
    other_period = make_period(p, "Kỳ khác", START - dt.timedelta(days=700), START - dt.timedelta(days=400))
    q_period = make_period(q, "Kỳ tỉnh Q")

    early, mid, late = START + dt.timedelta(days=5), START + dt.timedelta(days=120), END - dt.timedelta(days=2)
    overdue, later = TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=30)
    S = PetitionStatus
    session(
        a,
        early,
        participants=120,
        # Due today: not overdue yet.
        petitions=[(S.RESOLVED, overdue), (S.ASSIGNED, overdue), (S.NEW, None), (S.ASSIGNED, TODAY)],
    )
    session(a, late, participants=80, petitions=[(S.EXPLAINED, later), (S.IN_PROGRESS, later), (S.TRANSFERRED, None)])
    session(a, START, participants=10, petitions=[(S.IN_PROGRESS, overdue)])  # first day of the window
    session(a, START - dt.timedelta(days=1), participants=99, petitions=[(S.NEW, overdue)])  # outside both
    session(a, PREV_START + dt.timedelta(days=10), participants=70, petitions=[(S.RESOLVED, None), (S.NEW, overdue)])
    session(b, mid, participants=55, petitions=[(S.IN_PROGRESS, overdue), (S.RESOLVED, None)])
    session(x, mid, participants=200, petitions=[(S.RESOLVED, None), (S.ASSIGNED, overdue)])  # district level
    session(school, late, participants=30, petitions=[(S.EXPLAINED, None)])  # agency level
    session(c, END, participants=65, petitions=[(S.NEW, later)])  # last day of the window
    session(c, PREV_END, participants=45)
    session(d, mid, participants=500, petitions=[(S.NEW, overdue)])  # another province
    # A petition received outside any session is not a dialogue petition.
    Petition.objects.create(unit=a, raised_on=mid, content="Đơn", field="khac", status=S.NEW, deadline=overdue)

    for unit, day, persons in [
        (a, early, 4),
        (a, late, 6),
        (b, mid, 3),
        (x, mid, 10),
        (c, PREV_START, 7),
        (a, PREV_END, 2),
        (a, END + dt.timedelta(days=1), 50),
        (d, mid, 40),
    ]:
        reception(unit, day, persons)

    inspection(a, early, "dat_dai", 2)
    inspection(a, mid, "xay_dung", 1)
    inspection(office, late, "thu_chi_tai_chinh")
    inspection(c, PREV_START + dt.timedelta(days=3), "dat_dai")
    inspection(d, mid, "dat_dai")
    community(b, mid, "xay_dung", "ngan_sach_nha_nuoc", 3)
    community(b, late, "tien_do_du_an", "von_cong_suc_cong_dong", 1)
    community(c, early, "xay_dung", "ngan_sach_nha_nuoc", 2)
    community(a, START - dt.timedelta(days=10), "xay_dung", "ppp")
    community(a, PREV_END - dt.timedelta(days=10), "moi_truong", "ppp")

    cs = criteria_set(p, [("Tốt", 80), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0)])
    criteria_set(p, [("Xuất sắc", 90), ("Tốt", 80)])  # a second set adds a better band
    cs_q = criteria_set(q, [("Loại A", 50)])
    sheet(a, period, cs, "Tốt")
    sheet(b, period, cs, "Yếu")
    sheet(c, period, cs, "Tốt")
    sheet(school, period, cs, "")
    sheet(office, period, cs, "Đặc biệt")  # a class outside the bands
    sheet(a, other_period, cs, "Khá")
    sheet(d, q_period, cs_q, "Loại A")

    actor = UserFactory(username="nguoi.thu")
    for unit, status in [(a, "approved"), (b, "submitted"), (c, "submitted"), (school, "draft")]:
        report = services.report_open(actor=actor, unit=unit, period=period)
        if status != "draft":
            services.report_submit(actor=actor, report=report)
        if status == "approved":
            services.report_approve(actor=actor, report=report)
    # A and C sent before the due date (on time), B two days after it (late).
    for unit, days in [(a, -1), (c, 0), (b, 2)]:
        at = timezone.make_aware(dt.datetime.combine(period.due_date + dt.timedelta(days=days), dt.time(9)))
        UnitReport.objects.filter(unit=unit, period=period).update(first_submitted_at=at)
    return {
        "p": p,
        "q": q,
        "x": x,
        "y": y,
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "school": school,
        "office": office,
        "period": period,
        "q_period": q_period,
    }


# --- Independent counts -------------------------------------------------------------------------


def bucket(scope, unit):
    """The row a record of ``unit`` belongs to: ("direct", scope) or the scope's child above it."""
    if unit.pk == scope.pk:
        return ("direct", scope.pk)
    for child in scope.children.all():
        if unit.path.startswith(child.path):
            return ("child", child.pk)
    return None


def row_key(row):
    return ("direct", row["unit"]) if row["direct"] else ("child", row["unit"])


def hand_petitions(scope):
    out = {}
    for pet in Petition.objects.filter(session__isnull=False).select_related("session__unit"):
        unit = pet.session.unit
        if not unit.path.startswith(scope.path) or not in_window(pet.session.held_on):
            continue
        c = out.setdefault(bucket(scope, unit), {"raised": 0, "resolved": 0, "overdue": 0})
        c["raised"] += 1
        c["resolved"] += pet.status in (PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED)
        c["overdue"] += pet.is_overdue
    return out


# --- The series ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scope_key", ["p", "x", "a"])
def test_completeness_matches_the_completeness_page_and_a_hand_count(w, scope_key):
    scope, period = w[scope_key], w["period"]
    data = Dashboard(scope, period).completeness()
    reference = completeness(scope, period, with_units=False)
    expected_rows = {
        (("direct", r.unit.pk) if r.is_scope else ("child", r.unit.pk)): {n: getattr(r.total, n) for n in MEASURES}
        for r in reference.rows
    }
    assert {row_key(r): {n: r[n] for n in MEASURES} for r in data["rows"]} == expected_rows
    hand = hand_count(scope, period)
    for group in ("communes", "agencies"):
        assert {k: data[group][k] for k in hand[group] if k != "returned"} == {
            k: v for k, v in hand[group].items() if k != "returned"
        }
    assert data["total"]["expected"] == hand["communes"]["expected"] + hand["agencies"]["expected"]
    total = data["total"]
    assert total["submitted_rate"] == rate(total["submitted"], total["expected"])


def test_completeness_rows_of_province_p(w):
    data = Dashboard(w["p"], w["period"]).completeness()
    rows = {r["name"]: r for r in data["rows"]}
    # X: communes A (approved, on time) and B (late); the school (draft) and the office missing.
    assert {k: rows["Huyện X"][k] for k in MEASURES} == {
        "expected": 4,
        "submitted": 2,
        "on_time": 1,
        "late": 1,
        "missing": 2,
        "approved": 1,
    }
    assert rows["Huyện X"]["submitted_rate"] == {"numerator": 2, "denominator": 4, "pct": 50.0}
    assert rows["Huyện Y"]["on_time_rate"] == {"numerator": 1, "denominator": 1, "pct": 100.0}
    assert data["total"]["expected"] == 5
    assert data["as_of"].tzinfo is not None
    assert data["scope"] == {"id": w["p"].pk, "name": "Tỉnh P", "kind": "province"}
    assert data["period"]["id"] == w["period"].pk


@pytest.mark.parametrize("scope_key", ["p", "x", "y", "a"])
def test_petitions_per_child_match_a_hand_count_and_the_report_figures(w, scope_key):
    scope = w[scope_key]
    data = Dashboard(scope, w["period"]).petitions()
    hand = hand_petitions(scope)
    got = {row_key(r): {k: r[k] for k in ("raised", "resolved", "overdue")} for r in data["rows"] if r["raised"]}
    assert got == hand
    for r in data["rows"]:
        assert r["resolution_rate"] == rate(r["resolved"], r["raised"])
    figures = dialogue_selectors.dialogue_figures(scope, START, END)
    assert {k: data["total"][k] for k in ("raised", "resolved", "overdue")} == {
        k: figures[k] for k in ("raised", "resolved", "overdue")
    }
    if figures["resolution_rate"] is not None:
        assert Decimal(str(data["total"]["resolution_rate"]["pct"])) == figures["resolution_rate"]


def test_petitions_of_district_x_by_hand(w):
    rows = {r["name"]: r for r in Dashboard(w["x"], w["period"]).petitions()["rows"]}
    # A: sessions on `early`, `late` and the window's first day; the school's session counts for A.
    assert {k: rows["Xã A"][k] for k in ("raised", "resolved", "overdue")} == {"raised": 9, "resolved": 3, "overdue": 2}
    assert rows["Xã A"]["resolution_rate"] == {"numerator": 3, "denominator": 9, "pct": 33.3}
    assert {k: rows["Xã B"][k] for k in ("raised", "resolved", "overdue")} == {"raised": 2, "resolved": 1, "overdue": 1}
    # The district's own session is its own "direct" row, listed first.
    direct = Dashboard(w["x"], w["period"]).petitions()["rows"][0]
    assert direct["direct"]
    assert direct["unit"] == w["x"].pk
    assert (direct["raised"], direct["resolved"], direct["overdue"]) == (2, 1, 1)
    # The office held no dialogue: an agency without figures is not listed.
    assert "Phòng Nội vụ X" not in rows


def test_dialogues_per_month_and_level(w):
    for scope in (w["p"], w["x"], w["a"]):
        data = Dashboard(scope, w["period"]).dialogues()
        sessions = [
            s
            for s in DialogueSession.objects.filter(unit__path__startswith=scope.path).select_related("unit")
            if in_window(s.held_on)
        ]
        per_month = Counter(s.held_on.replace(day=1) for s in sessions)
        assert [m["month"] for m in data["months"]] == months_between(START, END)
        assert {m["month"]: m["sessions"] for m in data["months"] if m["sessions"]} == dict(per_month)
        assert sum(m["participants"] for m in data["months"]) == sum(s.participants for s in sessions)
        figures = dialogue_selectors.dialogue_figures(scope, START, END)
        assert data["sessions"] == figures["sessions"] == len(sessions)
        assert data["participants"] == figures["participants"]
        assert {lv["level"]: lv["sessions"] for lv in data["by_level"]} == {
            k.removeprefix("level_"): v for k, v in figures.items() if k.startswith("level_")
        }
    x = Dashboard(w["x"], w["period"]).dialogues()
    assert {lv["level"]: lv["sessions"] for lv in x["by_level"]} == {
        "province": 0,
        "district": 1,
        "commune": 4,
        "agency": 1,
        "enterprise": 0,
    }
    assert x["months"][0]["label"] == f"{START:%m/%Y}"


def test_supervisions_by_field_and_funding(w):
    for scope in (w["p"], w["x"], w["b"]):
        data = Dashboard(scope, w["period"]).supervisions()
        acts = [
            s
            for s in SupervisionActivity.objects.filter(unit__path__startswith=scope.path).select_related(
                "community_board__project"
            )
            if in_window(s.held_on)
        ]
        by_field = {f["field"]: (f["inspection"], f["community"]) for f in data["by_field"]}
        for field, (n_inspection, n_community) in by_field.items():
            assert n_inspection == sum(1 for s in acts if s.field == field and s.inspection_board_id)
            assert n_community == sum(1 for s in acts if s.field == field and s.community_board_id)
        inspection_figures = board_selectors.inspection_figures(scope, START, END)
        community_figures = board_selectors.community_figures(scope, START, END)
        assert data["inspection"] == inspection_figures["supervisions"]
        assert data["community"] == community_figures["supervisions"]
        assert {f["field"]: f["inspection"] for f in data["by_field"]} == {
            k.removeprefix("field_"): v for k, v in inspection_figures.items() if k.startswith("field_")
        }
        assert {f["source"]: f["supervisions"] for f in data["by_funding"]} == {
            k.removeprefix("funding_"): v for k, v in community_figures.items() if k.startswith("funding_")
        }
    p = Dashboard(w["p"], w["period"]).supervisions()
    assert {f["source"]: (f["supervisions"], f["recommendations"]) for f in p["by_funding"] if f["supervisions"]} == {
        "ngan_sach_nha_nuoc": (2, 5),
        "von_cong_suc_cong_dong": (1, 1),
    }
    assert (p["inspection"], p["community"], p["total"]) == (3, 3, 6)


def test_classification_follows_the_bands(w):
    data = Dashboard(w["p"], w["period"]).classification()
    assert [(c["label"], c["sheets"]) for c in data["classes"]] == [
        ("Xuất sắc", 0),
        ("Tốt", 2),
        ("Khá", 0),
        ("Trung bình", 0),
        ("Yếu", 1),
        ("Đặc biệt", 1),  # given outside the bands: after them
        ("Chưa xếp loại", 1),
    ]
    assert data["sheets"] == 5
    assert data["classes"][1]["share"] == {"numerator": 2, "denominator": 5, "pct": 40.0}
    assert data["classes"][-1]["unclassified"]
    hand = Counter(
        s.review_class
        for s in ScoreSheet.objects.filter(period=w["period"]).select_related("unit")
        if s.unit.path.startswith(w["x"].path)
    )
    x = Dashboard(w["x"], w["period"]).classification()
    assert {c["label"] if not c["unclassified"] else "": c["sheets"] for c in x["classes"] if c["sheets"]} == dict(hand)


def test_year_on_year_against_the_report_selectors(w):
    for scope in (w["p"], w["x"], w["a"]):
        data = Dashboard(scope, w["period"]).year_on_year()
        rows = {r["key"]: r for r in data["rows"]}
        now = dialogue_selectors.dialogue_figures(scope, START, END)
        before = dialogue_selectors.dialogue_figures(scope, PREV_START, PREV_END)
        reception = dialogue_selectors.reception_figures(scope, START, END)
        expected = {
            "sessions": (now["sessions"], before["sessions"]),
            "participants": (now["participants"], before["participants"]),
            "petitions_raised": (now["raised"], before["raised"]),
            "petitions_resolved": (now["resolved"], before["resolved"]),
            "reception_sessions": (reception["total_sessions"], reception["previous_total_sessions"]),
            "reception_persons": (reception["total_persons"], reception["previous_total_persons"]),
            "supervisions": (
                board_selectors.inspection_figures(scope, START, END)["supervisions"]
                + board_selectors.community_figures(scope, START, END)["supervisions"],
                board_selectors.inspection_figures(scope, PREV_START, PREV_END)["supervisions"]
                + board_selectors.community_figures(scope, PREV_START, PREV_END)["supervisions"],
            ),
        }
        assert {k: (r["current"], r["previous"]) for k, r in rows.items()} == expected
        for r in rows.values():
            assert r["difference"] == r["current"] - r["previous"]
    rows = {r["key"]: r for r in Dashboard(w["a"], w["period"]).year_on_year()["rows"]}
    assert (rows["sessions"]["current"], rows["sessions"]["previous"]) == (4, 1)
    assert rows["sessions"]["pct_change"] == 300.0
    assert (rows["reception_persons"]["current"], rows["reception_persons"]["previous"]) == (10, 2)
    assert rows["reception_persons"]["pct_change"] == 400.0
    assert rows["supervisions"]["previous"] == 1
    # Nothing a year earlier: no % change.
    b = {r["key"]: r for r in Dashboard(w["b"], w["period"]).year_on_year()["rows"]}
    assert (b["sessions"]["current"], b["sessions"]["previous"], b["sessions"]["pct_change"]) == (1, 0, None)


def test_rate_rounds_half_up_and_refuses_zero():
    assert rate(83, 99) == {"numerator": 83, "denominator": 99, "pct": 83.8}
    assert rate(1, 8) == {"numerator": 1, "denominator": 8, "pct": 12.5}
    assert rate(1, 3)["pct"] == 33.3
    assert rate(0, 0) == {"numerator": 0, "denominator": 0, "pct": None}


def test_a_window_longer_than_a_year_counts_the_overlap_in_both(w):
    """When the window a year earlier overlaps this one, a record in both counts in both."""
    long = make_period(w["p"], "Kỳ dài", START - dt.timedelta(days=200), END)
    d = Dashboard(w["a"], long)
    rows = {r["key"]: r for r in d.year_on_year()["rows"]}
    expected_now = dialogue_selectors.dialogue_figures(w["a"], long.data_start, long.data_end)
    expected_before = dialogue_selectors.dialogue_figures(w["a"], d.previous_start, d.previous_end)
    assert (rows["sessions"]["current"], rows["sessions"]["previous"]) == (
        expected_now["sessions"],
        expected_before["sessions"],
    )
    assert (rows["petitions_raised"]["current"], rows["petitions_raised"]["previous"]) == (
        expected_now["raised"],
        expected_before["raised"],
    )


# --- The page -----------------------------------------------------------------------------------


@pytest.fixture
def reviewer_x(w):
    return GrantFactory(user=UserFactory(username="tham.dinh.x"), unit=w["x"], role="reviewer").user


@pytest.fixture
def steering_p(w):
    return GrantFactory(user=UserFactory(username="bcd.p"), unit=w["p"], role="steering").user


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_page_defaults_to_the_users_scope_and_shows_the_numbers(client, w, reviewer_x):
    client.force_login(reviewer_x)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["scope"] == w["x"]
    assert response.context["period"] == w["period"]
    page = text(response)
    # Rates with their numerator and denominator, Vietnamese marks.
    assert "Xã A" in page
    assert "3/9 = 33,3%" in page  # commune A's petitions
    assert "2/4 = 50,0%" in page  # reports sent in district X
    assert "Số liệu tính đến" in page
    as_of = timezone.localtime(response.context["as_of"])
    assert f"Số liệu tính đến {as_of:%H:%M %d/%m/%Y}" in page
    html = response.content.decode()
    for series in SERIES:
        if series != "year_on_year":
            assert reverse(f"api-dashboard-{series}") in html
    assert 'src="/static/vendor/chart.js/chart.umd.min.js"' in html
    assert 'src="/static/js/dashboard.js"' in html
    assert "<script>" not in html  # no inline script
    assert 'id="table-yoy"' in html
    # Drill down to a commune; the way back up.
    assert f'href="?scope={w["a"].pk}&amp;period={w["period"].pk}"' in html
    leaf = client.get(reverse("dashboard"), {"scope": w["a"].pk, "period": w["period"].pk})
    assert leaf.status_code == 200
    assert f'href="?scope={w["x"].pk}&amp;period={w["period"].pk}" id="scope-up"' in leaf.content.decode()
    # At the top of the reviewer's sight there is no way up.
    assert 'id="scope-up"' not in html


def test_page_numbers_use_thousands_separators(client, w, steering_p):
    session(w["c"], START + dt.timedelta(days=40), participants=1234)
    client.force_login(steering_p)
    page = text(client.get(reverse("dashboard"), {"scope": w["p"].pk, "period": w["period"].pk}))
    total = DialogueSession.objects.filter(unit__path__startswith=w["p"].path, held_on__range=(START, END)).count()
    participants = sum(
        s.participants
        for s in DialogueSession.objects.filter(unit__path__startswith=w["p"].path, held_on__range=(START, END))
    )
    assert participants > 1000
    assert f"{participants // 1000}.{participants % 1000:03d} lượt người tham dự" in page
    assert f"Hội nghị đối thoại {total}" in page


def test_page_refuses_scope_or_period_out_of_sight(client, w, reviewer_x):
    client.force_login(reviewer_x)
    url = reverse("dashboard")
    assert client.get(url, {"scope": w["y"].pk}).status_code == 404
    assert client.get(url, {"scope": w["p"].pk}).status_code == 404
    assert client.get(url, {"scope": w["d"].pk}).status_code == 404
    assert client.get(url, {"scope": "abc"}).status_code == 404
    assert client.get(url, {"scope": w["x"].pk, "period": w["q_period"].pk}).status_code == 404
    assert client.get(url, {"scope": w["x"].pk, "period": "x"}).status_code == 404


def test_page_needs_login_and_handles_users_without_grants(client, w):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(UserFactory(username="chua.phan.quyen"))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert 'id="no-scope"' in response.content.decode()


def test_page_without_periods(client, db):
    p = UnitFactory(name="Tỉnh mới", kind=UnitKind.PROVINCE)
    client.force_login(GrantFactory(user=UserFactory(username="bcd.moi"), unit=p, role="steering").user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert 'id="no-period"' in response.content.decode()


def test_nav_links_to_the_dashboard(client, w, reviewer_x):
    client.force_login(reviewer_x)
    assert f'href="{reverse("dashboard")}"' in client.get(reverse("home")).content.decode()


# --- The API ------------------------------------------------------------------------------------


def test_api_series_equal_the_selectors(w, reviewer_x):
    api = APIClient()
    api.force_authenticate(reviewer_x)
    for series in SERIES:
        response = api.get(reverse(f"api-dashboard-{series}"), {"scope": w["x"].pk, "period": w["period"].pk})
        assert response.status_code == 200, series
        data = response.json()
        assert data["scope"] == {"id": w["x"].pk, "name": "Huyện X", "kind": "district"}
        assert data["period"]["id"] == w["period"].pk
        assert data["period"]["data_start"] == START.isoformat()
        assert dt.datetime.fromisoformat(data["as_of"]).tzinfo is not None
        expected = getattr(Dashboard(w["x"], w["period"]), series)()
        for key in expected:
            if key not in ("as_of", "scope", "period"):
                assert data[key] == _jsonish(expected[key]), (series, key)


def _jsonish(value):
    if isinstance(value, dict):
        return {k: _jsonish(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonish(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_api_scoping_and_bad_parameters(w, reviewer_x):
    api = APIClient()
    api.force_authenticate(reviewer_x)
    for series in SERIES:
        url = reverse(f"api-dashboard-{series}")
        bad = api.get(url, {"scope": "x"})
        assert bad.status_code == 400
        assert set(bad.json()) == {"scope", "period"}
        assert "Hãy chọn đơn vị phạm vi" in bad.json()["scope"][0]
        assert api.get(url, {"scope": w["x"].pk}).status_code == 400
        assert api.get(url, {"scope": w["y"].pk, "period": w["period"].pk}).status_code == 404
        assert api.get(url, {"scope": w["d"].pk, "period": w["q_period"].pk}).status_code == 404
        assert api.get(url, {"scope": w["x"].pk, "period": w["q_period"].pk}).status_code == 404
        assert APIClient().get(url, {"scope": w["x"].pk, "period": w["period"].pk}).status_code == 403


def test_api_token_auth(w, reviewer_x):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=reviewer_x)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(reverse("api-dashboard-petitions"), {"scope": w["x"].pk, "period": w["period"].pk})
    assert response.status_code == 200
    assert response.json()["total"]["raised"] == dialogue_selectors.dialogue_figures(w["x"], START, END)["raised"]


def test_schema_lists_the_dashboard_routes(w, reviewer_x):
    api = APIClient()
    api.force_authenticate(reviewer_x)
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()
    for series in SERIES:
        assert f"/api/v1/dashboard/{series}/" in schema["paths"]


# --- A fixed number of queries ------------------------------------------------------------------


def many(n):
    """A province with one district of ``n`` communes, each with a report, a dialogue with a
    petition, a reception, two supervisions and a score sheet."""
    p = UnitFactory(name=f"Tỉnh {n}", kind=UnitKind.PROVINCE)
    district = UnitFactory(name=f"Huyện {n}", kind=UnitKind.DISTRICT, parent=p)
    install_defaults(p)
    period = make_period(p)
    cs = criteria_set(p, [("Tốt", 80), ("Khá", 0)])
    for i in range(n):
        commune = UnitFactory(name=f"Xã {n}-{i}", kind=UnitKind.COMMUNE, parent=district)
        session(commune, START + dt.timedelta(days=i % 200), petitions=[(PetitionStatus.NEW, TODAY)])
        session(commune, PREV_START + dt.timedelta(days=i % 200))
        reception(commune, START + dt.timedelta(days=i % 200), 3)
        inspection(commune, START + dt.timedelta(days=i % 200), "dat_dai")
        community(commune, START + dt.timedelta(days=i % 200), "xay_dung", "ngan_sach_nha_nuoc")
        sheet(commune, period, cs, "Tốt" if i % 2 else "")
        services.report_open(actor=None, unit=commune, period=period)
    user = GrantFactory(user=UserFactory(username=f"bcd.{n}"), unit=p, role="steering").user
    return p, district, period, user


def own_queries(captured) -> list[str]:
    """The queries of the view itself: without the session write that the session-timeout
    middleware makes on every signed-in request (and its savepoints)."""
    return [
        q["sql"]
        for q in captured
        if not (
            q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) or q["sql"].startswith('UPDATE "django_session"')
        )
    ]


def count_queries(client, url, params) -> tuple[int, int]:
    client.get(url, params)  # warm up: session, language
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), len(own_queries(ctx.captured_queries))


PAGE_BUDGET = 15


def test_page_and_api_queries_do_not_grow_with_units(client, db):
    counts = {}
    for n in (1, 50):
        p, district, period, user = many(n)
        client.force_login(user)
        for scope in (p, district):
            params = {"scope": scope.pk, "period": period.pk}
            counts[(n, scope.kind, "page")] = count_queries(client, reverse("dashboard"), params)
            for series in SERIES:
                counts[(n, scope.kind, series)] = count_queries(client, reverse(f"api-dashboard-{series}"), params)
        page = client.get(reverse("dashboard"), {"scope": district.pk, "period": period.pk})
        assert len(page.context["figures"]["petitions"]["rows"]) == n
        assert page.context["figures"]["dialogues"]["sessions"] == n
    for (n, kind, what), value in counts.items():
        if n == 50:
            assert value == counts[(1, kind, what)], (kind, what, value, counts[(1, kind, what)])
    for (_n, _kind, what), (_total, own) in counts.items():
        if what == "page":
            assert own <= PAGE_BUDGET, own
        else:
            assert own <= 9, (what, own)


def test_series_are_shared_for_the_cache_time_and_say_when_they_were_computed(
    client, w, steering_p, settings, django_assert_max_num_queries
):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    client.force_login(steering_p)
    url = f"/api/v1/dashboard/petitions/?scope={w['p'].pk}&period={w['period'].pk}"
    first = client.get(url).json()
    # A new petition: not seen until the cached series expires, and the answer keeps its time.
    session(w["a"], START + dt.timedelta(days=3), petitions=[("new", None)])
    with django_assert_max_num_queries(5):  # session, user, grants, scope, period: no figures
        again = client.get(url).json()
    assert again == first
    cache.clear()
    fresh = client.get(url).json()
    assert fresh["total"]["raised"] == first["total"]["raised"] + 1
    assert fresh["as_of"] >= first["as_of"]
    # The page shows the time of its oldest series.
    page = client.get(reverse("dashboard"), {"scope": w["p"].pk, "period": w["period"].pk})
    assert page.status_code == 200
    assert "Số liệu tính đến" in page.content.decode()
