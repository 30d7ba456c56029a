"""The home page's slots: read at each visit, or kept a minute (intranet.registry.HomeSlot.kept).

A person's kept slots live in one cache entry with their « À faire » inbox's lifetime, so that
their own change (any POST: intranet.middleware) forgets both; the slots kept for everyone are
one entry per slot and versions of its `changes_with` models (intranet.kept: renewed when one
of their rows is saved or deleted). Both are stamped with the day and the language they were
rendered in."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from intranet.kept import model_version_name, stamp, versions
from intranet.registry import HomeSlot, registry
from intranet.selectors import TODO_COUNT_SECONDS, home_person_key

KEPT_SECONDS = TODO_COUNT_SECONDS
HIDDEN = ""  # a kept slot with nothing to show (its context was None)


def _render(slot: HomeSlot, request) -> str:
    context = slot.context(request)
    if context is None:
        return HIDDEN
    return render_to_string(slot.template, {"context": context, "user": request.user})


def _shared_keys(slots: list[HomeSlot], today: str) -> dict[str, str]:
    """Each slot kept for everyone's cache key, from its models' versions (one round trip); a
    slot the cache could not give every version to has none (it is drawn at each visit)."""
    found = versions({model_version_name(label) for slot in slots for label in slot.changes_with})
    keys = {}
    for slot in slots:
        names = [model_version_name(label) for label in slot.changes_with]
        if all(name in found for name in names):
            token = ".".join(found[name][:12] for name in names)
            keys[slot.key] = f"home-slot:{slot.key}:{token}:{today}"
    return keys


def home_slots(request) -> list[dict]:
    """The slots the signed-in person sees, in order: {"slot", "html"} for a kept one, {"slot",
    "context"} for one read now (the page renders it in its own context: its forms' CSRF token)."""
    user = request.user
    today = stamp()
    visible = registry.home_slots_for(user)
    now = timezone.now().timestamp()
    mine = cache.get(home_person_key(user))
    # A slot added later (a role given) rewrites the entry: the older slots keep their first minute.
    if mine is None or mine["stamp"] != today or now - mine["since"] > KEPT_SECONDS:
        mine = {"stamp": today, "since": now, "html": {}}
    shared_keys = _shared_keys([slot for slot in visible if slot.kept == slot.KEPT_EVERYONE], today)
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
