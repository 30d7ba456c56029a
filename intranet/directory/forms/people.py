"""The directory page's GET form: the query and the service, site and category filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from intranet.models import Agent


class AgentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Nom, fonction, service, site, compétence ou téléphone"), required=False, max_length=100
    )
    service = forms.TypedChoiceField(label=_("Service"), required=False, coerce=int, empty_value=None)
    site = forms.TypedChoiceField(label=_("Site"), required=False, coerce=int, empty_value=None)
    categorie = forms.ChoiceField(label=_("Catégorie"), required=False)

    def __init__(self, *args, units, sites, **kwargs):
        """`units` (UnitChoice, already indented) and `sites` ((pk, name)) are loaded by the
        view in one query each."""
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("Tous les services"))] + [(u.pk, u.label) for u in units]
        self.fields["site"].choices = [("", _("Tous les sites"))] + list(sites)
        self.fields["categorie"].choices = [("", _("Toutes les catégories")), *Agent.Category.choices]
        self.fields["q"].widget.attrs.update({"class": "form-control", "type": "search", "autocomplete": "off"})
        self.fields["q"].widget.input_type = "search"
        for name in ("service", "site", "categorie"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        """The valid values only: a wrong filter in the URL is ignored (and reported)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "unit_id": data.get("service"),
            "site_id": data.get("site"),
            "category": data.get("categorie") or "",
        }
