"""The directory page's GET form: the query and the service, site and category filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from intranet.models import Agent, OrgUnit, Site
from intranet.pickers import PickerChoiceField
from intranet.text_policy import TextPolicyMixin


class AgentSearchForm(TextPolicyMixin, forms.Form):
    q = forms.CharField(
        label=_("Nom, fonction, service, site, compétence ou téléphone"), required=False, max_length=100
    )
    # Searched as one types (500 units, hundreds of sites at the reference size): intranet/pickers.py.
    service = PickerChoiceField(
        picker="services", kind="unit", label=_("Service"), required=False, queryset=OrgUnit.objects.all()
    )
    site = PickerChoiceField(picker="sites", kind="site", label=_("Site"), required=False, queryset=Site.objects.all())
    categorie = forms.ChoiceField(label=_("Catégorie"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].empty_label = _("Tous les services")
        self.fields["site"].empty_label = _("Tous les sites")
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
            "unit_id": data["service"].pk if data.get("service") else None,
            "site_id": data["site"].pk if data.get("site") else None,
            "category": data.get("categorie") or "",
        }
