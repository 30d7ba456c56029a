"""The day itself: the check-in search, registering someone on their behalf."""

from django import forms
from django.utils.translation import gettext_lazy as _

from intranet.models import Agent
from intranet.pickers import PickerChoiceField
from intranet.text_policy import TextPolicyMixin


class CheckinSearchForm(TextPolicyMixin, forms.Form):
    q = forms.CharField(label=_("Nom de la personne"), max_length=100, required=False)

    def __init__(self, *args, search_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        # Searched as one types (htmx swaps the list); the button sends the same GET without JavaScript.
        self.fields["q"].widget.attrs.update(
            {
                "class": "form-control",
                "autocomplete": "off",
                "hx-get": search_url,
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#resultats",
                "hx-swap": "outerHTML",
            }
        )


class RegisterForm(TextPolicyMixin, forms.Form):
    """An organiser registers someone (a person without a mailbox, a request on paper)."""

    agent = PickerChoiceField(
        picker="agents", kind="agent", label=_("Agent à inscrire"), queryset=Agent.objects.active().internal()
    )
