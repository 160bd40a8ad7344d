"""People's inspection boards and community supervision boards: the board page (term,
checks, members with their history, supervisions), members, and supervision activities."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from boards import forms as f
from boards import services
from boards.models import (
    BoardMember,
    CommunityBoard,
    InspectionBoard,
    MemberRole,
    SupervisionActivity,
    SupervisionField,
)
from qcdc_portal.lib.text import fold
from units import access
from units.models import AGENCY_KINDS, Unit, UnitKind

PAGE_SIZE = 50

# The two kinds of board in URLs: /ban/<kind>/<pk>/...
KINDS = {"ttnd": InspectionBoard, "gsdt": CommunityBoard}
KIND_LABELS = {
    "ttnd": gettext_lazy("Ban Thanh tra nhân dân"),
    "gsdt": gettext_lazy("Ban Giám sát đầu tư của cộng đồng"),
}
BOARD_RELATED = {
    "ttnd": ("unit",),
    "gsdt": ("unit", "project"),
}
# Summed in the totals row of the supervision list (one SQL aggregate).
TOTALS = (
    "findings_count",
    "violations_count",
    "recommendations_count",
    "recommendations_resolved",
    "money_recovered",
    "settlement_reduced",
    "land_recovered_m2",
)
LEVEL_ORDER = {"danger": 0, "warning": 1, "info": 2}


def _kind_of(board) -> str:
    return "gsdt" if isinstance(board, CommunityBoard) else "ttnd"


def _board_url(board) -> str:
    name = "community-board-detail" if isinstance(board, CommunityBoard) else "inspection-board-detail"
    return reverse(name, args=[board.pk])


def _board_queryset(kind: str):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind].objects.select_related(*BOARD_RELATED[kind])


def _active_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}started_on__lte": today}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": today})
    )


def _default_unit(user):
    """The reporter's own commune or agency, pre-selected when there is exactly one at the top."""
    units = list(
        access.for_user(user, access.REPORT)
        .filter(kind__in=[UnitKind.COMMUNE, *AGENCY_KINDS])
        .order_by("depth", "pk")[:2]
    )
    if len(units) == 1 or (len(units) == 2 and units[0].depth < units[1].depth):
        return units[0]
    return None


def _badge(checks) -> tuple[str, str]:
    """(css level, label) summarising a board's checks for the list."""
    levels = {level for level, _message in checks}
    if "danger" in levels:
        return "danger", _("Chưa đủ điều kiện")
    if "warning" in levels:
        return "warning", _("Cần xem lại")
    if "info" in levels:
        return "info", _("Không bắt buộc")
    return "success", _("Đạt")


def _list_checks(board) -> list[tuple[str, str]]:
    return services.board_checks(board, hamlets=board.n_hamlets)


# --- Inspection boards ---------------------------------------------------------------------


@login_required
def inspection_board_list(request):
    hamlets = (
        Unit.objects.filter(parent=OuterRef("unit"), kind=UnitKind.HAMLET, valid_to__isnull=True)
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = access.for_user(request.user, access.VIEW, InspectionBoard.objects.select_related("unit"))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(unit__name_key__contains=fold(q))
    qs = qs.annotate(
        n_members=Count("members", filter=_active_q("members__"), distinct=True),
        n_activities=Count("activities", distinct=True),
        n_hamlets=Coalesce(Subquery(hamlets, output_field=IntegerField()), 0),
    ).prefetch_related(Prefetch("members", queryset=BoardMember.objects.order_by()))
    page = Paginator(qs.order_by("unit__name", "-term_start", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for board in rows:
        board.checks = _list_checks(board)
        board.badge = _badge(board.checks)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "boards/inspection_board_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "q": q,
            "query_string": query.urlencode(),
            "can_report": access.can(request.user, access.REPORT),
        },
    )


@login_required
def inspection_board_create(request):
    if not access.can(request.user, access.REPORT):
        raise PermissionDenied
    unit = _default_unit(request.user)
    form = f.InspectionBoardForm(request.POST or None, user=request.user, initial={"unit": unit} if unit else None)
    if request.method == "POST" and form.is_valid():
        board = services.inspection_board_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Đã lưu Ban Thanh tra nhân dân. Hãy thêm các thành viên của ban."))
        return redirect("inspection-board-detail", pk=board.pk)
    return render(request, "boards/board_form.html", {"form": form, "title": _("Đăng ký Ban Thanh tra nhân dân")})


@login_required
def inspection_board_edit(request, pk):
    board = access.get_for_user(request.user, access.REPORT, InspectionBoard.objects.select_related("unit"), pk=pk)
    form = f.InspectionBoardForm(request.POST or None, instance=board, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.inspection_board_update(actor=request.user, board=board, data=form.cleaned_data)
        messages.success(request, _("Đã lưu."))
        return redirect("inspection-board-detail", pk=board.pk)
    return render(
        request,
        "boards/board_form.html",
        {"form": form, "board": board, "title": _("Sửa Ban Thanh tra nhân dân")},
    )


# --- The board page (both kinds) -------------------------------------------------------------


def _board_page(request, board, *, add_form=None, end_forms=None, status=200):
    kind = _kind_of(board)
    can_report = access.can(request.user, access.REPORT, board.unit)
    members = list(board.members.select_related("hamlet"))
    rank = {role: i for i, role in enumerate(MemberRole.values)}
    current = sorted((m for m in members if m.ended_on is None), key=lambda m: (rank.get(m.role, 9), m.full_name))
    former = sorted((m for m in members if m.ended_on), key=lambda m: (m.ended_on, m.pk), reverse=True)
    checks = sorted(services.board_checks(board), key=lambda c: LEVEL_ORDER.get(c[0], 9))
    if can_report:
        add_form = add_form or f.BoardMemberForm(board=board)
        end_forms = end_forms or {}
        for m in current:
            m.end_form = end_forms.get(m.pk) or f.MemberEndForm(auto_id=f"id_end{m.pk}_%s")
    activities = board.activities.select_related("project").order_by("-held_on", "-pk")
    return render(
        request,
        "boards/board_detail.html",
        {
            "board": board,
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "checks": checks,
            "current": current,
            "former": former,
            "activities": activities,
            "can_report": can_report,
            "add_form": add_form if can_report else None,
            "add_url": reverse("board-member-add", args=[kind, board.pk]),
        },
        status=status,
    )


@login_required
def inspection_board_detail(request, pk):
    board = access.get_for_user(request.user, access.VIEW, _board_queryset("ttnd"), pk=pk)
    return _board_page(request, board)


@login_required
def community_board_detail(request, pk):
    board = access.get_for_user(request.user, access.VIEW, _board_queryset("gsdt"), pk=pk)
    return _board_page(request, board)


# --- Members ---------------------------------------------------------------------------------


@login_required
@require_POST
def member_add(request, kind, pk):
    board = access.get_for_user(request.user, access.REPORT, _board_queryset(kind), pk=pk)
    form = f.BoardMemberForm(request.POST, board=board)
    if form.is_valid():
        member = services.member_add(actor=request.user, board=board, data=form.cleaned_data)
        messages.success(request, _("Đã thêm thành viên %(name)s.") % {"name": member.full_name})
        return redirect(_board_url(board))
    return _board_page(request, board, add_form=form)


@login_required
@require_POST
def member_end(request, pk):
    member = access.get_for_user(
        request.user,
        access.REPORT,
        BoardMember.objects.select_related("inspection_board__unit", "community_board__unit"),
        pk=pk,
    )
    board = member.inspection_board or member.community_board
    form = f.MemberEndForm(request.POST, auto_id=f"id_end{member.pk}_%s")
    if form.is_valid():
        try:
            services.member_end(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("%(name)s đã thôi tham gia ban.") % {"name": member.full_name})
            return redirect(_board_url(board))
    # A board reloaded with its relations, so the page shows it as it is now.
    board = _board_queryset(_kind_of(board)).get(pk=board.pk)
    return _board_page(request, board, end_forms={member.pk: form})


# --- Supervision activities ------------------------------------------------------------------


class SupervisionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", gettext_lazy("Cả hai loại ban")), *KIND_LABELS.items()], required=False, label=gettext_lazy("Ban")
    )
    field = forms.ChoiceField(
        choices=[("", gettext_lazy("Mọi lĩnh vực")), *SupervisionField.choices],
        required=False,
        label=gettext_lazy("Lĩnh vực"),
    )
    date_from = forms.DateField(
        required=False,
        label=gettext_lazy("Từ ngày"),
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    date_to = forms.DateField(
        required=False,
        label=gettext_lazy("Đến ngày"),
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned


@login_required
def supervision_list(request):
    qs = access.for_user(
        request.user,
        access.VIEW,
        SupervisionActivity.objects.select_related("unit", "project", "community_board__project"),
    )
    form = SupervisionFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
        d = form.cleaned_data  # only the fields that parsed; a bad date is shown, not applied
        if d.get("kind") == "ttnd":
            qs = qs.filter(inspection_board__isnull=False)
        elif d.get("kind") == "gsdt":
            qs = qs.filter(community_board__isnull=False)
        if d.get("field"):
            qs = qs.filter(field=d["field"])
        if d.get("date_from"):
            qs = qs.filter(held_on__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(held_on__lte=d["date_to"])
    totals = qs.aggregate(supervisions=Count("pk"), **{name: Sum(name, default=0) for name in TOTALS})
    page = Paginator(qs.order_by("-held_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "boards/supervision_list.html",
        {
            "page_obj": page,
            "form": form,
            "totals": totals,
            "query_string": query.urlencode(),
            "can_report": access.can(request.user, access.REPORT),
        },
    )


@login_required
def supervision_create(request, kind, pk):
    board = access.get_for_user(request.user, access.REPORT, _board_queryset(kind), pk=pk)
    form = f.SupervisionActivityForm(request.POST or None, request.FILES or None, board=board)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if value is not None}
        services.activity_create(actor=request.user, board=board, data=data)
        messages.success(request, _("Đã lưu cuộc giám sát."))
        return redirect(_board_url(board))
    return render(
        request,
        "boards/supervision_form.html",
        {
            "form": form,
            "board": board,
            "kind": kind,
            "board_url": _board_url(board),
            "title": _("Ghi nhận cuộc giám sát"),
        },
    )


@login_required
def supervision_detail(request, pk):
    activity = access.get_for_user(
        request.user,
        access.VIEW,
        SupervisionActivity.objects.select_related(
            "unit", "project", "inspection_board__unit", "community_board__project", "created_by"
        ),
        pk=pk,
    )
    board = activity.board
    kind = _kind_of(board)
    return render(
        request,
        "boards/supervision_detail.html",
        {"activity": activity, "board": board, "kind_label": KIND_LABELS[kind], "board_url": _board_url(board)},
    )


@login_required
def supervision_report_file(request, pk):
    """The report file, served only through this access-checked view."""
    activity = access.get_for_user(request.user, access.VIEW, SupervisionActivity.objects.all(), pk=pk)
    if not activity.report_file:
        raise Http404
    name = activity.report_file.name.rsplit("/", 1)[-1]
    return FileResponse(activity.report_file.open("rb"), as_attachment=True, filename=name)
