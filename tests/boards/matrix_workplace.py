"""Permission-matrix rows for workplace conferences and village conventions
(see tests/test_permission_matrix.py)."""

import datetime as dt

from django.core.files.base import ContentFile

from boards.models import VillageConvention, WorkplaceConference
from tests.factories import UnitFactory
from tests.matrix import ANON_LOGIN, OWN_PAGE, REPORTERS, REPORTS_A, SEES_A, Row, redirect_when_allowed, u
from units.models import UnitKind


def extend_world(world):
    a = world["units"]["a"]
    agency = UnitFactory(name="Trạm Y tế xã A", kind=UnitKind.PUBLIC_SERVICE, parent=a, staff_count=25)
    world["agency_conf_a"] = agency
    conference = WorkplaceConference.objects.create(
        unit=agency,
        kind=WorkplaceConference.Kind.CBCCVC,
        mode=WorkplaceConference.Mode.DINH_KY,
        form=WorkplaceConference.Form.TOAN_THE,
        held_on=dt.date(2025, 1, 20),
        year=2024,
        participants=23,
    )
    conference.resolution_file.save("nghi-quyet.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    world["conference_a"] = conference
    world["convention_a"] = VillageConvention.objects.create(
        hamlet=world["units"]["hamlet_a"],
        kind=VillageConvention.Kind.HUONG_UOC,
        title="Hương ước xóm Chiềng",
        draft_posted_on=dt.date(2024, 10, 1),
        adopted_on=dt.date(2024, 11, 15),
        households_total=200,
        households_approving=137,
        recognition_decision_no="12/QĐ-UBND",
        recognised_on=dt.date(2024, 12, 2),
        status=VillageConvention.Status.HIEU_LUC,
    )


def conference_pk(w):
    return w["conference_a"].pk


def convention_pk(w):
    return w["convention_a"].pk


def conference_payload(w):
    return {
        "unit": w["agency_conf_a"].pk,
        "kind": "hn_cbccvc",
        "mode": "dinh_ky",
        "form": "toan_the",
        "held_on": "10/02/2026",
        "year": 2025,
        "participants": 21,
    }


def convention_payload(w):
    return {
        "hamlet": w["units"]["hamlet_a"].pk,
        "kind": "quy_uoc",
        "title": "Quy ước xóm Chiềng về nếp sống văn minh",
        "draft_posted_on": "01/09/2025",
        "status": "du_thao",
    }


def convention_edit_payload(w):
    return {
        "hamlet": w["units"]["hamlet_a"].pk,
        "kind": "huong_uoc",
        "title": "Hương ước xóm Chiềng (sửa đổi)",
        "draft_posted_on": "01/10/2024",
        "adopted_on": "15/11/2024",
        "households_total": 200,
        "households_approving": 137,
        "recognition_decision_no": "12/QĐ-UBND",
        "recognised_on": "02/12/2024",
        "status": "hieu_luc",
    }


# Who may write to a record of commune A: its reporter and admins (302); district X and
# province P see it (403); the others do not (404).
WRITES_A = {**redirect_when_allowed(REPORTS_A), **ANON_LOGIN}
# Reporter B may record, but not for commune A's units: the form refuses the unit (200).
CREATES_IN_A = {**redirect_when_allowed(REPORTERS), "rep_b": 200, **ANON_LOGIN}

ROUTES = {
    "conference-list": [Row(u("conference-list"), OWN_PAGE)],
    "conference-missing": [Row(u("conference-missing"), OWN_PAGE)],
    "conference-create": [
        Row(u("conference-create"), {**REPORTERS, **ANON_LOGIN}),
        Row(u("conference-create"), CREATES_IN_A, method="post", data=conference_payload, writes=True),
    ],
    "conference-detail": [Row(u("conference-detail", conference_pk), {**SEES_A, **ANON_LOGIN})],
    "conference-edit": [
        Row(u("conference-edit", conference_pk), {**REPORTS_A, **ANON_LOGIN}),
        Row(u("conference-edit", conference_pk), WRITES_A, method="post", data=conference_payload, writes=True),
    ],
    "conference-file": [Row(u("conference-file", conference_pk), {**SEES_A, **ANON_LOGIN})],
    "convention-list": [Row(u("convention-list"), OWN_PAGE)],
    "convention-create": [
        Row(u("convention-create"), {**REPORTERS, **ANON_LOGIN}),
        Row(u("convention-create"), CREATES_IN_A, method="post", data=convention_payload, writes=True),
    ],
    "convention-detail": [Row(u("convention-detail", convention_pk), {**SEES_A, **ANON_LOGIN})],
    "convention-edit": [
        Row(u("convention-edit", convention_pk), {**REPORTS_A, **ANON_LOGIN}),
        Row(u("convention-edit", convention_pk), WRITES_A, method="post", data=convention_edit_payload, writes=True),
    ],
}
