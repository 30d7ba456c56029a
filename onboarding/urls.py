from django.urls import path

from onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.MyJourneyView.as_view(), name="my-journey"),
    path("arrivees/", views.ArrivalListView.as_view(), name="arrival-list"),
    path("arrivees/nouvelle/", views.ArrivalCreateView.as_view(), name="arrival-create"),
    path("arrivees/<int:pk>/", views.ArrivalDetailView.as_view(), name="arrival-detail"),
    path("arrivees/<int:pk>/modifier/", views.ArrivalUpdateView.as_view(), name="arrival-edit"),
    path("arrivees/<int:pk>/parrain/", views.ArrivalBuddyView.as_view(), name="arrival-buddy"),
    path("arrivees/<int:pk>/guide/", views.GuideDetailView.as_view(), name="guide-detail"),
    path("arrivees/<int:pk>/guide/pdf/", views.GuideDownloadView.as_view(), name="guide-download"),
    path("arrivees/<int:pk>/guide/etat/", views.GuideStatusView.as_view(), name="guide-status"),
    path("taches/<int:pk>/cocher/", views.TaskToggleView.as_view(), name="task-toggle"),
    path("parrainage/", views.VolunteerSelfView.as_view(), name="volunteer-self"),
    path("parrainage/volontaires/", views.VolunteerListView.as_view(), name="volunteer-list"),
    path("modeles/", views.TemplateListView.as_view(), name="template-list"),
    path("modeles/nouveau/", views.TemplateEditView.as_view(), name="template-create"),
    path("modeles/modele-propose/", views.TemplateSeedView.as_view(), name="template-seed"),
    path("modeles/<int:pk>/", views.TemplateEditView.as_view(), name="template-edit"),
    path("guide/", views.ChapterListView.as_view(), name="chapter-list"),
    path("guide/identite/", views.GuideSettingsView.as_view(), name="guide-settings"),
    path("guide/chapitres/nouveau/", views.ChapterEditView.as_view(), name="chapter-create"),
    path("guide/chapitres/proposes/", views.ChapterSeedView.as_view(), name="chapter-seed"),
    path("guide/chapitres/<int:pk>/", views.ChapterEditView.as_view(), name="chapter-edit"),
    path("guide/chapitres/<int:pk>/supprimer/", views.ChapterDeleteView.as_view(), name="chapter-delete"),
    path("journees/", views.SessionListView.as_view(), name="session-list"),
    path("journees/nouvelle/", views.SessionEditView.as_view(), name="session-create"),
    path("journees/<int:pk>/", views.SessionDetailView.as_view(), name="session-detail"),
    path("journees/<int:pk>/modifier/", views.SessionEditView.as_view(), name="session-edit"),
    path("journees/<int:pk>/inviter/", views.SessionInviteView.as_view(), name="session-invite"),
    path("journees/<int:pk>/emargement/", views.SessionSheetView.as_view(), name="session-sheet"),
    path("invitations/<int:pk>/annuler/", views.InvitationCancelView.as_view(), name="invitation-cancel"),
]
