from django.urls import path

from events.views import agenda, attendance, invitations, manage, materials, mine, sessions

app_name = "events"

urlpatterns = [
    # Everyone signed in (partners: the sessions addressed to them)
    path("", agenda.AgendaView.as_view(), name="agenda"),
    path("mois/", agenda.AgendaMonthView.as_view(), name="agenda-month"),
    path("<int:pk>/", agenda.EventDetailView.as_view(), name="event-detail"),
    path("seances/<int:pk>/inscription/", agenda.SessionRegisterView.as_view(), name="session-register"),
    path("seances/<int:pk>/desinscription/", agenda.SessionUnregisterView.as_view(), name="session-unregister"),
    path("mes-inscriptions/", mine.MyRegistrationsView.as_view(), name="my-registrations"),
    path("inscriptions/<int:pk>/convocation/", mine.ConvocationView.as_view(), name="convocation"),
    path("seances/<int:pk>/agenda.ics", mine.SessionIcsView.as_view(), name="session-ics"),
    path("mon-agenda/", mine.FeedSettingsView.as_view(), name="feed-settings"),
    path("mon-agenda/nouvelle-adresse/", mine.FeedResetView.as_view(), name="feed-reset"),
    path("agenda/<str:token>.ics", mine.FeedView.as_view(), name="feed"),
    # Running events
    path("gestion/", manage.ManageView.as_view(), name="manage"),
    path("gestion/nouveau/", manage.EventCreateView.as_view(), name="event-create"),
    path("<int:pk>/modifier/", manage.EventUpdateView.as_view(), name="event-update"),
    path("<int:pk>/publier/", manage.EventPublishView.as_view(), name="event-publish"),
    path("<int:pk>/annuler/", manage.EventCancelView.as_view(), name="event-cancel"),
    path("<int:pk>/inviter/", invitations.EventInviteView.as_view(), name="event-invite"),
    path("<int:pk>/invitations-papier/", invitations.EventPaperListView.as_view(), name="event-paper-list"),
    path("<int:pk>/questionnaire/", invitations.EventSurveyView.as_view(), name="event-survey"),
    path("<int:pk>/seances/nouvelle/", sessions.SessionCreateView.as_view(), name="session-create"),
    path("<int:pk>/seances/serie/", sessions.SeriesCreateView.as_view(), name="session-series"),
    path("seances/<int:pk>/modifier/", sessions.SessionUpdateView.as_view(), name="session-update"),
    path("seances/<int:pk>/annuler/", sessions.SessionCancelView.as_view(), name="session-cancel"),
    # Materials (slides, documents, a recording's link), for those registered
    path("<int:pk>/supports/nouveau/", materials.MaterialCreateView.as_view(), name="material-create"),
    path("supports/<int:pk>/", materials.MaterialDownloadView.as_view(), name="material-download"),
    path("supports/<int:pk>/retirer/", materials.MaterialDeleteView.as_view(), name="material-delete"),
    # The day itself
    path("seances/<int:pk>/inscrits/", attendance.SessionRegistrationsView.as_view(), name="session-registrations"),
    path(
        "inscriptions/<int:pk>/annuler/",
        attendance.RegistrationCancelByOrganiserView.as_view(),
        name="registration-cancel",
    ),
    path("seances/<int:pk>/pointage/", attendance.SessionCheckinView.as_view(), name="session-checkin"),
    path("inscriptions/<int:pk>/presence/", attendance.CheckinToggleView.as_view(), name="checkin-toggle"),
    path("pointage/<int:pk>/<str:token>/", attendance.CheckinQrView.as_view(), name="checkin-qr"),
    path("seances/<int:pk>/feuille-emargement/", attendance.SessionSheetView.as_view(), name="session-sheet"),
]
