"""Rapports d'étonnement (written by the visitor, published by HR with their consent), and the RGPD
anonymisation of an agent's words."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.kept import model_version_name, renew
from intranet.models import Agent
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import Offer, Visit
from onboarding.shadowing.services.common import _lock, _record, _require_state


@transaction.atomic
def visit_report_write(*, visit: Visit, user, report: str, consent: bool) -> Visit:
    visit = _lock(visit)
    if not perms.is_visitor(user, visit):
        raise PermissionDenied(_("Seul le visiteur écrit son rapport d'étonnement."))
    _require_state(
        visit, Visit.State.DONE, Visit.State.EVALUATED, message=_("Le rapport d'étonnement s'écrit après la visite.")
    )
    report = report.strip()
    if not report:
        raise ValidationError(_("Le rapport d'étonnement est vide."), code="report")
    visit.report, visit.report_publish_consent, visit.report_written_at = report, consent, timezone.now()
    fields = ["report", "report_publish_consent", "report_written_at"]
    if not consent and visit.report_published_at:
        visit.report_published_at = None  # consent withdrawn: unpublished at once
        fields.append("report_published_at")
    visit.save(update_fields=fields)
    _record(visit=visit, actor=user, action="report", from_state=visit.state)
    return visit


@transaction.atomic
def visit_report_publish(*, visit: Visit, user, publish: bool = True) -> Visit:
    """HR publishes a report on the intranet's testimonies page, only with the visitor's consent."""
    if not perms.is_hr(user):
        raise PermissionDenied
    visit = _lock(visit)
    if publish and not (visit.report and visit.report_publish_consent):
        raise ValidationError(_("Le visiteur n'a pas consenti à la publication de son rapport."), code="consent")
    visit.report_published_at = timezone.now() if publish else None
    visit.save(update_fields=["report_published_at"])
    _record(visit=visit, actor=user, action="publish" if publish else "unpublish", from_state=visit.state)
    return visit


# --- RGPD ----------------------------------------------------------------------------------


@transaction.atomic
def agent_shadowing_anonymise(*, agent: Agent, label: str) -> None:
    """An anonymised agent: their words in their own name (motivations, published reports)
    leave the intranet; the counts of the campaigns stay."""
    Visit.objects.filter(visitor=agent).update(motivation="", report_publish_consent=False, report_published_at=None)
    Offer.objects.filter(host=agent).update(active=False)
    renew(model_version_name("shadowing.Offer"))  # the kept catalogue (an update: no signal)
