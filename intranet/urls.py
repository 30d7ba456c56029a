import re

from django.apps import apps
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from intranet import views
from intranet.pickers import PickerSearchView
from intranet.registry import registry

core_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("a-faire/", views.TodoView.as_view(), name="todo"),
    path("a-faire/recapitulatif/", views.TodoDigestView.as_view(), name="todo-digest"),
    path("recherche/", views.SearchView.as_view(), name="search"),
    path(
        "accessibilite/",
        views.PublicPageView.as_view(template_name="intranet/accessibility.html"),
        name="accessibility",
    ),
    path("mentions-legales/", views.PublicPageView.as_view(template_name="intranet/legal.html"), name="legal"),
    path("donnees-personnelles/", views.PublicPageView.as_view(template_name="intranet/privacy.html"), name="privacy"),
    path("journal/", views.AuditLogView.as_view(), name="audit-log"),
    path("courriels-de-test/", views.MailOutboxView.as_view(), name="mail-outbox"),
    path("sante/", views.health, name="health"),
    path("sante/detail/", views.HealthDetailView.as_view(), name="health-detail"),
    path("metrics", views.metrics, name="metrics"),
    path("conservation/", views.RetentionView.as_view(), name="retention"),
    path("media/<path:path>", views.media, name="media"),
    path("documents/<int:pk>/", views.DocumentStatusView.as_view(), name="document-status"),
    path("documents/<int:pk>/reessayer/", views.DocumentRetryView.as_view(), name="document-retry"),
    path("documents/<int:pk>/telecharger/", views.DocumentDownloadView.as_view(), name="document-download"),
    # The search-as-you-type pickers, one URL each (each has its row in the access matrix).
    *(
        path(f"choix/{key}/", PickerSearchView.as_view(picker_key=key), name=f"picker-{key}")
        for key in sorted(registry.pickers)
    ),
]

urlpatterns = [
    path("", include((core_patterns, "intranet"))),
    path("annuaire/", include("intranet.directory.urls")),
    path("comptes/", include("allauth.urls")),
    path("langue/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]


# Feature apps declare `url_prefix` on their AppConfig and are mounted here, so adding an
# app needs no edit of the core. An app that moved keeps its old addresses in
# `former_url_prefixes`: links of e-mails sent before the move answer with a permanent redirect.
for config in apps.get_app_configs():
    prefix = getattr(config, "url_prefix", None)
    if prefix is not None:
        urlpatterns.append(path(prefix, include(f"{config.name}.urls")))
    for former in getattr(config, "former_url_prefixes", ()):
        urlpatterns.append(
            re_path(
                rf"^{re.escape(former)}(?P<rest>.*)$",
                RedirectView.as_view(url=f"/{prefix}%(rest)s", permanent=True, query_string=True),
                name=f"moved-{config.label}-{former.strip('/')}",
            )
        )

# Our own error pages (intranet/errors.py); the CSRF failure page is settings.CSRF_FAILURE_VIEW.
handler400 = "intranet.errors.bad_request"
handler403 = "intranet.errors.permission_denied"
handler404 = "intranet.errors.page_not_found"
handler500 = "intranet.errors.server_error"
