"""An event's form and its satisfaction questionnaire's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.forms.fields import organisers_field
from events.models import Event
from intranet.text_policy import TextPolicyMixin


class EventForm(TextPolicyMixin, forms.ModelForm):
    organisers = organisers_field(
        _("Organisateurs"), _("Ils modifient l'événement et suivent ses inscriptions. Vous, par défaut.")
    )

    class Meta:
        model = Event
        fields = ["title", "kind", "summary", "description", "single_session"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class EventSurveyForm(TextPolicyMixin, forms.Form):
    """The event's satisfaction questionnaire: one of the surveys the person manages."""

    survey = forms.ModelChoiceField(label=_("Questionnaire de satisfaction"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        from surveys.models import Survey

        super().__init__(*args, **kwargs)
        surveys = Survey.objects.exclude(status=Survey.Status.CLOSED)
        if not user.is_superuser:
            surveys = surveys.filter(authors=user)
        self.fields["survey"].queryset = surveys.order_by("-created_at", "-pk")
        self.fields["survey"].help_text = _(
            "Envoyé après chaque séance à ceux qui sont venus ; ses résultats se lisent par séance."
        )
