"""Routes of the dashboard: the page (included by reports/urls.py) and its JSON series
(``api_urlpatterns``, included under /api/v1/dashboard/ by qcdc_portal/api.py)."""

from django.urls import path

from reports import views_dashboard

urlpatterns = [
    path("bang-dieu-khien/", views_dashboard.dashboard, name="dashboard"),
]

api_urlpatterns = [
    path(f"{series}/", view.as_view(), name=f"api-dashboard-{series}")
    for series, view in views_dashboard.API_VIEWS.items()
]
