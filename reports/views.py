"""Unit reports in the browser: the list, opening a report, the report page (phone first:
pre-filled tables, narrative sections, save and submit), and the reviewer's actions
(return with a reason, approve, bulk approve, lock, exception after the lock date)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from criteria.views_sheets import PeriodChoiceField, reportable_periods
from reports import services
from reports.models import AWAITING_REVIEW, ReportEvent, ReportingPeriod, ReportStatus, UnitReport
from units import access
from units.forms import UnitChoiceField
from units.models import Unit

PAGE_SIZE = 50
RELATED = ("unit", "period", "template", "approved_by")


class OpenForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị"), purpose="report-board")
    period = PeriodChoiceField(queryset=ReportingPeriod.objects.none(), label=gettext_lazy("Kỳ báo cáo"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.for_user(user, access.REPORT).filter(kind__in=services.REPORTING_KINDS)
        self.fields["period"].queryset = reportable_periods(user)


class FilterForm(forms.Form):
    period = PeriodChoiceField(
        queryset=ReportingPeriod.objects.none(),
        required=False,
        label=gettext_lazy("Kỳ"),
        empty_label=gettext_lazy("Mọi kỳ"),
    )
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("Mọi trạng thái")), *ReportStatus.choices],
        required=False,
        label=gettext_lazy("Trạng thái"),
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


def _open_initial(user) -> dict:
    initial = {}
    units = list(
        access.for_user(user, access.REPORT).filter(kind__in=services.REPORTING_KINDS).order_by("depth", "pk")[:2]
    )
    if len(units) == 1:
        initial["unit"] = units[0].pk
    today = timezone.localdate()
    period = reportable_periods(user).filter(due_date__gte=today).order_by("due_date", "pk").first()
    if period:
        initial["period"] = period.pk
    return initial


@login_required
def report_list(request, open_form=None, status=200):
    user = request.user
    qs = access.for_user(user, access.VIEW, UnitReport.objects.select_related(*RELATED))
    periods = (
        ReportingPeriod.objects.filter(pk__in=qs.order_by().values("period_id")) | reportable_periods(user)
    ).distinct()
    form = FilterForm(request.GET or None, periods=periods, auto_id="f_%s")
    if form.is_bound:
        form.is_valid()
        d = form.cleaned_data
        if d.get("period"):
            qs = qs.filter(period=d["period"])
        if d.get("status"):
            qs = qs.filter(status=d["status"])
    qs = qs.order_by("-period__year", "-period__data_end", "unit__path", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    reviewable = set()
    if access.can(user, access.REVIEW) and rows:
        reviewable = set(
            access.for_user(
                user, access.REVIEW, UnitReport.objects.filter(pk__in=[r.pk for r in rows], status__in=AWAITING_REVIEW)
            ).values_list("pk", flat=True)
        )
    for r in rows:
        r.reviewable = r.pk in reviewable
    can_open = access.can(user, access.REPORT)
    if can_open and open_form is None:
        open_form = OpenForm(user=user, initial=_open_initial(user))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/report_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "form": form,
            "open_form": open_form if can_open else None,
            "bulk": bool(reviewable),
            "query_string": query.urlencode(),
        },
        status=status,
    )


@login_required
@require_POST
def report_open(request):
    if not access.can(request.user, access.REPORT):
        raise PermissionDenied
    form = OpenForm(request.POST, user=request.user)
    if not form.is_valid():
        return report_list(request, open_form=form, status=400)
    try:
        report = services.report_open(
            actor=request.user, unit=form.cleaned_data["unit"], period=form.cleaned_data["period"]
        )
    except ValidationError as exc:
        form.add_error(None, list(exc.messages))
        return report_list(request, open_form=form, status=400)
    return redirect("report-detail", pk=report.pk)


# --- The report page ---------------------------------------------------------------------


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _tables(report: UnitReport, posted=None, errors=None):
    previous = services.previous_values(report)
    values = list(
        report.values.select_related("indicator__table").order_by(
            "indicator__table__order", "indicator__order", "indicator__code"
        )
    )
    tables, current = [], None
    for v in values:
        ind = v.indicator
        if current is None or current["table"].pk != ind.table_id:
            current = {"table": ind.table, "rows": []}
            tables.append(current)
        v.previous = previous.get(ind.code)
        if posted is not None:
            v.input_value = posted.get(f"value-{v.pk}", "")
            v.input_reason = posted.get(f"reason-{v.pk}", "")
        else:
            v.input_value = _plain(v.value)
            v.input_reason = v.override_reason
        v.error = (errors or {}).get(str(v.pk))
        v.overridden = ind.is_computed and v.value != v.computed
        current["rows"].append(v)
    return tables


def _detail(request, report: UnitReport, *, posted=None, errors=None, problems=None, stale=None, status=200):
    user = request.user
    can_report = access.can(user, access.REPORT, report.unit)
    can_review = access.can(user, access.REVIEW, report.unit)
    if can_report:
        services.refresh_if_editable(report)
    problem = services.edit_problem(report)
    editing = can_report and problem is None
    sections = list(report.sections.select_related("section"))
    for s in sections:
        s.input_text = posted.get(f"section-{s.pk}", "") if posted is not None else s.text
    events = list(report.events.select_related("actor").order_by("-at", "-pk"))
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "tables": _tables(report, posted, errors),
            "sections": sections,
            "events": events,
            "editing": editing,
            "edit_problem": problem if can_report and report.status in ("draft", "returned") else None,
            "can_review": can_review and report.status in AWAITING_REVIEW,
            "can_lock": can_review and report.status == ReportStatus.APPROVED,
            "can_except": can_review and report.status in ("draft", "returned") and problem is not None,
            "last_return": next((e for e in events if e.action == ReportEvent.Action.RETURN), None),
            "problems": problems or [],
            "stale": stale,
            "header": posted if posted is not None else None,
        },
        status=status,
    )


@login_required
def report_detail(request, pk):
    report = access.get_for_user(request.user, access.VIEW, UnitReport.objects.select_related(*RELATED), pk=pk)
    return _detail(request, report)


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


def _is_stale(exc: ValidationError) -> bool:
    return any(getattr(e, "code", None) == "stale" for e in getattr(exc, "error_list", [exc]))


def _parse_date(raw: str) -> dt.date | None | str:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return forms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"]).clean(raw)
    except ValidationError:
        return "invalid"


@login_required
@require_POST
def report_save(request, pk):
    """Save the figures, sections and heading; with ``submit``, then send the report."""
    report = access.get_for_user(request.user, access.REPORT, UnitReport.objects.select_related(*RELATED), pk=pk)
    post = request.POST
    values = {
        v.pk: (post.get(f"value-{v.pk}"), post.get(f"reason-{v.pk}", ""))
        for v in report.values.all()
        if f"value-{v.pk}" in post
    }
    sections = {s.pk: post.get(f"section-{s.pk}", "") for s in report.sections.all() if f"section-{s.pk}" in post}
    doc_date = _parse_date(post.get("doc_date", ""))
    if doc_date == "invalid":
        return _detail(request, report, posted=post, problems=[_("Ngày văn bản phải có dạng dd/mm/yyyy.")], status=400)
    header = {
        "doc_number": post.get("doc_number", "").strip()[:64],
        "doc_date": doc_date,
        "signer_name": post.get("signer_name", "").strip()[:120],
        "signer_title": post.get("signer_title", "").strip()[:120],
    }
    try:
        services.report_save(
            actor=request.user,
            report=report,
            values=values,
            sections=sections,
            header=header,
            expected_version=_version(request),
        )
        if "submit" in post:
            services.report_submit(actor=request.user, report=report, expected_version=report.version)
    except ValidationError as exc:
        report.refresh_from_db()
        if _is_stale(exc):
            return _detail(request, report, posted=post, stale=exc.messages[0], status=409)
        if hasattr(exc, "error_dict"):
            errors = {
                k: v[0].messages[0] if hasattr(v[0], "messages") else str(v[0]) for k, v in exc.error_dict.items()
            }
            return _detail(
                request,
                report,
                posted=post,
                errors=errors,
                problems=[_("Có số liệu chưa hợp lệ, xem các ô được đánh dấu.")],
                status=400,
            )
        return _detail(request, report, posted=post, problems=exc.messages, status=400)
    if "submit" in post:
        messages.success(request, _("Đã gửi báo cáo. Người thẩm định sẽ xem xét và phản hồi."))
    else:
        messages.success(request, _("Đã lưu bản nháp."))
    return redirect("report-detail", pk=report.pk)


@login_required
@require_POST
def report_action(request, pk, action):
    report = access.get_for_user(request.user, access.REVIEW, UnitReport.objects.select_related(*RELATED), pk=pk)
    post = request.POST
    try:
        if action == "tra-lai":
            services.report_return(
                actor=request.user, report=report, reason=post.get("reason", ""), expected_version=_version(request)
            )
            done = _("Đã trả lại báo cáo cho đơn vị.")
        elif action == "phe-duyet":
            services.report_approve(
                actor=request.user, report=report, comment=post.get("comment", ""), expected_version=_version(request)
            )
            done = _("Đã phê duyệt báo cáo.")
        elif action == "khoa":
            services.report_lock(actor=request.user, report=report, expected_version=_version(request))
            done = _("Đã khóa báo cáo.")
        elif action == "cho-phep-sua":
            until = _parse_date(post.get("until", ""))
            if until == "invalid":
                raise ValidationError(_("Ngày phải có dạng dd/mm/yyyy."))
            services.report_grant_exception(
                actor=request.user, report=report, until=until, comment=post.get("comment", "")
            )
            done = _("Đơn vị được sửa báo cáo đến hết ngày %(date)s.") % {"date": until.strftime("%d/%m/%Y")}
        else:
            raise Http404
    except ValidationError as exc:
        report.refresh_from_db()
        if _is_stale(exc):
            return _detail(request, report, stale=exc.messages[0], status=409)
        return _detail(request, report, problems=exc.messages, status=400)
    messages.success(request, done)
    return redirect("report-detail", pk=report.pk)


@login_required
@require_POST
def report_bulk_approve(request):
    user = request.user
    if not access.can(user, access.REVIEW):
        raise PermissionDenied
    ids = [int(v) for v in request.POST.getlist("reports") if v.isdigit()]
    back = reverse("report-list") + ("?" + request.POST["query"] if request.POST.get("query") else "")
    if not ids:
        messages.warning(request, _("Chưa chọn báo cáo nào để phê duyệt."))
        return redirect(back)
    chosen = UnitReport.objects.filter(pk__in=ids)
    if not access.for_user(user, access.VIEW, chosen).exists():
        raise Http404
    allowed = access.for_user(user, access.REVIEW, chosen)
    if not allowed.exists():
        raise PermissionDenied
    n = services.reports_bulk_approve(actor=user, reports=allowed)
    messages.success(request, _("Đã phê duyệt %(n)s báo cáo.") % {"n": n})
    skipped = len(ids) - n
    if skipped:
        messages.warning(
            request,
            _("%(n)s báo cáo không ở trạng thái chờ thẩm định hoặc ngoài phạm vi nên không phê duyệt.")
            % {"n": skipped},
        )
    return redirect(back)
