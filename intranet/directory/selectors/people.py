"""Reads of the people part of the directory: the agent page and the vCard.

Who may see whom is `intranet.selectors.agent_list_visible_to` (one rule, one place): every
active agent of the administration for an internal user, nobody for an external partner
(their "directory of their contacts" is not defined yet: until it is, partners are refused
the directory pages, and the global search gives them no agents). Which phone numbers
appear is `agent_visible_phones` here, used by the page and the vCard alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from intranet.kept import KeptFragment
from intranet.models import Agent
from intranet.registry import registry
from intranet.selectors import agent_list_visible_to

RESULTS_PER_PAGE = 20
TEAM_PER_PAGE = 24  # an agent page's team: a head of 200 agents is paginated

# An agent page's body (intranet.directory.views.people), kept for everyone who sees it the same
# way: the same page of the team, the same photos (permissions.photo_sight), the same links.
AGENT_PAGE = KeptFragment(
    "agent-page", changes_with=("intranet.Agent", "intranet.OrgUnit", "intranet.Site", "intranet.Skill")
)

# The directory's search form and a page of its results depend on the address only (every agent
# sees the same agents): kept a minute per address, renewed with the same models.
SEARCH_RESULTS = KeptFragment(
    "directory-search", changes_with=("intranet.Agent", "intranet.OrgUnit", "intranet.Site", "intranet.Skill")
)


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
    team: Page  # of Agent
    phones: list[tuple[str, str, str]]
    skills: list
    links: list[tuple[str, str]]  # offered by other apps (job-shadowing…)
    unit_url: str
    site_url: str


def agent_get(*, user, pk: int) -> Agent:
    """The agent `user` may see, with what their page and vCard show; 404 otherwise
    (inactive, anonymised, a partner's account, or a viewer who may see nobody)."""
    visible = agent_list_visible_to(user=user)
    queryset = visible.select_related("org_unit", "site", "manager").prefetch_related("skills")
    return get_object_or_404(queryset, pk=pk)


def agent_get_shown(*, user, pk: int) -> Agent:
    """The agent `user` may see (`agent_get`: 404 otherwise), with their service, site and manager
    (their page's body, kept for everyone who sees it the same way, AGENT_PAGE, shows them)."""
    return get_object_or_404(agent_list_visible_to(user=user).select_related("org_unit", "site", "manager"), pk=pk)


def agent_links(*, user, agent: Agent) -> list[tuple[str, str]]:
    """The links other apps offer on `agent`'s page to `user` (none on their own page)."""
    return registry.agent_links_for(user, agent) if user.pk != agent.pk else []


def agent_page(*, user, agent: Agent, links: list[tuple[str, str]], team_page=None) -> AgentPage:
    """The agent page's content (`agent` from `agent_get_shown`); `team_page` is the page of
    their team asked for (`?page=N`)."""
    team = (
        agent_list_visible_to(user=user)
        .filter(manager=agent)
        .select_related(None)
        .only("pk", "first_name", "last_name", "job_title", "photo", "photo_thumbnails_of", "show_photo", "is_external")
        .order_by("last_name", "first_name", "pk")
    )
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
        team=Paginator(team, TEAM_PER_PAGE).get_page(team_page),
        phones=agent_visible_phones(agent),
        skills=list(agent.skills.all()),
        links=links,
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
