from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.PlanOverviewView.as_view(), name="plan-overview"),
    path("calendrier/", views.PlanCalendarView.as_view(), name="plan-calendar"),
    path("exports/", views.PlanExportsView.as_view(), name="plan-exports"),
    path("exports/plan.csv", views.PlanExportCsvView.as_view(), name="plan-export-csv"),
    path("exports/plan.xlsx", views.PlanExportXlsxView.as_view(), name="plan-export-xlsx"),
    path("exports/pdf/", views.PlanExportPdfView.as_view(), name="plan-export-pdf"),
    path("import/", views.PlanImportView.as_view(), name="plan-import"),
    path("import/modele.xlsx", views.PlanImportTemplateXlsxView.as_view(), name="plan-import-template-xlsx"),
    path("import/modele.csv", views.PlanImportTemplateCsvView.as_view(), name="plan-import-template-csv"),
    path("import/<str:token>/", views.PlanImportPreviewView.as_view(), name="plan-import-preview"),
    path("import/<str:token>/appliquer/", views.PlanImportApplyView.as_view(), name="plan-import-apply"),
    path("mes-actions/", views.MyCardsView.as_view(), name="my-cards"),
    path("fiches/<int:pk>/", views.CardDetailView.as_view(), name="card-detail"),
    path("fiches/<int:pk>/modifier/", views.CardEditView.as_view(), name="card-edit"),
    path("fiches/<int:pk>/etapes/", views.CardStepsView.as_view(), name="card-steps"),
    path("fiches/<int:pk>/etapes/ajouter/", views.StepCreateView.as_view(), name="step-create"),
    path("fiches/<int:pk>/etapes/<int:step_pk>/modifier/", views.StepEditView.as_view(), name="step-edit"),
    path("fiches/<int:pk>/etapes/<int:step_pk>/deplacer/", views.StepMoveView.as_view(), name="step-move"),
    path("fiches/<int:pk>/etapes/<int:step_pk>/supprimer/", views.StepDeleteView.as_view(), name="step-delete"),
    path("fiches/<int:pk>/indicateurs/", views.CardIndicatorsView.as_view(), name="card-indicators"),
    path("fiches/<int:pk>/indicateurs/ajouter/", views.IndicatorCreateView.as_view(), name="indicator-create"),
    path(
        "fiches/<int:pk>/indicateurs/<int:indicator_pk>/modifier/",
        views.IndicatorEditView.as_view(),
        name="indicator-edit",
    ),
    path(
        "fiches/<int:pk>/indicateurs/<int:indicator_pk>/supprimer/",
        views.IndicatorDeleteView.as_view(),
        name="indicator-delete",
    ),
    path("fiches/<int:pk>/statut/", views.CardStatusView.as_view(), name="card-status"),
    path("fiches/<int:pk>/etapes/<int:step_pk>/", views.StepUpdateView.as_view(), name="step-update"),
    path(
        "fiches/<int:pk>/indicateurs/<int:indicator_pk>/mesures/",
        views.MeasurementCreateView.as_view(),
        name="measurement-create",
    ),
    path(
        "fiches/<int:pk>/indicateurs/actualiser/",
        views.CardIndicatorsRefreshView.as_view(),
        name="card-indicators-refresh",
    ),
]
