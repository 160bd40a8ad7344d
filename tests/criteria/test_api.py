"""/api/v1/criteria-sets/, score-sheets/ (with the scoring actions) and evidence/: scoping,
the criteria tree, the actions with their 403/404/409/400 answers, and publishing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from criteria.models import Evidence, ScoreSheet
from tests.criteria.matrix_ranking import make_period, make_sheet, small_set
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def grant(unit, role, username):
    return GrantFactory(user=UserFactory(username=username), unit=unit, role=role).user


@pytest.fixture
def w():
    p = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    q = UnitFactory(name="Tỉnh Phú Thọ", kind=UnitKind.PROVINCE)
    x = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, parent=p)
    y = UnitFactory(name="Huyện Kim Bôi", kind=UnitKind.DISTRICT, parent=p)
    a = UnitFactory(name="Xã Ân Nghĩa", kind=UnitKind.COMMUNE, parent=x)
    b = UnitFactory(name="Xã Cuối Hạ", kind=UnitKind.COMMUNE, parent=y)
    cs = small_set(p)
    draft_set = small_set(p, publish=False, name="Bộ tiêu chí dự thảo")
    national_draft = small_set(None, publish=False, name="Bộ tiêu chí quốc gia dự thảo")
    q_draft = small_set(q, publish=False, name="Bộ tiêu chí dự thảo tỉnh Q")
    period = make_period(p)
    draft = make_sheet(a, period, cs, self_total=80)
    other = make_sheet(b, period, cs, self_total=70, status="submitted")
    users = {
        "rep_a": grant(a, "reporter", "rep_a"),
        "rep_b": grant(b, "reporter", "rep_b"),
        "rev_x": grant(x, "reviewer", "rev_x"),
        "st_p": grant(p, "steering", "st_p"),
        "st_q": grant(q, "steering", "st_q"),
    }
    line = draft.lines.order_by("criterion__order").first()
    evidence = Evidence.objects.create(
        line=line, file="evidence/1/bien-ban.pdf", original_name="bien-ban.pdf", size=2048, kind="muc_luc"
    )
    return {
        "units": {"p": p, "q": q, "x": x, "a": a, "b": b},
        "set": cs,
        "draft_set": draft_set,
        "national_draft": national_draft,
        "q_draft": q_draft,
        "period": period,
        "draft": draft,
        "other": other,
        "evidence": evidence,
        "users": users,
    }


def post(user, url, body=None):
    return api(user).post(url, body or {}, format="json")


def lines(sheet):
    return {ln.criterion.code: ln.pk for ln in sheet.lines.select_related("criterion")}


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Criteria sets -------------------------------------------------------------------------


def test_published_sets_for_everyone_drafts_for_the_provinces_steering(w):
    names = {s["name"] for s in results(api(w["users"]["rep_a"]).get("/api/v1/criteria-sets/"))}
    assert names == {"Bộ tiêu chí thử (xã)"}
    names = {s["name"] for s in results(api(w["users"]["st_p"]).get("/api/v1/criteria-sets/"))}
    assert names == {"Bộ tiêu chí thử (xã)", "Bộ tiêu chí dự thảo"}
    assert api(w["users"]["st_q"]).get(f"/api/v1/criteria-sets/{w['draft_set'].pk}/").status_code == 404
    assert api(w["users"]["rev_x"]).get(f"/api/v1/criteria-sets/{w['draft_set'].pk}/").status_code == 404
    assert api(w["users"]["st_p"]).get(f"/api/v1/criteria-sets/{w['national_draft'].pk}/").status_code == 404
    superuser = UserFactory(username="root", is_superuser=True)
    every = {s["name"] for s in results(api(superuser).get("/api/v1/criteria-sets/"))}
    assert "Bộ tiêu chí quốc gia dự thảo" in every
    assert api().get("/api/v1/criteria-sets/").status_code == 403


def test_a_set_with_its_criteria_tree_and_bands(w):
    response = api(w["users"]["rep_b"]).get(f"/api/v1/criteria-sets/{w['set'].pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "published"
    assert data["applies_to_label"] == "Xã, phường, thị trấn"
    [group] = data["criteria"]
    assert (group["code"], group["is_group"]) == ("I", True)
    assert [(c["code"], c["max_points"], c["children"]) for c in group["children"]] == [
        ("1", "60.00", []),
        ("2", "40.00", []),
    ]
    assert [(b["label"], b["min_score"]) for b in data["bands"]] == [
        ("Xuất sắc", "90.00"),
        ("Tốt", "80.00"),
        ("Khá", "65.00"),
        ("Trung bình", "50.00"),
        ("Yếu", "0.00"),
    ]


def test_set_filters(w):
    client = api(w["users"]["st_p"])
    assert {s["name"] for s in results(client.get("/api/v1/criteria-sets/", {"status": "draft"}))} == {
        "Bộ tiêu chí dự thảo"
    }
    assert results(client.get("/api/v1/criteria-sets/", {"year": 2023})) == []
    assert len(results(client.get("/api/v1/criteria-sets/", {"year": 2026, "applies_to": "commune"}))) == 2


# --- Score sheets: reading ------------------------------------------------------------------


def test_sheets_are_scoped(w):
    assert [s["unit_name"] for s in results(api(w["users"]["rep_a"]).get("/api/v1/score-sheets/"))] == ["Xã Ân Nghĩa"]
    assert [s["unit_name"] for s in results(api(w["users"]["rev_x"]).get("/api/v1/score-sheets/"))] == ["Xã Ân Nghĩa"]
    assert {s["unit_name"] for s in results(api(w["users"]["st_p"]).get("/api/v1/score-sheets/"))} == {
        "Xã Ân Nghĩa",
        "Xã Cuối Hạ",
    }
    assert results(api(w["users"]["st_q"]).get("/api/v1/score-sheets/")) == []
    assert api(w["users"]["rep_b"]).get(f"/api/v1/score-sheets/{w['draft'].pk}/").status_code == 404
    assert api().get("/api/v1/score-sheets/").status_code == 403


def test_sheet_filters(w):
    client = api(w["users"]["st_p"])
    by_unit = results(client.get("/api/v1/score-sheets/", {"unit": w["units"]["x"].pk}))
    assert [s["unit_name"] for s in by_unit] == ["Xã Ân Nghĩa"]
    assert [s["unit_name"] for s in results(client.get("/api/v1/score-sheets/", {"status": "submitted"}))] == [
        "Xã Cuối Hạ"
    ]
    assert len(results(client.get("/api/v1/score-sheets/", {"period": w["period"].pk}))) == 2
    # A unit filter never widens the scope.
    assert results(api(w["users"]["rep_a"]).get("/api/v1/score-sheets/", {"unit": w["units"]["b"].pk})) == []


def test_a_sheet_with_its_lines_and_evidence_metadata(w):
    response = api(w["users"]["rev_x"]).get(f"/api/v1/score-sheets/{w['draft'].pk}/")
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["self_total"], data["self_class"]) == ("draft", "80.00", "Tốt")
    assert [(ln["code"], ln["self_points"], ln["max_points"]) for ln in data["lines"]] == [
        ("1", "60.00", "60.00"),
        ("2", "20.00", "40.00"),
    ]
    [evidence] = data["lines"][0]["evidence"]
    assert evidence["original_name"] == "bien-ban.pdf"
    assert evidence["size"] == 2048
    assert evidence["kind"] == "muc_luc"
    assert evidence["uploaded_at"]
    assert evidence["download_url"] == f"http://testserver/minh-chung/{w['evidence'].pk}/"
    assert "file" not in evidence  # the storage path never leaks
    assert data["missing_evidence"] == []


def test_evidence_metadata_is_scoped(w):
    rows = results(api(w["users"]["rep_a"]).get("/api/v1/evidence/"))
    assert [(e["id"], e["sheet"]) for e in rows] == [(w["evidence"].pk, w["draft"].pk)]
    assert results(api(w["users"]["rep_b"]).get("/api/v1/evidence/")) == []
    assert api(w["users"]["rep_b"]).get(f"/api/v1/evidence/{w['evidence'].pk}/").status_code == 404
    assert api(w["users"]["st_p"]).get(f"/api/v1/evidence/{w['evidence'].pk}/").status_code == 200
    assert results(api(w["users"]["st_p"]).get("/api/v1/evidence/", {"sheet": w["other"].pk})) == []


# --- Score sheets: actions ------------------------------------------------------------------


def self_score(client, sheet, points, version=None, notes=None):
    ids = lines(sheet)
    body = {
        "version": sheet.version if version is None else version,
        "lines": [{"line": ids[code], "points": p, "note": (notes or {}).get(code, "")} for code, p in points.items()],
    }
    return client.post(f"/api/v1/score-sheets/{sheet.pk}/self-score/", body, format="json")


def test_self_score_submit_review_publish_appeal(w):
    rep, rev, st = (api(w["users"][k]) for k in ("rep_a", "rev_x", "st_p"))
    sheet = w["draft"]
    response = self_score(rep, sheet, {"1": "55", "2": "32"}, notes={"1": "Đủ 14 nội dung"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["self_total"], data["self_class"], data["version"]) == ("87.00", "Tốt", sheet.version + 1)
    assert data["lines"][0]["self_note"] == "Đủ 14 nội dung"

    response = rep.post(f"/api/v1/score-sheets/{sheet.pk}/submit/", {"version": data["version"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"

    sheet.refresh_from_db()
    ids = lines(sheet)
    body = {
        "version": sheet.version,
        "lines": [
            {"line": ids["1"], "points": "48", "note": "Thiếu biên bản hội nghị"},
            {"line": ids["2"], "points": "30", "note": "Chưa đủ số cuộc giám sát"},
        ],
    }
    response = rev.post(f"/api/v1/score-sheets/{sheet.pk}/review/", body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["review_total"], data["review_class"]) == ("reviewed", "78.00", "Khá")
    assert (data["self_total"], data["self_class"]) == ("87.00", "Tốt")  # both kept

    response = st.post("/api/v1/score-sheets/publish/", {"ids": [sheet.pk, w["other"].pk]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"published": 1, "skipped": 1}  # the other one was not reviewed
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.PUBLISHED
    assert sheet.is_locked

    # Locked: no more self-scoring or re-scoring.
    again = self_score(rep, sheet, {"1": "60"})
    assert again.status_code == 400
    assert "Đã công bố" in again.json()["non_field_errors"][0]

    response = rep.post(f"/api/v1/score-sheets/{sheet.pk}/appeal/", {"note": "Đề nghị xem xét lại"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["appeal"] == "requested"
    response = rep.post(f"/api/v1/score-sheets/{sheet.pk}/appeal/", {"note": "Lần hai"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Mỗi phiếu chỉ được đề nghị xem xét lại một lần."]


def test_who_may_do_what(w):
    sheet, other = w["draft"], w["other"]
    # Visible but not allowed: 403; out of sight: 404.
    assert self_score(api(w["users"]["rev_x"]), sheet, {"1": "50"}).status_code == 403
    assert self_score(api(w["users"]["st_p"]), sheet, {"1": "50"}).status_code == 403
    assert self_score(api(w["users"]["rep_b"]), sheet, {"1": "50"}).status_code == 404
    assert (
        api(w["users"]["rep_b"]).post(f"/api/v1/score-sheets/{other.pk}/review/", {}, format="json").status_code == 403
    )
    assert (
        api(w["users"]["rev_x"]).post(f"/api/v1/score-sheets/{other.pk}/review/", {}, format="json").status_code == 404
    )
    assert (
        api(w["users"]["rev_x"]).post(f"/api/v1/score-sheets/{sheet.pk}/submit/", {}, format="json").status_code == 403
    )
    response = api(w["users"]["rep_a"]).post(f"/api/v1/score-sheets/{sheet.pk}/return/", {"reason": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn chỉ được xem phiếu này, không được trả lại."
    assert api(w["users"]["rep_a"]).post("/api/v1/score-sheets/999999/submit/", {}, format="json").status_code == 404
    assert api().post(f"/api/v1/score-sheets/{sheet.pk}/submit/", {}, format="json").status_code == 403
    sheet.refresh_from_db()
    assert (sheet.status, sheet.self_total) == ("draft", Decimal("80"))


def test_a_stale_version_answers_409(w):
    sheet = w["draft"]
    rep = api(w["users"]["rep_a"])
    assert self_score(rep, sheet, {"1": "50"}).status_code == 200
    response = self_score(rep, sheet, {"1": "40"})  # still the version read before
    assert response.status_code == 409
    assert response.json()["version"] == sheet.version + 1
    sheet.refresh_from_db()
    assert lines_points(sheet)["1"] == Decimal("50")
    response = rep.post(f"/api/v1/score-sheets/{sheet.pk}/submit/", {"version": 1}, format="json")
    assert response.status_code == 409
    # Review: a version read before another reviewer's save.
    other = w["other"]
    body = {"version": other.version + 5, "lines": []}
    response = api(w["users"]["st_p"]).post(f"/api/v1/score-sheets/{other.pk}/review/", body, format="json")
    assert response.status_code == 409


def lines_points(sheet):
    return {ln.criterion.code: ln.self_points for ln in sheet.lines.select_related("criterion")}


def test_service_errors_answer_400_in_vietnamese(w):
    rep = api(w["users"]["rep_a"])
    response = self_score(rep, w["draft"], {"1": "61", "2": "10.3"})
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "Điểm tự chấm tiêu chí 1 phải từ 0 đến 60.",
        "Điểm tự chấm tiêu chí 2 phải là bội của 0,5.",
    ]
    # A line of another sheet.
    foreign = lines(w["other"])["1"]
    body = {"version": w["draft"].version, "lines": [{"line": foreign, "points": "1"}]}
    response = rep.post(f"/api/v1/score-sheets/{w['draft'].pk}/self-score/", body, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Dòng chấm điểm không thuộc phiếu này."]
    # Input that is not even a number.
    body = {"version": w["draft"].version, "lines": [{"line": lines(w["draft"])["1"], "points": "nhiều"}]}
    assert rep.post(f"/api/v1/score-sheets/{w['draft'].pk}/self-score/", body, format="json").status_code == 400
    # Review: a changed score needs a note.
    other = w["other"]
    body = {"version": other.version, "lines": [{"line": lines(other)["1"], "points": "40"}]}
    response = api(w["users"]["st_p"]).post(f"/api/v1/score-sheets/{other.pk}/review/", body, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "Tiêu chí 1: điểm thẩm định khác điểm tự chấm thì phải ghi nhận xét."
    ]
    # Return without a reason.
    response = api(w["users"]["st_p"]).post(f"/api/v1/score-sheets/{other.pk}/return/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Hãy ghi lý do trả lại."]}
    # Submitting a sheet already submitted.
    response = api(w["users"]["rep_b"]).post(f"/api/v1/score-sheets/{other.pk}/submit/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Phiếu đang ở trạng thái “Đã gửi”, không thực hiện được."]
    other.refresh_from_db()
    assert (other.status, other.review_total) == ("submitted", None)


def test_return_to_draft(w):
    other = w["other"]
    response = api(w["users"]["st_p"]).post(
        f"/api/v1/score-sheets/{other.pk}/return/", {"reason": "Bổ sung minh chứng"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    assert "Trả lại: Bổ sung minh chứng" in response.json()["note"]


def test_publish_is_for_the_steering_committee(w):
    other = w["other"]
    body = {
        "version": other.version,
        "lines": [{"line": lines(other)["1"], "points": "50", "note": "Đúng"}],
    }
    assert (
        api(w["users"]["st_p"]).post(f"/api/v1/score-sheets/{other.pk}/review/", body, format="json").status_code == 200
    )
    url = "/api/v1/score-sheets/publish/"
    assert api(w["users"]["rev_x"]).post(url, {"ids": [other.pk]}, format="json").status_code == 403
    assert api(w["users"]["rep_b"]).post(url, {"ids": [other.pk]}, format="json").status_code == 403
    assert api(w["users"]["st_q"]).post(url, {"ids": [other.pk]}, format="json").status_code == 404
    assert api(w["users"]["st_p"]).post(url, {"ids": []}, format="json").status_code == 400
    # One id out of sight: nothing is published.
    assert api(w["users"]["st_p"]).post(url, {"ids": [other.pk, 999999]}, format="json").status_code == 404
    other.refresh_from_db()
    assert other.status == "reviewed"
    response = api(w["users"]["st_p"]).post(url, {"ids": [other.pk]}, format="json")
    assert response.json() == {"published": 1, "skipped": 0}
    other.refresh_from_db()
    assert other.status == "published"
    assert other.published_at is not None


def test_the_schema_lists_the_routes(w):
    response = api(w["users"]["rep_a"]).get("/api/v1/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/v1/criteria-sets/{id}/",
        "/api/v1/score-sheets/{id}/self-score/",
        "/api/v1/score-sheets/{id}/return/",
        "/api/v1/score-sheets/publish/",
        "/api/v1/evidence/",
    ):
        assert path in text
