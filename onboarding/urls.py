from django.urls import path

from onboarding.views import arrivals, guide_chapters, integration_days, journey_templates, volunteers

app_name = "onboarding"

urlpatterns = [
    path("", arrivals.MyJourneyView.as_view(), name="my-journey"),
    path("arrivees/", arrivals.ArrivalListView.as_view(), name="arrival-list"),
    path("arrivees/nouvelle/", arrivals.ArrivalCreateView.as_view(), name="arrival-create"),
    path("arrivees/<int:pk>/", arrivals.ArrivalDetailView.as_view(), name="arrival-detail"),
    path("arrivees/<int:pk>/modifier/", arrivals.ArrivalUpdateView.as_view(), name="arrival-edit"),
    path("arrivees/<int:pk>/parrain/", arrivals.ArrivalBuddyView.as_view(), name="arrival-buddy"),
    path("arrivees/<int:pk>/guide/", arrivals.GuideDetailView.as_view(), name="guide-detail"),
    path("arrivees/<int:pk>/guide/pdf/", arrivals.GuideDownloadView.as_view(), name="guide-download"),
    path("arrivees/<int:pk>/guide/etat/", arrivals.GuideStatusView.as_view(), name="guide-status"),
    path("taches/<int:pk>/cocher/", arrivals.TaskToggleView.as_view(), name="task-toggle"),
    path("parrainage/", volunteers.VolunteerSelfView.as_view(), name="volunteer-self"),
    path("parrainage/volontaires/", volunteers.VolunteerListView.as_view(), name="volunteer-list"),
    path("modeles/", journey_templates.TemplateListView.as_view(), name="template-list"),
    path("modeles/nouveau/", journey_templates.TemplateEditView.as_view(), name="template-create"),
    path("modeles/modele-propose/", journey_templates.TemplateSeedView.as_view(), name="template-seed"),
    path("modeles/<int:pk>/", journey_templates.TemplateEditView.as_view(), name="template-edit"),
    path("guide/", guide_chapters.ChapterListView.as_view(), name="chapter-list"),
    path("guide/identite/", guide_chapters.GuideSettingsView.as_view(), name="guide-settings"),
    path("guide/chapitres/nouveau/", guide_chapters.ChapterEditView.as_view(), name="chapter-create"),
    path("guide/chapitres/proposes/", guide_chapters.ChapterSeedView.as_view(), name="chapter-seed"),
    path("guide/chapitres/<int:pk>/", guide_chapters.ChapterEditView.as_view(), name="chapter-edit"),
    path("guide/chapitres/<int:pk>/supprimer/", guide_chapters.ChapterDeleteView.as_view(), name="chapter-delete"),
    path("journees/", integration_days.SessionListView.as_view(), name="session-list"),
    path("journees/nouvelle/", integration_days.SessionEditView.as_view(), name="session-create"),
    path("journees/<int:pk>/", integration_days.SessionDetailView.as_view(), name="session-detail"),
    path("journees/<int:pk>/modifier/", integration_days.SessionEditView.as_view(), name="session-edit"),
    path("journees/<int:pk>/inviter/", integration_days.SessionInviteView.as_view(), name="session-invite"),
    path("journees/<int:pk>/emargement/", integration_days.SessionSheetView.as_view(), name="session-sheet"),
    path("invitations/<int:pk>/annuler/", integration_days.InvitationCancelView.as_view(), name="invitation-cancel"),
]
