"""What HR and hosts set up: campaigns, offers, managers' absences (and their substitutes), the
discretion agreement's text."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.models import Agent
from intranet.services import audit_log_record
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import AgreementVersion, ApproverAbsence, Campaign, Offer


@transaction.atomic
def campaign_create(
    *, user, title: str, wishes_open_on: date, wishes_close_on: date, visits_end_on: date, description: str = ""
) -> Campaign:
    if wishes_close_on < wishes_open_on:
        raise ValidationError(_("La clôture des souhaits doit suivre leur ouverture."))
    if visits_end_on < wishes_close_on:
        raise ValidationError(_("La fin des visites doit suivre la clôture des souhaits."))
    campaign = Campaign.objects.create(
        title=title,
        description=description,
        wishes_open_on=wishes_open_on,
        wishes_close_on=wishes_close_on,
        visits_end_on=visits_end_on,
        created_by=user,
    )
    audit_log_record(actor=user, action="shadowing.campaign_create", target=campaign)
    return campaign


def campaign_current(today=None) -> Campaign | None:
    """The campaign collecting wishes today, else the one being organised, else the next one."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.all()
    return (
        campaigns.filter(wishes_open_on__lte=today, wishes_close_on__gte=today).order_by("wishes_close_on").first()
        or campaigns.filter(wishes_close_on__lt=today, visits_end_on__gte=today).order_by("visits_end_on").first()
        or campaigns.filter(wishes_open_on__gt=today).order_by("wishes_open_on").first()
    )


@transaction.atomic
def offer_save(*, user, offer: Offer | None = None, host: Agent | None = None, data: dict) -> Offer:
    """Create (host = the user, or the agent HR names) or update an offer."""
    if offer is None:
        offer = Offer(host=host or user)
    elif not perms.can_edit_offer(user, offer):
        raise PermissionDenied(_("Seul l'accueillant ou les RH modifient cette offre."))
    for field in ("job_title", "description", "org_unit", "site", "availability", "availability_note", "active"):
        if field in data:
            setattr(offer, field, data[field])
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def absence_declare(
    *, user, manager: Agent, starts_on: date, ends_on: date, substitute: Agent | None = None
) -> ApproverAbsence:
    if manager.pk != user.pk and not perms.is_hr(user):
        raise PermissionDenied(_("Vous ne pouvez déclarer que vos propres absences."))
    if ends_on < starts_on:
        raise ValidationError(_("La fin de l'absence doit suivre son début."))
    if substitute is not None and substitute.pk == manager.pk:
        raise ValidationError(_("Le suppléant doit être une autre personne."))
    absence = ApproverAbsence.objects.create(
        manager=manager, starts_on=starts_on, ends_on=ends_on, substitute=substitute, created_by=user
    )
    audit_log_record(
        actor=user,
        action="shadowing.absence_declare",
        target=manager,
        details={"from": str(starts_on), "to": str(ends_on), "substitute": substitute.pk if substitute else None},
    )
    return absence


def agreement_current() -> AgreementVersion | None:
    return AgreementVersion.objects.order_by("-version").first()


@transaction.atomic
def agreement_publish(*, user, text: str) -> AgreementVersion:
    if not perms.is_hr(user):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError(_("Le texte de l'engagement est vide."))
    current = AgreementVersion.objects.select_for_update().order_by("-version").first()
    version = AgreementVersion.objects.create(
        version=(current.version + 1) if current else 1, text=text, published_by=user
    )
    audit_log_record(actor=user, action="shadowing.agreement_publish", target=version)
    return version
