"""Reads of the people part of the directory: the search page's choices and the agent page.

Who may see whom is `intranet.selectors.agent_list_visible_to` (one rule, one place): every
active agent of the administration for an internal user, nobody for an external partner
(their "directory of their contacts" is not defined yet: until it is, partners are refused
the directory pages, and the global search gives them no agents). Which phone numbers
appear is `agent_visible_phones` here, used by the page and the vCard alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from intranet.models import Agent, OrgUnit, Site
from intranet.registry import registry
from intranet.selectors import agent_list_visible_to

RESULTS_PER_PAGE = 20


@dataclass(frozen=True)
class UnitChoice:
    pk: int
    label: str  # indented by depth, for a <select>


@dataclass
class OrgChartIndex:
    """The whole org chart in one query: the service filter's choices (as a tree) and the
    sub-units of a chosen unit."""

    choices: list[UnitChoice] = field(default_factory=list)
    children: dict[int | None, list[int]] = field(default_factory=dict)

    def subtree_ids(self, unit_id: int) -> list[int]:
        found, todo = [], [unit_id]
        while todo:
            current = todo.pop()
            if current not in found:
                found.append(current)
                todo.extend(self.children.get(current, []))
        return found


def org_chart_index() -> OrgChartIndex:
    rows = list(OrgUnit.objects.order_by("name").values_list("pk", "name", "short_name", "parent_id"))
    index = OrgChartIndex()
    labels = {}
    for pk, name, short_name, parent_id in rows:
        index.children.setdefault(parent_id, []).append(pk)
        labels[pk] = f"{name} ({short_name})" if short_name else name
    known = set(labels)
    roots = [pk for pk, _, _, parent_id in rows if parent_id is None or parent_id not in known]
    todo = [(pk, 0) for pk in reversed(roots)]
    seen = set()
    while todo:
        pk, depth = todo.pop()
        if pk in seen:
            continue
        seen.add(pk)
        index.choices.append(UnitChoice(pk=pk, label="\u00a0\u00a0" * depth + labels[pk]))
        todo.extend((child, depth + 1) for child in reversed(index.children.get(pk, [])))
    return index


def site_choices() -> list[tuple[int, str]]:
    return list(Site.objects.order_by("name").values_list("pk", "name"))


# --- The agent page -----------------------------------------------------------------------


def agent_visible_phones(agent: Agent) -> list[tuple[str, str, str]]:
    """(label, number, vCard type) of the numbers the agent chose to show, and only those."""
    phones = []
    if agent.phone and agent.show_phone:
        phones.append((str(_("Téléphone professionnel")), agent.phone, "WORK,VOICE"))
    if agent.mobile and agent.show_mobile:
        phones.append((str(_("Téléphone mobile")), agent.mobile, "CELL,VOICE"))
    return phones


@dataclass
class AgentPage:
    agent: Agent
    manager: Agent | None
    team: list[Agent]
    phones: list[tuple[str, str, str]]
    skills: list
    links: list[tuple[str, str]]  # offered by other apps (job-shadowing…)
    unit_url: str
    site_url: str


def agent_get(*, user, pk: int) -> Agent:
    """The agent `user` may see, with what their page and vCard show; 404 otherwise
    (inactive, anonymised, a partner's account, or a viewer who may see nobody)."""
    visible = agent_list_visible_to(user=user)
    team = visible.order_by("last_name", "first_name", "pk")
    queryset = visible.select_related("org_unit", "site", "manager").prefetch_related(
        "skills", Prefetch("reports", queryset=team, to_attr="visible_team")
    )
    return get_object_or_404(queryset, pk=pk)


def agent_page(*, user, pk: int) -> AgentPage:
    agent = agent_get(user=user, pk=pk)
    manager = agent.manager
    if manager is not None and not (manager.is_active and manager.anonymised_at is None and not manager.is_external):
        manager = None
    directory = reverse("directory:agent-list")
    unit_url = site_url = ""
    if agent.org_unit_id:
        unit_url = reverse("directory:unit-detail", kwargs={"pk": agent.org_unit_id})
    if agent.site_id:
        site_url = f"{directory}?site={agent.site_id}"
    return AgentPage(
        agent=agent,
        manager=manager,
        team=agent.visible_team,
        phones=agent_visible_phones(agent),
        skills=list(agent.skills.all()),
        links=registry.agent_links_for(user, agent) if user.pk != agent.pk else [],
        unit_url=unit_url,
        site_url=site_url,
    )


# --- vCard --------------------------------------------------------------------------------


def agent_vcard(agent: Agent) -> str:
    """The agent's card in vCard 3.0 (RFC 2426, written by vobject: escaped, folded at 75
    octets): name, job, service, the phone numbers the agent shows (`agent_visible_phones`)
    and the e-mail address."""
    import vobject

    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=agent.last_name, given=agent.first_name)
    card.add("fn").value = agent.get_full_name() or agent.email
    if agent.org_unit is not None:
        card.add("org").value = [agent.org_unit.name]
    if agent.job_title:
        card.add("title").value = agent.job_title
    for _label, number, kind in agent_visible_phones(agent):
        phone = card.add("tel")
        phone.value, phone.type_param = number, kind.split(",")
    email = card.add("email")
    email.value, email.type_param = agent.email, ["INTERNET", "WORK"]
    return card.serialize()
