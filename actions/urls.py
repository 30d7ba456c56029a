from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.PlanOverviewView.as_view(), name="plan-overview"),
    path("fiches/<int:pk>/", views.CardDetailView.as_view(), name="card-detail"),
]
