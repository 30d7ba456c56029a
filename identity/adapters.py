"""allauth adapters: the core's account rules plus the identity providers' ones."""

import logging

from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from identity import mfa, sessions
from identity.permissions import partner_refused_reason, password_refused_reason
from identity.services import mfa_grace_start
from intranet.adapters import AccountAdapter as CoreAccountAdapter


class AccountAdapter(CoreAccountAdapter):
    def get_login_stages(self):
        return [
            "identity.stages.AuthenticateStage" if path == "allauth.mfa.stages.AuthenticateStage" else path
            for path in super().get_login_stages()
        ]

    def pre_login(self, request, user, **kwargs):
        reason = partner_refused_reason(user)
        if not reason and sessions.last_method(request.session) == "password":
            reason = password_refused_reason(user)
        if reason:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            messages.error(request, reason)
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def login(self, request, user):
        pending = sessions.pending_oidc_for(request.session, user)
        request.session.pop(sessions.PENDING_KEY, None)
        super().login(request, user)
        if pending:
            request.session[sessions.OIDC_KEY] = pending
        self._require_second_factor(request, user, sso_mfa=bool(pending and pending.get("mfa")))

    def _require_second_factor(self, request, user, *, sso_mfa: bool) -> None:
        """For the roles that must use a second factor and have none: the grace period's end goes
        into the session (the middleware enforces it) and the person is told until when."""
        request.session.pop(mfa.DEADLINE_KEY, None)
        if sso_mfa or not mfa.mfa_required(user) or mfa.has_second_factor(user):
            return
        deadline = mfa.grace_deadline(mfa_grace_start(user=user))
        request.session[mfa.DEADLINE_KEY] = deadline.isoformat()
        if deadline > timezone.now():
            messages.warning(
                request,
                _(
                    "Votre rôle donne accès à des données personnelles : activez la double authentification "
                    "avant le %(date)s (Mon compte › Double authentification)."
                )
                % {"date": date_format(timezone.localtime(deadline), "DATE_FORMAT")},
            )

    def get_logout_redirect_url(self, request):
        signed_in_by = sessions.oidc_of(request.session)
        if signed_in_by:
            try:
                provider = get_social_adapter().get_provider(request, signed_in_by["provider"])
            except Exception:  # noqa: BLE001 — a provider removed from the configuration since
                provider = None
            if provider is not None:
                url = provider.end_session_url(
                    request,
                    id_token=signed_in_by["id_token"],
                    post_logout_redirect_uri=request.build_absolute_uri(reverse("account_login")),
                )
                if url:
                    return url
        return super().get_logout_redirect_url(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A person signs in with a provider only when they are already an agent (matched by the
    e-mail the provider vouches for), unless that provider is allowed to create accounts."""

    def authenticate_by_email(self, sociallogin):
        """allauth wipes the password of an account matched through an unverified address (against
        someone who signed up with another's address). Here nobody signs up: the address is the one
        HR gave, and the provider vouches for it too, so it is recorded as verified and the agent
        keeps their password (partners and the password form still need it)."""
        match = super().authenticate_by_email(sociallogin)
        if match:
            user, email = match
            EmailAddress.objects.update_or_create(
                user=user, email__iexact=email, defaults={"email": email.lower(), "verified": True}
            )
        return match

    def is_open_for_signup(self, request, sociallogin):
        return bool(sociallogin.provider.app.settings.get("allow_signup"))

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # Refusals (tampered or expired token, wrong nonce, unknown state) are logged for the
        # security officer; the page itself says nothing the attacker could use.
        logging.getLogger("identity.oidc").warning(
            "OIDC sign-in refused (provider %s): %s %s",
            getattr(getattr(provider, "app", None), "provider_id", provider),
            error,
            exception,
        )
        return super().on_authentication_error(request, provider, error, exception, extra_context)
