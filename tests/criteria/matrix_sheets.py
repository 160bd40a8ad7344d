"""Permission-matrix rows for the score-sheet pages and evidence files
(see tests/test_permission_matrix.py). Every sheet belongs to commune A."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from criteria import services
from criteria.models import ClassificationBand, CriteriaSet, Criterion, Evidence, ScoreSheet
from reports.models import ReportingPeriod
from tests.matrix import ANON_LOGIN, OWN_PAGE, PERSONAS, REPORTS_A, SEES_A, Row, redirect_when_allowed, u

PDF = b"%PDF-1.4 minh chung\n%%EOF\n"

# Re-scoring and returning sheets of commune A: district X, province P, admins.
REVIEWS_A = {"rep_a": 403, "rep_b": 404, "rev_x": 200, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}
WRITES_A = {**redirect_when_allowed(REPORTS_A), **ANON_LOGIN}
REVIEW_WRITES_A = {**redirect_when_allowed(REVIEWS_A), **ANON_LOGIN}
POST_ONLY = {**{p: 405 for p in PERSONAS if p != "anon"}, **ANON_LOGIN}


def _points(sheet, values):
    lines = list(sheet.lines.select_related("criterion").order_by("criterion__order"))
    return {line.pk: (Decimal(v), "Căn cứ") for line, v in zip(lines, values, strict=True)}


def extend_world(world):
    p, a = world["units"]["p"], world["units"]["a"]
    cs = CriteriaSet.objects.create(
        name="Bộ tiêu chí ma trận (xã)", province=p, applies_to="commune", year_from=2025, total_points=40
    )
    Criterion.objects.create(criteria_set=cs, code="1", title="Dân chủ ở cơ sở", max_points=20, order=1)
    Criterion.objects.create(
        criteria_set=cs, code="2", title="Cải cách hành chính", max_points=20, evidence_required=True, order=2
    )
    for label, minimum in (("Tốt", 30), ("Khá", 20), ("Yếu", 0)):
        ClassificationBand.objects.create(criteria_set=cs, label=label, min_score=minimum)
    services.set_publish(actor=None, criteria_set=cs)

    def period(n):
        return ReportingPeriod.objects.create(
            province=p,
            kind=ReportingPeriod.Kind.AD_HOC,
            year=2025,
            label=f"Kỳ chấm điểm ma trận {n}",
            data_start=dt.date(2025, 1, 1),
            data_end=dt.date(2025, 12, 31),
            due_date=dt.date(2025, 12, 15),
        )

    def sheet(n, status):
        s = services.sheet_create(actor=None, unit=a, period=period(n), criteria_set=cs)
        services.sheet_self_score(actor=None, sheet=s, points=_points(s, ["18", "16"]))
        line = s.lines.get(criterion__code="2")
        evidence = Evidence(line=line, kind=Evidence.Kind.EVIDENCE, original_name="minh-chung.pdf", size=len(PDF))
        evidence.file.save("minh-chung.pdf", ContentFile(PDF), save=True)
        if status != ScoreSheet.Status.DRAFT:
            services.sheet_submit(actor=None, sheet=s)
        if status in (ScoreSheet.Status.REVIEWED, ScoreSheet.Status.PUBLISHED):
            services.sheet_review(actor=None, sheet=s, points=_points(s, ["18", "12"]))
        if status == ScoreSheet.Status.PUBLISHED:
            services.results_publish(actor=None, sheets=[s])
        s.refresh_from_db()
        return s, line, evidence

    world["sheets_draft"], world["sheets_line"], world["sheets_evidence"] = sheet(1, ScoreSheet.Status.DRAFT)
    world["sheets_submitted"] = sheet(2, ScoreSheet.Status.SUBMITTED)[0]
    world["sheets_reviewed"] = sheet(3, ScoreSheet.Status.REVIEWED)[0]
    world["sheets_published"] = sheet(4, ScoreSheet.Status.PUBLISHED)[0]
    world["sheets_new_period"] = period(5)


def obj(key):
    return lambda w: w[key].pk


def self_score_payload(w):
    s = w["sheets_draft"]
    data = {"version": s.version}
    for line in s.lines.all():
        data[f"points-{line.pk}"] = "19.5"
        data[f"note-{line.pk}"] = "Đã rà soát lại"
    return data


def review_payload(w):
    s = w["sheets_submitted"]
    data = {"version": s.version}
    for line in s.lines.all():
        data[f"review-{line.pk}"] = str(line.self_points)
        data[f"rnote-{line.pk}"] = ""
    return data


ROUTES = {
    "sheet-list": [Row(u("sheet-list"), OWN_PAGE)],
    "sheet-create": [
        Row(u("sheet-create"), POST_ONLY),
        # Reporter B may create sheets, but not for commune A: the form refuses the unit.
        Row(
            u("sheet-create"),
            {
                "rep_a": 302,
                "rep_b": 200,
                "rev_x": 403,
                "rev_y": 403,
                "st_p": 403,
                "st_q": 403,
                "admin": 302,
                "anon": 302,
            },
            method="post",
            data=lambda w: {"unit": w["units"]["a"].pk, "period": w["sheets_new_period"].pk},
            writes=True,
        ),
    ],
    "sheet-detail": [
        Row(u("sheet-detail", obj("sheets_draft")), {**SEES_A, **ANON_LOGIN}),
        Row(u("sheet-detail", obj("sheets_published")), {**SEES_A, **ANON_LOGIN}),
    ],
    "sheet-self-score": [
        Row(u("sheet-self-score", obj("sheets_draft")), POST_ONLY),
        Row(u("sheet-self-score", obj("sheets_draft")), WRITES_A, method="post", data=self_score_payload, writes=True),
    ],
    "sheet-submit": [
        Row(u("sheet-submit", obj("sheets_draft")), POST_ONLY),
        Row(u("sheet-submit", obj("sheets_draft")), WRITES_A, method="post", writes=True),
    ],
    "sheet-review": [
        Row(u("sheet-review", obj("sheets_submitted")), {**REVIEWS_A, **ANON_LOGIN}),
        Row(
            u("sheet-review", obj("sheets_submitted")),
            REVIEW_WRITES_A,
            method="post",
            data=review_payload,
            writes=True,
        ),
    ],
    "sheet-return": [
        Row(u("sheet-return", obj("sheets_submitted")), POST_ONLY),
        Row(
            u("sheet-return", obj("sheets_submitted")),
            REVIEW_WRITES_A,
            method="post",
            data=lambda w: {"reason": "Thiếu biên bản"},
            writes=True,
        ),
    ],
    "sheet-appeal": [
        Row(u("sheet-appeal", obj("sheets_published")), POST_ONLY),
        Row(
            u("sheet-appeal", obj("sheets_published")),
            WRITES_A,
            method="post",
            data=lambda w: {"appeal_note": "Đề nghị xem xét lại tiêu chí 2"},
            writes=True,
        ),
    ],
    "sheet-publish": [
        Row(u("sheet-publish"), POST_ONLY),
        # Only the steering committee publishes; steering of province Q does not see the sheet.
        Row(
            u("sheet-publish"),
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 403,
                "rev_y": 403,
                "st_p": 302,
                "st_q": 404,
                "admin": 302,
                "anon": 302,
            },
            method="post",
            data=lambda w: {"sheets": [w["sheets_reviewed"].pk]},
            writes=True,
        ),
    ],
    "evidence-upload": [
        Row(u("evidence-upload", obj("sheets_line")), POST_ONLY),
        Row(
            u("evidence-upload", obj("sheets_line")),
            WRITES_A,
            method="post",
            data=lambda w: {
                "kind": "muc_luc",
                "file": SimpleUploadedFile("muc-luc.pdf", PDF, content_type="application/pdf"),
            },
            writes=True,
        ),
    ],
    "evidence-download": [Row(u("evidence-download", obj("sheets_evidence")), {**SEES_A, **ANON_LOGIN})],
}
