from django.urls import path

from actions.reviews.views import cards, committee, pilots

app_name = "reviews"

urlpatterns = [
    path("", committee.ReviewListView.as_view(), name="review-list"),
    path("nouvelle/", committee.ReviewCreateView.as_view(), name="review-create"),
    path("mes-auto-evaluations/", pilots.MySelfAssessmentsView.as_view(), name="my-self-assessments"),
    path("groupe-de-suivi/", pilots.FollowUpGroupView.as_view(), name="followup-group"),
    path("groupe-de-suivi/rejoindre/", pilots.FollowUpJoinView.as_view(), name="followup-join"),
    path("groupe-de-suivi/quitter/", pilots.FollowUpLeaveView.as_view(), name="followup-leave"),
    path("groupe-de-suivi/propositions/", pilots.ProposalCreateView.as_view(), name="proposal-create"),
    path("<int:pk>/", committee.ReviewDetailView.as_view(), name="review-detail"),
    path("<int:pk>/ouvrir/", committee.ReviewOpenView.as_view(), name="review-open"),
    path("<int:pk>/seance/", committee.ReviewSessionStartView.as_view(), name="review-session-start"),
    path("<int:pk>/cloturer/", committee.ReviewCloseView.as_view(), name="review-close"),
    path("<int:pk>/comparaison/", cards.ReviewCompareView.as_view(), name="review-compare"),
    path("<int:pk>/pdf/", cards.ReviewPdfView.as_view(), name="review-pdf"),
    path("<int:pk>/fiches/<int:card_pk>/", cards.ReviewCardView.as_view(), name="review-card"),
    path("<int:pk>/fiches/<int:card_pk>/decision/", cards.DecisionRecordView.as_view(), name="decision-record"),
    path(
        "<int:pk>/fiches/<int:card_pk>/auto-evaluation/",
        pilots.SelfAssessmentEditView.as_view(),
        name="self-assessment-edit",
    ),
]
