"""The errors the surveys services raise, which views turn into a message or a form error."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from surveys.answering import CleanedAnswers


class SurveyClosedError(ValidationError):
    pass


class AlreadyAnsweredError(ValidationError):
    pass


class AnswersInvalidError(ValidationError):
    def __init__(self, cleaned: CleanedAnswers):
        super().__init__(_("Certaines réponses sont à corriger."))
        self.cleaned = cleaned
