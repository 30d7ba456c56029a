"""The form that chooses an audience, shared by every app that addresses one."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intranet.audiences.spec import AUDIENCE_ROLES, ROLE_LABELS, AudienceSpec
from intranet.models import Agent, OrgUnit, SavedAudience, Site
from intranet.pickers import PickerMultipleChoiceField
from intranet.text_policy import TextPolicyMixin


class AudienceForm(TextPolicyMixin, forms.Form):
    """Chooses an audience; `spec` holds the result once the form is valid.

    Agents named by hand are typed as e-mail addresses, one per line (a select of 10,000 agents is
    not usable); an unknown address is a form error naming it, so nothing is lost silently.
    """

    saved = forms.ModelChoiceField(
        label=gettext_lazy("Liste enregistrée"),
        queryset=SavedAudience.objects.all(),
        required=False,
        help_text=gettext_lazy("Reprend une liste enregistrée ; les autres champs s'ajoutent à elle."),
    )
    everyone = forms.BooleanField(label=gettext_lazy("Tous les agents"), required=False)
    units = PickerMultipleChoiceField(
        picker="services",
        kind="unit",
        label=gettext_lazy("Unités (avec leurs sous-unités)"),
        queryset=OrgUnit.objects.all(),
        required=False,
    )
    sites = PickerMultipleChoiceField(
        picker="sites", kind="site", label=gettext_lazy("Sites"), queryset=Site.objects.all(), required=False
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Catégories"),
        choices=Agent.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Rôles"),
        choices=[(role.value, ROLE_LABELS[role]) for role in AUDIENCE_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    emails = forms.CharField(
        label=gettext_lazy("Agents choisis nommément"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Une adresse e-mail par ligne."),
    )
    partners = forms.BooleanField(label=gettext_lazy("Les partenaires extérieurs"), required=False)

    def clean_emails(self) -> tuple[int, ...]:
        addresses = []
        for line_number, line in enumerate(self.cleaned_data["emails"].splitlines(), start=1):
            address = line.strip().lower()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    _("Ligne %(line)d : « %(value)s » n'est pas une adresse e-mail.")
                    % {"line": line_number, "value": address}
                ) from None
            addresses.append(address)
        found = dict(Agent.objects.active().filter(email__in=addresses).values_list("email", "pk"))
        unknown = [address for address in addresses if address not in found]
        if unknown:
            raise ValidationError(
                _("Aucun agent actif avec l'adresse : %(addresses)s.") % {"addresses": ", ".join(unknown)}
            )
        return tuple(dict.fromkeys(found[address] for address in addresses))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        base = AudienceSpec.from_json(cleaned["saved"].spec) if cleaned.get("saved") else AudienceSpec()
        spec = AudienceSpec(
            everyone=base.everyone or cleaned["everyone"],
            units=tuple(dict.fromkeys([*base.units, *(unit.pk for unit in cleaned["units"])])),
            sites=tuple(dict.fromkeys([*base.sites, *(site.pk for site in cleaned["sites"])])),
            categories=tuple(dict.fromkeys([*base.categories, *cleaned["categories"]])),
            roles=tuple(dict.fromkeys([*base.roles, *cleaned["roles"]])),
            agents=tuple(dict.fromkeys([*base.agents, *cleaned["emails"]])),
            partners=base.partners or cleaned["partners"],
        )
        if spec.is_empty:
            raise ValidationError(_("Choisissez au moins un destinataire : tous les agents, un filtre ou une liste."))
        self.spec = spec
        return cleaned

    @classmethod
    def initial_from(cls, spec: AudienceSpec) -> dict:
        """The form's initial values for an existing spec (to edit it)."""
        emails = Agent.objects.filter(pk__in=spec.agents).order_by("email").values_list("email", flat=True)
        return {
            "everyone": spec.everyone,
            "units": list(spec.units),
            "sites": list(spec.sites),
            "categories": list(spec.categories),
            "roles": list(spec.roles),
            "emails": "\n".join(emails),
            "partners": spec.partners,
        }
