from django.urls import include, path

from reports import views

urlpatterns = [
    path("bao-cao/", views.report_list, name="report-list"),
    path("bao-cao/mo/", views.report_open, name="report-open"),
    path("bao-cao/phe-duyet-hang-loat/", views.report_bulk_approve, name="report-bulk-approve"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report-detail"),
    path("bao-cao/<int:pk>/luu/", views.report_save, name="report-save"),
    path(
        "bao-cao/<int:pk>/<slug:action>/",
        views.report_action,
        name="report-action",
    ),
    path("", include("reports.urls_config")),
    path("", include("reports.urls_progress")),
    path("", include("reports.urls_dashboard")),
    path("", include("reports.urls_compile")),
]
