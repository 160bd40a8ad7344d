"""Permission-matrix rows for the criteria-set pages (see tests/test_permission_matrix.py).

Criteria sets are public rules: every signed-in user reads a published set. A draft, and every
write, belongs to the steering committee of the set's province (steering P and the admin of P);
a national set (no province) only to superusers, and nobody in the matrix is one. A draft of
province P is invisible (404) to everyone else, steering Q included.
"""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from criteria import services, sets_io, shipped
from criteria.models import AppliesTo
from tests.matrix import ALL_SIGNED_IN, ANON_LOGIN, OWN_PAGE, PERSONAS, Row, redirect_when_allowed, u

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Anyone who steers some province may open the create and import pages.
STEERS_ANY = {"rep_a": 403, "rep_b": 403, "rev_x": 403, "rev_y": 403, "st_p": 200, "st_q": 200, "admin": 200}
# Writes to a published set of province P: seen by all, changed by its steering only.
STEERS_P = {"rep_a": 403, "rep_b": 403, "rev_x": 403, "rev_y": 403, "st_p": 200, "st_q": 403, "admin": 200}
# A draft of province P: invisible outside its steering committee.
DRAFT_P = {"rep_a": 404, "rep_b": 404, "rev_x": 404, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}
NOBODY = {p: 403 for p in PERSONAS if p != "anon"}
POST_ONLY = {**{p: 405 for p in PERSONAS if p != "anon"}, **ANON_LOGIN}
# Creating for province P: steering Q may create sets, but the form refuses province P (200).
CREATES_IN_P = {**redirect_when_allowed(STEERS_ANY), "st_q": 200, **ANON_LOGIN}


def _set(province, name, *, publish):
    cs = services.set_save(
        actor=None,
        data={
            "name": name,
            "province": province,
            "applies_to": AppliesTo.COMMUNE,
            "year_from": 2025,
            "legal_basis": "Quyết định số 9/QĐ-BCĐ",
            "total_points": Decimal("100"),
        },
        criteria=[
            {"code": "I", "title": "Công khai", "is_group": True, "max_points": Decimal("60")},
            {"code": "1.1", "title": "Đủ nội dung", "parent_code": "I", "max_points": Decimal("60")},
            {"code": "2", "title": "Đối thoại", "max_points": Decimal("40"), "evidence_required": True},
        ],
        bands=shipped.default_bands(),
    )
    if publish:
        services.set_publish(actor=None, criteria_set=cs)
    return cs


def extend_world(world):
    p = world["units"]["p"]
    world["sets_published"] = _set(p, "Bộ tiêu chí tỉnh P", publish=True)
    world["sets_draft"] = _set(p, "Dự thảo bộ tiêu chí tỉnh P", publish=False)
    world["sets_national"] = _set(None, "Bộ tiêu chí toàn quốc", publish=True)


def obj(key):
    return lambda w: w[key].pk


def set_payload(w, *, initial=0):
    rows = [("1", "Dân chủ ở cơ sở", "70"), ("2", "Cải cách hành chính", "30")]
    bands = [("Tốt", "80"), ("Khá", "50"), ("Yếu", "0")]
    data = {
        "name": "Bộ tiêu chí ma trận mới",
        "province": w["units"]["p"].pk,
        "applies_to": "commune",
        "year_from": 2026,
        "legal_basis": "Quyết định số 10/QĐ-BCĐ",
        "total_points": "100",
        "score_step": "0.5",
        "superior_points_max": "0",
        "bonus_max": "0",
        "penalty_max": "0",
        "tc-TOTAL_FORMS": len(rows),
        "tc-INITIAL_FORMS": min(initial, len(rows)),
        "tc-MIN_NUM_FORMS": 0,
        "tc-MAX_NUM_FORMS": 1000,
        "xl-TOTAL_FORMS": len(bands),
        "xl-INITIAL_FORMS": min(initial, len(bands)),
        "xl-MIN_NUM_FORMS": 0,
        "xl-MAX_NUM_FORMS": 1000,
    }
    for i, (code, title, points) in enumerate(rows):
        data.update({f"tc-{i}-code": code, f"tc-{i}-title": title, f"tc-{i}-max_points": points})
    for i, (label, score) in enumerate(bands):
        data.update({f"xl-{i}-label": label, f"xl-{i}-min_score": score})
    return data


def edit_payload(w):
    return set_payload(w, initial=3)


def import_payload(w):
    data = sets_io.export_workbook(w["sets_published"])
    return {
        "province": w["units"]["p"].pk,
        "file": SimpleUploadedFile("bo-tieu-chi.xlsx", data, content_type=XLSX),
    }


ROUTES = {
    "criteria-set-list": [
        Row(u("criteria-set-list"), OWN_PAGE),
        Row(lambda w: u("criteria-set-list")(w) + "?applies_to=commune&year=2025", OWN_PAGE),
    ],
    "criteria-set-create": [
        Row(u("criteria-set-create"), {**STEERS_ANY, **ANON_LOGIN}),
        Row(u("criteria-set-create"), CREATES_IN_P, method="post", data=set_payload, writes=True),
    ],
    "criteria-set-import": [
        Row(u("criteria-set-import"), {**STEERS_ANY, **ANON_LOGIN}),
        Row(u("criteria-set-import"), CREATES_IN_P, method="post", data=import_payload, writes=True),
    ],
    "criteria-set-detail": [
        Row(u("criteria-set-detail", obj("sets_published")), {**ALL_SIGNED_IN, **ANON_LOGIN}),
        Row(u("criteria-set-detail", obj("sets_draft")), {**DRAFT_P, **ANON_LOGIN}),
        Row(u("criteria-set-detail", obj("sets_national")), {**ALL_SIGNED_IN, **ANON_LOGIN}),
    ],
    "criteria-set-edit": [
        Row(u("criteria-set-edit", obj("sets_published")), {**STEERS_P, **ANON_LOGIN}),
        Row(u("criteria-set-edit", obj("sets_draft")), {**DRAFT_P, **ANON_LOGIN}),
        Row(u("criteria-set-edit", obj("sets_national")), {**NOBODY, **ANON_LOGIN}),
        Row(
            u("criteria-set-edit", obj("sets_draft")),
            {**redirect_when_allowed(DRAFT_P), **ANON_LOGIN},
            method="post",
            data=edit_payload,
            writes=True,
        ),
        Row(
            u("criteria-set-edit", obj("sets_published")),
            {**redirect_when_allowed(STEERS_P), **ANON_LOGIN},
            method="post",
            data=edit_payload,
            writes=True,
        ),
    ],
    "criteria-set-publish": [
        Row(u("criteria-set-publish", obj("sets_draft")), POST_ONLY),
        Row(
            u("criteria-set-publish", obj("sets_draft")),
            {**redirect_when_allowed(DRAFT_P), **ANON_LOGIN},
            method="post",
            writes=True,
        ),
    ],
    "criteria-set-copy": [
        Row(u("criteria-set-copy", obj("sets_published")), POST_ONLY),
        Row(
            u("criteria-set-copy", obj("sets_published")),
            {**redirect_when_allowed(STEERS_P), **ANON_LOGIN},
            method="post",
            writes=True,
        ),
        Row(u("criteria-set-copy", obj("sets_national")), {**NOBODY, **ANON_LOGIN}, method="post", writes=True),
    ],
    "criteria-set-export": [
        Row(u("criteria-set-export", obj("sets_published")), {**ALL_SIGNED_IN, **ANON_LOGIN}),
        Row(u("criteria-set-export", obj("sets_draft")), {**DRAFT_P, **ANON_LOGIN}),
    ],
}
