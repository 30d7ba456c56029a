from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from identity.mfa import DEADLINE_KEY, deadline_passed, has_second_factor

# Pages still open to a person who must enrol: the account pages (enrolment, sign-out, sessions),
# static files, the language switch and the health check.
OPEN_PREFIXES = ("/comptes/", "/static/", "/langue/", "/sante/")


class MFARequiredMiddleware:
    """Sends a person whose role requires a second factor, once their grace period is over, to the
    enrolment page until they have one. Decided at sign-in (identity.adapters): a session without
    the deadline key costs nothing here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            DEADLINE_KEY in request.session
            and request.user.is_authenticated
            and deadline_passed(request.session)
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            if has_second_factor(request.user):
                del request.session[DEADLINE_KEY]
            else:
                messages.warning(
                    request,
                    _(
                        "Votre rôle donne accès à des données personnelles : activez la double "
                        "authentification (application d'authentification ou clé de sécurité) pour continuer."
                    ),
                )
                return redirect("mfa_index")
        return self.get_response(request)
