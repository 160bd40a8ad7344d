from django.urls import path

from criteria import views_ranking, views_sets, views_sheets

urlpatterns: list = [
    # Criteria sets (criteria/views_sets.py)
    path("tieu-chi/", views_sets.set_list, name="criteria-set-list"),
    path("tieu-chi/them/", views_sets.set_create, name="criteria-set-create"),
    path("tieu-chi/nhap-excel/", views_sets.set_import, name="criteria-set-import"),
    path("tieu-chi/<int:pk>/", views_sets.set_detail, name="criteria-set-detail"),
    path("tieu-chi/<int:pk>/sua/", views_sets.set_edit, name="criteria-set-edit"),
    path("tieu-chi/<int:pk>/ban-hanh/", views_sets.set_publish, name="criteria-set-publish"),
    path("tieu-chi/<int:pk>/sao-chep/", views_sets.set_copy, name="criteria-set-copy"),
    path("tieu-chi/<int:pk>/xuat.xlsx", views_sets.set_export, name="criteria-set-export"),
    # Score sheets (criteria/views_sheets.py)
    path("cham-diem/", views_sheets.sheet_list, name="sheet-list"),
    path("cham-diem/tao/", views_sheets.sheet_create, name="sheet-create"),
    path("cham-diem/cong-bo/", views_sheets.sheet_publish, name="sheet-publish"),
    path("cham-diem/<int:pk>/", views_sheets.sheet_detail, name="sheet-detail"),
    path("cham-diem/<int:pk>/tu-cham/", views_sheets.sheet_self_score, name="sheet-self-score"),
    path("cham-diem/<int:pk>/gui/", views_sheets.sheet_submit, name="sheet-submit"),
    path("cham-diem/<int:pk>/tham-dinh/", views_sheets.sheet_review, name="sheet-review"),
    path("cham-diem/<int:pk>/tra-lai/", views_sheets.sheet_return, name="sheet-return"),
    path("cham-diem/<int:pk>/xem-xet-lai/", views_sheets.sheet_appeal, name="sheet-appeal"),
    path("cham-diem/dong/<int:pk>/minh-chung/", views_sheets.evidence_upload, name="evidence-upload"),
    path("minh-chung/<int:pk>/", views_sheets.evidence_download, name="evidence-download"),
    # Ranking and Biểu 13 (criteria/views_ranking.py)
    path("xep-loai/", views_ranking.ranking, name="ranking"),
    path("xep-loai/bieu-13.xlsx", views_ranking.ranking_export, name="ranking-export"),
]
