"""The agenda's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events import selectors
from events.models import Event
from intranet.models import Site
from intranet.pickers import PickerChoiceField
from intranet.text_policy import TextPolicyMixin


class AgendaFilterForm(TextPolicyMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Tous"))] + list(Event.Kind.choices))
    site = PickerChoiceField(
        picker="sites-agenda", kind="site", label=_("Site"), required=False, queryset=Site.objects.none()
    )
    audience = forms.ChoiceField(
        label=_("Public"),
        required=False,
        choices=[
            ("", _("Tous les publics")),
            ("pour-moi", _("Ouvertes à moi")),
            ("tous", _("Tous les agents")),
            ("encadrants", _("Encadrants")),
            ("partenaires", _("Partenaires")),
        ],
    )
    mine = forms.BooleanField(label=_("Mes inscriptions seulement"), required=False)
    mois = forms.CharField(required=False, max_length=7, widget=forms.HiddenInput)  # the month view's month

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = selectors.site_choices()
        self.fields["site"].empty_label = _("Tous")
        for name in ("kind", "audience"):
            self.fields[name].widget.attrs.update({"class": "form-select"})

    def filters(self) -> selectors.AgendaFilters:
        """The valid filters (a wrong value drops that filter only)."""
        if not self.is_bound:
            return selectors.AgendaFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        site = data.get("site")
        return selectors.AgendaFilters(
            kind=data.get("kind", ""),
            site=site.pk if site else None,
            audience=data.get("audience", ""),
            mine=bool(data.get("mine")),
        )
