"""What every step of a visit shares: e-mail one agent, record the step, lock the visit, tell HR,
the text that describes a visit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from intranet.links import absolute_url
from intranet.models import Agent
from intranet.services import email_queue
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import Visit, VisitEvent


def _mail(agent: Agent | None, *, subject: str, text: str, kind: str, attachments=None) -> bool:
    """E-mail one agent (an agent without a professional mailbox is reached on paper: skipped)."""
    if agent is None or not agent.is_active or not agent.has_mailbox or not agent.email:
        return False
    email_queue(
        to=agent.email, subject=f"[{settings.SITE_NAME}] {subject}", text=text, kind=kind, attachments=attachments
    )
    return True


def _record(
    *, visit: Visit, actor, action: str, from_state: str, comment: str = "", on_behalf_of_id: int | None = None
) -> VisitEvent:
    return VisitEvent.objects.create(
        visit=visit,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        on_behalf_of_id=on_behalf_of_id,
        action=action,
        from_state=from_state,
        to_state=visit.state,
        comment=comment,
    )


def _lock(visit: Visit) -> Visit:
    """The visit re-read under a row lock, with its people: two managers clicking at once
    make one transition."""
    locked = Visit.objects.select_for_update(of=("self",)).with_people().get(pk=visit.pk)
    return locked


def _require_state(visit: Visit, *states, message: str):
    if visit.state not in states:
        raise ValidationError(message, code="wrong_state")


def _approver_recipients(ids: set[int]) -> list[Agent]:
    """The approvers to notify: the present ones, and the substitutes of the absent ones."""
    absent = perms.absent_ids(ids)
    recipient_ids = (ids - absent) | set(perms.substitutes(absent).keys())
    return list(Agent.objects.filter(pk__in=recipient_ids, is_active=True))


def _visit_text(visit: Visit) -> str:
    return _("Visiteur : %(visitor)s (%(vunit)s)\nMétier : %(job)s\nAccueillant : %(host)s\nLa demande : %(url)s\n") % {
        "visitor": visit.visitor.get_full_name(),
        "vunit": visit.visitor.org_unit or "-",
        "job": visit.job_label,
        "host": visit.host.get_full_name() if visit.host_id else _("à trouver"),
        "url": absolute_url(visit.get_absolute_url()),
    }


def _notify_hr(visit: Visit, *, subject: str) -> None:
    from intranet.roles import Role

    for agent in Agent.objects.filter(groups__name=Role.HR.value, is_active=True).distinct():
        _mail(
            agent,
            kind="shadowing.hr_needed",
            subject=subject,
            text=_("Bonjour,\n\nUne demande « Montre-moi ton job » a besoin des RH :\n\n%(details)s")
            % {"details": _visit_text(visit)},
        )
