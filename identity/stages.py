from allauth.mfa import stages

from identity.sessions import pending_oidc_for


class AuthenticateStage(stages.AuthenticateStage):
    """allauth's second-factor step, skipped when the identity provider that signed the person
    in asserts it already asked for a second factor (`amr`/`acr`)."""

    def _should_handle(self, request) -> bool:
        pending = pending_oidc_for(request.session, self.login.user)
        if pending and pending.get("mfa"):
            return False
        return super()._should_handle(request)
