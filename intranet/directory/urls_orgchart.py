"""The org chart, unit pages, trombinoscope, arrivals and departures, and the printable PDFs."""

from django.urls import path

from intranet.directory import views_orgchart as views

urlpatterns = [
    path("organigramme/", views.OrgChartView.as_view(), name="orgchart"),
    path("organigramme.pdf", views.OrgChartPdfView.as_view(), name="orgchart-pdf"),
    path("unites/<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("trombinoscope/", views.TrombinoscopeView.as_view(), name="trombinoscope"),
    path("trombinoscope.pdf", views.TrombinoscopePdfView.as_view(), name="trombinoscope-pdf"),
    path("arrivees/", views.ArrivalsView.as_view(), name="arrivals"),
    path("documents/<int:pk>/", views.DocumentStatusView.as_view(), name="document-status"),
    path("documents/<int:pk>/reessayer/", views.DocumentRetryView.as_view(), name="document-retry"),
    path("documents/<int:pk>/telecharger/", views.DocumentDownloadView.as_view(), name="document-download"),
]
