"""The computations an indicator can be pre-filled from (``Indicator.source``).

The catalogue (names, tables, which indicator uses which source) is data the steering
committee edits; this registry only lists the figures the portal knows how to compute
from the records of dialogues/, boards/ and criteria/ for a unit's subtree and a data
window. Each selector is one fixed set of SQL aggregates; a report calls each selector it
needs once, whatever the number of indicators and records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from boards.selectors import community_figures, convention_figures, inspection_figures, workplace_figures
from dialogues.selectors import dialogue_figures, reception_figures
from units.models import AGENCY_KINDS, ENTERPRISE_KINDS, Unit, UnitKind


def units_figures(unit: Unit, start: dt.date, end: dt.date) -> dict:
    """Biểu 01: units in the subtree in force at the end of the window (one query)."""
    active = Q(valid_from__isnull=True) | Q(valid_from__lte=end)
    active &= Q(valid_to__isnull=True) | Q(valid_to__gte=end)
    return Unit.objects.filter(active, path__startswith=unit.path).aggregate(
        communes=Count("pk", filter=Q(kind=UnitKind.COMMUNE)),
        hamlets=Count("pk", filter=Q(kind=UnitKind.HAMLET)),
        state_agencies=Count("pk", filter=Q(kind=UnitKind.STATE_AGENCY)),
        public_service=Count("pk", filter=Q(kind=UnitKind.PUBLIC_SERVICE)),
        enterprises=Count("pk", filter=Q(kind__in=ENTERPRISE_KINDS)),
        agencies=Count("pk", filter=Q(kind__in=AGENCY_KINDS)),
    )


def reception(unit: Unit, start: dt.date, end: dt.date) -> dict:
    return reception_figures(unit, start, end, compare=False)


SELECTORS: dict[str, Callable[[Unit, dt.date, dt.date], dict]] = {
    "units": units_figures,
    "dialogues": dialogue_figures,
    "reception": reception,
    "inspection": inspection_figures,
    "community": community_figures,
    "workplace": workplace_figures,
    "conventions": convention_figures,
}

# source key → label shown to the steering committee when they pick a source.
SOURCES: dict[str, str] = {
    "units.communes": _("Số đơn vị hành chính cấp xã"),
    "units.hamlets": _("Số thôn, tổ dân phố"),
    "units.state_agencies": _("Số cơ quan hành chính nhà nước"),
    "units.public_service": _("Số đơn vị sự nghiệp công lập"),
    "units.enterprises": _("Số doanh nghiệp"),
    "dialogues.sessions": _("Số cuộc đối thoại"),
    "dialogues.level_commune": _("Số cuộc đối thoại cấp xã"),
    "dialogues.level_agency": _("Số cuộc đối thoại ở cơ quan, đơn vị"),
    "dialogues.level_enterprise": _("Số cuộc đối thoại trong doanh nghiệp"),
    "dialogues.scope_chuyen_de": _("Số cuộc đối thoại chuyên đề"),
    "dialogues.scope_toan_dien": _("Số cuộc đối thoại toàn diện"),
    "dialogues.participants": _("Số người tham dự đối thoại"),
    "dialogues.raised": _("Số ý kiến, kiến nghị"),
    "dialogues.answered": _("Số ý kiến trả lời tại hội nghị"),
    "dialogues.assigned_after": _("Số ý kiến giao giải quyết sau hội nghị"),
    "dialogues.resolved": _("Số ý kiến đã giải quyết"),
    "dialogues.overdue": _("Số ý kiến quá hạn"),
    "dialogues.resolution_rate": _("Tỷ lệ giải quyết (%)"),
    "reception.routine_sessions": _("Tiếp thường xuyên: lượt"),
    "reception.routine_persons": _("Tiếp thường xuyên: người"),
    "reception.routine_cases_old": _("Tiếp thường xuyên: vụ việc cũ"),
    "reception.routine_cases_new": _("Tiếp thường xuyên: vụ việc mới"),
    "reception.head_sessions": _("Người đứng đầu tiếp: lượt"),
    "reception.head_persons": _("Người đứng đầu tiếp: người"),
    "reception.head_cases_old": _("Người đứng đầu tiếp: vụ việc cũ"),
    "reception.head_cases_new": _("Người đứng đầu tiếp: vụ việc mới"),
    "reception.total_delegations": _("Số đoàn đông người"),
    "reception.total_delegation_persons": _("Số người trong đoàn đông người"),
    "reception.total_complaints": _("Đơn khiếu nại"),
    "reception.total_denunciations": _("Đơn tố cáo"),
    "reception.total_petitions_count": _("Đơn kiến nghị, phản ánh"),
    "inspection.boards": _("Số Ban Thanh tra nhân dân"),
    "inspection.members": _("Số thành viên Ban Thanh tra nhân dân"),
    "inspection.supervisions": _("Số cuộc giám sát của Ban TTND"),
    "inspection.violations": _("Số sai phạm phát hiện (Ban TTND)"),
    "inspection.recommendations": _("Số vụ việc kiến nghị (Ban TTND)"),
    "inspection.money_recovered": _("Thu hồi tiền (Ban TTND)"),
    "inspection.land_recovered_m2": _("Thu hồi đất m² (Ban TTND)"),
    "community.boards": _("Số Ban Giám sát đầu tư của cộng đồng"),
    "community.members": _("Số thành viên Ban GSĐTCĐ"),
    "community.projects": _("Số công trình, dự án được giám sát"),
    "community.supervisions": _("Số cuộc giám sát của Ban GSĐTCĐ"),
    "community.funding_ngan_sach_nha_nuoc": _("Giám sát công trình vốn NSNN"),
    "community.funding_ppp": _("Giám sát công trình PPP"),
    "community.funding_von_cong_suc_cong_dong": _("Giám sát công trình vốn, công sức Nhân dân"),
    "community.funding_tai_tro_truc_tiep": _("Giám sát công trình tài trợ"),
    "community.violations": _("Số sai phạm phát hiện (Ban GSĐTCĐ)"),
    "community.recommendations": _("Số vụ việc kiến nghị (Ban GSĐTCĐ)"),
    "community.money_recovered": _("Thu hồi tiền (Ban GSĐTCĐ)"),
    "community.settlement_reduced": _("Giảm trừ quyết toán"),
    "workplace.agencies_total": _("Số cơ quan, đơn vị"),
    "workplace.agencies_with_conference": _("Số cơ quan, đơn vị tổ chức Hội nghị CBCCVC"),
    "workplace.enterprises_total": _("Số doanh nghiệp"),
    "workplace.enterprises_with_conference": _("Số doanh nghiệp tổ chức Hội nghị người lao động"),
    "workplace.enterprises_with_dialogue": _("Số doanh nghiệp tổ chức đối thoại"),
    "workplace.dialogues_dinh_ky": _("Số cuộc đối thoại định kỳ"),
    "workplace.dialogues_theo_yeu_cau": _("Số cuộc đối thoại khi có yêu cầu"),
    "workplace.dialogues_vu_viec": _("Số cuộc đối thoại khi có vụ việc"),
    "conventions.hamlets_with_convention": _("Số thôn, TDP có hương ước, quy ước"),
    "conventions.recognised_in_window": _("Số hương ước được công nhận mới trong kỳ"),
    "conventions.amended_or_replaced": _("Số hương ước sửa đổi, bổ sung, thay thế"),
    "conventions.suspended": _("Số hương ước tạm ngừng thực hiện"),
}


def compute(sources: list[str], unit: Unit, start: dt.date, end: dt.date) -> dict[str, Decimal | None]:
    """The value of every source in ``sources`` for ``unit``'s subtree and the window."""
    wanted = {s.split(".", 1)[0] for s in sources if s in SOURCES}
    results = {name: SELECTORS[name](unit, start, end) for name in sorted(wanted)}
    values: dict[str, Decimal | None] = {}
    for source in sources:
        if source not in SOURCES:
            values[source] = None
            continue
        name, key = source.split(".", 1)
        raw = results[name].get(key)
        values[source] = None if raw is None else Decimal(raw)
    return values


def criteria_figures(unit: Unit, start: dt.date, end: dt.date) -> dict:
    """Biểu 13: the unit's own score sheet for the period with this window (one query)."""
    from criteria.models import ScoreSheet

    sheet = (
        ScoreSheet.objects.filter(unit=unit, period__data_start=start, period__data_end=end)
        .order_by("-pk")
        .values("self_total", "review_total")
        .first()
    )
    return sheet or {"self_total": None, "review_total": None}


SELECTORS["criteria"] = criteria_figures
SOURCES["criteria.self_total"] = _("Điểm tự chấm")
SOURCES["criteria.review_total"] = _("Điểm thẩm định")
