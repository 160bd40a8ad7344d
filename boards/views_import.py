"""Bulk import of board members and supervision activities from Excel: the upload page and the template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from boards import imports
from qcdc_portal.lib.xlsx import XLSX_CONTENT_TYPE
from units import access
from units.views_import import MAX_ERRORS_SHOWN, ImportUploadForm

PAGES = {
    imports.MEMBERS: {
        "title": gettext_lazy("Nhập thành viên ban từ Excel"),
        "intro": gettext_lazy(
            "Dùng để nhập một lúc nhiều thành viên Ban Thanh tra nhân dân hoặc Ban Giám sát đầu tư của cộng đồng "
            "(ví dụ khi đăng ký ban mới hoặc chuyển dữ liệu từ sổ sách). Ban phải được lập trên cổng trước."
        ),
        "filename": "mau-nhap-thanh-vien-ban.xlsx",
        "done": gettext_lazy("Đã nhập %(n)s thành viên."),
    },
    imports.ACTIVITIES: {
        "title": gettext_lazy("Nhập các cuộc giám sát từ Excel"),
        "intro": gettext_lazy(
            "Dùng để nhập một lúc nhiều cuộc giám sát của Ban Thanh tra nhân dân hoặc Ban Giám sát đầu tư của "
            "cộng đồng. Báo cáo kết quả (tệp) được tải lên sau, trên trang của từng cuộc giám sát."
        ),
        "filename": "mau-nhap-cuoc-giam-sat.xlsx",
        "done": gettext_lazy("Đã nhập %(n)s cuộc giám sát."),
    },
}


def _page(request, what: str) -> dict:
    if what not in PAGES:
        raise Http404
    if not access.can(request.user, access.REPORT):
        raise PermissionDenied
    return PAGES[what]


@login_required
def board_import(request, what):
    page = _page(request, what)
    spec = imports.get_spec(what)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    result = None
    if form.is_bound and form.is_valid():
        result = imports.import_xlsx(user=request.user, what=what, fileobj=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, str(page["done"]) % {"n": result.created})
            return redirect("inspection-board-list")
    return render(
        request,
        "boards/board_import.html",
        {
            "form": form,
            "what": what,
            "title": page["title"],
            "intro": page["intro"],
            "sheet": spec.sheet,
            "columns": spec.columns,
            "result": result,
            "errors_shown": result.errors[:MAX_ERRORS_SHOWN] if result else [],
            "errors_hidden": max(0, len(result.errors) - MAX_ERRORS_SHOWN) if result else 0,
            "max_rows": imports.MAX_ROWS,
            "max_mb": imports.MAX_UPLOAD_BYTES // (1024 * 1024),
            "other": imports.ACTIVITIES if what == imports.MEMBERS else imports.MEMBERS,
            "other_title": PAGES[imports.ACTIVITIES if what == imports.MEMBERS else imports.MEMBERS]["title"],
        },
    )


@login_required
def board_import_template(request, what):
    page = _page(request, what)
    response = HttpResponse(imports.template_workbook(what), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{page["filename"]}"'
    response["Cache-Control"] = "no-store"
    return response
