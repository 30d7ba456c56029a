"""Journeys: their templates, an arrival recorded or changed (its checklist generated), a task done,
and the reminders of tasks due."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.links import absolute_url
from intranet.models import Agent
from intranet.services import audit_log_record
from onboarding.models import Arrival, Assignee, JourneyTask, JourneyTemplate, TemplateTask
from onboarding.services.buddies import buddy_assign
from onboarding.services.common import _mail
from onboarding.services.welcome_guide import guide_request

# --- Templates of journeys --------------------------------------------------------------------


def template_default() -> JourneyTemplate | None:
    return JourneyTemplate.objects.filter(is_default=True).first() or JourneyTemplate.objects.first()


@transaction.atomic
def template_save(*, template: JourneyTemplate, user) -> JourneyTemplate:
    """Save a template (its tasks are saved by the formset in the same transaction); the
    default one is unique: marking this one default unmarks the others."""
    if template.is_default:
        JourneyTemplate.objects.filter(is_default=True).exclude(pk=template.pk).update(is_default=False)
    template.full_clean()
    template.save()
    audit_log_record(actor=user, action="onboarding.template.save", target=template)
    return template


# --- Arrivals and their journeys ----------------------------------------------------------------


def _assignee_for(arrival: Arrival, role: str) -> tuple[Agent | None, str]:
    """Who does a task of `role` for this arrival: a person, or the IT service's address."""
    if role == Assignee.AGENT:
        return arrival.agent, ""
    if role == Assignee.MANAGER:
        return arrival.manager, ""
    if role == Assignee.BUDDY:
        return arrival.buddy, ""
    if role == Assignee.HR:
        return arrival.created_by, ""
    return None, arrival.template.it_email if arrival.template else ""


@transaction.atomic
def journey_generate(*, arrival: Arrival, template: JourneyTemplate) -> list[JourneyTask]:
    """The arrival's checklist: one task per task of the template, due `offset_days` after
    the arrival date, assigned to the person who holds the task's role for this arrival."""
    tasks = []
    for model in TemplateTask.objects.filter(template=template).order_by("offset_days", "order", "pk"):
        person, address = _assignee_for(arrival, model.assignee)
        tasks.append(
            JourneyTask(
                arrival=arrival,
                title=model.title,
                description=model.description,
                phase=model.phase,
                assignee_role=model.assignee,
                assignee=person,
                assignee_email=address,
                due_date=arrival.arrival_date + timedelta(days=model.offset_days),
            )
        )
    return JourneyTask.objects.bulk_create(tasks)


@transaction.atomic
def arrival_record(
    *,
    agent: Agent,
    arrival_date: date,
    manager: Agent | None = None,
    buddy: Agent | None = None,
    template: JourneyTemplate | None = None,
    user,
) -> Arrival:
    """HR records an arrival: the checklist comes from the template, the buddy (if any) is
    checked against their capacity and told, and the personalised guide is asked for."""
    if Arrival.objects.filter(agent=agent).exists():
        raise ValidationError(_("L'arrivée de %(agent)s est déjà enregistrée.") % {"agent": agent})
    if agent.is_external:
        raise ValidationError(_("Un partenaire externe n'a pas de parcours d'intégration."))
    if manager is not None and manager.pk == agent.pk:
        raise ValidationError(_("L'agent ne peut pas être son propre encadrant."))
    template = template or template_default()
    arrival = Arrival.objects.create(
        agent=agent,
        arrival_date=arrival_date,
        manager=manager or agent.manager,
        template=template,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    changed = []
    if agent.arrival_date != arrival_date:
        agent.arrival_date = arrival_date
        changed.append("arrival_date")
    if arrival.manager is not None and agent.manager_id != arrival.manager.pk:
        agent.manager = arrival.manager
        changed.append("manager")
    if changed:
        agent.save(update_fields=changed)
    if template is not None:
        journey_generate(arrival=arrival, template=template)
    if buddy is not None:
        buddy_assign(arrival=arrival, buddy=buddy, user=user)
    _mail(
        agent=arrival.manager,
        subject=_("Arrivée de %(agent)s le %(date)s") % {"agent": agent, "date": f"{arrival_date:%d/%m/%Y}"},
        text=_(
            "Bonjour,\n\n%(agent)s arrive dans votre équipe le %(date)s. Son parcours d'intégration "
            "et les tâches qui vous sont confiées : %(url)s\n"
        )
        % {"agent": agent, "date": f"{arrival_date:%d/%m/%Y}", "url": absolute_url(arrival.get_absolute_url())},
        kind="onboarding.arrival.manager",
    )
    audit_log_record(actor=user, action="onboarding.arrival.record", target=arrival)
    guide_request(arrival=arrival)
    return arrival


@transaction.atomic
def arrival_update(*, arrival: Arrival, arrival_date: date, manager: Agent | None, user) -> Arrival:
    """HR moves an arrival date or changes the manager: the open tasks move with the date
    (a task moved to the future is reminded again when due) and the manager's open tasks go
    to the new manager; the guide is asked for again (its content changed)."""
    arrival = Arrival.objects.select_for_update(of=("self",)).select_related("agent").get(pk=arrival.pk)
    if manager is not None and manager.pk == arrival.agent_id:
        raise ValidationError(_("L'agent ne peut pas être son propre encadrant."))
    shift = arrival_date - arrival.arrival_date
    open_tasks = arrival.tasks.filter(done_at__isnull=True)
    if shift:
        for task in open_tasks:
            task.due_date += shift
            if task.due_date > timezone.localdate():
                task.reminded_at = None
            task.save(update_fields=["due_date", "reminded_at"])
    if manager != arrival.manager:
        open_tasks.filter(assignee_role=Assignee.MANAGER).update(assignee=manager)
    arrival.arrival_date, arrival.manager = arrival_date, manager
    arrival.save(update_fields=["arrival_date", "manager"])
    agent = arrival.agent
    agent.arrival_date = arrival_date
    if manager is not None:
        agent.manager = manager
    agent.save(update_fields=["arrival_date", "manager"])
    audit_log_record(actor=user, action="onboarding.arrival.update", target=arrival, details={"shift_days": shift.days})
    guide_request(arrival=arrival)
    return arrival


@transaction.atomic
def task_set_done(*, task: JourneyTask, user, done: bool = True) -> JourneyTask:
    task = JourneyTask.objects.select_for_update().get(pk=task.pk)
    if done and task.done_at is None:
        task.done_at, task.done_by = timezone.now(), user
    elif not done:
        task.done_at, task.done_by = None, None
    task.save(update_fields=["done_at", "done_by"])
    return task


def journey_reminders_send(*, today: date | None = None, limit: int = 5_000) -> int:
    """E-mail each task's assignee once, when the task falls due and is not done. Idempotent:
    a task is marked reminded in the transaction that queues its mail (rows locked, SKIP
    LOCKED, so two runs at once send nothing twice). Returns how many reminders were queued."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = (
            JourneyTask.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(done_at__isnull=True, reminded_at__isnull=True, due_date__lte=today)
            .select_related("arrival__agent", "assignee")
            .order_by("due_date", "pk")[:limit]
        )
        sent, now = 0, timezone.now()
        for task in due:
            agent = task.arrival.agent
            subject = _("Parcours d'intégration de %(agent)s : « %(task)s »") % {"agent": agent, "task": task.title}
            text = _(
                "Bonjour,\n\nLa tâche « %(task)s » du parcours d'intégration de %(agent)s était prévue pour le "
                "%(due)s et n'est pas encore cochée.\n%(description)s\nLe parcours : %(url)s\n"
            ) % {
                "task": task.title,
                "agent": agent,
                "due": f"{task.due_date:%d/%m/%Y}",
                "description": task.description,
                "url": absolute_url(task.arrival.get_absolute_url()),
            }
            if _mail(
                agent=task.assignee,
                email=task.assignee_email,
                subject=subject,
                text=text,
                kind="onboarding.task.reminder",
            ):
                sent += 1
            task.reminded_at = now
            task.save(update_fields=["reminded_at"])
    return sent
