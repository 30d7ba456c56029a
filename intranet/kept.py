"""What the cache keeps, and when it is renewed: one way for every kept thing.

A *version* is a token in the cache that changes when what it names changes (`renew`): the org
chart, everyone's roles, a model. Whatever is kept under a version is read again once the version
is renewed, and, at the latest, once its time is up (what bypasses the renewals — a bulk update, a
shell — shows within that time).

`renew(name)` renews now (what this transaction reads next is fresh) and again after the commit (a
reader that rendered the page in between, from the data before the commit, kept it under the
version this second renewal drops).

A model's version (`model_version_name("app.Model")`) is renewed on each save and deletion of one
of its rows, and when its many-to-many relations change, for the models someone keeps something
for: a `KeptFragment`'s `changes_with` and the home page's slots kept for everyone.

`KeptFragment`: a piece of a page rendered once and kept a minute for everyone who sees it the same
way (`vary`: what makes two readers see it differently — the object, a permission, the page
number…), renewed when one of its `changes_with` models changes. A fragment may hold no form: a
form's CSRF token is the reader's own (a fragment that holds one is drawn each time and never
kept). `settings.KEPT_FRAGMENT_SECONDS`: 0 keeps nothing (the test settings: the pages' own tests
read what they just wrote; tests/intranet/test_kept.py keeps them).
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

_VERSION_PREFIX = "version:"
# Saves of these fields alone change nothing a page shows: signing in, the « À faire » digest's
# daily pass over every subscriber (it would renew every page that shows agents, all along).
_BOOKKEEPING = frozenset({"last_login", "todo_digest_checked_at"})
_watched_models: set[str] = set()


def versions(names: Iterable[str]) -> dict[str, str]:
    """The current version of each name, started when the cache has none (one round trip when
    all exist). A name the cache cannot give a version to is left out."""
    keys = {_VERSION_PREFIX + name: name for name in names}
    found = cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, None)
        found = cache.get_many(list(keys))
    return {keys[key]: value for key, value in found.items()}


def version(name: str) -> str:
    return versions([name]).get(name, "")


def renew(name: str) -> None:
    """A new version of `name`: now, and again after the commit."""

    def start():
        cache.set(_VERSION_PREFIX + name, uuid.uuid4().hex, None)

    start()
    transaction.on_commit(start)


def model_version_name(label: str) -> str:
    return f"model:{label}"


def watch_models(labels: Iterable[str]) -> None:
    """Renew these models' versions when their rows change (see the module's docstring)."""
    _watched_models.update(labels)


@receiver(post_save, dispatch_uid="kept-renewed-on-save")
@receiver(post_delete, dispatch_uid="kept-renewed-on-delete")
def _renew_on_change(sender, update_fields=None, **kwargs) -> None:
    label = sender._meta.label
    if label not in _watched_models:
        return
    if update_fields is not None and set(update_fields) <= _BOOKKEEPING:
        return
    renew(model_version_name(label))


@receiver(m2m_changed, dispatch_uid="kept-renewed-on-m2m")
def _renew_on_relation(sender, instance, action, model, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    for label in {type(instance)._meta.label, model._meta.label}:
        if label in _watched_models:
            renew(model_version_name(label))


def stamp() -> str:
    """What every kept rendering depends on besides its data: the day (« en retard », « il y a
    3 jours ») and the language."""
    return f"{timezone.localdate().isoformat()}:{get_language()}"


@dataclass(frozen=True)
class KeptFragment:
    name: str
    changes_with: tuple[str, ...]

    def __post_init__(self):
        watch_models(self.changes_with)

    def key(self, vary: Iterable) -> str | None:
        """The cache key of the fragment as `vary` sees it now; None when the cache could not give
        every model a version (then the fragment is drawn each time)."""
        names = [model_version_name(label) for label in self.changes_with]
        found = versions(names)
        if len(found) != len(names):
            return None
        token = ".".join(found[name][:12] for name in names)
        return f"kept:{self.name}:{':'.join(str(part) for part in vary)}:{token}:{stamp()}"

    def html(self, *vary, render: Callable[[], str]) -> SafeString:
        """The fragment kept for `vary`, or `render()` drawn now (and kept a minute)."""
        seconds = settings.KEPT_FRAGMENT_SECONDS
        key = self.key(vary) if seconds else None
        if key is not None:
            kept = cache.get(key)
            if kept is not None:
                return mark_safe(kept)  # noqa: S308 - rendered by our templates
        html = str(render())
        if key is not None and 'name="csrfmiddlewaretoken"' not in html:
            cache.set(key, html, seconds)
        return mark_safe(html)  # noqa: S308 - rendered by our templates
