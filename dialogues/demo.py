"""Demo data for the dialogues app (called by seed_demo after units.demo).

Three years (1/11/2023 – 15/11/2026) of dialogue conferences, petitions with their "5 rõ"
follow-up and citizen-reception sessions for Lạc Sơn. The dialogue counts follow the
district's own three-year report (S1: 8 district-level, 1 in enterprises, 92 commune-level);
the resolution rate aims at the "trên 93%" of S4. Names, places and contents are plausible,
not real records. District-level activity stops on 30/6/2025, when the district level ended.

Re-running creates nothing: if Lạc Sơn already has dialogues or receptions, the existing
counts are reported.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from dialogues.models import (
    ChairRole,
    CoOrganizer,
    DialogueSession,
    Field,
    Format,
    Petition,
    PetitionEvent,
    PetitionStatus,
    ReceiverRole,
    ReceptionCase,
    ReceptionKind,
    ReceptionSession,
    Scope,
    Trigger,
)
from dialogues.services import LEVEL_OF_KIND
from units.demo import COMMUNE_CODE, DISTRICT_CODE, legacy
from units.models import AGENCY_KINDS, OfficialType, Unit, UnitKind
from units.services import REFORM_DAY

START = dt.date(2023, 11, 1)
END = dt.date(2026, 11, 15)  # last day with records (the demo's "today" is 22/11/2026)
SEED = 2023

COMMUNE_SESSIONS = 92
DISTRICT_SESSIONS = 8
P_STUCK = 0.012  # petitions still open long after their deadline
P_TRANSFER = 0.08  # of the petitions a commune may pass to the competent level
TARGET_RATE = 0.932  # S4: "trên 93%" resolved or answered; the few left are the last months' backlog
P_ANSWERED = {"commune": 0.3, "district": 0.35, "agency": 0.4, "enterprise": 0.4}

# --- People ---------------------------------------------------------------------------------
# Mường surnames (Bùi, Quách, Đinh, Hà, Xa, Bạch) dominate in Lạc Sơn.
SURNAMES = {
    "Bùi": 34,
    "Nguyễn": 11,
    "Quách": 9,
    "Đinh": 9,
    "Hà": 7,
    "Trần": 5,
    "Phạm": 4,
    "Xa": 3,
    "Bạch": 3,
    "Lê": 3,
    "Hoàng": 3,
    "Đặng": 2,
    "Cao": 2,
}
MALE_MIDDLE = ["Văn"] * 6 + ["Đức", "Công", "Minh", "Xuân", "Tiến", "Thanh", "Quang", "Ngọc"]
MALE_GIVEN = [
    "Hùng", "Sơn", "Tuấn", "Thắng", "Hải", "Dũng", "Cường", "Hưng", "Thành", "Long", "Bình", "Khánh",
    "Toàn", "Quyết", "Chiến", "Lâm", "Nam", "Hiếu", "Tùng", "Phong", "Mạnh", "Huấn", "Thịnh", "Kiên",
]  # fmt: skip
FEMALE_MIDDLE = ["Thị"] * 6 + ["Thu", "Thanh", "Hồng", "Minh"]
FEMALE_GIVEN = [
    "Lan", "Hương", "Thu", "Hoa", "Hằng", "Nga", "Mai", "Huyền", "Thảo", "Duyên", "Liên", "Oanh",
    "Yến", "Nhung", "Loan", "Hạnh",
]  # fmt: skip

# Commune officials: key -> title (the commune type, "xã" or "thị trấn", is appended).
COMMUNE_TITLES = {
    "bt": "Bí thư Đảng ủy",
    "ct": "Chủ tịch UBND",
    "pct": "Phó Chủ tịch UBND",
    "dc": "công chức Địa chính - Xây dựng",
    "vhxh": "công chức Văn hóa - Xã hội",
    "tp": "công chức Tư pháp - Hộ tịch",
    "ca": "Trưởng Công an",
}

# --- Petition contents ----------------------------------------------------------------------
# field, kind ("work": mostly resolved; "policy": mostly explained), content, task,
# responsible ("xa": UBND of the commune, "ca_xa": its police, else a district agency),
# official in charge (a COMMUNE_TITLES key, or "agency": the head of the agency),
# result if resolved, answer if explained, the competent unit it may be transferred to.
PETITIONS = [
    (
        Field.DAT_DAI,
        "work",
        "Đề nghị đẩy nhanh việc cấp giấy chứng nhận quyền sử dụng đất cho {n} hộ ở {xom} đã nộp hồ sơ "
        "từ năm {prev_year}.",
        "Rà soát, hoàn thiện hồ sơ và trình cấp giấy chứng nhận quyền sử dụng đất cho các hộ {xom}.",
        "xa",
        "dc",
        "Đã hoàn thiện hồ sơ, trao giấy chứng nhận quyền sử dụng đất cho {n} hộ {xom} ({month}).",
        "Đã giải thích: một số hồ sơ còn thiếu giấy tờ về nguồn gốc đất; đã hướng dẫn các hộ bổ sung theo quy định.",
        "Chi nhánh Văn phòng Đăng ký đất đai huyện Lạc Sơn",
    ),
    (
        Field.DAT_DAI,
        "work",
        "Phản ánh tranh chấp ranh giới đất vườn giữa một số hộ ở {xom}, đề nghị chính quyền hòa giải dứt điểm.",
        "Tổ chức hòa giải tranh chấp đất đai tại {xom}; đo đạc, xác định lại mốc ranh giới.",
        "xa",
        "pct",
        "Đã hòa giải thành; các hộ thống nhất cắm lại mốc ranh giới và ký biên bản ({month}).",
        "Đã hòa giải nhưng không thành; hướng dẫn các hộ gửi đơn đến cơ quan có thẩm quyền theo Luật Đất đai.",
        "Phòng Tài nguyên và Môi trường huyện Lạc Sơn",
    ),
    (
        Field.DAT_DAI,
        "policy",
        "Đề nghị công khai phương án bồi thường, hỗ trợ khi thu hồi đất làm {road} đoạn qua {xom}.",
        "Phối hợp Ban Quản lý dự án niêm yết công khai phương án bồi thường, hỗ trợ; tổ chức họp dân giải đáp.",
        "xa",
        "pct",
        "Đã niêm yết phương án bồi thường tại nhà văn hóa {xom} và trụ sở UBND, tổ chức họp dân giải đáp ({month}).",
        "Đã giải thích trình tự thu hồi đất; phương án bồi thường được niêm yết công khai trước khi phê duyệt.",
        "Ban Quản lý dự án đầu tư xây dựng huyện Lạc Sơn",
    ),
    (
        Field.DAT_DAI,
        "policy",
        "Đề nghị xem xét lại đơn giá bồi thường đất rừng sản xuất bị thu hồi vì thấp hơn giá chuyển nhượng thực tế.",
        "Rà soát đơn giá bồi thường, hỗ trợ áp dụng cho các hộ {xom} bị thu hồi đất, báo cáo kết quả.",
        "Phòng Tài nguyên và Môi trường huyện Lạc Sơn",
        "agency",
        "Đã bổ sung hỗ trợ cây trồng trên đất rừng sản xuất cho {n} hộ bị thu hồi đất ({month}).",
        "Đã giải thích: đơn giá bồi thường áp dụng theo bảng giá đất của UBND tỉnh Hòa Bình; các hộ được hỗ trợ "
        "thêm chuyển đổi nghề.",
        None,
    ),
    (
        Field.DAT_DAI,
        "policy",
        "Hỏi về thủ tục chuyển mục đích sử dụng đất vườn sang đất ở để làm nhà cho con.",
        "Hướng dẫn thủ tục chuyển mục đích sử dụng đất cho các hộ có nhu cầu.",
        "xa",
        "dc",
        "Đã hướng dẫn, tiếp nhận hồ sơ chuyển mục đích sử dụng đất của {n} hộ và chuyển giải quyết ({month}).",
        "Đã trả lời: việc chuyển mục đích phải phù hợp kế hoạch sử dụng đất hằng năm; đã hướng dẫn hồ sơ và "
        "nghĩa vụ tài chính.",
        None,
    ),
    (
        Field.XAY_DUNG,
        "work",
        "Phản ánh một số hộ xây dựng công trình lấn chiếm hành lang an toàn {road} đoạn qua {xom}.",
        "Kiểm tra hiện trạng, lập biên bản và xử lý vi phạm trật tự xây dựng theo quy định.",
        "xa",
        "dc",
        "Đã kiểm tra, lập biên bản; các hộ vi phạm đã tự tháo dỡ phần công trình lấn chiếm ({month}).",
        "Đã kiểm tra: công trình nằm ngoài hành lang an toàn đường bộ; đã thông báo kết quả cho người phản ánh.",
        None,
    ),
    (
        Field.XAY_DUNG,
        "work",
        "Đề nghị sửa chữa nhà văn hóa {xom} đã xuống cấp, mái dột, tường nứt.",
        "Khảo sát, lập dự toán và bố trí kinh phí sửa chữa nhà văn hóa {xom}.",
        "xa",
        "pct",
        "Đã sửa chữa mái, trát lại tường nhà văn hóa {xom} bằng ngân sách xã và Nhân dân đóng góp ({month}).",
        "Đã trả lời: việc sửa chữa nhà văn hóa {xom} được đưa vào kế hoạch năm {next_year}.",
        None,
    ),
    (
        Field.XAY_DUNG,
        "work",
        "Đề nghị giám sát chất lượng công trình kè chống sạt lở bờ suối tại {xom} đang thi công.",
        "Phối hợp Ban Giám sát đầu tư của cộng đồng kiểm tra chất lượng, tiến độ công trình kè.",
        "xa",
        "pct",
        "Đã kiểm tra cùng Ban Giám sát đầu tư của cộng đồng; nhà thầu đã khắc phục đoạn kè bị nứt ({month}).",
        "Đã công khai hồ sơ thiết kế, dự toán công trình kè tại nhà văn hóa {xom} để Nhân dân giám sát.",
        "Ban Quản lý dự án đầu tư xây dựng huyện Lạc Sơn",
    ),
    (
        Field.XAY_DUNG,
        "policy",
        "Hỏi về việc cấp giấy phép xây dựng nhà ở riêng lẻ ở khu vực nông thôn.",
        "Hướng dẫn Nhân dân quy định về cấp giấy phép xây dựng nhà ở riêng lẻ.",
        "xa",
        "dc",
        "Đã niêm yết thủ tục cấp phép xây dựng tại bộ phận một cửa và thông báo trên loa truyền thanh ({month}).",
        "Đã trả lời: nhà ở riêng lẻ ở nông thôn ngoài khu vực có quy hoạch chi tiết được miễn giấy phép xây dựng.",
        None,
    ),
    (
        Field.CHINH_SACH,
        "work",
        "Đề nghị rà soát lại danh sách hộ nghèo, hộ cận nghèo năm {year} ở {xom} cho đúng đối tượng.",
        "Rà soát, bình xét lại hộ nghèo, hộ cận nghèo tại {xom}; niêm yết công khai kết quả.",
        "xa",
        "vhxh",
        "Đã bình xét lại, điều chỉnh {n} hộ và niêm yết công khai danh sách tại nhà văn hóa {xom} ({month}).",
        "Đã giải thích tiêu chí nghèo đa chiều giai đoạn 2022-2025 và kết quả bình xét tại {xom}.",
        None,
    ),
    (
        Field.CHINH_SACH,
        "work",
        "Đề nghị giải quyết trợ cấp xã hội hằng tháng cho người cao tuổi, người khuyết tật ở {xom} chưa được hưởng.",
        "Rà soát hồ sơ, lập thủ tục đề nghị hưởng trợ cấp xã hội cho các trường hợp đủ điều kiện.",
        "xa",
        "vhxh",
        "Đã lập hồ sơ; {n} người được hưởng trợ cấp xã hội hằng tháng ({month}).",
        "Đã giải thích: các trường hợp chưa đủ tuổi hoặc chưa có kết luận mức độ khuyết tật; đã hướng dẫn hồ sơ.",
        "Phòng Lao động - Thương binh và Xã hội huyện Lạc Sơn",
    ),
    (
        Field.CHINH_SACH,
        "policy",
        "Hỏi về chính sách hỗ trợ nhà ở cho hộ nghèo thuộc Chương trình mục tiêu quốc gia phát triển kinh tế - "
        "xã hội vùng đồng bào dân tộc thiểu số và miền núi.",
        "Hướng dẫn điều kiện, hồ sơ hỗ trợ nhà ở; rà soát các hộ đủ điều kiện.",
        "xa",
        "vhxh",
        "Đã rà soát, đưa {n} hộ vào danh sách hỗ trợ xây mới, sửa chữa nhà ở ({month}).",
        "Đã giải thích đối tượng, mức hỗ trợ nhà ở theo Chương trình mục tiêu quốc gia và hướng dẫn đăng ký.",
        None,
    ),
    (
        Field.CHINH_SACH,
        "work",
        "Đề nghị cấp, đổi thẻ bảo hiểm y tế kịp thời cho người dân tộc thiểu số ở {xom}.",
        "Rà soát danh sách, phối hợp Bảo hiểm xã hội huyện cấp, đổi thẻ bảo hiểm y tế.",
        "xa",
        "vhxh",
        "Đã cấp, đổi {n} thẻ bảo hiểm y tế cho người dân {xom} ({month}).",
        "Đã giải thích việc thay đổi đối tượng được cấp thẻ khi xã ra khỏi vùng khó khăn; hướng dẫn tham gia "
        "bảo hiểm y tế hộ gia đình.",
        "Bảo hiểm xã hội huyện Lạc Sơn",
    ),
    (
        Field.CHINH_SACH,
        "work",
        "Phản ánh việc cấp giống mía, giống chè hỗ trợ sản xuất cho hộ nghèo {xom} còn chậm so với thời vụ.",
        "Kiểm tra tiến độ cung ứng giống, đôn đốc đơn vị cung ứng cấp cho các hộ.",
        "xa",
        "pct",
        "Đã cấp đủ giống hỗ trợ cho {n} hộ trước thời vụ trồng ({month}).",
        "Đã giải thích: giống được cấp theo kế hoạch thời vụ của huyện, các hộ còn lại nhận ở đợt 2.",
        "Phòng Nông nghiệp và Phát triển nông thôn huyện Lạc Sơn",
    ),
    (
        Field.CHINH_SACH,
        "policy",
        "Đề nghị tổ chức dạy nghề, giới thiệu việc làm cho lao động nông thôn, nhất là thanh niên {xom}.",
        "Phối hợp Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên mở lớp dạy nghề; thông tin tuyển dụng.",
        "xa",
        "vhxh",
        "Đã mở lớp sơ cấp nghề may công nghiệp cho {n} học viên và giới thiệu việc làm tại doanh nghiệp ({month}).",
        "Đã thông tin các lớp dạy nghề miễn phí năm {year} và hướng dẫn đăng ký tại UBND.",
        None,
    ),
    (
        Field.MOI_TRUONG,
        "work",
        "Phản ánh rác thải sinh hoạt ở {xom} chưa được thu gom thường xuyên, đổ ven đường gây mất vệ sinh.",
        "Bố trí điểm tập kết rác, lịch thu gom định kỳ; tuyên truyền Nhân dân phân loại rác tại nguồn.",
        "xa",
        "pct",
        "Đã bố trí điểm tập kết và lịch thu gom rác 2 lần/tuần tại {xom} ({month}).",
        "Đã giải thích: kinh phí thu gom do Nhân dân đóng góp theo quy ước; xóm đã thống nhất mức đóng góp mới.",
        None,
    ),
    (
        Field.MOI_TRUONG,
        "work",
        "Phản ánh xưởng chế biến gỗ gần {xom} gây tiếng ồn, bụi, ảnh hưởng sinh hoạt của các hộ dân.",
        "Kiểm tra việc chấp hành quy định bảo vệ môi trường của cơ sở, yêu cầu khắc phục.",
        "xa",
        "dc",
        "Đã yêu cầu cơ sở xây tường bao, lắp hệ thống hút bụi, không hoạt động sau 22 giờ; cơ sở đã chấp hành "
        "({month}).",
        "Đã kiểm tra: cơ sở có hồ sơ môi trường, kết quả quan trắc trong giới hạn cho phép; yêu cầu điều chỉnh "
        "giờ hoạt động.",
        "Phòng Tài nguyên và Môi trường huyện Lạc Sơn",
    ),
    (
        Field.MOI_TRUONG,
        "work",
        "Phản ánh tình trạng khai thác cát, sỏi trái phép trên sông Bưởi đoạn qua {xa}.",
        "Chủ trì kiểm tra, xử lý việc khai thác cát, sỏi trái phép.",
        "ca_xa",
        "ca",
        "Đã kiểm tra, lập biên bản {n} trường hợp khai thác trái phép, tạm giữ phương tiện ({month}).",
        "Đã kiểm tra: điểm khai thác thuộc dự án nạo vét đã được cấp phép; đề nghị Nhân dân tiếp tục giám sát.",
        "Công an huyện Lạc Sơn",
    ),
    (
        Field.MOI_TRUONG,
        "work",
        "Phản ánh một số hộ chăn nuôi lợn sát khu dân cư {xom} xả thải ra mương gây ô nhiễm.",
        "Kiểm tra, hướng dẫn các hộ làm hầm biogas, xử lý chất thải chăn nuôi.",
        "xa",
        "dc",
        "Đã kiểm tra; {n} hộ đã xây hầm biogas và cam kết không xả thải ra mương ({month}).",
        "Đã tuyên truyền, hướng dẫn các hộ chăn nuôi thực hiện quy định về xử lý chất thải.",
        None,
    ),
    (
        Field.HA_TANG,
        "work",
        "Đề nghị bê tông hóa tuyến đường liên xóm từ {xom} đi {xom2}, dài khoảng {km} km, mùa mưa lầy lội.",
        "Khảo sát, đưa tuyến đường vào kế hoạch xây dựng nông thôn mới theo phương châm Nhà nước và Nhân dân cùng làm.",
        "xa",
        "pct",
        "Đã bê tông hóa {km} km đường từ {xom} đi {xom2} (Nhà nước hỗ trợ xi măng, Nhân dân góp công, hiến đất) "
        "({month}).",
        "Đã trả lời: tuyến đường được đưa vào kế hoạch năm {next_year}; đề nghị Nhân dân thống nhất hiến đất "
        "mở rộng mặt đường.",
        None,
    ),
    (
        Field.HA_TANG,
        "work",
        "Đề nghị sửa chữa mương thủy lợi nội đồng {xom} bị sạt lở sau mưa lũ, không đủ nước tưới.",
        "Khảo sát, khắc phục tạm thời và lập hồ sơ sửa chữa mương.",
        "xa",
        "pct",
        "Đã nạo vét, gia cố {length} m mương bị sạt lở, bảo đảm nước tưới vụ {season} ({month}).",
        "Đã trả lời: mương thuộc hệ thống do Xí nghiệp Khai thác công trình thủy lợi quản lý; đã đề nghị "
        "xí nghiệp sửa chữa.",
        "Xí nghiệp Khai thác công trình thủy lợi Lạc Sơn",
    ),
    (
        Field.HA_TANG,
        "work",
        "Phản ánh {xom} thiếu nước sạch sinh hoạt vào mùa khô do công trình cấp nước tập trung bị hỏng.",
        "Kiểm tra công trình cấp nước tập trung {xom}, sửa chữa đường ống, bể chứa.",
        "xa",
        "pct",
        "Đã thay {length} m đường ống, sửa bể lọc; các hộ {xom} có nước sạch ổn định ({month}).",
        "Đã trả lời: công trình cấp nước {xom} được đưa vào danh mục sửa chữa bằng vốn chương trình nước sạch "
        "nông thôn.",
        "Phòng Nông nghiệp và Phát triển nông thôn huyện Lạc Sơn",
    ),
    (
        Field.HA_TANG,
        "work",
        "Đề nghị lắp điện chiếu sáng công cộng trên tuyến đường trục {xom}.",
        "Vận động Nhân dân đóng góp, phối hợp Điện lực lắp đặt hệ thống chiếu sáng.",
        "xa",
        "pct",
        "Đã lắp {n} bóng đèn chiếu sáng trên đường trục {xom} theo mô hình “Thắp sáng đường quê” ({month}).",
        "Đã trả lời: xã đang vận động nguồn xã hội hóa, dự kiến lắp đặt trong năm {next_year}.",
        "Điện lực Lạc Sơn",
    ),
    (
        Field.HA_TANG,
        "work",
        "Đề nghị xây cầu tràn qua suối {xom} để học sinh và Nhân dân đi lại an toàn trong mùa mưa lũ.",
        "Khảo sát vị trí, lập đề xuất đầu tư cầu tràn; trước mắt cắm biển cảnh báo.",
        "xa",
        "pct",
        "Đã hoàn thành cầu tràn qua suối {xom} bằng vốn xây dựng nông thôn mới ({month}).",
        "Đã trả lời: cầu tràn {xom} được đưa vào danh mục đầu tư công trung hạn; đã cắm biển cảnh báo.",
        "Phòng Kinh tế và Hạ tầng huyện Lạc Sơn",
    ),
    (
        Field.HA_TANG,
        "work",
        "Phản ánh điểm sạt lở ta-luy dương trên {road} đoạn qua {xom} gây nguy hiểm cho người đi đường.",
        "Cắm biển cảnh báo, báo cáo và phối hợp đơn vị quản lý đường xử lý sạt lở.",
        "xa",
        "pct",
        "Đã dọn đất đá sạt lở, cắm biển cảnh báo; đơn vị quản lý đường đã gia cố ta-luy ({month}).",
        "Đã trả lời: tuyến đường do cơ quan cấp trên quản lý; xã đã có văn bản đề nghị xử lý.",
        "Phòng Kinh tế và Hạ tầng huyện Lạc Sơn",
    ),
    (
        Field.KHAC,
        "work",
        "Phản ánh tình trạng thanh thiếu niên tụ tập, đi xe máy lạng lách gây mất trật tự ban đêm ở {xom}.",
        "Tăng cường tuần tra, kiểm soát; phối hợp gia đình, nhà trường giáo dục thanh thiếu niên.",
        "ca_xa",
        "ca",
        "Đã tăng cường tuần tra ban đêm, gọi hỏi răn đe {n} trường hợp; tình hình trật tự ổn định ({month}).",
        "Đã trả lời: địa bàn {xom} được đưa vào kế hoạch tuần tra trọng điểm.",
        None,
    ),
    (
        Field.KHAC,
        "policy",
        "Đề nghị rút ngắn thời gian giải quyết thủ tục chứng thực, đăng ký hộ tịch tại bộ phận một cửa.",
        "Rà soát quy trình, bố trí thêm công chức tiếp nhận vào ngày cao điểm; công khai thời hạn giải quyết.",
        "xa",
        "tp",
        "Đã bố trí thêm công chức trực bộ phận một cửa, giải quyết thủ tục chứng thực trong ngày ({month}).",
        "Đã giải thích thời hạn giải quyết từng thủ tục và hướng dẫn nộp hồ sơ trực tuyến trên Cổng dịch vụ công.",
        None,
    ),
    (
        Field.KHAC,
        "policy",
        "Đề nghị hướng dẫn người cao tuổi sử dụng dịch vụ công trực tuyến và ứng dụng VNeID.",
        "Tổ công nghệ số cộng đồng hướng dẫn Nhân dân tại nhà văn hóa các xóm.",
        "xa",
        "tp",
        "Tổ công nghệ số cộng đồng đã hướng dẫn {n} lượt người sử dụng VNeID, dịch vụ công trực tuyến ({month}).",
        "Đã trả lời: Tổ công nghệ số cộng đồng trực hỗ trợ vào sáng thứ Bảy hằng tuần tại trụ sở UBND.",
        None,
    ),
    (
        Field.KHAC,
        "policy",
        "Phản ánh tình trạng lừa đảo qua điện thoại, mạng xã hội; đề nghị tăng cường tuyên truyền cho Nhân dân.",
        "Tuyên truyền phương thức, thủ đoạn lừa đảo trên loa truyền thanh và tại các buổi họp xóm.",
        "ca_xa",
        "ca",
        "Đã tuyên truyền tại {n} xóm, phát tờ rơi cảnh báo lừa đảo qua mạng ({month}).",
        "Đã trả lời: Công an thường xuyên thông báo thủ đoạn lừa đảo mới trên loa truyền thanh và nhóm Zalo các xóm.",
        None,
    ),
    (
        Field.KHAC,
        "policy",
        "Đề nghị chấn chỉnh việc tổ chức đám cưới, đám tang kéo dài, dùng loa công suất lớn ảnh hưởng khu dân cư.",
        "Tuyên truyền, vận động thực hiện nếp sống văn minh và quy ước của {xom}.",
        "xa",
        "vhxh",
        "Đã bổ sung quy ước {xom} về việc cưới, việc tang; các hộ ký cam kết thực hiện ({month}).",
        "Đã trả lời: đề nghị Ban công tác Mặt trận {xom} tuyên truyền, vận động thực hiện quy ước.",
        None,
    ),
]

# Workplace petitions: field, content, task, responsible department, result, answer.
ENTERPRISE_PETITIONS = [
    (
        Field.CHINH_SACH,
        "Đề nghị tăng tiền ăn giữa ca và phụ cấp chuyên cần cho người lao động.",
        "Cân đối chi phí, đề xuất mức tiền ăn giữa ca và phụ cấp chuyên cần mới.",
        "Phòng Hành chính - Nhân sự",
        "Đã tăng tiền ăn giữa ca thêm 5.000 đồng/suất và phụ cấp chuyên cần thêm 100.000 đồng/tháng ({month}).",
        "Đã giải thích mức tiền ăn giữa ca hiện hành và cam kết xem xét điều chỉnh khi có đơn hàng ổn định.",
    ),
    (
        Field.KHAC,
        "Đề nghị hạn chế làm thêm giờ trong các tháng cao điểm, bảo đảm không vượt 300 giờ/năm.",
        "Điều chỉnh kế hoạch sản xuất, bố trí ca hợp lý, công khai số giờ làm thêm hằng tháng.",
        "Phòng Kế hoạch - Sản xuất",
        "Đã điều chỉnh kế hoạch, tuyển thêm lao động thời vụ; giờ làm thêm được công khai hằng tháng ({month}).",
        "Đã giải thích: làm thêm giờ có sự đồng ý của người lao động và trong giới hạn của Bộ luật Lao động.",
    ),
    (
        Field.XAY_DUNG,
        "Đề nghị làm mái che nhà để xe và lắp thêm quạt thông gió tại xưởng may số 2.",
        "Lập dự toán, thi công mái che nhà để xe và lắp quạt thông gió.",
        "Phòng Kỹ thuật - Cơ điện",
        "Đã làm mái che nhà để xe và lắp 12 quạt thông gió tại xưởng may số 2 ({month}).",
        "Đã trả lời: hạng mục được đưa vào kế hoạch đầu tư của công ty năm sau.",
    ),
    (
        Field.CHINH_SACH,
        "Đề nghị tổ chức khám sức khỏe định kỳ và khám chuyên khoa cho lao động nữ.",
        "Ký hợp đồng với Trung tâm Y tế huyện tổ chức khám sức khỏe định kỳ.",
        "Công đoàn cơ sở công ty",
        "Đã tổ chức khám sức khỏe định kỳ và khám chuyên khoa cho lao động nữ ({month}).",
        "Đã trả lời: công ty tổ chức khám sức khỏe định kỳ vào quý III hằng năm.",
    ),
    (
        Field.CHINH_SACH,
        "Đề nghị công khai cách tính tiền thưởng cuối năm và tiêu chí xếp loại lao động.",
        "Xây dựng, công khai quy chế thưởng sau khi lấy ý kiến tổ chức đại diện người lao động.",
        "Phòng Hành chính - Nhân sự",
        "Đã ban hành và niêm yết quy chế thưởng sau khi lấy ý kiến công đoàn ({month}).",
        "Đã giải thích cách tính tiền thưởng theo quy chế hiện hành tại hội nghị.",
    ),
]

AGENCY_PETITIONS = [
    (
        Field.KHAC,
        "Đề nghị công khai quy chế chi tiêu nội bộ và quyết toán kinh phí năm {prev_year}.",
        "Công khai quy chế chi tiêu nội bộ, quyết toán kinh phí tại hội nghị và bảng tin của đơn vị.",
        "Bộ phận Kế toán",
        "Đã công khai quy chế chi tiêu nội bộ và quyết toán kinh phí tại bảng tin đơn vị ({month}).",
        "Đã trả lời: quyết toán được công khai tại hội nghị cán bộ, công chức, viên chức đầu năm.",
    ),
    (
        Field.XAY_DUNG,
        "Đề nghị sửa chữa phòng làm việc xuống cấp và bổ sung máy tính cho bộ phận chuyên môn.",
        "Lập dự toán sửa chữa, mua sắm thiết bị trong dự toán năm.",
        "Bộ phận Hành chính - Tổng hợp",
        "Đã sửa chữa phòng làm việc và bổ sung 4 máy tính ({month}).",
        "Đã trả lời: việc mua sắm được đưa vào dự toán năm {next_year}.",
    ),
    (
        Field.CHINH_SACH,
        "Đề nghị xét nâng lương trước thời hạn và bình xét thi đua công khai, đúng quy định.",
        "Rà soát, công khai danh sách nâng lương trước thời hạn và kết quả bình xét thi đua.",
        "Bộ phận Tổ chức cán bộ",
        "Đã công khai danh sách nâng lương trước thời hạn và kết quả bình xét thi đua ({month}).",
        "Đã giải thích tiêu chuẩn, tỷ lệ nâng lương trước thời hạn theo quy định.",
    ),
    (
        Field.KHAC,
        "Đề nghị rút ngắn thời gian giải quyết hồ sơ và giảm giấy tờ cho người dân đến làm thủ tục.",
        "Rà soát quy trình nội bộ, công khai thời hạn giải quyết, tăng tiếp nhận hồ sơ trực tuyến.",
        "Bộ phận Hành chính - Tổng hợp",
        "Đã rút ngắn quy trình nội bộ, công khai thời hạn giải quyết tại nơi tiếp nhận hồ sơ ({month}).",
        "Đã giải thích thời hạn giải quyết theo quy định và hướng dẫn nộp hồ sơ trực tuyến.",
    ),
    (
        Field.CHINH_SACH,
        "Đề nghị hỗ trợ chỗ ở cho viên chức, người lao động ở xa đơn vị.",
        "Rà soát nhu cầu, bố trí phòng nghỉ tập thể cho viên chức ở xa.",
        "Bộ phận Hành chính - Tổng hợp",
        "Đã cải tạo 3 phòng tập thể cho viên chức ở xa ({month}).",
        "Đã trả lời: đơn vị chưa có quỹ nhà công vụ; đề nghị cấp trên xem xét.",
    ),
]

# --- Dialogue topics ------------------------------------------------------------------------
# Themes for thematic and on-request commune dialogues, with the field they favour.
THEMES = [
    ("công tác bồi thường, hỗ trợ, giải phóng mặt bằng dự án mở rộng Quốc lộ 12B", Field.DAT_DAI),
    ("cấp giấy chứng nhận quyền sử dụng đất", Field.DAT_DAI),
    ("xây dựng nông thôn mới nâng cao", Field.HA_TANG),
    ("bê tông hóa đường giao thông nông thôn", Field.HA_TANG),
    ("cấp nước sạch sinh hoạt", Field.HA_TANG),
    ("chính sách xã hội và giảm nghèo bền vững", Field.CHINH_SACH),
    ("thực hiện Chương trình mục tiêu quốc gia vùng đồng bào dân tộc thiểu số và miền núi", Field.CHINH_SACH),
    ("an ninh trật tự, phòng chống ma túy và lừa đảo qua mạng", Field.KHAC),
    ("cải cách hành chính và dịch vụ công trực tuyến", Field.KHAC),
    ("bảo vệ môi trường, thu gom rác thải sinh hoạt", Field.MOI_TRUONG),
]
INCIDENTS = [
    ("tranh chấp đất đai giữa các hộ", Field.DAT_DAI),
    ("ô nhiễm từ cơ sở chế biến gỗ", Field.MOI_TRUONG),
    ("sạt lở đất sau mưa lũ", Field.HA_TANG),
    ("khai thác cát, sỏi trái phép trên sông Bưởi", Field.MOI_TRUONG),
    ("bồi thường cây cối, hoa màu khi mở rộng đường", Field.DAT_DAI),
]
DISTRICT_TOPICS = [
    ("công tác bồi thường, hỗ trợ, giải phóng mặt bằng các dự án trọng điểm", Scope.CHUYEN_DE, Field.DAT_DAI),
    ("tình hình phát triển kinh tế - xã hội, quốc phòng - an ninh năm {year}", Scope.TOAN_DIEN, None),
    ("quản lý đất đai, cấp giấy chứng nhận quyền sử dụng đất", Scope.CHUYEN_DE, Field.DAT_DAI),
    ("thực hiện Chương trình mục tiêu quốc gia vùng đồng bào dân tộc thiểu số và miền núi", Scope.CHUYEN_DE, None),
    ("tình hình phát triển kinh tế - xã hội, quốc phòng - an ninh năm {year}", Scope.TOAN_DIEN, None),
    ("xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu", Scope.CHUYEN_DE, Field.HA_TANG),
    ("cải cách hành chính, chuyển đổi số và dịch vụ công trực tuyến", Scope.CHUYEN_DE, Field.KHAC),
    ("tình hình phát triển kinh tế - xã hội, quốc phòng - an ninh năm {year}", Scope.TOAN_DIEN, None),
]
# District dialogues before the district level ended on 1/7/2025 (month, year).
DISTRICT_MONTHS = [(12, 2023), (3, 2024), (6, 2024), (9, 2024), (12, 2024), (2, 2025), (4, 2025), (6, 2025)]

# Agency dialogues: unit name, title of the deputy who follows up, month, year, topic.
AGENCY_DIALOGUES = [
    ("Trung tâm Y tế huyện Lạc Sơn", "Phó Giám đốc", 1, 2024,
     "Đối thoại giữa Giám đốc Trung tâm với viên chức, người lao động về chế độ trực, phụ cấp và môi trường làm việc"),
    ("Chi nhánh Văn phòng Đăng ký đất đai huyện Lạc Sơn", "Phó Giám đốc Chi nhánh", 8, 2024,
     "Đối thoại với người dân về thủ tục đăng ký đất đai, cấp giấy chứng nhận quyền sử dụng đất"),
    ("Phòng Giáo dục và Đào tạo huyện Lạc Sơn", "Phó Trưởng phòng", 11, 2024,
     "Đối thoại với cán bộ quản lý, giáo viên về sắp xếp trường lớp và chế độ chính sách"),
    ("Bảo hiểm xã hội huyện Lạc Sơn", "Phó Giám đốc", 3, 2025,
     "Đối thoại với người lao động, người tham gia bảo hiểm về giải quyết chế độ bảo hiểm xã hội"),
    ("Trường THPT Lạc Sơn", "Phó Hiệu trưởng", 9, 2025,
     "Đối thoại giữa Hiệu trưởng với cán bộ, giáo viên, nhân viên đầu năm học 2025-2026"),
    ("Trường THPT Quyết Thắng", "Phó Hiệu trưởng", 4, 2026,
     "Đối thoại giữa Hiệu trưởng với cán bộ, giáo viên, nhân viên về thực hiện quy chế dân chủ trong nhà trường"),
]  # fmt: skip
ENTERPRISE_NAME = "Công ty TNHH May xuất khẩu Lạc Sơn"
ROADS = ["Quốc lộ 12B", "đường Hồ Chí Minh", "đường liên xã", "đường trục xã"]

PROGRESS_NOTES = [
    "Đã kiểm tra thực địa, đang hoàn thiện hồ sơ.",
    "Đã làm việc với các hộ liên quan, đang chờ ý kiến của cơ quan chuyên môn.",
    "Đang lập dự toán, bố trí kinh phí.",
    "Đã có văn bản đôn đốc đơn vị liên quan.",
    "Đang tổ chức thực hiện, dự kiến hoàn thành đúng hạn.",
]

DELEGATION_ISSUES = [
    ("giá bồi thường, hỗ trợ giải phóng mặt bằng dự án mở rộng Quốc lộ 12B", Field.DAT_DAI),
    ("ô nhiễm từ bãi tập kết rác thải", Field.MOI_TRUONG),
    ("tranh chấp đất rừng với Công ty TNHH MTV Lâm nghiệp Lạc Sơn", Field.DAT_DAI),
    ("nổ mìn khai thác đá gây nứt nhà", Field.MOI_TRUONG),
]
CASE_SUMMARIES = {
    Field.DAT_DAI: [
        "Tranh chấp ranh giới đất ở với hộ liền kề.",
        "Đề nghị cấp đổi giấy chứng nhận quyền sử dụng đất.",
        "Khiếu nại mức bồi thường khi thu hồi đất làm đường.",
        "Đề nghị xác nhận nguồn gốc đất để làm thủ tục tặng cho.",
    ],
    Field.XAY_DUNG: ["Phản ánh hộ liền kề xây dựng lấn sang đất của gia đình.", "Phản ánh công trình kè chậm tiến độ."],
    Field.CHINH_SACH: [
        "Đề nghị xem xét đưa gia đình vào diện hộ cận nghèo.",
        "Đề nghị giải quyết chế độ người có công với cách mạng.",
        "Hỏi về chế độ trợ cấp cho người khuyết tật.",
    ],
    Field.MOI_TRUONG: ["Phản ánh cơ sở chăn nuôi gây ô nhiễm.", "Phản ánh khói bụi từ lò gạch thủ công."],
    Field.HA_TANG: ["Đề nghị sửa đường vào xóm bị hư hỏng.", "Phản ánh rãnh thoát nước bị tắc gây ngập."],
    Field.KHAC: [
        "Tố cáo cán bộ thôn thu tiền đóng góp không đúng quy định.",
        "Phản ánh mâu thuẫn gia đình, đề nghị hòa giải.",
        "Phản ánh tiếng ồn từ quán karaoke ban đêm.",
    ],
}
CASE_FIELDS = {
    Field.DAT_DAI: 35,
    Field.CHINH_SACH: 20,
    Field.HA_TANG: 14,
    Field.XAY_DUNG: 10,
    Field.MOI_TRUONG: 10,
    Field.KHAC: 11,
}
PERSONS_WEIGHTS = [36, 26, 16, 9, 5, 3, 2, 1.2, 0.8, 0.5, 0.3, 0.2, 0.1]  # 0..12 persons per session


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _weekday(day: dt.date) -> dt.date:
    """The nearest working day at or after ``day`` (before it if that would pass END)."""
    step = 1 if day + dt.timedelta(days=7) <= END else -1
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    return day


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _Seeder:
    def __init__(self, district: Unit, vuban_user):
        self.rng = random.Random(SEED)
        self.district = district
        self.vuban_user = vuban_user
        self.communes = list(Unit.objects.filter(parent=district, kind=UnitKind.COMMUNE).order_by("code"))
        hamlets = Unit.objects.filter(parent__in=self.communes, kind=UnitKind.HAMLET).order_by("code")
        self.hamlets: dict[int, list[str]] = {}
        for parent_id, name in hamlets.values_list("parent_id", "name"):
            self.hamlets.setdefault(parent_id, []).append(_lower_first(name))
        agencies = Unit.objects.filter(path__startswith=district.path, kind__in=AGENCY_KINDS)
        self.agencies = {unit.name: unit for unit in agencies}
        self.officials = {c.pk: self._commune_officials() for c in self.communes}
        self.district_officials = {"bt": self._person(), "ct": self._person(), "pct": self._person()}
        self.agency_heads: dict[str, tuple[str, str]] = {}
        self.sessions: list[DialogueSession] = []
        self.receptions: list[ReceptionSession] = []
        self.cases: list[ReceptionCase] = []
        self.plans: list[dict] = []  # petitions before they become rows
        self.heard: set[tuple] = set()  # (session, content template) already raised

    # --- people ---------------------------------------------------------------------------
    def _person(self, female_share: float = 0.3) -> tuple[str, str]:
        """(full name, "Ông"/"Bà")."""
        rng = self.rng
        surname = rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
        if rng.random() < female_share:
            return f"{surname} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}", "Bà"
        return f"{surname} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}", "Ông"

    def _commune_officials(self) -> dict[str, tuple[str, str]]:
        shares = {"bt": 0.15, "ct": 0.15, "pct": 0.3, "dc": 0.25, "vhxh": 0.55, "tp": 0.5, "ca": 0.05}
        return {key: self._person(share) for key, share in shares.items()}

    def _commune_type(self, commune: Unit) -> str:
        return "thị trấn" if commune.official_type == OfficialType.THI_TRAN else "xã"

    def _place(self, commune: Unit) -> str:
        """ "xã Quý Hòa", "thị trấn Vụ Bản" (lower case, for inside a sentence)."""
        return _lower_first(commune.name)

    def _official(self, commune: Unit, key: str) -> str:
        name, honorific = self.officials[commune.pk][key]
        return f"{honorific} {name}, {COMMUNE_TITLES[key]} {self._commune_type(commune)}"

    def _agency_head(self, agency: str) -> str:
        if agency not in self.agency_heads:
            self.agency_heads[agency] = self._person(0.25)
        name, honorific = self.agency_heads[agency]
        deputy = self.rng.random() < 0.6
        if agency.startswith("Phòng "):
            title = ("Phó Trưởng " if deputy else "Trưởng ") + _lower_first(agency)
        elif agency.startswith("Công an"):
            title = ("Phó Trưởng " if deputy else "Trưởng ") + agency
        else:
            title = ("Phó Giám đốc " if deputy else "Giám đốc ") + agency
        return f"{honorific} {name}, {title}"

    # --- dates ----------------------------------------------------------------------------
    def _day(self, start: dt.date, end: dt.date) -> dt.date:
        return _weekday(start + dt.timedelta(days=self.rng.randint(0, (end - start).days)))

    def _ctx(self, commune: Unit, day: dt.date) -> dict:
        rng = self.rng
        hamlets = self.hamlets.get(commune.pk) or ["khu trung tâm"]
        xom, xom2 = (rng.sample(hamlets, 2) if len(hamlets) > 1 else hamlets * 2)[:2]
        return {
            "xom": xom,
            "xom2": xom2,
            "xa": self._place(commune),
            "road": rng.choice(ROADS),
            "year": day.year,
            "prev_year": day.year - 1,
            "next_year": day.year + 1,
            "n": rng.randint(2, 24),
            "km": rng.choice(["0,6", "0,8", "1,2", "1,5", "2", "2,5"]),
            "length": rng.randrange(50, 400, 10),
        }

    # --- dialogue sessions ----------------------------------------------------------------
    def _session(self, unit: Unit, held_on: dt.date, **data) -> DialogueSession:
        rng = self.rng
        short_notice = data.pop("short_notice", rng.random() < 0.08)
        announced = held_on - dt.timedelta(days=rng.randint(3, 5) if short_notice else rng.randint(7, 15))
        published = held_on + dt.timedelta(days=rng.randint(12, 15) if rng.random() < 0.08 else rng.randint(2, 9))
        fmt = rng.choices([Format.TRUC_TIEP, Format.TRUC_TUYEN, Format.MANG_XA_HOI], weights=[92, 5, 3])[0]
        session = DialogueSession(
            unit=unit,
            level=LEVEL_OF_KIND[unit.kind],
            held_on=held_on,
            announced_on=max(announced, START),
            results_published_on=published if published <= END else None,
            format=data.pop("format", fmt),
            created_by=self.vuban_user if unit.code == COMMUNE_CODE else None,
            **data,
        )
        self.sessions.append(session)
        return session

    def commune_sessions(self) -> None:
        rng = self.rng
        years = [
            (START, dt.date(2024, 10, 31)),
            (dt.date(2024, 11, 1), dt.date(2025, 10, 31)),
            (dt.date(2025, 11, 1), END),
        ]
        for commune in self.communes:
            for start, end in years:
                # The yearly conference is usually held mid-year or before the year-end review.
                held_on = self._day(start, end)
                thematic = rng.random() < 0.1
                theme, favour = rng.choice(THEMES)
                self._commune_session(commune, held_on, Trigger.DINH_KY, thematic, theme, favour if thematic else None)
        extra = COMMUNE_SESSIONS - len(self.communes) * len(years)
        triggers = [Trigger.THEO_YEU_CAU] * 8 + [Trigger.VU_VIEC] * 5
        triggers += [Trigger.DINH_KY] * (extra - len(triggers))
        chosen = rng.sample(self.communes, extra)
        town = next(c for c in self.communes if c.code == COMMUNE_CODE)
        if town not in chosen:
            chosen[0] = town
        for commune, trigger in zip(chosen, triggers, strict=True):
            # The demo commune had a dialogue on request last month: its follow-up is under way.
            recent = commune is town
            held_on = self._day(END - dt.timedelta(days=45), END - dt.timedelta(days=25)) if recent else None
            held_on = held_on or self._day(START, END)
            if trigger == Trigger.VU_VIEC:
                theme, favour = rng.choice(INCIDENTS)
            else:
                theme, favour = rng.choice(THEMES)
            self._commune_session(commune, held_on, trigger, True, theme, favour)

    def _commune_session(self, commune, held_on, trigger, thematic, theme, favour) -> None:
        rng = self.rng
        t = self._commune_type(commune)
        town = commune.official_type == OfficialType.THI_TRAN
        chair_key = "ct" if rng.random() < 0.75 else "bt"
        chair_role = ChairRole.CHU_TICH_UBND if chair_key == "ct" else ChairRole.BI_THU
        chair_title = COMMUNE_TITLES[chair_key]
        xom = rng.choice(self.hamlets.get(commune.pk) or ["khu trung tâm"])
        if trigger == Trigger.VU_VIEC:
            topic = f"Đối thoại với các hộ dân {xom} về vụ việc {theme}"
        elif trigger == Trigger.THEO_YEU_CAU:
            topic = f"Đối thoại theo đề nghị của cử tri {xom} về {theme}"
        elif thematic:
            topic = f"Hội nghị đối thoại chuyên đề giữa {chair_title} {t} với Nhân dân về {theme}"
        else:
            topic = (
                f"Hội nghị đối thoại giữa {chair_title} {t} với Nhân dân năm {held_on.year} về tình hình "
                "kinh tế - xã hội, quốc phòng - an ninh"
            )
        co = rng.choices(
            [
                [CoOrganizer.MTTQ, CoOrganizer.HDND],
                [CoOrganizer.MTTQ],
                [CoOrganizer.MTTQ, CoOrganizer.HDND, CoOrganizer.DOAN_THE],
            ],
            weights=[70, 15, 15],
        )[0]
        if thematic or trigger != Trigger.DINH_KY:
            participants = rng.randint(40, 150)
        else:
            participants = rng.randint(90, 250) if town else rng.randint(60, 220)
        session = self._session(
            commune,
            held_on,
            chair_role=chair_role,
            chair_name=self.officials[commune.pk][chair_key][0],
            co_organizers=[str(c) for c in co],
            scope=Scope.CHUYEN_DE if thematic else Scope.TOAN_DIEN,
            trigger=trigger,
            topic=topic,
            participants=participants,
            short_notice=trigger == Trigger.VU_VIEC or rng.random() < 0.06,
        )
        for _ in range(rng.randint(2, 6)):
            self._commune_petition(commune, session, favour)

    def district_sessions(self) -> None:
        rng = self.rng
        for (month, year), (theme, scope, favour) in zip(DISTRICT_MONTHS, DISTRICT_TOPICS, strict=True):
            held_on = self._day(dt.date(year, month, 5), dt.date(year, month, 25))
            chair_key = "bt" if rng.random() < 0.5 else "ct"
            who = "Bí thư Huyện ủy" if chair_key == "bt" else "Chủ tịch UBND huyện"
            session = self._session(
                self.district,
                held_on,
                chair_role=ChairRole.BI_THU if chair_key == "bt" else ChairRole.CHU_TICH_UBND,
                chair_name=self.district_officials[chair_key][0],
                co_organizers=[CoOrganizer.MTTQ.value, CoOrganizer.HDND.value],
                scope=scope,
                trigger=Trigger.THEO_YEU_CAU if (month, year) == (9, 2024) else Trigger.DINH_KY,
                topic=f"Hội nghị đối thoại giữa {who} với Nhân dân về {theme.format(year=year)}",
                participants=rng.randint(80, 300),
            )
            for _ in range(rng.randint(3, 6)):
                commune = rng.choice(self.communes)
                self._commune_petition(commune, session, favour, district=True)

    def agency_sessions(self) -> None:
        rng = self.rng
        for name, deputy, month, year, topic in AGENCY_DIALOGUES:
            unit = self.agencies[name]
            held_on = self._day(dt.date(year, month, 5), dt.date(year, month, 25))
            chair, _h = self._person(0.3)
            staff = unit.staff_count or 30
            session = self._session(
                unit,
                held_on,
                chair_role=ChairRole.THU_TRUONG,
                format=Format.TRUC_TIEP,
                chair_name=chair,
                co_organizers=[CoOrganizer.CONG_DOAN.value],
                scope=Scope.CHUYEN_DE,
                trigger=Trigger.DINH_KY,
                topic=topic,
                participants=rng.randint(40, 90) if "người dân" in topic else max(10, int(staff * 0.85)),
            )
            deputy_name, honorific = self._person(0.4)
            for tpl in rng.sample(AGENCY_PETITIONS, rng.randint(2, 4)):
                self._inside_petition(unit, session, tpl, f"{honorific} {deputy_name}, {deputy} {name}")

    def enterprise_session(self) -> None:
        rng = self.rng
        unit = self.agencies[ENTERPRISE_NAME]
        held_on = self._day(dt.date(2024, 6, 10), dt.date(2024, 6, 28))
        director, _h = self._person(0.2)
        employer, employee = 4, 9
        session = self._session(
            unit,
            held_on,
            chair_role=ChairRole.NGUOI_SU_DUNG_LD,
            format=Format.TRUC_TIEP,
            chair_name=director,
            co_organizers=[CoOrganizer.CONG_DOAN.value],
            scope=Scope.TOAN_DIEN,
            trigger=Trigger.DINH_KY,
            topic="Đối thoại định kỳ tại nơi làm việc năm 2024: tiền lương, tiền thưởng, thời giờ làm việc và "
            "điều kiện lao động",
            participants=employer + employee + rng.randint(8, 14),
            employer_reps=employer,
            employee_reps=employee,
            short_notice=False,
        )
        deputy_name, honorific = self._person(0.4)
        for tpl in rng.sample(ENTERPRISE_PETITIONS, 4):
            self._inside_petition(unit, session, tpl, f"{honorific} {deputy_name}, Phó Giám đốc công ty")

    # --- petitions ------------------------------------------------------------------------
    def _commune_petition(self, commune, session, favour, *, district=False, reception=None) -> None:
        rng = self.rng
        pool = [t for t in PETITIONS if favour and t[0] == favour]
        for _try in range(5):  # one session rarely hears the same matter twice
            tpl = rng.choice(pool) if pool and rng.random() < 0.6 else rng.choice(PETITIONS)
            if session is None or (id(session), tpl[2]) not in self.heard:
                break
        if session is not None:
            self.heard.add((id(session), tpl[2]))
        field, kind, content, task, resp, who, resolved, explained, transfer = tpl
        raised_on = (session or reception).held_on
        ctx = self._ctx(commune, raised_on)
        if district:
            # At a district dialogue the competent district agency takes the matter.
            agency = transfer or (resp if resp not in ("xa", "ca_xa") else None)
            if agency:
                responsible, assignee = agency, self._agency_head(agency)
            else:
                responsible, assignee = f"UBND {ctx['xa']}", self._official(commune, "pct")
            transfer = None
        elif resp in ("xa", "ca_xa"):
            prefix = "UBND" if resp == "xa" else "Công an"
            responsible, assignee = f"{prefix} {ctx['xa']}", self._official(commune, who)
        else:
            responsible, assignee = resp, self._agency_head(resp)
        self._plan(
            unit=(session or reception).unit,
            session=session,
            reception=reception,
            raised_on=raised_on,
            field=field,
            content=content.format(**ctx),
            task=task.format(**ctx),
            responsible=responsible,
            assignee=assignee,
            texts=(resolved, explained),
            ctx=ctx,
            explain_share=0.75 if kind == "policy" else 0.2,
            transfer=transfer if not reception or rng.random() < 0.5 else None,
            answerable=reception is None,
            level="district" if district else "commune",
        )

    def _inside_petition(self, unit, session, tpl, assignee) -> None:
        field, content, task, dept, resolved, explained = tpl
        ctx = {"prev_year": session.held_on.year - 1, "next_year": session.held_on.year + 1}
        self._plan(
            unit=unit,
            session=session,
            reception=None,
            raised_on=session.held_on,
            field=field,
            content=content.format(**ctx),
            task=task,
            responsible=f"{dept} {unit.name}" if not dept.startswith("Công đoàn") else dept,
            assignee=assignee,
            texts=(resolved, explained),
            ctx=ctx,
            explain_share=0.3,
            transfer=None,
            answerable=True,
            level=session.level,
        )

    def _plan(self, *, texts, ctx, explain_share, transfer, answerable, level, **p) -> None:
        """Decide what happened to one petition: answered at the session, or assigned ("5 rõ")
        and then closed, transferred or still open."""
        rng = self.rng
        raised = p["raised_on"]
        p["citizen_name"] = "" if rng.random() < 0.15 else self._person(0.35)[0]
        p["texts"], p["ctx"], p["explain_share"] = texts, ctx, explain_share
        p["progress_on"] = p["closed_on"] = p["transfer_to"] = None
        if answerable and rng.random() < P_ANSWERED[level]:
            p.update(answered=True, status=PetitionStatus.EXPLAINED, closed_on=raised, deadline=None)
            self.plans.append(p)
            return
        deadline_days = rng.choice([15, 20, 30, 30, 30, 45, 45, 60, 90])
        p.update(answered=False, deadline=raised + dt.timedelta(days=deadline_days))
        p["assigned_on"] = min(raised + dt.timedelta(days=rng.randint(0, 4)), END)
        u = rng.random()
        if transfer and u < P_TRANSFER:
            p["status"] = PetitionStatus.TRANSFERRED
            p["closed_on"] = min(p["assigned_on"] + dt.timedelta(days=rng.randint(3, 12)), END)
            to_agency = raised >= REFORM_DAY or rng.random() < 0.5
            p["transfer_to"] = self.agencies.get(transfer) if to_agency else self.district
            p["transfer_to"] = p["transfer_to"] or self.district
        elif u > 1 - P_STUCK:
            self._open(p)
        else:
            late = rng.random() < 0.12
            days = deadline_days + rng.randint(1, 30) if late else rng.randint(3, deadline_days)
            closed_on = raised + dt.timedelta(days=days)
            if closed_on > END:  # not done yet
                self._open(p)
            else:
                self._close(p, max(closed_on, p["assigned_on"]))
        self.plans.append(p)

    def _open(self, p: dict) -> None:
        rng = self.rng
        if (END - p["assigned_on"]).days >= 5 and rng.random() < 0.65:
            p["status"] = PetitionStatus.IN_PROGRESS
            p["progress_on"] = p["assigned_on"] + dt.timedelta(days=rng.randint(2, (END - p["assigned_on"]).days))
        else:
            p["status"] = PetitionStatus.ASSIGNED
            p["progress_on"] = None
        p["closed_on"] = None

    def _close(self, p: dict, closed_on: dt.date) -> None:
        rng = self.rng
        explained = rng.random() < p["explain_share"]
        p["status"] = PetitionStatus.EXPLAINED if explained else PetitionStatus.RESOLVED
        p["closed_on"] = closed_on
        span = (closed_on - p["assigned_on"]).days
        p["progress_on"] = (
            p["assigned_on"] + dt.timedelta(days=rng.randint(1, span - 1)) if span >= 4 and rng.random() < 0.4 else None
        )

    def calibrate(self) -> None:
        """Keep the last year's petitions open until the rate over dialogue petitions is TARGET_RATE."""
        in_sessions = [p for p in self.plans if p["session"] is not None]
        done = (PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED)
        recent = [
            p
            for p in in_sessions
            if p["status"] in done and not p["answered"] and p["raised_on"] >= END - dt.timedelta(days=365)
        ]
        self.rng.shuffle(recent)
        resolved = sum(p["status"] in done for p in in_sessions)
        while recent and resolved > TARGET_RATE * len(in_sessions):
            self._open(recent.pop())
            resolved -= 1

    def ensure_vuban_open(self) -> None:
        """The demo account xa.vuban must find open petitions, one of them overdue."""
        today = END + dt.timedelta(days=7)
        is_open = (PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS)
        mine = [p for p in self.plans if p["unit"].code == COMMUNE_CODE and not p["answered"]]
        mine.sort(key=lambda p: p["raised_on"], reverse=True)
        closed = [p for p in mine if p["status"] in (PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED)]
        if not any(p["status"] in is_open and p["deadline"] < today for p in mine):
            old = next(p for p in closed if p["raised_on"] <= today - dt.timedelta(days=60))
            old["deadline"] = min(old["deadline"], today - dt.timedelta(days=10))
            self._open(old)
        for p in closed:
            if sum(q["status"] in is_open for q in mine) >= 2:
                break
            if p["status"] not in is_open:
                self._open(p)

    # --- citizen reception ----------------------------------------------------------------
    def receptions_all(self) -> None:
        rng = self.rng
        months = []
        y, m = START.year, START.month
        while (y, m) <= (END.year, END.month):
            months.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        for commune in self.communes:
            offs = self.officials[commune.pk]
            for y, m in months:
                # Heads of commune Party committees and governments: at least two days a month.
                for lo, hi, key in ((4, 12, "bt"), (17, 27, "ct")):
                    role = ReceiverRole.BI_THU if key == "bt" else ReceiverRole.CHU_TICH
                    self._reception(commune, dt.date(y, m, rng.randint(lo, hi)), ReceptionKind.PERIODIC_HEAD,
                                    role, offs[key][0])  # fmt: skip
                if rng.random() < 0.5:
                    self._reception(commune, dt.date(y, m, rng.randint(1, 28)), ReceptionKind.ROUTINE,
                                    ReceiverRole.CAN_BO, offs["tp"][0])  # fmt: skip
        for y, m in months:
            if dt.date(y, m, 1) >= REFORM_DAY:
                break
            offs = self.district_officials
            self._reception(self.district, dt.date(y, m, rng.randint(5, 15)), ReceptionKind.PERIODIC_HEAD,
                            ReceiverRole.BI_THU, offs["bt"][0])  # fmt: skip
            self._reception(self.district, dt.date(y, m, rng.randint(16, 26)), ReceptionKind.PERIODIC_HEAD,
                            ReceiverRole.CHU_TICH, offs["ct"][0])  # fmt: skip
            for lo, hi in ((1, 14), (15, 28)):
                self._reception(self.district, dt.date(y, m, rng.randint(lo, hi)), ReceptionKind.ROUTINE,
                                ReceiverRole.CAN_BO, self._person(0.5)[0])  # fmt: skip
        # Ad hoc sessions, four of them for mass delegations.
        delegations = list(DELEGATION_ISSUES)
        for i in range(14):
            commune = rng.choice(self.communes)
            key = rng.choice(["bt", "ct"])
            role = ReceiverRole.BI_THU if key == "bt" else ReceiverRole.CHU_TICH
            issue = delegations.pop() if i % 3 == 0 and delegations else None
            self._reception(commune, self._day(START, END), ReceptionKind.AD_HOC, role,
                            self.officials[commune.pk][key][0], delegation=issue)  # fmt: skip

    def _reception(self, unit, day, kind, role, receiver, *, delegation=None) -> None:
        rng = self.rng
        day = _weekday(day)
        if not START <= day <= END:
            return
        persons = rng.choices(range(len(PERSONS_WEIGHTS)), weights=PERSONS_WEIGHTS)[0]
        if kind == ReceptionKind.AD_HOC:
            persons = max(persons, 1)
        n_cases = persons if persons <= 2 else rng.randint((persons + 1) // 2, persons)
        cases = [self._case(day, is_mass=False) for _ in range(n_cases)]
        session = ReceptionSession(
            unit=unit,
            held_on=day,
            kind=kind,
            receiver_role=role,
            receiver_name=receiver,
            created_by=self.vuban_user if unit.code == COMMUNE_CODE else None,
        )
        note = ""
        if delegation:
            size = rng.randint(10, 30)
            xom = rng.choice(self.hamlets.get(unit.pk) or ["khu trung tâm"])
            issue, issue_field = delegation
            note = f"Đoàn {size} người dân {xom} kiến nghị về {issue}."
            session.delegations, session.delegation_persons = 1, size
            persons = size + rng.randint(0, 2)
            cases.append(self._case(day, is_mass=True, field=issue_field))
        session.persons = persons
        session.note = note
        session.cases_new = sum(c.is_new for c in cases)
        session.cases_old = len(cases) - session.cases_new
        session.complaints = sum(c.case_type == ReceptionCase.CaseType.COMPLAINT for c in cases)
        session.denunciations = sum(c.case_type == ReceptionCase.CaseType.DENUNCIATION for c in cases)
        session.petitions_count = sum(c.case_type == ReceptionCase.CaseType.PETITION for c in cases)
        self.receptions.append(session)
        # Details for a few sessions: every mass delegation and about one in twenty others.
        commune = unit if unit.kind == UnitKind.COMMUNE else None
        if cases and (delegation or rng.random() < 0.05):
            for case in cases:
                case.session = session
            self.cases += cases
            if commune and session.petitions_count and rng.random() < (0.6 if unit.code == COMMUNE_CODE else 0.3):
                field = next(c.field for c in cases if c.case_type == ReceptionCase.CaseType.PETITION)
                self._commune_petition(commune, None, field, reception=session)

    def _case(self, day: dt.date, *, is_mass: bool, field=None) -> ReceptionCase:
        rng = self.rng
        types = ReceptionCase.CaseType
        case_type = rng.choices([types.PETITION, types.COMPLAINT, types.DENUNCIATION], weights=[91, 6, 3])[0]
        if is_mass:
            case_type = types.PETITION
        field = field or rng.choices(list(CASE_FIELDS), weights=list(CASE_FIELDS.values()))[0]
        recent = (END - day).days < 45
        statuses = ReceptionCase.Status
        status = rng.choices(
            [statuses.RESOLVED, statuses.GUIDED, statuses.FORWARDED, statuses.IN_PROGRESS],
            weights=[20, 30, 10, 40] if recent else [50, 27, 15, 8],
        )[0]
        return ReceptionCase(
            case_type=case_type,
            is_new=rng.random() < 0.72,
            is_mass=is_mass,
            field=field,
            summary=rng.choice(CASE_SUMMARIES[field]),
            status=status,
            notified_in_time=rng.random() < 0.93,
        )

    # --- writing --------------------------------------------------------------------------
    def write(self) -> None:
        DialogueSession.objects.bulk_create(self.sessions, batch_size=500)
        ReceptionSession.objects.bulk_create(self.receptions, batch_size=500)
        for case in self.cases:
            case.session_id = case.session.pk
        ReceptionCase.objects.bulk_create(self.cases, batch_size=500)
        petitions = [self._petition(p) for p in self.plans]
        Petition.objects.bulk_create(petitions, batch_size=500)
        events = []
        for petition, p in zip(petitions, self.plans, strict=True):
            events += self._events(petition, p)
        PetitionEvent.objects.bulk_create(events, batch_size=1000)

    def _petition(self, p: dict) -> Petition:
        status = p["status"]
        closed = status in (PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED)
        result = ""
        if closed:
            day = p["closed_on"]
            ctx = {**p["ctx"], "month": f"tháng {day.month}/{day.year}", "season": "Xuân" if day.month <= 6 else "Mùa"}
            text = p["texts"][1] if status == PetitionStatus.EXPLAINED else p["texts"][0]
            result = text.format(**ctx)
            if p["answered"]:
                result = "Trả lời trực tiếp tại hội nghị. " + result
        five = not p["answered"]
        steps = (p["progress_on"] is not None) + (p["closed_on"] is not None and not p["answered"])
        return Petition(
            unit=p["unit"],
            session=p["session"],
            reception=p["reception"],
            raised_on=p["raised_on"],
            content=p["content"],
            citizen_name=p["citizen_name"],
            field=p["field"],
            answered_at_session=p["answered"],
            assignee_person=p["assignee"] if five else "",
            task=p["task"] if five else "",
            deadline=p["deadline"],
            responsible_unit=p["responsible"] if five else "",
            result=result,
            result_date=p["closed_on"] if closed else None,
            status=status,
            transferred_to=p["transfer_to"],
            created_by=self.vuban_user if p["unit"].code == COMMUNE_CODE else None,
            version=1 + five + steps,
        )

    def _events(self, petition: Petition, p: dict) -> list[PetitionEvent]:
        rng = self.rng
        actor = self.vuban_user if p["unit"].code == COMMUNE_CODE else None
        kinds = PetitionEvent.Kind
        raised = p["raised_on"]
        if p["answered"]:
            return [
                PetitionEvent(
                    petition=petition,
                    at=_at(raised, 11, rng.randint(0, 59)),
                    actor=actor,
                    kind=kinds.CREATED,
                    to_status=PetitionStatus.EXPLAINED,
                    note="Trả lời trực tiếp tại hội nghị.",
                )
            ]
        hour = 16 if p["reception"] else 11
        events = [
            PetitionEvent(
                petition=petition,
                at=_at(raised, hour, rng.randint(0, 59)),
                actor=actor,
                kind=kinds.CREATED,
                to_status=PetitionStatus.NEW,
            ),
            PetitionEvent(
                petition=petition,
                at=_at(p["assigned_on"], 17, rng.randint(0, 29))
                if p["assigned_on"] == raised
                else _at(p["assigned_on"], rng.randint(8, 16), rng.randint(0, 59)),
                actor=actor,
                kind=kinds.ASSIGNED,
                from_status=PetitionStatus.NEW,
                to_status=PetitionStatus.ASSIGNED,
                note=f"Giao {p['assignee']}; hạn {p['deadline']:%d/%m/%Y}.",
            ),
        ]
        before = PetitionStatus.ASSIGNED
        if p["progress_on"]:
            events.append(
                PetitionEvent(
                    petition=petition,
                    at=_at(p["progress_on"], rng.randint(8, 16), rng.randint(0, 59)),
                    actor=actor,
                    kind=kinds.STATUS,
                    from_status=before,
                    to_status=PetitionStatus.IN_PROGRESS,
                    note=rng.choice(PROGRESS_NOTES),
                )
            )
            before = PetitionStatus.IN_PROGRESS
        if p["status"] == PetitionStatus.TRANSFERRED:
            to = p["transfer_to"]
            events.append(
                PetitionEvent(
                    petition=petition,
                    at=_at(p["closed_on"], 15, rng.randint(0, 59)),
                    actor=actor,
                    kind=kinds.TRANSFERRED,
                    from_status=before,
                    to_status=PetitionStatus.TRANSFERRED,
                    note=f"Vượt thẩm quyền giải quyết của cấp xã; chuyển {to.name} giải quyết theo thẩm quyền.",
                )
            )
        elif p["closed_on"]:
            events.append(
                PetitionEvent(
                    petition=petition,
                    at=_at(p["closed_on"], 17 if p["closed_on"] == p["assigned_on"] else 15, rng.randint(30, 59)),
                    actor=actor,
                    kind=kinds.CLOSED,
                    from_status=before,
                    to_status=p["status"],
                    note="Đã thông báo kết quả cho người kiến nghị.",
                )
            )
        return events


def _lac_son_summary(district: Unit, created: bool) -> list[str]:
    from dialogues.selectors import dialogue_figures

    f = dialogue_figures(district, START, END)
    receptions = ReceptionSession.objects.filter(unit__path__startswith=district.path)
    persons = sum(receptions.values_list("persons", flat=True))
    via_reception = Petition.objects.filter(unit__path__startswith=district.path, reception__isnull=False).count()
    rate = str(f["resolution_rate"] or 0).replace(".", ",")
    head = "Đối thoại, tiếp công dân huyện Lạc Sơn (1/11/2023 – 15/11/2026)"
    head += ": tạo mới" if created else ": đã có sẵn, không tạo thêm"
    return [
        head,
        f"Hội nghị đối thoại: {f['sessions']} (cấp huyện {f['level_district']}, cấp xã {f['level_commune']}, "
        f"cơ quan {f['level_agency']}, doanh nghiệp {f['level_enterprise']})",
        f"Ý kiến, kiến nghị tại hội nghị: {f['raised']}, đã giải quyết, trả lời {f['resolved']} ({rate}%), "
        f"chuyển cấp có thẩm quyền {f['transferred']}, đang giải quyết {f['open']} (quá hạn {f['overdue']})",
        f"Tiếp công dân: {receptions.count()} buổi, {persons} lượt người, "
        f"{ReceptionCase.objects.filter(session__unit__path__startswith=district.path).count()} vụ việc ghi chi tiết, "
        f"{via_reception} kiến nghị theo dõi “5 rõ”",
    ]


def seed(log) -> list[str]:
    district = legacy(DISTRICT_CODE)
    in_lac_son = {"unit__path__startswith": district.path}
    if DialogueSession.objects.filter(**in_lac_son).exists() or ReceptionSession.objects.filter(**in_lac_son).exists():
        return _lac_son_summary(district, created=False)
    seeder = _Seeder(district, get_user_model().objects.filter(username="xa.vuban").first())
    seeder.commune_sessions()
    seeder.district_sessions()
    seeder.agency_sessions()
    seeder.enterprise_session()
    seeder.receptions_all()
    seeder.calibrate()
    seeder.ensure_vuban_open()
    seeder.write()
    return _lac_son_summary(district, created=True)
