"""Routes of urls_progress (included by reports/urls.py)."""

from django.urls import path

from reports import views_progress

urlpatterns = [
    path("bao-cao/tien-do/", views_progress.completeness_page, name="report-completeness"),
    path("bao-cao/nhac-nho/", views_progress.reminder_list, name="report-reminders"),
]
