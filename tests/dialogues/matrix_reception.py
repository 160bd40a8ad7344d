"""Permission-matrix rows for citizen reception (see tests/test_permission_matrix.py)."""

import datetime as dt

from dialogues.models import ReceptionKind, ReceptionSession
from tests.matrix import ANON_LOGIN, OWN_PAGE, REPORTERS, REPORTS_A, SEES_A, Row, redirect_when_allowed, u


def extend_world(world):
    world["reception_a"] = ReceptionSession.objects.create(
        unit=world["units"]["a"],
        held_on=dt.date(2025, 3, 14),
        kind=ReceptionKind.PERIODIC_HEAD,
        receiver_role="chu_tich_ubnd",
        receiver_name="Bùi Văn Hùng",
        persons=12,
        cases_new=3,
        cases_old=1,
        complaints=2,
        petitions_count=2,
    )


def reception_pk(w):
    return w["reception_a"].pk


def reception_payload(w):
    return {
        "unit": w["units"]["a"].pk,
        "held_on": "20/03/2025",
        "kind": "thuong_xuyen",
        "receiver_role": "can_bo_tiep_dan",
        "receiver_name": "Đinh Thị Lan",
        "persons": 7,
        "cases_new": 2,
        "cases_old": 0,
        "complaints": 1,
        "denunciations": 0,
        "petitions_count": 1,
        "delegations": 1,
        "delegation_persons": 5,
        "note": "Đoàn hộ dân xóm Chiềng",
    }


def case_payload(w):
    return {
        "case-case_type": "khieu_nai",
        "case-is_new": "on",
        "case-field": "dat_dai",
        "case-summary": "Khiếu nại quyết định thu hồi đất",
        "case-status": "dang_giai_quyet",
    }


# Who may write to a record of commune A: its reporter and admins (302); district X and
# province P see it (403); the others do not (404).
WRITES_A = {**redirect_when_allowed(REPORTS_A), **ANON_LOGIN}

ROUTES = {
    "reception-list": [Row(u("reception-list"), OWN_PAGE)],
    "reception-create": [
        Row(u("reception-create"), {**REPORTERS, **ANON_LOGIN}),
        # Reporter B may record receptions, but not for commune A: the form refuses the unit.
        Row(
            u("reception-create"),
            {**redirect_when_allowed(REPORTERS), "rep_b": 200, **ANON_LOGIN},
            method="post",
            data=reception_payload,
            writes=True,
        ),
    ],
    "reception-detail": [
        Row(u("reception-detail", reception_pk), {**SEES_A, **ANON_LOGIN}),
        Row(u("reception-detail", reception_pk), WRITES_A, method="post", data=case_payload, writes=True),
    ],
    "reception-edit": [
        Row(u("reception-edit", reception_pk), {**REPORTS_A, **ANON_LOGIN}),
        Row(u("reception-edit", reception_pk), WRITES_A, method="post", data=reception_payload, writes=True),
    ],
}
