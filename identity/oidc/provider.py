"""OpenID Connect with allauth's `openid_connect` provider, made strict.

allauth's provider skips the ID token's signature when the token came from the token
endpoint, sends no `nonce` and reads userinfo as JSON only. An administration's providers
(ProConnect signs its userinfo) and its security officer want more, so this provider:

- sends a `nonce` (kept in allauth's state, with the PKCE verifier) and refuses an ID token
  that does not carry it back;
- always checks the ID token's signature against the provider's published keys, with the
  algorithms the provider announces (never `none`, never a shared-secret algorithm), and its
  issuer, audience, expiry and issue time;
- reads a signed userinfo (`application/jwt`) as well as plain JSON;
- reads the e-mail from the claim the provider is configured with;
- refuses any scope or authorisation parameter added through the query string.

It is plugged in with `SOCIALACCOUNT_PROVIDERS["openid_connect"]["provider_class"]`; allauth then
mounts this package's urls.py instead of its own provider's, so the login and callback views (the
same addresses and names as allauth's: /comptes/oidc/<id>/login/callback/) use this adapter.
"""

from __future__ import annotations

import json

import jwt
import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider, _pick_data
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.http import urlencode

# Asymmetric algorithms only: a provider's public keys verify them, nobody else can sign.
SAFE_ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
CLOCK_SKEW = 30  # seconds of leeway on exp/iat/nbf


def _verify_jwt(*, token: str, config: dict, audience: str, require: list[str]) -> dict:
    """The claims of a JWT signed by one of the provider's keys; OAuth2Error otherwise."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise OAuth2Error("Malformed token") from error
    alg = header.get("alg")
    announced = set(config.get("id_token_signing_alg_values_supported") or ["RS256"])
    if alg not in SAFE_ALGORITHMS or alg not in announced:
        raise OAuth2Error(f"Refused signing algorithm: {alg!r}")
    with get_adapter().get_requests_session() as session:
        response = session.get(config["jwks_uri"])
        response.raise_for_status()
        keys = response.json().get("keys", [])
    kid = header.get("kid")
    candidates = [k for k in keys if k.get("use", "sig") == "sig" and (kid is None or k.get("kid") == kid)]
    if not candidates:
        raise OAuth2Error(f"Unknown signing key: {kid!r}")
    jwk = candidates[0]
    if jwk.get("alg") and jwk["alg"] != alg:
        raise OAuth2Error("The key's algorithm is not the token's")
    try:
        key = jwt.PyJWK(jwk, algorithm=alg).key
        return jwt.decode(
            token,
            key=key,
            algorithms=[alg],
            audience=audience,
            issuer=config["issuer"],
            leeway=CLOCK_SKEW,
            options={"require": require},
        )
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise OAuth2Error(f"Invalid token: {error}") from error


class OIDCAdapter(OpenIDConnectOAuth2Adapter):
    state: dict | None = None  # allauth's stashed state of this sign-in, set by the callback view

    def complete_login(self, request, app, token, **kwargs):
        raw_id_token = kwargs["response"].get("id_token")
        if not raw_id_token:
            raise OAuth2Error("The provider returned no ID token")
        login = super().complete_login(request, app, token, **kwargs)
        claims = login.account.extra_data["id_token"]
        # The session remembers which provider signed this person in, for the second factor it
        # vouches for and for the provider's logout (`id_token_hint`).
        request.session["identity.oidc_pending"] = {
            "provider": self.provider_id,
            "uid": login.account.uid,
            "id_token": raw_id_token,
            "mfa": self.get_provider().asserts_mfa(claims),
        }
        return login

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        claims = _verify_jwt(
            token=id_token,
            config=self.openid_config,
            audience=app.client_id,
            require=["iss", "aud", "exp", "iat", "sub", "nonce"],
        )
        expected = (self.state or {}).get("nonce")
        if not expected or not constant_time_compare(str(claims.get("nonce")), expected):
            raise OAuth2Error("The ID token's nonce is not the one sent")
        if isinstance(claims.get("aud"), list) and len(claims["aud"]) > 1 and claims.get("azp") != app.client_id:
            raise OAuth2Error("The ID token was issued to another party")
        jwtkit.verify_jti(claims)
        return claims

    def _fetch_user_info(self, access_token: str) -> dict:
        headers = {"Authorization": f"Bearer {access_token}"}
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers=headers)
            response.raise_for_status()
        if response.headers.get("Content-Type", "").split(";")[0].strip() == "application/jwt":
            # ProConnect signs its userinfo: same keys, same issuer, addressed to us.
            return _verify_jwt(
                token=response.text.strip(),
                config=self.openid_config,
                audience=self.get_provider().app.client_id,
                require=["sub"],
            )
        return response.json()


class OIDCProvider(OpenIDConnectProvider):
    oauth2_adapter_class = OIDCAdapter

    # Only what the administrator configured goes to the provider.
    def get_scope_from_request(self, request):
        return self.get_scope()

    def get_auth_params_from_request(self, request, action):
        return self.get_auth_params()

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = get_random_string(43)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params)
        auth_params["nonce"] = nonce
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)

    def _claims(self, data: dict) -> dict:
        claims = dict(data.get("id_token") or {})
        claims.update(_pick_data(data))
        return claims

    def extract_common_fields(self, data):
        fields = super().extract_common_fields(data)
        claims = self._claims(data)
        fields["email"] = claims.get(self.app.settings.get("email_claim", "email"))
        # ProConnect names the family name `usual_name`.
        fields["last_name"] = fields.get("last_name") or claims.get("usual_name")
        return fields

    def extract_email_addresses(self, data):
        from allauth.account.models import EmailAddress

        claims = self._claims(data)
        email = claims.get(self.app.settings.get("email_claim", "email"))
        if not email:
            return []
        verified = claims.get("email_verified") in (True, "true", "True")
        return [EmailAddress(email=str(email).lower(), verified=verified, primary=True)]

    def asserts_mfa(self, claims: dict) -> bool:
        """True when the ID token says the person used a second factor: an `amr` value or the
        `acr` level this provider is configured to trust for it."""
        amr = claims.get("amr") or []
        if isinstance(amr, str):
            amr = [amr]
        trusted_amr = set(self.app.settings.get("mfa_amr") or [])
        trusted_acr = set(self.app.settings.get("mfa_acr") or [])
        return bool(trusted_amr.intersection(amr)) or (bool(claims.get("acr")) and claims.get("acr") in trusted_acr)

    def end_session_url(self, request, *, id_token: str, post_logout_redirect_uri: str) -> str | None:
        """The provider's logout address (RP-initiated logout), or None when it has none."""
        try:
            endpoint = self.get_oauth2_adapter(request).openid_config.get("end_session_endpoint")
        except (requests.RequestException, ValueError, json.JSONDecodeError):
            return None
        if not endpoint:
            return None
        params = {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": self.app.client_id,
            "state": get_random_string(32),
        }
        separator = "&" if "?" in endpoint else "?"
        return f"{endpoint}{separator}{urlencode(params)}"
