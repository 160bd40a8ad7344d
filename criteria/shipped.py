"""Criteria sets shipped with the portal as data (DOMAIN.md §5.2, §5.3, §5.5).

- The real Bắc Giang commune set "Chính quyền thân thiện" (5 criteria, 100 points), transcribed
  from the public code of the province's QCDC portal: each criterion needs an evidence index
  ("mục lục tài liệu") and an evidence bundle ("tài liệu minh chứng"), beside the five dossier
  items of Part I.
- Illustrative sets, named "(minh họa)" and flagged ``is_illustrative``: the QCDC commune set of
  DOMAIN §5.5, and sets built the same way for state agencies, public service units and
  enterprises. They are examples for a province to copy and edit, not texts of any province.

Every set carries the example bands of §5.3 (Xuất sắc ≥90, Tốt ≥80, Khá ≥65, Trung bình ≥50,
Yếu ≥0), editable per province. ``load`` creates each set once (name + province + version 1)
and publishes it through the services; a shipped set that could not be published is a bug.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from criteria import services
from criteria.models import AppliesTo, CriteriaSet

YEAR_FROM = 2023  # Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15 in force from 01/7/2023

DEFAULT_BANDS = (
    ("Xuất sắc", Decimal("90")),
    ("Tốt", Decimal("80")),
    ("Khá", Decimal("65")),
    ("Trung bình", Decimal("50")),
    ("Yếu", Decimal("0")),
)

BAC_GIANG_DOSSIER = (
    "Hồ sơ đề nghị (Phần I, mỗi mục một tệp PDF): 1. Tờ trình của UBND cấp xã; 2. Báo cáo kết quả xây dựng "
    "chính quyền thân thiện; 3. Bảng tự chấm điểm; 4. Bản đăng ký xây dựng mô hình; 5. Văn bản phê duyệt mô "
    "hình đăng ký năm của BCĐ cấp huyện."
)
BAC_GIANG_EVIDENCE = (
    "Tài liệu minh chứng (Phần II) cho tiêu chí này: 01 tệp mục lục tài liệu và 01 tệp tài liệu minh chứng (PDF)."
)
BAC_GIANG_HINT = "Mục lục tài liệu; tài liệu minh chứng (PDF)"


def _c(code, title, points, guidance="", evidence=False, hint=""):
    return {
        "code": code,
        "title": title,
        "max_points": Decimal(str(points)),
        "guidance": guidance,
        "evidence_required": evidence,
        "evidence_hint": hint,
    }


def _g(code, title, children):
    return {"code": code, "title": title, "group": True, "children": children}


def _bac_giang(code, title, points):
    guidance = f"Tự chấm từ 0 đến {points} điểm. {BAC_GIANG_EVIDENCE} {BAC_GIANG_DOSSIER}"
    return _c(code, title, points, guidance, True, BAC_GIANG_HINT)


BAC_GIANG = {
    "name": "Tiêu chí công nhận đạt chuẩn “Chính quyền thân thiện” cấp xã (Bắc Giang)",
    "applies_to": AppliesTo.COMMUNE,
    "legal_basis": "Cổng thông tin thực hiện QCDC ở cơ sở tỉnh Bắc Giang (qcdc.bacgiang.gov.vn): hồ sơ đề nghị "
    "công nhận đạt chuẩn “Chính quyền thân thiện” cấp xã",
    "is_illustrative": False,
    "items": [
        _bac_giang(
            "1",
            "Công tác xây dựng và thực hiện quy chế dân chủ ở cơ sở; tuyên truyền về “Chính quyền thân thiện”",
            20,
        ),
        _bac_giang("2", "Công tác cải cách hành chính", 25),
        _bac_giang("3", "Thực hiện văn minh, văn hóa công sở và Quy tắc ứng xử của cán bộ, công chức", 20),
        _bac_giang("4", "Tổ chức tiếp xúc, đối thoại và giải quyết đơn thư khiếu nại, tố cáo", 15),
        _bac_giang("5", "Mức độ hài lòng của cán bộ, công chức, người dân, tổ chức và doanh nghiệp", 20),
    ],
}

ILLUSTRATIVE_BASIS = "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 và văn bản hướng dẫn — bộ minh họa"

COMMUNE = {
    "name": "Bộ tiêu chí đánh giá thực hiện dân chủ ở cơ sở cấp xã (minh họa)",
    "applies_to": AppliesTo.COMMUNE,
    "legal_basis": ILLUSTRATIVE_BASIS + "; Nghị định 59/2023/NĐ-CP, 61/2023/NĐ-CP",
    "is_illustrative": True,
    "items": [
        _g(
            "I",
            "Lãnh đạo, chỉ đạo",
            [
                _c(
                    "1.1",
                    "Ban Chỉ đạo được kiện toàn; có kế hoạch thực hiện dân chủ ở cơ sở năm",
                    4,
                    "Quyết định kiện toàn BCĐ (khi có thay đổi thành viên) và kế hoạch năm ban hành trong quý I: "
                    "đủ 4 điểm; có kế hoạch nhưng ban hành muộn: 2 điểm; không có: 0 điểm.",
                    True,
                    "Quyết định kiện toàn BCĐ; kế hoạch năm",
                ),
                _c(
                    "1.2",
                    "Tuyên truyền, tập huấn Luật Thực hiện dân chủ ở cơ sở",
                    3,
                    "Có hội nghị tuyên truyền, tập huấn cho cán bộ, công chức và trưởng thôn, tổ dân phố; có "
                    "tin, bài trên hệ thống truyền thanh.",
                    False,
                    "Kế hoạch, danh sách tham dự, tài liệu tuyên truyền",
                ),
                _c(
                    "1.3",
                    "Thực hiện chế độ báo cáo đúng hạn",
                    3,
                    "Báo cáo 6 tháng và năm gửi đúng hạn, đủ biểu số liệu: 3 điểm; mỗi báo cáo chậm trừ 1 điểm.",
                ),
            ],
        ),
        _g(
            "II",
            "Công khai thông tin",
            [
                _c(
                    "2.1",
                    "Công khai đủ các nội dung theo Điều 11 Luật Thực hiện dân chủ ở cơ sở",
                    10,
                    "Đủ 14 nhóm nội dung (kế hoạch phát triển kinh tế - xã hội; dự toán, quyết toán ngân sách; "
                    "dự án đầu tư, đất đai, quy hoạch…): 10 điểm; thiếu mỗi nội dung trừ 1 điểm.",
                    True,
                    "Danh mục nội dung đã công khai, ảnh chụp bảng tin hoặc trang thông tin điện tử",
                ),
                _c(
                    "2.2",
                    "Công khai đúng hình thức, thời điểm (Điều 12)",
                    5,
                    "Niêm yết tại trụ sở, đăng trên trang thông tin điện tử, thông báo qua truyền thanh và qua "
                    "trưởng thôn, tổ dân phố đúng thời hạn.",
                ),
            ],
        ),
        _g(
            "III",
            "Nhân dân bàn và quyết định",
            [
                _c(
                    "3.1",
                    "Tổ chức họp, phát phiếu lấy ý kiến hộ gia đình đúng Nghị định 59/2023/NĐ-CP",
                    8,
                    "Các nội dung Nhân dân bàn và quyết định được đưa ra họp thôn, tổ dân phố hoặc phát phiếu; "
                    "có biên bản, kết quả biểu quyết.",
                    True,
                    "Biên bản họp, tổng hợp phiếu lấy ý kiến",
                ),
                _c(
                    "3.2",
                    "Hương ước, quy ước được công nhận, rà soát theo Nghị định 61/2023/NĐ-CP",
                    7,
                    "Các thôn, tổ dân phố có hương ước, quy ước được UBND xã công nhận; đã rà soát, sửa đổi khi "
                    "sáp nhập, đổi tên.",
                    False,
                    "Quyết định công nhận hương ước, quy ước",
                ),
            ],
        ),
        _g(
            "IV",
            "Nhân dân tham gia ý kiến",
            [
                _c(
                    "4.1",
                    "Lấy ý kiến Nhân dân đúng nội dung, hình thức",
                    6,
                    "Lấy ý kiến về dự thảo kế hoạch, quy hoạch, đề án thuộc phạm vi xã bằng hội nghị, phiếu "
                    "hoặc hộp thư góp ý.",
                ),
                _c(
                    "4.2",
                    "Tiếp thu, giải trình và công khai kết quả lấy ý kiến",
                    4,
                    "Có văn bản tổng hợp, tiếp thu, giải trình ý kiến và công khai kết quả.",
                ),
            ],
        ),
        _g(
            "V",
            "Kiểm tra, giám sát",
            [
                _c(
                    "5.1",
                    "Ban Thanh tra nhân dân đủ thành phần, hoạt động theo kế hoạch",
                    10,
                    "Ban được bầu, công nhận đúng nhiệm kỳ; có kế hoạch và báo cáo kết quả giám sát; kiến nghị "
                    "được theo dõi giải quyết.",
                    True,
                    "Quyết định công nhận Ban; kế hoạch, báo cáo giám sát",
                ),
                _c(
                    "5.2",
                    "Ban Giám sát đầu tư của cộng đồng được thành lập theo từng công trình, có báo cáo",
                    10,
                    "Mỗi công trình, dự án đầu tư trên địa bàn có Ban giám sát; có báo cáo kết quả giám sát gửi "
                    "Ban Thường trực UBMTTQ xã.",
                ),
            ],
        ),
        _g(
            "VI",
            "Đối thoại, tiếp công dân, giải quyết khiếu nại, tố cáo",
            [
                _c(
                    "6.1",
                    "Tổ chức hội nghị đối thoại với Nhân dân ít nhất 1 lần/năm",
                    6,
                    "Thông báo trước ít nhất 7 ngày; công khai kết quả trong 10 ngày sau hội nghị.",
                    True,
                    "Thông báo, biên bản hội nghị đối thoại",
                ),
                _c(
                    "6.2",
                    "Kiến nghị sau đối thoại được giải quyết theo hướng “5 rõ” từ 90% trở lên",
                    8,
                    "Tỷ lệ kiến nghị đã giải quyết xong theo “5 rõ”: từ 90% đủ 8 điểm; 70% đến dưới 90%: 5 điểm; "
                    "dưới 70%: 2 điểm.",
                ),
                _c(
                    "6.3",
                    "Tiếp công dân định kỳ đủ số ngày theo quy định",
                    6,
                    "Người đứng đầu cấp ủy, chính quyền xã tiếp công dân định kỳ đủ số ngày; có sổ tiếp công dân.",
                    False,
                    "Lịch tiếp công dân; sổ tiếp công dân",
                ),
            ],
        ),
        _g(
            "VII",
            "Cải cách hành chính, phong trào “Dân vận khéo”",
            [
                _c(
                    "7.1",
                    "Bộ phận một cửa hoạt động hiệu quả; dịch vụ công trực tuyến",
                    5,
                    "Tỷ lệ hồ sơ giải quyết đúng hạn và tỷ lệ hồ sơ trực tuyến theo chỉ tiêu của tỉnh.",
                ),
                _c(
                    "7.2",
                    "Xây dựng mô hình “Dân vận khéo”",
                    5,
                    "Có mô hình “Dân vận khéo” được đăng ký và công nhận trong năm.",
                ),
            ],
        ),
    ],
}

STATE_AGENCY = {
    "name": "Bộ tiêu chí đánh giá thực hiện dân chủ ở cơ quan hành chính nhà nước (minh họa)",
    "applies_to": AppliesTo.STATE_AGENCY,
    "legal_basis": ILLUSTRATIVE_BASIS,
    "is_illustrative": True,
    "items": [
        _g(
            "I",
            "Lãnh đạo, chỉ đạo, tuyên truyền",
            [
                _c(
                    "1.1",
                    "Kế hoạch thực hiện dân chủ năm; phân công người phụ trách",
                    5,
                    "Cơ quan từ 10 người trở lên có Ban Chỉ đạo; dưới 10 người, người đứng đầu trực tiếp phụ trách.",
                    True,
                    "Kế hoạch năm; quyết định thành lập, kiện toàn BCĐ hoặc phân công",
                ),
                _c(
                    "1.2",
                    "Phổ biến Luật Thực hiện dân chủ ở cơ sở cho cán bộ, công chức, viên chức",
                    5,
                    "Có hình thức phổ biến (hội nghị, sinh hoạt chuyên đề, văn bản) đến toàn thể CBCCVC.",
                ),
            ],
        ),
        _g(
            "II",
            "Công khai trong cơ quan",
            [
                _c(
                    "2.1",
                    "Công khai kế hoạch công tác, dự toán, quyết toán ngân sách, quản lý tài sản công",
                    8,
                    "Công khai đúng nội dung, thời hạn theo quy định về công khai ngân sách và tài sản công.",
                    True,
                    "Quyết định, thông báo công khai",
                ),
                _c(
                    "2.2",
                    "Công khai tuyển dụng, quy hoạch, bổ nhiệm, nâng lương, thi đua, khen thưởng, kỷ luật",
                    7,
                    "Các nội dung về công tác cán bộ được công khai trong cơ quan trước và sau khi quyết định.",
                ),
                _c(
                    "2.3",
                    "Công khai đúng hình thức, thời điểm",
                    5,
                    "Niêm yết, thông báo tại cuộc họp, gửi văn bản hoặc đăng trên hệ thống thông tin nội bộ.",
                ),
            ],
        ),
        _g(
            "III",
            "Hội nghị cán bộ, công chức, viên chức",
            [
                _c(
                    "3.1",
                    "Tổ chức Hội nghị CBCCVC hằng năm đúng thời hạn",
                    10,
                    "Tổ chức sau khi kết thúc năm công tác và chậm nhất 3 tháng sau đó; người đứng đầu phối hợp "
                    "với công đoàn tổ chức.",
                    True,
                    "Kế hoạch, biên bản, nghị quyết Hội nghị CBCCVC",
                ),
                _c(
                    "3.2",
                    "Nội dung, thành phần hội nghị đúng quy định; có nghị quyết",
                    5,
                    "Hội nghị toàn thể khi dưới 100 người; hội nghị đại biểu khi từ 100 người trở lên hoặc hoạt "
                    "động phân tán.",
                ),
                _c(
                    "3.3",
                    "Theo dõi, đánh giá việc thực hiện nghị quyết hội nghị",
                    5,
                    "Có báo cáo kết quả thực hiện nghị quyết hội nghị năm trước.",
                ),
            ],
        ),
        _g(
            "IV",
            "Quy chế nội bộ",
            [
                _c(
                    "4.1",
                    "Quy chế làm việc của cơ quan",
                    5,
                    "Ban hành, sửa đổi quy chế làm việc sau khi lấy ý kiến CBCCVC.",
                ),
                _c(
                    "4.2",
                    "Quy chế chi tiêu nội bộ, quản lý và sử dụng tài sản công",
                    10,
                    "Quy chế được thảo luận tại Hội nghị CBCCVC và công khai; chi tiêu đúng quy chế.",
                    True,
                    "Quy chế chi tiêu nội bộ; biên bản lấy ý kiến",
                ),
                _c(
                    "4.3",
                    "Quy chế thực hiện dân chủ trong hoạt động của cơ quan",
                    5,
                    "Quy chế được ban hành, rà soát theo Luật Thực hiện dân chủ ở cơ sở.",
                ),
            ],
        ),
        _g(
            "V",
            "Kiểm tra, giám sát",
            [
                _c(
                    "5.1",
                    "Ban Thanh tra nhân dân được bầu tại Hội nghị CBCCVC, đủ thành phần",
                    10,
                    "Từ 3 đến 9 thành viên, nhiệm kỳ 2 năm; không gồm người đứng đầu, cấp phó, kế toán trưởng. "
                    "Cơ quan từ 7 người trở xuống không lập Ban: chấm theo việc CBCCVC trực tiếp giám sát.",
                    True,
                    "Biên bản bầu, quyết định công nhận Ban Thanh tra nhân dân",
                ),
                _c(
                    "5.2",
                    "Ban Thanh tra nhân dân có kế hoạch, báo cáo; kiến nghị được xem xét, giải quyết",
                    10,
                    "Có kế hoạch hoạt động năm, báo cáo giám sát; người đứng đầu trả lời kiến nghị của Ban.",
                ),
            ],
        ),
        _g(
            "VI",
            "Đối thoại, tiếp nhận kiến nghị, phản ánh",
            [
                _c(
                    "6.1",
                    "Người đứng đầu đối thoại với cán bộ, công chức, viên chức",
                    5,
                    "Đối thoại định kỳ hoặc khi có yêu cầu; có biên bản và kết quả giải quyết.",
                ),
                _c(
                    "6.2",
                    "Tiếp nhận, giải quyết kiến nghị, phản ánh, khiếu nại, tố cáo đúng hạn",
                    5,
                    "Không có đơn thư vượt cấp kéo dài do cơ quan chậm giải quyết.",
                ),
            ],
        ),
    ],
}

PUBLIC_SERVICE = {
    "name": "Bộ tiêu chí đánh giá thực hiện dân chủ ở đơn vị sự nghiệp công lập (minh họa)",
    "applies_to": AppliesTo.PUBLIC_SERVICE,
    "legal_basis": ILLUSTRATIVE_BASIS,
    "is_illustrative": True,
    "items": [
        _g(
            "I",
            "Lãnh đạo, chỉ đạo, tuyên truyền",
            [
                _c(
                    "1.1",
                    "Kế hoạch thực hiện dân chủ năm; phân công người phụ trách",
                    5,
                    "Đơn vị từ 10 người trở lên có Ban Chỉ đạo; dưới 10 người, người đứng đầu trực tiếp phụ trách.",
                    True,
                    "Kế hoạch năm; quyết định phân công",
                ),
                _c(
                    "1.2",
                    "Phổ biến Luật Thực hiện dân chủ ở cơ sở cho viên chức, người lao động",
                    5,
                    "Có hình thức phổ biến đến toàn thể viên chức, người lao động.",
                ),
            ],
        ),
        _g(
            "II",
            "Công khai",
            [
                _c(
                    "2.1",
                    "Công khai tài chính, tài sản, các quỹ và phương án tự chủ",
                    8,
                    "Công khai dự toán, quyết toán, nguồn thu sự nghiệp, trích lập và sử dụng các quỹ.",
                    True,
                    "Thông báo, biên bản công khai tài chính",
                ),
                _c(
                    "2.2",
                    "Công khai tuyển dụng, bổ nhiệm, thi đua, khen thưởng, kỷ luật, chế độ của viên chức",
                    6,
                    "Các nội dung về công tác cán bộ và chế độ, chính sách được công khai trong đơn vị.",
                ),
                _c(
                    "2.3",
                    "Công khai chất lượng, giá, phí dịch vụ sự nghiệp công cho người sử dụng dịch vụ",
                    6,
                    "Niêm yết tại nơi giao dịch và trên trang thông tin điện tử của đơn vị.",
                ),
            ],
        ),
        _g(
            "III",
            "Hội nghị viên chức, người lao động",
            [
                _c(
                    "3.1",
                    "Tổ chức Hội nghị CBCCVC, người lao động hằng năm đúng thời hạn",
                    10,
                    "Tổ chức sau khi kết thúc năm công tác và chậm nhất 3 tháng sau đó, phối hợp với công đoàn.",
                    True,
                    "Biên bản, nghị quyết hội nghị",
                ),
                _c(
                    "3.2",
                    "Nội dung, thành phần hội nghị đúng quy định; có nghị quyết",
                    5,
                    "Hội nghị thảo luận kế hoạch, quy chế chi tiêu nội bộ, thu nhập tăng thêm, phúc lợi.",
                ),
                _c(
                    "3.3",
                    "Theo dõi việc thực hiện nghị quyết hội nghị",
                    5,
                    "Có báo cáo kết quả thực hiện nghị quyết hội nghị năm trước.",
                ),
            ],
        ),
        _g(
            "IV",
            "Quy chế nội bộ",
            [
                _c(
                    "4.1",
                    "Quy chế chi tiêu nội bộ",
                    10,
                    "Quy chế được lấy ý kiến viên chức, người lao động và công khai; chi tiêu đúng quy chế.",
                    True,
                    "Quy chế chi tiêu nội bộ; biên bản lấy ý kiến",
                ),
                _c(
                    "4.2",
                    "Quy chế làm việc, quy chế thực hiện dân chủ của đơn vị",
                    5,
                    "Ban hành, rà soát theo Luật Thực hiện dân chủ ở cơ sở.",
                ),
                _c(
                    "4.3",
                    "Quy chế quản lý, sử dụng tài sản công",
                    5,
                    "Tài sản được quản lý, sử dụng, công khai theo quy chế.",
                ),
            ],
        ),
        _g(
            "V",
            "Kiểm tra, giám sát",
            [
                _c(
                    "5.1",
                    "Ban Thanh tra nhân dân được bầu tại hội nghị, đủ thành phần",
                    8,
                    "Từ 3 đến 9 thành viên, nhiệm kỳ 2 năm; đơn vị từ 7 người trở xuống không lập Ban.",
                    True,
                    "Biên bản bầu, quyết định công nhận Ban Thanh tra nhân dân",
                ),
                _c(
                    "5.2",
                    "Ban Thanh tra nhân dân hoạt động theo kế hoạch; kiến nghị được giải quyết",
                    7,
                    "Có kế hoạch, báo cáo giám sát; người đứng đầu trả lời kiến nghị của Ban.",
                ),
            ],
        ),
        _g(
            "VI",
            "Đối thoại, ý kiến của người sử dụng dịch vụ",
            [
                _c(
                    "6.1",
                    "Người đứng đầu đối thoại với viên chức, người lao động",
                    5,
                    "Đối thoại định kỳ hoặc khi có yêu cầu; có biên bản.",
                ),
                _c(
                    "6.2",
                    "Lấy ý kiến đánh giá sự hài lòng của người sử dụng dịch vụ",
                    5,
                    "Khảo sát ít nhất 1 lần/năm; công khai kết quả và biện pháp khắc phục.",
                ),
                _c(
                    "6.3",
                    "Giải quyết kiến nghị, phản ánh, khiếu nại, tố cáo đúng hạn",
                    5,
                    "Không có đơn thư vượt cấp kéo dài do đơn vị chậm giải quyết.",
                ),
            ],
        ),
    ],
}

ENTERPRISE = {
    "name": "Bộ tiêu chí đánh giá thực hiện dân chủ ở doanh nghiệp (minh họa)",
    "applies_to": AppliesTo.ENTERPRISE,
    "legal_basis": ILLUSTRATIVE_BASIS + "; Bộ luật Lao động 2019 (Điều 63), Nghị định 145/2020/NĐ-CP",
    "is_illustrative": True,
    "items": [
        _g(
            "I",
            "Tổ chức thực hiện",
            [
                _c(
                    "1.1",
                    "Quy chế dân chủ ở cơ sở tại nơi làm việc được ban hành sau khi lấy ý kiến người lao động",
                    6,
                    "Quy chế có ý kiến của tổ chức đại diện người lao động và được công khai.",
                    True,
                    "Quy chế dân chủ tại nơi làm việc",
                ),
                _c(
                    "1.2",
                    "Phổ biến quy chế cho người lao động",
                    4,
                    "Người lao động được phổ biến quy chế khi tuyển dụng và khi sửa đổi.",
                ),
            ],
        ),
        _g(
            "II",
            "Công khai thông tin",
            [
                _c(
                    "2.1",
                    "Công khai tình hình sản xuất, kinh doanh; nội quy lao động, thang lương, bảng lương",
                    8,
                    "Công khai cả định mức lao động, quy chế thưởng, điều kiện làm việc.",
                ),
                _c(
                    "2.2",
                    "Công khai trích lập, sử dụng quỹ khen thưởng, phúc lợi; đóng bảo hiểm xã hội, kinh phí công đoàn",
                    7,
                    "Công khai định kỳ hằng năm tại nơi làm việc.",
                ),
            ],
        ),
        _g(
            "III",
            "Hội nghị người lao động",
            [
                _c(
                    "3.1",
                    "Tổ chức Hội nghị người lao động hằng năm",
                    10,
                    "Bắt buộc với doanh nghiệp từ 10 người lao động; doanh nghiệp nhà nước tổ chức sau khi kết "
                    "thúc năm tài chính, chậm nhất 3 tháng sau đó.",
                    True,
                    "Biên bản, nghị quyết Hội nghị người lao động",
                ),
                _c(
                    "3.2",
                    "Thành phần, nội dung hội nghị đúng quy định; có nghị quyết",
                    8,
                    "Hội nghị thảo luận tình hình sản xuất, kinh doanh, thỏa ước lao động tập thể, nội quy, chế "
                    "độ của người lao động.",
                ),
                _c(
                    "3.3",
                    "Thực hiện và công khai nghị quyết hội nghị",
                    7,
                    "Có báo cáo kết quả thực hiện nghị quyết hội nghị năm trước.",
                ),
            ],
        ),
        _g(
            "IV",
            "Đối thoại tại nơi làm việc",
            [
                _c(
                    "4.1",
                    "Đối thoại định kỳ ít nhất 1 lần/năm",
                    10,
                    "Đối thoại định kỳ giữa người sử dụng lao động và người lao động theo Điều 63 Bộ luật Lao "
                    "động 2019.",
                    True,
                    "Biên bản đối thoại định kỳ",
                ),
                _c(
                    "4.2",
                    "Đối thoại khi một hoặc các bên yêu cầu, khi có vụ việc",
                    8,
                    "Tổ chức đối thoại trong thời hạn khi có yêu cầu hoặc khi có vụ việc theo quy định.",
                ),
                _c(
                    "4.3",
                    "Thành phần mỗi bên đúng quy định; có biên bản, công khai kết quả",
                    7,
                    "Bên người sử dụng lao động ít nhất 3 người, gồm người đại diện theo pháp luật; bên người lao "
                    "động ít nhất 3 người (Nghị định 145/2020/NĐ-CP).",
                ),
            ],
        ),
        _g(
            "V",
            "Kiểm tra, giám sát",
            [
                _c(
                    "5.1",
                    "Ban Thanh tra nhân dân (doanh nghiệp nhà nước) hoặc tổ chức công đoàn giám sát",
                    8,
                    "Ban được bầu tại Hội nghị người lao động, nhiệm kỳ 2 năm; doanh nghiệp ngoài nhà nước chấm "
                    "theo hoạt động giám sát của tổ chức đại diện người lao động.",
                ),
                _c(
                    "5.2",
                    "Kiến nghị qua giám sát được xem xét, giải quyết",
                    7,
                    "Người sử dụng lao động trả lời bằng văn bản các kiến nghị.",
                ),
            ],
        ),
        _g(
            "VI",
            "Quan hệ lao động hài hòa",
            [
                _c(
                    "6.1",
                    "Không có tranh chấp lao động tập thể, ngừng việc tập thể trái quy định",
                    5,
                    "Có tranh chấp được hòa giải thành tại doanh nghiệp: 3 điểm.",
                ),
                _c(
                    "6.2",
                    "Thực hiện đầy đủ thỏa ước lao động tập thể, chế độ của người lao động",
                    5,
                    "Trả lương, đóng bảo hiểm đúng hạn; thực hiện các điều khoản của thỏa ước.",
                ),
            ],
        ),
    ],
}

# The illustrative sets first: the real Bắc Giang set is loaded last, and a real set is preferred
# to an illustrative one anyway (services.set_for).
SETS = (COMMUNE, STATE_AGENCY, PUBLIC_SERVICE, ENTERPRISE, BAC_GIANG)


def rows_of(spec: dict) -> list[dict]:
    """The set's criteria as rows for ``services.set_save`` (groups carry their children's total)."""
    rows = []
    for item in spec["items"]:
        if item.get("group"):
            children = item["children"]
            rows.append(
                {
                    "code": item["code"],
                    "title": item["title"],
                    "is_group": True,
                    "max_points": sum((c["max_points"] for c in children), Decimal("0")),
                }
            )
            rows += [{**c, "parent_code": item["code"]} for c in children]
        else:
            rows.append(dict(item))
    return rows


def is_default_bands(bands) -> bool:
    """Whether ``bands`` (ClassificationBand rows) are the example bands, unedited."""
    return sorted((b.label, b.min_score, b.no_zero_criterion) for b in bands) == sorted(
        (label, score, False) for label, score in DEFAULT_BANDS
    )


def default_bands() -> list[dict]:
    return [{"label": label, "min_score": score, "no_zero_criterion": False} for label, score in DEFAULT_BANDS]


def load(*, province=None, actor=None) -> list[tuple[CriteriaSet, bool]]:
    """Create and publish every shipped set for ``province`` (None: national) unless it exists.

    Returns (set, created) pairs.
    """
    out = []
    for spec in SETS:
        existing = CriteriaSet.objects.filter(name=spec["name"], province=province, version=1).first()
        if existing is not None:
            out.append((existing, False))
            continue
        with transaction.atomic():
            criteria_set = services.set_save(
                actor=actor,
                data={
                    "name": spec["name"],
                    "province": province,
                    "applies_to": spec["applies_to"],
                    "year_from": YEAR_FROM,
                    "year_to": None,
                    "legal_basis": spec["legal_basis"],
                    "is_illustrative": spec["is_illustrative"],
                    "total_points": Decimal("100"),
                },
                criteria=rows_of(spec),
                bands=default_bands(),
            )
            problems = services.set_problems(criteria_set)
            if problems:  # a shipped set must be publishable
                raise ValidationError(problems)
            services.set_publish(actor=actor, criteria_set=criteria_set)
        out.append((criteria_set, True))
    return out
