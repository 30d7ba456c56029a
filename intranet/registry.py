"""How feature apps plug into the core without the core importing them.

Each app calls `register_nav`, `register_home_slot`, `register_search` and
`register_agent_link` from its `AppConfig.ready`. The core reads the registry to draw the navigation, the home page's
slots and the global search; a new app needs no edit of the core.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from intranet.roles import is_internal


def _internal_only(user) -> bool:
    return is_internal(user)


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any  # a lazy translation
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] = _internal_only


@dataclass(frozen=True)
class HomeSlot:
    """A box of the home page. `context(request)` returns the template's context, or
    None to hide the slot (nothing to show to this user)."""

    key: str
    title: Any
    template: str
    context: Callable[[Any], dict | None]
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


@dataclass
class Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    home_slots: dict[str, HomeSlot] = field(default_factory=dict)
    search: dict[str, SearchProvider] = field(default_factory=dict)
    agent_links: dict[str, AgentLink] = field(default_factory=dict)

    def nav_for(self, user) -> list[NavItem]:
        return sorted((i for i in self.nav.values() if i.visible(user)), key=lambda i: i.order)

    def home_slots_for(self, user) -> list[HomeSlot]:
        return sorted((s for s in self.home_slots.values() if s.visible(user)), key=lambda s: s.order)

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


registry = Registry()


def register_nav(item: NavItem) -> None:
    registry.nav[item.key] = item


def register_home_slot(slot: HomeSlot) -> None:
    registry.home_slots[slot.key] = slot


def register_search(provider: SearchProvider) -> None:
    registry.search[provider.key] = provider


def register_agent_link(link: AgentLink) -> None:
    registry.agent_links[link.key] = link
