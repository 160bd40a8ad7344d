"""Criteria sets: the shipped sets, the publication rules, versioning, Excel export and import,
and who may configure them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from criteria import services, sets_io, shipped
from criteria.models import AppliesTo, ClassificationBand, CriteriaSet, Criterion, ScoreSheet
from reports.models import ReportingPeriod
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import CodeList, UnitKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _criteria(cs: CriteriaSet) -> list[tuple]:
    return [
        (
            c.code,
            c.title,
            c.guidance,
            c.max_points,
            c.is_group,
            c.parent.code if c.parent_id else "",
            c.evidence_required,
            c.evidence_hint,
        )
        for c in cs.criteria.select_related("parent").order_by("order", "pk")
    ]


def _bands(cs: CriteriaSet) -> list[tuple]:
    return list(cs.bands.order_by("-min_score").values_list("label", "min_score", "no_zero_criterion"))


def _simple_set(province, *, points=(60, 40), name="Bộ thử", status=CriteriaSet.Status.DRAFT) -> CriteriaSet:
    cs = services.set_save(
        actor=None,
        data={
            "name": name,
            "province": province,
            "applies_to": AppliesTo.COMMUNE,
            "year_from": 2025,
            "total_points": Decimal("100"),
        },
        criteria=[
            {"code": str(i), "title": f"Tiêu chí {i}", "max_points": Decimal(p)} for i, p in enumerate(points, 1)
        ],
        bands=shipped.default_bands(),
    )
    if status == CriteriaSet.Status.PUBLISHED:
        services.set_publish(actor=None, criteria_set=cs)
    return cs


def _upload(data: bytes, name="bo-tieu-chi.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


@pytest.fixture
def other_steering(db):
    q = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    return GrantFactory(user=UserFactory(username="steering.q"), unit=q, role="steering").user


# --- Shipped sets ---------------------------------------------------------------------------


def test_shipped_sets_load_sum_to_100_and_are_published(tree):
    loaded = shipped.load(province=tree["province"])
    assert len(loaded) == 5
    assert all(created for _cs, created in loaded)
    kinds = set()
    for cs, _created in loaded:
        cs.refresh_from_db()
        kinds.add(cs.applies_to)
        assert cs.status == CriteriaSet.Status.PUBLISHED
        assert services.set_problems(cs) == []
        assert sum(c.max_points for c in cs.criteria.filter(is_group=False)) == Decimal("100")
        for group in cs.criteria.filter(is_group=True):
            assert sum(c.max_points for c in group.children.all()) == group.max_points
        assert _bands(cs) == [(label, score, False) for label, score in shipped.DEFAULT_BANDS]
        assert cs.is_illustrative == ("(minh họa)" in cs.name)
        assert cs.province == tree["province"]
    assert kinds == set(AppliesTo.values)


def test_bac_giang_set_is_the_real_one(tree):
    shipped.load(province=tree["province"])
    cs = CriteriaSet.objects.get(name=shipped.BAC_GIANG["name"])
    assert not cs.is_illustrative
    assert "qcdc.bacgiang.gov.vn" in cs.legal_basis
    rows = list(cs.criteria.order_by("order"))
    assert [(c.code, c.max_points) for c in rows] == [
        ("1", 20),
        ("2", 25),
        ("3", 20),
        ("4", 15),
        ("5", 20),
    ]
    for c in rows:
        assert c.evidence_required
        assert not c.is_group
        assert "Mục lục tài liệu" in c.evidence_hint
        assert "tài liệu minh chứng" in c.evidence_hint
        assert "Tờ trình của UBND cấp xã" in c.guidance
        assert "Bảng tự chấm điểm" in c.guidance


def test_illustrative_commune_set_follows_domain_5_5(tree):
    shipped.load(province=tree["province"])
    cs = CriteriaSet.objects.get(name=shipped.COMMUNE["name"])
    groups = list(cs.criteria.filter(is_group=True).order_by("order").values_list("code", "max_points"))
    assert groups == [("I", 10), ("II", 15), ("III", 15), ("IV", 10), ("V", 20), ("VI", 20), ("VII", 10)]
    assert cs.criteria.filter(is_group=False).count() == 16
    assert cs.criteria.get(code="6.2").max_points == 8
    assert cs.criteria.get(code="6.2").parent.code == "VI"


def test_shipped_sets_are_idempotent_and_the_command_takes_a_province(tree):
    province = tree["province"]
    province.code_list, province.code = CodeList.LEGACY, "17"
    province.save()
    out = StringIO()
    call_command("load_criteria_sets", "--province", "qd124:17", stdout=out)
    call_command("load_criteria_sets", "--province", "qd124:17", stdout=out)
    assert CriteriaSet.objects.filter(province=province).count() == 5
    assert "đã có, bỏ qua" in out.getvalue()
    assert all(not created for _cs, created in shipped.load(province=province))
    call_command("load_criteria_sets", stdout=StringIO())
    assert CriteriaSet.objects.filter(province__isnull=True, status="published").count() == 5


def test_real_set_is_preferred_to_the_illustrative_one(tree):
    shipped.load(province=tree["province"])
    period = ReportingPeriod.objects.create(
        province=tree["province"],
        kind=ReportingPeriod.Kind.ANNUAL,
        year=2025,
        label="Năm 2025",
        data_start=dt.date(2024, 10, 16),
        data_end=dt.date(2025, 10, 15),
        due_date=dt.date(2025, 10, 15),
    )
    assert services.set_for(tree["commune_a"], period).name == shipped.BAC_GIANG["name"]


def test_demo_seed_sets(tree):
    from criteria import demo

    province = tree["province"]
    province.code_list, province.code = CodeList.LEGACY, "17"
    province.save()
    lines = demo.seed_sets(print)
    assert "5 bộ đã ban hành, tạo mới 5" in lines[0]
    assert "tạo mới 0" in demo.seed_sets(print)[0]


# --- Publication rules ----------------------------------------------------------------------


def test_set_problems_catch_wrong_total_empty_set_group_mismatch_and_no_bands(tree):
    p = tree["province"]
    assert services.set_problems(_simple_set(p)) == []
    wrong = _simple_set(p, points=(60, 30), name="Sai tổng")
    assert any("Tổng điểm chuẩn các tiêu chí (90)" in m for m in services.set_problems(wrong))
    empty = CriteriaSet.objects.create(name="Rỗng", province=p, applies_to="commune", year_from=2025)
    problems = services.set_problems(empty)
    assert "Bộ tiêu chí chưa có tiêu chí nào." in problems
    assert "Chưa có mức xếp loại." in problems
    grouped = services.set_save(
        actor=None,
        data={"name": "Nhóm lệch", "province": p, "applies_to": "commune", "year_from": 2025},
        criteria=[
            {"code": "I", "title": "Nhóm I", "is_group": True, "max_points": Decimal("30")},
            {"code": "1.1", "title": "A", "parent_code": "I", "max_points": Decimal("20")},
            {"code": "1.2", "title": "B", "parent_code": "I", "max_points": Decimal("20")},
            {"code": "2", "title": "C", "max_points": Decimal("60")},
        ],
        bands=shipped.default_bands(),
    )
    assert services.set_problems(grouped) == ["Nhóm I: tổng điểm các tiêu chí con khác điểm của nhóm."]


def test_set_save_refuses_bad_structure(tree):
    with pytest.raises(services.ValidationError) as exc:
        services.set_save(
            actor=None,
            data={"name": "X", "province": tree["province"], "applies_to": "commune", "year_from": 2025},
            criteria=[
                {"code": "1", "title": "A", "max_points": Decimal("50")},
                {"code": "1", "title": "B", "max_points": Decimal("50")},
                {"code": "2", "title": "C", "parent_code": "9", "max_points": Decimal("1")},
            ],
            bands=[],
        )
    text = " ".join(exc.value.messages)
    assert "Mã tiêu chí 1 bị trùng." in text
    assert "không có nhóm này" in text
    assert not CriteriaSet.objects.filter(name="X").exists()


def test_publish_refuses_a_set_with_problems_and_changes_nothing(client, tree, steering):
    cs = _simple_set(tree["province"], points=(60, 30))
    client.force_login(steering)
    response = client.post(reverse("criteria-set-publish", args=[cs.pk]))
    assert response.status_code == 302
    cs.refresh_from_db()
    assert cs.status == CriteriaSet.Status.DRAFT
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Tổng điểm chuẩn các tiêu chí (90) khác tổng điểm của bộ (100)" in t for t in texts)
    good = _simple_set(tree["province"], name="Đủ điểm")
    client.post(reverse("criteria-set-publish", args=[good.pk]))
    good.refresh_from_db()
    assert good.status == CriteriaSet.Status.PUBLISHED


def test_detail_lists_problems_of_a_draft(client, tree, steering):
    cs = _simple_set(tree["province"], points=(60, 30))
    client.force_login(steering)
    response = client.get(reverse("criteria-set-detail", args=[cs.pk]))
    assert response.status_code == 200
    assert "Chưa ban hành được vì" in response.content.decode()
    assert "Tổng điểm chuẩn các tiêu chí (90)" in response.content.decode()


# --- Create and edit through the browser ---------------------------------------------------


def _payload(province, rows, bands, initial=False, **fields):
    """The create/edit form as a browser posts it (``initial``: the rows were pre-filled)."""
    data = {
        "name": "Bộ tiêu chí mới",
        "province": province.pk if province else "",
        "applies_to": "commune",
        "year_from": 2026,
        "year_to": "",
        "legal_basis": "Quyết định số 1/QĐ-UBND",
        "total_points": "100",
        "score_step": "0.5",
        "superior_points_max": "0",
        "bonus_max": "0",
        "penalty_max": "0",
        "tc-TOTAL_FORMS": len(rows),
        "tc-INITIAL_FORMS": len(rows) if initial else 0,
        "tc-MIN_NUM_FORMS": 0,
        "tc-MAX_NUM_FORMS": 1000,
        "xl-TOTAL_FORMS": len(bands),
        "xl-INITIAL_FORMS": len(bands) if initial else 0,
        "xl-MIN_NUM_FORMS": 0,
        "xl-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                value = "on"
            if value is not False:
                data[f"tc-{i}-{key}"] = value
    for i, (label, score) in enumerate(bands):
        data[f"xl-{i}-label"], data[f"xl-{i}-min_score"] = label, score
    return data


GROUPED_ROWS = [
    {"code": "I", "title": "Công khai", "is_group": True, "max_points": "40"},
    {"code": "1.1", "title": "Đủ nội dung", "parent_code": "I", "max_points": "25", "evidence_required": True},
    {"code": "1.2", "title": "Đúng hình thức", "parent_code": "I", "max_points": "15"},
    {"code": "2", "title": "Đối thoại", "max_points": "60", "guidance": "Ít nhất 1 lần/năm"},
    {"code": "", "title": ""},  # a blank row is skipped
]
BANDS = [("Tốt", "80"), ("Khá", "50"), ("Yếu", "0")]


def test_steering_creates_a_draft_set_with_groups(client, tree, steering):
    client.force_login(steering)
    assert client.get(reverse("criteria-set-create")).status_code == 200
    response = client.post(reverse("criteria-set-create"), _payload(tree["province"], GROUPED_ROWS, BANDS))
    assert response.status_code == 302, response.content.decode()[:3000]
    cs = CriteriaSet.objects.get(name="Bộ tiêu chí mới")
    assert cs.status == CriteriaSet.Status.DRAFT
    assert cs.version == 1
    assert [(c[0], c[3], c[5]) for c in _criteria(cs)] == [
        ("I", 40, ""),
        ("1.1", 25, "I"),
        ("1.2", 15, "I"),
        ("2", 60, ""),
    ]
    assert services.set_problems(cs) == []
    assert _bands(cs) == [("Tốt", 80, False), ("Khá", 50, False), ("Yếu", 0, False)]


def test_create_form_reports_duplicate_codes_and_unknown_groups(client, tree, steering):
    client.force_login(steering)
    rows = [
        {"code": "1", "title": "A", "max_points": "50"},
        {"code": "1", "title": "B", "max_points": "50"},
        {"code": "3", "title": "C", "parent_code": "X", "max_points": "5"},
    ]
    response = client.post(reverse("criteria-set-create"), _payload(tree["province"], rows, BANDS))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mã 1 đã dùng ở một dòng khác." in body
    assert "Không có nhóm mã X." in body
    assert not CriteriaSet.objects.exists()


def test_editing_a_published_set_without_sheets(client, tree, steering):
    cs = _simple_set(tree["province"], status=CriteriaSet.Status.PUBLISHED)
    client.force_login(steering)
    assert client.get(reverse("criteria-set-edit", args=[cs.pk])).status_code == 200
    rows = [{"code": "1", "title": "Một", "max_points": "70"}, {"code": "2", "title": "Hai", "max_points": "30"}]
    payload = _payload(tree["province"], rows, BANDS, initial=True)
    response = client.post(reverse("criteria-set-edit", args=[cs.pk]), payload)
    assert response.status_code == 302
    cs.refresh_from_db()
    assert cs.status == CriteriaSet.Status.PUBLISHED
    assert cs.name == "Bộ tiêu chí mới"
    assert [c[3] for c in _criteria(cs)] == [70, 30]
    rows[1]["max_points"] = "20"  # 90 of 100: back to draft
    response = client.post(reverse("criteria-set-edit", args=[cs.pk]), _payload(tree["province"], rows, BANDS, True))
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("chuyển về dự thảo" in t for t in texts)
    cs.refresh_from_db()
    assert cs.status == CriteriaSet.Status.DRAFT


# --- Versioning -----------------------------------------------------------------------------


def _sheet_on(cs, tree):
    period = ReportingPeriod.objects.create(
        province=tree["province"],
        kind=ReportingPeriod.Kind.ANNUAL,
        year=2025,
        label="Năm 2025",
        data_start=dt.date(2024, 10, 16),
        data_end=dt.date(2025, 10, 15),
        due_date=dt.date(2025, 10, 15),
    )
    return services.sheet_create(actor=None, unit=tree["commune_a"], period=period, criteria_set=cs)


def test_a_set_with_sheets_cannot_be_edited_but_copies_as_version_2(client, tree, steering):
    shipped.load(province=tree["province"])
    cs = CriteriaSet.objects.get(name=shipped.COMMUNE["name"])
    _sheet_on(cs, tree)
    client.force_login(steering)
    response = client.get(reverse("criteria-set-edit", args=[cs.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "không sửa được" in body
    assert reverse("criteria-set-copy", args=[cs.pk]) in body
    before = _criteria(cs)
    rows = [{"code": "1", "title": "Một", "max_points": "100"}]
    response = client.post(reverse("criteria-set-edit", args=[cs.pk]), _payload(tree["province"], rows, BANDS))
    assert response.status_code == 409
    assert "không sửa được" in response.content.decode()
    assert _criteria(cs) == before
    with pytest.raises(services.ValidationError):
        services.set_save(actor=None, data={}, criteria=[], bands=[], criteria_set=cs)

    response = client.post(reverse("criteria-set-copy", args=[cs.pk]))
    new = CriteriaSet.objects.exclude(pk=cs.pk).get(name=cs.name, province=cs.province)
    assert response.status_code == 302
    assert response.url == reverse("criteria-set-detail", args=[new.pk])
    assert new.version == 2
    assert new.previous == cs
    assert new.status == CriteriaSet.Status.DRAFT
    assert _criteria(new) == before
    assert _bands(new) == _bands(cs)
    assert new.is_illustrative
    assert new.applies_to == cs.applies_to
    assert new.legal_basis == cs.legal_basis
    assert client.get(reverse("criteria-set-edit", args=[new.pk])).status_code == 200


# --- Excel ----------------------------------------------------------------------------------


def test_export_layout(client, tree, reporter):
    shipped.load(province=tree["province"])
    cs = CriteriaSet.objects.get(name=shipped.COMMUNE["name"])
    client.force_login(reporter)  # public rules: anyone who sees the set may print it
    response = client.get(reverse("criteria-set-export", args=[cs.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb[sets_io.SHEET]
    assert ws["A1"].value == cs.name
    assert ws["A2"].value == f"Căn cứ: {cs.legal_basis}"
    assert ws["A4"].value == "Năm áp dụng: từ 2023"
    header = [c.value for c in ws[sets_io.HEADER_ROW]]
    assert header == [
        "TT",
        "Tên tiêu chí",
        "Nội dung tiêu chí",
        "Chỉ tiêu / yêu cầu",
        "Điểm chuẩn (tối đa)",
        "Điểm tự chấm",
        "Điểm phúc tra / thẩm định",
        "Căn cứ chấm",
        "Ghi chú",
    ]
    first = sets_io.HEADER_ROW + 1
    assert (ws.cell(first, 1).value, ws.cell(first, 9).value) == ("I", "Nhóm tiêu chí")
    assert ws.cell(first + 1, 1).value == "1.1"
    assert ws.cell(first + 1, 5).value == 4
    assert ws.cell(first + 1, 1).data_type == "s"
    assert ws.cell(first + 1, 5).data_type == "n"
    total = next(r for r in range(first, ws.max_row + 1) if ws.cell(r, 2).value == "Cộng")
    assert ws.cell(total, 5).value == 100
    assert ws.cell(total, 5).data_type == "n"
    assert ws.cell(total, 6).value.startswith("=SUM(F")
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == f"${sets_io.HEADER_ROW}:${sets_io.HEADER_ROW}"


def test_text_is_never_written_as_a_formula(tree):
    cs = _simple_set(tree["province"])
    Criterion.objects.filter(criteria_set=cs, code="1").update(title='=HYPERLINK("http://x","bấm")')
    ws = openpyxl.load_workbook(io.BytesIO(sets_io.export_workbook(cs)))[sets_io.SHEET]
    cell = ws.cell(sets_io.HEADER_ROW + 1, 2)
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize("name", [shipped.COMMUNE["name"], shipped.BAC_GIANG["name"]])
def test_export_then_import_gives_the_same_set(client, tree, steering, other_steering, name):
    shipped.load(province=tree["province"])
    cs = CriteriaSet.objects.get(name=name)
    ClassificationBand.objects.filter(criteria_set=cs, label="Xuất sắc").update(no_zero_criterion=True)
    data = sets_io.export_workbook(cs)
    client.force_login(steering)
    response = client.post(reverse("criteria-set-import"), {"file": _upload(data), "province": tree["province"].pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    new = CriteriaSet.objects.exclude(pk=cs.pk).get(name=name)
    assert response.url == reverse("criteria-set-detail", args=[new.pk])
    assert new.status == CriteriaSet.Status.DRAFT
    assert new.version == 2
    assert new.previous == cs
    assert _criteria(new) == _criteria(cs)
    assert _bands(new) == _bands(cs)
    for field in ("legal_basis", "applies_to", "year_from", "year_to", "total_points", "score_step"):
        assert getattr(new, field) == getattr(cs, field), field
    assert services.set_problems(new) == []


def _edited_export(tree, edit) -> bytes:
    cs = _simple_set(tree["province"], status=CriteriaSet.Status.PUBLISHED)
    wb = openpyxl.load_workbook(io.BytesIO(sets_io.export_workbook(cs)))
    edit(wb[sets_io.SHEET], sets_io.HEADER_ROW + 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("edit", "column", "message"),
    [
        (lambda ws, r: setattr(ws.cell(r, 5), "value", "mười"), "Điểm chuẩn (tối đa)", "“mười” không phải là số."),
        (lambda ws, r: setattr(ws.cell(r, 5), "value", -5), "Điểm chuẩn (tối đa)", "Điểm không được âm."),
        (lambda ws, r: setattr(ws.cell(r + 1, 1), "value", "1"), "TT", "Mã “1” trùng với dòng"),
        (lambda ws, r: setattr(ws.cell(r, 5), "value", "=20+40"), "Điểm chuẩn (tối đa)", "Ô có công thức"),
        (lambda ws, r: setattr(ws.cell(r, 2), "value", None), "Tên tiêu chí", "Thiếu tên tiêu chí."),
    ],
    ids=["text-points", "negative-points", "duplicate-code", "formula", "no-title"],
)
def test_import_errors_save_nothing(client, tree, steering, edit, column, message):
    data = _edited_export(tree, edit)
    before = (CriteriaSet.objects.count(), Criterion.objects.count(), ClassificationBand.objects.count())
    result = sets_io.import_xlsx(user=steering, fileobj=_upload(data), province=tree["province"])
    assert not result.ok
    assert any(e.column == column and message in e.message for e in result.errors), result.errors
    assert all(e.row for e in result.errors)
    client.force_login(steering)
    response = client.post(reverse("criteria-set-import"), {"file": _upload(data), "province": tree["province"].pk})
    assert response.status_code == 200
    assert "Chưa lưu gì cả." in response.content.decode()
    assert (CriteriaSet.objects.count(), Criterion.objects.count(), ClassificationBand.objects.count()) == before


def test_import_refuses_files_that_are_not_xlsx(tree, steering):
    result = sets_io.import_xlsx(user=steering, fileobj=_upload(b"not a workbook"), province=tree["province"])
    assert not result.ok
    assert "không phải bảng tính Excel" in result.errors[0].message
    wb = openpyxl.Workbook()
    wb.active.append(["Cột lạ"])
    out = io.BytesIO()
    wb.save(out)
    result = sets_io.import_xlsx(user=steering, fileobj=_upload(out.getvalue()), province=tree["province"])
    assert not result.ok
    assert "Không tìm thấy dòng tiêu đề" in result.errors[0].message
    assert not CriteriaSet.objects.exists()


# --- Who may do what ------------------------------------------------------------------------


def test_reporter_may_read_but_not_configure(client, tree, reporter):
    cs = _simple_set(tree["province"], status=CriteriaSet.Status.PUBLISHED)
    draft = _simple_set(tree["province"], name="Dự thảo")
    client.force_login(reporter)
    assert client.get(reverse("criteria-set-list")).status_code == 200
    assert client.get(reverse("criteria-set-detail", args=[cs.pk])).status_code == 200
    assert client.get(reverse("criteria-set-create")).status_code == 403
    assert (
        client.post(reverse("criteria-set-create"), _payload(tree["province"], GROUPED_ROWS, BANDS)).status_code == 403
    )
    assert client.get(reverse("criteria-set-edit", args=[cs.pk])).status_code == 403
    assert client.post(reverse("criteria-set-copy", args=[cs.pk])).status_code == 403
    assert client.get(reverse("criteria-set-import")).status_code == 403
    assert client.get(reverse("criteria-set-detail", args=[draft.pk])).status_code == 404
    assert "Dự thảo" not in client.get(reverse("criteria-set-list")).content.decode()
    assert CriteriaSet.objects.count() == 2


def test_drafts_of_another_province_are_invisible(client, tree, other_steering):
    draft = _simple_set(tree["province"], name="Dự thảo tỉnh P")
    published = _simple_set(tree["province"], name="Đã ban hành tỉnh P", status=CriteriaSet.Status.PUBLISHED)
    client.force_login(other_steering)
    for name in ("criteria-set-detail", "criteria-set-edit", "criteria-set-export"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert client.post(reverse("criteria-set-publish", args=[draft.pk])).status_code == 404
    assert client.post(reverse("criteria-set-copy", args=[draft.pk])).status_code == 404
    assert client.get(reverse("criteria-set-detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("criteria-set-edit", args=[published.pk])).status_code == 403
    body = client.get(reverse("criteria-set-list")).content.decode()
    assert "Đã ban hành tỉnh P" in body
    assert "Dự thảo tỉnh P" not in body
    # Their own form refuses province P.
    response = client.post(reverse("criteria-set-create"), _payload(tree["province"], GROUPED_ROWS, BANDS))
    assert response.status_code == 200
    assert CriteriaSet.objects.count() == 2


def test_national_sets_are_configured_by_superusers_only(client, tree, steering):
    shipped.load(province=None)
    cs = CriteriaSet.objects.get(name=shipped.BAC_GIANG["name"], province__isnull=True)
    client.force_login(steering)
    assert client.get(reverse("criteria-set-detail", args=[cs.pk])).status_code == 200
    assert client.get(reverse("criteria-set-edit", args=[cs.pk])).status_code == 403
    admin = UserFactory(username="root", is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("criteria-set-edit", args=[cs.pk])).status_code == 200


def test_list_filters_and_badges(client, tree, reporter):
    shipped.load(province=tree["province"])
    CriteriaSet.objects.filter(name=shipped.ENTERPRISE["name"]).update(year_to=2024)
    client.force_login(reporter)
    body = client.get(reverse("criteria-set-list"), {"applies_to": "commune"}).content.decode()
    assert "(Bắc Giang)" in body
    assert "Doanh nghiệp" not in body.split("<tbody>")[1]
    assert "minh họa" in body
    body = client.get(reverse("criteria-set-list"), {"year": "2025"}).content.decode()
    assert "ở doanh nghiệp (minh họa)" not in body
    assert "ở doanh nghiệp (minh họa)" in client.get(reverse("criteria-set-list")).content.decode()


def test_sheets_of_a_set_count_as_frozen(tree):
    cs = _simple_set(tree["province"], status=CriteriaSet.Status.PUBLISHED)
    assert not services.set_is_frozen(cs)
    sheet = _sheet_on(cs, tree)
    assert services.set_is_frozen(cs)
    assert ScoreSheet.objects.filter(pk=sheet.pk).exists()
