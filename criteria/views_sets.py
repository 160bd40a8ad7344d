"""Criteria sets: the list, a set's tree, and their configuration by the steering committee
(create, edit, publish, copy as a new version, Excel export and import).

Visibility and rights are decided in criteria/set_access.py: every signed-in user reads
published sets; drafts and every write belong to those with STEER on the set's province
(superusers for national sets).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from criteria import forms_sets as f
from criteria import services, set_access, sets_io, shipped
from criteria.models import AppliesTo, CriteriaSet
from qcdc_portal.lib.xlsx import MAX_UPLOAD_BYTES, XLSX_CONTENT_TYPE
from units.views_import import MAX_ERRORS_SHOWN

PAGE_SIZE = 50
MORE_ROWS = 10


def _extra(request, default: int) -> int:
    """Blank criteria rows to offer: ``?them=N`` adds more (no script needed on a phone)."""
    try:
        more = int(request.GET.get("them", "0"))
    except ValueError:
        more = 0
    return default + max(0, min(more, 100))


@login_required
def set_list(request):
    user = request.user
    qs = set_access.visible_sets(user).annotate(
        n_criteria=Count("criteria", filter=Q(criteria__is_group=False), distinct=True)
    )
    applies_to = request.GET.get("applies_to", "")
    if applies_to in AppliesTo.values:
        qs = qs.filter(applies_to=applies_to)
    year = request.GET.get("year", "").strip()
    if year.isdigit() and len(year) == 4:
        y = int(year)
        qs = qs.filter(year_from__lte=y).filter(Q(year_to__isnull=True) | Q(year_to__gte=y))
    else:
        year = ""
    qs = qs.order_by("status", "-year_from", "applies_to", "name", "-version")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "criteria/set_list.html",
        {
            "page_obj": page,
            "applies_choices": AppliesTo.choices,
            "applies_to": applies_to,
            "year": year,
            "query_string": query.urlencode(),
            "can_configure": set_access.may_configure_any(user),
        },
    )


@login_required
def set_detail(request, pk):
    user = request.user
    criteria_set = set_access.get_set(user, pk)
    can_steer = set_access.may_steer(user, criteria_set.province)
    bands = list(criteria_set.bands.order_by("-min_score", "order"))
    versions = (
        set_access.visible_sets(user)
        .filter(name=criteria_set.name, province=criteria_set.province)
        .exclude(pk=criteria_set.pk)
        .order_by("-version")
    )
    return render(
        request,
        "criteria/set_detail.html",
        {
            "set": criteria_set,
            "tree": sets_io.criteria_tree(criteria_set),
            "criteria_sum": sum(
                (c.max_points for c in criteria_set.criteria.all() if not c.is_group), criteria_set.superior_points_max
            ),
            "bands": bands,
            "example_bands": shipped.is_default_bands(bands),
            "problems": services.set_problems(criteria_set) if criteria_set.status == CriteriaSet.Status.DRAFT else [],
            "frozen": services.set_is_frozen(criteria_set),
            "can_steer": can_steer,
            "versions": versions,
        },
    )


def _save_form_page(request, *, criteria_set: CriteriaSet | None):
    """The create and edit page: the set's fields, its criteria rows and its bands."""
    user = request.user
    post = request.POST if request.method == "POST" else None
    if criteria_set is None:
        form = f.CriteriaSetForm(
            post,
            user=user,
            initial={
                "year_from": timezone.localdate().year,
                "total_points": 100,
                "score_step": "0.5",
                "superior_points_max": 0,
                "bonus_max": 0,
                "penalty_max": 0,
            },
        )
        criteria = f.criteria_formset(_extra(request, MORE_ROWS))(post, prefix="tc")
        bands = f.band_formset(2)(post, prefix="xl", initial=shipped.default_bands())
    else:
        form = f.CriteriaSetForm(post, instance=criteria_set, user=user)
        criteria = f.criteria_formset(_extra(request, 3))(post, prefix="tc", initial=f.criteria_initial(criteria_set))
        bands = f.band_formset(2)(post, prefix="xl", initial=f.bands_initial(criteria_set))
    error = None
    if post is not None and form.is_valid() & criteria.is_valid() & bands.is_valid():
        data = form.set_data()
        if not set_access.may_steer(user, data.get("province")):
            raise PermissionDenied
        try:
            saved = services.set_save(
                actor=user, data=data, criteria=criteria.rows(), bands=bands.rows(), criteria_set=criteria_set
            )
        except ValidationError as exc:
            error = exc.messages
        else:
            was_published = criteria_set is not None and criteria_set.status == CriteriaSet.Status.PUBLISHED
            messages.success(request, _("Đã lưu bộ tiêu chí."))
            problems = services.set_problems(saved)
            if was_published and saved.status == CriteriaSet.Status.DRAFT:
                messages.warning(
                    request,
                    _("Bộ tiêu chí chưa đủ điều kiện ban hành nên đã chuyển về dự thảo: %(p)s")
                    % {"p": " ".join(problems)},
                )
            elif problems:
                messages.warning(request, _("Chưa ban hành được: %(p)s") % {"p": " ".join(problems)})
            return redirect("criteria-set-detail", pk=saved.pk)
    title = _("Sửa bộ tiêu chí") if criteria_set else _("Thêm bộ tiêu chí")
    return render(
        request,
        "criteria/set_form.html",
        {
            "form": form,
            "criteria": criteria,
            "bands": bands,
            "set": criteria_set,
            "title": title,
            "error": error,
            "more": MORE_ROWS,
            "them": _extra(request, 0) + MORE_ROWS,
        },
    )


@login_required
def set_create(request):
    if not set_access.may_configure_any(request.user):
        raise PermissionDenied
    return _save_form_page(request, criteria_set=None)


@login_required
def set_edit(request, pk):
    criteria_set = set_access.get_set(request.user, pk, steer=True)
    if services.set_is_frozen(criteria_set):
        return render(
            request,
            "criteria/set_frozen.html",
            {"set": criteria_set, "n_sheets": criteria_set.sheets.count()},
            status=409 if request.method == "POST" else 200,
        )
    return _save_form_page(request, criteria_set=criteria_set)


@login_required
@require_POST
def set_publish(request, pk):
    criteria_set = set_access.get_set(request.user, pk, steer=True)
    if criteria_set.status != CriteriaSet.Status.DRAFT:
        messages.info(request, _("Bộ tiêu chí không ở trạng thái dự thảo nên không ban hành lại."))
        return redirect("criteria-set-detail", pk=criteria_set.pk)
    try:
        services.set_publish(actor=request.user, criteria_set=criteria_set)
    except ValidationError as exc:
        messages.error(request, _("Chưa ban hành được bộ tiêu chí:"))
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã ban hành bộ tiêu chí."))
    return redirect("criteria-set-detail", pk=criteria_set.pk)


@login_required
@require_POST
def set_copy(request, pk):
    criteria_set = set_access.get_set(request.user, pk, steer=True)
    new = services.set_copy(actor=request.user, criteria_set=criteria_set)
    messages.success(
        request,
        _("Đã sao chép thành phiên bản %(v)s (dự thảo). Sửa rồi ban hành khi xong.") % {"v": new.version},
    )
    return redirect("criteria-set-detail", pk=new.pk)


@login_required
def set_export(request, pk):
    criteria_set = set_access.get_set(request.user, pk)
    response = HttpResponse(sets_io.export_workbook(criteria_set), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="bo-tieu-chi-{criteria_set.pk}-v{criteria_set.version}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def set_import(request):
    user = request.user
    if not set_access.may_configure_any(user):
        raise PermissionDenied
    form = f.ImportForm(request.POST or None, request.FILES or None, user=user)
    result = None
    if request.method == "POST" and form.is_valid():
        province = form.cleaned_data.get("province")
        if not set_access.may_steer(user, province):
            raise PermissionDenied
        result = sets_io.import_xlsx(user=user, fileobj=form.cleaned_data["file"], province=province)
        if result.ok:
            messages.success(
                request,
                _("Đã nhập bộ tiêu chí “%(n)s” (phiên bản %(v)s, dự thảo). Kiểm tra rồi ban hành.")
                % {"n": result.criteria_set.name, "v": result.criteria_set.version},
            )
            return redirect("criteria-set-detail", pk=result.criteria_set.pk)
    return render(
        request,
        "criteria/set_import.html",
        {
            "form": form,
            "result": result,
            "errors_shown": result.errors[:MAX_ERRORS_SHOWN] if result else [],
            "errors_hidden": max(0, len(result.errors) - MAX_ERRORS_SHOWN) if result else 0,
            "columns": [title for _n, title, _w in sets_io.COLUMNS],
            "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            "group_mark": sets_io.GROUP_MARK,
            "evidence_mark": sets_io.EVIDENCE_MARK,
        },
    )
