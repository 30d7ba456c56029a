"""What the onboarding app does: functions that change state, one transaction each."""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet import workqueue
from intranet.links import absolute_url
from intranet.models import Agent
from intranet.sanitize import sanitize
from intranet.services import audit_log_record, email_queue
from onboarding.models import (
    Arrival,
    Assignee,
    BuddyVolunteer,
    GuideChapter,
    GuideEdition,
    GuideSettings,
    IntegrationDay,
    Invitation,
    JourneyTask,
    JourneyTemplate,
    TemplateTask,
)
from surveys.models import Survey
from surveys.services.drafting import survey_create_from_template
from surveys.services.invitations import survey_invite

logger = logging.getLogger(__name__)

# A parrain or marraine accompanies a newcomer this long after the arrival: within it, the
# newcomer counts against the volunteer's capacity.
BUDDY_PERIOD = timedelta(days=180)
# The 3-month satisfaction survey is sent this long after the arrival.
SURVEY_AFTER = timedelta(days=90)


def _mail(*, agent: Agent | None, email: str = "", subject: str, text: str, kind: str, attachments=None) -> bool:
    """One mail through the outbox; False when there is nobody to write to (no address, or an
    agent without a professional mailbox: HR hands them a paper copy)."""
    to = email or (agent.email if agent is not None and agent.has_mailbox and agent.is_active else "")
    if not to:
        return False
    email_queue(to=to, subject=subject, text=text, kind=kind, attachments=attachments)
    return True


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


# --- Parrain / marraine -----------------------------------------------------------------------


@transaction.atomic
def volunteer_save(*, agent: Agent, capacity: int, note: str = "", is_active: bool = True) -> BuddyVolunteer:
    if agent.is_external:
        raise ValidationError(_("Un partenaire externe ne peut pas être parrain ou marraine."))
    volunteer = BuddyVolunteer.objects.filter(agent=agent).first() or BuddyVolunteer(agent=agent)
    volunteer.capacity, volunteer.note, volunteer.is_active = capacity, note, is_active
    volunteer.full_clean()
    volunteer.save()
    return volunteer


def buddy_load(*, today: date | None = None) -> Count:
    """For annotating volunteers: how many newcomers each accompanies now (arrived less than
    BUDDY_PERIOD ago, or not yet)."""
    today = today or timezone.localdate()
    return Count("agent__buddy_arrivals", filter=Q(agent__buddy_arrivals__arrival_date__gte=today - BUDDY_PERIOD))


@dataclass
class BuddySuggestion:
    volunteer: BuddyVolunteer
    score: int
    reasons: list[str]
    load: int


def buddy_suggestions(*, arrival: Arrival, limit: int = 5, today: date | None = None) -> list[BuddySuggestion]:
    """Volunteers with room left, best first. The score, explained to HR by its reasons:
    +3 from another service (a fresh look, outside the hierarchy), +2 on the same site (they
    can meet), +1 per 2 years in the administration (up to +3), -1 per newcomer already
    accompanied. The newcomer, their manager and full volunteers are left out."""
    today = today or timezone.localdate()
    agent = arrival.agent
    volunteers = (
        BuddyVolunteer.objects.filter(is_active=True, agent__is_active=True, agent__anonymised_at__isnull=True)
        .exclude(agent=agent)
        .exclude(agent_id=arrival.manager_id)
        .select_related("agent__org_unit", "agent__site")
        .annotate(load=buddy_load(today=today))
    )
    suggestions = []
    for volunteer in volunteers:
        if volunteer.load >= volunteer.capacity and arrival.buddy_id != volunteer.agent_id:
            continue
        candidate, score, reasons = volunteer.agent, 0, []
        if candidate.org_unit_id and candidate.org_unit_id != agent.org_unit_id:
            score += 3
            reasons.append(_("+3 : un autre service (%(unit)s)") % {"unit": candidate.org_unit})
        elif candidate.org_unit_id:
            reasons.append(_("+0 : le même service"))
        if candidate.site_id and candidate.site_id == agent.site_id:
            score += 2
            reasons.append(_("+2 : le même site (%(site)s)") % {"site": candidate.site})
        if candidate.arrival_date:
            years = (today - candidate.arrival_date).days // 365
            bonus = min(years // 2, 3)
            if bonus:
                score += bonus
                reasons.append(
                    _("+%(bonus)s : %(years)s ans d'expérience dans l'administration")
                    % {"bonus": bonus, "years": years}
                )
        if volunteer.load:
            score -= volunteer.load
            reasons.append(
                _("-%(load)s : accompagne déjà %(load)s nouvel(s) agent(s) sur %(capacity)s")
                % {"load": volunteer.load, "capacity": volunteer.capacity}
            )
        suggestions.append(BuddySuggestion(volunteer=volunteer, score=score, reasons=reasons, load=volunteer.load))
    suggestions.sort(key=lambda s: (-s.score, s.volunteer.agent.last_name, s.volunteer.agent.first_name))
    return suggestions[:limit]


@transaction.atomic
def buddy_assign(*, arrival: Arrival, buddy: Agent, user, today: date | None = None) -> Arrival:
    """HR confirms a parrain or marraine: a volunteer with room left (their row is locked, so
    two confirmations at once cannot both take the last place); both are told by e-mail and
    the buddy's tasks of the journey are given to them."""
    today = today or timezone.localdate()
    if buddy.pk == arrival.agent_id:
        raise ValidationError(_("Un agent ne peut pas être son propre parrain."))
    volunteer = BuddyVolunteer.objects.select_for_update().filter(agent=buddy, is_active=True).first()
    if volunteer is None:
        raise ValidationError(_("%(agent)s n'est pas inscrit comme parrain ou marraine volontaire.") % {"agent": buddy})
    arrival = Arrival.objects.select_for_update(of=("self",)).select_related("agent", "manager").get(pk=arrival.pk)
    if arrival.buddy_id == buddy.pk:
        return arrival
    load = Arrival.objects.filter(buddy=buddy, arrival_date__gte=today - BUDDY_PERIOD).count()
    if load >= volunteer.capacity:
        raise ValidationError(
            _("%(agent)s accompagne déjà %(load)s nouvel(s) agent(s) : sa capacité (%(capacity)s) est atteinte.")
            % {"agent": buddy, "load": load, "capacity": volunteer.capacity}
        )
    arrival.buddy, arrival.buddy_confirmed_at = buddy, timezone.now()
    arrival.save(update_fields=["buddy", "buddy_confirmed_at"])
    arrival.tasks.filter(assignee_role=Assignee.BUDDY).update(assignee=buddy)
    agent = arrival.agent
    url = absolute_url(arrival.get_absolute_url())
    _mail(
        agent=buddy,
        subject=_("Vous parrainez %(agent)s") % {"agent": agent},
        text=_(
            "Bonjour,\n\nMerci de votre engagement : vous accompagnerez %(agent)s, qui arrive le %(date)s "
            "(%(unit)s). Son parcours d'intégration et ce que nous attendons de vous : %(url)s\n"
        )
        % {"agent": agent, "date": f"{arrival.arrival_date:%d/%m/%Y}", "unit": agent.org_unit or "", "url": url},
        kind="onboarding.buddy.volunteer",
    )
    _mail(
        agent=agent,
        subject=_("Votre parrain ou marraine : %(buddy)s") % {"buddy": buddy},
        text=_(
            "Bonjour,\n\n%(buddy)s (%(job)s, %(unit)s) sera votre parrain ou marraine pendant vos premiers "
            "mois : n'hésitez pas à lui poser vos questions. Votre parcours : %(url)s\n"
        )
        % {"buddy": buddy, "job": buddy.job_title, "unit": buddy.org_unit or "", "url": url},
        kind="onboarding.buddy.newcomer",
    )
    audit_log_record(actor=user, action="onboarding.buddy.assign", target=arrival, details={"buddy": buddy.pk})
    guide_request(arrival=arrival)
    return arrival


def arrival_surveys_send(*, today: date | None = None) -> int:
    """The 3-month satisfaction survey (seed 001, 5.4: "grille de satisfaction"): one survey
    per quarter of arrivals, from the surveys app's "onboarding_3_months" template, sent to
    the arrivals of 3 months ago and to their parrains and marraines."""
    today = today or timezone.localdate()
    sent = 0
    due = Arrival.objects.filter(survey_sent_at__isnull=True, arrival_date__lte=today - SURVEY_AFTER)
    for arrival in due.select_related("agent", "buddy")[:500]:
        with transaction.atomic():
            locked = (
                Arrival.objects.select_for_update(skip_locked=True)
                .filter(pk=arrival.pk, survey_sent_at__isnull=True)
                .first()
            )
            if locked is None:
                continue
            quarter = (arrival.arrival_date.month - 1) // 3 + 1
            title = _("Votre accueil, trois mois après (arrivées du T%(quarter)s %(year)s)") % {
                "quarter": quarter,
                "year": arrival.arrival_date.year,
            }
            survey = _quarter_survey(title=title, author=arrival.created_by, today=today)
            agents = [a for a in (arrival.agent, arrival.buddy) if a is not None]
            sent += survey_invite(survey=survey, agents=agents)
            locked.survey_sent_at = timezone.now()
            locked.save(update_fields=["survey_sent_at"])
    return sent


def _quarter_survey(*, title: str, author, today: date):
    survey = Survey.objects.filter(title=title).exclude(status=Survey.Status.CLOSED).order_by("-pk").first()
    if survey is None:
        survey = survey_create_from_template(
            template="onboarding_3_months",
            title=title,
            author=author,
            opens_on=today,
        )
    return survey


# --- The welcome guide ------------------------------------------------------------------------


def guide_settings() -> GuideSettings:
    from django.conf import settings

    current = GuideSettings.objects.order_by("pk").first()
    if current is None:
        current = GuideSettings.objects.create(administration_name=settings.SITE_NAME)
    return current


@transaction.atomic
def guide_settings_save(*, guide: GuideSettings, user) -> GuideSettings:
    guide.full_clean()
    guide.save()
    audit_log_record(actor=user, action="onboarding.guide.settings", target=guide)
    return guide


@transaction.atomic
def chapter_save(*, chapter: GuideChapter, user) -> GuideChapter:
    """Save a chapter written by communication or HR, its text sanitised first. The guides
    already rendered are re-rendered when next asked for (their content hash changed)."""
    chapter.body = sanitize(chapter.body, allow_list="guide")
    if not chapter.body:
        raise ValidationError({"body": _("Le texte du chapitre est vide.")})
    chapter.full_clean()
    chapter.save()
    audit_log_record(actor=user, action="onboarding.chapter.save", target=chapter)
    return chapter


@transaction.atomic
def chapter_delete(*, chapter: GuideChapter, user) -> None:
    audit_log_record(actor=user, action="onboarding.chapter.delete", target=chapter)
    chapter.delete()


@transaction.atomic
def guide_request(*, arrival: Arrival) -> GuideEdition:
    """Ask for the arrival's guide: a worker renders it after the commit, unless what it is
    made from has not changed since the last rendering (then the task does nothing)."""
    from onboarding import tasks

    edition, _created = GuideEdition.objects.get_or_create(arrival=arrival)
    # Pending until a worker has looked (a render whose inputs did not change is skipped), so
    # a request lost with the broker is published again by guide_dispatch_pending.
    edition.status, edition.error, edition.requested_at = GuideEdition.Status.PENDING, "", timezone.now()
    edition.save(update_fields=["status", "error", "requested_at"])
    workqueue.publish_on_commit(tasks.render_guide_task, arrival.pk)
    return edition


GUIDES = "onboarding.guides"  # the guide renderers' slots (intranet.workqueue)
GUIDE_RENDERERS = 2
GUIDE_MAX_ATTEMPTS = 3


def guide_render(*, arrival_id: int) -> bool:
    """Render the arrival's guide if its content changed since the last rendering (the hash
    of the inputs); e-mail the first one to the arriving agent (PDF attached). True if rendered.

    A pending guide's attempt is counted and committed first, so a guide whose rendering kills
    its worker fails after GUIDE_MAX_ATTEMPTS instead of being tried for ever by the recovery."""
    from django.core.files.base import ContentFile

    from onboarding import guide

    GuideEdition.objects.filter(arrival_id=arrival_id, status=GuideEdition.Status.PENDING).update(
        attempts=F("attempts") + 1
    )
    with transaction.atomic():
        edition = (
            GuideEdition.objects.select_for_update(skip_locked=True)
            .filter(arrival_id=arrival_id)
            .select_related("arrival__agent")
            .first()
        )
        if edition is None:
            return False
        if edition.status == GuideEdition.Status.PENDING and edition.attempts > GUIDE_MAX_ATTEMPTS:
            edition.status = GuideEdition.Status.FAILED
            edition.error = edition.error or "Rendering interrupted too many times (worker lost)"
            edition.save(update_fields=["status", "error"])
            return False
        arrival = edition.arrival
        context = guide.guide_context(arrival=arrival)
        digest = guide.guide_hash(context)
        if edition.content_hash == digest and edition.file:
            if edition.status != GuideEdition.Status.DONE:
                edition.status = GuideEdition.Status.DONE
                edition.save(update_fields=["status"])
            return False
        try:
            pdf, pages = guide.guide_pdf_render(context=context)
        except Exception as error:  # noqa: BLE001 (any rendering error is kept on the row)
            edition.error = f"{type(error).__name__}: {error}"[:2000]
            edition.status = GuideEdition.Status.FAILED
            edition.save(update_fields=["error", "status"])
            logger.warning("Guide of arrival %s not rendered: %s", arrival_id, edition.error)
            return False
        old_file = edition.file.name if edition.file else ""
        edition.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)  # not guessable
        edition.content_hash, edition.pages, edition.error = digest, pages, ""
        edition.status, edition.rendered_at, edition.attempts = GuideEdition.Status.DONE, timezone.now(), 0
        edition.render_count += 1
        fields = ["file", "content_hash", "pages", "error", "status", "rendered_at", "render_count", "attempts"]
        if not edition.emailed_hash:
            agent = arrival.agent
            if _mail(
                agent=agent,
                subject=_("Bienvenue ! Votre guide d'accueil"),
                text=_(
                    "Bonjour %(name)s,\n\nBienvenue parmi nous ! Vous trouverez en pièce jointe votre guide "
                    "d'accueil personnalisé. Il est aussi disponible sur l'intranet : %(url)s\n"
                )
                % {"name": agent.first_name, "url": absolute_url(reverse("onboarding:my-journey"))},
                kind="onboarding.guide",
                attachments=[(guide.guide_filename(arrival), pdf, "application/pdf")],
            ):
                edition.emailed_hash = digest
                fields.append("emailed_hash")
        edition.save(update_fields=fields)
    if old_file and old_file != edition.file.name:
        edition.file.storage.delete(old_file)
    return True


def guide_render_in_slot(*, arrival_id: int | None = None, seconds: float | None = None) -> int:
    """Render that arrival's guide, or every pending guide oldest first (for at most `seconds`,
    settings.WORK_BATCH_SECONDS, then the rest is handed to a new task), holding one of the
    renderers' slots, so beat's recovery knows a live worker is on them. Returns how many were
    rendered."""
    from onboarding import tasks

    rendered = 0
    with workqueue.slot(GUIDES, slots=GUIDE_RENDERERS) as taken:
        if taken is None:
            return 0  # every renderer is busy: the recovery publishes the rest once one is free
        if arrival_id is not None:
            return int(guide_render(arrival_id=arrival_id))
        deadline = time.monotonic() + (workqueue.batch_seconds() if seconds is None else seconds)
        seen: set[int] = set()
        while True:
            pending = GuideEdition.objects.filter(status=GuideEdition.Status.PENDING).exclude(arrival_id__in=seen)
            next_id = pending.order_by("requested_at", "pk").values_list("arrival_id", flat=True).first()
            if next_id is None:
                return rendered
            seen.add(next_id)
            rendered += guide_render(arrival_id=next_id)
            if time.monotonic() > deadline or workqueue.stopping():
                break
    workqueue.publish(tasks.render_pending_guides_task)
    return rendered


def guide_dispatch_pending(*, older_than: timedelta | None = None) -> int:
    """Recovery (beat, every tick): when guides asked for more than `older_than` ago
    (settings.WORK_STALLED_AFTER) are still pending and no live worker renders any (broker down,
    worker lost), publish a task that renders them all. Returns how many tasks were published."""
    from onboarding import tasks

    older_than = workqueue.stalled_after() if older_than is None else older_than
    waiting = GuideEdition.objects.filter(
        status=GuideEdition.Status.PENDING, requested_at__lt=timezone.now() - older_than
    )
    if workqueue.held(GUIDES, slots=GUIDE_RENDERERS) or not waiting.exists():
        return 0
    return int(workqueue.publish(tasks.render_pending_guides_task))


# --- Journées d'intégration -------------------------------------------------------------------


def _invitation_mail(invitation: Invitation) -> None:
    session, agent = invitation.session, invitation.arrival.agent
    when = f"{session.date:%d/%m/%Y}" + (f" {session.start_time:%H:%M}" if session.start_time else "")
    if invitation.status == Invitation.Status.INVITED:
        subject = _("Invitation : %(title)s le %(when)s") % {"title": session.title, "when": when}
        text = _(
            "Bonjour %(name)s,\n\nVous êtes invité(e) à la %(title)s, le %(when)s, %(place)s.\n%(programme)s\n"
            "Un empêchement ? Prévenez les ressources humaines pour libérer votre place.\n"
        )
    else:
        subject = _("Liste d'attente : %(title)s le %(when)s") % {"title": session.title, "when": when}
        text = _(
            "Bonjour %(name)s,\n\nLa %(title)s du %(when)s (%(place)s) est complète : vous êtes sur la "
            "liste d'attente et serez prévenu(e) dès qu'une place se libère.\n"
        )
    _mail(
        agent=agent,
        subject=subject,
        kind=f"onboarding.session.{invitation.status}",
        text=text
        % {
            "name": agent.first_name,
            "title": session.title,
            "when": when,
            "place": session.place,
            "programme": session.programme,
        },
    )


@transaction.atomic
def session_invite(*, session: IntegrationDay) -> int:
    """Invite the arrivals of the session's period not invited yet, in order of arrival date:
    up to the capacity, then on the waiting list. Idempotent (one invitation per arrival and
    session, the session locked meanwhile). Returns how many invitations were made."""
    session = IntegrationDay.objects.select_for_update().get(pk=session.pk)
    taken = session.invitations.filter(status=Invitation.Status.INVITED).count()
    candidates = (
        Arrival.objects.filter(
            arrival_date__gte=session.arrivals_from, arrival_date__lte=session.arrivals_to, agent__is_active=True
        )
        .exclude(invitations__session=session)
        .select_related("agent")
        .order_by("arrival_date", "pk")
    )
    made = 0
    for arrival in candidates:
        status = Invitation.Status.INVITED if taken < session.capacity else Invitation.Status.WAITING
        taken += status == Invitation.Status.INVITED
        invitation = Invitation.objects.create(session=session, arrival=arrival, status=status)
        _invitation_mail(invitation)
        made += 1
    return made


def _waiting_first(session: IntegrationDay):
    return (
        session.invitations.filter(status=Invitation.Status.WAITING)
        .select_related("arrival__agent")
        .order_by("arrival__arrival_date", "created_at", "pk")
        .first()
    )


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, user) -> Invitation | None:
    """Cancel an invitation (the agent cannot come); a freed place goes to the first on the
    waiting list, who is told by e-mail. Returns the promoted invitation, if any."""
    session = IntegrationDay.objects.select_for_update().get(pk=invitation.session_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.CANCELLED:
        return None
    was_invited = invitation.status == Invitation.Status.INVITED
    invitation.status, invitation.updated_at = Invitation.Status.CANCELLED, timezone.now()
    invitation.save(update_fields=["status", "updated_at"])
    audit_log_record(actor=user, action="onboarding.invitation.cancel", target=invitation)
    return _promote(session) if was_invited else None


def _promote(session: IntegrationDay) -> Invitation | None:
    if session.invitations.filter(status=Invitation.Status.INVITED).count() >= session.capacity:
        return None
    promoted = _waiting_first(session)
    if promoted is not None:
        promoted.status, promoted.updated_at = Invitation.Status.INVITED, timezone.now()
        promoted.save(update_fields=["status", "updated_at"])
        _invitation_mail(promoted)
    return promoted


@transaction.atomic
def session_save(*, session: IntegrationDay, user) -> IntegrationDay:
    """Create or change a session; a capacity raised promotes from the waiting list."""
    session.full_clean()
    session.save()
    locked = IntegrationDay.objects.select_for_update().get(pk=session.pk)
    while _promote(locked) is not None:
        pass
    audit_log_record(actor=user, action="onboarding.session.save", target=session)
    return session


def sessions_invite_upcoming(*, today: date | None = None) -> int:
    """Run by beat: every session to come invites the arrivals of its period recorded since."""
    today = today or timezone.localdate()
    return sum(session_invite(session=session) for session in IntegrationDay.objects.filter(date__gte=today))


def onboarding_daily(*, today: date | None = None) -> dict:
    """The beat's work, idempotent: reminders due, invitations, the 3-month surveys, guides lost."""
    return {
        "reminders": journey_reminders_send(today=today),
        "invitations": sessions_invite_upcoming(today=today),
        "surveys": arrival_surveys_send(today=today),
        "guides": guide_dispatch_pending(),
    }
