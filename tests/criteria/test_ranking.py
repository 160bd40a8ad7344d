"""The ranking page (xếp loại) and its Biểu 13 export: order and counts against an
independent computation, the unit-kind filter, scoping, a fixed number of queries, and the
workbook's layout, numbers, groups, print settings and text that never becomes a formula."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from criteria import exports
from criteria.models import ScoreSheet
from tests.criteria.matrix_ranking import make_period, make_sheet, small_set
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db

ORDER = ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def grant(unit, role, username):
    return GrantFactory(user=UserFactory(username=username), unit=unit, role=role).user


@pytest.fixture
def land():
    """Province P (districts Lạc Sơn and Kim Bôi, a provincial agency), province Q; sheets of
    communes and agencies in every state."""
    p = UnitFactory(name="Tỉnh Hòa Bình", kind=UnitKind.PROVINCE)
    q = UnitFactory(name="Tỉnh Phú Thọ", kind=UnitKind.PROVINCE)
    ls = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, parent=p)
    kb = UnitFactory(name="Huyện Kim Bôi", kind=UnitKind.DISTRICT, parent=p)
    dq = UnitFactory(name="Huyện Thanh Sơn", kind=UnitKind.DISTRICT, parent=q)
    units = {
        "a1": UnitFactory(name="Xã Ân Nghĩa", kind=UnitKind.COMMUNE, parent=ls),
        "a2": UnitFactory(name="Xã Bình Hẻm", kind=UnitKind.COMMUNE, parent=ls),
        "g1": UnitFactory(name="Phòng Nội vụ Lạc Sơn", kind=UnitKind.STATE_AGENCY, parent=ls),
        "b1": UnitFactory(name="Xã Cuối Hạ", kind=UnitKind.COMMUNE, parent=kb),
        "b2": UnitFactory(name="Xã Đú Sáng", kind=UnitKind.COMMUNE, parent=kb),
        "s1": UnitFactory(name="Trường Cao đẳng Hòa Bình", kind=UnitKind.PUBLIC_SERVICE, parent=p),
        "d1": UnitFactory(name="Xã Tân Lập (tỉnh khác)", kind=UnitKind.COMMUNE, parent=dq),
    }
    communes = small_set(p)
    agencies = small_set(p, applies_to="state_agency", name="Bộ tiêu chí thử (cơ quan)")
    services_set = small_set(p, applies_to="public_service", name="Bộ tiêu chí thử (sự nghiệp)")
    period = make_period(p)
    other = make_period(q, "Năm 2025 tỉnh Q")
    sheets = {
        "a1": make_sheet(units["a1"], period, communes, self_total=90, review_total=85, status="reviewed"),
        "a2": make_sheet(units["a2"], period, communes, self_total=70, status="submitted"),
        "g1": make_sheet(units["g1"], period, agencies, self_total=82, review_total=82, status="reviewed"),
        "b1": make_sheet(units["b1"], period, communes, self_total=95, review_total=92, status="published"),
        "b2": make_sheet(units["b2"], period, communes, self_total=60, review_total=55, status="reviewed"),
        "s1": make_sheet(units["s1"], period, services_set, self_total=40, status="draft"),
        "d1": make_sheet(units["d1"], other, small_set(q), self_total=99, status="submitted"),
    }
    return {"p": p, "q": q, "ls": ls, "kb": kb, "units": units, "period": period, "sheets": sheets}


def ranking(client, **params):
    response = client.get(reverse("ranking"), params)
    assert response.status_code == 200
    return response.context["r"]


def independent(sheets):
    """The expected ranking and counts, computed without the view's SQL."""
    rows = sorted(
        sheets,
        key=lambda s: (-(s.review_total if s.review_total is not None else s.self_total), -s.self_total),
    )
    per_district: dict[str, dict[str, int]] = {}
    for s in sheets:
        parent = s.unit.parent
        name = parent.name if parent.kind == UnitKind.DISTRICT else "Đơn vị trực thuộc tỉnh"
        per_district.setdefault(name, {})
        per_district[name][s.review_class] = per_district[name].get(s.review_class, 0) + 1
    return rows, per_district


def test_order_and_counts_match_an_independent_computation(land):
    steering = grant(land["p"], "steering", "bcd.hoabinh")
    r = ranking(signed_in(steering))
    assert r.period == land["period"]
    assert r.scope_unit == land["p"]  # the top of the user's scope
    visible = [s for key, s in land["sheets"].items() if key != "d1"]
    for s in visible:
        s.refresh_from_db()
    expected, per_district = independent(visible)
    assert [row["sheet"].pk for row in r.rows] == [s.pk for s in expected]
    assert [row["sheet"].unit.name for row in r.rows] == [
        "Xã Cuối Hạ",  # 92 reviewed
        "Xã Ân Nghĩa",  # 85
        "Phòng Nội vụ Lạc Sơn",  # 82
        "Xã Bình Hẻm",  # 70, not reviewed: its self score
        "Xã Đú Sáng",  # 55
        "Trường Cao đẳng Hòa Bình",  # 40, draft
    ]
    assert [row["rank"] for row in r.rows] == [1, 2, 3, 4, 5, 6]
    assert [row["district"].name if row["district"] else None for row in r.rows] == [
        "Huyện Kim Bôi",
        "Huyện Lạc Sơn",
        "Huyện Lạc Sơn",
        "Huyện Lạc Sơn",
        "Huyện Kim Bôi",
        None,
    ]
    assert r.labels == [*ORDER, ""]
    got = {g["name"]: dict(zip(r.labels, g["counts"], strict=True)) for g in r.groups}
    for name, counts in per_district.items():
        assert {k: v for k, v in got[name].items() if v} == counts
    assert [g["name"] for g in r.groups] == ["Huyện Kim Bôi", "Huyện Lạc Sơn", "Đơn vị trực thuộc tỉnh"]
    total = dict(zip(r.labels, r.totals["counts"], strict=True))
    assert total == {"Xuất sắc": 1, "Tốt": 2, "Khá": 0, "Trung bình": 1, "Yếu": 0, "": 2}
    assert r.totals["total"] == 6


def test_ties_share_a_rank(land):
    sheet = land["sheets"]["g1"]
    ScoreSheet.objects.filter(pk=sheet.pk).update(review_total=Decimal("85"))
    r = ranking(signed_in(grant(land["p"], "steering", "bcd.hoabinh")))
    assert [row["rank"] for row in r.rows] == [1, 2, 2, 4, 5, 6]


def test_the_page_shows_counts_self_and_review_classifications(land):
    client = signed_in(grant(land["p"], "steering", "bcd.hoabinh"))
    html = client.get(reverse("ranking")).content.decode()
    assert 'id="ranking-counts"' in html
    assert "Toàn phạm vi" in html
    assert "Xã Cuối Hạ" in html
    assert "92,0" in html
    assert "95,0" in html
    assert "Chưa xếp loại" in html
    # Steering: reviewed sheets can be chosen and published through "sheet-publish".
    assert f'action="{reverse("sheet-publish")}"' in html
    assert f'name="ids" value="{land["sheets"]["a1"].pk}"' in html
    assert f'name="ids" value="{land["sheets"]["b1"].pk}"' not in html  # already published
    assert "Công bố kết quả" in html


def test_the_unit_kind_filter(land):
    client = signed_in(grant(land["p"], "steering", "bcd.hoabinh"))
    communes = ranking(client, kind="commune")
    assert {row["sheet"].unit.name for row in communes.rows} == {
        "Xã Ân Nghĩa",
        "Xã Bình Hẻm",
        "Xã Cuối Hạ",
        "Xã Đú Sáng",
    }
    assert communes.totals["total"] == 4
    agencies = ranking(client, kind="state_agency")
    assert [row["sheet"].unit.name for row in agencies.rows] == ["Phòng Nội vụ Lạc Sơn"]
    assert agencies.totals["total"] == 1
    assert [row["sheet"].unit.name for row in ranking(client, kind="public_service").rows] == [
        "Trường Cao đẳng Hòa Bình"
    ]
    assert ranking(client, kind="enterprise").rows == []
    assert len(ranking(client, kind="bogus").rows) == 6  # an unknown kind is ignored


def test_a_district_as_scope(land):
    client = signed_in(grant(land["p"], "steering", "bcd.hoabinh"))
    r = ranking(client, period=land["period"].pk, unit=land["ls"].pk)
    assert [row["sheet"].unit.name for row in r.rows] == ["Xã Ân Nghĩa", "Phòng Nội vụ Lạc Sơn", "Xã Bình Hẻm"]
    assert [g["name"] for g in r.groups] == ["Huyện Lạc Sơn"]


def test_a_reporter_sees_only_their_own_unit(land):
    reporter = grant(land["units"]["a2"], "reporter", "xa.binhhem")
    client = signed_in(reporter)
    r = ranking(client)
    assert [row["sheet"].unit.name for row in r.rows] == ["Xã Bình Hẻm"]
    assert r.totals["total"] == 1
    assert not r.can_steer
    html = client.get(reverse("ranking")).content.decode()
    assert "Xã Ân Nghĩa" not in html
    assert 'name="ids"' not in html
    # A district the reporter cannot see, or another province's period: 404.
    assert client.get(reverse("ranking"), {"unit": land["ls"].pk}).status_code == 404
    other = land["sheets"]["d1"].period_id
    assert client.get(reverse("ranking"), {"period": other}).status_code == 404


def test_a_reviewer_sees_their_district(land):
    client = signed_in(grant(land["kb"], "reviewer", "phongnv.kimboi"))
    r = ranking(client)
    assert r.scope_unit == land["kb"]
    assert [row["sheet"].unit.name for row in r.rows] == ["Xã Cuối Hạ", "Xã Đú Sáng"]
    assert not r.can_steer


def test_steering_of_another_province_sees_nothing_of_p(land):
    client = signed_in(grant(land["q"], "steering", "bcd.phutho"))
    r = ranking(client)
    assert [row["sheet"].unit.name for row in r.rows] == ["Xã Tân Lập (tỉnh khác)"]
    assert client.get(reverse("ranking"), {"period": land["period"].pk}).status_code == 404


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("ranking"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _many(n):
    p = UnitFactory(name="Tỉnh Đếm", kind=UnitKind.PROVINCE)
    districts = [UnitFactory(name=f"Huyện {i}", kind=UnitKind.DISTRICT, parent=p) for i in range(3)]
    cs = small_set(p)
    period = make_period(p)
    states = ["draft", "submitted", "reviewed", "published"]
    for i in range(n):
        unit = UnitFactory(name=f"Xã số {i}", kind=UnitKind.COMMUNE, parent=districts[i % 3])
        status = states[i % 4]
        make_sheet(unit, period, cs, self_total=50 + i, review_total=40 + i, status=status)
    return p, period


@pytest.mark.parametrize("persona", ["steering", "reviewer"])
def test_a_fixed_number_of_queries_whatever_the_rows(persona):
    counts = []
    for n in (3, 30):
        p, period = _many(n)
        unit = p if persona == "steering" else p.children.order_by("pk").first()
        client = signed_in(grant(unit, persona, f"{persona}{n}"))
        _queries(client, {"period": period.pk})  # warm up (session, language)
        counts.append(_queries(client, {"period": period.pk}))
        rows = ranking(client, period=period.pk).rows
        assert len(rows) == (n if persona == "steering" else (n + 2) // 3)
    assert counts[0] == counts[1]


# --- Biểu 13 -------------------------------------------------------------------------------


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="bieu-13-xep-loai-nam-2025.xlsx"' in response["Content-Disposition"]
    data = response.content
    return data, openpyxl.load_workbook(io.BytesIO(data)).active


def _values(ws):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_col=7)]


def test_the_export_layout(land):
    client = signed_in(grant(land["p"], "steering", "bcd.hoabinh"))
    _data, ws = _workbook(client.get(reverse("ranking-export"), {"period": land["period"].pk}))
    assert ws["C1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert ws["C2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert ws["A4"].value == "BIỂU 13 – KẾT QUẢ TỰ CHẤM ĐIỂM VÀ XẾP LOẠI"
    assert ws["A5"].value == "Năm 2025"
    assert ws["A6"].value == "(Số liệu tính từ ngày 16/10/2024 đến ngày 15/10/2025)"
    assert ws["A7"].value == "Phạm vi: Tỉnh Hòa Bình"
    assert re.fullmatch(r"Lập lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}", ws["A8"].value)
    values = _values(ws)
    assert values[8] == ["TT", "Đơn vị", "Điểm tự chấm", "Điểm thẩm định", "Xếp loại", "Tự xếp loại", "Ghi chú"]
    assert values[9] == [1, 2, 3, 4, 5, 6, 7]
    body = values[10:]
    # Groups by district name, then units right under the province; ranking order inside.
    assert body[0][:2] == ["I", "Huyện Kim Bôi (2 đơn vị)"]
    assert body[0][6] == "Xuất sắc: 1; Trung bình: 1"
    assert body[1] == [1, "Xã Cuối Hạ", 95.0, 92.0, "Xuất sắc", "Xuất sắc", None]  # published: no note
    assert body[2] == [2, "Xã Đú Sáng", 60.0, 55.0, "Trung bình", "Trung bình", "Đã thẩm định"]
    assert body[3][:2] == ["II", "Huyện Lạc Sơn (3 đơn vị)"]
    assert body[3][6] == "Tốt: 2; Chưa xếp loại: 1"
    assert [r[1] for r in body[4:7]] == ["Xã Ân Nghĩa", "Phòng Nội vụ Lạc Sơn", "Xã Bình Hẻm"]
    assert body[6] == [3, "Xã Bình Hẻm", 70.0, None, None, "Khá", "Đã gửi"]
    assert body[7][:2] == ["III", "Đơn vị trực thuộc tỉnh (1 đơn vị)"]
    assert body[8][:4] == [1, "Trường Cao đẳng Hòa Bình", 40.0, None]
    assert body[9][1] == "TỔNG CỘNG (6 đơn vị)"
    assert body[9][6] == "Xuất sắc: 1; Tốt: 2; Trung bình: 1; Chưa xếp loại: 2"
    # Numbers are numeric cells with a one-decimal format.
    assert ws["C12"].data_type == "n"
    assert ws["C12"].number_format == "#,##0.0"
    assert ws["D12"].data_type == "n"
    assert ws["D12"].number_format == "#,##0.0"
    flat = [v for row in _values(ws) for v in row]
    assert "NGƯỜI LẬP BIỂU" in flat
    assert "TM. BAN CHỈ ĐẠO" in flat
    # A4 landscape, header rows repeated on every page.
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == int(ws.PAPERSIZE_A4)
    assert ws.print_title_rows.replace("$", "") == "9:10"
    assert ws.freeze_panes == "A11"


def test_the_export_follows_the_filters_and_the_scope(land):
    reporter = grant(land["units"]["a1"], "reporter", "xa.annghia")
    _data, ws = _workbook(signed_in(reporter).get(reverse("ranking-export")))
    names = [row[1] for row in _values(ws)[10:]]
    assert "Xã Ân Nghĩa" in names
    assert "Xã Cuối Hạ" not in names
    assert "Xã Bình Hẻm" not in names
    assert ws["A7"].value == "Phạm vi: Xã Ân Nghĩa"

    steering = signed_in(grant(land["p"], "steering", "bcd.hoabinh"))
    params = {"period": land["period"].pk, "unit": land["ls"].pk, "kind": "commune"}
    _data, ws = _workbook(steering.get(reverse("ranking-export"), params))
    assert ws["A7"].value == "Phạm vi: Huyện Lạc Sơn – Loại đơn vị: Xã, phường, thị trấn"
    assert [row[1] for row in _values(ws)[10:14]] == [
        "Huyện Lạc Sơn (2 đơn vị)",
        "Xã Ân Nghĩa",
        "Xã Bình Hẻm",
        "TỔNG CỘNG (2 đơn vị)",
    ]
    assert (
        signed_in(grant(land["q"], "steering", "bcd.phutho"))
        .get(reverse("ranking-export"), {"period": land["period"].pk})
        .status_code
        == 404
    )


HOSTILE = '=HYPERLINK("x")'


def test_user_text_never_becomes_a_formula(land):
    unit = UnitFactory(name=HOSTILE, kind=UnitKind.COMMUNE, parent=land["ls"])
    make_sheet(unit, land["period"], land["sheets"]["a1"].criteria_set, self_total=75, status="submitted")
    client = signed_in(grant(land["p"], "steering", "bcd.hoabinh"))
    data, ws = _workbook(client.get(reverse("ranking-export"), {"period": land["period"].pk}))
    cells = [c for row in ws.iter_rows() for c in row if c.value == HOSTILE]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        xml = "".join(zf.read(n).decode() for n in sheets)
    assert "<f>" not in xml
    assert "<f " not in xml
    assert "HYPERLINK" in xml  # written, as text


def test_the_builder_writes_any_leading_character_as_text():
    import datetime as dt

    rows = [
        exports.RankingRow(
            unit_name=name,
            group=group,
            self_total=Decimal("80.5"),
            review_total=None,
            review_class="",
            self_class="Tốt",
            note=name,
        )
        for name, group in [("=1+1", "-Huyện"), ("+SUM(A1)", "@Huyện"), ("-2", None), ("@A1", "-Huyện")]
    ]
    data = exports.ranking_workbook(
        rows,
        period_label="=Kỳ",
        data_start=dt.date(2025, 1, 1),
        data_end=dt.date(2025, 12, 31),
        scope_label="=Phạm vi",
        generated_at=dt.datetime(2025, 12, 31, 8, 5),
        labels=["Tốt"],
    )
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    assert "<f " not in xml
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    texts = {c.value for row in ws.iter_rows() for c in row if c.data_type == "s"}
    assert {"=1+1", "+SUM(A1)", "-2", "@A1", "=Kỳ", "-Huyện (2 đơn vị)", "@Huyện (1 đơn vị)"} <= texts
    assert ws["C12"].value == 80.5
    assert ws["C12"].data_type == "n"
