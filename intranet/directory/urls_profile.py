"""Profiles: my profile, HR's edit of an agent, completion, RGPD (mes données, anonymisation)."""

from django.urls import path

from intranet.directory import views_profile as views

urlpatterns = [
    path("mon-profil/", views.ProfileEditView.as_view(), name="profile-edit"),
    path("mon-profil/confirmer/", views.ProfileConfirmView.as_view(), name="profile-confirm"),
    path("agents/<int:pk>/modifier/", views.AgentEditView.as_view(), name="agent-edit"),
    path("agents/<int:pk>/anonymiser/", views.AgentAnonymiseView.as_view(), name="agent-anonymise"),
    path("completude/", views.CompletionView.as_view(), name="completion"),
    path("mes-donnees/", views.MyDataView.as_view(), name="my-data"),
    path("mes-donnees.json", views.MyDataDownloadView.as_view(), name="my-data-download"),
]
