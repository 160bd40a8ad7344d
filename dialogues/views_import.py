"""Bulk import of dialogue sessions with their petitions from Excel: the upload page and the template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dialogues import imports
from qcdc_portal.lib.xlsx import XLSX_CONTENT_TYPE
from units import access
from units.views_import import MAX_ERRORS_SHOWN, ImportUploadForm

TEMPLATE_FILENAME = "mau-nhap-hoi-nghi-doi-thoai.xlsx"


def _require_report(user) -> None:
    if not access.can(user, access.REPORT):
        raise PermissionDenied


@login_required
def dialogue_import(request):
    _require_report(request.user)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    result = None
    if form.is_bound and form.is_valid():
        result = imports.import_dialogues_xlsx(user=request.user, fileobj=form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                _("Đã nhập %(s)s hội nghị đối thoại và %(p)s ý kiến, kiến nghị.")
                % {"s": result.created_sessions, "p": result.created_petitions},
            )
            return redirect("dialogue-list")
    return render(
        request,
        "dialogues/dialogue_import.html",
        {
            "form": form,
            "title": _("Nhập hội nghị đối thoại từ Excel"),
            "result": result,
            "errors_shown": result.errors[:MAX_ERRORS_SHOWN] if result else [],
            "errors_hidden": max(0, len(result.errors) - MAX_ERRORS_SHOWN) if result else 0,
            "session_sheet": imports.SESSION_SHEET,
            "petition_sheet": imports.PETITION_SHEET,
            "session_columns": imports.SESSION_COLUMNS,
            "petition_columns": imports.PETITION_COLUMNS,
            "max_rows": imports.MAX_ROWS,
            "max_mb": imports.MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


@login_required
def dialogue_import_template(request):
    _require_report(request.user)
    response = HttpResponse(imports.template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
    response["Cache-Control"] = "no-store"
    return response
