from django.urls import path

from onboarding.shadowing.views import campaign, catalogue, queues, visit

app_name = "shadowing"

urlpatterns = [
    path("", catalogue.OfferListView.as_view(), name="offer-list"),
    path("offres/nouvelle/", catalogue.OfferFormView.as_view(), name="offer-create"),
    path("offres/<int:pk>/modifier/", catalogue.OfferFormView.as_view(), name="offer-update"),
    path("souhait/", catalogue.VisitCreateView.as_view(), name="visit-create"),
    path("mes-demandes/", catalogue.VisitMineView.as_view(), name="visit-mine"),
    path("a-decider/", queues.VisitQueueView.as_view(), name="visit-queue"),
    path("demandes/<int:pk>/", visit.VisitDetailView.as_view(), name="visit-detail"),
    path("demandes/<int:pk>/accord/", visit.VisitApproveView.as_view(), name="visit-approve"),
    path("demandes/<int:pk>/refus/", visit.VisitRefuseView.as_view(), name="visit-refuse"),
    path("demandes/<int:pk>/accueillant/", visit.VisitAssignHostView.as_view(), name="visit-assign-host"),
    path("demandes/<int:pk>/programmer/", visit.VisitScheduleView.as_view(), name="visit-schedule"),
    path("demandes/<int:pk>/annuler/", visit.VisitCancelView.as_view(), name="visit-cancel"),
    path("demandes/<int:pk>/realisee/", visit.VisitCompleteView.as_view(), name="visit-complete"),
    path("demandes/<int:pk>/engagement/", visit.VisitAgreementView.as_view(), name="visit-agreement"),
    path("demandes/<int:pk>/engagement.pdf", visit.VisitAgreementPdfView.as_view(), name="visit-agreement-pdf"),
    path("demandes/<int:pk>/rapport/", visit.VisitReportView.as_view(), name="visit-report"),
    path("demandes/<int:pk>/publication/", visit.VisitPublishView.as_view(), name="visit-publish"),
    path("demandes/<int:pk>/lettre/", visit.VisitNewsletterView.as_view(), name="visit-newsletter"),
    path("temoignages/", queues.ReportListView.as_view(), name="report-list"),
    path("absences/", queues.AbsenceView.as_view(), name="absence"),
    path("campagnes/", campaign.CampaignListView.as_view(), name="campaign-list"),
    path("campagnes/<int:pk>/", campaign.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campagnes/<int:pk>/chiffres/", campaign.CampaignFiguresView.as_view(), name="campaign-figures"),
    path("campagnes/<int:pk>/mailing/", campaign.CampaignMailingView.as_view(), name="campaign-mailing"),
    path("campagnes/questionnaire-encadrants/", campaign.ManagersSurveyView.as_view(), name="managers-survey"),
    path("engagement/", campaign.AgreementEditView.as_view(), name="agreement-edit"),
    path("supports/flyer.pdf", campaign.PrintableView.as_view(kind="flyer"), name="flyer"),
    path("supports/affiche.pdf", campaign.PrintableView.as_view(kind="poster"), name="poster"),
]
