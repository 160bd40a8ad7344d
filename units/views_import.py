"""Bulk import of agencies and hamlets from Excel: the upload page and the template download."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units import access, imports

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ERRORS_SHOWN = 500

PAGES = {
    "co-quan": {
        "title": gettext_lazy("Nhập cơ quan, đơn vị, doanh nghiệp từ Excel"),
        "filename": "mau-nhap-co-quan.xlsx",
    },
    "thon": {
        "title": gettext_lazy("Nhập thôn, tổ dân phố từ Excel"),
        "filename": "mau-nhap-thon.xlsx",
    },
}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}", "class": "form-control"},
        ),
    )


def _page(request, what: str) -> dict:
    if what not in PAGES:
        raise Http404
    if not access.can(request.user, access.MANAGE_UNITS):
        raise PermissionDenied
    return PAGES[what]


@login_required
def unit_import(request, what):
    page = _page(request, what)
    spec = imports.get_spec(what)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    result = None
    if form.is_bound and form.is_valid():
        result = imports.import_units_xlsx(user=request.user, what=what, fileobj=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _("Đã nhập %(n)s %(noun)s.") % {"n": result.created, "noun": spec.noun})
            return redirect("unit-list")
    return render(
        request,
        "units/unit_import.html",
        {
            "form": form,
            "what": what,
            "title": page["title"],
            "spec": spec,
            "result": result,
            "errors_shown": result.errors[:MAX_ERRORS_SHOWN] if result else [],
            "errors_hidden": max(0, len(result.errors) - MAX_ERRORS_SHOWN) if result else 0,
            "max_rows": imports.MAX_ROWS,
            "max_mb": imports.MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


@login_required
def unit_import_template(request, what):
    page = _page(request, what)
    response = HttpResponse(imports.template_workbook(what), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{page["filename"]}"'
    response["Cache-Control"] = "no-store"
    return response
