"""Investment projects and their community investment supervision boards (Ban Giám sát đầu tư
của cộng đồng): list, record, edit; form, edit and dissolve a project's board.

The board page itself (members, supervisions) is ``community-board-detail`` in views_boards.py.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boards import services
from boards.forms import CommunityBoardForm, InvestmentProjectForm
from boards.models import CommunityBoard, InvestmentProject, SupervisionActivity
from dialogues.views import PAGE_SIZE
from units import access
from units.models import Unit, UnitKind

# Summed in the totals row of the list.
TOTALS = ("total_value", "state_budget", "people_money", "other_value")


class ProjectFilterForm(forms.Form):
    funding_source = forms.ChoiceField(
        choices=[("", gettext_lazy("Mọi nguồn vốn")), *InvestmentProject.Funding.choices],
        required=False,
        label=gettext_lazy("Nguồn vốn"),
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=gettext_lazy("Xã"), empty_label=gettext_lazy("Mọi xã")
    )
    q = forms.CharField(required=False, max_length=100, label=gettext_lazy("Tên công trình"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only communes the user sees that have projects: a short list even for a province.
        communes = access.for_user(user, access.VIEW).filter(kind=UnitKind.COMMUNE)
        self.fields["unit"].queryset = communes.filter(pk__in=InvestmentProject.objects.values("unit_id")).order_by(
            "name"
        )
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("Gõ một phần tên")})


def _default_commune(user):
    """The reporter's only commune, pre-selected (most commune officers have exactly one)."""
    communes = list(access.for_user(user, access.REPORT).filter(kind=UnitKind.COMMUNE)[:2])
    return communes[0] if len(communes) == 1 else None


def _chosen_commune(form, fallback):
    """The commune the hamlet checkboxes belong to: the one posted (when in the form's scope),
    else ``fallback`` (the project's commune, or the reporter's only one)."""
    raw = form.data.get(form.add_prefix("unit")) if form.is_bound else None
    if raw and str(raw).isdigit():
        posted = form.fields["unit"].queryset.filter(pk=raw).first()
        if posted:
            return posted
    return fallback


def _limit_hamlets(form, commune):
    """Offer only the hamlets of ``commune``; with no commune chosen yet, name each hamlet's commune."""
    field = form.fields["hamlets"]
    hamlets = field.queryset.select_related("parent")
    if commune is not None:
        field.choices = [(h.pk, h.name) for h in hamlets.filter(parent=commune)]
        field.help_text = _("Các thôn, tổ dân phố của %(c)s nơi có công trình.") % {"c": commune.name}
    else:
        field.choices = [(h.pk, f"{h.name} ({h.parent.name})") for h in hamlets.order_by("parent__name", "name")[:200]]
        field.help_text = _("Chỉ chọn thôn, tổ dân phố thuộc xã đã chọn ở trên.")


def _project_data(form) -> tuple[dict, list]:
    data = {k: v for k, v in form.cleaned_data.items() if k != "hamlets"}
    return data, list(form.cleaned_data.get("hamlets") or [])


@login_required
def project_list(request):
    qs = access.for_user(request.user, access.VIEW, InvestmentProject.objects.all())
    form = ProjectFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
        d = form.cleaned_data  # only the fields that parsed; a commune out of scope is shown, not applied
        if d.get("funding_source"):
            qs = qs.filter(funding_source=d["funding_source"])
        if d.get("unit"):
            qs = qs.filter(unit=d["unit"])
        if d.get("q", "").strip():
            qs = qs.filter(name__icontains=d["q"].strip())
    # Totals before the supervision count joins rows in.
    totals = qs.aggregate(projects=Count("pk"), **{name: Sum(name, default=0) for name in TOTALS})
    rows = (
        qs.select_related("unit", "board")
        .annotate(n_supervisions=Count("activities", distinct=True))
        .order_by("-start_on", "name", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "boards/project_list.html",
        {
            "page_obj": page,
            "form": form,
            "totals": totals,
            "query_string": query.urlencode(),
            "can_report": access.can(request.user, access.REPORT),
        },
    )


@login_required
def project_create(request):
    if not access.can(request.user, access.REPORT):
        raise PermissionDenied
    commune = _default_commune(request.user)
    form = InvestmentProjectForm(
        request.POST or None, user=request.user, initial={"unit": commune} if commune else None
    )
    _limit_hamlets(form, _chosen_commune(form, commune))
    if request.method == "POST" and form.is_valid():
        data, hamlets = _project_data(form)
        project = services.project_create(actor=request.user, data=data, hamlets=hamlets)
        messages.success(request, _("Đã lưu công trình, dự án."))
        return redirect("project-detail", pk=project.pk)
    return render(request, "boards/project_form.html", {"form": form, "title": _("Thêm công trình, dự án")})


@login_required
def project_detail(request, pk):
    project = access.get_for_user(request.user, access.VIEW, InvestmentProject.objects.select_related("unit"), pk=pk)
    board = CommunityBoard.objects.filter(project=project).first()
    supervisions = access.for_user(
        request.user,
        access.VIEW,
        SupervisionActivity.objects.filter(project=project).select_related("inspection_board__unit", "community_board"),
    ).order_by("-held_on", "-pk")
    return render(
        request,
        "boards/project_detail.html",
        {
            "project": project,
            "hamlets": project.hamlets.order_by("name"),
            "board": board,
            "supervisions": supervisions,
            "can_report": access.can(request.user, access.REPORT, project.unit),
        },
    )


@login_required
def project_edit(request, pk):
    project = access.get_for_user(request.user, access.REPORT, InvestmentProject.objects.select_related("unit"), pk=pk)
    commune, name = project.unit, project.name  # the form writes posted values onto the instance
    has_board = CommunityBoard.objects.filter(project=project).exists()
    form = InvestmentProjectForm(request.POST or None, instance=project, user=request.user)
    _limit_hamlets(form, _chosen_commune(form, commune))
    if request.method == "POST" and form.is_valid() and has_board and form.cleaned_data["unit"] != commune:
        # The board and its supervisions belong to the commune: they do not move with the project.
        form.add_error("unit", _("Công trình đã có Ban Giám sát đầu tư của cộng đồng: không thể đổi sang xã khác."))
    if request.method == "POST" and form.is_valid():
        data, hamlets = _project_data(form)
        services.project_update(actor=request.user, project=project, data=data, hamlets=hamlets)
        messages.success(request, _("Đã lưu."))
        return redirect("project-detail", pk=project.pk)
    return render(
        request,
        "boards/project_form.html",
        {"form": form, "project": project, "project_name": name, "title": _("Sửa công trình, dự án")},
    )


@login_required
def community_board_create(request, pk):
    project = access.get_for_user(request.user, access.REPORT, InvestmentProject.objects.select_related("unit"), pk=pk)
    existing = CommunityBoard.objects.filter(project=project).first()
    if existing:
        messages.info(request, _("Công trình này đã có Ban Giám sát đầu tư của cộng đồng."))
        return redirect("community-board-detail", pk=existing.pk)
    form = CommunityBoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.community_board_create(actor=request.user, project=project, data=form.cleaned_data)
        except IntegrityError:
            # Someone formed the board a moment ago: show theirs.
            existing = CommunityBoard.objects.filter(project=project).first()
            if existing is None:
                raise
            messages.info(request, _("Công trình này đã có Ban Giám sát đầu tư của cộng đồng."))
            return redirect("community-board-detail", pk=existing.pk)
        messages.success(request, _("Đã lập Ban Giám sát đầu tư của cộng đồng. Hãy thêm ít nhất 5 thành viên."))
        return redirect("community-board-detail", pk=board.pk)
    return render(
        request,
        "boards/community_board_form.html",
        {"form": form, "project": project, "title": _("Lập Ban Giám sát đầu tư của cộng đồng")},
    )


@login_required
def community_board_edit(request, pk):
    board = access.get_for_user(
        request.user, access.REPORT, CommunityBoard.objects.select_related("project", "unit"), pk=pk
    )
    was_dissolved = board.dissolved_on
    form = CommunityBoardForm(request.POST or None, instance=board)
    if request.method == "POST" and form.is_valid():
        board = services.community_board_update(actor=request.user, board=board, data=form.cleaned_data)
        if board.dissolved_on and not was_dissolved:
            messages.success(
                request,
                _("Đã giải thể Ban Giám sát đầu tư của cộng đồng từ ngày %(d)s.")
                % {"d": board.dissolved_on.strftime("%d/%m/%Y")},
            )
        else:
            messages.success(request, _("Đã lưu."))
        return redirect("community-board-detail", pk=board.pk)
    return render(
        request,
        "boards/community_board_form.html",
        {
            "form": form,
            "project": board.project,
            "board": board,
            "title": _("Sửa Ban Giám sát đầu tư của cộng đồng"),
        },
    )
