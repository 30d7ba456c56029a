from django.urls import path

from mailing import views

app_name = "mailing"

urlpatterns = [
    path("", views.MailingListView.as_view(), name="mailing-list"),
    path("<int:pk>/", views.MailingDetailView.as_view(), name="mailing-detail"),
    path("<int:pk>/avancement/", views.MailingProgressView.as_view(), name="mailing-progress"),
    path("<int:pk>/envoyer/", views.MailingStartView.as_view(), name="mailing-start"),
    path("<int:pk>/programmer/", views.MailingScheduleView.as_view(), name="mailing-schedule"),
    path("<int:pk>/pause/", views.MailingPauseView.as_view(), name="mailing-pause"),
    path("<int:pk>/reprendre/", views.MailingResumeView.as_view(), name="mailing-resume"),
    path("<int:pk>/annuler/", views.MailingCancelView.as_view(), name="mailing-cancel"),
    path("<int:pk>/relancer-echecs/", views.MailingRetryView.as_view(), name="mailing-retry"),
]
