"""Printable trombinoscope and org chart (PDF) for agents without a PC: road crews, lycée
and crèche staff read them on a notice board.

WeasyPrint is slow on tables spanning pages and on inline images of unknown encoding
(DESIGN.md): the layouts are floats of small boxes, the photos are the 160 px JPEG
thumbnails read from the media storage (never fetched over the network), and a rendered
PDF is cached by the content it was made from, so printing the same trombinoscope twice
renders it once.
"""

import hashlib
import io
import logging
import zipfile

from django.core.cache import cache
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from intranet.directory.permissions import photo_shown_in_trombinoscope
from intranet.directory.selectors.orgchart import orgchart_build
from intranet.models import Agent, OrgUnit, Site
from intranet.pdf import pdf_from_html

logger = logging.getLogger(__name__)

PDF_THUMBNAIL_SIZE = 160
PDF_CACHE_SECONDS = 24 * 3600
# Rendered in the request up to this many agents (about three pages of cards: a team); more are
# rendered by a worker (a DocumentRequest of kind TROMBINOSCOPE_DOCUMENT), never holding a web
# worker for seconds.
PDF_SYNC_MAX_AGENTS = 60
# Beyond this many agents, the worker makes one PDF per unit, in a ZIP: each PDF stays a
# printable size (a notice board's), and the worker's memory holds one unit at a time.
PDF_SPLIT_AGENTS = 600
TROMBINOSCOPE_DOCUMENT = "directory.trombinoscope"
# The org chart's PDF: rendered in the request for a small chart (a few pages), by a worker beyond.
ORGCHART_SYNC_MAX_UNITS = 60
ORGCHART_DOCUMENT = "directory.orgchart"


class PdfTooLarge(Exception):
    """More agents than a synchronous rendering allows."""


def _thumbnail_name(agent) -> str | None:
    from intranet.images import photo_thumbnail_url, thumbnail_name  # the photos' module, loaded when printing

    if not photo_shown_in_trombinoscope(agent) or photo_thumbnail_url(agent, PDF_THUMBNAIL_SIZE) is None:
        return None
    return thumbnail_name(agent.photo.name, PDF_THUMBNAIL_SIZE)


def _pdf_key(html: str, *, files: list[str]) -> str:
    return "pdf-orgchart:" + hashlib.sha256("\n".join([html, *files]).encode()).hexdigest()


def _pdf_from_html(html: str, *, files: list[str]) -> bytes:
    """Render `html`, or take the PDF rendered from the same HTML and the same image files."""
    key = _pdf_key(html, files=files)
    pdf = cache.get(key)
    if pdf is None:
        pdf = pdf_from_html(html)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def _trombinoscope_agents(*, unit_ids: list[int] | None, site: Site | None):
    agents = Agent.objects.active().internal().select_related("org_unit", "site")
    if unit_ids is not None:
        agents = agents.filter(org_unit_id__in=unit_ids)
    if site is not None:
        agents = agents.filter(site=site)
    return agents


def _trombinoscope_pdf(*, agents: list[Agent], unit: OrgUnit | None, site: Site | None) -> bytes:
    cards = [{"agent": agent, "photo": _thumbnail_name(agent)} for agent in agents]
    html = render_to_string(
        "pdf/trombinoscope.html",
        {"unit": unit, "site": site, "cards": cards, "printed_on": timezone.localdate()},
    )
    return _pdf_from_html(html, files=[card["photo"] for card in cards if card["photo"]])


def trombinoscope_pdf_render(
    *, unit: OrgUnit | None = None, site: Site | None = None, max_agents: int | None = -1
) -> bytes:
    """The trombinoscope of a unit (its sub-units included) or of a site, as a PDF: photos
    the agents allow, initials otherwise, name and job title. Raises PdfTooLarge beyond
    `max_agents` agents (PDF_SYNC_MAX_AGENTS unless given; None: no limit, in a worker)."""
    if unit is None and site is None:
        raise ValueError("a trombinoscope PDF is for a unit or a site")
    unit_ids = orgchart_build().descendant_ids(unit.pk) if unit is not None else None
    agents = _trombinoscope_agents(unit_ids=unit_ids, site=site)
    if max_agents == -1:
        max_agents = PDF_SYNC_MAX_AGENTS
    agents = list(agents) if max_agents is None else list(agents[: max_agents + 1])
    if max_agents is not None and len(agents) > max_agents:
        raise PdfTooLarge
    return _trombinoscope_pdf(agents=agents, unit=unit, site=site)


def trombinoscope_zip_render(*, unit: OrgUnit | None = None, site: Site | None = None, progress=None) -> bytes:
    """The trombinoscope of a unit's sub-tree or of a site as a ZIP of one PDF per unit (its own
    members, of that site when one is given), in the org chart's order; units without anyone to
    show are left out. `progress(done, total)` is called after each unit."""
    chart = orgchart_build()
    if unit is not None:
        nodes = list(chart.node(unit.pk).walk()) if chart.node(unit.pk) else []
    else:
        nodes = list(chart.walk())
    counts = dict(
        _trombinoscope_agents(unit_ids=[node.pk for node in nodes], site=site)
        .values_list("org_unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    parts = [node for node in nodes if counts.get(node.pk)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed
        for number, node in enumerate(parts, 1):
            agents = list(_trombinoscope_agents(unit_ids=[node.pk], site=site))
            pdf = _trombinoscope_pdf(agents=agents, unit=node.unit, site=site)
            archive.writestr(f"{number:03d}-{slugify(node.unit.name)[:80]}.pdf", pdf)
            if progress is not None:
                progress(number, len(parts))
    return buffer.getvalue()


def trombinoscope_filename(*, unit_id: int | None = None, site_id: int | None = None, extension: str = "pdf") -> str:
    return f"trombinoscope-{f'unite-{unit_id}' if unit_id else f'site-{site_id}'}.{extension}"


def trombinoscope_document_render(
    *, unit_id: int | None = None, site_id: int | None = None, progress=None
) -> tuple[str, bytes]:
    """The renderer of TROMBINOSCOPE_DOCUMENT (see intranet.registry.DocumentRenderer): rendered
    by a worker, so without the synchronous limit; beyond PDF_SPLIT_AGENTS agents, a ZIP of one
    PDF per unit (`progress` says how many are done)."""
    unit = OrgUnit.objects.get(pk=unit_id) if unit_id else None
    site = Site.objects.get(pk=site_id) if site_id else None
    unit_ids = orgchart_build().descendant_ids(unit.pk) if unit is not None else None
    if _trombinoscope_agents(unit_ids=unit_ids, site=site).count() > PDF_SPLIT_AGENTS:
        content = trombinoscope_zip_render(unit=unit, site=site, progress=progress)
        return trombinoscope_filename(unit_id=unit_id, site_id=site_id, extension="zip"), content
    pdf = trombinoscope_pdf_render(unit=unit, site=site, max_agents=None)
    return trombinoscope_filename(unit_id=unit_id, site_id=site_id), pdf


def orgchart_pdf_render(*, max_units: int | None = -1) -> bytes:
    """The whole org chart as a PDF: units as nested boxes with their head and headcount. Raises
    PdfTooLarge beyond `max_units` units (ORGCHART_SYNC_MAX_UNITS unless given; None: no limit, in
    a worker) unless the same chart's PDF is in the cache already."""
    chart = orgchart_build()
    html = render_to_string("pdf/orgchart.html", {"chart": chart, "printed_on": timezone.localdate()})
    max_units = ORGCHART_SYNC_MAX_UNITS if max_units == -1 else max_units
    if max_units is not None and len(chart.nodes) > max_units:
        cached = cache.get(_pdf_key(html, files=[]))
        if cached is None:
            raise PdfTooLarge
        return cached
    return _pdf_from_html(html, files=[])


def orgchart_document_render() -> tuple[str, bytes]:
    """The renderer of ORGCHART_DOCUMENT: the whole chart, by a worker."""
    return "organigramme.pdf", orgchart_pdf_render(max_units=None)
