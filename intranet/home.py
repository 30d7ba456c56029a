"""The home page's slots: read at each visit, or kept a minute (intranet.registry.HomeSlot.kept).

A person's kept slots live in one cache entry with their « À faire » inbox's lifetime, so that
their own change (any POST: intranet.middleware) forgets both; the slots kept for everyone are
one entry per slot and version, the version renewed when one of the slot's `changes_with` models
is saved or deleted (now, and again after the commit). Both are stamped with the day and the
language they were rendered in."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from intranet.registry import HomeSlot, registry
from intranet.selectors import TODO_COUNT_SECONDS, home_person_key

KEPT_SECONDS = TODO_COUNT_SECONDS
HIDDEN = ""  # a kept slot with nothing to show (its context was None)


def _version_key(slot_key: str) -> str:
    return f"home-slot-version:{slot_key}"


def _versions(slot_keys: list[str]) -> dict[str, str]:
    keys = {_version_key(key): key for key in slot_keys}
    found = cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, None)
    if missing:
        found = cache.get_many(list(keys))
    return {keys[key]: version for key, version in found.items()}


def home_slot_changed(slot_key: str) -> None:
    """Renew a slot kept for everyone: now (what this transaction reads next is fresh) and again
    after the commit (a reader that rendered it in between, from the data before the commit, kept
    it under the version this second change drops)."""

    def renew():
        cache.set(_version_key(slot_key), uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)


@receiver(post_save, dispatch_uid="home-slots-renewed-on-save")
@receiver(post_delete, dispatch_uid="home-slots-renewed-on-delete")
def _renew_on_change(sender, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:  # signing in changes nothing shown
        return
    for slot in registry.home_slots.values():
        if sender._meta.label in slot.changes_with:
            home_slot_changed(slot.key)


def _render(slot: HomeSlot, request) -> str:
    context = slot.context(request)
    if context is None:
        return HIDDEN
    return render_to_string(slot.template, {"context": context, "user": request.user})


def home_slots(request) -> list[dict]:
    """The slots the signed-in person sees, in order: {"slot", "html"} for a kept one, {"slot",
    "context"} for one read now (the page renders it in its own context: its forms' CSRF token)."""
    user = request.user
    stamp = (timezone.localdate().isoformat(), get_language())
    visible = registry.home_slots_for(user)
    now = timezone.now().timestamp()
    mine = cache.get(home_person_key(user))
    # A slot added later (a role given) rewrites the entry: the older slots keep their first minute.
    if mine is None or mine["stamp"] != stamp or now - mine["since"] > KEPT_SECONDS:
        mine = {"stamp": stamp, "since": now, "html": {}}
    versions = _versions([slot.key for slot in visible if slot.kept == slot.KEPT_EVERYONE])
    shared_keys = {key: f"home-slot:{key}:{version}:{stamp[0]}:{stamp[1]}" for key, version in versions.items()}
    shared = cache.get_many(list(shared_keys.values())) if shared_keys else {}
    slots, fresh_shared, mine_changed = [], {}, False
    for slot in visible:
        if slot.kept == slot.KEPT_PERSON:
            if slot.key not in mine["html"]:
                mine["html"][slot.key] = _render(slot, request)
                mine_changed = True
            html = mine["html"][slot.key]
        elif slot.kept == slot.KEPT_EVERYONE:
            key = shared_keys.get(slot.key)  # None: the cache could not give the slot a version
            html = shared.get(key) if key else None
            if html is None:
                html = _render(slot, request)
                if key:
                    fresh_shared[key] = html
        else:
            context = slot.context(request)
            if context is not None:
                slots.append({"slot": slot, "context": context})
            continue
        if html != HIDDEN:
            slots.append({"slot": slot, "html": html})
    if mine_changed:
        cache.set(home_person_key(user), mine, max(1, round(KEPT_SECONDS - (now - mine["since"]))))
    if fresh_shared:
        cache.set_many(fresh_shared, KEPT_SECONDS)
    return slots
