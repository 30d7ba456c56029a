"""Every extension point of the core, in one registry: how feature apps plug in without the core
importing them.

An app's `plugins.py` (imported by its `AppConfig.ready`) calls `register(entry)` once per
entry; the entry's type says which extension point it extends, its `key` names it (registering
a key again replaces the entry). The core reads `registry`:

- `NavGroup` and `NavItem`: the main navigation, a few menus (« Mon espace », « Annuaire »…)
  that apps put their items in by the menu's key (an item without a group is a link of its
  own; a menu with one item for this person is drawn as that item's link);
- `HomeSlot`: a box of the home page; `TodoSource`: what waits for a person in an app (« À faire »:
  the home page's inbox, its page, the header's count and the weekly e-mail); `SearchProvider`:
  the global search; `AgentLink`: a link on an agent's directory page;
- `DocumentRenderer`: a PDF rendered by a worker (`intranet.services.document_request`);
- `DemoSeed`: the app's demo data, run by `seed_demo` after the core's;
- `DataExporter` and `Anonymiser`: what the app holds on an agent, for the RGPD export and the
  anonymisation of departed agents;
- `DerivedRole`: a role that follows from the data (a pilot pilots a card);
- `IndicatorSource`: a figure that feeds an action-plan indicator;
- `PeriodicTask`: a beat entry (the worker's beat reads `registry.beat_schedule()`);
- `Picker`: a search-as-you-type choice among agents, units, sites or skills (`intranet.pickers`).
- `RetentionRule`: what the app keeps only for a while, purged every night (intranet.retention);
- `Recoverer`: finds the app's work that no live worker holds and publishes it again (beat's
  recovery, `intranet.workqueue.recover_stalled_work`, every few seconds).

Longer than STYLE.md's 300 lines on purpose: every extension point's entry type beside the one
registry that holds them, so that an app's author reads the whole contract of the core in one
file.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar

from django.urls import get_script_prefix, get_urlconf, reverse

from intranet.kept import watch_models


def _internal_only(user) -> bool:
    from intranet.roles import is_internal  # roles reads the registry's derived roles

    return is_internal(user)


@dataclass(frozen=True)
class NavGroup:
    """A menu of the main navigation. Apps put their `NavItem`s in it by `key`."""

    key: str
    label: Any  # a lazy translation
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any  # a lazy translation
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] = _internal_only
    group: str = ""  # a NavGroup's key; "" for a link of its own in the top bar


@dataclass(frozen=True)
class NavEntry:
    """What the header draws: a link of its own, or a group's menu — a menu even when the person
    sees one of its links, so that the bar keeps its short group labels (« Gestion », not
    « Rédaction des actualités ») and fits on one line."""

    key: str
    label: Any
    items: list[tuple[NavItem, str]]  # (item, url)
    active_key: str = ""  # the key of the item the current page belongs to, if in this entry
    is_menu: bool = False

    @property
    def is_active(self) -> bool:
        return bool(self.active_key)


@dataclass(frozen=True)
class HomeSlot:
    """A box of the home page. `context(request)` returns the template's context, or
    None to hide the slot (nothing to show to this user).

    `kept`: "" (read at each visit: a slot with a form, or costing nothing), KEPT_PERSON (its HTML
    kept a minute for the person, with their « À faire » inbox, forgotten with it after their own
    change) or KEPT_EVERYONE (the same HTML for everyone who sees it, kept a minute). A kept
    slot's template is rendered apart: it may use neither the request nor a form. `changes_with`:
    the models ("app_label.ModelName") whose saves and deletions renew a slot kept for everyone at
    once (intranet.home; what bypasses the signals, a bulk update, shows within the minute)."""

    KEPT_PERSON: ClassVar[str] = "person"
    KEPT_EVERYONE: ClassVar[str] = "everyone"

    key: str
    title: Any
    template: str
    context: Callable[[Any], dict | None]
    order: int = 100
    visible: Callable[[Any], bool] = _internal_only
    kept: str = ""
    changes_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for someone: what to do, a direct link, when it is due, whether it is late."""

    title: str
    url: str
    due: date | None = None
    late: bool = False
    detail: str = ""


@dataclass(frozen=True)
class TodoGroup:
    """What one source has waiting for a person: how many (`count`, `late`), the first `items`
    (at most the `limit` asked), and the app's page listing them all (`url`)."""

    count: int
    items: list[TodoItem]
    late: int = 0
    url: str = ""


@dataclass(frozen=True)
class TodoSource:
    """« À faire »: `items(user=..., today=..., limit=...)` returns the TodoGroup of what waits for
    `user` in this app (None, or a count of 0, when nothing does). Who sees what is the app's own
    rule (its selectors and permissions); a source reads in a fixed number of queries whatever
    the number of items. The home page, the « À faire » page, the header's count and the weekly
    e-mail all read the same sources."""

    key: str
    label: Any  # a lazy translation: the group's heading, e.g. « Demandes d'immersion à décider »
    items: Callable[..., TodoGroup | None]
    order: int = 100
    visible: Callable[[Any], bool] = _internal_only


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True)
class SearchProvider:
    """`search(user=..., query=..., limit=...)` returns SearchResults the user may see."""

    key: str
    label: Any
    search: Callable[..., list[SearchResult]]
    order: int = 100
    visible: Callable[[Any], bool] = _internal_only


@dataclass(frozen=True)
class AgentLink:
    """A link an app offers on an agent's directory page, e.g. the job-shadowing app's
    "Demander à découvrir son métier". `url(viewer=..., agent=...)` returns the URL, or
    None when this viewer gets no link for this agent (the app decides, not the page)."""

    key: str
    label: Any
    url: Callable[..., str | None]
    order: int = 100


@dataclass(frozen=True)
class DocumentRenderer:
    """`render(**params) -> (filename, bytes)` renders the documents of kind `key`
    ("directory.trombinoscope"); registered at startup, so the web process and the worker
    both know it. With `reports_progress`, it also receives `progress(done, total)`, which the
    document's status page shows while it renders (a long document in parts)."""

    key: str
    render: Callable[..., tuple[str, bytes]]
    reports_progress: bool = False


@dataclass(frozen=True)
class DemoSeed:
    """`seed(*, stdout)`, run after the core's demo data on every `seed_demo`, by `order` then in
    the order the apps are installed (a seed that reads other apps' demo data comes later). It
    must do nothing, quickly, when its data exists."""

    key: str
    seed: Callable[..., None]
    order: int = 100


@dataclass(frozen=True)
class DataExporter:
    """`export(agent)` returns JSON-serialisable data the app holds on `agent` (None when it
    holds nothing): the agent's « mes données » export has one key per exporter."""

    key: str
    export: Callable[[Any], Any]


@dataclass(frozen=True)
class Anonymiser:
    """`anonymise(agent, label)` runs inside the anonymisation's transaction and replaces what
    names the agent (a history's "author_label"…) by `label`."""

    key: str
    anonymise: Callable[[Any, str], None]


@dataclass(frozen=True)
class DerivedRole:
    """`rule(user) -> bool` grants the role `key` (an `intranet.roles.Role`)."""

    key: str
    rule: Callable[[Any], bool]


@dataclass(frozen=True)
class IndicatorSource:
    """A figure that feeds an action-plan indicator; an indicator names it in
    `Indicator.source` as "key" or "key:argument" (e.g. "surveys.satisfaction:12")."""

    key: str  # "shadowing.visits", "surveys.satisfaction"
    label: Any  # French, shown in the indicator's source select
    compute: Callable[[str], Decimal | None]  # the value today; argument = what follows "key:" in
    # Indicator.source ("" when none), e.g. a survey id
    choices: Callable[[], list[tuple[str, str]]] | None = None  # possible arguments (e.g. surveys)

    def __post_init__(self):
        if not self.key or ":" in self.key:
            raise ValueError(f"Invalid indicator source key: {self.key!r}")


@dataclass(frozen=True)
class PeriodicTask:
    """A beat entry: the Celery task named `task` every `schedule` seconds. Such a task must be
    idempotent (beat may run it twice)."""

    key: str
    task: str
    schedule: float
    options: dict = field(default_factory=dict, hash=False)  # apply_async's options ({"expires": 10})


@dataclass(frozen=True)
class RetentionRule:
    """Something the app keeps only for a while. `purge(before=datetime, dry_run=bool) -> int`
    deletes (or, in a dry run, counts) what is older than `before` and returns how many items;
    HR may change the period, `default_days` (from the CNIL's référentiel when it has one, said in
    `basis`) until they do."""

    key: str
    label: Any  # French, on HR's page
    default_days: int
    purge: Callable[..., int]
    basis: Any = ""
    order: int = 100


@dataclass(frozen=True)
class Recoverer:
    """`recover()` publishes again the app's work that no live worker holds (lost with a killed
    worker, asked for while the broker was down, due for a retry) and returns how many tasks it
    published. It must be cheap: beat runs it every settings.WORK_RECOVERY_TICK seconds."""

    key: str
    recover: Callable[[], int]


@dataclass(frozen=True)
class Picker:
    """The choices of a search-as-you-type field, searched at `/choix/<key>/`: `queryset()` is
    every choice (the form field validates against the same), `kind` says how to search and
    label them ("agent", "unit", "site", "skill"), `visible(user)` who may search them (agents
    are further limited to those the person may see in the directory)."""

    key: str
    kind: str
    queryset: Callable[[], Any]
    visible: Callable[[Any], bool] = _internal_only


@lru_cache(maxsize=512)
def _nav_url(url_name: str, prefix: str, urlconf) -> str:
    """A menu item's address: the same for every request of the process (per script prefix)."""
    return reverse(url_name, urlconf=urlconf)


@dataclass
class Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    nav_groups: dict[str, NavGroup] = field(default_factory=dict)
    home_slots: dict[str, HomeSlot] = field(default_factory=dict)
    todo_sources: dict[str, TodoSource] = field(default_factory=dict)
    search: dict[str, SearchProvider] = field(default_factory=dict)
    agent_links: dict[str, AgentLink] = field(default_factory=dict)
    document_renderers: dict[str, DocumentRenderer] = field(default_factory=dict)
    demo_seeds: dict[str, DemoSeed] = field(default_factory=dict)
    data_exporters: dict[str, DataExporter] = field(default_factory=dict)
    anonymisers: dict[str, Anonymiser] = field(default_factory=dict)
    derived_roles: dict[str, DerivedRole] = field(default_factory=dict)
    indicator_sources: dict[str, IndicatorSource] = field(default_factory=dict)
    periodic_tasks: dict[str, PeriodicTask] = field(default_factory=dict)
    pickers: dict[str, Picker] = field(default_factory=dict)
    recoverers: dict[str, Recoverer] = field(default_factory=dict)
    retention_rules: dict[str, RetentionRule] = field(default_factory=dict)

    def nav_for(self, user) -> list[NavItem]:
        return sorted((i for i in self.nav.values() if i.visible(user)), key=lambda i: i.order)

    def nav_menu_for(self, user, path: str = "") -> list[NavEntry]:
        """The top bar for `user`: links and menus in order, the one holding `path` marked.

        The current page belongs to the item whose address is the longest prefix of `path`
        (the home page, "/", only to itself)."""
        items = [(item, _nav_url(item.url_name, get_script_prefix(), get_urlconf())) for item in self.nav_for(user)]
        matches = [(len(url), item.key) for item, url in items if path == url or (url != "/" and path.startswith(url))]
        active = max(matches)[1] if matches else ""
        entries: dict[str, tuple[int, NavEntry]] = {}
        for item, url in items:
            group = self.nav_groups.get(item.group) if item.group else None
            key, label, order = (group.key, group.label, group.order) if group else (item.key, item.label, item.order)
            if key not in entries:
                entries[key] = (order, NavEntry(key=key, label=label, items=[], is_menu=group is not None))
            entry = entries[key][1]
            entry.items.append((item, url))
            if item.key == active:
                entries[key] = (order, replace(entry, active_key=active))
        return [entry for _, entry in sorted(entries.values(), key=lambda pair: pair[0])]

    def home_slots_for(self, user) -> list[HomeSlot]:
        return sorted((s for s in self.home_slots.values() if s.visible(user)), key=lambda s: s.order)

    def todo_sources_for(self, user) -> list[TodoSource]:
        return sorted((s for s in self.todo_sources.values() if s.visible(user)), key=lambda s: s.order)

    def search_providers_for(self, user) -> list[SearchProvider]:
        return sorted((p for p in self.search.values() if p.visible(user)), key=lambda p: p.order)

    def agent_links_for(self, viewer, agent) -> list[tuple[Any, str]]:
        """(label, url) of the links offered on `agent`'s page to `viewer`."""
        links = []
        for link in sorted(self.agent_links.values(), key=lambda link: link.order):
            url = link.url(viewer=viewer, agent=agent)
            if url:
                links.append((link.label, url))
        return links

    def document_renderer(self, kind: str) -> DocumentRenderer:
        try:
            return self.document_renderers[kind]
        except KeyError:
            raise LookupError(f"no document renderer registered for {kind!r}") from None

    def beat_schedule(self) -> dict[str, dict]:
        """Celery's `beat_schedule` from the registered periodic tasks."""
        return {
            task.key: {
                "task": task.task,
                "schedule": task.schedule,
                **({"options": task.options} if task.options else {}),
            }
            for task in self.periodic_tasks.values()
        }


registry = Registry()

_FIELD_OF = {
    NavGroup: "nav_groups",
    NavItem: "nav",
    HomeSlot: "home_slots",
    TodoSource: "todo_sources",
    SearchProvider: "search",
    AgentLink: "agent_links",
    DocumentRenderer: "document_renderers",
    DemoSeed: "demo_seeds",
    DataExporter: "data_exporters",
    Anonymiser: "anonymisers",
    DerivedRole: "derived_roles",
    IndicatorSource: "indicator_sources",
    PeriodicTask: "periodic_tasks",
    Picker: "pickers",
    Recoverer: "recoverers",
    RetentionRule: "retention_rules",
}


def register(*entries) -> None:
    """Add each entry to its extension point (replacing the entry of the same key, if any)."""
    for entry in entries:
        getattr(registry, _FIELD_OF[type(entry)])[entry.key] = entry
        if isinstance(entry, HomeSlot):
            watch_models(entry.changes_with)
