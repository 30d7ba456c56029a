"""From a wish to an accepted visit: the request, the visitor's manager's approval, the host
(designated for a free wish), the host side's acceptance, or a refusal."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.links import absolute_url
from intranet.models import Agent
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import Availability, Campaign, Offer, Visit
from onboarding.shadowing.services.common import (
    _approver_recipients,
    _lock,
    _mail,
    _notify_hr,
    _record,
    _require_state,
    _visit_text,
)


@transaction.atomic
def visit_request(
    *,
    user,
    campaign: Campaign | None,
    offer: Offer | None = None,
    host: Agent | None = None,
    wished_job: str = "",
    motivation: str = "",
    duration: str = Availability.HALF_DAY,
) -> Visit:
    """An agent's wish: an offer from the catalogue, a colleague's job (from the directory),
    or a job described in their own words."""
    if campaign is None or not campaign.accepts_wishes():
        raise ValidationError(_("Aucune campagne ne recueille de souhaits en ce moment."))
    wished_job = wished_job.strip()
    if offer is not None:
        if not offer.active:
            raise ValidationError(_("Cette offre n'est plus ouverte."))
        host = offer.host
    if offer is None and not wished_job:
        raise ValidationError(_("Choisissez une offre ou décrivez le métier que vous aimeriez découvrir."))
    if host is not None and host.pk == user.pk:
        raise ValidationError(_("Vous ne pouvez pas demander à découvrir votre propre métier."))
    if duration not in (Availability.HALF_DAY, Availability.DAY):
        raise ValidationError(_("Choisissez une demi-journée ou une journée."))
    if offer is not None and offer.availability != Availability.BOTH and offer.availability != duration:
        raise ValidationError(
            _("L'accueillant propose : %(availability)s.") % {"availability": offer.get_availability_display()}
        )
    duplicate = Visit.objects.filter(visitor=user, campaign=campaign, state__in=Visit.OPEN_STATES)
    if offer is not None and duplicate.filter(offer=offer).exists():
        raise ValidationError(_("Vous avez déjà une demande en cours pour cette offre."))
    visit = Visit.objects.create(
        campaign=campaign,
        visitor=user,
        offer=offer,
        host=host,
        wished_job=wished_job,
        motivation=motivation.strip(),
        duration=duration,
    )
    visit = Visit.objects.with_people().get(pk=visit.pk)
    _record(visit=visit, actor=user, action="request", from_state="")
    approvers = perms.visitor_approver_ids(visit)
    for approver in _approver_recipients(approvers):
        _mail(
            approver,
            kind="shadowing.approval_needed",
            subject=_("Montre-moi ton job : une demande de %(visitor)s attend votre accord")
            % {"visitor": user.get_full_name()},
            text=_(
                "Bonjour,\n\n%(visitor)s souhaite découvrir un métier dans le cadre de « Montre-moi ton job ».\n"
                "Merci de donner votre accord ou de refuser avec un motif :\n\n%(details)s"
            )
            % {"visitor": user.get_full_name(), "details": _visit_text(visit)},
        )
    if not approvers:
        _notify_hr(visit, subject=_("Montre-moi ton job : une demande sans encadrant à valider"))
    return visit


def _notify_host_side(visit: Visit) -> None:
    if visit.host_id is None:
        # A free wish: the visitor's manager, who just approved it, designates the host (their
        # « À décider » queue says so); HR hears of it only if nobody has within the delay (visits_sweep).
        return
    if visit.host_accepted_at is None:
        _mail(
            visit.host,
            kind="shadowing.host_needed",
            subject=_("Montre-moi ton job : %(visitor)s souhaite découvrir votre métier")
            % {"visitor": visit.visitor.get_full_name()},
            text=_(
                "Bonjour,\n\n%(visitor)s aimerait découvrir votre métier pendant %(duration)s. "
                "Son encadrant a donné son accord. Acceptez-vous de l'accueillir ?\n\n%(details)s"
            )
            % {
                "visitor": visit.visitor.get_full_name(),
                "duration": visit.get_duration_display().lower(),
                "details": _visit_text(visit),
            },
        )
    host_approvers = perms.host_approver_ids(visit)
    if visit.host_manager_accepted_at is None and host_approvers:
        for approver in _approver_recipients(host_approvers):
            _mail(
                approver,
                kind="shadowing.host_manager_needed",
                subject=_("Montre-moi ton job : une visite dans votre service attend votre accord"),
                text=_(
                    "Bonjour,\n\n%(visitor)s souhaite découvrir le métier de %(host)s, dans votre service. "
                    "Merci de donner votre accord ou de refuser avec un motif :\n\n%(details)s"
                )
                % {
                    "visitor": visit.visitor.get_full_name(),
                    "host": visit.host.get_full_name(),
                    "details": _visit_text(visit),
                },
            )


@transaction.atomic
def visit_approve(*, visit: Visit, user) -> Visit:
    """The visitor's manager (or their substitute, or HR) agrees to the wish."""
    visit = _lock(visit)
    _require_state(visit, Visit.State.WISH, message=_("Cette demande n'attend plus l'accord de l'encadrant."))
    acting = perms.acting_for_visitor_side(user, visit)
    if not acting.allowed:
        raise PermissionDenied(_("Seul l'encadrant du visiteur (ou son suppléant, ou les RH) donne cet accord."))
    from_state = visit.state
    visit.state = Visit.State.APPROVED
    visit.save(update_fields=["state"])
    _record(visit=visit, actor=user, action="approve", from_state=from_state, on_behalf_of_id=acting.on_behalf_of_id)
    _mail(
        visit.visitor,
        kind="shadowing.approved",
        subject=_("Montre-moi ton job : votre encadrant a donné son accord"),
        text=_(
            "Bonjour,\n\nVotre demande a reçu l'accord de votre encadrant. Elle est transmise à "
            "l'accueillant et à son encadrant.\n\n%(details)s"
        )
        % {"details": _visit_text(visit)},
    )
    _notify_host_side(visit)
    return visit


@transaction.atomic
def visit_assign_host(*, visit: Visit, user, host: Agent, offer: Offer | None = None) -> Visit:
    """Organisation of a free wish: HR (or the visitor's manager) finds the colleague who hosts."""
    visit = _lock(visit)
    if not perms.can_assign_host(user, visit):
        raise PermissionDenied(_("Vous ne pouvez pas désigner l'accueillant de cette demande."))
    if host.pk == visit.visitor_id or host.is_external or not host.is_active:
        raise ValidationError(_("Choisissez un autre agent comme accueillant."))
    visit.host, visit.offer = host, offer if offer is not None and offer.host_id == host.pk else None
    visit.save(update_fields=["host", "offer"])
    _record(visit=visit, actor=user, action="assign_host", from_state=visit.state, comment=host.get_full_name())
    if visit.state == Visit.State.APPROVED:
        visit = Visit.objects.with_people().get(pk=visit.pk)
        _notify_host_side(visit)
    return visit


@transaction.atomic
def visit_accept(*, visit: Visit, user) -> Visit:
    """The host, or the host's manager, accepts; the visit is accepted once both have. HR
    accepting in neither role gives the missing agreements."""
    visit = _lock(visit)
    _require_state(visit, Visit.State.APPROVED, message=_("Cette visite n'attend pas d'acceptation."))
    if visit.host_id is None:
        raise ValidationError(_("Désignez d'abord l'accueillant."))
    now = timezone.now()
    fields, on_behalf_of = [], None
    if user.pk == visit.host_id and visit.host_accepted_at is None:
        visit.host_accepted_at = now
        fields.append("host_accepted_at")
        if not perms.host_approver_ids(visit) and visit.host_manager_accepted_at is None:
            # A host with no manager above them in their service (its head): their word is the service's.
            visit.host_manager_accepted_at = now
            fields.append("host_manager_accepted_at")
    acting = perms.acting_for_host_side(user, visit)
    if acting.allowed and not acting.as_hr and visit.host_manager_accepted_at is None:
        visit.host_manager_accepted_at = now
        fields.append("host_manager_accepted_at")
        on_behalf_of = acting.on_behalf_of_id
    if not fields and acting.as_hr:
        visit.host_accepted_at = visit.host_accepted_at or now
        visit.host_manager_accepted_at = visit.host_manager_accepted_at or now
        fields = ["host_accepted_at", "host_manager_accepted_at"]
    if not fields:
        if user.pk == visit.host_id or acting.allowed:
            raise ValidationError(_("Vous avez déjà accepté cette visite."))
        raise PermissionDenied(_("Seuls l'accueillant, son encadrant (ou son suppléant) et les RH acceptent."))
    from_state = visit.state
    if visit.host_accepted_at and visit.host_manager_accepted_at:
        visit.state = Visit.State.ACCEPTED
        fields.append("state")
    visit.save(update_fields=fields)
    _record(
        visit=visit,
        actor=user,
        action="accept",
        from_state=from_state,
        on_behalf_of_id=on_behalf_of,
        comment=_("en tant qu'accueillant")
        if "host_accepted_at" in fields and user.pk == visit.host_id
        else _("pour le service d'accueil"),
    )
    if visit.state == Visit.State.ACCEPTED:
        _mail(
            visit.visitor,
            kind="shadowing.accepted",
            subject=_("Montre-moi ton job : votre visite est acceptée"),
            text=_(
                "Bonjour,\n\n%(host)s et son encadrant acceptent de vous accueillir. La date sera fixée avec "
                "vous ; avant la visite, signez l'engagement de discrétion depuis la page de la demande.\n\n"
                "%(details)s"
            )
            % {"host": visit.host.get_full_name(), "details": _visit_text(visit)},
        )
        _mail(
            visit.host,
            kind="shadowing.to_schedule",
            subject=_("Montre-moi ton job : fixez la date de la visite"),
            text=_(
                "Bonjour,\n\nLa visite de %(visitor)s est acceptée par tous. Fixez-en la date (%(duration)s) "
                "depuis la page de la demande :\n\n%(details)s"
            )
            % {
                "visitor": visit.visitor.get_full_name(),
                "duration": visit.get_duration_display().lower(),
                "details": _visit_text(visit),
            },
        )
    return visit


@transaction.atomic
def visit_refuse(*, visit: Visit, user, reason: str) -> Visit:
    """A refusal at the step waiting for this user, with its reason, told to the visitor."""
    visit = _lock(visit)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du refus."), code="reason")
    if visit.state == Visit.State.WISH:
        acting = perms.acting_for_visitor_side(user, visit)
    elif visit.state == Visit.State.APPROVED:
        acting = perms.acting_for_host_side(user, visit)
        if user.pk == visit.host_id:
            acting = perms.Acting(True)
    else:
        raise ValidationError(
            _("Cette demande ne peut plus être refusée (elle est %(state)s).")
            % {"state": visit.get_state_display().lower()},
            code="wrong_state",
        )
    if not acting.allowed:
        raise PermissionDenied(_("Ce refus ne vous revient pas."))
    from_state = visit.state
    visit.state, visit.refusal_reason = Visit.State.REFUSED, reason
    visit.save(update_fields=["state", "refusal_reason"])
    _record(
        visit=visit,
        actor=user,
        action="refuse",
        from_state=from_state,
        comment=reason,
        on_behalf_of_id=acting.on_behalf_of_id,
    )
    _mail(
        visit.visitor,
        kind="shadowing.refused",
        subject=_("Montre-moi ton job : votre demande n'a pas pu aboutir"),
        text=_(
            "Bonjour,\n\nVotre demande pour découvrir le métier « %(job)s » a été refusée par %(who)s.\n"
            "Motif : %(reason)s\n\nVous pouvez formuler un autre souhait : %(url)s\n"
        )
        % {
            "job": visit.job_label,
            "who": user.get_full_name(),
            "reason": reason,
            "url": absolute_url(visit.get_absolute_url()),
        },
    )
    return visit
