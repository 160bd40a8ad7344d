"""Score sheets through the browser views: a commune self-scores a Bắc Giang-like set to 87
with evidence and submits it, the district reviewer re-scores it to 78 with notes (Khá on
review, Tốt on self), the steering committee publishes and the sheet locks, one appeal round
with new evidence; evidence downloads only in scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from criteria import services
from criteria.models import ClassificationBand, CriteriaSet, Criterion, Evidence, ScoreLine, ScoreSheet
from reports.models import ReportingPeriod
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 minh chung\n%%EOF\n"
SELF_87 = ["18", "22", "18", "13", "16"]
FULL = ["20", "25", "20", "15", "20"]
REVIEW_78 = ["18", "20", "16", "12", "12"]
CRITERIA = [
    ("1", "Xây dựng và thực hiện quy chế dân chủ ở cơ sở", 20, True),
    ("2", "Công tác cải cách hành chính", 25, True),
    ("3", "Văn minh, văn hóa công sở", 20, False),
    ("4", "Tiếp xúc, đối thoại và giải quyết đơn thư", 15, False),
    ("5", "Mức độ hài lòng của người dân", 20, True),
]
BANDS = [("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0)]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def body(response):
    return response.content.decode()


def bac_giang_set(province, *, year=2025):
    cs = CriteriaSet.objects.create(
        name="Chính quyền thân thiện (xã)",
        province=province,
        applies_to="commune",
        year_from=year,
        legal_basis="Bộ tiêu chí Bắc Giang",
        score_step=Decimal("0.5"),
    )
    for i, (code, title, points, required) in enumerate(CRITERIA):
        Criterion.objects.create(
            criteria_set=cs,
            code=code,
            title=title,
            max_points=points,
            evidence_required=required,
            evidence_hint="File mục lục tài liệu và file tài liệu minh chứng (PDF)",
            guidance="Chấm theo mức độ hoàn thành.",
            order=i,
        )
    for i, (label, minimum) in enumerate(BANDS):
        ClassificationBand.objects.create(criteria_set=cs, label=label, min_score=minimum, order=i)
    return services.set_publish(actor=None, criteria_set=cs)


def make_period(province, *, due=None, label="Năm 2025", year=2025):
    return ReportingPeriod.objects.create(
        province=province,
        kind=ReportingPeriod.Kind.ANNUAL,
        year=year,
        label=label,
        data_start=dt.date(year, 1, 1),
        data_end=dt.date(year, 12, 31),
        due_date=dt.date(year, 12, 15),
        self_score_due=due if due is not None else timezone.localdate() + dt.timedelta(days=30),
    )


@pytest.fixture
def criteria_set(tree):
    return bac_giang_set(tree["province"])


@pytest.fixture
def period(tree):
    return make_period(tree["province"])


@pytest.fixture
def reporter_c(tree):
    """A reporter of a commune in the other district."""
    return GrantFactory(user=UserFactory(username="reporter.c"), unit=tree["commune_c"], role="reporter").user


@pytest.fixture
def reporter_b(tree):
    """A reporter of another commune in the same district."""
    return GrantFactory(user=UserFactory(username="reporter.b"), unit=tree["commune_b"], role="reporter").user


def lines_of(sheet):
    return list(sheet.lines.select_related("criterion").order_by("criterion__order"))


def score_data(sheet, values, *, version=None, notes=True):
    data = {"version": sheet.version if version is None else version}
    for line, value in zip(lines_of(sheet), values, strict=True):
        data[f"points-{line.pk}"] = value
        data[f"note-{line.pk}"] = f"Căn cứ tiêu chí {line.criterion.code}" if notes else ""
    return data


def review_data(sheet, values, *, notes=True, version=None, superior=None):
    data = {"version": sheet.version if version is None else version}
    for line, value in zip(lines_of(sheet), values, strict=True):
        data[f"review-{line.pk}"] = value
        differs = Decimal(value) != line.self_points
        data[f"rnote-{line.pk}"] = f"Hồ sơ tiêu chí {line.criterion.code} chưa đủ" if (notes and differs) else ""
    if superior is not None:
        data["superior_points"] = superior
    return data


def pdf(name="minh-chung.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def state(sheet):
    sheet.refresh_from_db()
    return (
        sheet.version,
        sheet.status,
        sheet.appeal,
        sheet.self_total,
        sheet.review_total,
        list(sheet.lines.order_by("pk").values_list("self_points", "self_note", "review_points", "review_note")),
        Evidence.objects.filter(line__sheet=sheet).count(),
    )


def create_sheet(client, unit, period):
    response = client.post(reverse("sheet-create"), {"unit": unit.pk, "period": period.pk})
    assert response.status_code == 302, body(response)
    return ScoreSheet.objects.get(unit=unit, period=period)


def upload_required(client, sheet):
    for line in lines_of(sheet):
        if line.criterion.evidence_required:
            response = client.post(
                reverse("evidence-upload", args=[line.pk]), {"kind": "minh_chung", "file": pdf(f"tc{line.pk}.pdf")}
            )
            assert response.status_code == 302


def test_done_when_self_87_review_78_publish_lock_appeal(
    tree, criteria_set, period, reporter, reviewer, steering, reporter_b, reporter_c
):
    commune = tree["commune_a"]
    rep = signed_in(reporter)

    # The list offers the reporter a new sheet for their commune and a period of their province.
    response = rep.get(reverse("sheet-list"))
    assert response.status_code == 200
    assert "Tạo phiếu chấm điểm" in body(response)
    assert f'<option value="{period.pk}" selected>' in body(response)

    sheet = create_sheet(rep, commune, period)
    assert sheet.criteria_set == criteria_set
    assert sheet.lines.count() == 5

    page = rep.get(reverse("sheet-detail", args=[sheet.pk]))
    html = body(page)
    assert page.status_code == 200
    assert 'step="0.5"' in html
    assert 'max="25"' in html
    assert "Còn thiếu minh chứng bắt buộc" in html
    assert 'id="running-total"' in html

    # Points above the maximum, or off the step, are refused and nothing is saved.
    before = state(sheet)
    too_high = rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, ["21", *SELF_87[1:]]))
    assert too_high.status_code == 200
    assert "phải từ 0 đến 20" in body(too_high)
    off_step = rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, ["17.25", *SELF_87[1:]]))
    assert off_step.status_code == 200
    assert "phải là bội của 0,5" in body(off_step) or "phải là bội của 0.5" in body(off_step)
    not_a_number = rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, ["mười", *SELF_87[1:]]))
    assert "điểm phải là một số" in body(not_a_number)
    assert state(sheet) == before

    # Self-score to 87.
    saved = rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, SELF_87))
    assert saved.status_code == 302
    sheet.refresh_from_db()
    assert sheet.self_total == Decimal("87")
    assert sheet.self_class == "Tốt"
    assert "87" in body(rep.get(reverse("sheet-detail", args=[sheet.pk])))

    # A stale version (the page loaded before another save) is refused.
    before = state(sheet)
    stale = rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, FULL, version=sheet.version - 1))
    assert stale.status_code == 409
    assert "vừa được người khác cập nhật" in body(stale)
    assert state(sheet) == before

    # Submitting without the required evidence is refused, nothing changes.
    refused = rep.post(reverse("sheet-submit", args=[sheet.pk]))
    assert refused.status_code == 200
    assert "Thiếu minh chứng cho tiêu chí: 1, 2, 5" in body(refused)
    assert state(sheet) == before

    # A file that is not a PDF/image/office document is refused by its content.
    first = lines_of(sheet)[0]
    fake = SimpleUploadedFile("minh-chung.pdf", b"MZ not a pdf", content_type="application/pdf")
    bad = rep.post(reverse("evidence-upload", args=[first.pk]), {"kind": "minh_chung", "file": fake})
    assert bad.status_code == 200
    assert "không đúng định dạng" in body(bad)
    assert Evidence.objects.count() == 0

    upload_required(rep, sheet)
    index = rep.post(reverse("evidence-upload", args=[first.pk]), {"kind": "muc_luc", "file": pdf("muc-luc.pdf")})
    assert index.status_code == 302
    assert Evidence.objects.filter(kind="muc_luc").count() == 1
    assert "Còn thiếu minh chứng bắt buộc" not in body(rep.get(reverse("sheet-detail", args=[sheet.pk])))

    submitted = rep.post(reverse("sheet-submit", args=[sheet.pk]))
    assert submitted.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED

    # The reviewer sees self and review side by side, prefilled with the self points.
    rev = signed_in(reviewer)
    page = rev.get(reverse("sheet-review", args=[sheet.pk]))
    assert page.status_code == 200
    line2 = lines_of(sheet)[1]
    assert f'name="review-{line2.pk}" value="22"' in body(page)
    assert "table-warning" not in body(page).split("<tbody>")[1].split("</tbody>")[0]

    # Changed lines without a note: refused, nothing saved.
    before = state(sheet)
    no_notes = rev.post(reverse("sheet-review", args=[sheet.pk]), review_data(sheet, REVIEW_78, notes=False))
    assert no_notes.status_code == 200
    assert "phải ghi nhận xét" in body(no_notes)
    assert state(sheet) == before

    reviewed = rev.post(reverse("sheet-review", args=[sheet.pk]), review_data(sheet, REVIEW_78))
    assert reviewed.status_code == 302
    sheet.refresh_from_db()
    assert sheet.review_total == Decimal("78")
    assert sheet.review_class == "Khá"
    assert sheet.self_total == Decimal("87")
    assert sheet.self_class == "Tốt"
    assert sheet.status == ScoreSheet.Status.REVIEWED
    page = body(rev.get(reverse("sheet-review", args=[sheet.pk])))
    assert f'id="row-{line2.pk}" data-row class="table-warning"' in page
    assert "Khá" in page
    assert "Tốt" in page

    # Both classifications on the unit's read-only page and in the list.
    detail = body(rep.get(reverse("sheet-detail", args=[sheet.pk])))
    assert "Khá" in detail
    assert "Tốt" in detail
    assert "78,0" in detail
    assert "87,0" in detail
    listing = body(rep.get(reverse("sheet-list")))
    assert "78,0" in listing
    assert "87,0" in listing

    # The reviewer may not publish; steering of the province does.
    assert rev.post(reverse("sheet-publish"), {"sheets": [sheet.pk]}).status_code == 403
    st = signed_in(steering)
    listing = body(st.get(reverse("sheet-list")))
    assert f'name="sheets" value="{sheet.pk}"' in listing
    published = st.post(reverse("sheet-publish"), {"sheets": [sheet.pk]}, follow=True)
    assert "Đã công bố 1 phiếu" in body(published)
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.PUBLISHED
    assert sheet.is_locked

    # Published sheets are locked: self-score, review and upload are refused with a message.
    before = state(sheet)
    r = rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, FULL))
    assert r.status_code == 200
    assert "không thực hiện được" in body(r)
    r = rev.post(reverse("sheet-review", args=[sheet.pk]), review_data(sheet, FULL))
    assert r.status_code == 200
    assert "đã khóa" in body(r)
    r = rep.post(reverse("evidence-upload", args=[first.pk]), {"kind": "minh_chung", "file": pdf()})
    assert r.status_code == 200
    assert "không thêm minh chứng được" in body(r)
    r = rep.post(reverse("sheet-submit", args=[sheet.pk]))
    assert r.status_code == 200
    assert state(sheet) == before

    # One appeal round: a reason is required; a second appeal is refused.
    assert "Đề nghị xem xét lại kết quả" in body(rep.get(reverse("sheet-detail", args=[sheet.pk])))
    r = rep.post(reverse("sheet-appeal", args=[sheet.pk]), {"appeal_note": " "})
    assert r.status_code == 200
    assert "Hãy ghi lý do" in body(r)
    assert state(sheet) == before
    r = rep.post(reverse("sheet-appeal", args=[sheet.pk]), {"appeal_note": "Đã có kết quả khảo sát hài lòng"})
    assert r.status_code == 302
    sheet.refresh_from_db()
    assert sheet.appeal == ScoreSheet.Appeal.REQUESTED
    r = rep.post(reverse("sheet-appeal", args=[sheet.pk]), {"appeal_note": "Lần nữa"})
    assert r.status_code == 200
    assert "chỉ được đề nghị xem xét lại một lần" in body(r)

    # During the appeal the unit adds new evidence, and the reviewer re-scores.
    fifth = lines_of(sheet)[4]
    r = rep.post(reverse("evidence-upload", args=[fifth.pk]), {"kind": "minh_chung", "file": pdf("khao-sat.pdf")})
    assert r.status_code == 302
    assert Evidence.objects.get(original_name="khao-sat.pdf").for_appeal
    r = rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, FULL))
    assert r.status_code == 200  # self points stay as published
    rescored = rev.post(reverse("sheet-review", args=[sheet.pk]), review_data(sheet, [*REVIEW_78[:4], "14"]))
    assert rescored.status_code == 302
    sheet.refresh_from_db()
    assert sheet.review_total == Decimal("80")
    assert sheet.review_class == "Tốt"
    assert sheet.appeal == ScoreSheet.Appeal.RESOLVED
    assert sheet.is_locked
    r = rep.post(reverse("sheet-appeal", args=[sheet.pk]), {"appeal_note": "Lần hai"})
    assert r.status_code == 200
    assert "một lần" in body(r)
    r = rep.post(reverse("evidence-upload", args=[fifth.pk]), {"kind": "minh_chung", "file": pdf()})
    assert r.status_code == 200

    # Evidence downloads: the unit and its reviewer; nobody from another commune.
    evidence = Evidence.objects.filter(line__sheet=sheet).first()
    got = rep.get(reverse("evidence-download", args=[evidence.pk]))
    assert got.status_code == 200
    assert got["Content-Disposition"].startswith("attachment")
    assert evidence.original_name in got["Content-Disposition"]
    assert b"".join(got.streaming_content) == PDF
    assert rev.get(reverse("evidence-download", args=[evidence.pk])).status_code == 200
    assert signed_in(reporter_c).get(reverse("evidence-download", args=[evidence.pk])).status_code == 404
    assert signed_in(reporter_b).get(reverse("evidence-download", args=[evidence.pk])).status_code == 404
    assert signed_in(reporter_b).get(reverse("sheet-detail", args=[sheet.pk])).status_code == 404


def test_submit_after_the_deadline_is_refused(tree, criteria_set, reporter):
    period = make_period(tree["province"], due=timezone.localdate() - dt.timedelta(days=1))
    rep = signed_in(reporter)
    sheet = create_sheet(rep, tree["commune_a"], period)
    assert rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, SELF_87)).status_code == 302
    upload_required(rep, sheet)
    before = state(sheet)
    response = rep.post(reverse("sheet-submit", args=[sheet.pk]))
    assert response.status_code == 200
    assert "Đã quá hạn tự chấm điểm" in body(response)
    assert state(sheet) == before


def test_submit_with_criteria_not_scored_is_refused(tree, criteria_set, period, reporter):
    rep = signed_in(reporter)
    sheet = create_sheet(rep, tree["commune_a"], period)
    upload_required(rep, sheet)
    response = rep.post(reverse("sheet-submit", args=[sheet.pk]))
    assert "Còn tiêu chí chưa tự chấm điểm" in body(response)
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.DRAFT


def test_no_applicable_set_is_a_clear_error(tree, period, reporter):
    response = signed_in(reporter).post(reverse("sheet-create"), {"unit": tree["commune_a"].pk, "period": period.pk})
    assert response.status_code == 200
    assert "Chưa có bộ tiêu chí đã ban hành áp dụng cho" in body(response)
    assert not ScoreSheet.objects.exists()


def test_create_refuses_units_and_periods_out_of_reach(tree, criteria_set, period, reporter):
    other_province = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    foreign = make_period(other_province, label="Năm 2025 tỉnh khác")
    rep = signed_in(reporter)
    r = rep.post(reverse("sheet-create"), {"unit": tree["commune_b"].pk, "period": period.pk})
    assert r.status_code == 200
    assert "trong phạm vi của bạn" in body(r)
    r = rep.post(reverse("sheet-create"), {"unit": tree["commune_a"].pk, "period": foreign.pk})
    assert r.status_code == 200
    assert not ScoreSheet.objects.exists()
    # Creating twice opens the existing sheet.
    sheet = create_sheet(rep, tree["commune_a"], period)
    again = rep.post(reverse("sheet-create"), {"unit": tree["commune_a"].pk, "period": period.pk})
    assert again.status_code == 302
    assert again["Location"] == reverse("sheet-detail", args=[sheet.pk])
    assert ScoreSheet.objects.count() == 1


def test_periods_for_unit_reads_the_province_from_the_path(tree, period):
    other = make_period(UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE), label="Khác")
    assert list(services.periods_for_unit(tree["commune_a"])) == [period]
    assert other not in services.periods_for_unit(tree["commune_a"])
    assert list(services.periods_for_unit(tree["province"])) == [period]


def test_return_needs_a_reason(tree, criteria_set, period, reporter, reviewer):
    rep = signed_in(reporter)
    sheet = create_sheet(rep, tree["commune_a"], period)
    rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, SELF_87))
    upload_required(rep, sheet)
    rep.post(reverse("sheet-submit", args=[sheet.pk]))
    rev = signed_in(reviewer)
    before = state(sheet)
    r = rev.post(reverse("sheet-return", args=[sheet.pk]), {"reason": ""})
    assert r.status_code == 200
    assert "Hãy ghi lý do trả lại" in body(r)
    assert state(sheet) == before
    r = rev.post(reverse("sheet-return", args=[sheet.pk]), {"reason": "Thiếu biên bản hội nghị"})
    assert r.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.DRAFT
    assert "Thiếu biên bản hội nghị" in body(rep.get(reverse("sheet-detail", args=[sheet.pk])))
    # The reporter can only self-score and submit, never review.
    assert rep.get(reverse("sheet-review", args=[sheet.pk])).status_code == 403


def test_superior_points_and_stale_review(tree, period, reporter, reviewer):
    cs = bac_giang_set(tree["province"])
    cs.status = CriteriaSet.Status.DRAFT
    cs.superior_points_max = Decimal("10")
    cs.total_points = Decimal("110")
    cs.save()
    services.set_publish(actor=None, criteria_set=cs)
    rep = signed_in(reporter)
    sheet = create_sheet(rep, tree["commune_a"], period)
    rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, SELF_87))
    upload_required(rep, sheet)
    rep.post(reverse("sheet-submit", args=[sheet.pk]))
    rev = signed_in(reviewer)
    assert 'name="superior_points"' in body(rev.get(reverse("sheet-review", args=[sheet.pk])))
    r = rev.post(reverse("sheet-review", args=[sheet.pk]), review_data(sheet, SELF_87, superior="12"))
    assert r.status_code == 200
    assert "Điểm cấp trên chấm phải từ 0 đến 10" in body(r)
    before = state(sheet)
    r = rev.post(reverse("sheet-review", args=[sheet.pk]), review_data(sheet, SELF_87, superior="8", version=0))
    assert r.status_code == 409
    assert state(sheet) == before
    r = rev.post(reverse("sheet-review", args=[sheet.pk]), review_data(sheet, SELF_87, superior="8"))
    assert r.status_code == 302
    sheet.refresh_from_db()
    assert sheet.review_total == Decimal("95")
    assert sheet.superior_points == Decimal("8")


def test_publish_scope(tree, criteria_set, period, reporter, reviewer, steering):
    rep = signed_in(reporter)
    sheet = create_sheet(rep, tree["commune_a"], period)
    rep.post(reverse("sheet-self-score", args=[sheet.pk]), score_data(sheet, SELF_87))
    upload_required(rep, sheet)
    rep.post(reverse("sheet-submit", args=[sheet.pk]))
    sheet.refresh_from_db()
    r = signed_in(reviewer).post(reverse("sheet-review", args=[sheet.pk]), review_data(sheet, SELF_87))
    assert r.status_code == 302
    other = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    outsider = GrantFactory(user=UserFactory(username="steering.q"), unit=other, role="steering").user
    assert signed_in(outsider).post(reverse("sheet-publish"), {"sheets": [sheet.pk]}).status_code == 404
    assert rep.post(reverse("sheet-publish"), {"sheets": [sheet.pk]}).status_code == 403
    st = signed_in(steering)
    r = st.post(reverse("sheet-publish"), {"sheets": []}, follow=True)
    assert "Chưa chọn phiếu nào" in body(r)
    # A foreign "next" is never followed.
    r = st.post(reverse("sheet-publish"), {"sheets": [sheet.pk], "next": "https://example.com/"})
    assert r.status_code == 302
    assert r["Location"] == reverse("sheet-list")
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.PUBLISHED
    r = st.post(reverse("sheet-publish"), {"sheets": [sheet.pk]}, follow=True)
    assert "Đã công bố 0 phiếu" in body(r)
    assert "chưa thẩm định hoặc đã công bố" in body(r)


def test_list_filters_and_scope(tree, criteria_set, period, reporter, reviewer, reporter_c):
    agency_set = bac_giang_set(tree["province"])
    agency_set.status = CriteriaSet.Status.DRAFT
    agency_set.applies_to = "public_service"
    agency_set.save()
    services.set_publish(actor=None, criteria_set=agency_set)
    school = UnitFactory(name="Trường Tiểu học Vụ Bản", kind=UnitKind.PUBLIC_SERVICE, parent=tree["commune_a"])
    a = services.sheet_create(actor=None, unit=tree["commune_a"], period=period, criteria_set=criteria_set)
    s = services.sheet_create(actor=None, unit=school, period=period, criteria_set=agency_set)
    c = services.sheet_create(actor=None, unit=tree["commune_c"], period=period, criteria_set=criteria_set)
    ScoreSheet.objects.filter(pk=a.pk).update(status=ScoreSheet.Status.SUBMITTED)
    rev = signed_in(reviewer)
    url = reverse("sheet-list")
    listing = body(rev.get(url))
    assert tree["commune_a"].name in listing
    assert school.name in listing
    assert tree["commune_c"].name not in listing  # another district
    assert "Tạo phiếu chấm điểm" not in listing  # reviewers do not create sheets
    only_agencies = body(rev.get(url, {"kind": "public_service"}))
    assert school.name in only_agencies
    assert f'href="/cham-diem/{a.pk}/"' not in only_agencies
    submitted = body(rev.get(url, {"status": "submitted"}))
    assert f'href="/cham-diem/{a.pk}/"' in submitted
    assert f'href="/cham-diem/{s.pk}/"' not in submitted
    assert f'href="/cham-diem/{c.pk}/"' in body(signed_in(reporter_c).get(url, {"period": period.pk}))
    # Reviewers read the unit's page but never get the self-scoring inputs.
    page = body(rev.get(reverse("sheet-detail", args=[s.pk])))
    assert 'id="score-form"' not in page
    assert "Thẩm định" in page
    assert 'id="score-form"' in body(signed_in(reporter).get(reverse("sheet-detail", args=[s.pk])))


def test_line_of_another_sheet_cannot_be_smuggled(tree, criteria_set, period, reporter):
    rep = signed_in(reporter)
    sheet = create_sheet(rep, tree["commune_a"], period)
    other = services.sheet_create(actor=None, unit=tree["commune_b"], period=period, criteria_set=criteria_set)
    foreign = other.lines.first()
    data = score_data(sheet, SELF_87)
    data[f"points-{foreign.pk}"] = "1"
    assert rep.post(reverse("sheet-self-score", args=[sheet.pk]), data).status_code == 302
    assert ScoreLine.objects.get(pk=foreign.pk).self_points is None
    # Upload to another commune's line: not found.
    r = rep.post(reverse("evidence-upload", args=[foreign.pk]), {"kind": "minh_chung", "file": pdf()})
    assert r.status_code == 404
    assert not Evidence.objects.exists()
