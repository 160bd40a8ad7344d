"""The default indicator catalogue (Biểu 01–14 of DOMAIN.md §3.4) and report templates
(the outline of §3.3), installed per province as data the steering committee then edits.

The rows and columns of §3.4 are proposals ([I] in DOMAIN.md): they are loaded once and
never consulted again by the code, which reads the province's own catalogue.
"""

from __future__ import annotations

from django.db import transaction

from criteria.models import AppliesTo
from reports.models import Indicator, IndicatorTable, ReportTemplate, TemplateSection

I, M, D, P = "int", "money", "decimal", "percent"  # noqa: E741  (the four value types, short for the tables below)

# (code, title, [(code, name, unit of measure, type, source)])
TABLES = [
    (
        "01",
        "Đơn vị thực hiện",
        [
            ("01.01", "Tổng số đơn vị hành chính cấp xã", "đơn vị", I, "units.communes"),
            ("01.02", "Tổng số thôn, tổ dân phố", "thôn, TDP", I, "units.hamlets"),
            ("01.03", "Số cơ quan hành chính nhà nước", "cơ quan", I, "units.state_agencies"),
            ("01.04", "Số đơn vị sự nghiệp công lập", "đơn vị", I, "units.public_service"),
            ("01.05", "Số doanh nghiệp", "doanh nghiệp", I, "units.enterprises"),
            ("01.06", "Số Ban Chỉ đạo QCDC được kiện toàn", "ban", I, ""),
        ],
    ),
    (
        "02",
        "Tiếp xúc, đối thoại",
        [
            ("02.01", "Tổng số cuộc tiếp xúc, đối thoại", "cuộc", I, "dialogues.sessions"),
            ("02.02", "Số cuộc cấp xã", "cuộc", I, "dialogues.level_commune"),
            ("02.03", "Số cuộc ở cơ quan, đơn vị", "cuộc", I, "dialogues.level_agency"),
            ("02.04", "Số cuộc trong doanh nghiệp", "cuộc", I, "dialogues.level_enterprise"),
            ("02.05", "Trong đó: chuyên đề", "cuộc", I, "dialogues.scope_chuyen_de"),
            ("02.06", "Trong đó: toàn diện (định kỳ)", "cuộc", I, "dialogues.scope_toan_dien"),
            ("02.07", "Số người tham dự", "người", I, "dialogues.participants"),
            ("02.08", "Số ý kiến, kiến nghị", "ý kiến", I, "dialogues.raised"),
            ("02.09", "Trả lời tại hội nghị", "ý kiến", I, "dialogues.answered"),
            ("02.10", "Giao giải quyết sau hội nghị", "ý kiến", I, "dialogues.assigned_after"),
            ("02.11", "Đã giải quyết", "ý kiến", I, "dialogues.resolved"),
            ("02.12", "Tỷ lệ giải quyết", "%", P, "dialogues.resolution_rate"),
        ],
    ),
    (
        "03",
        "Tiếp công dân",
        [
            ("03.01", "Tiếp thường xuyên: số lượt", "lượt", I, "reception.routine_sessions"),
            ("03.02", "Tiếp thường xuyên: số người", "người", I, "reception.routine_persons"),
            ("03.03", "Tiếp thường xuyên: vụ việc cũ", "vụ việc", I, "reception.routine_cases_old"),
            ("03.04", "Tiếp thường xuyên: vụ việc mới phát sinh", "vụ việc", I, "reception.routine_cases_new"),
            ("03.05", "Người đứng đầu tiếp định kỳ, đột xuất: số lượt", "lượt", I, "reception.head_sessions"),
            ("03.06", "Người đứng đầu tiếp: số người", "người", I, "reception.head_persons"),
            ("03.07", "Người đứng đầu tiếp: vụ việc cũ", "vụ việc", I, "reception.head_cases_old"),
            ("03.08", "Người đứng đầu tiếp: vụ việc mới phát sinh", "vụ việc", I, "reception.head_cases_new"),
            ("03.09", "Số đoàn đông người", "đoàn", I, "reception.total_delegations"),
            ("03.10", "Số người trong đoàn đông người", "người", I, "reception.total_delegation_persons"),
            ("03.11", "Đơn khiếu nại tiếp nhận qua tiếp dân", "đơn", I, "reception.total_complaints"),
            ("03.12", "Đơn tố cáo", "đơn", I, "reception.total_denunciations"),
            ("03.13", "Đơn kiến nghị, phản ánh", "đơn", I, "reception.total_petitions_count"),
        ],
    ),
    (
        "04",
        "Ban Thanh tra nhân dân",
        [
            ("04.01", "Số Ban Thanh tra nhân dân", "ban", I, "inspection.boards"),
            ("04.02", "Số thành viên", "người", I, "inspection.members"),
            ("04.03", "Số cuộc giám sát", "cuộc", I, "inspection.supervisions"),
            ("04.04", "Số sai phạm phát hiện", "vụ", I, "inspection.violations"),
            ("04.05", "Số vụ việc kiến nghị", "vụ việc", I, "inspection.recommendations"),
            ("04.06", "Thu hồi tiền", "đồng", M, "inspection.money_recovered"),
            ("04.07", "Thu hồi đất", "m²", D, "inspection.land_recovered_m2"),
        ],
    ),
    (
        "05",
        "Ban Giám sát đầu tư của cộng đồng",
        [
            ("05.01", "Số Ban Giám sát đầu tư của cộng đồng", "ban", I, "community.boards"),
            ("05.02", "Số thành viên", "người", I, "community.members"),
            ("05.03", "Số công trình, dự án được giám sát", "công trình", I, "community.projects"),
            ("05.04", "Số cuộc giám sát", "cuộc", I, "community.supervisions"),
            ("05.05", "Công trình vốn ngân sách nhà nước", "cuộc", I, "community.funding_ngan_sach_nha_nuoc"),
            ("05.06", "Công trình đối tác công tư (PPP)", "cuộc", I, "community.funding_ppp"),
            ("05.07", "Công trình vốn, công sức của Nhân dân", "cuộc", I, "community.funding_von_cong_suc_cong_dong"),
            ("05.08", "Công trình tài trợ trực tiếp", "cuộc", I, "community.funding_tai_tro_truc_tiep"),
            ("05.09", "Số sai phạm phát hiện", "vụ", I, "community.violations"),
            ("05.10", "Số vụ việc kiến nghị", "vụ việc", I, "community.recommendations"),
            ("05.11", "Thu hồi tiền", "đồng", M, "community.money_recovered"),
            ("05.12", "Giảm trừ quyết toán", "đồng", M, "community.settlement_reduced"),
        ],
    ),
    (
        "06",
        "Dân chủ ở cơ quan, đơn vị và doanh nghiệp",
        [
            ("06.01", "Tổng số cơ quan, đơn vị", "cơ quan", I, "workplace.agencies_total"),
            ("06.02", "Số tổ chức Hội nghị CBCCVC", "cơ quan", I, "workplace.agencies_with_conference"),
            ("06.03", "Số có quy chế làm việc", "cơ quan", I, ""),
            ("06.04", "Số có quy chế chi tiêu nội bộ", "cơ quan", I, ""),
            ("06.05", "Số có quy chế dân chủ", "cơ quan", I, ""),
            ("06.06", "Tổng số doanh nghiệp", "doanh nghiệp", I, "workplace.enterprises_total"),
            ("06.07", "Số tổ chức Hội nghị người lao động", "doanh nghiệp", I, "workplace.enterprises_with_conference"),
            ("06.08", "Số doanh nghiệp tổ chức đối thoại", "doanh nghiệp", I, "workplace.enterprises_with_dialogue"),
            ("06.09", "Đối thoại định kỳ", "cuộc", I, "workplace.dialogues_dinh_ky"),
            ("06.10", "Đối thoại khi có yêu cầu", "cuộc", I, "workplace.dialogues_theo_yeu_cau"),
            ("06.11", "Đối thoại khi có vụ việc", "cuộc", I, "workplace.dialogues_vu_viec"),
        ],
    ),
    (
        "07",
        "Hương ước, quy ước",
        [
            (
                "07.01",
                "Số thôn, tổ dân phố có hương ước, quy ước",
                "thôn, TDP",
                I,
                "conventions.hamlets_with_convention",
            ),
            ("07.02", "Số được công nhận mới trong kỳ", "bản", I, "conventions.recognised_in_window"),
            ("07.03", "Số sửa đổi, bổ sung, thay thế", "bản", I, "conventions.amended_or_replaced"),
            ("07.04", "Số tạm ngừng thực hiện", "bản", I, "conventions.suspended"),
        ],
    ),
    (
        "08",
        "Công khai thông tin",
        [
            ("08.01", "Số nội dung đã công khai", "nội dung", I, ""),
            ("08.02", "Hình thức niêm yết", "nội dung", I, ""),
            ("08.03", "Trên cổng thông tin điện tử", "nội dung", I, ""),
            ("08.04", "Qua hệ thống truyền thanh", "nội dung", I, ""),
            ("08.05", "Qua trưởng thôn, tổ trưởng tổ dân phố", "nội dung", I, ""),
            ("08.06", "Tại hội nghị", "nội dung", I, ""),
            ("08.07", "Hình thức khác", "nội dung", I, ""),
        ],
    ),
    (
        "09",
        "Nhân dân bàn và quyết định; huy động nguồn lực",
        [
            ("09.01", "Số nội dung đưa ra bàn", "nội dung", I, ""),
            ("09.02", "Bàn tại hội nghị", "nội dung", I, ""),
            ("09.03", "Phát phiếu lấy ý kiến", "nội dung", I, ""),
            ("09.04", "Biểu quyết trực tuyến", "nội dung", I, ""),
            ("09.05", "Số nội dung được thông qua", "nội dung", I, ""),
            ("09.06", "Tổng giá trị công trình", "đồng", M, ""),
            ("09.07", "Trong đó ngân sách nhà nước", "đồng", M, ""),
            ("09.08", "Trong đó Nhân dân đóng góp", "đồng", M, ""),
            ("09.09", "Ngày công lao động", "ngày công", I, ""),
        ],
    ),
    (
        "10",
        "Nhân dân tham gia ý kiến",
        [
            ("10.01", "Số nội dung lấy ý kiến", "nội dung", I, ""),
            ("10.02", "Qua hội nghị", "nội dung", I, ""),
            ("10.03", "Phát phiếu", "nội dung", I, ""),
            ("10.04", "Hòm thư góp ý", "nội dung", I, ""),
            ("10.05", "Số ý kiến tham gia", "ý kiến", I, ""),
            ("10.06", "Số ý kiến được tiếp thu", "ý kiến", I, ""),
        ],
    ),
    (
        "11",
        "Cải cách hành chính, một cửa",
        [
            ("11.01", "Số thủ tục hành chính theo cơ chế một cửa, một cửa liên thông", "thủ tục", I, ""),
            ("11.02", "Số dịch vụ công trực tuyến toàn trình", "dịch vụ", I, ""),
            ("11.03", "Số dịch vụ công trực tuyến một phần", "dịch vụ", I, ""),
            ("11.04", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "%", P, ""),
        ],
    ),
    (
        "12",
        'Phong trào thi đua "Dân vận khéo"',
        [
            ("12.01", "Số mô hình đăng ký", "mô hình", I, ""),
            ("12.02", "Số mô hình hiệu quả, được công nhận", "mô hình", I, ""),
            ("12.03", "Lĩnh vực kinh tế", "mô hình", I, ""),
            ("12.04", "Lĩnh vực văn hóa – xã hội", "mô hình", I, ""),
            ("12.05", "Lĩnh vực quốc phòng – an ninh", "mô hình", I, ""),
            ("12.06", "Lĩnh vực xây dựng hệ thống chính trị", "mô hình", I, ""),
            ("12.07", "Số mô hình được khen thưởng", "mô hình", I, ""),
        ],
    ),
    (
        "13",
        "Kết quả tự chấm điểm và xếp loại",
        [
            ("13.01", "Điểm tự chấm", "điểm", D, "criteria.self_total"),
            ("13.02", "Điểm thẩm định", "điểm", D, "criteria.review_total"),
        ],
    ),
    (
        "14",
        "Hoạt động của Ban Chỉ đạo",
        [
            ("14.01", "Số văn bản chỉ đạo", "văn bản", I, ""),
            ("14.02", "Số lớp tập huấn", "lớp", I, ""),
            ("14.03", "Số cuộc kiểm tra, giám sát", "cuộc", I, ""),
            ("14.04", "Số đơn vị được kiểm tra", "đơn vị", I, ""),
        ],
    ),
]

NOT_SUMMED = {"13.01", "13.02"}

OUTLINE = {
    "I": ("Đặc điểm tình hình", "Diện tích, dân số, số đơn vị, cơ quan thuộc phạm vi báo cáo."),
    "II.1": ("Công tác lãnh đạo, chỉ đạo, tuyên truyền", "Văn bản ban hành, tập huấn, kiện toàn Ban Chỉ đạo."),
    "II.2.1": ("Những nội dung công khai", "Điều 11, 12 Luật Thực hiện dân chủ ở cơ sở."),
    "II.2.2": ("Những nội dung Nhân dân bàn và quyết định", "Kể cả nguồn lực được huy động."),
    "II.2.3": ("Những nội dung Nhân dân tham gia ý kiến", ""),
    "II.2.4": (
        "Nhân dân kiểm tra, giám sát",
        "Hoạt động của Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng.",
    ),
    "II.2.5": ("Xây dựng và thực hiện hương ước, quy ước", ""),
    "II.2.6": ("Hội nghị cộng đồng dân cư ở thôn, tổ dân phố", ""),
    "II.3": ("Dân chủ ở cơ quan, đơn vị", "Hội nghị CBCCVC, quy chế làm việc, chi tiêu nội bộ, công khai."),
    "II.4": ("Dân chủ ở doanh nghiệp", "Hội nghị người lao động, đối thoại tại nơi làm việc."),
    "II.5": ('Tiếp xúc, đối thoại; giải quyết kiến nghị theo hướng "5 rõ"', ""),
    "II.6": ("Tiếp công dân, giải quyết khiếu nại, tố cáo", ""),
    "II.7": ("Cải cách hành chính, một cửa, dịch vụ công trực tuyến", ""),
    "II.8": ('Phong trào thi đua "Dân vận khéo"', ""),
    "II.9": ("Hoạt động kiểm tra, giám sát của Ban Chỉ đạo", ""),
    "II.10": ("Kết quả tự chấm điểm, xếp loại", ""),
    "III": ("Đánh giá chung", "Ưu điểm; tồn tại, hạn chế; nguyên nhân; bài học kinh nghiệm."),
    "IV": ("Phương hướng, nhiệm vụ kỳ tới", ""),
    "V": ("Đề xuất, kiến nghị", ""),
}

TEMPLATES = {
    AppliesTo.COMMUNE: (
        "Mẫu báo cáo của xã, phường, thị trấn",
        ["01", "02", "03", "04", "05", "07", "08", "09", "10", "11", "12", "13", "14"],
        [
            "I",
            "II.1",
            "II.2.1",
            "II.2.2",
            "II.2.3",
            "II.2.4",
            "II.2.5",
            "II.2.6",
            "II.5",
            "II.6",
            "II.7",
            "II.8",
            "II.9",
            "II.10",
            "III",
            "IV",
            "V",
        ],
    ),
    AppliesTo.STATE_AGENCY: (
        "Mẫu báo cáo của cơ quan hành chính nhà nước",
        ["02", "03", "04", "06", "11", "12", "13"],
        ["I", "II.1", "II.3", "II.5", "II.6", "II.7", "II.10", "III", "IV", "V"],
    ),
    AppliesTo.PUBLIC_SERVICE: (
        "Mẫu báo cáo của đơn vị sự nghiệp công lập",
        ["02", "04", "06", "12", "13"],
        ["I", "II.1", "II.3", "II.5", "II.10", "III", "IV", "V"],
    ),
    AppliesTo.ENTERPRISE: (
        "Mẫu báo cáo của doanh nghiệp",
        ["02", "04", "06", "13"],
        ["I", "II.1", "II.4", "II.5", "II.10", "III", "IV", "V"],
    ),
}


@transaction.atomic
def install_defaults(province) -> dict[str, int]:
    """Create what is missing of the default catalogue and templates for ``province``.
    Existing rows (possibly edited by the committee) are left as they are."""
    created = {"tables": 0, "indicators": 0, "templates": 0}
    tables = {t.code: t for t in IndicatorTable.objects.filter(province=province)}
    missing = [
        IndicatorTable(province=province, code=code, title=title, order=order)
        for order, (code, title, _rows) in enumerate(TABLES, start=1)
        if code not in tables
    ]
    if missing:
        IndicatorTable.objects.bulk_create(missing)
        created["tables"] = len(missing)
        tables = {t.code: t for t in IndicatorTable.objects.filter(province=province)}
    have = set(Indicator.objects.filter(table__province=province).values_list("table__code", "code"))
    new_indicators = [
        Indicator(
            table=tables[code],
            code=icode,
            name=name,
            unit_of_measure=uom,
            value_type=vtype,
            source=source,
            order=i,
            aggregation="none" if vtype == P or icode in NOT_SUMMED else "sum",
        )
        for code, _title, rows in TABLES
        for i, (icode, name, uom, vtype, source) in enumerate(rows, start=1)
        if (code, icode) not in have
    ]
    Indicator.objects.bulk_create(new_indicators)
    created["indicators"] = len(new_indicators)
    existing_templates = set(ReportTemplate.objects.filter(province=province).values_list("applies_to", flat=True))
    for applies_to, (name, table_codes, section_codes) in TEMPLATES.items():
        if applies_to in existing_templates:
            continue
        template = ReportTemplate.objects.create(province=province, name=name, applies_to=applies_to)
        template.tables.set([tables[c] for c in table_codes])
        TemplateSection.objects.bulk_create(
            TemplateSection(template=template, code=c, title=OUTLINE[c][0], guidance=OUTLINE[c][1], order=i)
            for i, c in enumerate(section_codes, start=1)
        )
        created["templates"] += 1
    return created
