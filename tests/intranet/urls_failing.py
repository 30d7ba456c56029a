"""The site's URLs plus one view that fails, to see the 500 page (tests only)."""

from django.db import connection
from django.urls import path

from intranet.urls import *  # noqa: F403  (urlpatterns and the handlers)
from intranet.urls import urlpatterns as site_urlpatterns


def _failing_view(request):
    with connection.cursor() as cursor:  # a query, as a real page would make
        cursor.execute("SELECT 1")
    raise RuntimeError("a bug")


urlpatterns = [*site_urlpatterns, path("en-panne/", _failing_view)]
