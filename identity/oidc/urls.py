"""allauth's `openid_connect` addresses and names, served by our strict views (see provider.py)."""

from django.urls import include, path

from identity.oidc import views

urlpatterns = [
    path(
        "oidc/<str:provider_id>/",
        include(
            [
                path("login/", views.oidc_login, name="openid_connect_login"),
                path("login/callback/", views.oidc_callback, name="openid_connect_callback"),
            ]
        ),
    )
]
