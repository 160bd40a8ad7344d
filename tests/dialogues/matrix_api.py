"""Permission-matrix rows for the dialogues API (/api/v1/dialogues/, petitions/, receptions/,
figures/; see tests/test_permission_matrix.py)."""

import datetime as dt

from django.utils import timezone

from dialogues.models import DialogueSession, Petition, PetitionStatus, ReceptionKind, ReceptionSession
from tests.matrix import ALL_SIGNED_IN, API_ANON, REPORTS_A, SEES_A, Row, u


def extend_world(world):
    a = world["units"]["a"]
    # The browser rows (matrix_rows) may have put a session and an assigned petition under
    # commune A already: the API rows use the same ones.
    if "session_a" not in world:
        world["session_a"] = DialogueSession.objects.create(
            unit=a,
            level="commune",
            held_on=dt.date(2025, 10, 1),
            chair_role="chu_tich_ubnd",
            chair_name="Bùi Văn Hùng",
            scope="toan_dien",
            trigger="dinh_ky",
            topic="Đối thoại định kỳ",
            participants=80,
        )
    if "petition_a" not in world:
        world["petition_a"] = Petition.objects.create(
            unit=a,
            session=world["session_a"],
            raised_on=world["session_a"].held_on,
            content="Đường liên xóm xuống cấp",
            field="ha_tang",
            status=PetitionStatus.ASSIGNED,
            assignee_person="Ông Bùi Văn Hùng",
            task="Khảo sát, sửa chữa",
            deadline=dt.date(2026, 12, 1),
            responsible_unit="UBND xã A",
        )
    world["api_closed_petition_a"] = Petition.objects.create(
        unit=a,
        session=world["session_a"],
        raised_on=world["session_a"].held_on,
        content="Thiếu đèn chiếu sáng ngõ xóm",
        field="ha_tang",
        status=PetitionStatus.RESOLVED,
        assignee_person="Bà Đinh Thị Lan",
        task="Lắp đèn",
        deadline=dt.date(2025, 11, 1),
        responsible_unit="UBND xã A",
        result="Đã lắp 4 bóng đèn",
        result_date=dt.date(2025, 10, 20),
    )
    world["api_reception_a"] = ReceptionSession.objects.create(
        unit=a,
        held_on=dt.date(2025, 3, 14),
        kind=ReceptionKind.ROUTINE,
        receiver_role="can_bo_tiep_dan",
        receiver_name="Đinh Thị Lan",
        persons=9,
        cases_new=2,
    )


def pk(key):
    return lambda w: w[key].pk


def session_payload(w):
    return {
        "unit": w["units"]["a"].pk,
        "held_on": "2025-10-15",
        "topic": "Đối thoại về đất đai",
        "scope": "chuyen_de",
        "trigger": "theo_yeu_cau",
        "chair_role": "chu_tich_ubnd",
        "chair_name": "Quách Văn Sơn",
        "participants": 60,
        "petitions": [{"content": "Cấp giấy chứng nhận quyền sử dụng đất chậm", "field": "dat_dai"}],
    }


def reception_payload(w):
    return {
        "unit": w["units"]["a"].pk,
        "held_on": "2025-03-20",
        "kind": "dinh_ky_nguoi_dung_dau",
        "receiver_role": "chu_tich_ubnd",
        "persons": 7,
        "complaints": 1,
    }


def figures_query(w):
    return {"unit": w["units"]["a"].pk, "start": "2025-01-01", "end": "2025-12-31"}


def petition_action(action, data):
    return Row(
        u(f"api-petition-{action}", pk("petition_a")),
        {**REPORTS_A, **API_ANON},
        method="post",
        data=lambda w: {"version": w["petition_a"].version, **data(w)},
        writes=True,
        json=True,
    )


# Creating: whoever reports somewhere; reporter B reports, but not for commune A (400).
CREATES_IN_A = {
    "rep_a": 201,
    "rep_b": 400,
    "rev_x": 403,
    "rev_y": 403,
    "st_p": 403,
    "st_q": 403,
    "admin": 201,
    **API_ANON,
}
EVERYONE = {**ALL_SIGNED_IN, **API_ANON}
READS_A = {**SEES_A, **API_ANON}
WRITES_A = {**REPORTS_A, **API_ANON}

ROUTES = {
    "api-dialogue-list": [
        Row(u("api-dialogue-list"), EVERYONE),
        Row(u("api-dialogue-list"), CREATES_IN_A, method="post", data=session_payload, writes=True, json=True),
    ],
    "api-dialogue-detail": [
        Row(u("api-dialogue-detail", pk("session_a")), READS_A),
        Row(
            u("api-dialogue-detail", pk("session_a")),
            WRITES_A,
            method="patch",
            data=lambda w: {"topic": "Đối thoại định kỳ quý IV", "version": w["session_a"].version},
            writes=True,
            json=True,
        ),
    ],
    "api-petition-list": [Row(u("api-petition-list"), EVERYONE)],
    "api-petition-detail": [Row(u("api-petition-detail", pk("petition_a")), READS_A)],
    "api-petition-assign": [
        petition_action(
            "assign",
            lambda w: {
                "assignee_person": "Bà Quách Thị Mai",
                "task": "Lập dự toán sửa đường",
                "deadline": "2026-12-31",
                "responsible_unit": "Công chức giao thông",
            },
        )
    ],
    "api-petition-progress": [petition_action("progress", lambda w: {"note": "Đã khảo sát hiện trường"})],
    "api-petition-close": [
        petition_action(
            "close",
            lambda w: {
                "status": "resolved",
                "result": "Đã sửa xong đoạn đường",
                "result_date": str(max(timezone.localdate(), w["petition_a"].raised_on)),
            },
        )
    ],
    "api-petition-transfer": [
        petition_action("transfer", lambda w: {"to_unit": w["units"]["b"].pk, "note": "Thuộc thẩm quyền xã B"})
    ],
    "api-petition-reopen": [
        Row(
            u("api-petition-reopen", pk("api_closed_petition_a")),
            WRITES_A,
            method="post",
            data=lambda w: {"version": w["api_closed_petition_a"].version, "note": "Đèn lại hỏng"},
            writes=True,
            json=True,
        )
    ],
    "api-reception-list": [
        Row(u("api-reception-list"), EVERYONE),
        Row(u("api-reception-list"), CREATES_IN_A, method="post", data=reception_payload, writes=True, json=True),
    ],
    "api-reception-detail": [
        Row(u("api-reception-detail", pk("api_reception_a")), READS_A),
        Row(
            u("api-reception-detail", pk("api_reception_a")),
            WRITES_A,
            method="patch",
            data=lambda w: {"persons": 11, "note": "Bổ sung"},
            writes=True,
            json=True,
        ),
    ],
    "api-figures-dialogues": [Row(u("api-figures-dialogues"), READS_A, data=figures_query)],
    "api-figures-reception": [Row(u("api-figures-reception"), READS_A, data=figures_query)],
}
