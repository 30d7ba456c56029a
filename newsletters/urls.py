from django.urls import path

from newsletters.views import editing, reading, sending

app_name = "newsletters"

urlpatterns = [
    path("", reading.IssueListView.as_view(), name="issue-list"),
    path("<int:pk>/", reading.IssueDetailView.as_view(), name="issue-detail"),
    path("<int:pk>/pdf/", reading.IssuePdfView.as_view(), name="issue-pdf"),
    # Communication, HR, administrators
    path("redaction/", editing.IssueManageView.as_view(), name="issue-manage"),
    path("redaction/nouveau/", editing.IssueCreateView.as_view(), name="issue-create"),
    path("<int:pk>/rediger/", editing.IssueEditView.as_view(), name="issue-edit"),
    path("<int:pk>/public/", editing.IssueAudienceView.as_view(), name="issue-audience"),
    path("<int:pk>/supprimer/", editing.IssueDeleteView.as_view(), name="issue-delete"),
    path("<int:pk>/blocs/ajouter/<str:kind>/", editing.BlockFormView.as_view(), name="block-create"),
    path("<int:pk>/blocs/<int:block_pk>/", editing.BlockFormView.as_view(), name="block-update"),
    path("<int:pk>/blocs/<int:block_pk>/supprimer/", editing.BlockDeleteView.as_view(), name="block-delete"),
    path("<int:pk>/blocs/<int:block_pk>/deplacer/", editing.BlockMoveView.as_view(), name="block-move"),
    path("<int:pk>/apercu-email/", sending.IssueEmailPreviewView.as_view(), name="issue-email-preview"),
    path("<int:pk>/apercu-texte/", sending.IssueEmailTextView.as_view(), name="issue-email-text"),
    path("<int:pk>/test/", sending.IssueSendTestView.as_view(), name="issue-send-test"),
    path("<int:pk>/envoyer/", sending.IssueSendView.as_view(), name="issue-send"),
    path("<int:pk>/rapport/", sending.IssueReportView.as_view(), name="issue-report"),
]
