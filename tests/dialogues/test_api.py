"""/api/v1/ for dialogue sessions, petitions, citizen reception and their figures."""

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dialogues import selectors
from dialogues.models import (
    DialogueSession,
    Level,
    Petition,
    PetitionEvent,
    PetitionStatus,
    ReceptionKind,
    ReceptionSession,
)
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def pks(response):
    return {row["id"] for row in results(response)}


@pytest.fixture
def reporter_b(tree):
    return GrantFactory(user=UserFactory(username="reporter.b"), unit=tree["commune_b"], role="reporter").user


@pytest.fixture
def hamlet_a(tree):
    return UnitFactory(name="Thôn Chiềng", kind=UnitKind.HAMLET, official_type="thon", parent=tree["commune_a"])


def make_session(unit, held_on=None, **extra):
    data = {
        "unit": unit,
        "level": Level.COMMUNE,
        "held_on": held_on or TODAY - 10 * DAY,
        "chair_role": "chu_tich_ubnd",
        "chair_name": "Nguyễn Văn Chủ",
        "scope": "chuyen_de",
        "trigger": "dinh_ky",
        "topic": "Giải phóng mặt bằng",
        "participants": 40,
    }
    data.update(extra)
    return DialogueSession.objects.create(**data)


def make_petition(unit, session=None, **extra):
    data = {
        "unit": unit,
        "session": session,
        "raised_on": session.held_on if session else TODAY - 10 * DAY,
        "content": "Đường liên thôn xuống cấp",
        "field": "ha_tang",
    }
    data.update(extra)
    petition = Petition.objects.create(**data)
    PetitionEvent.objects.create(petition=petition, kind=PetitionEvent.Kind.CREATED, to_status=petition.status)
    return petition


def assigned(unit, session=None, **extra):
    five = {
        "status": PetitionStatus.ASSIGNED,
        "assignee_person": "Ông Bình",
        "task": "Sửa đường",
        "deadline": TODAY + 30 * DAY,
        "responsible_unit": "UBND xã",
    }
    return make_petition(unit, session, **{**five, **extra})


def session_payload(unit, **extra):
    data = {
        "unit": unit.pk,
        "held_on": str(TODAY - 3 * DAY),
        "topic": "Đối thoại về đất đai",
        "scope": "chuyen_de",
        "trigger": "dinh_ky",
        "format": "truc_tiep",
        "chair_role": "chu_tich_ubnd",
        "chair_name": "Trần Văn An",
        "co_organizers": ["mttq", "hdnd"],
        "participants": 55,
    }
    data.update(extra)
    return data


ROW_ANSWERED = {
    "content": "Xin cấp giấy chứng nhận quyền sử dụng đất",
    "field": "dat_dai",
    "citizen_name": "Bà Lan",
    "answered_at_session": True,
    "result": "Đã hướng dẫn thủ tục tại hội nghị",
}
ROW_ASSIGNED = {
    "content": "Mương thoát nước bị tắc",
    "field": "ha_tang",
    "assignee_person": "Ông Hùng",
    "task": "Nạo vét mương",
    "deadline": str(TODAY + 20 * DAY),
    "responsible_unit": "Ban địa chính",
}


def nothing_saved():
    return not DialogueSession.objects.exists() and not Petition.objects.exists()


# --- /api/v1/dialogues/ ------------------------------------------------------------------


def test_dialogues_are_scoped(tree, reporter, reporter_b, reviewer):
    session_a = make_session(tree["commune_a"])
    session_b = make_session(tree["commune_b"])
    make_session(tree["commune_c"])
    assert pks(api(reporter_b).get("/api/v1/dialogues/")) == {session_b.pk}
    assert api(reporter_b).get(f"/api/v1/dialogues/{session_a.pk}/").status_code == 404
    assert pks(api(reporter).get("/api/v1/dialogues/")) == {session_a.pk}
    assert pks(api(reviewer).get("/api/v1/dialogues/")) == {session_a.pk, session_b.pk}


def test_dialogue_detail_has_petition_summary(tree, reporter):
    session = make_session(tree["commune_a"])
    petition = assigned(tree["commune_a"], session)
    data = api(reporter).get(f"/api/v1/dialogues/{session.pk}/").json()
    assert data["topic"] == "Giải phóng mặt bằng"
    assert data["unit"] == tree["commune_a"].pk
    assert data["version"] == 1
    assert data["petitions"] == [
        {"id": petition.pk, "status": "assigned", "deadline": str(petition.deadline)},
    ]


def test_dialogue_filters(tree, reviewer):
    old = make_session(tree["commune_a"], held_on=TODAY - 100 * DAY)
    recent = make_session(tree["commune_a"], held_on=TODAY - 5 * DAY)
    other = make_session(tree["commune_b"], held_on=TODAY - 5 * DAY)
    client = api(reviewer)
    assert pks(client.get("/api/v1/dialogues/", {"unit": tree["commune_a"].pk})) == {old.pk, recent.pk}
    assert pks(client.get("/api/v1/dialogues/", {"held_from": str(TODAY - 10 * DAY)})) == {recent.pk, other.pk}
    assert pks(client.get("/api/v1/dialogues/", {"held_to": str(TODAY - 50 * DAY)})) == {old.pk}


def test_dialogue_create_with_petitions(tree, reporter):
    payload = session_payload(tree["commune_a"], petitions=[ROW_ANSWERED, ROW_ASSIGNED])
    response = api(reporter).post("/api/v1/dialogues/", payload, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    session = DialogueSession.objects.get(pk=data["id"])
    assert session.unit == tree["commune_a"]
    assert session.level == Level.COMMUNE
    assert session.created_by == reporter
    assert session.co_organizers == ["mttq", "hdnd"]
    assert not session.minutes_file
    petitions = list(session.petitions.order_by("pk"))
    assert [p.status for p in petitions] == [PetitionStatus.EXPLAINED, PetitionStatus.ASSIGNED]
    assert all(p.unit == tree["commune_a"] and p.raised_on == session.held_on for p in petitions)
    assert petitions[1].deadline == TODAY + 20 * DAY
    for petition in petitions:
        event = petition.events.get()
        assert (event.kind, event.actor, event.to_status) == ("created", reporter, petition.status)
    assert [row["id"] for row in data["petitions"]] == [p.pk for p in petitions]
    assert [row["status"] for row in data["petitions"]] == ["explained", "assigned"]


def test_dialogue_create_without_petitions(tree, reporter):
    response = api(reporter).post("/api/v1/dialogues/", session_payload(tree["commune_a"]), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["petitions"] == []
    assert DialogueSession.objects.count() == 1


def test_dialogue_create_invalid_petition_row(tree, reporter):
    bad = {**ROW_ANSWERED, "result": ""}  # answered at the session, but no answer written
    payload = session_payload(tree["commune_a"], petitions=[ROW_ASSIGNED, bad])
    response = api(reporter).post("/api/v1/dialogues/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["petitions"][0] == {}
    assert errors["petitions"][1]["result"] == ["Đã trả lời tại hội nghị thì phải ghi nội dung trả lời."]
    assert nothing_saved()


def test_dialogue_create_petition_row_missing_content(tree, reporter):
    payload = session_payload(tree["commune_a"], petitions=[ROW_ASSIGNED, ROW_ASSIGNED, {"field": "khac"}])
    response = api(reporter).post("/api/v1/dialogues/", payload, format="json")
    assert response.status_code == 400
    rows = response.json()["petitions"]
    assert rows[:2] == [{}, {}]
    assert "content" in rows[2]
    assert nothing_saved()


def test_dialogue_create_session_and_row_errors_together(tree, reporter):
    payload = session_payload(tree["commune_a"], held_on=str(TODAY + DAY), petitions=[{**ROW_ANSWERED, "result": ""}])
    response = api(reporter).post("/api/v1/dialogues/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["held_on"] == ["Hội nghị đã tổ chức không thể có ngày ở tương lai."]
    assert "result" in errors["petitions"][0]
    assert nothing_saved()


def test_dialogue_create_unit_out_of_scope(tree, reporter):
    payload = session_payload(tree["commune_b"], petitions=[ROW_ASSIGNED])
    response = api(reporter).post("/api/v1/dialogues/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["unit"] == ["Hãy chọn một đơn vị trong phạm vi của bạn."]
    assert nothing_saved()


def test_dialogue_create_by_reviewer_is_403(tree, reviewer):
    response = api(reviewer).post("/api/v1/dialogues/", session_payload(tree["commune_a"]), format="json")
    assert response.status_code == 403
    assert nothing_saved()


def test_dialogue_create_enterprise_needs_representatives(tree, reporter):
    firm = UnitFactory(name="Công ty TNHH May", kind=UnitKind.ENTERPRISE, parent=tree["commune_a"])
    response = api(reporter).post("/api/v1/dialogues/", session_payload(firm, employer_reps=2), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert {"employer_reps", "employee_reps"} <= set(errors)
    response = api(reporter).post(
        "/api/v1/dialogues/", session_payload(firm, employer_reps=3, employee_reps=5), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["level"] == Level.ENTERPRISE


def test_dialogue_patch(tree, reporter):
    session = make_session(tree["commune_a"])
    client = api(reporter)
    response = client.patch(f"/api/v1/dialogues/{session.pk}/", {"participants": 70, "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["participants"] == 70
    assert response.json()["version"] == 2
    session.refresh_from_db()
    assert (session.participants, session.topic, session.version) == (70, "Giải phóng mặt bằng", 2)
    # The version read before that edit is stale now.
    response = client.patch(f"/api/v1/dialogues/{session.pk}/", {"participants": 1, "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["version"] == 2
    assert "người khác cập nhật" in response.json()["detail"]
    missing = client.patch(f"/api/v1/dialogues/{session.pk}/", {"participants": 1}, format="json")
    assert missing.status_code == 400
    assert "version" in missing.json()
    session.refresh_from_db()
    assert session.participants == 70


def test_dialogue_put_validates_with_the_form(tree, reporter):
    session = make_session(tree["commune_a"])
    payload = session_payload(tree["commune_a"], held_on=str(TODAY + 2 * DAY), version=1)
    response = api(reporter).put(f"/api/v1/dialogues/{session.pk}/", payload, format="json")
    assert response.status_code == 400
    assert "held_on" in response.json()
    payload = session_payload(tree["commune_b"], version=1)
    response = api(reporter).put(f"/api/v1/dialogues/{session.pk}/", payload, format="json")
    assert response.status_code == 400
    assert "unit" in response.json()
    session.refresh_from_db()
    assert (session.unit, session.version) == (tree["commune_a"], 1)


def test_dialogue_update_denied(tree, reviewer, reporter_b):
    session = make_session(tree["commune_a"])
    body = {"participants": 9, "version": 1}
    assert api(reviewer).patch(f"/api/v1/dialogues/{session.pk}/", body, format="json").status_code == 403
    assert api(reporter_b).patch(f"/api/v1/dialogues/{session.pk}/", body, format="json").status_code == 404
    session.refresh_from_db()
    assert (session.participants, session.version) == (40, 1)


# --- /api/v1/petitions/ ------------------------------------------------------------------


@pytest.fixture
def petitions(tree, hamlet_a):
    a, b, c = tree["commune_a"], tree["commune_b"], tree["commune_c"]
    session = make_session(a, held_on=TODAY - 40 * DAY)
    return {
        "session": session,
        "new_a": make_petition(a, session, raised_on=TODAY - 40 * DAY),
        "overdue_a": assigned(a, session, deadline=TODAY - DAY, raised_on=TODAY - 40 * DAY, field="dat_dai"),
        "resolved_a": assigned(a, status=PetitionStatus.RESOLVED, deadline=TODAY - 5 * DAY, raised_on=TODAY - 20 * DAY),
        "hamlet": make_petition(hamlet_a, raised_on=TODAY - 5 * DAY, field="moi_truong"),
        "progress_b": assigned(b, status=PetitionStatus.IN_PROGRESS, deadline=TODAY - 3 * DAY),
        # Received in commune C (district Y) and transferred to commune A.
        "from_c": make_petition(c, status=PetitionStatus.TRANSFERRED, transferred_to=a, raised_on=TODAY - 2 * DAY),
    }


def ids(p, *names):
    return {p[n].pk for n in names}


def test_petitions_are_scoped(petitions, reporter, reporter_b, reviewer, steering):
    p = petitions
    assert pks(api(reporter).get("/api/v1/petitions/")) == ids(
        p, "new_a", "overdue_a", "resolved_a", "hamlet", "from_c"
    )
    assert pks(api(reporter_b).get("/api/v1/petitions/")) == ids(p, "progress_b")
    assert api(reporter_b).get(f"/api/v1/petitions/{p['new_a'].pk}/").status_code == 404
    assert pks(api(reviewer).get("/api/v1/petitions/")) == ids(
        p, "new_a", "overdue_a", "resolved_a", "hamlet", "progress_b", "from_c"
    )
    assert len(pks(api(steering).get("/api/v1/petitions/"))) == 6


def test_petition_detail_has_events(petitions, reporter):
    petition = petitions["overdue_a"]
    data = api(reporter).get(f"/api/v1/petitions/{petition.pk}/").json()
    assert data["status"] == "assigned"
    assert data["is_overdue"] is True
    assert data["five_clear_missing"] == ["rõ kết quả"]
    assert data["events"] == [
        {
            "at": data["events"][0]["at"],
            "actor": None,
            "kind": "created",
            "from_status": "",
            "to_status": "assigned",
            "note": "",
        }
    ]
    assert "events" not in results(api(reporter).get("/api/v1/petitions/"))[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "new"}, {"new_a", "hamlet"}),
        ({"status": "assigned"}, {"overdue_a"}),
        ({"status": "transferred"}, {"from_c"}),
        ({"status": "open"}, {"new_a", "overdue_a", "hamlet", "progress_b"}),
        ({"overdue": "true"}, {"overdue_a", "progress_b"}),
        ({"overdue": "false"}, {"new_a", "resolved_a", "hamlet", "from_c"}),
        ({"status": "open", "overdue": "false"}, {"new_a", "hamlet"}),
        ({"field": "dat_dai"}, {"overdue_a"}),
        ({"unit": "commune_a"}, {"new_a", "overdue_a", "resolved_a", "hamlet", "from_c"}),
        ({"unit": "hamlet"}, {"hamlet"}),
        ({"unit": "commune_b"}, {"progress_b"}),
        # District Y is out of the reviewer's scope: the filter narrows to what was received
        # there and transferred into the scope, never wider.
        ({"unit": "district_y"}, {"from_c"}),
        ({"raised_from": -20}, {"resolved_a", "hamlet", "progress_b", "from_c"}),
        ({"raised_to": -20}, {"new_a", "overdue_a", "resolved_a"}),
        ({"raised_from": -20, "raised_to": -5}, {"resolved_a", "hamlet", "progress_b"}),
        ({"session": "session"}, {"new_a", "overdue_a"}),
    ],
)
def test_petition_filters(tree, petitions, hamlet_a, reviewer, query, expected):
    params = {}
    for key, value in query.items():
        if key == "unit":
            value = (hamlet_a if value == "hamlet" else tree[value]).pk
        elif key == "session":
            value = petitions["session"].pk
        elif key.startswith("raised_"):
            value = str(TODAY + value * DAY)
        params[key] = value
    assert pks(api(reviewer).get("/api/v1/petitions/", params)) == ids(petitions, *expected)


def test_petition_overdue_filter_matches_the_queryset(petitions, steering):
    listed = pks(api(steering).get("/api/v1/petitions/", {"overdue": "true"}))
    assert listed == set(Petition.objects.overdue().values_list("pk", flat=True))


def test_petition_filter_bad_values(petitions, reviewer):
    client = api(reviewer)
    assert client.get("/api/v1/petitions/", {"status": "planet"}).status_code == 400
    assert client.get("/api/v1/petitions/", {"raised_from": "tomorrow"}).status_code == 400
    assert pks(client.get("/api/v1/petitions/", {"unit": 10**8})) == set()


# --- Petition actions --------------------------------------------------------------------


def act(client, petition, action, **data):
    return client.post(f"/api/v1/petitions/{petition.pk}/{action}/", data, format="json")


FIVE = {
    "assignee_person": "Bà Hoa",
    "task": "Kiểm tra hiện trạng",
    "deadline": str(TODAY + 15 * DAY),
    "responsible_unit": "Công chức địa chính",
}


def test_assign_then_close(tree, reporter):
    petition = make_petition(tree["commune_a"])
    client = api(reporter)
    response = act(client, petition, "assign", version=1, note="Giao ngay", **FIVE)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["version"], data["assignee_person"]) == ("assigned", 2, "Bà Hoa")
    assert [e["kind"] for e in data["events"]] == ["created", "assigned"]
    assert data["events"][1]["actor"] == reporter.username
    assert data["events"][1]["note"] == "Giao ngay"

    # Closing without a result is refused by the form: nothing changes.
    response = act(client, petition, "close", version=2, status="resolved", result_date=str(TODAY))
    assert response.status_code == 400
    assert "result" in response.json()
    petition.refresh_from_db()
    assert (petition.status, petition.version, petition.events.count()) == ("assigned", 2, 2)

    # A stale version answers 409 and changes nothing.
    response = act(client, petition, "close", version=1, status="resolved", result="Đã sửa", result_date=str(TODAY))
    assert response.status_code == 409
    assert response.json()["version"] == 2
    petition.refresh_from_db()
    assert (petition.status, petition.version, petition.events.count()) == ("assigned", 2, 2)

    response = act(client, petition, "close", version=2, status="resolved", result="Đã sửa", result_date=str(TODAY))
    assert response.status_code == 200, response.content
    petition.refresh_from_db()
    assert (petition.status, petition.result, petition.result_date, petition.version) == (
        "resolved",
        "Đã sửa",
        TODAY,
        3,
    )
    assert response.json()["events"][-1]["kind"] == "closed"


def test_close_service_errors_are_400(tree, reporter):
    petition = make_petition(tree["commune_a"])  # no "5 rõ" yet
    response = act(
        api(reporter), petition, "close", version=1, status="resolved", result="Xong", result_date=str(TODAY)
    )
    assert response.status_code == 400
    assert "5 rõ" in response.json()["non_field_errors"][0]
    future = act(
        api(reporter), petition, "close", version=1, status="resolved", result="Xong", result_date=str(TODAY + DAY)
    )
    assert future.status_code == 400
    assert "result_date" in future.json()
    petition.refresh_from_db()
    assert (petition.status, petition.version) == ("new", 1)


def test_close_status_must_be_a_closing_one(tree, reporter):
    petition = assigned(tree["commune_a"])
    response = act(
        api(reporter), petition, "close", version=1, status="transferred", result="X", result_date=str(TODAY)
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_progress_and_reopen(tree, reporter):
    petition = assigned(tree["commune_a"], status=PetitionStatus.RESOLVED, result="Xong", result_date=TODAY)
    client = api(reporter)
    refused = act(client, petition, "progress", version=1, note="Đang làm")
    assert refused.status_code == 400
    assert refused.json()["non_field_errors"] == ["Kiến nghị đã kết thúc; hãy mở lại trước khi cập nhật."]
    assert act(client, petition, "reopen", version=1).status_code == 400  # a reason is required
    response = act(client, petition, "reopen", version=1, note="Người dân phản ánh chưa xong")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    response = act(client, petition, "progress", version=2, note="Đã khảo sát")
    assert response.status_code == 200
    assert [e["kind"] for e in response.json()["events"]] == ["created", "reopened", "status"]


def test_actions_denied(tree, petitions, reviewer, reporter_b):
    petition = petitions["new_a"]
    # The reviewer sees the petition but may not act on it; reporter B does not see it.
    assert api(reviewer).get(f"/api/v1/petitions/{petition.pk}/").status_code == 200
    assert act(api(reviewer), petition, "assign", version=1, **FIVE).status_code == 403
    assert act(api(reporter_b), petition, "assign", version=1, **FIVE).status_code == 404
    assert act(api(reporter_b), petition, "progress", version=1, note="x").status_code == 404
    petition.refresh_from_db()
    assert (petition.status, petition.version, petition.assignee_person) == ("new", 1, "")
    assert petition.events.count() == 1


def test_transfer_makes_the_petition_visible_to_the_receiving_unit(tree, reporter, reporter_b):
    petition = assigned(tree["commune_a"])
    assert petition.pk not in pks(api(reporter_b).get("/api/v1/petitions/"))
    no_reason = act(api(reporter), petition, "transfer", version=1, to_unit=tree["commune_b"].pk, note="")
    assert no_reason.status_code == 400
    self_transfer = act(api(reporter), petition, "transfer", version=1, to_unit=tree["commune_a"].pk, note="Vì")
    assert self_transfer.status_code == 400
    assert "to_unit" in self_transfer.json()
    response = act(
        api(reporter), petition, "transfer", version=1, to_unit=tree["commune_b"].pk, note="Thuộc thẩm quyền xã B"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "transferred"
    assert response.json()["transferred_to"] == tree["commune_b"].pk
    assert petition.pk in pks(api(reporter_b).get("/api/v1/petitions/"))
    assert petition.pk in pks(api(reporter_b).get("/api/v1/petitions/", {"unit": tree["commune_b"].pk}))
    assert api(reporter_b).get(f"/api/v1/petitions/{petition.pk}/").status_code == 200


# --- /api/v1/receptions/ -----------------------------------------------------------------


def reception_payload(unit, **extra):
    data = {
        "unit": unit.pk,
        "held_on": str(TODAY - 2 * DAY),
        "kind": "thuong_xuyen",
        "receiver_role": "can_bo_tiep_dan",
        "receiver_name": "Lê Thị Tiếp",
        "persons": 12,
        "cases_new": 3,
        "complaints": 1,
    }
    data.update(extra)
    return data


def make_reception(unit, held_on=None, kind=ReceptionKind.ROUTINE, **extra):
    data = {"unit": unit, "held_on": held_on or TODAY - 7 * DAY, "kind": kind, "receiver_role": "chu_tich_ubnd"}
    data.update({"persons": 5, **extra})
    return ReceptionSession.objects.create(**data)


def test_reception_create(tree, reporter):
    response = api(reporter).post("/api/v1/receptions/", reception_payload(tree["commune_a"]), format="json")
    assert response.status_code == 201, response.content
    reception = ReceptionSession.objects.get(pk=response.json()["id"])
    assert (reception.unit, reception.persons, reception.cases_new, reception.cases_old) == (
        tree["commune_a"],
        12,
        3,
        0,
    )
    assert reception.created_by == reporter
    assert response.json()["unit_name"] == tree["commune_a"].name


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"held_on": str(TODAY + DAY)}, "held_on"),
        ({"delegations": 1}, "delegation_persons"),
        ({"delegations": 1, "delegation_persons": 50}, "delegation_persons"),
        ({"kind": "hang_ngay"}, "kind"),
        ({"persons": -1}, "persons"),
    ],
)
def test_reception_create_invalid(tree, reporter, extra, field):
    response = api(reporter).post("/api/v1/receptions/", reception_payload(tree["commune_a"], **extra), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ReceptionSession.objects.exists()


def test_reception_create_denied(tree, reporter, reviewer):
    out = api(reporter).post("/api/v1/receptions/", reception_payload(tree["commune_b"]), format="json")
    assert out.status_code == 400
    assert out.json()["unit"] == ["Hãy chọn một đơn vị trong phạm vi của bạn."]
    refused = api(reviewer).post("/api/v1/receptions/", reception_payload(tree["commune_a"]), format="json")
    assert refused.status_code == 403
    assert not ReceptionSession.objects.exists()


def test_reception_read_and_update(tree, reporter, reporter_b, reviewer):
    reception = make_reception(tree["commune_a"], note="Cũ")
    url = f"/api/v1/receptions/{reception.pk}/"
    assert api(reviewer).get(url).json()["persons"] == 5
    assert api(reporter_b).get(url).status_code == 404
    assert api(reviewer).patch(url, {"persons": 8}, format="json").status_code == 403
    assert api(reporter_b).patch(url, {"persons": 8}, format="json").status_code == 404
    response = api(reporter).patch(url, {"persons": 8, "complaints": 2}, format="json")
    assert response.status_code == 200, response.content
    reception.refresh_from_db()
    assert (reception.persons, reception.complaints, reception.note) == (8, 2, "Cũ")
    bad = api(reporter).patch(url, {"delegation_persons": 9}, format="json")
    assert bad.status_code == 400
    assert "delegations" in bad.json()
    response = api(reporter).put(url, reception_payload(tree["commune_a"], persons=20), format="json")
    assert response.status_code == 200, response.content
    reception.refresh_from_db()
    assert (reception.persons, reception.note, reception.receiver_name) == (20, "", "Lê Thị Tiếp")


def test_reception_list_and_filters(tree, hamlet_a, reporter, reviewer):
    r1 = make_reception(tree["commune_a"], held_on=TODAY - 30 * DAY)
    r2 = make_reception(hamlet_a, held_on=TODAY - 3 * DAY, kind=ReceptionKind.PERIODIC_HEAD)
    r3 = make_reception(tree["commune_b"], held_on=TODAY - 3 * DAY, kind=ReceptionKind.AD_HOC)
    make_reception(tree["commune_c"])
    assert pks(api(reporter).get("/api/v1/receptions/")) == {r1.pk, r2.pk}
    client = api(reviewer)
    assert pks(client.get("/api/v1/receptions/")) == {r1.pk, r2.pk, r3.pk}
    assert pks(client.get("/api/v1/receptions/", {"unit": tree["commune_a"].pk})) == {r1.pk, r2.pk}
    assert pks(client.get("/api/v1/receptions/", {"unit": hamlet_a.pk})) == {r2.pk}
    assert pks(client.get("/api/v1/receptions/", {"held_from": str(TODAY - 10 * DAY)})) == {r2.pk, r3.pk}
    assert pks(client.get("/api/v1/receptions/", {"held_to": str(TODAY - 10 * DAY)})) == {r1.pk}
    assert pks(client.get("/api/v1/receptions/", {"kind": "dot_xuat"})) == {r3.pk}
    assert client.get("/api/v1/receptions/", {"kind": "planet"}).status_code == 400


# --- /api/v1/figures/ --------------------------------------------------------------------


@pytest.fixture
def figures_world(tree, hamlet_a):
    a, b, c = tree["commune_a"], tree["commune_b"], tree["commune_c"]
    s1 = make_session(a, held_on=TODAY - 20 * DAY, participants=30)
    s2 = make_session(hamlet_a, held_on=TODAY - 10 * DAY, participants=25, scope="toan_dien", trigger="vu_viec")
    s3 = make_session(b, held_on=TODAY - 5 * DAY, participants=12, level=Level.COMMUNE)
    make_session(c, held_on=TODAY - 5 * DAY, participants=99)  # other district
    make_session(a, held_on=TODAY - 400 * DAY, participants=77)  # out of the window
    make_petition(a, s1, answered_at_session=True, result="Trả lời", status=PetitionStatus.EXPLAINED)
    assigned(a, s1, deadline=TODAY - 2 * DAY)  # overdue
    assigned(hamlet_a, s2, status=PetitionStatus.RESOLVED, result="Xong")
    make_petition(b, s3, status=PetitionStatus.TRANSFERRED, transferred_to=c)
    make_petition(b, s3)
    make_reception(a, held_on=TODAY - 9 * DAY, persons=10, cases_new=2, cases_old=1, complaints=1)
    make_reception(hamlet_a, held_on=TODAY - 8 * DAY, kind=ReceptionKind.PERIODIC_HEAD, persons=4, cases_new=1)
    make_reception(
        b, held_on=TODAY - 7 * DAY, kind=ReceptionKind.AD_HOC, persons=7, delegations=1, delegation_persons=6
    )
    make_reception(c, held_on=TODAY - 7 * DAY, persons=100)
    make_reception(a, held_on=TODAY - 8 * DAY - 365 * DAY, persons=3, cases_new=5)  # a year earlier
    return tree


def window():
    return str(TODAY - 60 * DAY), str(TODAY)


def test_dialogue_figures_match_the_orm(figures_world, reviewer):
    unit = figures_world["district_x"]
    start, end = window()
    response = api(reviewer).get("/api/v1/figures/dialogues/", {"unit": unit.pk, "start": start, "end": end})
    assert response.status_code == 200, response.content
    data = response.json()
    sessions = DialogueSession.objects.filter(
        unit__path__startswith=unit.path, held_on__gte=TODAY - 60 * DAY, held_on__lte=TODAY
    )
    petitions = Petition.objects.filter(session__in=sessions)
    assert (data["unit"], data["start"], data["end"]) == (unit.pk, start, end)
    assert data["sessions"] == sessions.count() == 3
    assert data["participants"] == sessions.aggregate(n=Sum("participants"))["n"] == 67
    assert data["scope_toan_dien"] == sessions.filter(scope="toan_dien").count() == 1
    assert data["trigger_vu_viec"] == 1
    assert data["level_commune"] == 3
    assert data["raised"] == petitions.count() == 5
    assert data["answered"] == petitions.filter(answered_at_session=True).count() == 1
    assert data["resolved"] == petitions.filter(status__in=["resolved", "explained"]).count() == 2
    assert data["transferred"] == petitions.filter(status="transferred").count() == 1
    assert data["open"] == petitions.open().count() == 2
    assert data["overdue"] == petitions.overdue().count() == 1
    assert data["resolution_rate"] == "40.0"
    same = selectors.dialogue_figures(unit, TODAY - 60 * DAY, TODAY)
    assert set(data) - {"unit", "start", "end"} == set(same)


def test_reception_figures_match_the_orm(figures_world, reporter):
    unit = figures_world["commune_a"]
    start, end = window()
    response = api(reporter).get("/api/v1/figures/reception/", {"unit": unit.pk, "start": start, "end": end})
    assert response.status_code == 200, response.content
    data = response.json()
    rows = ReceptionSession.objects.filter(
        unit__path__startswith=unit.path, held_on__gte=TODAY - 60 * DAY, held_on__lte=TODAY
    )
    totals = rows.aggregate(persons=Sum("persons"), cases_new=Sum("cases_new"), complaints=Sum("complaints"))
    assert data["total_sessions"] == rows.count() == 2
    assert data["total_persons"] == totals["persons"] == 14
    assert data["total_cases_new"] == totals["cases_new"] == 3
    assert data["total_complaints"] == totals["complaints"] == 1
    assert data["routine_sessions"] == rows.filter(kind=ReceptionKind.ROUTINE).count() == 1
    assert data["head_persons"] == 4
    assert data["previous_total_sessions"] == 1
    assert data["change_total_cases_new"] == 3 - 5
    same = selectors.reception_figures(unit, TODAY - 60 * DAY, TODAY)
    assert set(data) - {"unit", "start", "end"} == set(same)
    assert all(data[key] == value for key, value in same.items())


def test_figures_scope_and_parameters(figures_world, reporter):
    client = api(reporter)
    start, end = window()
    for path in ("/api/v1/figures/dialogues/", "/api/v1/figures/reception/"):
        assert client.get(path, {"unit": figures_world["commune_b"].pk, "start": start, "end": end}).status_code == 404
        assert client.get(path, {"unit": 10**8, "start": start, "end": end}).status_code == 404
        unit = figures_world["commune_a"].pk
        missing = client.get(path, {"unit": unit, "end": end})
        assert missing.status_code == 400
        assert missing.json() == {"start": ["Hãy ghi ngày bắt đầu (YYYY-MM-DD)."]}
        bad = client.get(path, {"unit": unit, "start": "01/02/2025", "end": end})
        assert bad.status_code == 400
        assert "YYYY-MM-DD" in bad.json()["start"][0]
        assert client.get(path, {"unit": unit, "start": "2025-02-30", "end": end}).status_code == 400
        assert client.get(path, {"unit": unit, "start": end, "end": start}).status_code == 400
        assert client.get(path, {"start": start, "end": end}).status_code == 400


# --- Authentication ----------------------------------------------------------------------


def test_token_auth(tree, reporter):
    session = make_session(tree["commune_a"])
    token = Token.objects.create(user=reporter)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert pks(client.get("/api/v1/dialogues/")) == {session.pk}
    response = client.post("/api/v1/receptions/", reception_payload(tree["commune_a"]), format="json")
    assert response.status_code == 201
    anonymous = APIClient()
    for path in ("/api/v1/dialogues/", "/api/v1/petitions/", "/api/v1/receptions/", "/api/v1/figures/dialogues/"):
        assert anonymous.get(path).status_code in (401, 403)
    assert anonymous.post("/api/v1/dialogues/", session_payload(tree["commune_a"]), format="json").status_code in (
        401,
        403,
    )
    assert not ReceptionSession.objects.filter(created_by=None).exists()
    assert DialogueSession.objects.count() == 1


def test_schema_lists_the_dialogue_routes(tree, reporter):
    response = api(reporter).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/dialogues/",
        "/api/v1/petitions/{id}/close/",
        "/api/v1/receptions/{id}/",
        "/api/v1/figures/dialogues/",
        "/api/v1/figures/reception/",
    ):
        assert path in paths, path
    assert "post" in paths["/api/v1/dialogues/"]
    assert "post" in paths["/api/v1/petitions/{id}/transfer/"]
