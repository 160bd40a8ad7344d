"""Configuration of reporting in the browser, for the steering committee: reporting periods,
the rules generating a year's periods, the indicator catalogue (Biểu 01–14) and the report
templates with their narrative sections. Views are thin: rights through units/access.py,
business rules in reports/periods.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import catalogue, periods
from reports import forms_config as f
from reports.models import Indicator, IndicatorTable, PeriodRule, ReportingPeriod, ReportTemplate, TemplateSection
from units import access
from units.models import Unit, UnitKind

PAGE_SIZE = 50


# ---------------------------------------------------------------- helpers


def _steerable(user):
    provinces = periods.steerable_provinces(user)
    if not provinces.exists():
        raise PermissionDenied
    return provinces


def _province(request) -> Unit:
    """The province configured on this page: ``?tinh=`` (404 out of sight, 403 not steered),
    else the first province the user steers (403 when none)."""
    provinces = _steerable(request.user)
    pk = request.POST.get("tinh") or request.GET.get("tinh")
    if not pk:
        return provinces.first()
    try:
        province = Unit.objects.get(pk=pk, kind=UnitKind.PROVINCE)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access.require(request.user, access.STEER, province)
    return province


def _picker(request, province):
    provinces = periods.steerable_provinces(request.user)
    if len(provinces[:2]) < 2:
        return None
    return f.ProvincePickForm(initial={"tinh": province.pk}, provinces=provinces)


def _with_province(name: str, province: Unit, **kwargs) -> str:
    return f"{reverse(name, kwargs=kwargs or None)}?tinh={province.pk}"


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _form_page(request, form, *, title, back, crumbs=(), intro="", status=200, extra=None):
    context = {"form": form, "title": title, "back": back, "crumbs": crumbs, "intro": intro, **(extra or {})}
    return render(request, "reports/config/form.html", context, status=status)


def _config_crumb():
    return (reverse("report-config"), _("Cấu hình báo cáo"))


# ---------------------------------------------------------------- hub


@login_required
def config_home(request):
    provinces = _steerable(request.user).annotate(
        n_periods=Count("periods", distinct=True),
        n_rules=Count("period_rules", distinct=True),
        n_tables=Count("indicator_tables", distinct=True),
        n_templates=Count("report_templates", distinct=True),
    )
    return render(request, "reports/config/home.html", {"provinces": provinces})


# ---------------------------------------------------------------- periods


@login_required
def period_list(request):
    user = request.user
    provinces = periods.readable_provinces(user)
    form = f.PeriodFilterForm(request.GET or None, provinces=provinces)
    qs = periods.visible_periods(user)
    if form.is_valid():
        if form.cleaned_data.get("province"):
            qs = qs.filter(province=form.cleaned_data["province"])
        if form.cleaned_data.get("year"):
            qs = qs.filter(year=form.cleaned_data["year"])
    page = Paginator(qs.order_by("-year", "province__name", "data_end", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    steered = set(periods.steerable_provinces(user).values_list("pk", flat=True))
    return render(
        request,
        "reports/config/period_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
            "steered": steered,
            "can_steer": bool(steered),
            "many_provinces": len(provinces[:2]) > 1,
        },
    )


@login_required
def period_create(request):
    provinces = _steerable(request.user)
    form = f.PeriodForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        access.require(request.user, access.STEER, form.cleaned_data["province"])
        try:
            period = periods.period_save(data=form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Đã thêm kỳ báo cáo “%(label)s”.") % {"label": period.label})
            return redirect("period-list")
    return _form_page(
        request,
        form,
        title=_("Thêm kỳ báo cáo"),
        back=reverse("period-list"),
        crumbs=[(reverse("period-list"), _("Kỳ báo cáo"))],
    )


@login_required
def period_edit(request, pk):
    period = access.get_for_user(request.user, access.STEER, ReportingPeriod.objects.select_related("province"), pk=pk)
    n_reports = period.reports.count()
    form = f.PeriodForm(request.POST or None, instance=period, provinces=None)
    if request.method == "POST" and form.is_valid():
        try:
            period = periods.period_save(data=form.cleaned_data, period=period)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Đã lưu kỳ báo cáo “%(label)s”.") % {"label": period.label})
            return redirect("period-list")
    intro = ""
    if n_reports:
        intro = _(
            "Đã có %(n)s báo cáo của đơn vị cho kỳ này: chỉ đổi được tên kỳ, hạn gửi, ngày khóa, hạn tự chấm điểm "
            "và số ngày nhắc; loại kỳ, năm và khoảng thời gian số liệu giữ nguyên."
        ) % {"n": n_reports}
    return _form_page(
        request,
        form,
        title=_("Sửa kỳ báo cáo"),
        back=reverse("period-list"),
        crumbs=[(reverse("period-list"), _("Kỳ báo cáo"))],
        intro=intro,
        extra={"subject": f"{period.province.name}"},
    )


# ---------------------------------------------------------------- period rules


@login_required
def rule_list(request):
    province = _province(request)
    rules = PeriodRule.objects.filter(province=province).order_by("end_month", "end_day", "pk")
    return render(
        request,
        "reports/config/rule_list.html",
        {"province": province, "rules": rules, "picker": _picker(request, province)},
    )


@login_required
def rule_create(request):
    province = _province(request)
    form = f.RuleForm(request.POST or None, initial={"label": _("Báo cáo 6 tháng đầu năm {year}")})
    if request.method == "POST" and form.is_valid():
        try:
            periods.rule_save(data=form.cleaned_data, province=province)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Đã thêm quy tắc kỳ báo cáo."))
            return redirect(_with_province("period-rule-list", province))
    back = _with_province("period-rule-list", province)
    return _form_page(
        request,
        form,
        title=_("Thêm quy tắc kỳ báo cáo"),
        back=back,
        crumbs=[_config_crumb(), (back, _("Quy tắc kỳ báo cáo"))],
        extra={"subject": province.name, "province": province},
    )


@login_required
def rule_edit(request, pk):
    rule = access.get_for_user(request.user, access.STEER, PeriodRule.objects.select_related("province"), pk=pk)
    form = f.RuleForm(request.POST or None, instance=rule)
    back = _with_province("period-rule-list", rule.province)
    if request.method == "POST" and form.is_valid():
        try:
            periods.rule_save(data=form.cleaned_data, rule=rule)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Đã lưu quy tắc kỳ báo cáo."))
            return redirect(back)
    return _form_page(
        request,
        form,
        title=_("Sửa quy tắc kỳ báo cáo"),
        back=back,
        crumbs=[_config_crumb(), (back, _("Quy tắc kỳ báo cáo"))],
        extra={"subject": rule.province.name},
    )


@login_required
@require_POST
def rule_delete(request, pk):
    rule = access.get_for_user(request.user, access.STEER, PeriodRule.objects.select_related("province"), pk=pk)
    province = rule.province
    periods.rule_delete(rule=rule)
    messages.success(request, _("Đã xóa quy tắc. Các kỳ đã tạo từ quy tắc này vẫn giữ nguyên."))
    return redirect(_with_province("period-rule-list", province))


@login_required
def period_generate(request):
    provinces = _steerable(request.user)
    initial = {}
    if request.GET.get("tinh"):
        initial["province"] = request.GET["tinh"]
    form = f.ProvinceYearForm(request.POST or None, initial=initial, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        province, year = form.cleaned_data["province"], form.cleaned_data["year"]
        access.require(request.user, access.STEER, province)
        try:
            created, skipped = periods.generate_periods(province, year)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(
                request,
                _("Đã tạo %(n)s kỳ báo cáo năm %(y)s; bỏ qua %(m)s kỳ đã có.")
                % {"n": len(created), "y": year, "m": len(skipped)},
            )
            return redirect(f"{reverse('period-list')}?province={province.pk}&year={year}")
    return _form_page(
        request,
        form,
        title=_("Tạo các kỳ của năm"),
        back=reverse("period-list"),
        crumbs=[(reverse("period-list"), _("Kỳ báo cáo"))],
        intro=_(
            "Các kỳ được tạo theo quy tắc kỳ báo cáo của tỉnh. Kỳ đã có (cùng loại, cùng năm, cùng tên) được giữ "
            "nguyên, nên bấm lại nhiều lần cũng không tạo trùng."
        ),
    )


# ---------------------------------------------------------------- catalogue


@login_required
def table_list(request):
    province = _province(request)
    indicators = Indicator.objects.annotate(n_values=Count("values")).order_by("order", "code")
    tables = (
        IndicatorTable.objects.filter(province=province)
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .order_by("order", "code")
    )
    return render(
        request,
        "reports/config/tables.html",
        {"province": province, "tables": tables, "picker": _picker(request, province)},
    )


@login_required
@require_POST
def install_defaults(request):
    province = _province(request)
    created = catalogue.install_defaults(province)
    messages.success(
        request,
        _("Đã nạp danh mục mặc định: thêm %(t)s biểu, %(i)s chỉ tiêu, %(m)s mẫu báo cáo (phần đã có giữ nguyên).")
        % {"t": created["tables"], "i": created["indicators"], "m": created["templates"]},
    )
    return redirect(_with_province("report-config-tables", province))


def _tables_back(province):
    return _with_province("report-config-tables", province)


@login_required
def table_edit(request, pk):
    table = access.get_for_user(request.user, access.STEER, IndicatorTable.objects.select_related("province"), pk=pk)
    form = f.TableForm(request.POST or None, instance=table)
    back = _tables_back(table.province)
    if request.method == "POST" and form.is_valid():
        periods.table_save(table=table, data=form.cleaned_data)
        messages.success(request, _("Đã lưu biểu %(code)s.") % {"code": table.code})
        return redirect(back)
    return _form_page(
        request,
        form,
        title=_("Sửa biểu %(code)s") % {"code": table.code},
        back=back,
        crumbs=[_config_crumb(), (back, _("Danh mục chỉ tiêu"))],
        extra={"subject": table.province.name},
    )


@login_required
def indicator_create(request, pk):
    table = access.get_for_user(request.user, access.STEER, IndicatorTable.objects.select_related("province"), pk=pk)
    next_order = (table.indicators.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    form = f.IndicatorForm(request.POST or None, initial={"order": next_order})
    back = _tables_back(table.province)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = periods.indicator_save(data=form.cleaned_data, table=table)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu %(code)s.") % {"code": indicator.code})
            return redirect(f"{back}#bieu-{table.pk}")
    return _form_page(
        request,
        form,
        title=_("Thêm chỉ tiêu vào biểu %(code)s") % {"code": table.code},
        back=back,
        crumbs=[_config_crumb(), (back, _("Danh mục chỉ tiêu"))],
        extra={"subject": str(table)},
    )


def _indicator(request, pk) -> Indicator:
    return access.get_for_user(
        request.user, access.STEER, Indicator.objects.select_related("table", "table__province"), pk=pk
    )


@login_required
def indicator_edit(request, pk):
    indicator = _indicator(request, pk)
    form = f.IndicatorForm(request.POST or None, instance=indicator)
    back = _tables_back(indicator.table.province)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = periods.indicator_save(data=form.cleaned_data, indicator=indicator)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu %(code)s.") % {"code": indicator.code})
            return redirect(f"{back}#bieu-{indicator.table_id}")
    return _form_page(
        request,
        form,
        title=_("Sửa chỉ tiêu"),
        back=back,
        crumbs=[_config_crumb(), (back, _("Danh mục chỉ tiêu"))],
        extra={"subject": str(indicator.table)},
    )


@login_required
@require_POST
def indicator_retire(request, pk):
    indicator = _indicator(request, pk)
    periods.indicator_retire(indicator=indicator)
    messages.success(
        request,
        _("Chỉ tiêu %(code)s ngừng sử dụng từ hôm nay; các báo cáo cũ vẫn giữ số liệu.") % {"code": indicator.code},
    )
    return redirect(f"{_tables_back(indicator.table.province)}#bieu-{indicator.table_id}")


@login_required
@require_POST
def indicator_restore(request, pk):
    indicator = _indicator(request, pk)
    periods.indicator_restore(indicator=indicator)
    messages.success(request, _("Đã khôi phục chỉ tiêu %(code)s.") % {"code": indicator.code})
    return redirect(f"{_tables_back(indicator.table.province)}#bieu-{indicator.table_id}")


@login_required
@require_POST
def indicator_delete(request, pk):
    indicator = _indicator(request, pk)
    back = f"{_tables_back(indicator.table.province)}#bieu-{indicator.table_id}"
    code = indicator.code
    try:
        periods.indicator_delete(indicator=indicator)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xóa chỉ tiêu %(code)s.") % {"code": code})
    return redirect(back)


# ---------------------------------------------------------------- templates


@login_required
def template_list(request):
    province = _province(request)
    templates = (
        ReportTemplate.objects.filter(province=province)
        .annotate(n_reports=Count("reports", distinct=True), n_sections=Count("sections", distinct=True))
        .prefetch_related(Prefetch("tables", queryset=IndicatorTable.objects.order_by("order", "code")))
        .order_by("applies_to", "pk")
    )
    return render(
        request,
        "reports/config/templates.html",
        {"province": province, "templates": templates, "picker": _picker(request, province)},
    )


def _template_form_page(request, form, *, province, template=None):
    back = _with_province("report-config-templates", province)
    sections = []
    if template is not None:
        sections = list(template.sections.order_by("order", "pk"))
    return render(
        request,
        "reports/config/template_form.html",
        {
            "form": form,
            "template_obj": template,
            "province": province,
            "sections": sections,
            "back": back,
            "title": _("Sửa mẫu báo cáo") if template else _("Thêm mẫu báo cáo"),
        },
    )


@login_required
def template_create(request):
    province = _province(request)
    form = f.TemplateForm(request.POST or None, province=province, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            template = periods.template_save(data=form.cleaned_data, province=province)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Đã thêm mẫu báo cáo. Hãy thêm các mục thuyết minh."))
            return redirect("report-config-template-edit", pk=template.pk)
    return _template_form_page(request, form, province=province)


@login_required
def template_edit(request, pk):
    template = access.get_for_user(request.user, access.STEER, ReportTemplate.objects.select_related("province"), pk=pk)
    form = f.TemplateForm(request.POST or None, instance=template, province=template.province)
    if request.method == "POST" and form.is_valid():
        try:
            template = periods.template_save(data=form.cleaned_data, template=template)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Đã lưu mẫu báo cáo."))
            return redirect("report-config-template-edit", pk=template.pk)
    return _template_form_page(request, form, province=template.province, template=template)


@login_required
def section_create(request, pk):
    template = access.get_for_user(request.user, access.STEER, ReportTemplate.objects.select_related("province"), pk=pk)
    next_order = (template.sections.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    form = f.SectionForm(request.POST or None, initial={"order": next_order})
    back = reverse("report-config-template-edit", args=[template.pk])
    if request.method == "POST" and form.is_valid():
        try:
            periods.section_save(data=form.cleaned_data, template=template)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Đã thêm mục."))
            return redirect(back)
    return _form_page(
        request,
        form,
        title=_("Thêm mục thuyết minh"),
        back=back,
        crumbs=[_config_crumb(), (back, template.name)],
        extra={"subject": template.name},
    )


def _section(request, pk) -> TemplateSection:
    return access.get_for_user(
        request.user, access.STEER, TemplateSection.objects.select_related("template", "template__province"), pk=pk
    )


@login_required
def section_edit(request, pk):
    section = _section(request, pk)
    form = f.SectionForm(request.POST or None, instance=section)
    back = reverse("report-config-template-edit", args=[section.template_id])
    if request.method == "POST" and form.is_valid():
        try:
            periods.section_save(data=form.cleaned_data, section=section)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Đã lưu mục."))
            return redirect(back)
    return _form_page(
        request,
        form,
        title=_("Sửa mục thuyết minh"),
        back=back,
        crumbs=[_config_crumb(), (back, section.template.name)],
        extra={"subject": section.template.name},
    )


@login_required
@require_POST
def section_delete(request, pk):
    section = _section(request, pk)
    back = reverse("report-config-template-edit", args=[section.template_id])
    try:
        periods.section_delete(section=section)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xóa mục."))
    return redirect(back)
