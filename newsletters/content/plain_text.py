"""The issue as plain text: the e-mail's text part."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from newsletters.models import Block
from newsletters.sanitize import rich_text_to_plain


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
