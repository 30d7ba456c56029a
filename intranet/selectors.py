"""Permission-aware reads of the core."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from intranet.models import Agent, AuditLogEntry
from intranet.registry import TodoGroup, TodoItem, TodoSource, registry
from intranet.roles import is_internal


def agent_list_visible_to(*, user) -> QuerySet[Agent]:
    """Agents `user` may find: every active, not anonymised agent of the administration for
    an internal user; nobody for an external partner. The one rule of the directory (search,
    agent page, vCard, org chart): partners' "directory of their contacts" is not defined
    yet, so until it is they see no agent at all, never more."""
    if not is_internal(user):
        return Agent.objects.none()
    return Agent.objects.active().internal().select_related("org_unit", "site")


def audit_log_list() -> QuerySet[AuditLogEntry]:
    return AuditLogEntry.objects.select_related("actor", "target_type")


def home_unit_context(*, user) -> dict | None:
    """The "my service" slot: the agent's unit, manager and the size of the team."""
    if user.org_unit_id is None and user.manager_id is None:
        return None
    agent = Agent.objects.select_related("org_unit__head", "site", "manager").get(pk=user.pk)
    colleagues = agent.org_unit.members.active().count() if agent.org_unit else 0
    return {"agent": agent, "colleagues": colleagues}


# « À faire »: what waits for a person, read from every app's registered sources.
TODO_HOME_LIMIT = 3  # items shown per group on the home page (the count says how many in all)
TODO_PAGE_LIMIT = 50  # items per group on the « À faire » page and in the digest


@dataclass(frozen=True)
class TodoEntry:
    source: TodoSource
    group: TodoGroup

    @property
    def more(self) -> int:
        """How many of the group's things are not listed (its page lists them)."""
        return max(self.group.count - len(self.group.items), 0)


@dataclass(frozen=True)
class TodoInbox:
    entries: list[TodoEntry]

    @property
    def count(self) -> int:
        return sum(entry.group.count for entry in self.entries)

    @property
    def late(self) -> int:
        return sum(entry.group.late for entry in self.entries)


def todo_inbox(*, user, today: date | None = None, limit: int = TODO_HOME_LIMIT) -> TodoInbox:
    """What waits for `user`, group by group (the registered sources that have something), each
    group's first `limit` items. Each source reads in a fixed number of queries, so the inbox
    costs the same whatever the number of things waiting."""
    today = today or timezone.localdate()
    entries = []
    for source in registry.todo_sources_for(user):
        group = source.items(user=user, today=today, limit=limit)
        if group is not None and group.count:
            entries.append(TodoEntry(source=source, group=group))
    return TodoInbox(entries=entries)


# The header's count, on every page, and the home page's inbox: kept a minute in the cache, both
# from the same reading (the badge and the list agree), computed afresh by the « À faire » page
# and when they expire, forgotten after each change the person makes (intranet.middleware).
TODO_COUNT_SECONDS = 60


def _todo_count_key(user) -> str:
    return f"todo-count:{user.pk}"


def _todo_home_key(user) -> str:
    return f"todo-home:{user.pk}"


def home_person_key(user) -> str:
    """The person's home page slots kept with their inbox (intranet.home)."""
    return f"home-slots:{user.pk}"


def todo_count(*, user) -> int:
    """How many things wait for `user` (the header's badge)."""
    count = cache.get(_todo_count_key(user))
    if count is None:
        count = todo_inbox(user=user, limit=0).count
        cache.set(_todo_count_key(user), count, TODO_COUNT_SECONDS)
    return count


def todo_home_box(*, user, render: Callable[[TodoInbox], str]) -> str:
    """The home page's « À faire » box (TODO_HOME_LIMIT items a group), drawn by `render`: the one
    kept for `user` if its inbox was read today in the same language, else read now; kept with the
    inbox it draws (the same entry and lifetime: forgotten with it after the person's own change)."""
    today = timezone.localdate()
    sources = {source.key: source for source in registry.todo_sources_for(user)}
    kept = cache.get(_todo_home_key(user))
    if (
        isinstance(kept, tuple)
        and len(kept) == 4  # (an entry an older version kept has another shape: read again)
        and kept[0] == (today, get_language())
        and all(key in sources for key, _ in kept[1])
    ):
        stamp, entries, since, html = kept
        if html is None:
            html = render(TodoInbox(entries=[TodoEntry(source=sources[key], group=group) for key, group in entries]))
            left = round(TODO_COUNT_SECONDS - (timezone.now().timestamp() - since))
            cache.set(_todo_home_key(user), (stamp, entries, since, html), max(1, left))
        return html
    inbox = todo_inbox(user=user, today=today)
    html = render(inbox)
    todo_inbox_remember(user=user, inbox=inbox, today=today, html=html)
    return html


def todo_inbox_remember(*, user, inbox: TodoInbox, today: date | None = None, html: str | None = None) -> None:
    """Keep what was just read: its count for the header, its first items for the home page (and
    the home page's box drawn from them, when it was)."""
    entries = [
        (entry.source.key, replace(entry.group, items=entry.group.items[:TODO_HOME_LIMIT])) for entry in inbox.entries
    ]
    kept = ((today or timezone.localdate(), get_language()), entries, timezone.now().timestamp(), html)
    cache.set_many({_todo_count_key(user): inbox.count, _todo_home_key(user): kept}, TODO_COUNT_SECONDS)


def todo_count_forget(*, user) -> None:
    cache.delete_many([_todo_count_key(user), _todo_home_key(user), home_person_key(user)])


def todo_group_from_queryset(
    queryset: QuerySet,
    *,
    limit: int,
    item: Callable[[Any], TodoItem],
    late: Q | None = None,
    url: str = "",
) -> TodoGroup | None:
    """An app's « À faire » group from the queryset of what waits (in its order): two queries,
    the count (with how many match `late`) and the first `limit` rows made into items by `item`.
    None when nothing waits (one query)."""
    aggregates = {"count": Count("pk")}
    if late is not None:
        aggregates["late"] = Count("pk", filter=late)
    totals = queryset.order_by().aggregate(**aggregates)
    if not totals["count"]:
        return None
    items = [item(row) for row in queryset[:limit]]
    return TodoGroup(count=totals["count"], late=totals.get("late", 0), items=items, url=url)


def retention_last_purge():
    """The last nightly purge that removed something (its audit entry), or None."""
    from intranet.models import AuditLogEntry

    return AuditLogEntry.objects.filter(action="retention.purge").order_by("-at", "-pk").first()
