"""A small but real OpenID Connect provider for the tests, served over HTTP on loopback.

It speaks the authorisation code flow as a provider does: discovery, JWKS, an authorisation
page where a person types their e-mail and password, a token endpoint that checks the client's
secret, the redirect URI and the PKCE verifier (S256 only) and hands out an RS256-signed ID
token carrying the nonce it was sent, a userinfo endpoint (JSON or signed JWT, as ProConnect
does), and an end-session endpoint (RP-initiated logout). Codes are single-use.

Tests change what it signs through `next_id_token` (tamper, expire, drop or change the nonce…)
to check that the relying party refuses it. Nothing here is a stand-in for our own code: it is
the other side of the protocol.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class Person:
    sub: str
    email: str
    password: str
    given_name: str = ""
    family_name: str = ""
    email_verified: bool = True
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    acr: str = ""


@dataclass
class Client:
    client_id: str
    secret: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str] = field(default_factory=list)


_KEY = None


def _signing_key():
    """One RSA key for the test session (generating one per test costs more than the test)."""
    global _KEY  # noqa: PLW0603
    if _KEY is None:
        _KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEY


class OIDCProvider:
    def __init__(self):
        self.key = _signing_key()
        self.kid = secrets.token_hex(8)
        self.people: dict[str, Person] = {}
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.authorize_requests: list[dict] = []
        self.logouts: list[dict] = []
        self.userinfo_as_jwt = False
        # A function (claims, encoded) -> encoded, applied to the next ID token only.
        self.next_id_token = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- life cycle ---------------------------------------------------------------------
    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def add_person(self, **kwargs) -> Person:
        person = Person(**kwargs)
        self.people[person.email] = person
        return person

    def add_client(self, **kwargs) -> Client:
        client = Client(**kwargs)
        self.clients[client.client_id] = client
        return client

    # --- signing ------------------------------------------------------------------------
    def sign(self, claims: dict, *, key=None, kid=None, headers=None) -> str:
        return jwt.encode(
            claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid, **(headers or {})}
        )

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [public]}

    def id_token_claims(self, person: Person, *, client_id: str, nonce: str | None) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": person.sub,
            "aud": client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "email": person.email,
            "email_verified": person.email_verified,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "amr": person.amr,
            "jti": secrets.token_hex(8),
        }
        if person.acr:
            claims["acr"] = person.acr
        if nonce is not None:
            claims["nonce"] = nonce
        return claims

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    # --- HTTP ---------------------------------------------------------------------------
    def _handler(provider):  # noqa: N805 — the handler closes over the provider
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body=b"", content_type="application/json", headers=None):
                if isinstance(body, dict | list):
                    body = json.dumps(body).encode()
                elif isinstance(body, str):
                    body = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _redirect(self, url):
                self._send(302, b"", "text/plain", {"Location": url})

            def _form(self) -> dict:
                length = int(self.headers.get("Content-Length") or 0)
                return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._send(200, provider.discovery())
                if url.path == "/favicon.ico":
                    return self._send(204, b"", "image/x-icon")
                if url.path == "/jwks":
                    return self._send(200, provider.jwks())
                if url.path == "/authorize":
                    error = provider._check_authorize(query)
                    if error:
                        return self._send(400, error, "text/plain")
                    provider.authorize_requests.append(query)
                    return self._send(200, provider._login_page(query), "text/html; charset=utf-8")
                if url.path == "/userinfo":
                    return provider._userinfo(self)
                if url.path == "/logout":
                    provider.logouts.append(query)
                    target = query.get("post_logout_redirect_uri")
                    client = provider.clients.get(query.get("client_id", ""))
                    if target and client and target in client.post_logout_redirect_uris:
                        return self._redirect(
                            target + ("&" if "?" in target else "?") + urlencode({"state": query.get("state", "")})
                        )
                    return self._send(200, "<p>Déconnecté du fournisseur.</p>", "text/html; charset=utf-8")
                return self._send(404, {"error": "not_found"})

            def do_POST(self):
                url = urlsplit(self.path)
                form = self._form()
                if url.path == "/authorize":
                    return provider._authorize_post(self, form)
                if url.path == "/token":
                    return provider._token(self, form)
                return self._send(404, {"error": "not_found"})

        return Handler

    def _check_authorize(self, query: dict) -> str | None:
        client = self.clients.get(query.get("client_id", ""))
        if client is None:
            return "unknown client"
        if query.get("redirect_uri") not in client.redirect_uris:
            return "redirect_uri not registered"
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return "code flow with the openid scope only"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return "PKCE (S256) is required"
        return None

    def _login_page(self, query: dict) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in query.items()
        )
        return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Fournisseur d'identité de test</title></head><body><main><h1>Fournisseur d'identité de test</h1>
<form method="post" action="/authorize">{hidden}
<label for="email">Adresse e-mail</label> <input id="email" name="email" type="email">
<label for="password">Mot de passe</label> <input id="password" name="password" type="password">
<button type="submit">Valider</button></form></main></body></html>"""

    def _authorize_post(self, handler, form: dict):
        error = self._check_authorize(form)
        if error:
            return handler._send(400, error, "text/plain")
        person = self.people.get(form.get("email", "").lower())
        if person is None or not secrets.compare_digest(person.password, form.get("password", "")):
            return handler._send(200, self._login_page(form), "text/html; charset=utf-8")
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "person": person,
            "client_id": form["client_id"],
            "redirect_uri": form["redirect_uri"],
            "code_challenge": form["code_challenge"],
            "nonce": form.get("nonce"),
            "expires": time.time() + 60,
        }
        params = {"code": code}
        if "state" in form:
            params["state"] = form["state"]
        return handler._redirect(f"{form['redirect_uri']}?{urlencode(params)}")

    def authorize_code(self, *, email: str, query: dict) -> str:
        """What a person's browser gets back after signing in on the provider's page: the
        callback URL with the code and the state (for tests driving the flow without a browser)."""
        import requests

        response = requests.post(
            f"{self.issuer}/authorize",
            data={**query, "email": email, "password": self.people[email].password},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    def _client_from(self, handler, form: dict) -> Client | None:
        auth = handler.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        client = self.clients.get(client_id)
        if client and secrets.compare_digest(client.secret, secret):
            return client
        return None

    def _token(self, handler, form: dict):
        self.token_requests.append(form)
        client = self._client_from(handler, form)
        if client is None:
            return handler._send(401, {"error": "invalid_client"})
        grant = self.codes.pop(form.get("code", ""), None)  # single use
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or grant["expires"] < time.time()
            or grant["client_id"] != client.client_id
            or grant["redirect_uri"] != form.get("redirect_uri")
        ):
            return handler._send(400, {"error": "invalid_grant"})
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or not secrets.compare_digest(challenge, grant["code_challenge"]):
            return handler._send(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        person = grant["person"]
        claims = self.id_token_claims(person, client_id=client.client_id, nonce=grant["nonce"])
        id_token = self.sign(claims)
        if self.next_id_token is not None:
            change, self.next_id_token = self.next_id_token, None
            id_token = change(self, claims, id_token)
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = {"person": person, "client_id": client.client_id}
        return handler._send(
            200, {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        )

    def _userinfo(self, handler):
        auth = handler.headers.get("Authorization", "")
        grant = self.access_tokens.get(auth.removeprefix("Bearer ").strip())
        if grant is None:
            return handler._send(401, {"error": "invalid_token"})
        person = grant["person"]
        claims = {
            "sub": person.sub,
            "email": person.email,
            "email_verified": person.email_verified,
            "given_name": person.given_name,
            "family_name": person.family_name,
        }
        if self.userinfo_as_jwt:
            claims.update({"iss": self.issuer, "aud": grant["client_id"]})
            return handler._send(200, self.sign(claims), "application/jwt")
        return handler._send(200, claims)


# --- ways to spoil the next ID token ----------------------------------------------------------
def tampered(provider, claims, token):
    """The payload changed after signing (another person's e-mail): the signature no longer matches."""
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["email"] = "rh@test.local"
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def expired(provider, claims, token):
    return provider.sign({**claims, "iat": claims["iat"] - 3600, "exp": claims["iat"] - 1800})


def wrong_nonce(provider, claims, token):
    return provider.sign({**claims, "nonce": "not-the-one-sent"})


def other_key(provider, claims, token):
    """Signed by a key the provider never published, under its key id."""
    return provider.sign(claims, key=rsa.generate_private_key(public_exponent=65537, key_size=2048))


def unsigned(provider, claims, token):
    return jwt.encode(claims, None, algorithm="none")


def other_audience(provider, claims, token):
    return provider.sign({**claims, "aud": "another-client"})
