from django.urls import include, path

app_name = "directory"

urlpatterns = [
    path("", include("intranet.directory.urls_people")),
    path("", include("intranet.directory.urls_orgchart")),
    path("", include("intranet.directory.urls_profile")),
    path("", include("intranet.directory.urls_hr")),
]
