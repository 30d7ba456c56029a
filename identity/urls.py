from django.urls import path

from identity import views

app_name = "identity"

urlpatterns = [
    path("", views.PartnerListView.as_view(), name="partner-list"),
    path("inviter/", views.PartnerInviteView.as_view(), name="partner-invite"),
    path("<int:pk>/confirmer/", views.PartnerReconfirmView.as_view(), name="partner-reconfirm"),
    path("<int:pk>/relancer/", views.PartnerResendView.as_view(), name="partner-resend"),
    path("contacts/", views.PartnerContactsView.as_view(), name="partner-contacts"),
    path("contacts/<int:pk>/retirer/", views.PartnerContactRemoveView.as_view(), name="partner-contact-remove"),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
]
