from django.urls import path

from vacancies.views import board, manage

app_name = "vacancies"

urlpatterns = [
    path("", board.VacancyListView.as_view(), name="vacancy-list"),
    path("offres/<int:pk>/", board.VacancyDetailView.as_view(), name="vacancy-detail"),
    path("offres/<int:pk>/interet/", board.InterestCreateView.as_view(), name="interest-create"),
    path("mes-candidatures/", board.MyInterestsView.as_view(), name="my-interests"),
    path("concours/", board.ConcoursListView.as_view(), name="concours-list"),
    # HR
    path("gestion/", manage.ManageView.as_view(), name="manage"),
    path("gestion/offres/nouvelle/", manage.VacancyCreateView.as_view(), name="vacancy-create"),
    path("gestion/offres/<int:pk>/modifier/", manage.VacancyUpdateView.as_view(), name="vacancy-update"),
    path("gestion/offres/<int:pk>/publier/", manage.VacancyPublishView.as_view(), name="vacancy-publish"),
    path("gestion/offres/<int:pk>/cloturer/", manage.VacancyCloseView.as_view(), name="vacancy-close"),
    path("gestion/offres/<int:pk>/candidatures/", manage.VacancyInterestsView.as_view(), name="vacancy-interests"),
    path(
        "gestion/offres/<int:pk>/candidatures/lues/",
        manage.VacancyInterestsSeenView.as_view(),
        name="vacancy-interests-seen",
    ),
    path("gestion/candidatures/<int:pk>/cv/", manage.InterestCvView.as_view(), name="interest-cv"),
    path("gestion/concours/nouveau/", manage.ConcoursCreateView.as_view(), name="concours-create"),
    path("gestion/concours/<int:pk>/modifier/", manage.ConcoursUpdateView.as_view(), name="concours-update"),
    path("gestion/concours/<int:pk>/etat/", manage.ConcoursStatusView.as_view(), name="concours-status"),
]
