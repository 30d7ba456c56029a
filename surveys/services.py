"""What the surveys app does: functions that change state, one transaction each."""

import logging
import time
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from intranet import workqueue
from intranet.links import absolute_url
from intranet.services import audit_log_record, email_publish_on_commit, email_queue
from surveys.answering import CleanedAnswers, answers_clean, raw_bounded
from surveys.models import (
    DEFAULT_SCALE_LABELS,
    PUBLISH_BATCH,
    Answer,
    Choice,
    Invitation,
    Question,
    Response,
    ResponseIdentity,
    Section,
    Survey,
    SurveySession,
)
from surveys.templates_library import TEMPLATES

logger = logging.getLogger(__name__)


class SurveyClosedError(ValidationError):
    pass


class AlreadyAnsweredError(ValidationError):
    pass


def _status_for_dates(survey: Survey, *, today: date) -> str:
    """The status a published survey has on `today`."""
    if survey.closes_on is not None and today > survey.closes_on:
        return Survey.Status.CLOSED
    if survey.opens_on is not None and today < survey.opens_on:
        return Survey.Status.SCHEDULED
    return Survey.Status.OPEN


def _check_dates(opens_on, closes_on) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError(_("La date de clôture doit suivre la date d'ouverture."))


# --- Building --------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    title: str,
    author,
    intro: str = "",
    anonymous: bool = True,
    opens_on: date | None = None,
    closes_on: date | None = None,
    template: str = "",
) -> Survey:
    _check_dates(opens_on, closes_on)
    survey = Survey(
        title=title,
        intro=intro,
        anonymous=anonymous,
        opens_on=opens_on,
        closes_on=closes_on,
        template=template,
        created_by=author if getattr(author, "pk", None) else None,
    )
    survey.full_clean()
    survey.save()
    if getattr(author, "pk", None):
        survey.authors.add(author)
    return survey


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    user,
    title: str,
    intro: str,
    anonymous: bool,
    opens_on: date | None,
    closes_on: date | None,
    auto_remind_days: int | None = None,
) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if anonymous != survey.anonymous and survey.has_responses:
        raise ValidationError(_("L'enquête a déjà des réponses : le choix anonyme ou nominatif ne peut plus changer."))
    _check_dates(opens_on, closes_on)
    survey.title, survey.intro, survey.anonymous = title, intro, anonymous
    survey.opens_on, survey.closes_on, survey.auto_remind_days = opens_on, closes_on, auto_remind_days
    if survey.status != Survey.Status.DRAFT:
        survey.status = _status_for_dates(survey, today=timezone.localdate())
    survey.full_clean()
    survey.save()
    return survey


@transaction.atomic
def survey_delete(*, survey: Survey, user) -> None:
    """Delete a survey that has no answers yet (with its questions and invitations)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.has_responses:
        raise ValidationError(_("L'enquête a des réponses : elle ne peut pas être supprimée (clôturez-la)."))
    audit_log_record(actor=user, action="survey.delete", target=survey)
    survey.delete()


@transaction.atomic
def survey_authors_set(*, survey: Survey, authors: Iterable, user) -> Survey:
    """Who manages the survey (builds it, invites, reads its results). Never empty."""
    authors = list(authors)
    if not authors:
        raise ValidationError(_("Une enquête garde au moins un auteur."))
    if any(author.is_external or not author.is_active for author in authors):
        raise ValidationError(_("Les auteurs sont des agents actifs de la collectivité."))
    survey.authors.set(authors)
    audit_log_record(
        actor=user, action="survey.authors", target=survey, details={"authors": [author.pk for author in authors]}
    )
    return survey


def _check_editable(survey: Survey) -> None:
    if survey.questions_frozen:
        raise ValidationError(_("L'enquête a déjà des réponses : ses questions ne peuvent plus changer."))


def _next_order(queryset) -> int:
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


@transaction.atomic
def section_create(*, survey: Survey, title: str, description: str = "") -> Section:
    _check_editable(survey)
    return Section.objects.create(
        survey=survey, title=title, description=description, order=_next_order(survey.sections.all())
    )


@transaction.atomic
def section_update(*, section: Section, title: str, description: str = "") -> Section:
    _check_editable(section.survey)
    section.title, section.description = title, description
    section.save(update_fields=["title", "description"])
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    _check_editable(section.survey)
    if section.survey.sections.count() <= 1:
        raise ValidationError(_("Une enquête garde au moins une section."))
    section.delete()


def _condition_check(
    *, survey: Survey, question: Question | None, condition_question: Question | None, condition_value: str
) -> None:
    if condition_question is None:
        return
    if condition_question.survey_id != survey.pk or (question is not None and condition_question.pk == question.pk):
        raise ValidationError(_("La condition doit porter sur une autre question de cette enquête."))
    if not condition_value:
        raise ValidationError(_("Indiquez la réponse qui fait afficher la question."))
    allowed = condition_values(condition_question)
    if allowed is not None and condition_value not in dict(allowed):
        raise ValidationError(_("Cette réponse n'est pas possible pour la question choisie."))


def condition_values(question: Question) -> list[tuple[str, str]] | None:
    """The values a condition on `question` may test (None: free, e.g. a number)."""
    kind = question.kind
    if question.is_choice:
        return [(str(choice.pk), choice.label) for choice in question.choices.all()]
    if kind == Question.Kind.YES_NO:
        return [("oui", _("Oui")), ("non", _("Non"))]
    if kind == Question.Kind.SCALE:
        return [(str(level), f"{level} — {label}") for level, label in question.levels]
    if kind == Question.Kind.NPS:
        return [(str(level), str(level)) for level in range(11)]
    return None


def _set_choices(question: Question, labels: list[str]) -> None:
    labels = [label.strip() for label in labels if label.strip()]
    if question.is_choice and len(labels) < 2:
        raise ValidationError(_("Une question à choix demande au moins deux choix."))
    existing = list(question.choices.all())
    for index, label in enumerate(labels):
        if index < len(existing):
            if (existing[index].label, existing[index].order) != (label, index):
                existing[index].label, existing[index].order = label, index
                existing[index].save(update_fields=["label", "order"])
        else:
            Choice.objects.create(question=question, label=label, order=index)
    for extra in existing[len(labels) :]:
        extra.delete()


@transaction.atomic
def question_create(
    *,
    section: Section,
    kind: str,
    label: str,
    required: bool = False,
    help_text: str = "",
    choices: list[str] | None = None,
    scale_labels: list[str] | None = None,
    min_value=None,
    max_value=None,
    condition_question: Question | None = None,
    condition_value: str = "",
) -> Question:
    survey = section.survey
    _check_editable(survey)
    _condition_check(
        survey=survey, question=None, condition_question=condition_question, condition_value=condition_value
    )
    question = Question(
        survey=survey,
        section=section,
        kind=kind,
        label=label,
        required=required,
        help_text=help_text,
        order=_next_order(section.questions.all()),
        scale_labels=list(scale_labels or (DEFAULT_SCALE_LABELS if kind == Question.Kind.SCALE else [])),
        min_value=min_value,
        max_value=max_value,
        condition_question=condition_question,
        condition_value=condition_value if condition_question else "",
    )
    question.full_clean()
    question.save()
    if question.is_choice:
        _set_choices(question, choices or [])
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    kind: str,
    label: str,
    required: bool = False,
    help_text: str = "",
    choices: list[str] | None = None,
    scale_labels: list[str] | None = None,
    min_value=None,
    max_value=None,
    condition_question: Question | None = None,
    condition_value: str = "",
    section: Section | None = None,
) -> Question:
    survey = question.survey
    _check_editable(survey)
    _condition_check(
        survey=survey, question=question, condition_question=condition_question, condition_value=condition_value
    )
    question.kind, question.label, question.required, question.help_text = kind, label, required, help_text
    question.min_value, question.max_value = min_value, max_value
    question.condition_question = condition_question
    question.condition_value = condition_value if condition_question else ""
    if kind == Question.Kind.SCALE:
        question.scale_labels = list(scale_labels or question.scale_labels or DEFAULT_SCALE_LABELS)
    if section is not None and section.survey_id == survey.pk and section.pk != question.section_id:
        question.section, question.order = section, _next_order(section.questions.all())
    question.full_clean()
    question.save()
    if question.is_choice:
        _set_choices(question, choices or [])
    else:
        question.choices.all().delete()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _check_editable(question.survey)
    question.delete()


def _move(item, siblings, direction: str) -> None:
    items = list(siblings)
    index = next(i for i, sibling in enumerate(items) if sibling.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for order, sibling in enumerate(items):
        if sibling.order != order:
            sibling.order = order
            sibling.save(update_fields=["order"])


@transaction.atomic
def question_move(*, question: Question, direction: str) -> None:
    """Move a question up or down within its section (the order a respondent reads)."""
    _check_editable(question.survey)
    _move(question, question.section.questions.select_for_update().order_by("order", "pk"), direction)


@transaction.atomic
def section_move(*, section: Section, direction: str) -> None:
    _check_editable(section.survey)
    _move(section, section.survey.sections.select_for_update().order_by("order", "pk"), direction)


@transaction.atomic
def session_create(*, survey: Survey, label: str, held_on: date | None = None) -> SurveySession:
    if survey.sessions.filter(label=label).exists():
        raise ValidationError(_("Une session porte déjà cet intitulé."))
    return SurveySession.objects.create(
        survey=survey, label=label, held_on=held_on, order=_next_order(survey.sessions.all())
    )


def _copy_questionnaire(*, source: Survey, target: Survey) -> None:
    question_map: dict[int, Question] = {}
    choice_map: dict[int, Choice] = {}
    questions = list(survey_questions(source))
    by_id = {question.pk: question for question in questions}
    for old_section in source.sections.order_by("order", "pk"):
        section = Section.objects.create(
            survey=target, title=old_section.title, description=old_section.description, order=old_section.order
        )
        for old in (q for q in questions if q.section_id == old_section.pk):
            new = Question.objects.create(
                survey=target,
                section=section,
                kind=old.kind,
                label=old.label,
                help_text=old.help_text,
                required=old.required,
                order=old.order,
                scale_labels=old.scale_labels,
                min_value=old.min_value,
                max_value=old.max_value,
            )
            question_map[old.pk] = new
            for old_choice in old.choices.all():
                choice_map[old_choice.pk] = Choice.objects.create(
                    question=new, label=old_choice.label, order=old_choice.order
                )
    for old in questions:
        if old.condition_question_id in question_map:
            new = question_map[old.pk]
            new.condition_question = question_map[old.condition_question_id]
            value = old.condition_value
            if by_id[old.condition_question_id].is_choice and value.isdigit() and int(value) in choice_map:
                value = str(choice_map[int(value)].pk)
            new.condition_value = value
            new.save(update_fields=["condition_question", "condition_value"])


@transaction.atomic
def survey_copy(*, survey: Survey, user, title: str | None = None) -> Survey:
    """A new draft with the same questionnaire (sections, questions, choices, conditions); no
    sessions, invitations or answers."""
    copy = survey_create(
        title=title or _("Copie de %(title)s") % {"title": survey.title},
        author=user,
        intro=survey.intro,
        anonymous=survey.anonymous,
        template=survey.template,
    )
    _copy_questionnaire(source=survey, target=copy)
    audit_log_record(actor=user, action="survey.copy", target=copy, details={"from": survey.pk})
    return copy


@transaction.atomic
def survey_create_from_template(
    *,
    template: str,
    title: str,
    author,
    anonymous: bool | None = None,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> Survey:
    """A survey with the questions of one of TEMPLATES ("meeting", "shadowing_visitor",
    "shadowing_host", "onboarding_3_months", "managers_year_end"). It is a draft until published
    or until its first invitation (survey_invite publishes it)."""
    try:
        spec = TEMPLATES[template]
    except KeyError:
        raise ValidationError(_("Modèle d'enquête inconnu : %(template)s.") % {"template": template}) from None
    survey = survey_create(
        title=title,
        author=author,
        intro=spec["intro"],
        anonymous=spec["anonymous"] if anonymous is None else anonymous,
        opens_on=opens_on,
        closes_on=closes_on,
        template=template,
    )
    created: list[Question] = []
    for section_order, (section_title, questions) in enumerate(spec["sections"]):
        section = Section.objects.create(survey=survey, title=section_title, order=section_order)
        for order, item in enumerate(questions):
            condition = item.get("condition")
            parent, value = (created[condition[0]], condition[1]) if condition else (None, "")
            if parent is not None and parent.is_choice:
                value = str(parent.choices.get(label=value).pk)
            question = Question.objects.create(
                survey=survey,
                section=section,
                kind=item["kind"],
                label=item["label"],
                required=item.get("required", False),
                help_text=item.get("help_text", ""),
                order=order,
                scale_labels=list(DEFAULT_SCALE_LABELS) if item["kind"] == Question.Kind.SCALE else [],
                condition_question=parent,
                condition_value=value,
            )
            for choice_order, label in enumerate(item.get("choices", ())):
                Choice.objects.create(question=question, label=label, order=choice_order)
            created.append(question)
    return survey


@transaction.atomic(durable=True)
def survey_draft_create(
    *,
    author,
    title: str,
    template: str = "",
    intro: str = "",
    anonymous: bool = True,
    opens_on: date | None = None,
    closes_on: date | None = None,
    auto_remind_days: int | None = None,
) -> Survey:
    """The « Nouvelle enquête » action, in one transaction: a draft from one of TEMPLATES (`intro`,
    when given, replaces the template's), or an empty one with a first section to fill."""
    if template:
        survey = survey_create_from_template(
            template=template, title=title, author=author, anonymous=anonymous, opens_on=opens_on, closes_on=closes_on
        )
        if intro:
            survey.intro = intro
    else:
        survey = survey_create(
            title=title, intro=intro, author=author, anonymous=anonymous, opens_on=opens_on, closes_on=closes_on
        )
        section_create(survey=survey, title=_("Questions"))
    survey.auto_remind_days = auto_remind_days
    survey.save(update_fields=["intro", "auto_remind_days"])
    return survey


@transaction.atomic(durable=True)
def survey_settings_save(*, survey: Survey, user, authors: Iterable, **settings) -> Survey:
    """The survey's settings page, in one transaction: its fields (survey_update) and its authors."""
    survey = survey_update(survey=survey, user=user, **settings)
    survey_authors_set(survey=survey, authors=authors, user=user)
    return survey


# --- Status ----------------------------------------------------------------------------------


@transaction.atomic
def survey_publish(*, survey: Survey, user=None, today: date | None = None) -> Survey:
    """Draft → open (or scheduled until its opening date)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.questions.exists():
        raise ValidationError(_("Ajoutez au moins une question avant de publier l'enquête."))
    if survey.status == Survey.Status.DRAFT:
        survey.status = _status_for_dates(survey, today=today or timezone.localdate())
        survey.save(update_fields=["status", "updated_at"])
        if user is not None:
            audit_log_record(actor=user, action="survey.publish", target=survey)
    return survey


def _drafts_delete(survey: Survey) -> None:
    Invitation.objects.filter(survey=survey, draft__isnull=False).update(draft=None)


@transaction.atomic
def survey_close(*, survey: Survey, user=None) -> Survey:
    """Close now: no more answers; the partial answers left are deleted."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    survey.status = Survey.Status.CLOSED
    if survey.closes_on is None or survey.closes_on >= timezone.localdate():
        survey.closes_on = timezone.localdate() - timedelta(days=1)
        if survey.opens_on and survey.opens_on > survey.closes_on:
            survey.opens_on = survey.closes_on
    survey.save(update_fields=["status", "closes_on", "opens_on", "updated_at"])
    _drafts_delete(survey)
    if user is not None:
        audit_log_record(actor=user, action="survey.close", target=survey)
    return survey


@transaction.atomic
def survey_status_sync(*, today: date | None = None) -> int:
    """Beat: published surveys follow their dates (scheduled → open → closed). Returns how many changed."""
    today = today or timezone.localdate()
    changed = 0
    published = (
        Survey.objects.exclude(status=Survey.Status.DRAFT)
        .filter(~Q(status=Survey.Status.CLOSED) | Q(closes_on__gte=today))
        .select_for_update(skip_locked=True)
    )
    for survey in published:
        status = _status_for_dates(survey, today=today)
        if status != survey.status:
            survey.status = status
            survey.save(update_fields=["status", "updated_at"])
            if status == Survey.Status.CLOSED:
                _drafts_delete(survey)
            changed += 1
    return changed


# --- Reaching people -------------------------------------------------------------------------

# Invitations (and reminders) are put in the outbox this many per transaction: a worker killed
# mid-way loses at most one step, picked up again by beat's recovery within seconds.
MAIL_BATCH = 50
INVITATIONS, REMINDERS = "surveys.invitations", "surveys.reminders"  # slots per survey (intranet.workqueue)
_NAME, _URL = "\x00name\x00", "\x00url\x00"


class _MailMaker:
    """Renders a survey's invitation (or reminder) once, then fills each agent's name and link in:
    rendering two templates per agent took ~15 ms, 2.5 minutes for 10,000 agents."""

    def __init__(self, survey: Survey, *, reminder: bool):
        context = {
            "survey": survey,
            "reminder": reminder,
            "agent": {"first_name": _NAME},
            "url": _URL,
            "site_name": getattr(settings, "SITE_NAME", ""),
        }
        self.text = render_to_string("surveys/email/invitation.txt", context)
        self.html = render_to_string("surveys/email/invitation.html", context)
        self.subject = (_("Rappel : %(title)s") if reminder else _("Enquête : %(title)s")) % {"title": survey.title}
        self.kind = "surveys.reminder" if reminder else "surveys.invitation"

    def queue(self, invitation: Invitation) -> None:
        name, url = invitation.agent.first_name, absolute_url(invitation.get_link_path())
        email_queue(
            to=invitation.agent.email,
            subject=self.subject,
            kind=self.kind,
            text=self.text.replace(_NAME, name).replace(_URL, url),
            html=self.html.replace(_NAME, escape(name)).replace(_URL, escape(url)),
            publish=False,  # one sender for the whole step (_mail_in_steps)
        )


def _mailable(queryset):
    return queryset.filter(agent__has_mailbox=True, agent__is_active=True).exclude(agent__email="")


@transaction.atomic
def survey_invite(*, survey: Survey, agents: Iterable, session: SurveySession | None = None) -> int:
    """Invite `agents` (idempotent per survey and agent); a worker then e-mails each new invitee
    their personal link through the outbox, in batches (agents without a mailbox are invited but
    not e-mailed: they answer from the intranet). A draft survey is published. Returns how many new
    invitations."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError(_("L'enquête est clôturée : on ne peut plus y inviter."))
    if session is not None and session.survey_id != survey.pk:
        raise ValidationError(_("Cette session n'appartient pas à l'enquête."))
    if survey.status == Survey.Status.DRAFT:
        survey_publish(survey=survey)
    agent_ids = list(dict.fromkeys(getattr(agent, "pk", agent) for agent in agents))
    already = set(Invitation.objects.filter(survey=survey, agent_id__in=agent_ids).values_list("agent_id", flat=True))
    new = []
    for pk in agent_ids:
        if pk in already:
            continue
        invitation = Invitation(survey=survey, agent_id=pk, session=session, token_salt=Invitation.new_salt())
        invitation.set_token_hash()
        new.append(invitation)
    Invitation.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    count = Invitation.objects.filter(token_salt__in=[invitation.token_salt for invitation in new]).count()
    if count:
        from surveys import tasks

        workqueue.publish_on_commit(tasks.survey_invitations_mail_task, survey.pk)
    return count


@transaction.atomic
def survey_invite_audience(*, survey: Survey, spec, user, session: SurveySession | None = None) -> int:
    """Invite an intranet.audiences audience, resolved now; the spec is kept on the survey."""
    from intranet.audiences import audience_agents

    count = survey_invite(
        survey=survey, agents=audience_agents(spec=spec).values_list("pk", flat=True), session=session
    )
    Survey.objects.filter(pk=survey.pk).update(audience=spec.to_json())
    audit_log_record(actor=user, action="survey.invite", target=survey, details={"new": count})
    return count


def _mail_in_steps(*, slot_name: str, survey: Survey, claimable, mark: dict, maker, batch: int, deadline: float):
    """Put the mails of `claimable` (invitations) in the outbox, `batch` per transaction, each
    claimed under SKIP LOCKED and marked (`mark`) in the same transaction, so two workers never
    mail one twice and a killed worker loses one step at most. Holds the survey's slot, so beat's
    recovery knows a live worker is on it. Returns (how many, whether some are left)."""
    total = 0
    with workqueue.slot(slot_name, survey.pk) as taken:
        if taken is None:
            return 0, False  # another worker is on this survey
        while True:
            with transaction.atomic():
                claimed = list(
                    claimable.select_related("agent")
                    .select_for_update(skip_locked=True, of=("self",))
                    .order_by("pk")[:batch]
                )
                for invitation in claimed:
                    maker.queue(invitation)
                Invitation.objects.filter(pk__in=[i.pk for i in claimed]).update(**mark)
                if claimed:
                    email_publish_on_commit()
            total += len(claimed)
            if len(claimed) < batch:
                return total, False
            if time.monotonic() > deadline or workqueue.stopping():
                return total, True


def invitations_mail_pending(*, survey_id: int | None = None, batch: int = MAIL_BATCH) -> int:
    """Queue the invitation e-mail of every invitee not yet mailed (of one survey, or of all those
    accepting answers or scheduled), in small steps (`_mail_in_steps`); after
    settings.WORK_BATCH_SECONDS, or in a worker asked to stop, the rest is handed to a new task.
    Returns how many were queued."""
    from surveys import tasks

    surveys = Survey.objects.filter(status__in=[Survey.Status.OPEN, Survey.Status.SCHEDULED])
    if survey_id is not None:
        surveys = surveys.filter(pk=survey_id)
    total, deadline = 0, time.monotonic() + workqueue.batch_seconds()
    for survey in surveys:
        count, more = _mail_in_steps(
            slot_name=INVITATIONS,
            survey=survey,
            claimable=_unmailed(survey),
            mark={"mailed_at": timezone.now()},
            maker=_MailMaker(survey, reminder=False),
            batch=batch,
            deadline=deadline,
        )
        total += count
        if more:
            workqueue.publish(tasks.survey_invitations_mail_task, survey.pk)
    return total


def _unmailed(survey: Survey):
    return _mailable(Invitation.objects.filter(survey=survey, mailed_at__isnull=True, answered=False))


def _pending_for_reminder(survey: Survey, *, before):
    return _mailable(Invitation.objects.pending().filter(survey=survey)).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=before)
    )


@transaction.atomic
def survey_remind(*, survey: Survey, user=None, now=None) -> int:
    """Ask for a reminder to the invitees who have not answered (only them): recorded on the survey,
    then e-mailed by a worker (reminders_send). Returns how many people it will reach."""
    if not Survey.objects.filter(pk=survey.pk).accepting_answers().exists():
        raise SurveyClosedError(_("L'enquête n'est pas ouverte : pas de relance possible."))
    now = now or timezone.now()
    Survey.objects.filter(pk=survey.pk).update(remind_requested_at=now)
    count = _mailable(Invitation.objects.pending().filter(survey=survey)).count()
    if user is not None:
        audit_log_record(actor=user, action="survey.remind", target=survey, details={"count": count})
    from surveys import tasks

    workqueue.publish_on_commit(tasks.survey_reminders_task, survey.pk)
    return count


def reminders_send(*, survey_id: int | None = None, batch: int = MAIL_BATCH) -> int:
    """E-mail the reminder asked for to every invitee without an answer not reminded since the
    request, in small steps as the invitations (`_mail_in_steps`: a task run twice sends nothing
    twice). Returns how many reminders were queued."""
    from surveys import tasks

    surveys = Survey.objects.accepting_answers().filter(remind_requested_at__isnull=False)
    if survey_id is not None:
        surveys = surveys.filter(pk=survey_id)
    total, deadline = 0, time.monotonic() + workqueue.batch_seconds()
    for survey in surveys:
        now = timezone.now()
        count, more = _mail_in_steps(
            slot_name=REMINDERS,
            survey=survey,
            claimable=_pending_for_reminder(survey, before=survey.remind_requested_at),
            mark={
                "reminded_at": now,
                "reminder_count": F("reminder_count") + 1,
                "mailed_at": Coalesce("mailed_at", now),
            },
            maker=_MailMaker(survey, reminder=True),
            batch=batch,
            deadline=deadline,
        )
        total += count
        if more:
            workqueue.publish(tasks.survey_reminders_task, survey.pk)
    return total


def surveys_dispatch_pending() -> int:
    """Recovery (beat, every tick): publish the invitation (or reminder) task of every survey with
    mails left to queue that no live worker holds — lost with a killed worker, asked for while
    the broker was down. Returns how many tasks were published."""
    from surveys import tasks

    published = 0
    waiting = Survey.objects.filter(
        status__in=[Survey.Status.OPEN, Survey.Status.SCHEDULED],
        pk__in=_mailable(Invitation.objects.filter(mailed_at__isnull=True, answered=False)).values("survey_id"),
    )
    for survey in waiting.only("pk"):
        if not workqueue.held(INVITATIONS, survey.pk):
            published += workqueue.publish(tasks.survey_invitations_mail_task, survey.pk)
    for survey in Survey.objects.accepting_answers().filter(remind_requested_at__isnull=False):
        if workqueue.held(REMINDERS, survey.pk):
            continue
        if _pending_for_reminder(survey, before=survey.remind_requested_at).exists():
            published += workqueue.publish(tasks.survey_reminders_task, survey.pk)
    return published


def survey_auto_remind(*, today: date | None = None) -> int:
    """Beat: the automatic reminder of the surveys that asked for one, `auto_remind_days` before
    their close date, once. Returns how many surveys it asked a reminder for."""
    today = today or timezone.localdate()
    total = 0
    due = Survey.objects.accepting_answers(today=today).filter(
        auto_remind_days__isnull=False, closes_on__isnull=False, auto_reminded_on__isnull=True
    )
    for survey in due:
        if survey.closes_on - timedelta(days=survey.auto_remind_days) > today:
            continue
        with transaction.atomic():
            claimed = Survey.objects.filter(pk=survey.pk, auto_reminded_on__isnull=True).update(
                auto_reminded_on=today, remind_requested_at=timezone.now()
            )
            total += claimed
    return total


# --- Answering -------------------------------------------------------------------------------


def survey_questions(survey: Survey):
    return (
        survey.questions.select_related("section")
        .prefetch_related("choices")
        .order_by("section__order", "section_id", "order", "pk")
    )


def _check_answerable(invitation: Invitation, *, today: date | None = None) -> None:
    if invitation.answered:
        raise AlreadyAnsweredError(_("Vous avez déjà répondu à cette enquête. Merci !"))
    if not invitation.survey.is_accepting_answers(today=today):
        raise SurveyClosedError(_("Cette enquête n'accepte pas de réponses en ce moment."))


@transaction.atomic
def invitation_draft_save(*, invitation: Invitation, raw: dict[str, list[str]]) -> Invitation:
    """Keep partial answers to resume later. They are checked like a submit except for required
    questions (an unknown choice or a too long text is refused, not cut), and stored raw."""
    invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
    _check_answerable(invitation)
    cleaned = answers_clean(questions=survey_questions(invitation.survey), raw=raw, for_submit=False)
    if not cleaned.is_valid:
        raise AnswersInvalidError(cleaned)
    invitation.draft = raw_bounded(raw)
    invitation.save(update_fields=["draft"])
    return invitation


class AnswersInvalidError(ValidationError):
    def __init__(self, cleaned: CleanedAnswers):
        super().__init__(_("Certaines réponses sont à corriger."))
        self.cleaned = cleaned


def answer_rows(response: Response, questions, cleaned: CleanedAnswers) -> list[Answer]:
    rows = []
    for question in questions:
        if question.pk not in cleaned.values:
            continue
        value = cleaned.values[question.pk]
        kind = question.kind
        if kind == Question.Kind.MULTIPLE:
            rows.extend(Answer(response=response, question=question, choice_id=pk) for pk in value)
        elif kind == Question.Kind.SINGLE:
            rows.append(Answer(response=response, question=question, choice_id=value))
        elif kind == Question.Kind.YES_NO:
            rows.append(Answer(response=response, question=question, number=1 if value else 0))
        elif kind in (Question.Kind.SCALE, Question.Kind.NPS, Question.Kind.NUMBER):
            rows.append(Answer(response=response, question=question, number=value))
        elif kind == Question.Kind.DATE:
            rows.append(Answer(response=response, question=question, date_value=value))
        else:
            rows.append(Answer(response=response, question=question, text=value))
    return rows


@transaction.atomic
def survey_answer_submit(*, invitation: Invitation, raw: dict[str, list[str]], today: date | None = None) -> Response:
    """Store the final answers of one invitee, once.

    The invitation row is locked, then flipped answered with a conditional UPDATE (a second
    simultaneous submit waits for the first and finds it answered). The Response carries nothing
    of the invitation for an anonymous survey (see README); the draft is deleted in this same
    transaction. Invalid answers raise AnswersInvalidError (its `.cleaned.errors` per question) and
    store nothing."""
    # The survey row first (the order survey_close and survey_invite lock in): concurrent submits of
    # one survey queue here, so two of them never both count the same waiting responses.
    survey = Survey.objects.select_for_update().get(pk=invitation.survey_id)
    invitation = Invitation.objects.select_for_update().select_related("agent").get(pk=invitation.pk)
    invitation.survey = survey
    _check_answerable(invitation, today=today)
    questions = list(survey_questions(survey))
    cleaned = answers_clean(questions=questions, raw=raw, for_submit=True)
    if not cleaned.is_valid:
        raise AnswersInvalidError(cleaned)
    flipped = Invitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True, draft=None)
    if flipped != 1:
        raise AlreadyAnsweredError(_("Vous avez déjà répondu à cette enquête. Merci !"))
    # An anonymous response keeps no date at all: even a day is a join key when an organiser watches
    # the "who has answered" list day by day.
    response = Response.objects.create(
        survey=survey,
        session_id=invitation.session_id,
        submitted_on=None if survey.anonymous else (today or timezone.localdate()),
        published=not survey.anonymous,
    )
    Answer.objects.bulk_create(answer_rows(response, questions, cleaned))
    if survey.anonymous:
        _responses_publish(survey=survey, session_id=invitation.session_id)
    else:
        ResponseIdentity.objects.create(response=response, survey=survey, agent=invitation.agent)
    return response


def _responses_publish(*, survey: Survey, session_id: int | None) -> int:
    """Publish the waiting responses of one session (or of a survey without sessions) once at least
    PUBLISH_BATCH of them wait: they enter the results together, so the results of any group grow by
    0 or by PUBLISH_BATCH and more, never by one answer. The caller holds the survey row's lock.
    Fewer than PUBLISH_BATCH left when the survey closes stay unpublished (see surveys/README.md)."""
    waiting = Response.objects.filter(survey=survey, session_id=session_id, published=False)
    if waiting.count() < PUBLISH_BATCH:
        return 0
    return waiting.update(published=True)


@transaction.atomic
def responses_publish(*, survey: Survey) -> int:
    """Publish, session by session, every group of at least PUBLISH_BATCH waiting responses (for
    answers stored in bulk, as the demo does)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    sessions = set(
        Response.objects.filter(survey=survey, published=False).values_list("session_id", flat=True).distinct()
    )
    return sum(_responses_publish(survey=survey, session_id=session_id) for session_id in sessions)
