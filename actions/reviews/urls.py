from django.urls import path

from actions.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="review-list"),
    path("nouvelle/", views.ReviewCreateView.as_view(), name="review-create"),
    path("mes-auto-evaluations/", views.MySelfAssessmentsView.as_view(), name="my-self-assessments"),
    path("groupe-de-suivi/", views.FollowUpGroupView.as_view(), name="followup-group"),
    path("groupe-de-suivi/rejoindre/", views.FollowUpJoinView.as_view(), name="followup-join"),
    path("groupe-de-suivi/quitter/", views.FollowUpLeaveView.as_view(), name="followup-leave"),
    path("groupe-de-suivi/propositions/", views.ProposalCreateView.as_view(), name="proposal-create"),
    path("<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("<int:pk>/ouvrir/", views.ReviewOpenView.as_view(), name="review-open"),
    path("<int:pk>/seance/", views.ReviewSessionStartView.as_view(), name="review-session-start"),
    path("<int:pk>/cloturer/", views.ReviewCloseView.as_view(), name="review-close"),
    path("<int:pk>/comparaison/", views.ReviewCompareView.as_view(), name="review-compare"),
    path("<int:pk>/pdf/", views.ReviewPdfView.as_view(), name="review-pdf"),
    path("<int:pk>/fiches/<int:card_pk>/", views.ReviewCardView.as_view(), name="review-card"),
    path("<int:pk>/fiches/<int:card_pk>/decision/", views.DecisionRecordView.as_view(), name="decision-record"),
    path(
        "<int:pk>/fiches/<int:card_pk>/auto-evaluation/",
        views.SelfAssessmentEditView.as_view(),
        name="self-assessment-edit",
    ),
]
