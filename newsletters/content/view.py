"""Each block and the issue as plain dicts for one kind of reader (`Reader`): live data for a draft,
frozen data once sent, paths made absolute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from newsletters.content.live_data import block_live_data, site_url
from newsletters.models import Block, Issue
from newsletters.sanitize import blank_lines_kept, paragraphs_html

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

    def vary(self) -> tuple:
        """What sets this reader's edition apart from another's, in a kept page's key."""
        from intranet.shortcuts import digest

        surveys = "many" if self.surveys is None else digest(*sorted(self.surveys))
        return (int(self.staff_pages), int(self.vacancies), surveys)


EVERY_AGENT = Reader()  # the e-mail to agents only, the printable edition
ANY_READER = Reader(staff_pages=False, vacancies=False)  # the e-mail with partners among its recipients


def reader_of(user, *, surveys: bool = True) -> Reader:
    """The web page's reader: what this signed-in person may open. `surveys=False` for an issue
    without a survey block: the surveys they may answer change nothing on it (none are read)."""
    from intranet.roles import is_internal
    from surveys.selectors import invitation_list_to_answer
    from vacancies.permissions import can_browse_vacancies

    answerable = invitation_list_to_answer(user=user).values_list("survey_id", flat=True) if surveys else []
    return Reader(staff_pages=is_internal(user), vacancies=can_browse_vacancies(user), surveys=frozenset(answerable))


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
