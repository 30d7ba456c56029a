"""Every question kind's validation, and the conditions, on the server (surveys.answering)."""

from datetime import date
from decimal import Decimal

import pytest

from surveys.answering import answers_clean
from surveys.models import LONG_TEXT_MAX, SHORT_TEXT_MAX, Question
from tests.surveys.factories import ChoiceFactory, QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def _clean(question, *values, for_submit=True):
    questions = [question]
    return answers_clean(questions=questions, raw={question.field_name: list(values)}, for_submit=for_submit)


def _question(kind, **kwargs):
    question = QuestionFactory(kind=kind, **kwargs)
    if question.is_choice:
        for label in ("Rouge", "Vert", "Bleu"):
            ChoiceFactory(question=question, label=label)
    return question


def test_single_choice_accepts_its_own_choice_and_refuses_an_unknown_one():
    question = _question(Question.Kind.SINGLE)
    green = question.choices.get(label="Vert")
    assert _clean(question, str(green.pk)).values == {question.pk: green.pk}
    other = ChoiceFactory()  # a choice of another question
    assert _clean(question, str(other.pk)).errors == {question.pk: "Choix inconnu."}
    assert _clean(question, "abc").errors == {question.pk: "Choix inconnu."}
    assert question.pk in _clean(question, str(green.pk), str(green.pk + 1)).errors  # two values for one choice


def test_multiple_choice_keeps_every_ticked_choice_once():
    question = _question(Question.Kind.MULTIPLE)
    red, blue = question.choices.get(label="Rouge"), question.choices.get(label="Bleu")
    assert _clean(question, str(red.pk), str(blue.pk), str(red.pk)).values == {question.pk: [red.pk, blue.pk]}
    assert _clean(question, str(red.pk), "999999").errors == {question.pk: "Choix inconnu."}


@pytest.mark.parametrize(("value", "ok"), [("1", True), ("5", True), ("0", False), ("6", False), ("4.5", False)])
def test_scale_accepts_levels_1_to_5(value, ok):
    question = _question(Question.Kind.SCALE)
    cleaned = _clean(question, value)
    assert (question.pk in cleaned.values) is ok
    if ok:
        assert cleaned.values[question.pk] == Decimal(value)
    else:
        assert cleaned.errors[question.pk] == "Choisissez une valeur de 1 à 5."


@pytest.mark.parametrize(("value", "ok"), [("0", True), ("10", True), ("11", False), ("-1", False), ("dix", False)])
def test_nps_accepts_0_to_10(value, ok):
    question = _question(Question.Kind.NPS)
    assert (question.pk in _clean(question, value).values) is ok


def test_yes_no():
    question = _question(Question.Kind.YES_NO)
    assert _clean(question, "oui").values == {question.pk: True}
    assert _clean(question, "non").values == {question.pk: False}
    assert _clean(question, "peut-être").errors == {question.pk: "Répondez par oui ou par non."}


def test_number_with_a_comma_and_bounds():
    question = _question(Question.Kind.NUMBER, min_value=Decimal(0), max_value=Decimal(100))
    assert _clean(question, "12,5").values == {question.pk: Decimal("12.50")}
    assert "supérieur ou égal" in _clean(question, "-3").errors[question.pk]
    assert "inférieur ou égal" in _clean(question, "101").errors[question.pk]
    assert _clean(question, "douze").errors == {question.pk: "Saisissez un nombre."}
    assert _clean(question, "NaN").errors == {question.pk: "Saisissez un nombre."}
    assert _clean(question, "1e400").errors == {question.pk: "Saisissez un nombre."}


def test_date():
    question = _question(Question.Kind.DATE)
    assert _clean(question, "2026-03-01").values == {question.pk: date(2026, 3, 1)}
    assert question.pk in _clean(question, "31/02/2026").errors


def test_short_and_long_text_limits():
    short, long = _question(Question.Kind.SHORT_TEXT), _question(Question.Kind.LONG_TEXT)
    assert _clean(short, "  Bien  ").values == {short.pk: "Bien"}
    assert "trop long" in _clean(short, "x" * (SHORT_TEXT_MAX + 1)).errors[short.pk]
    assert _clean(long, "y" * LONG_TEXT_MAX).values == {long.pk: "y" * LONG_TEXT_MAX}
    assert "trop long" in _clean(long, "y" * 1_000_000).errors[long.pk]


def test_required_only_on_submit():
    question = _question(Question.Kind.SCALE, required=True)
    assert _clean(question).errors == {question.pk: "Cette question demande une réponse."}
    assert _clean(question, for_submit=False).is_valid
    optional = _question(Question.Kind.SCALE)
    assert _clean(optional).is_valid


def test_a_question_hidden_by_its_condition_is_neither_required_nor_stored():
    section = SectionFactory(survey=SurveyFactory())
    asked = QuestionFactory(section=section, kind=Question.Kind.YES_NO)
    why = QuestionFactory(
        section=section, kind=Question.Kind.LONG_TEXT, required=True, condition_question=asked, condition_value="non"
    )
    then = QuestionFactory(
        section=section, kind=Question.Kind.SCALE, condition_question=why, condition_value="x"
    )  # depends on a hidden question: hidden too
    questions = [asked, why, then]

    def clean(raw):
        return answers_clean(questions=questions, raw=raw)

    shown = clean({asked.field_name: ["non"], why.field_name: ["Trop long"]})
    assert shown.values == {asked.pk: False, why.pk: "Trop long"}
    assert clean({asked.field_name: ["non"]}).errors == {why.pk: "Cette question demande une réponse."}
    hidden = clean({asked.field_name: ["oui"], why.field_name: ["ignoré"], then.field_name: ["5"]})
    assert hidden.is_valid
    assert hidden.values == {asked.pk: True}
    assert hidden.visible == {asked.pk}


def test_condition_on_a_choice_and_on_a_level():
    section = SectionFactory(survey=SurveyFactory())
    colour = _question(Question.Kind.MULTIPLE, section=section)
    blue = colour.choices.get(label="Bleu")
    level = QuestionFactory(section=section, kind=Question.Kind.SCALE)
    if_blue = QuestionFactory(
        section=section, kind=Question.Kind.SHORT_TEXT, condition_question=colour, condition_value=str(blue.pk)
    )
    if_low = QuestionFactory(
        section=section, kind=Question.Kind.SHORT_TEXT, condition_question=level, condition_value="1"
    )
    cleaned = answers_clean(
        questions=[colour, level, if_blue, if_low], raw={colour.field_name: [str(blue.pk)], level.field_name: ["1"]}
    )
    assert {if_blue.pk, if_low.pk} <= cleaned.visible
    cleaned = answers_clean(questions=[colour, level, if_blue, if_low], raw={level.field_name: ["2"]})
    assert not {if_blue.pk, if_low.pk} & cleaned.visible
