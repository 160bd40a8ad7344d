"""/api/v1/: each app contributes its routes here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from boards import api as boards_api
from criteria import api as criteria_api
from dialogues import api as dialogues_api
from reports import api as reports_api
from reports import views_progress as reports_progress
from reports.urls_dashboard import api_urlpatterns as dashboard_api
from units import api as units_api

router = DefaultRouter()
units_api.register(router)
dialogues_api.register(router)
boards_api.register(router)
criteria_api.register(router)
reports_api.register(router)

api_urlpatterns = [
    path("me/", units_api.MeApi.as_view(), name="api-me"),
    path("figures/dialogues/", dialogues_api.DialogueFiguresApi.as_view(), name="api-figures-dialogues"),
    path("figures/reception/", dialogues_api.ReceptionFiguresApi.as_view(), name="api-figures-reception"),
    path("figures/boards/", boards_api.BoardFiguresApi.as_view(), name="api-figures-boards"),
    path("completeness/", reports_progress.CompletenessApi.as_view(), name="api-completeness"),
    path("dashboard/", include(dashboard_api)),
    path("", include(router.urls)),
]
