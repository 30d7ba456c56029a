"""The questionnaire of a survey: its sections, questions, choices, display conditions, order, and sessions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from surveys.models import DEFAULT_SCALE_LABELS, Choice, Question, Section, Survey, SurveySession


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


def survey_questions(survey: Survey):
    return (
        survey.questions.select_related("section")
        .prefetch_related("choices")
        .order_by("section__order", "section_id", "order", "pk")
    )
