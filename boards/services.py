"""Writes for boards, projects, supervisions, workplace conferences and village conventions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boards.models import (
    BoardMember,
    CommunityBoard,
    InspectionBoard,
    InvestmentProject,
    SupervisionActivity,
    VillageConvention,
    WorkplaceConference,
)
from units.models import AGENCY_KINDS, UnitKind

# Membership rules are law (Luật 10/2022, NĐ 59/2023 Art. 36, Bắc Giang rules Art. 60),
# but the portal shows them as checks on the board page rather than refusing entries:
# members are added one at a time, so a new board is always "short" at first.
COMMUNE_BOARD_MIN = 5
AGENCY_BOARD_MIN, AGENCY_BOARD_MAX = 3, 9
AGENCY_NO_BOARD_STAFF = 7
COMMUNITY_BOARD_MIN = 5


def board_checks(board, *, on: dt.date | None = None, hamlets: int | None = None) -> list[tuple[str, str]]:
    """(level, message) pairs about a board's membership; level is "danger", "warning" or "info".

    ``hamlets``: the commune's hamlet count when the caller already has it (a list page
    annotates it), so no query is made per board."""
    on = on or timezone.localdate()
    active = [m for m in board.members.all() if m.is_active_on(on)]
    n = len(active)
    out: list[tuple[str, str]] = []
    if isinstance(board, CommunityBoard):
        if n < COMMUNITY_BOARD_MIN:
            out.append(
                ("danger", _("Ban giám sát đầu tư cộng đồng cần ít nhất 5 thành viên (hiện có %(n)s).") % {"n": n})
            )
    elif board.unit.kind in AGENCY_KINDS:
        staff = board.unit.staff_count
        if staff is not None and staff <= AGENCY_NO_BOARD_STAFF:
            out.append(("info", _("Cơ quan có từ 7 người trở xuống: không bắt buộc lập Ban Thanh tra nhân dân.")))
        elif n < AGENCY_BOARD_MIN or n > AGENCY_BOARD_MAX:
            out.append(
                ("danger", _("Ban Thanh tra nhân dân ở cơ quan có từ 3 đến 9 thành viên (hiện có %(n)s).") % {"n": n})
            )
    else:
        if hamlets is None:
            hamlets = board.unit.children.filter(kind=UnitKind.HAMLET, valid_to__isnull=True).count()
        needed = max(COMMUNE_BOARD_MIN, hamlets)
        if n < COMMUNE_BOARD_MIN:
            out.append(
                ("danger", _("Ban Thanh tra nhân dân cấp xã cần ít nhất 5 thành viên (hiện có %(n)s).") % {"n": n})
            )
        elif n < needed:
            out.append(
                (
                    "warning",
                    _("Số thành viên nên bằng số thôn, tổ dân phố (%(h)s) để mỗi thôn có đại diện; hiện có %(n)s.")
                    % {"h": hamlets, "n": n},
                )
            )
    heads = sum(1 for m in active if m.role == "truong_ban")
    if n and heads != 1:
        out.append(("warning", _("Ban cần đúng một Trưởng ban (hiện có %(n)s).") % {"n": heads}))
    return out


@transaction.atomic
def inspection_board_create(*, actor, data: dict) -> InspectionBoard:
    return InspectionBoard.objects.create(**data)


@transaction.atomic
def member_add(*, actor, board, data: dict) -> BoardMember:
    field = "community_board" if isinstance(board, CommunityBoard) else "inspection_board"
    return BoardMember.objects.create(**{field: board}, **data)


@transaction.atomic
def member_end(*, actor, member: BoardMember, ended_on: dt.date, end_reason: str) -> BoardMember:
    if member.ended_on:
        raise ValidationError(_("Thành viên này đã thôi tham gia."))
    if ended_on < member.started_on:
        raise ValidationError({"ended_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    member.ended_on, member.end_reason = ended_on, end_reason
    member.save(update_fields=["ended_on", "end_reason"])
    return member


@transaction.atomic
def project_create(*, actor, data: dict, hamlets=()) -> InvestmentProject:
    project = InvestmentProject.objects.create(**data)
    project.hamlets.set(hamlets)
    return project


@transaction.atomic
def community_board_create(*, actor, project: InvestmentProject, data: dict) -> CommunityBoard:
    return CommunityBoard.objects.create(unit=project.unit, project=project, **data)


@transaction.atomic
def activity_create(*, actor, board, data: dict) -> SupervisionActivity:
    field = "community_board" if isinstance(board, CommunityBoard) else "inspection_board"
    if isinstance(board, CommunityBoard) and not data.get("project"):
        data = {**data, "project": board.project}
    return SupervisionActivity.objects.create(unit=board.unit, created_by=actor, **{field: board}, **data)


@transaction.atomic
def conference_create(*, actor, data: dict) -> WorkplaceConference:
    return WorkplaceConference.objects.create(**data)


@transaction.atomic
def convention_save(*, actor, data: dict, instance: VillageConvention | None = None) -> VillageConvention:
    convention = instance or VillageConvention()
    for name, value in data.items():
        setattr(convention, name, value)
    convention.save()
    return convention


@transaction.atomic
def project_update(*, actor, project: InvestmentProject, data: dict, hamlets=()) -> InvestmentProject:
    for name, value in data.items():
        setattr(project, name, value)
    project.save()
    project.hamlets.set(hamlets)
    return project


@transaction.atomic
def community_board_update(*, actor, board: CommunityBoard, data: dict) -> CommunityBoard:
    """Edit a community board; a dissolution date dissolves it (the project is left as it is)."""
    for name in ("established_on", "decision_no", "dissolved_on"):
        if name in data:
            setattr(board, name, data[name])
    board.save()
    return board


def _update(instance, data: dict):
    for name, value in data.items():
        setattr(instance, name, value)
    instance.save()
    return instance


@transaction.atomic
def inspection_board_update(*, actor, board: InspectionBoard, data: dict) -> InspectionBoard:
    return _update(board, data)


@transaction.atomic
def conference_update(*, actor, conference: WorkplaceConference, data: dict) -> WorkplaceConference:
    return _update(conference, data)
