"""Citizen reception (tiếp công dân): sessions with their counts, cases and linked petitions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dialogues import forms as f
from dialogues import services
from dialogues.models import Petition, ReceptionSession
from dialogues.views import PAGE_SIZE, _default_unit
from units import access

# Summed in the totals row of the list.
TOTALS = ("persons", "cases_new", "cases_old", "delegations", "delegation_persons")


@login_required
def reception_list(request):
    qs = access.for_user(request.user, access.VIEW, ReceptionSession.objects.select_related("unit"))
    form = f.ReceptionFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
        d = form.cleaned_data  # only the fields that parsed; a bad date is shown, not applied
        if d.get("kind"):
            qs = qs.filter(kind=d["kind"])
        if d.get("date_from"):
            qs = qs.filter(held_on__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(held_on__lte=d["date_to"])
    totals = qs.aggregate(sessions=Count("pk"), **{name: Sum(name, default=0) for name in TOTALS})
    page = Paginator(qs.order_by("-held_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dialogues/reception_list.html",
        {
            "page_obj": page,
            "form": form,
            "totals": totals,
            "query_string": query.urlencode(),
            "can_report": access.can(request.user, access.REPORT),
        },
    )


@login_required
def reception_create(request):
    if not access.can(request.user, access.REPORT):
        raise PermissionDenied
    unit = _default_unit(request.user)
    form = f.ReceptionForm(request.POST or None, user=request.user, initial={"unit": unit} if unit else None)
    if request.method == "POST" and form.is_valid():
        reception = services.reception_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Đã lưu buổi tiếp công dân."))
        return redirect("reception-detail", pk=reception.pk)
    return render(request, "dialogues/reception_form.html", {"form": form, "title": _("Ghi nhận buổi tiếp công dân")})


@login_required
def reception_detail(request, pk):
    reception = access.get_for_user(
        request.user, access.VIEW, ReceptionSession.objects.select_related("unit", "created_by"), pk=pk
    )
    can_report = access.can(request.user, access.REPORT, reception.unit)
    if request.method == "POST" and not can_report:
        raise PermissionDenied
    add_form = f.ReceptionCaseForm(request.POST or None, prefix="case") if can_report else None
    if request.method == "POST" and add_form.is_valid():
        services.reception_case_add(actor=request.user, reception=reception, data=add_form.cleaned_data)
        messages.success(request, _("Đã thêm vụ việc."))
        return redirect("reception-detail", pk=reception.pk)
    petitions = access.for_user(
        request.user, access.VIEW, Petition.objects.filter(reception=reception).select_related("unit")
    ).order_by("pk")
    return render(
        request,
        "dialogues/reception_detail.html",
        {
            "reception": reception,
            "cases": reception.cases.all(),
            "petitions": petitions,
            "add_form": add_form,
            "can_report": can_report,
        },
    )


@login_required
def reception_edit(request, pk):
    reception = access.get_for_user(request.user, access.REPORT, ReceptionSession.objects.select_related("unit"), pk=pk)
    form = f.ReceptionForm(request.POST or None, instance=reception, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.reception_update(actor=request.user, reception=reception, data=form.cleaned_data)
        messages.success(request, _("Đã lưu."))
        return redirect("reception-detail", pk=reception.pk)
    return render(
        request,
        "dialogues/reception_form.html",
        {"form": form, "reception": reception, "title": _("Sửa buổi tiếp công dân")},
    )
