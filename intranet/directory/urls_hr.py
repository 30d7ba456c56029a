"""HR: the agents' import, the org chart's edits, the directory's export."""

from django.urls import path

from intranet.directory import views_hr as views

urlpatterns = [
    path("rh/", views.HrHomeView.as_view(), name="hr-home"),
    path("rh/import/", views.ImportUploadView.as_view(), name="hr-import"),
    path("rh/import/<str:token>/", views.ImportPreviewView.as_view(), name="hr-import-preview"),
    path("rh/import/<str:token>/appliquer/", views.ImportApplyView.as_view(), name="hr-import-apply"),
    path("rh/unites/nouvelle/", views.UnitCreateView.as_view(), name="hr-unit-create"),
    path("rh/unites/<int:pk>/modifier/", views.UnitEditView.as_view(), name="hr-unit-edit"),
    path("rh/unites/<int:pk>/fusionner/", views.UnitMergeView.as_view(), name="hr-unit-merge"),
    path("export.csv", views.ExportCsvView.as_view(), name="export-csv"),
    path("export.xlsx", views.ExportXlsxView.as_view(), name="export-xlsx"),
]
