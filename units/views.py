"""Unit directory, agencies and hamlets, the unit picker, accounts and grants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qcdc_portal.lib.text import fold
from units import access, services
from units.forms import AccountForm, AgencyForm, GrantForm, HamletForm
from units.models import ADMINISTRATIVE_KINDS, AGENCY_KINDS, Grant, Unit, UnitKind, UnitLineage
from units.selectors import attach_counts

PAGE_SIZE = 50


def _grant_rows(user):
    rows = []
    for grant in sorted(access.grants_of(user), key=lambda g: (g.unit.path, g.role)):
        actions = [access.ACTION_LABELS[a] for a in access.ACTIONS if a in access.ROLE_ACTIONS[grant.role]]
        rows.append({"grant": grant, "actions": actions})
    return rows


@login_required
def home(request):
    from django.utils import timezone

    from reports.todo import todo_for

    todo = todo_for(request.user, timezone.localdate())
    return render(request, "units/home.html", {"grant_rows": _grant_rows(request.user), "todo": todo})


@login_required
def my_scope(request):
    user = request.user
    counts = {}
    for action in access.ACTIONS:
        counts[action] = {
            "label": access.ACTION_LABELS[action],
            "units": access.for_user(user, action).count() if access.can(user, action) else 0,
        }
    return render(request, "units/my_scope.html", {"grant_rows": _grant_rows(user), "counts": counts})


# --- Directory ---------------------------------------------------------------------------


@login_required
def unit_list(request):
    """The directory: the top of the user's scope, or search results across it."""
    user = request.user
    visible = access.for_user(user, access.VIEW)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if q or kind:
        qs = visible
        if q:
            key = fold(q)
            qs = qs.filter(Q(name_key__contains=key) | Q(code__startswith=q))
        if kind in UnitKind.values:
            qs = qs.filter(kind=kind)
        qs = qs.select_related("parent").order_by("depth", "name_key")
        title = _("Kết quả tìm kiếm")
    else:
        s = access.scope(user, access.VIEW)
        qs = Unit.objects.filter(kind=UnitKind.PROVINCE) if s.everything else Unit.objects.filter(path__in=s.paths)
        qs = qs.select_related("parent").order_by("code_list", "code")
        title = _("Danh mục đơn vị")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    attach_counts(page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "units/unit_list.html",
        {
            "page_obj": page,
            "q": q,
            "kind": kind,
            "kinds": UnitKind.choices,
            "title": title,
            "query_string": query.urlencode(),
        },
    )


@login_required
def unit_detail(request, pk):
    user = request.user
    unit = access.get_for_user(user, access.VIEW, Unit.objects.select_related("parent"), pk=pk)
    visible_ids = set(access.for_user(user, access.VIEW, unit.ancestors()).values_list("pk", flat=True))
    ancestors = [(a, a.pk in visible_ids) for a in unit.ancestors()]
    tab = request.GET.get("tab", "")
    children = Unit.objects.filter(parent=unit)
    tabs = {row["kind"]: row["n"] for row in children.order_by().values("kind").annotate(n=Count("pk"))}
    groups = [
        ("admin", _("Đơn vị hành chính trực thuộc"), list(ADMINISTRATIVE_KINDS)),
        ("agency", _("Cơ quan, đơn vị, doanh nghiệp"), list(AGENCY_KINDS)),
        ("hamlet", _("Thôn, tổ dân phố"), [UnitKind.HAMLET]),
    ]
    tab_rows = [
        {"key": key, "label": label, "count": sum(tabs.get(k, 0) for k in kinds)} for key, label, kinds in groups
    ]
    tab_rows = [t for t in tab_rows if t["count"]]
    if not tab and tab_rows:
        tab = tab_rows[0]["key"]
    kinds = next((kinds for key, _l, kinds in groups if key == tab), [])
    # The table names each row's parent: join it, or every row costs one more query.
    rows = children.filter(kind__in=kinds).select_related("parent").order_by("name_key")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    attach_counts(page)
    lineage_pred = UnitLineage.objects.filter(successor=unit).select_related("predecessor")
    lineage_succ = UnitLineage.objects.filter(predecessor=unit).select_related("successor")
    can_manage = access.can(user, access.MANAGE_UNITS, unit)
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "tab": tab,
            "tab_rows": tab_rows,
            "page_obj": page,
            "query_string": f"tab={tab}",
            "predecessors": lineage_pred,
            "successors": lineage_succ,
            "can_add_agency": can_manage and unit.kind in ADMINISTRATIVE_KINDS,
            "can_add_hamlet": can_manage and unit.kind == UnitKind.COMMUNE,
            "can_edit": can_manage and (unit.is_agency or unit.kind == UnitKind.HAMLET),
            "is_agency": unit.is_agency,
        },
    )


def _parent_from_query(request, action):
    pk = request.GET.get("parent")
    if not pk:
        return None
    parent = access.get_for_user(request.user, access.VIEW, Unit.objects.all(), pk=pk)
    access.require(request.user, action, parent)
    return parent


@login_required
def agency_create(request):
    if not access.can(request.user, access.MANAGE_UNITS):
        raise PermissionDenied
    parent = _parent_from_query(request, access.MANAGE_UNITS)
    form = AgencyForm(request.POST or None, user=request.user, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = services.unit_create_local(kind=data.pop("kind"), parent=data.pop("parent"), **data)
        messages.success(request, _("Đã thêm %(name)s.") % {"name": unit.name})
        return redirect("unit-detail", pk=unit.pk)
    return render(
        request,
        "units/unit_form.html",
        {"form": form, "title": _("Thêm cơ quan, đơn vị, doanh nghiệp"), "picker": "agency-parent", "parent": parent},
    )


@login_required
def hamlet_create(request):
    if not access.can(request.user, access.MANAGE_UNITS):
        raise PermissionDenied
    parent = _parent_from_query(request, access.MANAGE_UNITS)
    form = HamletForm(request.POST or None, user=request.user, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = services.unit_create_local(kind=UnitKind.HAMLET, parent=data.pop("parent"), **data)
        messages.success(request, _("Đã thêm %(name)s.") % {"name": unit.name})
        return redirect("unit-detail", pk=unit.pk)
    return render(
        request,
        "units/unit_form.html",
        {"form": form, "title": _("Thêm thôn, tổ dân phố"), "picker": "hamlet-parent", "parent": parent},
    )


@login_required
def unit_edit(request, pk):
    unit = access.get_for_user(
        request.user, access.MANAGE_UNITS, Unit.objects.filter(kind__in=[*AGENCY_KINDS, UnitKind.HAMLET]), pk=pk
    )
    form_class = HamletForm if unit.kind == UnitKind.HAMLET else AgencyForm
    form = form_class(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Đã lưu %(name)s.") % {"name": unit.name})
        return redirect("unit-detail", pk=unit.pk)
    return render(
        request,
        "units/unit_form.html",
        {
            "form": form,
            "title": _("Sửa %(name)s") % {"name": unit.name},
            "picker": "hamlet-parent" if unit.kind == UnitKind.HAMLET else "agency-parent",
            "parent": unit.parent,
            "unit": unit,
        },
    )


# --- Picker ------------------------------------------------------------------------------

PICKERS = {
    # purpose: (action, kinds or None for any)
    "view": (access.VIEW, None),
    "agency-parent": (access.MANAGE_UNITS, [UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE]),
    "hamlet-parent": (access.MANAGE_UNITS, [UnitKind.COMMUNE]),
    "grant": (access.MANAGE_ACCOUNTS, None),
    "report": (access.REPORT, None),
    "report-commune": (access.REPORT, [UnitKind.COMMUNE]),
    "report-hamlet": (access.REPORT, [UnitKind.HAMLET]),
    "report-agency": (access.REPORT, list(AGENCY_KINDS)),
    "report-board": (access.REPORT, [UnitKind.COMMUNE, *AGENCY_KINDS]),
}


def picker_queryset(user, purpose: str, q: str):
    if purpose == "transfer":
        # The competent level may lie outside the sender's scope: any unit in force.
        qs = Unit.objects.filter(valid_to__isnull=True).exclude(kind=UnitKind.HAMLET)
        q = q.strip()
        if len(q) < 2:
            return qs.none()
        return (
            qs.filter(Q(name_key__contains=fold(q)) | Q(code__startswith=q))
            .select_related("parent")
            .order_by("depth", "name_key")
        )
    action, kinds = PICKERS[purpose]
    qs = access.for_user(user, action)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name_key__contains=fold(q)) | Q(code__startswith=q))
    return qs.select_related("parent").order_by("depth", "name_key")


@login_required
def unit_picker(request):
    """Units in scope matching ``q`` (diacritics and case ignored), as options for the picker."""
    purpose = request.GET.get("purpose", "view")
    if purpose not in PICKERS and purpose != "transfer":
        raise Http404
    field = request.GET.get("field", "parent")
    results = list(picker_queryset(request.user, purpose, request.GET.get("q", ""))[:20])
    return render(request, "units/_picker_results.html", {"results": results, "field": field})


# --- Accounts and grants -----------------------------------------------------------------


@login_required
def account_list(request):
    if not access.can(request.user, access.MANAGE_ACCOUNTS):
        raise PermissionDenied
    qs = access.accounts_for(request.user).order_by("username")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(email__icontains=q))
    page = Paginator(qs.prefetch_related("grants__unit"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "units/account_list.html", {"page_obj": page, "q": q, "query_string": f"q={q}"})


@login_required
def account_create(request):
    if not access.can(request.user, access.MANAGE_ACCOUNTS):
        raise PermissionDenied
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        account = services.account_create(
            actor=request.user,
            username=d["username"],
            full_name=d["first_name"],
            email=d["email"],
            password=d["password1"],
            unit=d["unit"],
            role=d["role"],
        )
        messages.success(request, _("Đã tạo tài khoản %(u)s.") % {"u": account.username})
        return redirect("account-detail", pk=account.pk)
    return render(request, "units/account_form.html", {"form": form, "title": _("Tạo tài khoản")})


@login_required
def account_detail(request, pk):
    account = access.get_account_for_user(request.user, pk)
    form = GrantForm(request.POST or None, user=request.user, account=account)
    if request.method == "POST" and form.is_valid():
        services.grant_create(
            actor=request.user, user=account, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"]
        )
        messages.success(request, _("Đã phân quyền."))
        return redirect("account-detail", pk=account.pk)
    manageable = set(
        access.for_user(request.user, access.MANAGE_ACCOUNTS, Grant.objects.filter(user=account)).values_list(
            "pk", flat=True
        )
    )
    grants = [
        (g, g.pk in manageable and access.may_revoke(request.user, g))
        for g in Grant.objects.filter(user=account).select_related("unit", "granted_by")
    ]
    return render(
        request,
        "units/account_detail.html",
        {
            "account": account,
            "grants": grants,
            "form": form,
            "can_toggle": access.manages_every_grant_of(request.user, account) and account != request.user,
        },
    )


@login_required
@require_POST
def grant_revoke(request, pk):
    grant = access.get_for_user(request.user, access.MANAGE_ACCOUNTS, Grant.objects.select_related("user"), pk=pk)
    if not access.may_revoke(request.user, grant):
        raise PermissionDenied
    account = grant.user
    services.grant_revoke(actor=request.user, grant=grant)
    messages.success(request, _("Đã thu hồi quyền."))
    if access.accounts_for(request.user).filter(pk=account.pk).exists():
        return redirect("account-detail", pk=account.pk)
    return redirect("account-list")


@login_required
@require_POST
def account_toggle_active(request, pk):
    account = access.get_account_for_user(request.user, pk)
    if (
        account == request.user
        or not access.manages_every_grant_of(request.user, account)
        or (Grant.objects.filter(user=account, role="admin").exists() and not access.holds_admin(request.user))
    ):
        raise PermissionDenied
    account.is_active = not account.is_active
    account.save(update_fields=["is_active"])
    if not account.is_active:
        from qcdc_portal.lib.sessions import end_sessions_of

        end_sessions_of(account)
    messages.success(
        request, _("Đã mở khóa tài khoản.") if account.is_active else _("Đã khóa tài khoản và đăng xuất mọi phiên.")
    )
    return redirect(reverse("account-detail", args=[account.pk]))
