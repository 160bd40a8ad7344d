"""Workplace conferences (staff and workers' conferences) and village conventions."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from boards import services
from boards.forms import VillageConventionForm, WorkplaceConferenceForm
from boards.models import VillageConvention, WorkplaceConference
from boards.selectors import AGENCY_CONFERENCE_KINDS
from units import access
from units.models import AGENCY_KINDS, ENTERPRISE_KINDS, Unit, UnitKind

PAGE_SIZE = 50
# Below this many employees an enterprise need not hold a workers' conference.
WORKERS_CONFERENCE_MIN_STAFF = 10


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _int_param(request, name: str, low: int = 1900, high: int = 2100) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if low <= value <= high else None


# --- Workplace conferences -----------------------------------------------------------------


@login_required
def conference_list(request):
    qs = access.for_user(request.user, access.VIEW, WorkplaceConference.objects.select_related("unit"))
    kind = request.GET.get("kind", "")
    if kind in WorkplaceConference.Kind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    year = _int_param(request, "year")
    if year:
        qs = qs.filter(year=year)
    page = Paginator(qs.order_by("-held_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "boards/conference_list.html",
        {
            "page_obj": page,
            "kinds": WorkplaceConference.Kind.choices,
            "kind": kind,
            "year": year or "",
            "query_string": _query_string(request),
            "can_report": access.can(request.user, access.REPORT),
            "default_missing_year": timezone.localdate().year - 1,
        },
    )


def _default_agency(user):
    """The reporter's only agency or enterprise, pre-selected."""
    units = list(access.for_user(user, access.REPORT).filter(kind__in=AGENCY_KINDS)[:2])
    return units[0] if len(units) == 1 else None


@login_required
def conference_create(request):
    if not access.can(request.user, access.REPORT):
        raise PermissionDenied
    unit = _default_agency(request.user)
    form = WorkplaceConferenceForm(
        request.POST or None, request.FILES or None, user=request.user, initial={"unit": unit} if unit else None
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("resolution_file"):
            data.pop("resolution_file", None)
        conference = services.conference_create(actor=request.user, data=data)
        messages.success(request, _("Đã lưu hội nghị."))
        for warning in form.warnings:
            messages.warning(request, warning)
        return redirect("conference-detail", pk=conference.pk)
    return render(request, "boards/conference_form.html", {"form": form, "title": _("Ghi nhận hội nghị")})


@login_required
def conference_detail(request, pk):
    conference = access.get_for_user(
        request.user, access.VIEW, WorkplaceConference.objects.select_related("unit", "unit__parent"), pk=pk
    )
    return render(
        request,
        "boards/conference_detail.html",
        {
            "conference": conference,
            "can_report": access.can(request.user, access.REPORT, conference.unit),
            "file_name": os.path.basename(conference.resolution_file.name) if conference.resolution_file else "",
        },
    )


@login_required
def conference_edit(request, pk):
    conference = access.get_for_user(
        request.user, access.REPORT, WorkplaceConference.objects.select_related("unit"), pk=pk
    )
    form = WorkplaceConferenceForm(request.POST or None, request.FILES or None, instance=conference, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("resolution_file") is None:  # no new upload: keep the stored file
            data.pop("resolution_file", None)
        elif data["resolution_file"] is False:
            data["resolution_file"] = ""
        services.conference_update(actor=request.user, conference=conference, data=data)
        messages.success(request, _("Đã lưu."))
        for warning in form.warnings:
            messages.warning(request, warning)
        return redirect("conference-detail", pk=conference.pk)
    return render(
        request,
        "boards/conference_form.html",
        {"form": form, "conference": conference, "title": _("Sửa hội nghị")},
    )


@login_required
def conference_file(request, pk):
    """The conference's resolution, served only through this access-checked view."""
    conference = access.get_for_user(request.user, access.VIEW, WorkplaceConference.objects.all(), pk=pk)
    if not conference.resolution_file:
        raise Http404
    return FileResponse(
        conference.resolution_file.open("rb"),
        as_attachment=True,
        filename=os.path.basename(conference.resolution_file.name),
    )


def missing_conference_units(user, year: int):
    """Agencies in force without a staff conference of ``year`` and enterprises in force
    without a workers' conference of it, among the units ``user`` may see (one query)."""
    held = WorkplaceConference.objects.filter(unit=OuterRef("pk"), year=year)
    units = access.for_user(user, access.VIEW, Unit.objects.filter(valid_to__isnull=True))
    return units.filter(
        (Q(kind__in=AGENCY_CONFERENCE_KINDS) & ~Exists(held.filter(kind=WorkplaceConference.Kind.CBCCVC)))
        | (Q(kind__in=ENTERPRISE_KINDS) & ~Exists(held.filter(kind=WorkplaceConference.Kind.NLD)))
    )


@login_required
def conference_missing(request):
    year = _int_param(request, "year") or timezone.localdate().year - 1
    qs = missing_conference_units(request.user, year).select_related("parent").order_by("path", "name")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "boards/conference_missing.html",
        {
            "page_obj": page,
            "year": year,
            "enterprise_kinds": [k.value for k in ENTERPRISE_KINDS],
            "min_staff": WORKERS_CONFERENCE_MIN_STAFF,
            "query_string": _query_string(request),
        },
    )


# --- Village conventions -------------------------------------------------------------------


@login_required
def convention_list(request):
    visible = access.for_user(
        request.user, access.VIEW, VillageConvention.objects.select_related("hamlet", "hamlet__parent")
    )
    qs = visible
    status = request.GET.get("status", "")
    if status in VillageConvention.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    kind = request.GET.get("kind", "")
    if kind in VillageConvention.Kind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    # Only communes that have conventions the user sees are offered (and accepted).
    communes = list(
        Unit.objects.filter(pk__in=visible.values("hamlet__parent"), kind=UnitKind.COMMUNE).order_by("name_key")
    )
    commune = _int_param(request, "commune", 1, 2**31)
    if commune and any(c.pk == commune for c in communes):
        qs = qs.filter(hamlet__parent_id=commune)
    else:
        commune = None
    page = Paginator(qs.order_by("hamlet__name", "-adopted_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "boards/convention_list.html",
        {
            "page_obj": page,
            "statuses": VillageConvention.Status.choices,
            "kinds": VillageConvention.Kind.choices,
            "communes": communes,
            "status": status,
            "kind": kind,
            "commune": commune,
            "query_string": _query_string(request),
            "can_report": access.can(request.user, access.REPORT),
        },
    )


@login_required
def convention_create(request):
    if not access.can(request.user, access.REPORT):
        raise PermissionDenied
    form = VillageConventionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        convention = services.convention_save(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Đã lưu hương ước, quy ước."))
        return redirect("convention-detail", pk=convention.pk)
    return render(request, "boards/convention_form.html", {"form": form, "title": _("Thêm hương ước, quy ước")})


@login_required
def convention_detail(request, pk):
    convention = access.get_for_user(
        request.user,
        access.VIEW,
        VillageConvention.objects.select_related("hamlet", "hamlet__parent", "replaces"),
        pk=pk,
    )
    share = convention.approval_share
    return render(
        request,
        "boards/convention_detail.html",
        {
            "convention": convention,
            "approval_percent": None if share is None else round(share * 100, 1),
            "can_report": access.can(request.user, access.REPORT, convention.hamlet),
        },
    )


@login_required
def convention_edit(request, pk):
    convention = access.get_for_user(
        request.user, access.REPORT, VillageConvention.objects.select_related("hamlet"), pk=pk
    )
    form = VillageConventionForm(request.POST or None, instance=convention, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if "status" in form.changed_data and not data.get("status_changed_on"):
            data["status_changed_on"] = timezone.localdate()
        services.convention_save(actor=request.user, data=data, instance=convention)
        messages.success(request, _("Đã lưu."))
        return redirect("convention-detail", pk=convention.pk)
    return render(
        request,
        "boards/convention_form.html",
        {"form": form, "convention": convention, "title": _("Sửa hương ước, quy ước")},
    )
