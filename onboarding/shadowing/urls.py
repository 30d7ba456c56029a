from django.urls import path

from onboarding.shadowing import views, views_campaign

app_name = "shadowing"

urlpatterns = [
    path("", views.OfferListView.as_view(), name="offer-list"),
    path("offres/nouvelle/", views.OfferFormView.as_view(), name="offer-create"),
    path("offres/<int:pk>/modifier/", views.OfferFormView.as_view(), name="offer-update"),
    path("souhait/", views.VisitCreateView.as_view(), name="visit-create"),
    path("mes-demandes/", views.VisitMineView.as_view(), name="visit-mine"),
    path("a-decider/", views.VisitQueueView.as_view(), name="visit-queue"),
    path("demandes/<int:pk>/", views.VisitDetailView.as_view(), name="visit-detail"),
    path("demandes/<int:pk>/accord/", views.VisitApproveView.as_view(), name="visit-approve"),
    path("demandes/<int:pk>/refus/", views.VisitRefuseView.as_view(), name="visit-refuse"),
    path("demandes/<int:pk>/accueillant/", views.VisitAssignHostView.as_view(), name="visit-assign-host"),
    path("demandes/<int:pk>/programmer/", views.VisitScheduleView.as_view(), name="visit-schedule"),
    path("demandes/<int:pk>/annuler/", views.VisitCancelView.as_view(), name="visit-cancel"),
    path("demandes/<int:pk>/realisee/", views.VisitCompleteView.as_view(), name="visit-complete"),
    path("demandes/<int:pk>/engagement/", views.VisitAgreementView.as_view(), name="visit-agreement"),
    path("demandes/<int:pk>/engagement.pdf", views.VisitAgreementPdfView.as_view(), name="visit-agreement-pdf"),
    path("demandes/<int:pk>/rapport/", views.VisitReportView.as_view(), name="visit-report"),
    path("demandes/<int:pk>/publication/", views.VisitPublishView.as_view(), name="visit-publish"),
    path("demandes/<int:pk>/lettre/", views.VisitNewsletterView.as_view(), name="visit-newsletter"),
    path("temoignages/", views.ReportListView.as_view(), name="report-list"),
    path("absences/", views.AbsenceView.as_view(), name="absence"),
    path("campagnes/", views_campaign.CampaignListView.as_view(), name="campaign-list"),
    path("campagnes/<int:pk>/", views_campaign.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campagnes/<int:pk>/chiffres/", views_campaign.CampaignFiguresView.as_view(), name="campaign-figures"),
    path("campagnes/<int:pk>/mailing/", views_campaign.CampaignMailingView.as_view(), name="campaign-mailing"),
    path("campagnes/questionnaire-encadrants/", views_campaign.ManagersSurveyView.as_view(), name="managers-survey"),
    path("engagement/", views_campaign.AgreementEditView.as_view(), name="agreement-edit"),
    path("supports/flyer.pdf", views_campaign.PrintableView.as_view(kind="flyer"), name="flyer"),
    path("supports/affiche.pdf", views_campaign.PrintableView.as_view(kind="poster"), name="poster"),
]
