"""Routes of the compilations (included by reports/urls.py)."""

from django.urls import path

from reports import views_compile

urlpatterns = [
    path("tong-hop/", views_compile.compilation_list, name="compilation-list"),
    path("tong-hop/<int:pk>/", views_compile.compilation_detail, name="compilation-detail"),
    path("tong-hop/<int:pk>/tien-do/", views_compile.compilation_progress, name="compilation-progress"),
    path("tong-hop/<int:pk>/tai-ve/<slug:fmt>/", views_compile.compilation_download, name="compilation-download"),
]
