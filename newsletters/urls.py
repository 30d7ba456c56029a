from django.urls import path

from newsletters import views

app_name = "newsletters"

urlpatterns = [
    path("", views.IssueListView.as_view(), name="issue-list"),
    path("<int:pk>/", views.IssueDetailView.as_view(), name="issue-detail"),
    path("<int:pk>/pdf/", views.IssuePdfView.as_view(), name="issue-pdf"),
    # Communication, HR, administrators
    path("redaction/", views.IssueManageView.as_view(), name="issue-manage"),
    path("redaction/nouveau/", views.IssueCreateView.as_view(), name="issue-create"),
    path("<int:pk>/rediger/", views.IssueEditView.as_view(), name="issue-edit"),
    path("<int:pk>/public/", views.IssueAudienceView.as_view(), name="issue-audience"),
    path("<int:pk>/supprimer/", views.IssueDeleteView.as_view(), name="issue-delete"),
    path("<int:pk>/blocs/ajouter/<str:kind>/", views.BlockFormView.as_view(), name="block-create"),
    path("<int:pk>/blocs/<int:block_pk>/", views.BlockFormView.as_view(), name="block-update"),
    path("<int:pk>/blocs/<int:block_pk>/supprimer/", views.BlockDeleteView.as_view(), name="block-delete"),
    path("<int:pk>/blocs/<int:block_pk>/deplacer/", views.BlockMoveView.as_view(), name="block-move"),
    path("<int:pk>/apercu-email/", views.IssueEmailPreviewView.as_view(), name="issue-email-preview"),
    path("<int:pk>/apercu-texte/", views.IssueEmailTextView.as_view(), name="issue-email-text"),
    path("<int:pk>/test/", views.IssueSendTestView.as_view(), name="issue-send-test"),
    path("<int:pk>/envoyer/", views.IssueSendView.as_view(), name="issue-send"),
    path("<int:pk>/rapport/", views.IssueReportView.as_view(), name="issue-report"),
]
