from django.urls import path

from vacancies import views

app_name = "vacancies"

urlpatterns = [
    path("", views.VacancyListView.as_view(), name="vacancy-list"),
    path("offres/<int:pk>/", views.VacancyDetailView.as_view(), name="vacancy-detail"),
    path("offres/<int:pk>/interet/", views.InterestCreateView.as_view(), name="interest-create"),
    path("mes-candidatures/", views.MyInterestsView.as_view(), name="my-interests"),
    path("concours/", views.ConcoursListView.as_view(), name="concours-list"),
    # HR
    path("gestion/", views.ManageView.as_view(), name="manage"),
    path("gestion/offres/nouvelle/", views.VacancyCreateView.as_view(), name="vacancy-create"),
    path("gestion/offres/<int:pk>/modifier/", views.VacancyUpdateView.as_view(), name="vacancy-update"),
    path("gestion/offres/<int:pk>/publier/", views.VacancyPublishView.as_view(), name="vacancy-publish"),
    path("gestion/offres/<int:pk>/cloturer/", views.VacancyCloseView.as_view(), name="vacancy-close"),
    path("gestion/offres/<int:pk>/candidatures/", views.VacancyInterestsView.as_view(), name="vacancy-interests"),
    path(
        "gestion/offres/<int:pk>/candidatures/lues/",
        views.VacancyInterestsSeenView.as_view(),
        name="vacancy-interests-seen",
    ),
    path("gestion/candidatures/<int:pk>/cv/", views.InterestCvView.as_view(), name="interest-cv"),
    path("gestion/concours/nouveau/", views.ConcoursCreateView.as_view(), name="concours-create"),
    path("gestion/concours/<int:pk>/modifier/", views.ConcoursUpdateView.as_view(), name="concours-update"),
    path("gestion/concours/<int:pk>/etat/", views.ConcoursStatusView.as_view(), name="concours-status"),
]
