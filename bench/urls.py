"""The project's URLs plus the baseline of every page benchmark: a bare Django view.

It lives here, never in intranet/urls.py, so production has no such URL.
"""

from django.http import HttpResponse
from django.urls import path

from intranet.urls import urlpatterns as project_urlpatterns


def bare(request):
    """The cheapest answer Django gives through the project's full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *project_urlpatterns]
