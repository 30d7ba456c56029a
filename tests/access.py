"""The machinery of the role × URL access matrix (the table itself is tests/test_access_matrix.py).

- `url_patterns()` walks the resolver: every pattern, with its key (the qualified URL name,
  or the route for the few unnamed patterns such as the admin's catch-all).
- `Status`, `Redirect` and the constants (`OK`, `FORBIDDEN`, `LOGIN`…) are the outcomes a
  row expects; `row()` builds a row from them, one outcome per role.
- `check_access()` runs one (URL, role) case: logs in as the role, requests the URL and
  compares the response with the row.
- `admin_rows()` generates the rows of the Django admin's per-model URLs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.conftest import ROLE_FIXTURES

ROLES: tuple[str, ...] = ("anonymous", *ROLE_FIXTURES)
LOGGED_IN: tuple[str, ...] = tuple(ROLE_FIXTURES)


# --- The URL patterns ---------------------------------------------------------------------


@dataclass(frozen=True)
class UrlPattern:
    key: str  # "intranet:home", "admin:intranet_agent_change", or the route when unnamed
    name: str | None  # the qualified name, None for an unnamed pattern
    route: str  # the full route, as `resolve(path).route` gives it
    converters: Mapping[str, Any]


def _join_route(prefix: str, route: str) -> str:
    # As django.urls.resolvers.URLResolver._join_route, so routes compare with ResolverMatch.route.
    if not prefix:
        return route
    return prefix + route.removeprefix("^")


def _walk(patterns, prefix: str = "", namespace: str | None = None) -> Iterator[tuple[str | None, str, dict]]:
    for pattern in patterns:
        route = _join_route(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, route, dict(getattr(pattern.pattern, "converters", {}))


def url_patterns() -> list[UrlPattern]:
    """Every URL pattern of the project, keyed by its qualified name; a pattern without a name,
    or whose name another pattern shares, is keyed by its route."""
    found = list(_walk(get_resolver().url_patterns))
    counts = Counter(name for name, _, _ in found if name)
    return [
        UrlPattern(key=name if name and counts[name] == 1 else route, name=name, route=route, converters=conv)
        for name, route, conv in found
    ]


# --- Outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """The response has this status code (and, if given, contains this text)."""

    code: int
    contains: str = ""

    def containing(self, text: str) -> Status:
        return replace(self, contains=text)

    def describe(self, ctx: Ctx | None = None) -> str:
        return f"{self.code}" + (f" containing {self.contains!r}" if self.contains else "")

    def mismatch(self, response, ctx: Ctx) -> str | None:
        if response.status_code != self.code:
            return f"got {_describe_response(response)}"
        if self.contains and self.contains not in response.content.decode(errors="replace"):
            return f"got {response.status_code} without {self.contains!r}"
        return None


@dataclass(frozen=True)
class Redirect:
    """A 302 to `to` (a path on this site, or a function of the case's `Ctx` returning one).
    With `next_=True` the redirect carries `?next=` back to the requested URL (a login page)."""

    to: str | Callable[[Ctx], str]
    next_: bool = False
    code: int = 302

    def target(self, ctx: Ctx | None) -> str:
        return self.to(ctx) if callable(self.to) else self.to

    def describe(self, ctx: Ctx | None = None) -> str:
        target = "<computed>" if ctx is None and callable(self.to) else self.target(ctx)
        return f"{self.code} → {target}" + ("?next=<this URL>" if self.next_ else "")

    def mismatch(self, response, ctx: Ctx) -> str | None:
        if response.status_code != self.code:
            return f"got {_describe_response(response)}"
        location = urlsplit(response["Location"])
        if location.netloc not in ("", "testserver"):
            return f"got a redirect off the site: {response['Location']}"
        if location.path != self.target(ctx):
            return f"got {_describe_response(response)}"
        if self.next_:
            wanted = response.wsgi_request.get_full_path()
            if parse_qs(location.query).get("next") != [wanted]:
                return f"got {response['Location']} (expected next={wanted})"
        return None


Outcome = Status | Redirect

OK = Status(200)
NO_CONTENT = Status(204)
FORBIDDEN = Status(403)
NOT_FOUND = Status(404)
NOT_ALLOWED = Status(405)
LOGIN = Redirect("/comptes/login/", next_=True)  # settings.LOGIN_URL
ADMIN_LOGIN = Redirect("/admin/login/", next_=True)
HOME = Redirect("/")


def _describe_response(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code} → {response['Location']}"
    return str(response.status_code)


# --- Rows ---------------------------------------------------------------------------------


@dataclass
class Ctx:
    """What a row's callables receive: the role under test, its user (None when anonymous),
    every role's user (`ctx.users["agent"]`, created on first use) and any pytest fixture."""

    role: str
    request: pytest.FixtureRequest
    object_pk: Any = None  # the `object_id` of the URL under test, once built

    @property
    def user(self):
        return self.users[self.role]

    @property
    def users(self) -> _LazyUsers:
        return _LazyUsers(self)

    def fixture(self, name: str):
        return self.request.getfixturevalue(name)


class _LazyUsers(Mapping):
    def __init__(self, ctx: Ctx):
        self._ctx = ctx

    def __getitem__(self, role: str):
        if role not in ROLES:
            raise KeyError(f"unknown role {role!r}; roles are {ROLES}")
        return None if role == "anonymous" else self._ctx.fixture(role)

    def __iter__(self):
        return iter(ROLES)

    def __len__(self):
        return len(ROLES)


@dataclass(frozen=True)
class Row:
    expect: Mapping[str, Outcome]
    kwargs: dict | Callable[[Ctx], dict] | None = None  # the URL's kwargs, for reverse()
    url: Callable[[Ctx], str] | None = None  # or the whole URL (unnamed patterns)
    method: str = "get"
    data: dict | Callable[[Ctx], dict] | None = None  # query string (GET) or form data (POST)
    settings: dict | Callable[[Ctx], dict] | None = None  # overrides for this row

    def but(self, **by_role: Outcome) -> Row:
        """The same row with other outcomes for some roles (to adjust a generated row)."""
        unknown = set(by_role) - set(ROLES)
        if unknown:
            raise TypeError(f"unknown role(s) {sorted(unknown)}; roles are {ROLES}")
        return replace(self, expect={**self.expect, **by_role})


def row(
    *,
    kwargs=None,
    url=None,
    method="get",
    data=None,
    settings=None,
    default: Outcome = OK,
    logged_in: Outcome | None = None,
    **by_role: Outcome,
) -> Row:
    """A row of the matrix: `default` for every role, `logged_in` for every role but anonymous,
    then one keyword per role that differs, e.g. `row(anonymous=LOGIN, partenaire=FORBIDDEN)`."""
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise TypeError(f"unknown role(s) {sorted(unknown)}; roles are {ROLES}")
    expect = dict.fromkeys(ROLES, default)
    if logged_in is not None:
        expect.update(dict.fromkeys(LOGGED_IN, logged_in))
    expect.update(by_role)
    return Row(expect=expect, kwargs=kwargs, url=url, method=method, data=data, settings=settings)


def public(**kw) -> Row:
    """Readable by everyone, logged in or not."""
    return row(**{"default": OK, **kw})


def login_required(**kw) -> Row:
    """Any logged-in user, partners included."""
    return row(**{"anonymous": LOGIN, **kw})


def internal(**kw) -> Row:
    """The administration's own agents: partners are refused."""
    return row(**{"anonymous": LOGIN, "partenaire": FORBIDDEN, **kw})


def admin_only(**kw) -> Row:
    """A page of the site (not the Django admin) for administrators only."""
    return row(**{"anonymous": LOGIN, "default": FORBIDDEN, "admin_user": OK, **kw})


def staff_only(**kw) -> Row:
    """The Django admin: everyone but staff goes to the admin's login page."""
    return row(**{"default": ADMIN_LOGIN, "admin_user": OK, **kw})


def admin_rows(site, objects: Mapping[str, Callable[[Ctx], Any]]) -> dict[str, Row]:
    """Rows for every model registered in the admin `site`: changelist, add, change, delete,
    history and the bare object URL (which redirects to change). `objects` maps a model's
    label ("intranet.agent") to a function building a real object; a model without one gets
    no object rows, so its object URLs show up as missing."""
    prefix = reverse(f"{site.name}:index").lstrip("/")
    rows: dict[str, Row] = {}
    for model in site._registry:
        info = f"{site.name}:{model._meta.app_label}_{model._meta.model_name}"
        rows[f"{info}_changelist"] = staff_only()
        rows[f"{info}_add"] = staff_only()
        build = objects.get(model._meta.label_lower)
        if build is None:
            continue

        def object_id(ctx, build=build):
            return {"object_id": build(ctx).pk}

        for view in ("change", "delete", "history"):
            rows[f"{info}_{view}"] = staff_only(kwargs=object_id)

        def bare_url(ctx, info=info, object_id=object_id):
            return reverse(f"{info}_change", kwargs=object_id(ctx)).removesuffix("change/")

        def change_url(ctx, info=info):
            return reverse(f"{info}_change", kwargs={"object_id": ctx.object_pk})

        route = f"{prefix}{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"
        rows[route] = staff_only(url=bare_url, admin_user=Redirect(change_url))
    return rows


# --- Running one case ---------------------------------------------------------------------


def _value(value, ctx):
    return value(ctx) if callable(value) else value


def check_access(*, key: str, role: str, row: Row, patterns: Mapping[str, UrlPattern], request) -> None:
    """Request `key`'s URL as `role` and compare the response with the row's outcome
    (`request` is pytest's; the client and settings fixtures come from it)."""
    client, settings = request.getfixturevalue("client"), request.getfixturevalue("settings")
    pattern = patterns.get(key)
    if pattern is None:
        pytest.fail(f"{key}: the matrix has a row for a URL that no longer exists")
    ctx = Ctx(role=role, request=request)
    for name, value in (_value(row.settings, ctx) or {}).items():
        setattr(settings, name, value)
    try:
        path = row.url(ctx) if row.url is not None else reverse(pattern.name, kwargs=_value(row.kwargs, ctx))
    except NoReverseMatch as error:
        pytest.fail(f"{key}: the row cannot build the URL {pattern.route!r} (give it kwargs= or url=): {error}")
    match = resolve(urlsplit(path).path)
    ctx.object_pk = match.kwargs.get("object_id")
    assert match.route == pattern.route, f"{key}: the row builds {path}, which is {match.route!r}, not this URL"
    data = _value(row.data, ctx)
    if ctx.user is not None:
        client.force_login(ctx.user)
    response = getattr(client, row.method)(path, data) if data is not None else getattr(client, row.method)(path)
    expected = row.expect[role]
    problem = expected.mismatch(response, ctx)
    if problem:
        pytest.fail(f"{row.method.upper()} {path} as {role}: expected {expected.describe(ctx)}, {problem}")
