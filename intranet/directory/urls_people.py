"""The people of the directory: search as you type, the agent page and their vCard."""

from django.urls import path

from intranet.directory import views_people as views

urlpatterns = [
    path("", views.AgentListView.as_view(), name="agent-list"),
    path("agents/<int:pk>/", views.AgentDetailView.as_view(), name="agent-detail"),
    path("agents/<int:pk>/vcard/", views.AgentVcardView.as_view(), name="agent-vcard"),
]
