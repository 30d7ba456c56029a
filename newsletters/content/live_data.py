"""What a draft's team and automatic blocks show, computed live (`block_live_data`): the team, the
arrivals, the vacancies, a survey, a news item; and the site's absolute URL."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from intranet import links
from intranet.models import Agent, OrgUnit
from newsletters.models import Block, Issue

TEAM_MAX_MEMBERS = 12
ARRIVALS_MAX = 30
VACANCIES_MAX = 20
ARRIVALS_DEFAULT_PERIOD = timedelta(days=60)
PHOTO_SIZE = 160


def site_url(base_url: str = "") -> str:
    """`base_url` when a test gives one, else the site's one address (intranet.links)."""
    return base_url.rstrip("/") if base_url else links.site_url()


def _photo(agent: Agent) -> dict:
    """The photo's site path and storage name (for the PDF), or empty when not shown."""
    from intranet.images import photo_thumbnail_url, thumbnail_name

    if not agent.photo or not agent.show_photo:
        return {"photo_url": "", "photo_name": ""}
    url = photo_thumbnail_url(agent, PHOTO_SIZE)
    if url is None:
        return {"photo_url": "", "photo_name": ""}
    return {"photo_url": url, "photo_name": thumbnail_name(agent.photo.name, PHOTO_SIZE)}


def _person(agent: Agent) -> dict:
    return {
        "name": agent.get_full_name(),
        "job_title": agent.job_title,
        "missions": agent.missions,
        "url": reverse("directory:agent-detail", args=[agent.pk]),
        **_photo(agent),
    }


def team_data(unit: OrgUnit | None) -> dict:
    if unit is None:
        return {"unit": "", "members": []}
    members = (
        Agent.objects.active()
        .internal()
        .filter(org_unit=unit)
        .select_related("org_unit")
        .order_by("last_name", "first_name", "pk")
    )
    head = unit.head if unit.head_id and unit.head.is_active else None
    people = [_person(agent) for agent in members[:TEAM_MAX_MEMBERS] if head is None or agent.pk != head.pk]
    return {
        "unit": unit.name,
        "unit_url": reverse("directory:unit-detail", args=[unit.pk]),
        "head": _person(head) if head else None,
        "members": people,
        "count": members.count(),
    }


def arrivals_since(issue: Issue) -> date:
    """New arrivals are those since the previous sent issue (60 days when there is none)."""
    previous = (
        Issue.objects.filter(status=Issue.Status.SENT, number__lt=issue.number, sent_at__isnull=False)
        .order_by("-number")
        .values_list("sent_at", flat=True)
        .first()
    )
    if previous is not None:
        return timezone.localdate(previous)
    return timezone.localdate() - ARRIVALS_DEFAULT_PERIOD


def arrivals_data(issue: Issue) -> dict:
    since = arrivals_since(issue)
    until = timezone.localdate(issue.sent_at) if issue.sent_at else timezone.localdate()
    agents = (
        Agent.objects.active()
        .internal()
        .filter(arrival_date__gt=since, arrival_date__lte=until)
        .select_related("org_unit", "site")
        .order_by("-arrival_date", "last_name", "pk")[:ARRIVALS_MAX]
    )
    return {
        "since": since.isoformat(),
        "people": [
            {
                **_person(agent),
                "unit": agent.org_unit.name if agent.org_unit_id else "",
                "site": agent.site.name if agent.site_id else "",
                "arrival_date": agent.arrival_date.isoformat(),
            }
            for agent in agents
        ],
    }


VALUES_SUMMARY_CHARS = 240


def values_summary(text: str) -> str:
    """A vacancy's « savoir-être et valeurs » on one line, for the newsletter's list of posts."""
    return Truncator(" ".join((text or "").split())).chars(VALUES_SUMMARY_CHARS)


def vacancies_data() -> dict:
    from vacancies.selectors import vacancy_list_open

    return {
        "vacancies": [
            {
                "title": vacancy.title,
                "unit": vacancy.org_unit.name if vacancy.org_unit_id else "",
                "site": vacancy.site.name if vacancy.site_id else "",
                "deadline": vacancy.deadline.isoformat(),
                "values": values_summary(vacancy.soft_skills),
                "url": vacancy.get_absolute_url(),
            }
            for vacancy in vacancy_list_open()[:VACANCIES_MAX]
        ],
        "list_url": reverse("vacancies:vacancy-list"),
    }


def survey_data(block: Block) -> dict:
    survey = block.survey
    if survey is None:
        return {"survey": None}
    return {"survey": {"title": survey.title, "url": survey.get_absolute_url()}}


def news_data(block: Block) -> dict:
    from content.selectors import news_newsletter_items

    ids = block.data.get("news", [])
    return {"news": ids, "news_items": news_newsletter_items(ids)}


def block_live_data(block: Block, issue: Issue) -> dict:
    """The content a block would have if the issue were sent now."""
    if block.kind == Block.Kind.TEAM:
        return team_data(block.org_unit)
    if block.kind == Block.Kind.ARRIVALS:
        return arrivals_data(issue)
    if block.kind == Block.Kind.VACANCIES:
        return vacancies_data()
    if block.kind == Block.Kind.SURVEY:
        return survey_data(block)
    if block.kind == Block.Kind.NEWS:
        return news_data(block)
    return {}
