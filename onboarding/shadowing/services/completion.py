"""After the visit: its completion, the hot evaluation handed to the surveys app, what beat sweeps
(evaluations left behind, free wishes routed to HR), the managers' year-end questionnaire."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.links import absolute_url
from intranet.models import Agent
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import Campaign, Visit, VisitEvent
from onboarding.shadowing.services.common import _lock, _mail, _notify_hr, _record, _require_state
from surveys.models import Survey
from surveys.services.drafting import survey_create_from_template
from surveys.services.errors import SurveyClosedError
from surveys.services.invitations import survey_invite

logger = logging.getLogger(__name__)


@transaction.atomic(durable=True)  # a top-level action: nothing may hide its failure
def visit_complete(*, visit: Visit, user) -> Visit:
    """The visit took place; the hot evaluation is then handed to the surveys app."""
    visit = _lock(visit)
    _require_state(visit, Visit.State.SCHEDULED, message=_("Seule une visite programmée peut être marquée réalisée."))
    if not perms.can_complete(user, visit):
        raise PermissionDenied(_("Seuls le visiteur, l'accueillant, son encadrant et les RH le confirment."))
    if visit.scheduled_on > timezone.localdate():
        raise ValidationError(_("La visite n'a pas encore eu lieu."), code="date")
    if visit.agreement_signed_at is None:
        raise ValidationError(_("Le visiteur n'a pas signé l'engagement de discrétion."), code="agreement")
    from_state = visit.state
    visit.state = Visit.State.DONE
    visit.save(update_fields=["state"])
    _record(visit=visit, actor=user, action="complete", from_state=from_state)
    _mail(
        visit.visitor,
        kind="shadowing.report",
        subject=_("Montre-moi ton job : racontez votre découverte"),
        text=_(
            "Bonjour,\n\nMerci d'avoir participé à « Montre-moi ton job ». Vous recevrez un court questionnaire "
            "d'évaluation ; vous pouvez aussi écrire votre rapport d'étonnement (ce qui vous a surpris, "
            "appris, ce que vous changeriez) et accepter qu'il soit publié :\n%(url)s\n"
        )
        % {"url": absolute_url(visit.get_absolute_url())},
    )
    # The hot evaluation is another app's work: it goes after the commit, and nothing it meets (a
    # questionnaire HR closed) can undo the visit (the beat sweep sends what a crash left behind).
    transaction.on_commit(partial(_evaluation_after_commit, visit_id=visit.pk, user_id=user.pk))
    return visit


def _evaluation_after_commit(*, visit_id: int, user_id: int | None) -> None:
    visit = Visit.objects.filter(pk=visit_id).first()
    if visit is None:
        return
    try:
        visit_evaluation_send(visit=visit, user=Agent.objects.filter(pk=user_id).first())
    except Exception:  # logged; the visit stays done and the beat sweep tries again
        logger.exception("Visit %s: the hot evaluation could not be sent", visit_id)


# --- The hot evaluation (surveys app) --------------------------------------------------------


def _campaign_owner(campaign: Campaign) -> Agent | None:
    """Who owns the campaign's questionnaires: its creator, else an HR agent."""
    from intranet.roles import Role

    if campaign.created_by_id is not None:
        return campaign.created_by
    return Agent.objects.filter(groups__name=Role.HR.value, is_active=True).order_by("pk").first()


def _campaign_survey(campaign: Campaign, *, template: str, field: str, title: str, author):
    survey_id = getattr(campaign, field)
    if survey_id is not None:
        survey = Survey.objects.filter(pk=survey_id).first()
        if survey is not None:
            return survey
    survey = survey_create_from_template(
        template=template,
        title=title,
        author=author,
        opens_on=timezone.localdate(),
    )
    setattr(campaign, field, survey.pk)
    campaign.save(update_fields=[field])
    return survey


@transaction.atomic
def visit_evaluation_send(*, visit: Visit, user) -> bool:
    """Invite the visitor and the host to the campaign's hot-evaluation questionnaires (one
    questionnaire per campaign and side, so results are read by campaign and anonymity holds)
    and mark the visit evaluated. A questionnaire HR has closed is « nothing to send » for that
    side, recorded in the visit's history; with both closed the visit stays done. False when
    nothing was sent (not "done" any more, or both questionnaires closed)."""
    visit = _lock(visit)
    if visit.state != Visit.State.DONE or _evaluation_skipped(visit):
        return False
    campaign = Campaign.objects.select_for_update().get(pk=visit.campaign_id)
    author = _campaign_owner(campaign) or user  # the questionnaires' results are HR's, never a participant's
    sides = (
        ("shadowing_visitor", "visitor_survey_id", _("votre découverte"), visit.visitor),
        ("shadowing_host", "host_survey_id", _("votre accueil"), visit.host),
    )
    sent, closed = 0, []
    for template, field, topic, person in sides:
        survey = _campaign_survey(
            campaign,
            template=template,
            field=field,
            author=author,
            title=_("Montre-moi ton job – %(campaign)s : %(topic)s") % {"campaign": campaign.title, "topic": topic},
        )
        if person is None:
            continue
        try:
            with transaction.atomic():
                survey_invite(survey=survey, agents=[person])
        except SurveyClosedError:
            closed.append(survey.title)
            continue
        sent += 1
    if closed:
        _record(
            visit=visit,
            actor=user,
            action="evaluation_skipped",
            from_state=visit.state,
            comment=_("questionnaire clos : %(titles)s") % {"titles": ", ".join(closed)},
        )
    if not sent:
        return False
    visit.state, visit.evaluation_sent_at = Visit.State.EVALUATED, timezone.now()
    visit.save(update_fields=["state", "evaluation_sent_at"])
    _record(visit=visit, actor=user, action="evaluate", from_state=Visit.State.DONE)
    return True


def _evaluation_skipped(visit: Visit) -> bool:
    return visit.events.filter(action="evaluation_skipped").exists()


# --- What beat does: evaluations left behind, free wishes without a host --------------------

EVALUATION_RETRY_AFTER = timedelta(minutes=10)


def host_designation_days() -> int:
    """A free wish whose host nobody has designated this many days after it was made goes to HR."""
    return int(getattr(settings, "SHADOWING_HOST_DESIGNATION_DAYS", 7))


def visits_sweep(*, now=None) -> dict[str, int]:
    """Beat, hourly (idempotent): send the evaluations a crash left behind after a visit's commit,
    and route to HR the free wishes still without a host after `host_designation_days()`."""
    now = now or timezone.now()
    evaluated = 0
    events = VisitEvent.objects.filter(visit=OuterRef("pk"))
    left_behind = (
        Visit.objects.filter(state=Visit.State.DONE)
        .exclude(Exists(events.filter(action="evaluation_skipped")))
        .exclude(Exists(events.filter(action="complete", at__gt=now - EVALUATION_RETRY_AFTER)))
        .values_list("pk", flat=True)
    )
    for pk in list(left_behind):
        try:
            evaluated += visit_evaluation_send(visit=Visit(pk=pk), user=None)
        except Exception:  # one visit's failure does not stop the others
            logger.exception("Visit %s: the hot evaluation could not be sent", pk)
    waiting = Visit.objects.filter(
        state__in=[Visit.State.WISH, Visit.State.APPROVED],
        host__isnull=True,
        routed_to_hr_at__isnull=True,
        created_at__lt=now - timedelta(days=host_designation_days()),
    ).values_list("pk", flat=True)
    routed = sum(visit_route_to_hr(visit=Visit(pk=pk), now=now) for pk in list(waiting))
    return {"evaluated": evaluated, "routed": routed}


@transaction.atomic
def visit_route_to_hr(*, visit: Visit, now=None) -> bool:
    """A free wish nobody found a host for in time enters HR's « À décider » queue; HR is told once.
    False when it no longer waits (a host designated meanwhile, closed, already routed)."""
    visit = _lock(visit)
    if visit.host_id is not None or visit.routed_to_hr_at is not None or not visit.is_open:
        return False
    visit.routed_to_hr_at = now or timezone.now()
    visit.save(update_fields=["routed_to_hr_at"])
    _record(visit=visit, actor=None, action="route_to_hr", from_state=visit.state)
    _notify_hr(
        visit,
        subject=_("Montre-moi ton job : un souhait attend un accueillant depuis %(days)s jours")
        % {"days": host_designation_days()},
    )
    return True


def managers_year_end_survey_create(*, user):
    """Seed 004: cooperation and belonging are measured at year end by a questionnaire to the
    managers (the surveys app's "managers_year_end" template); HR then invites its audience there."""
    if not perms.is_hr(user):
        raise PermissionDenied
    return survey_create_from_template(
        template="managers_year_end",
        author=user,
        title=_("Fin d'année %(year)s : coopération et sentiment d'appartenance") % {"year": timezone.localdate().year},
    )
