"""Making a survey: creating it (empty, from a template, as a copy), its settings and authors, deleting it."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.services import audit_log_record
from surveys.models import DEFAULT_SCALE_LABELS, Choice, Question, Section, Survey
from surveys.services.questionnaire import section_create, survey_questions
from surveys.services.status import _status_for_dates
from surveys.templates_library import TEMPLATES


def _check_dates(opens_on, closes_on) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError(_("La date de clôture doit suivre la date d'ouverture."))


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
