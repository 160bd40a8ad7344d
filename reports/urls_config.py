"""Routes of urls_config (included by reports/urls.py): reporting periods and their rules,
the indicator catalogue and the report templates (configured by the steering committee)."""

from django.urls import path

from reports import views_config as v

urlpatterns: list = [
    path("ky-bao-cao/", v.period_list, name="period-list"),
    path("ky-bao-cao/them/", v.period_create, name="period-create"),
    path("ky-bao-cao/<int:pk>/sua/", v.period_edit, name="period-edit"),
    path("ky-bao-cao/tao-theo-nam/", v.period_generate, name="period-generate"),
    path("ky-bao-cao/quy-tac/", v.rule_list, name="period-rule-list"),
    path("ky-bao-cao/quy-tac/them/", v.rule_create, name="period-rule-create"),
    path("ky-bao-cao/quy-tac/<int:pk>/sua/", v.rule_edit, name="period-rule-edit"),
    path("ky-bao-cao/quy-tac/<int:pk>/xoa/", v.rule_delete, name="period-rule-delete"),
    path("bao-cao/cau-hinh/", v.config_home, name="report-config"),
    path("bao-cao/cau-hinh/bieu/", v.table_list, name="report-config-tables"),
    path("bao-cao/cau-hinh/bieu/nap-mac-dinh/", v.install_defaults, name="report-config-install"),
    path("bao-cao/cau-hinh/bieu/<int:pk>/sua/", v.table_edit, name="report-config-table-edit"),
    path("bao-cao/cau-hinh/bieu/<int:pk>/them-chi-tieu/", v.indicator_create, name="report-config-indicator-create"),
    path("bao-cao/cau-hinh/chi-tieu/<int:pk>/sua/", v.indicator_edit, name="report-config-indicator-edit"),
    path("bao-cao/cau-hinh/chi-tieu/<int:pk>/ngung/", v.indicator_retire, name="report-config-indicator-retire"),
    path("bao-cao/cau-hinh/chi-tieu/<int:pk>/khoi-phuc/", v.indicator_restore, name="report-config-indicator-restore"),
    path("bao-cao/cau-hinh/chi-tieu/<int:pk>/xoa/", v.indicator_delete, name="report-config-indicator-delete"),
    path("bao-cao/cau-hinh/mau/", v.template_list, name="report-config-templates"),
    path("bao-cao/cau-hinh/mau/them/", v.template_create, name="report-config-template-create"),
    path("bao-cao/cau-hinh/mau/<int:pk>/sua/", v.template_edit, name="report-config-template-edit"),
    path("bao-cao/cau-hinh/mau/<int:pk>/them-muc/", v.section_create, name="report-config-section-create"),
    path("bao-cao/cau-hinh/muc/<int:pk>/sua/", v.section_edit, name="report-config-section-edit"),
    path("bao-cao/cau-hinh/muc/<int:pk>/xoa/", v.section_delete, name="report-config-section-delete"),
]
