"""What each block shows, as plain dicts the web page, the e-mail, the text part and the PDF share.

A draft computes its team and automatic blocks live (`block_live_data`); sending freezes that
data into `Block.data`, and a sent issue is drawn from it alone (no query per block).
Paths are stored site-relative (`/lettre/…`, `/media/…`) and made absolute when rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from intranet import links
from intranet.models import Agent, OrgUnit
from newsletters.models import Block, Issue
from newsletters.sanitize import blank_lines_kept, paragraphs_html, rich_text_to_plain

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


FROZEN_KINDS = (Block.Kind.TEAM, Block.Kind.ARRIVALS, Block.Kind.VACANCIES, Block.Kind.SURVEY, Block.Kind.NEWS)


def _absolute(base: str, path: str) -> str:
    if not path or path.startswith(("http://", "https://", "mailto:")):
        return path
    return base + path


def _absolutise(value, base: str):
    """Every "…url" value of the (nested) data made absolute."""
    if isinstance(value, dict):
        return {
            key: (_absolute(base, item) if key.endswith("url") and isinstance(item, str) else _absolutise(item, base))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_absolutise(item, base) for item in value]
    return value


def _agenda_items(block: Block) -> list[dict]:
    items = []
    for item in block.data.get("items", []):
        try:
            day = date.fromisoformat(item["date"])
        except (KeyError, TypeError, ValueError):
            continue
        items.append({"date": day, "label": item.get("label", "")})
    return sorted(items, key=lambda item: item["date"])


def _dates(data: dict) -> dict:
    """ISO dates of the frozen data back to `date` objects for the templates."""
    for person in data.get("people", []):
        if isinstance(person.get("arrival_date"), str):
            person["arrival_date"] = date.fromisoformat(person["arrival_date"])
    for vacancy in data.get("vacancies", []):
        if isinstance(vacancy.get("deadline"), str):
            vacancy["deadline"] = date.fromisoformat(vacancy["deadline"])
    for news in data.get("news_items", []):
        if isinstance(news.get("date"), str):
            news["date"] = date.fromisoformat(news["date"])
    if isinstance(data.get("since"), str):
        data["since"] = date.fromisoformat(data["since"])
    return data


@dataclass(frozen=True)
class Reader:
    """Who reads an edition, for the links it may carry: a link to a page the reader cannot
    open is not drawn (a partner gets no link into the staff directory nor the vacancies, and
    nobody a « Répondre au questionnaire » button to a survey they are not invited to).

    `surveys`: the surveys this reader may answer now; None for an edition read by many (the
    e-mail, sent the same to every recipient), which then points to « Mes enquêtes »."""

    staff_pages: bool = True  # agents' and units' pages of the directory
    vacancies: bool = True
    surveys: frozenset[int] | None = None


EVERY_AGENT = Reader()  # the e-mail to agents only, the printable edition
ANY_READER = Reader(staff_pages=False, vacancies=False)  # the e-mail with partners among its recipients


def reader_of(user) -> Reader:
    """The web page's reader: what this signed-in person may open."""
    from intranet.roles import is_internal
    from surveys.selectors import invitation_list_to_answer
    from vacancies.permissions import can_browse_vacancies

    surveys = invitation_list_to_answer(user=user).values_list("survey_id", flat=True)
    return Reader(staff_pages=is_internal(user), vacancies=can_browse_vacancies(user), surveys=frozenset(surveys))


def _without_staff_links(data: dict) -> None:
    data.pop("unit_url", None)
    people = ([data["head"]] if data.get("head") else []) + data.get("members", []) + data.get("people", [])
    for person in people:
        person["url"] = ""


def _for_reader(block: Block, data: dict, reader: Reader, base: str) -> dict:
    if not reader.staff_pages:
        _without_staff_links(data)
    if not reader.staff_pages:  # a partner opens only the news addressed to partners
        for news in data.get("news_items", []):
            if not news.get("partners"):
                news["url"] = ""
    if not reader.vacancies:
        data.pop("list_url", None)
        for vacancy in data.get("vacancies", []):
            vacancy["url"] = ""
    if data.get("survey"):
        if reader.surveys is None:  # many readers: each finds it in « Mes enquêtes » if invited
            data["survey"] = {**data["survey"], "url": "", "mine_url": base + reverse("surveys:survey-mine")}
        elif block.survey_id not in reader.surveys:
            data["survey"] = {**data["survey"], "url": "", "not_invited": True}
    return data


def block_view(block: Block, issue: Issue, *, base: str, reader: Reader = EVERY_AGENT) -> dict:
    """{"block", "kind", "title", "body", "image_url", "image_name", "items", "data"}."""
    if block.kind in FROZEN_KINDS:
        data = block.data if (not issue.is_draft and block.data) else block_live_data(block, issue)
    else:
        data = {}
    view = {
        "block": block,
        "kind": block.kind,
        "title": block.title or str(block.get_kind_display()),
        "has_title": bool(block.title),
        "body": blank_lines_kept(block.body),
        "image_url": _absolute(base, block.image.url) if block.image else "",
        "image_name": block.image.name or "",
        "alt": block.alt,
        "caption": block.caption,
        "items": _agenda_items(block) if block.kind == Block.Kind.AGENDA else [],
        "data": _for_reader(block, _dates(_absolutise(data, base)), reader, base),
    }
    return view


def issue_view(issue: Issue, *, base_url: str | None = None, blocks=None, reader: Reader = EVERY_AGENT) -> dict:
    """Everything the web page, the e-mail and the PDF draw an issue from. Addresses are
    site-relative for the web page (base_url None), absolute otherwise (the given base, or
    settings.SITE_URL when it is ""). Links `reader` cannot open are left out."""
    base = "" if base_url is None else site_url(base_url)
    blocks = list(issue.blocks.select_related("org_unit__head", "survey")) if blocks is None else blocks
    return {
        "issue": issue,
        "edito_html": paragraphs_html(issue.edito),
        "blocks": [block_view(block, issue, base=base, reader=reader) for block in blocks],
        "web_url": base + issue.get_absolute_url(),
        "base_url": base,
    }


def _underline(text: str, char: str) -> str:
    return f"{text}\n{char * min(len(text), 70)}"


def issue_plain_text(view: dict) -> str:
    """The e-mail's text part, written for reading (not the HTML with its tags stripped)."""
    issue = view["issue"]
    parts = [
        _underline(str(issue), "="),
        _("Version en ligne : %(url)s") % {"url": view["web_url"]},
    ]
    if issue.edito.strip():
        parts.append(issue.edito.strip())
    for item in view["blocks"]:
        parts.append(_block_text(item))
    parts.append(
        "—\n"
        + _("La lettre « Bienvenue » de votre administration.")
        + "\n"
        + _("Tous les numéros : %(url)s") % {"url": view["base_url"] + reverse("newsletters:issue-list")}
    )
    return "\n\n".join(part for part in parts if part.strip()) + "\n"


def _person_line(person: dict, extra: str = "") -> str:
    line = f"- {person['name']}"
    if person.get("job_title"):
        line += f", {person['job_title']}"
    if extra:
        line += f" ({extra})"
    return line


def _block_text(item: dict) -> str:  # noqa: C901 (one branch per kind reads best)
    kind, data = item["kind"], item["data"]
    lines = [_underline(item["title"], "-")]
    if kind == Block.Kind.TEXT:
        lines.append(rich_text_to_plain(item["body"]))
    elif kind == Block.Kind.IMAGE:
        lines.append(_("[Image : %(alt)s] (%(url)s)") % {"alt": item["alt"], "url": item["image_url"]})
        if item["caption"]:
            lines.append(item["caption"])
    elif kind == Block.Kind.TEAM:
        lines.append(data.get("unit", ""))
        if item["body"]:
            lines.append(rich_text_to_plain(item["body"]))
        people = ([data["head"]] if data.get("head") else []) + data.get("members", [])
        for person in people:
            lines.append(_person_line(person))
            if person.get("missions"):
                lines.append("  " + " ".join(person["missions"].split()))
        if data.get("unit_url"):
            lines.append(_("L'équipe dans l'annuaire : %(url)s") % {"url": data["unit_url"]})
    elif kind == Block.Kind.AGENDA:
        lines.append("\n".join(f"- {entry['date']:%d/%m/%Y} : {entry['label']}" for entry in item["items"]))
    elif kind == Block.Kind.ARRIVALS:
        people = data.get("people", [])
        lines.append(
            "\n".join(_person_line(person, person.get("unit", "")) for person in people)
            or _("Aucune arrivée depuis le numéro précédent.")
        )
    elif kind == Block.Kind.VACANCIES:
        vacancies = data.get("vacancies", [])
        lines.append(
            "\n".join(
                "- "
                + _("%(title)s — %(unit)s, jusqu'au %(date)s")
                % {"title": vacancy["title"], "unit": vacancy["unit"], "date": f"{vacancy['deadline']:%d/%m/%Y}"}
                + (f" ({vacancy['url']})" if vacancy["url"] else "")
                + (
                    "\n  " + _("Savoir-être et valeurs : %(values)s") % {"values": vacancy["values"]}
                    if vacancy.get("values")
                    else ""
                )
                for vacancy in vacancies
            )
            or _("Aucun poste ouvert en ce moment.")
        )
        if data.get("list_url"):
            lines.append(_("Tous les postes : %(url)s") % {"url": data["list_url"]})
    elif kind == Block.Kind.NEWS:
        for news in data.get("news_items", []):
            lines.append(
                f"{news['title']} ({news['date']:%d/%m/%Y})\n{news['summary']}"
                + (f"\n{news['url']}" if news["url"] else "")
            )
    elif kind == Block.Kind.SURVEY:
        if item["body"]:
            lines.append(rich_text_to_plain(item["body"]))
        survey = data.get("survey")
        if survey and survey.get("url"):
            lines.append(f"{survey['title']} : {survey['url']}")
        elif survey and survey.get("mine_url"):
            lines.append(
                _("Questionnaire « %(title)s » : si vous y êtes invité·e, répondez depuis « Mes enquêtes » : %(url)s")
                % {"title": survey["title"], "url": survey["mine_url"]}
            )
    return "\n\n".join(line for line in lines if line)
