"""Making the action known (seed 004: mailing, a flyer for each agent with the link, posters):
the printable flyer and poster with a QR code to the catalogue, and the mailing to all agents
through the mailing app (`mailing.services.mailing_create`)."""

import base64
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from intranet.audiences import AudienceSpec
from intranet.links import absolute_url
from intranet.pdf import pdf_render
from mailing import services as mailing_services
from mailing.selectors import mailing_for_source
from newsletters.models import Block, Issue
from newsletters.services.blocks import block_create


def qr_svg(url: str) -> bytes:
    """The QR code of `url` as SVG (qrcode's SVG path image: no Pillow needed)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(url, image_factory=SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def printable_pdf(*, kind: str, catalogue_url: str, campaign=None) -> bytes:
    qr = "data:image/svg+xml;base64," + base64.b64encode(qr_svg(catalogue_url)).decode("ascii")
    return pdf_render(
        f"shadowing/pdf/{kind}.html",
        {"qr": qr, "url": catalogue_url, "campaign": campaign, "site_name": settings.SITE_NAME},
    )


def campaign_mailing_create(*, campaign, user, catalogue_url: str):
    """A mailing to every agent announcing the campaign, left for communication/HR to start
    from the mailing app's control page."""
    existing = mailing_for_source(campaign)
    if existing is not None:
        return existing  # one announcement per campaign: its control page, not a second mailing

    context = {"campaign": campaign, "url": catalogue_url, "site_name": settings.SITE_NAME}
    return mailing_services.mailing_create(
        subject=_("Montre-moi ton job : découvrez le métier d'un(e) collègue"),
        html=render_to_string("shadowing/email/campaign_mailing.html", context),
        text=render_to_string("shadowing/email/campaign_mailing.txt", context),
        audience=AudienceSpec(everyone=True),
        created_by=user,
        kind="shadowing.campaign",
        web_url=catalogue_url if _valid_url(catalogue_url) else "",
        source=campaign,
    )


def _valid_url(url: str) -> bool:
    from django.core.validators import URLValidator

    try:
        URLValidator()(url)
    except ValidationError:
        return False  # a host without a domain (a test server, an intranet short name)
    return True


def catalogue_url() -> str:
    """The catalogue's address for a flyer or a mail."""
    return absolute_url(reverse("shadowing:offer-list"))


def mailing_url(mailing) -> str:
    return reverse("mailing:mailing-detail", args=[mailing.pk])


def report_offer_to_newsletter(*, visit, user):
    """Offer a published rapport d'étonnement to the newsletter: a text block at the end of the
    latest issue in preparation (the newsletter's editors keep it, move it or delete it)."""
    from django.utils.html import escape, linebreaks

    if not visit.report_published_at:
        raise ValidationError(_("Seul un rapport publié (avec l'accord de son auteur) peut être proposé à la lettre."))
    issue = Issue.objects.filter(status=Issue.Status.DRAFT).order_by("-number").first()
    if issue is None:
        raise ValidationError(_("Aucun numéro de la lettre n'est en préparation."))
    title = _("Montre-moi ton job : %(visitor)s a découvert le métier de %(job)s") % {
        "visitor": visit.visitor.get_full_name(),
        "job": visit.job_label,
    }
    return block_create(
        issue=issue, kind=Block.Kind.TEXT, user=user, title=title[:200], body=linebreaks(escape(visit.report))
    )
