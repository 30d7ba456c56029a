"""The identity app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

allauth's social, second-factor and sessions pages: every signed-in person manages their own
second factors and sessions; nobody reaches another person's. Signing in with a provider starts
only from a POST (login CSRF); an unknown provider is a 404."""

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession

from tests.access import (
    FORBIDDEN,
    HOME,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Redirect,
    Status,
    internal,
    login_required,
    public,
    row,
)
from tests.factories import AgentFactory

UNKNOWN_PROVIDER = {"provider_id": "inconnu"}
REAUTHENTICATE = Redirect("/comptes/reauthenticate/", next_=True)  # allauth asks the password again


def _own_webauthn_key(ctx):
    """A security key of another person: nobody reaches it through the pages."""
    key = Authenticator.objects.create(user=AgentFactory(), type=Authenticator.Type.WEBAUTHN, data={"name": "clé"})
    return {"pk": key.pk}


def _social_account(ctx):
    return SocialAccount.objects.create(user=AgentFactory(), provider="keycloak", uid="matrice")


def _authenticator(ctx):
    return Authenticator.objects.create(user=AgentFactory(), type=Authenticator.Type.RECOVERY_CODES, data={})


def _user_session(ctx):
    return UserSession.objects.create(user=AgentFactory(), ip="127.0.0.1", session_key="matrice0" * 5)


def _access(ctx, **kw):
    from datetime import timedelta

    from django.utils import timezone

    from identity.models import PartnerAccess

    partner = AgentFactory(is_external=True, organisation="Lycée de la matrice")
    return PartnerAccess.objects.create(
        partner=partner, service="rh", expires_on=timezone.localdate() + timedelta(days=30), **kw
    )


def _contact(ctx):
    from identity.models import PartnerContact

    return {"pk": PartnerContact.objects.create(organisation="Lycée de la matrice", agent=AgentFactory()).pk}


def _invitation(ctx):
    from identity.partners import invitation_token

    return {"token": invitation_token(_access(ctx).partner)}


def _partner_managers(**kw):
    """HR, communication and administrators; other agents 403, partners 403, anonymous to sign-in."""
    return internal(**{"default": FORBIDDEN, "rh": OK, "communication": OK, "admin_user": OK, **kw})


ADMIN_OBJECTS = {
    "mfa.authenticator": _authenticator,
    "socialaccount.socialaccount": _social_account,
    "usersessions.usersession": _user_session,
}

ROWS = {
    "openid_connect_login": row(kwargs=UNKNOWN_PROVIDER, default=NOT_ALLOWED),
    "openid_connect_callback": row(kwargs=UNKNOWN_PROVIDER, default=NOT_FOUND),
    "socialaccount_connections": login_required(),
    "socialaccount_login_cancelled": public(),
    "socialaccount_login_error": public(default=Status(401)),  # allauth's "third-party login failure"
    "socialaccount_signup": row(default=Redirect("/comptes/login/")),  # nothing pending: back to sign-in
    **{
        f"comptes/social/{old}": row(url=lambda ctx, old=old: f"/comptes/social/{old}", default=Redirect(new, code=301))
        for old, new in {
            "connections/": "/comptes/3rdparty/",
            "login/cancelled/": "/comptes/3rdparty/login/cancelled/",
            "login/error/": "/comptes/3rdparty/login/error/",
            "signup/": "/comptes/3rdparty/signup/",
        }.items()
    },
    "mfa_index": login_required(),
    "mfa_activate_totp": login_required(logged_in=REAUTHENTICATE),
    "mfa_deactivate_totp": login_required(logged_in=NOT_FOUND),
    "mfa_add_webauthn": login_required(logged_in=REAUTHENTICATE),
    "mfa_list_webauthn": login_required(),
    # Another person's key: the password is asked first, then the key is not found (tests/identity).
    "mfa_edit_webauthn": login_required(kwargs=_own_webauthn_key, logged_in=REAUTHENTICATE),
    "mfa_remove_webauthn": login_required(kwargs=_own_webauthn_key, logged_in=REAUTHENTICATE),
    "mfa_view_recovery_codes": login_required(logged_in=NOT_FOUND),
    "mfa_download_recovery_codes": login_required(logged_in=NOT_FOUND),
    "mfa_generate_recovery_codes": login_required(logged_in=REAUTHENTICATE),
    "mfa_authenticate": row(default=Redirect("/comptes/login/"), logged_in=HOME),
    # Without a second factor enrolled, confirming one's identity is by password.
    "mfa_reauthenticate": login_required(logged_in=Redirect("/comptes/reauthenticate/")),
    "mfa_reauthenticate_webauthn": login_required(logged_in=Redirect("/comptes/reauthenticate/")),
    "mfa_login_webauthn": row(default=Redirect("/comptes/login/"), logged_in=HOME),  # a POST from the sign-in page
    "usersessions_list": login_required(),
    # Another person's session: not found (ending one's own: tests/identity/test_sessions.py).
    "identity:session-end": login_required(
        kwargs=lambda ctx: {"pk": _user_session(ctx).pk}, method="post", logged_in=NOT_FOUND
    ),
    # Partners' accesses (identity/partners.py).
    "identity:partner-list": _partner_managers(),
    "identity:partner-invite": _partner_managers(),
    "identity:partner-contacts": _partner_managers(),
    "identity:partner-reconfirm": _partner_managers(
        kwargs=lambda ctx: {"pk": _access(ctx).pk},
        method="post",
        rh=Redirect("/identite/partenaires/"),
        communication=Redirect("/identite/partenaires/"),
        admin_user=Redirect("/identite/partenaires/"),
    ),
    "identity:partner-resend": _partner_managers(
        kwargs=lambda ctx: {"pk": _access(ctx).pk},
        method="post",
        rh=Redirect("/identite/partenaires/"),
        communication=Redirect("/identite/partenaires/"),
        admin_user=Redirect("/identite/partenaires/"),
    ),
    "identity:partner-contact-remove": _partner_managers(
        kwargs=_contact,
        method="post",
        rh=Redirect("/identite/partenaires/contacts/"),
        communication=Redirect("/identite/partenaires/contacts/"),
        admin_user=Redirect("/identite/partenaires/contacts/"),
    ),
    # The partner's own link: open to whoever holds it (nobody else can forge one).
    "identity:invitation-accept": public(kwargs=_invitation),
}
