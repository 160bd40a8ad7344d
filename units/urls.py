from django.urls import path

from units import views, views_import

urlpatterns = [
    path("", views.home, name="home"),
    path("pham-vi/", views.my_scope, name="my-scope"),
    path("don-vi/", views.unit_list, name="unit-list"),
    path("don-vi/chon/", views.unit_picker, name="unit-picker"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("don-vi/<int:pk>/sua/", views.unit_edit, name="unit-edit"),
    path("co-quan/them/", views.agency_create, name="agency-create"),
    path("thon/them/", views.hamlet_create, name="hamlet-create"),
    path("nhap-excel/<str:what>/", views_import.unit_import, name="unit-import"),
    path("nhap-excel/<str:what>/mau.xlsx", views_import.unit_import_template, name="unit-import-template"),
    path("tai-khoan/", views.account_list, name="account-list"),
    path("tai-khoan/them/", views.account_create, name="account-create"),
    path("tai-khoan/<int:pk>/", views.account_detail, name="account-detail"),
    path("tai-khoan/<int:pk>/khoa/", views.account_toggle_active, name="account-toggle"),
    path("phan-quyen/<int:pk>/thu-hoi/", views.grant_revoke, name="grant-revoke"),
]
