"""Dialogue sessions with their petitions, and the petitions' "5 rõ" follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogues import forms as f
from dialogues import services
from dialogues.models import OPEN_STATUSES, DialogueSession, Level, Petition, PetitionEvent
from qcdc_portal.lib.text import fold
from units import access

PAGE_SIZE = 50


def _default_unit(user):
    """The reporter's only unit, pre-selected (most commune officers have exactly one)."""
    units = list(access.for_user(user, access.REPORT).exclude(kind="hamlet")[:2])
    return units[0] if len(units) == 1 else None


@login_required
def dialogue_list(request):
    qs = access.for_user(request.user, access.VIEW, DialogueSession.objects.select_related("unit"))
    level = request.GET.get("level", "")
    if level in Level.values:
        qs = qs.filter(level=level)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(topic__icontains=q) | Q(unit__name_key__contains=fold(q)))
    qs = qs.annotate(
        n_petitions=Count("petitions"), n_open=Count("petitions", filter=Q(petitions__status__in=OPEN_STATUSES))
    )
    page = Paginator(qs.order_by("-held_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dialogues/dialogue_list.html",
        {
            "page_obj": page,
            "levels": Level.choices,
            "level": level,
            "q": q,
            "query_string": query.urlencode(),
            "can_report": access.can(request.user, access.REPORT),
        },
    )


@login_required
def dialogue_create(request):
    """One flow on a phone: the session, then its petitions, added row by row with htmx."""
    if not access.can(request.user, access.REPORT):
        raise PermissionDenied
    unit = _default_unit(request.user)
    form = f.DialogueSessionForm(
        request.POST or None, request.FILES or None, user=request.user, initial={"unit": unit} if unit else None
    )
    formset = f.PetitionFormSet(request.POST or None, prefix="pet")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [row.cleaned_data for row in formset.forms if row.cleaned_data and not row.cleaned_data.get("DELETE")]
        session = services.session_create(actor=request.user, data=form.cleaned_data, petitions=rows)
        messages.success(
            request,
            _("Đã lưu hội nghị đối thoại và %(n)s ý kiến, kiến nghị.") % {"n": len(rows)},
        )
        for warning in session.warnings:
            messages.warning(request, warning)
        return redirect("dialogue-detail", pk=session.pk)
    return render(
        request,
        "dialogues/dialogue_form.html",
        {"form": form, "formset": formset, "title": _("Ghi nhận hội nghị đối thoại")},
    )


@login_required
def petition_row(request):
    """An empty petition row for the session form (htmx; the client says which index)."""
    if not access.can(request.user, access.REPORT):
        raise PermissionDenied
    try:
        index = max(0, min(int(request.GET.get("i", "0")), 199))
    except ValueError:
        index = 0
    row = f.PetitionFormSet(prefix="pet").empty_form
    row.prefix = f"pet-{index}"
    return render(request, "dialogues/_petition_row.html", {"row": row, "index": index})


@login_required
def dialogue_detail(request, pk):
    session = access.get_for_user(request.user, access.VIEW, DialogueSession.objects.select_related("unit"), pk=pk)
    petitions = session.petitions.order_by("pk")
    can_report = access.can(request.user, access.REPORT, session.unit)
    add_form = f.PetitionRowForm(request.POST or None, prefix="add") if can_report else None
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if add_form.is_valid():
            services.petition_add(actor=request.user, session=session, data=add_form.cleaned_data)
            messages.success(request, _("Đã thêm ý kiến, kiến nghị."))
            return redirect("dialogue-detail", pk=session.pk)
    return render(
        request,
        "dialogues/dialogue_detail.html",
        {"session": session, "petitions": petitions, "add_form": add_form, "can_report": can_report},
    )


@login_required
def dialogue_edit(request, pk):
    session = access.get_for_user(request.user, access.REPORT, DialogueSession.objects.select_related("unit"), pk=pk)
    form = f.DialogueSessionForm(request.POST or None, request.FILES or None, instance=session, user=request.user)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.Meta.fields}
        if "minutes_file" not in request.FILES and data.get("minutes_file") is not False:
            data.pop("minutes_file", None)
        try:
            version = int(request.POST.get("version", "0"))
            services.session_update(actor=request.user, session=session, data=data, expected_version=version)
        except services.StaleEdit as exc:
            stale = exc.messages[0]
        else:
            messages.success(request, _("Đã lưu."))
            for warning in session.warnings:
                messages.warning(request, warning)
            return redirect("dialogue-detail", pk=session.pk)
    return render(
        request,
        "dialogues/dialogue_form.html",
        {"form": form, "session": session, "stale": stale, "title": _("Sửa hội nghị đối thoại")},
    )


@login_required
def dialogue_minutes(request, pk):
    """The minutes file, served only through this access-checked view."""
    session = access.get_for_user(request.user, access.VIEW, DialogueSession.objects.all(), pk=pk)
    if not session.minutes_file:
        raise Http404
    return FileResponse(session.minutes_file.open("rb"), as_attachment=True, filename=session.minutes_file.name)


# --- Petitions ---------------------------------------------------------------------------


@login_required
def petition_list(request):
    """ "Kiến nghị của tôi" for reporters; the district's petitions, filterable, for reviewers."""
    user = request.user
    qs = access.for_user(user, access.VIEW, Petition.objects.select_related("unit", "session", "transferred_to"))
    form = f.PetitionFilterForm(request.GET or None, user=user)
    mine = not request.GET
    if mine:
        qs = qs.open()
    elif form.is_valid():
        d = form.cleaned_data
        if d["unit"]:
            qs = qs.filter(
                Q(unit__path__startswith=d["unit"].path) | Q(transferred_to__path__startswith=d["unit"].path)
            )
        if d["field"]:
            qs = qs.filter(field=d["field"])
        if d["status"] == "open":
            qs = qs.open()
        elif d["status"]:
            qs = qs.filter(status=d["status"])
        if d["overdue"]:
            qs = qs.overdue()
        if d["q"]:
            qs = qs.filter(content__icontains=d["q"])
    qs = qs.order_by("deadline", "raised_on", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dialogues/petition_list.html",
        {
            "page_obj": page,
            "form": form,
            "mine": mine,
            "today": timezone.localdate(),
            "query_string": query.urlencode(),
            "overdue_count": access.for_user(user, access.VIEW, Petition.objects.overdue()).count(),
        },
    )


ACTIONS = {
    "giao": (f.PetitionAssignForm, "assign"),
    "tien-do": (f.PetitionProgressForm, "progress"),
    "ket-thuc": (f.PetitionCloseForm, "close"),
    "chuyen": (f.PetitionTransferForm, "transfer"),
    "mo-lai": (f.PetitionReopenForm, "reopen"),
}


def _action_forms(petition, bound=None, bound_name=None):
    forms = {}
    for slug, (form_class, name) in ACTIONS.items():
        initial = {"version": petition.version}
        kwargs = {"instance": petition} if form_class is f.PetitionAssignForm else {}
        if slug == bound_name:
            forms[name] = form_class(bound, prefix=name, initial=initial, **kwargs)
        else:
            forms[name] = form_class(prefix=name, initial=initial, **kwargs)
    return forms


@login_required
def petition_detail(request, pk):
    petition = access.get_for_user(
        request.user,
        access.VIEW,
        Petition.objects.select_related("unit", "session", "reception", "transferred_to", "created_by"),
        pk=pk,
    )
    can_act = access.for_user(request.user, access.REPORT, Petition.objects.filter(pk=petition.pk)).exists()
    events = PetitionEvent.objects.filter(petition=petition).select_related("actor")
    return render(
        request,
        "dialogues/petition_detail.html",
        {
            "petition": petition,
            "events": events,
            "can_act": can_act,
            "forms": _action_forms(petition) if can_act else {},
        },
    )


@login_required
@require_POST
def petition_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    petition = access.get_for_user(request.user, access.REPORT, Petition.objects.select_related("unit"), pk=pk)
    forms = _action_forms(petition, request.POST, action)
    form = forms[ACTIONS[action][1]]
    error = None
    if form.is_valid():
        d = form.cleaned_data
        kwargs = {"actor": request.user, "petition": petition, "expected_version": d["version"]}
        try:
            if action == "giao":
                services.petition_assign(
                    assignee_person=d["assignee_person"],
                    task=d["task"],
                    deadline=d["deadline"],
                    responsible_unit=d["responsible_unit"],
                    note=d["note"],
                    **kwargs,
                )
            elif action == "tien-do":
                services.petition_progress(note=d["note"], **kwargs)
            elif action == "ket-thuc":
                services.petition_close(
                    status=d["status"], result=d["result"], result_date=d["result_date"], note=d["note"], **kwargs
                )
            elif action == "chuyen":
                services.petition_transfer(to_unit=d["to_unit"], note=d["note"], **kwargs)
            else:
                services.petition_reopen(note=d["note"], **kwargs)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(None if name == "__all__" or name not in form.fields else name, errors)
            else:
                error = " ".join(exc.messages)
        else:
            messages.success(request, _("Đã cập nhật kiến nghị."))
            return redirect("petition-detail", pk=petition.pk)
    petition.refresh_from_db()
    events = PetitionEvent.objects.filter(petition=petition).select_related("actor")
    response = render(
        request,
        "dialogues/petition_detail.html",
        {"petition": petition, "events": events, "can_act": True, "forms": forms, "error": error, "open": action},
    )
    response.status_code = 409 if error else 200
    return response
