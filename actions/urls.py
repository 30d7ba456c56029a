from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.PlanOverviewView.as_view(), name="plan-overview"),
    path("calendrier/", views.PlanCalendarView.as_view(), name="plan-calendar"),
    path("mes-actions/", views.MyCardsView.as_view(), name="my-cards"),
    path("fiches/<int:pk>/", views.CardDetailView.as_view(), name="card-detail"),
    path("fiches/<int:pk>/statut/", views.CardStatusView.as_view(), name="card-status"),
    path("fiches/<int:pk>/etapes/<int:step_pk>/", views.StepUpdateView.as_view(), name="step-update"),
    path("fiches/<int:pk>/indicateurs/<int:indicator_pk>/mesures/", views.MeasurementCreateView.as_view(),
         name="measurement-create"),
    path("fiches/<int:pk>/indicateurs/actualiser/", views.CardIndicatorsRefreshView.as_view(),
         name="card-indicators-refresh"),
]
