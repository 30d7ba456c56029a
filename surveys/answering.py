"""Reading a respondent's answers: parse, apply the conditions, validate — on the server.

Raw answers are `{field_name: [strings]}` (field name "q<question id>", a list because multiple
choice sends several values): that is what a POST gives (`QueryDict.lists()`) and what a draft
stores. `answers_clean` returns the typed values of the visible questions and the errors, in French.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from intranet.text_policy import text_problem
from surveys.models import LONG_TEXT_MAX, SCALE_SIZE, SHORT_TEXT_MAX, Question

YES, NO = "oui", "non"
# A draft keeps at most this much of each value (a draft is not validated, only bounded).
DRAFT_VALUE_MAX = LONG_TEXT_MAX


@dataclass
class CleanedAnswers:
    values: dict[int, object] = field(default_factory=dict)  # question id → typed value (visible, answered)
    errors: dict[int, str] = field(default_factory=dict)  # question id → message
    visible: set[int] = field(default_factory=set)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def raw_from_post(post, questions) -> dict[str, list[str]]:
    """The raw answers of a POST, restricted to the survey's questions (anything else is ignored)."""
    names = {question.field_name for question in questions}
    return {name: [value for value in post.getlist(name)] for name in names if name in post}


def raw_bounded(raw: dict[str, list[str]]) -> dict[str, list[str]]:
    """A draft's copy of raw answers: strings, each cut to DRAFT_VALUE_MAX, at most 50 values a field."""
    return {name: [str(value)[:DRAFT_VALUE_MAX] for value in values[:50]] for name, values in raw.items()}


def condition_tokens(question: Question, value) -> set[str]:
    """What a typed answer "is", for the conditions that depend on it."""
    if value is None:
        return set()
    if question.kind == Question.Kind.MULTIPLE:
        return {str(choice_id) for choice_id in value}
    if question.kind == Question.Kind.SINGLE:
        return {str(value)}
    if question.kind == Question.Kind.YES_NO:
        return {YES if value else NO}
    if isinstance(value, Decimal):
        return {str(value.normalize()) if value != value.to_integral() else str(int(value))}
    return {str(value)}


def is_visible(question: Question, values: dict[int, object], visible: set[int], by_id: dict[int, Question]) -> bool:
    if question.condition_question_id is None:
        return True
    parent = by_id.get(question.condition_question_id)
    if parent is None or parent.pk not in visible:
        return False
    return question.condition_value in condition_tokens(parent, values.get(parent.pk))


def _one(values: list[str]) -> str:
    non_empty = [value.strip() for value in values if value.strip()]
    return non_empty[0] if len(non_empty) == 1 else ("" if not non_empty else "\x00many")


def _clean_one(question: Question, values: list[str], choice_ids: set[int]):
    """(typed value or None when unanswered, error message or None)."""
    kind = question.kind
    if kind == Question.Kind.MULTIPLE:
        picked = [value.strip() for value in values if value.strip()]
        if not picked:
            return None, None
        try:
            ids = list(dict.fromkeys(int(value) for value in picked))
        except ValueError:
            return None, _("Choix inconnu.")
        if any(pk not in choice_ids for pk in ids):
            return None, _("Choix inconnu.")
        return ids, None
    text = _one(values) if kind not in Question.TEXT_KINDS else "\n".join(values).strip()
    if text == "\x00many":
        return None, _("Une seule réponse est attendue.")
    if not text:
        return None, None
    if kind == Question.Kind.SINGLE:
        try:
            pk = int(text)
        except ValueError:
            return None, _("Choix inconnu.")
        return (pk, None) if pk in choice_ids else (None, _("Choix inconnu."))
    if kind == Question.Kind.YES_NO:
        if text not in (YES, NO):
            return None, _("Répondez par oui ou par non.")
        return text == YES, None
    if kind in (Question.Kind.SCALE, Question.Kind.NPS):
        low, high = (1, SCALE_SIZE) if kind == Question.Kind.SCALE else (0, 10)
        try:
            level = int(text)
        except ValueError:
            level = None
        if level is None or not low <= level <= high:
            return None, _("Choisissez une valeur de %(low)d à %(high)d.") % {"low": low, "high": high}
        return Decimal(level), None
    if kind == Question.Kind.NUMBER:
        try:
            number = Decimal(text.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            return None, _("Saisissez un nombre.")
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            return None, _("Saisissez un nombre.")
        if question.min_value is not None and number < question.min_value:
            return None, _("Le nombre doit être supérieur ou égal à %(min)s.") % {"min": question.min_value}
        if question.max_value is not None and number > question.max_value:
            return None, _("Le nombre doit être inférieur ou égal à %(max)s.") % {"max": question.max_value}
        return number.quantize(Decimal("0.01")), None
    if kind == Question.Kind.DATE:
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, _("Saisissez une date valide (jj/mm/aaaa).")
    limit = SHORT_TEXT_MAX if kind == Question.Kind.SHORT_TEXT else LONG_TEXT_MAX
    if len(text) > limit:
        return None, _("Le texte est trop long : %(length)d caractères pour %(limit)d au plus.") % {
            "length": len(text),
            "limit": limit,
        }
    problem = text_problem(text, multiline=kind == Question.Kind.LONG_TEXT)
    if problem:
        return None, problem
    return text, None


def answers_clean(*, questions, raw: dict[str, list[str]], for_submit: bool = True) -> CleanedAnswers:
    """Validate `raw` against `questions` (ordered, with `choices` prefetched). A question hidden by
    its condition is ignored (its values dropped, never required); a required visible question
    without an answer is an error only when `for_submit`."""
    questions = list(questions)
    by_id = {question.pk: question for question in questions}
    result = CleanedAnswers()
    for question in questions:
        if not is_visible(question, result.values, result.visible, by_id):
            continue
        result.visible.add(question.pk)
        choice_ids = {choice.pk for choice in question.choices.all()} if question.is_choice else set()
        value, error = _clean_one(question, raw.get(question.field_name, []), choice_ids)
        if error:
            result.errors[question.pk] = error
        elif value is None:
            if question.required and for_submit:
                result.errors[question.pk] = _("Cette question demande une réponse.")
        else:
            result.values[question.pk] = value
    return result
