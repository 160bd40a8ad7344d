from django.urls import path

from boards import views_boards, views_import, views_projects, views_workplace

urlpatterns: list = []
urlpatterns += [
    path("cong-trinh/", views_projects.project_list, name="project-list"),
    path("cong-trinh/them/", views_projects.project_create, name="project-create"),
    path("cong-trinh/<int:pk>/", views_projects.project_detail, name="project-detail"),
    path("cong-trinh/<int:pk>/sua/", views_projects.project_edit, name="project-edit"),
    path("cong-trinh/<int:pk>/ban-giam-sat/", views_projects.community_board_create, name="community-board-create"),
    path("ban-gsdt/<int:pk>/sua/", views_projects.community_board_edit, name="community-board-edit"),
]
urlpatterns += [
    path("hoi-nghi-co-quan/", views_workplace.conference_list, name="conference-list"),
    path("hoi-nghi-co-quan/them/", views_workplace.conference_create, name="conference-create"),
    path("hoi-nghi-co-quan/chua-to-chuc/", views_workplace.conference_missing, name="conference-missing"),
    path("hoi-nghi-co-quan/<int:pk>/", views_workplace.conference_detail, name="conference-detail"),
    path("hoi-nghi-co-quan/<int:pk>/sua/", views_workplace.conference_edit, name="conference-edit"),
    path("hoi-nghi-co-quan/<int:pk>/nghi-quyet/", views_workplace.conference_file, name="conference-file"),
    path("huong-uoc/", views_workplace.convention_list, name="convention-list"),
    path("huong-uoc/them/", views_workplace.convention_create, name="convention-create"),
    path("huong-uoc/<int:pk>/", views_workplace.convention_detail, name="convention-detail"),
    path("huong-uoc/<int:pk>/sua/", views_workplace.convention_edit, name="convention-edit"),
]
urlpatterns += [
    path("ban-ttnd/", views_boards.inspection_board_list, name="inspection-board-list"),
    path("ban-ttnd/them/", views_boards.inspection_board_create, name="inspection-board-create"),
    path("ban-ttnd/<int:pk>/", views_boards.inspection_board_detail, name="inspection-board-detail"),
    path("ban-ttnd/<int:pk>/sua/", views_boards.inspection_board_edit, name="inspection-board-edit"),
    path("ban-gsdt/<int:pk>/", views_boards.community_board_detail, name="community-board-detail"),
    path("ban/<str:kind>/<int:pk>/thanh-vien/them/", views_boards.member_add, name="board-member-add"),
    path("thanh-vien/<int:pk>/thoi/", views_boards.member_end, name="board-member-end"),
    path("giam-sat/", views_boards.supervision_list, name="supervision-list"),
    path("ban/<str:kind>/<int:pk>/giam-sat/them/", views_boards.supervision_create, name="supervision-create"),
    path("giam-sat/<int:pk>/", views_boards.supervision_detail, name="supervision-detail"),
    path("giam-sat/<int:pk>/bao-cao/", views_boards.supervision_report_file, name="supervision-report-file"),
]
urlpatterns += [
    path("ban/nhap-excel/<str:what>/", views_import.board_import, name="board-import"),
    path("ban/nhap-excel/<str:what>/mau.xlsx", views_import.board_import_template, name="board-import-template"),
]
