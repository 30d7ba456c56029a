from django.urls import path

from identity import views

app_name = "identity"

urlpatterns = [
    path("partenaires/", views.PartnerListView.as_view(), name="partner-list"),
    path("partenaires/inviter/", views.PartnerInviteView.as_view(), name="partner-invite"),
    path("partenaires/<int:pk>/confirmer/", views.PartnerReconfirmView.as_view(), name="partner-reconfirm"),
    path("partenaires/<int:pk>/relancer/", views.PartnerResendView.as_view(), name="partner-resend"),
    path("partenaires/contacts/", views.PartnerContactsView.as_view(), name="partner-contacts"),
    path(
        "partenaires/contacts/<int:pk>/retirer/",
        views.PartnerContactRemoveView.as_view(),
        name="partner-contact-remove",
    ),
    path("partenaires/invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("sessions/<int:pk>/fermer/", views.SessionEndView.as_view(), name="session-end"),
]
