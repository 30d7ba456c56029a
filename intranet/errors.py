"""Our own error pages (400, 403, 404, 500 and the CSRF failure), in the site's layout and
language, saying what happened and what to do next.

Each is wired in `intranet/urls.py` (`handler400`…) and `settings.CSRF_FAILURE_VIEW`. The
500 page renders without the request's context: no session, no user, no query, so that it
still answers when the database is what failed."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader


def _render(request, template_name: str, status: int, **context):
    context.setdefault("contact_email", settings.CONTACT_EMAIL)
    return render(request, template_name, context, status=status)


def bad_request(request, exception=None):
    return _render(request, "errors/400.html", 400)


def permission_denied(request, exception=None):
    return _render(request, "errors/403.html", 403)


def page_not_found(request, exception=None):
    return _render(request, "errors/404.html", 404)


def server_error(request):
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(
        template.render({"SITE_NAME": settings.SITE_NAME, "contact_email": settings.CONTACT_EMAIL})
    )


def csrf_failure(request, reason=""):
    """The form was sent without its valid security token: most often a page left open past
    the session's end, or a sign-out in another tab."""
    return _render(request, "errors/csrf.html", 403, no_cookie=reason == REASON_NO_CSRF_COOKIE)
