"""Score sheets in the browser: the list, the self-scoring page (phone first), the reviewer's
side-by-side view, return, appeal, publication by the steering committee, and evidence
files served only through access-checked views (DOMAIN.md §4.7, §5.4)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from criteria import services
from criteria.models import Evidence, ScoreLine, ScoreSheet
from reports.models import ReportingPeriod
from units import access
from units.forms import UnitChoiceField
from units.models import AGENCY_KINDS, Unit, UnitKind

PAGE_SIZE = 50
SHEET_RELATED = ("unit", "period", "criteria_set", "reviewed_by")
# Units that keep score sheets: communes and agencies (never provinces, districts, hamlets).
SHEET_KINDS = [UnitKind.COMMUNE, *AGENCY_KINDS]


# --- Forms ---------------------------------------------------------------------------------


def _period_label(period: ReportingPeriod) -> str:
    return f"{period.label} ({period.year})"


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _period_label(obj)


class SheetCreateForm(forms.Form):
    """A new score sheet: one of the reporter's communes or agencies, and a period of its province."""

    unit = UnitChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị"), purpose="report-board")
    period = PeriodChoiceField(queryset=ReportingPeriod.objects.none(), label=gettext_lazy("Kỳ đánh giá"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.for_user(user, access.REPORT).filter(kind__in=SHEET_KINDS)
        self.fields["period"].queryset = reportable_periods(user)

    def clean(self):
        cleaned = super().clean()
        unit, period = cleaned.get("unit"), cleaned.get("period")
        if unit and period:
            if not services.periods_for_unit(unit).filter(pk=period.pk).exists():
                self.add_error("period", _("Kỳ này không thuộc tỉnh của đơn vị đã chọn."))
            else:
                cleaned["criteria_set"] = services.set_for(unit, period)
                if cleaned["criteria_set"] is None:
                    self.add_error(
                        None,
                        _(
                            "Chưa có bộ tiêu chí đã ban hành áp dụng cho %(unit)s trong năm %(year)s. "
                            "Hãy liên hệ Ban Chỉ đạo cấp tỉnh."
                        )
                        % {"unit": unit.name, "year": period.year},
                    )
        return cleaned


def reportable_periods(user):
    """The periods of the provinces where ``user`` may report (a reporter's VIEW scope does not
    reach the province, so the province is read from the first id of each granted path)."""
    scope = access.scope(user, access.REPORT)
    if scope.everything:
        return ReportingPeriod.objects.all()
    provinces = {int(path.strip("/").split("/")[0]) for path in scope.paths}
    return ReportingPeriod.objects.filter(province_id__in=provinces)


class SheetFilterForm(forms.Form):
    period = PeriodChoiceField(
        queryset=ReportingPeriod.objects.none(),
        required=False,
        label=gettext_lazy("Kỳ"),
        empty_label=gettext_lazy("Mọi kỳ"),
    )
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("Mọi trạng thái")), *ScoreSheet.Status.choices],
        required=False,
        label=gettext_lazy("Trạng thái"),
    )
    kind = forms.ChoiceField(
        choices=[("", gettext_lazy("Mọi loại đơn vị")), *[(k, UnitKind(k).label) for k in SHEET_KINDS]],
        required=False,
        label=gettext_lazy("Loại đơn vị"),
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


# --- Helpers -------------------------------------------------------------------------------


def _plain(value: Decimal | None) -> str:
    """A Decimal as a number input wants it: "18", "17.5" (never "2E+1" or "18,00")."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def _parse_points(raw: str | None, what: str, errors: list[str]) -> Decimal | None:
    raw = (raw or "").strip().replace(",", ".")
    if raw == "":
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors.append(_("%(what)s: điểm phải là một số.") % {"what": what})
        return None
    if not value.is_finite() or value.as_tuple().exponent < -2:
        errors.append(_("%(what)s: điểm có nhiều nhất 2 chữ số thập phân.") % {"what": what})
        return None
    return value


def _posted_version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0  # never a real version: the save is refused as stale


def _is_stale(exc: ValidationError) -> bool:
    return any(getattr(e, "code", None) == "stale" for e in getattr(exc, "error_list", [exc]))


def _messages_of(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _sheet_queryset():
    return ScoreSheet.objects.select_related(*SHEET_RELATED)


def _lines(sheet: ScoreSheet) -> list[ScoreLine]:
    return list(sheet.lines.select_related("criterion").prefetch_related("evidence").order_by("criterion__order", "pk"))


def _can_review_now(sheet: ScoreSheet) -> bool:
    return sheet.status in (ScoreSheet.Status.SUBMITTED, ScoreSheet.Status.REVIEWED) or (
        sheet.status == ScoreSheet.Status.PUBLISHED and sheet.appeal == ScoreSheet.Appeal.REQUESTED
    )


# --- List, create, publish ------------------------------------------------------------------


@login_required
def sheet_list(request, create_form=None, status=200):
    user = request.user
    qs = access.for_user(user, access.VIEW, _sheet_queryset())
    periods = ReportingPeriod.objects.filter(pk__in=qs.order_by().values("period_id")) | reportable_periods(user)
    form = SheetFilterForm(request.GET or None, periods=periods.distinct(), auto_id="f_%s")
    if form.is_bound:
        form.is_valid()
        d = form.cleaned_data  # only the fields that parsed
        if d.get("period"):
            qs = qs.filter(period=d["period"])
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("kind"):
            qs = qs.filter(unit__kind=d["kind"])
    qs = qs.order_by("-period__year", "period__data_end", "unit__path", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    can_steer = access.can(user, access.STEER)
    publishable = set()
    if can_steer and rows:
        publishable = set(
            access.for_user(
                user,
                access.STEER,
                ScoreSheet.objects.filter(pk__in=[s.pk for s in rows], status=ScoreSheet.Status.REVIEWED),
            ).values_list("pk", flat=True)
        )
    for sheet in rows:
        sheet.publishable = sheet.pk in publishable
    can_create = access.can(user, access.REPORT)
    if can_create and create_form is None:
        create_form = SheetCreateForm(user=user, initial=_create_initial(user))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "criteria/sheet_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "form": form,
            "create_form": create_form if can_create else None,
            "publishable": bool(publishable),
            "query_string": query.urlencode(),
        },
        status=status,
    )


def _create_initial(user) -> dict:
    """The reporter's own commune or agency and the latest period, pre-selected."""
    initial = {}
    units = list(access.for_user(user, access.REPORT).filter(kind__in=SHEET_KINDS).order_by("depth", "pk")[:2])
    if len(units) == 1 or (len(units) == 2 and units[0].depth < units[1].depth):
        initial["unit"] = units[0].pk
        period = services.periods_for_unit(units[0]).order_by("-year", "-data_end", "-pk").first()
        if period:
            initial["period"] = period.pk
    return initial


@login_required
@require_POST
def sheet_create(request):
    if not access.can(request.user, access.REPORT):
        raise PermissionDenied
    form = SheetCreateForm(request.POST, user=request.user)
    if not form.is_valid():
        return sheet_list(request, create_form=form)
    d = form.cleaned_data
    existing = ScoreSheet.objects.filter(unit=d["unit"], period=d["period"], criteria_set=d["criteria_set"]).first()
    if existing:
        messages.info(request, _("Đơn vị đã có phiếu chấm điểm cho kỳ này."))
        return redirect("sheet-detail", pk=existing.pk)
    try:
        sheet = services.sheet_create(
            actor=request.user, unit=d["unit"], period=d["period"], criteria_set=d["criteria_set"]
        )
    except ValidationError as exc:
        form.add_error(None, _messages_of(exc))
        return sheet_list(request, create_form=form)
    messages.success(
        request,
        _("Đã tạo phiếu chấm điểm theo “%(set)s”. Hãy tự chấm từng tiêu chí rồi bấm “Lưu”.")
        % {"set": sheet.criteria_set.name},
    )
    return redirect("sheet-detail", pk=sheet.pk)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def sheet_publish(request):
    """The steering committee publishes reviewed results, which locks the sheets."""
    user = request.user
    if not access.can(user, access.STEER):
        raise PermissionDenied
    ids = [int(v) for v in request.POST.getlist("sheets") if v.isdigit()]
    back = _safe_next(request, reverse("sheet-list"))
    if not ids:
        messages.warning(request, _("Chưa chọn phiếu nào để công bố."))
        return redirect(back)
    chosen = ScoreSheet.objects.filter(pk__in=ids)
    if not access.for_user(user, access.VIEW, chosen).exists():
        raise Http404
    sheets = list(access.for_user(user, access.STEER, chosen))
    if not sheets:
        raise PermissionDenied
    n = services.results_publish(actor=user, sheets=sheets)
    messages.success(request, _("Đã công bố %(n)s phiếu.") % {"n": n})
    skipped = len(sheets) - n
    if skipped:
        messages.warning(
            request, _("%(n)s phiếu chưa thẩm định hoặc đã công bố nên không công bố lần này.") % {"n": skipped}
        )
    return redirect(back)


# --- The sheet page (self-scoring for the unit, read-only for the others) -----------------


def _detail(
    request,
    sheet: ScoreSheet,
    *,
    posted=None,
    errors=None,
    stale=None,
    upload_errors=None,
    appeal_errors=None,
    status=200,
):
    user = request.user
    can_report = access.can(user, access.REPORT, sheet.unit)
    can_review = access.can(user, access.REVIEW, sheet.unit)
    editing = can_report and sheet.status == ScoreSheet.Status.DRAFT
    can_upload = can_report and services.sheet_can_upload(sheet)
    lines = _lines(sheet)
    missing = services.missing_evidence(sheet)
    missing_ids = {c.pk for c in missing}
    upload_errors = upload_errors or {}
    for line in lines:
        c = line.criterion
        if posted is not None:
            line.input_value = posted.get(f"points-{line.pk}", "")
            line.input_note = posted.get(f"note-{line.pk}", "")
        else:
            line.input_value = _plain(line.self_points)
            line.input_note = line.self_note
        line.missing = c.pk in missing_ids
        line.upload_error = upload_errors.get(line.pk)
        line.max_plain = _plain(c.max_points)
        line.differs = line.review_points is not None and line.review_points != line.self_points
    step = sheet.criteria_set.score_step
    return render(
        request,
        "criteria/sheet_detail.html",
        {
            "sheet": sheet,
            "lines": lines,
            "missing": missing,
            "editing": editing,
            "can_report": can_report,
            "can_review": can_review,
            "can_upload": can_upload,
            "can_appeal": can_report
            and sheet.status == ScoreSheet.Status.PUBLISHED
            and sheet.appeal == ScoreSheet.Appeal.NONE,
            "can_publish": sheet.status == ScoreSheet.Status.REVIEWED and access.can(user, access.STEER, sheet.unit),
            "step": _plain(step) if step else "any",
            "offset": _plain(sheet.bonus - sheet.penalty),
            "max_total": sheet.criteria_set.total_points - sheet.criteria_set.superior_points_max,
            "evidence_kinds": Evidence.Kind.choices,
            "errors": errors or [],
            "stale": stale,
            "appeal_errors": appeal_errors or [],
            "appeal_note": (posted or {}).get("appeal_note", ""),
        },
        status=status,
    )


@login_required
def sheet_detail(request, pk):
    sheet = access.get_for_user(request.user, access.VIEW, _sheet_queryset(), pk=pk)
    return _detail(request, sheet)


def _collect(request, lines, field: str, note_field: str, errors: list[str]):
    """{line_id: (points, note)} for the lines the form posted."""
    points = {}
    for line in lines:
        name = f"{field}-{line.pk}"
        if name not in request.POST:
            continue
        what = _("Tiêu chí %(code)s") % {"code": line.criterion.code}
        value = _parse_points(request.POST.get(name), what, errors)
        points[line.pk] = (value, request.POST.get(f"{note_field}-{line.pk}", "").strip())
    return points


@login_required
@require_POST
def sheet_self_score(request, pk):
    """Save every line at once, against the version the page was loaded with."""
    sheet = access.get_for_user(request.user, access.REPORT, _sheet_queryset(), pk=pk)
    lines = list(sheet.lines.select_related("criterion"))
    errors: list[str] = []
    points = _collect(request, lines, "points", "note", errors)
    if not errors:
        try:
            services.sheet_self_score(
                actor=request.user, sheet=sheet, points=points, expected_version=_posted_version(request)
            )
        except ValidationError as exc:
            if _is_stale(exc):
                sheet.refresh_from_db()
                return _detail(request, sheet, posted=request.POST, stale=_messages_of(exc)[0], status=409)
            errors = _messages_of(exc)
        else:
            sheet.refresh_from_db()
            messages.success(
                request,
                _("Đã lưu. Tổng điểm tự chấm: %(total)s — tự xếp loại: %(cls)s.")
                % {"total": _plain(sheet.self_total).replace(".", ","), "cls": sheet.self_class or "—"},
            )
            return redirect("sheet-detail", pk=sheet.pk)
    return _detail(request, sheet, posted=request.POST, errors=errors)


@login_required
@require_POST
def sheet_submit(request, pk):
    sheet = access.get_for_user(request.user, access.REPORT, _sheet_queryset(), pk=pk)
    try:
        services.sheet_submit(actor=request.user, sheet=sheet)
    except ValidationError as exc:
        sheet.refresh_from_db()
        return _detail(request, sheet, errors=_messages_of(exc))
    messages.success(request, _("Đã gửi phiếu chấm điểm để thẩm định."))
    return redirect("sheet-detail", pk=sheet.pk)


@login_required
@require_POST
def sheet_appeal(request, pk):
    """One appeal round after publication; the unit may then add new evidence."""
    sheet = access.get_for_user(request.user, access.REPORT, _sheet_queryset(), pk=pk)
    try:
        services.sheet_appeal(actor=request.user, sheet=sheet, note=request.POST.get("appeal_note", ""))
    except ValidationError as exc:
        sheet.refresh_from_db()
        return _detail(request, sheet, posted=request.POST, appeal_errors=_messages_of(exc))
    messages.success(
        request, _("Đã gửi đề nghị xem xét lại. Đơn vị có thể bổ sung minh chứng cho đến khi có kết quả xem xét.")
    )
    return redirect("sheet-detail", pk=sheet.pk)


# --- Review ------------------------------------------------------------------------------------


def _review_page(request, sheet: ScoreSheet, *, posted=None, errors=None, stale=None, return_errors=None, status=200):
    lines = _lines(sheet)
    for line in lines:
        if posted is not None:
            line.input_value = posted.get(f"review-{line.pk}", "")
            line.input_note = posted.get(f"rnote-{line.pk}", "")
        else:
            value = line.review_points if line.review_points is not None else line.self_points
            line.input_value = _plain(value)
            line.input_note = line.review_note
        line.self_plain = _plain(line.self_points)
        line.max_plain = _plain(line.criterion.max_points)
        try:
            shown = Decimal(line.input_value.replace(",", ".")) if line.input_value else None
        except InvalidOperation:
            shown = None
        line.differs = shown is not None and shown != line.self_points
    cs = sheet.criteria_set
    superior = posted.get("superior_points", "") if posted is not None else _plain(sheet.superior_points)
    step = cs.score_step
    return render(
        request,
        "criteria/sheet_review.html",
        {
            "sheet": sheet,
            "lines": lines,
            "editable": _can_review_now(sheet),
            "can_return": sheet.status == ScoreSheet.Status.SUBMITTED,
            "has_superior": cs.superior_points_max > 0,
            "superior": superior,
            "superior_max": _plain(cs.superior_points_max),
            "step": _plain(step) if step else "any",
            "offset": _plain(sheet.bonus - sheet.penalty),
            "errors": errors or [],
            "stale": stale,
            "return_errors": return_errors or [],
            "return_reason": (posted or {}).get("reason", ""),
        },
        status=status,
    )


@login_required
def sheet_review(request, pk):
    """Self and review side by side; a note is required wherever the points differ."""
    sheet = access.get_for_user(request.user, access.REVIEW, _sheet_queryset(), pk=pk)
    if request.method != "POST":
        return _review_page(request, sheet)
    lines = list(sheet.lines.select_related("criterion"))
    errors: list[str] = []
    points = _collect(request, lines, "review", "rnote", errors)
    superior = None
    if sheet.criteria_set.superior_points_max > 0:
        superior = _parse_points(request.POST.get("superior_points"), _("Điểm cấp trên chấm"), errors)
    if not errors:
        try:
            services.sheet_review(
                actor=request.user,
                sheet=sheet,
                points=points,
                superior_points=superior,
                expected_version=_posted_version(request),
            )
        except ValidationError as exc:
            if _is_stale(exc):
                sheet.refresh_from_db()
                return _review_page(request, sheet, posted=request.POST, stale=_messages_of(exc)[0], status=409)
            errors = _messages_of(exc)
        else:
            sheet.refresh_from_db()
            messages.success(
                request,
                _("Đã lưu kết quả thẩm định: %(total)s điểm — xếp loại %(cls)s.")
                % {"total": _plain(sheet.review_total).replace(".", ","), "cls": sheet.review_class or "—"},
            )
            return redirect("sheet-review", pk=sheet.pk)
    return _review_page(request, sheet, posted=request.POST, errors=errors)


@login_required
@require_POST
def sheet_return(request, pk):
    sheet = access.get_for_user(request.user, access.REVIEW, _sheet_queryset(), pk=pk)
    try:
        services.sheet_return_to_draft(actor=request.user, sheet=sheet, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        sheet.refresh_from_db()
        return _review_page(request, sheet, return_errors=_messages_of(exc))
    messages.success(request, _("Đã trả lại phiếu cho đơn vị tự chấm lại."))
    return redirect("sheet-detail", pk=sheet.pk)


# --- Evidence ----------------------------------------------------------------------------------


@login_required
@require_POST
def evidence_upload(request, pk):
    line = access.get_for_user(
        request.user, access.REPORT, ScoreLine.objects.select_related("criterion", "sheet"), pk=pk
    )
    sheet = _sheet_queryset().get(pk=line.sheet_id)
    upload = request.FILES.get("file")
    kind = request.POST.get("kind", Evidence.Kind.EVIDENCE)
    problem = None
    if upload is None:
        problem = _("Hãy chọn tệp cần tải lên.")
    elif kind not in Evidence.Kind.values:
        problem = _("Loại tài liệu không hợp lệ.")
    else:
        try:
            services.evidence_add(actor=request.user, line=line, upload=upload, kind=kind)
        except ValidationError as exc:
            problem = " ".join(_messages_of(exc))
    if problem:
        return _detail(request, sheet, upload_errors={line.pk: problem}, errors=[problem])
    messages.success(
        request,
        _("Đã tải lên “%(name)s” cho tiêu chí %(code)s.") % {"name": upload.name, "code": line.criterion.code},
    )
    return redirect(reverse("sheet-detail", args=[sheet.pk]) + f"#line-{line.pk}")


@login_required
def evidence_download(request, pk):
    """An evidence file, served only through this access-checked view (VIEW on the sheet)."""
    evidence = access.get_for_user(request.user, access.VIEW, Evidence.objects.all(), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name or "minh-chung")
