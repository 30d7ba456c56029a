from django.urls import path

from actions.views import card_editing, my_cards, plan, plan_import

app_name = "actions"

urlpatterns = [
    path("", plan.PlanOverviewView.as_view(), name="plan-overview"),
    path("calendrier/", plan.PlanCalendarView.as_view(), name="plan-calendar"),
    path("exports/", plan.PlanExportsView.as_view(), name="plan-exports"),
    path("exports/plan.csv", plan.PlanExportCsvView.as_view(), name="plan-export-csv"),
    path("exports/plan.xlsx", plan.PlanExportXlsxView.as_view(), name="plan-export-xlsx"),
    path("exports/pdf/", plan.PlanExportPdfView.as_view(), name="plan-export-pdf"),
    path("import/", plan_import.PlanImportView.as_view(), name="plan-import"),
    path("import/modele.xlsx", plan_import.PlanImportTemplateXlsxView.as_view(), name="plan-import-template-xlsx"),
    path("import/modele.csv", plan_import.PlanImportTemplateCsvView.as_view(), name="plan-import-template-csv"),
    path("import/<str:token>/", plan_import.PlanImportPreviewView.as_view(), name="plan-import-preview"),
    path("import/<str:token>/appliquer/", plan_import.PlanImportApplyView.as_view(), name="plan-import-apply"),
    path("mes-actions/", my_cards.MyCardsView.as_view(), name="my-cards"),
    path("fiches/<int:pk>/", plan.CardDetailView.as_view(), name="card-detail"),
    path("fiches/<int:pk>/modifier/", card_editing.CardEditView.as_view(), name="card-edit"),
    path("fiches/<int:pk>/etapes/", card_editing.CardStepsView.as_view(), name="card-steps"),
    path("fiches/<int:pk>/etapes/ajouter/", card_editing.StepCreateView.as_view(), name="step-create"),
    path("fiches/<int:pk>/etapes/<int:step_pk>/modifier/", card_editing.StepEditView.as_view(), name="step-edit"),
    path("fiches/<int:pk>/etapes/<int:step_pk>/deplacer/", card_editing.StepMoveView.as_view(), name="step-move"),
    path("fiches/<int:pk>/etapes/<int:step_pk>/supprimer/", card_editing.StepDeleteView.as_view(), name="step-delete"),
    path("fiches/<int:pk>/indicateurs/", card_editing.CardIndicatorsView.as_view(), name="card-indicators"),
    path("fiches/<int:pk>/indicateurs/ajouter/", card_editing.IndicatorCreateView.as_view(), name="indicator-create"),
    path(
        "fiches/<int:pk>/indicateurs/<int:indicator_pk>/modifier/",
        card_editing.IndicatorEditView.as_view(),
        name="indicator-edit",
    ),
    path(
        "fiches/<int:pk>/indicateurs/<int:indicator_pk>/supprimer/",
        card_editing.IndicatorDeleteView.as_view(),
        name="indicator-delete",
    ),
    path("fiches/<int:pk>/statut/", my_cards.CardStatusView.as_view(), name="card-status"),
    path("fiches/<int:pk>/etapes/<int:step_pk>/", my_cards.StepUpdateView.as_view(), name="step-update"),
    path(
        "fiches/<int:pk>/indicateurs/<int:indicator_pk>/mesures/",
        my_cards.MeasurementCreateView.as_view(),
        name="measurement-create",
    ),
    path(
        "fiches/<int:pk>/indicateurs/actualiser/",
        my_cards.CardIndicatorsRefreshView.as_view(),
        name="card-indicators-refresh",
    ),
]
