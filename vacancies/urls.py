from django.urls import path

from vacancies import views

app_name = "vacancies"

urlpatterns = [
    path("offres/<int:pk>/", views.VacancyDetailView.as_view(), name="vacancy-detail"),
]
