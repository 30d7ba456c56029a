"""What any text typed into the intranet may contain, said once for every form.

- No control character (escape, bell, NUL…) and no invisible formatting character that can
  disguise a text: the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, the
  marks U+200E, U+200F, U+061C), the zero-width space and joiner-less invisibles (U+200B, U+2060,
  U+FEFF), the line and paragraph separators outside multi-line texts. The zero-width joiners
  U+200C and U+200D stay allowed: emoji sequences and some scripts need them.
- New lines and tabs only where the text has several lines (a textarea, or a widget that says
  `multiline = True`, like a rich-text editor's); never in a one-line field, where a new line
  would end up in an e-mail subject or a CSV cell.
- A length limit on every text: the field's own `max_length`, or SINGLE_LINE_MAX / MULTI_LINE_MAX /
  RICH_TEXT_MAX (the rich-text editor's HTML).
- Phone numbers are validated by `validate_phone` (French and international formats), a model
  field validator that every ModelForm of the project applies, even one that skips the model's
  own validation.

`TextPolicyMixin` applies it to every CharField of a form, including the fields a form adds in its
`__init__`: every form class of the project inherits it (tests/intranet/test_text_policy.py walks
them all). Survey answers, which are not Django forms, call `text_problem` themselves.
"""

from __future__ import annotations

import unicodedata

import phonenumbers
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intranet.widgets import RichTextWidget

SINGLE_LINE_MAX = 1_000
MULTI_LINE_MAX = 20_000
RICH_TEXT_MAX = 100_000  # HTML: the markup of a page of tables and lists weighs more than its words

INVISIBLE = frozenset(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufff9\ufffa\ufffb"
)
LINE_BREAKS = frozenset("\n\r\t")
SEPARATORS = frozenset("\u2028\u2029\x85")


def text_problem(value: str, *, multiline: bool) -> str | None:
    """The French message for the first forbidden character of `value`, or None."""
    for character in value:
        if character in LINE_BREAKS or character in SEPARATORS:
            if multiline:
                continue
            return _(
                "Ce champ tient sur une ligne : retirez le retour à la ligne, la tabulation ou le "
                "caractère invisible ou de contrôle (U+%(code)04X)."
            ) % {"code": ord(character)}
        if character in INVISIBLE or unicodedata.category(character) in ("Cc", "Cs"):
            return _("Ce texte contient un caractère invisible ou de contrôle (U+%(code)04X) : retirez-le.") % {
                "code": ord(character)
            }
    return None


def validate_phone(value: str) -> None:
    """A phone number a person can dial: French (« 01 23 45 67 89 ») or international (« +44 … »)."""
    if not value:
        return
    problem = text_problem(value, multiline=False)
    if problem:
        raise ValidationError(problem, code="control_character")
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number) or any(c.isalpha() for c in value):
        raise ValidationError(
            gettext_lazy(
                "Ce n'est pas un numéro de téléphone valide : écrivez-le comme 01 23 45 67 89, "
                "ou avec l'indicatif du pays, comme +44 20 7946 0958."
            ),
            code="invalid_phone",
        )


def is_multiline(field: forms.Field) -> bool:
    widget = field.widget
    if getattr(widget, "multiline", None) is not None:
        return bool(widget.multiline)
    return isinstance(widget, forms.Textarea | forms.HiddenInput) or not isinstance(widget, forms.widgets.Input)


def _limit(field: forms.CharField) -> int:
    if field.max_length is not None:
        return field.max_length
    if isinstance(field.widget, RichTextWidget):
        return RICH_TEXT_MAX
    return MULTI_LINE_MAX if is_multiline(field) else SINGLE_LINE_MAX


def _policed(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


def text_policy_errors(form: forms.BaseForm) -> dict[str, str]:
    """{field name: French message} for the bound text fields that break the policy."""
    errors = {}
    for name, field in form.fields.items():
        if not _policed(field) or field.disabled:
            continue
        raw = form[name].data
        values = raw if isinstance(raw, list | tuple) else [raw]
        for value in values:
            if not isinstance(value, str):
                continue
            problem = text_problem(value, multiline=is_multiline(field))
            if problem is None and len(value) > _limit(field):
                problem = _("Ce texte est trop long : %(max)s caractères au plus (il en compte %(length)s).") % {
                    "max": _limit(field),
                    "length": len(value),
                }
            if problem:
                errors[name] = problem
                break
    return errors


class TextPolicyMixin:
    """Every text field of the form follows the policy above; a ModelForm also applies its model
    fields' validators (the phone numbers) in the form, so a form that lets a service write the
    model (and skips the model's own validation) checks them too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            if _policed(field) and field.max_length is None:
                field.widget.attrs.setdefault("maxlength", str(_limit(field)))
            if model is None:
                continue
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a form field of its own
                continue
            for validator in getattr(model_field, "validators", ()):
                if validator not in field.validators:
                    field.validators.append(validator)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self._errors is None:
            return
        for name, message in text_policy_errors(self).items():
            if name not in self._errors:
                self.add_error(name, ValidationError(message, code="text_policy"))
