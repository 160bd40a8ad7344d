"""Permission-matrix rows for dialogue sessions and petitions (see tests/test_permission_matrix.py)."""

import datetime as dt

from django.core.files.base import ContentFile

from dialogues.models import DialogueSession, Petition, PetitionStatus
from tests.matrix import ANON_LOGIN, OWN_PAGE, REPORTERS, REPORTS_A, SEES_A, Row, redirect_when_allowed, u


def extend_world(world):
    a = world["units"]["a"]
    session = DialogueSession.objects.create(
        unit=a,
        level="commune",
        held_on=dt.date(2026, 10, 1),
        chair_role="chu_tich_ubnd",
        chair_name="Bùi Văn Hùng",
        scope="toan_dien",
        trigger="dinh_ky",
        topic="Đối thoại định kỳ",
        participants=80,
    )
    session.minutes_file.save("bien-ban.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    world["session_a"] = session
    world["petition_a"] = Petition.objects.create(
        unit=a,
        session=session,
        raised_on=session.held_on,
        content="Đường liên xóm xuống cấp",
        field="ha_tang",
        status=PetitionStatus.ASSIGNED,
        assignee_person="Ông Bùi Văn Hùng",
        task="Khảo sát, sửa chữa",
        deadline=dt.date(2026, 12, 1),
        responsible_unit="UBND xã A",
    )


def session_payload(w):
    return {
        "unit": w["units"]["a"].pk,
        "held_on": "15/10/2026",
        "topic": "Đối thoại về đất đai",
        "scope": "chuyen_de",
        "trigger": "theo_yeu_cau",
        "format": "truc_tiep",
        "chair_role": "chu_tich_ubnd",
        "chair_name": "Quách Văn Sơn",
        "participants": 60,
        "pet-TOTAL_FORMS": 1,
        "pet-INITIAL_FORMS": 0,
        "pet-0-content": "Cấp giấy chứng nhận quyền sử dụng đất chậm",
        "pet-0-field": "dat_dai",
    }


def edit_payload(w):
    data = session_payload(w)
    data["version"] = w["session_a"].version
    return data


ROUTES = {
    "dialogue-list": [Row(u("dialogue-list"), OWN_PAGE)],
    "dialogue-create": [
        Row(u("dialogue-create"), {**REPORTERS, **ANON_LOGIN}),
        # Reporter B may record dialogues, but not for commune A: the form refuses the unit.
        Row(
            u("dialogue-create"),
            {**redirect_when_allowed(REPORTERS), "rep_b": 200, **ANON_LOGIN},
            method="post",
            data=session_payload,
            writes=True,
        ),
    ],
    "petition-row": [Row(u("petition-row"), {**REPORTERS, **ANON_LOGIN})],
    "dialogue-detail": [
        Row(lambda w: f"/doi-thoai/{w['session_a'].pk}/", {**SEES_A, **ANON_LOGIN}),
        Row(
            lambda w: f"/doi-thoai/{w['session_a'].pk}/",
            {**redirect_when_allowed(REPORTS_A), **ANON_LOGIN},
            method="post",
            data=lambda w: {"add-content": "Xin hỗ trợ giống cây trồng", "add-field": "chinh_sach_xa_hoi"},
            writes=True,
        ),
    ],
    "dialogue-edit": [
        Row(lambda w: f"/doi-thoai/{w['session_a'].pk}/sua/", {**REPORTS_A, **ANON_LOGIN}),
        Row(
            lambda w: f"/doi-thoai/{w['session_a'].pk}/sua/",
            {**redirect_when_allowed(REPORTS_A), **ANON_LOGIN},
            method="post",
            data=edit_payload,
            writes=True,
        ),
    ],
    "dialogue-minutes": [Row(lambda w: f"/doi-thoai/{w['session_a'].pk}/bien-ban/", {**SEES_A, **ANON_LOGIN})],
    "petition-list": [Row(u("petition-list"), OWN_PAGE)],
    "petition-detail": [Row(lambda w: f"/kien-nghi/{w['petition_a'].pk}/", {**SEES_A, **ANON_LOGIN})],
    "petition-action": [
        Row(
            lambda w: f"/kien-nghi/{w['petition_a'].pk}/tien-do/",
            {**redirect_when_allowed(REPORTS_A), **ANON_LOGIN},
            method="post",
            data=lambda w: {"progress-version": w["petition_a"].version, "progress-note": "Đã khảo sát hiện trường"},
            writes=True,
        ),
        Row(
            lambda w: f"/kien-nghi/{w['petition_a'].pk}/ket-thuc/",
            {**redirect_when_allowed(REPORTS_A), **ANON_LOGIN},
            method="post",
            data=lambda w: {
                "close-version": w["petition_a"].version,
                "close-status": "resolved",
                "close-result": "Đã sửa xong đoạn đường",
                "close-result_date": "20/11/2026",
            },
            writes=True,
        ),
    ],
}
