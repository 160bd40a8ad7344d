from django.urls import path

from dialogues import views, views_import, views_reception

urlpatterns = [
    path("doi-thoai/", views.dialogue_list, name="dialogue-list"),
    path("doi-thoai/them/", views.dialogue_create, name="dialogue-create"),
    path("doi-thoai/dong-kien-nghi/", views.petition_row, name="petition-row"),
    path("doi-thoai/nhap-excel/", views_import.dialogue_import, name="dialogue-import"),
    path("doi-thoai/nhap-excel/mau.xlsx", views_import.dialogue_import_template, name="dialogue-import-template"),
    path("doi-thoai/<int:pk>/", views.dialogue_detail, name="dialogue-detail"),
    path("doi-thoai/<int:pk>/sua/", views.dialogue_edit, name="dialogue-edit"),
    path("doi-thoai/<int:pk>/bien-ban/", views.dialogue_minutes, name="dialogue-minutes"),
    path("kien-nghi/", views.petition_list, name="petition-list"),
    path("kien-nghi/<int:pk>/", views.petition_detail, name="petition-detail"),
    path("kien-nghi/<int:pk>/<slug:action>/", views.petition_action, name="petition-action"),
    path("tiep-cong-dan/", views_reception.reception_list, name="reception-list"),
    path("tiep-cong-dan/them/", views_reception.reception_create, name="reception-create"),
    path("tiep-cong-dan/<int:pk>/", views_reception.reception_detail, name="reception-detail"),
    path("tiep-cong-dan/<int:pk>/sua/", views_reception.reception_edit, name="reception-edit"),
]
