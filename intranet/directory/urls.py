"""The directory: people, the org chart and its documents, profiles, and HR's pages."""

from django.urls import path

from intranet.directory.views import hr, orgchart, people, profile

app_name = "directory"

urlpatterns = [
    # People: search as you type, the agent page and their vCard.
    path("", people.AgentListView.as_view(), name="agent-list"),
    path("agents/<int:pk>/", people.AgentDetailView.as_view(), name="agent-detail"),
    path("agents/<int:pk>/vcard/", people.AgentVcardView.as_view(), name="agent-vcard"),
    # The org chart, unit pages, trombinoscope, arrivals and departures, and the printable PDFs.
    path("organigramme/", orgchart.OrgChartView.as_view(), name="orgchart"),
    path("organigramme.pdf", orgchart.OrgChartPdfView.as_view(), name="orgchart-pdf"),
    path("unites/<int:pk>/", orgchart.UnitDetailView.as_view(), name="unit-detail"),
    path("trombinoscope/", orgchart.TrombinoscopeView.as_view(), name="trombinoscope"),
    path("trombinoscope.pdf", orgchart.TrombinoscopePdfView.as_view(), name="trombinoscope-pdf"),
    path("arrivees/", orgchart.ArrivalsView.as_view(), name="arrivals"),
    # Profiles: my profile, HR's edit of an agent, completion, RGPD (mes données, anonymisation).
    path("mon-profil/", profile.ProfileEditView.as_view(), name="profile-edit"),
    path("mon-profil/confirmer/", profile.ProfileConfirmView.as_view(), name="profile-confirm"),
    path("agents/<int:pk>/modifier/", profile.AgentEditView.as_view(), name="agent-edit"),
    path("agents/<int:pk>/anonymiser/", profile.AgentAnonymiseView.as_view(), name="agent-anonymise"),
    path("completude/", profile.CompletionView.as_view(), name="completion"),
    path("mes-donnees/", profile.MyDataView.as_view(), name="my-data"),
    path("mes-donnees.json", profile.MyDataDownloadView.as_view(), name="my-data-download"),
    # HR: the agents' import, the org chart's edits, the directory's export.
    path("rh/", hr.HrHomeView.as_view(), name="hr-home"),
    path("rh/import/", hr.ImportUploadView.as_view(), name="hr-import"),
    path("rh/import/<str:token>/", hr.ImportPreviewView.as_view(), name="hr-import-preview"),
    path("rh/import/<str:token>/appliquer/", hr.ImportApplyView.as_view(), name="hr-import-apply"),
    path("rh/unites/nouvelle/", hr.UnitCreateView.as_view(), name="hr-unit-create"),
    path("rh/unites/<int:pk>/modifier/", hr.UnitEditView.as_view(), name="hr-unit-edit"),
    path("rh/unites/<int:pk>/fusionner/", hr.UnitMergeView.as_view(), name="hr-unit-merge"),
    path("export.csv", hr.ExportCsvView.as_view(), name="export-csv"),
    path("export.xlsx", hr.ExportXlsxView.as_view(), name="export-xlsx"),
]
