from django.urls import path, re_path

from surveys import results_views

urlpatterns = [
    path("gestion/<int:pk>/resultats/", results_views.SurveyResultsView.as_view(), name="survey-results"),
    re_path(
        r"^gestion/(?P<pk>[0-9]+)/resultats/reponses\.(?P<fmt>csv|xlsx)$",
        results_views.SurveyResultsExportView.as_view(),
        name="survey-results-export",
    ),
    path(
        "gestion/<int:pk>/resultats/rapport/", results_views.SurveyResultsPdfView.as_view(), name="survey-results-pdf"
    ),
]
