"""The home page's slots: read at each visit, or kept a minute (intranet.registry.HomeSlot.kept).

A person's kept slots live in one cache entry with their « À faire » inbox's lifetime, so that
their own change (any POST: intranet.middleware) forgets both; the slots kept for everyone are
one entry per slot. Both are stamped with the day and the language they were rendered in."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from intranet.registry import HomeSlot, registry
from intranet.selectors import TODO_COUNT_SECONDS, home_person_key

KEPT_SECONDS = TODO_COUNT_SECONDS
HIDDEN = ""  # a kept slot with nothing to show (its context was None)


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
    mine = cache.get(home_person_key(user))
    if mine is None or mine["stamp"] != stamp:
        mine = {"stamp": stamp, "html": {}}
    shared_keys = {
        slot.key: f"home-slot:{slot.key}:{stamp[0]}:{stamp[1]}" for slot in visible if slot.kept == slot.KEPT_EVERYONE
    }
    shared = cache.get_many(list(shared_keys.values())) if shared_keys else {}
    slots, fresh_shared, mine_changed = [], {}, False
    for slot in visible:
        if slot.kept == slot.KEPT_PERSON:
            if slot.key not in mine["html"]:
                mine["html"][slot.key] = _render(slot, request)
                mine_changed = True
            html = mine["html"][slot.key]
        elif slot.kept == slot.KEPT_EVERYONE:
            html = shared.get(shared_keys[slot.key])
            if html is None:
                html = fresh_shared[shared_keys[slot.key]] = _render(slot, request)
        else:
            context = slot.context(request)
            if context is not None:
                slots.append({"slot": slot, "context": context})
            continue
        if html != HIDDEN:
            slots.append({"slot": slot, "html": html})
    if mine_changed:
        cache.set(home_person_key(user), mine, KEPT_SECONDS)
    if fresh_shared:
        cache.set_many(fresh_shared, KEPT_SECONDS)
    return slots
