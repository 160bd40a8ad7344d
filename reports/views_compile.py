"""Compilations in the browser: choose scope and period, start, watch the progress bar,
download the .xlsx and .docx; the list of past compilations. Who may compile a scope is
decided by units/access.py (REVIEW on the scope: steering for the province, a reviewer
for their district); the work itself is reports/jobs.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reports import jobs
from reports.models import Compilation, ReportingPeriod
from reports.views_progress import _int, default_period, province_periods
from units import access
from units.models import Unit, UnitKind

PAGE_SIZE = 25
SCOPE_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def scope_choices(user) -> list[Unit]:
    """Provinces and districts the user may compile (REVIEW on them)."""
    return list(
        access.for_user(user, access.REVIEW, Unit.objects.filter(kind__in=SCOPE_KINDS)).order_by("depth", "name_key")
    )


def visible_jobs(user):
    return access.for_user(
        user, access.REVIEW, Compilation.objects.select_related("scope", "period", "requested_by")
    ).order_by("-created_at", "-pk")


def _form_errors(user, data) -> tuple[dict, Unit | None, ReportingPeriod | None]:
    """Check the submitted scope and period; errors in Vietnamese, keyed by field."""
    errors: dict[str, str] = {}
    scope = period = None
    scope_id, period_id = _int(data.get("scope")), _int(data.get("period"))
    if scope_id is None:
        errors["scope"] = _("Hãy chọn phạm vi tổng hợp.")
    else:
        scope = access.for_user(user, access.REVIEW, Unit.objects.filter(kind__in=SCOPE_KINDS, pk=scope_id)).first()
        if scope is None:
            errors["scope"] = _("Phạm vi đã chọn không có hoặc nằm ngoài quyền tổng hợp của bạn.")
    if period_id is None:
        errors["period"] = _("Hãy chọn kỳ báo cáo.")
    elif scope is not None:
        period = province_periods(scope).filter(pk=period_id).first()
        if period is None:
            errors["period"] = _("Kỳ báo cáo đã chọn không thuộc tỉnh của phạm vi này.")
    return errors, scope, period


@login_required
@require_http_methods(["GET", "POST"])
def compilation_list(request):
    user = request.user
    if not access.can(user, access.REVIEW):
        raise PermissionDenied
    scopes = scope_choices(user)
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors, scope, period = _form_errors(user, request.POST)
        if not errors:
            job, created = jobs.request_compilation(
                actor=user, scope=scope, period=period, include_submitted=request.POST.get("include_submitted") == "on"
            )
            if not created:
                messages.info(request, _("Đang có một lần tổng hợp cùng phạm vi và kỳ; đây là tiến độ của lần đó."))
            return redirect("compilation-detail", pk=job.pk)
        scope_id = _int(request.POST.get("scope"))
        chosen = next((u for u in scopes if u.pk == scope_id), scopes[0] if scopes else None)
    else:
        scope_id = _int(request.GET.get("scope"))
        chosen = next((u for u in scopes if u.pk == scope_id), scopes[0] if scopes else None)
    periods = list(province_periods(chosen)) if chosen else []
    period_id = _int(request.POST.get("period") or request.GET.get("period"))
    period = next((p for p in periods if p.pk == period_id), None) or default_period(periods)
    page = Paginator(visible_jobs(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/compile/list.html",
        {
            "scopes": scopes,
            "scope": chosen,
            "periods": periods,
            "period": period,
            "include_submitted": request.POST.get("include_submitted") == "on",
            "errors": errors,
            "page": page,
        },
        status=400 if errors else 200,
    )


def _job(request, pk: int) -> Compilation:
    return access.get_for_user(
        request.user,
        access.REVIEW,
        Compilation.objects.select_related("scope", "period", "requested_by"),
        pk=pk,
    )


@login_required
def compilation_detail(request, pk: int):
    job = _job(request, pk)
    return render(request, "reports/compile/detail.html", {"job": job})


@login_required
def compilation_progress(request, pk: int):
    """The progress card alone (htmx polls it every second while the job is active)."""
    job = _job(request, pk)
    response = render(request, "reports/compile/_progress.html", {"job": job})
    if not job.is_active:
        response["HX-Trigger"] = "compilation-finished"
    return response


@login_required
def compilation_download(request, pk: int, fmt: str):
    job = _job(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    name = job.xlsx if fmt == "xlsx" else job.docx
    if job.status != Compilation.Status.SUCCEEDED or not name:
        raise Http404
    path = jobs.file_path(name)
    if not path.exists():
        raise Http404
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=path.name.split("-", 1)[1] if "-" in path.name else path.name,
        content_type=CONTENT_TYPES[fmt],
    )
    digest = job.xlsx_sha256 if fmt == "xlsx" else job.docx_sha256
    response["X-Checksum-SHA256"] = digest
    return response
