"""The GET forms of the trombinoscope (filter by service or site) and of the arrivals (month)."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from intranet.forms import InlineFormMixin
from intranet.models import OrgUnit, Site
from intranet.pickers import PickerChoiceField
from intranet.text_policy import TextPolicyMixin

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 1950, 2100

ERROR_BAD_MONTH = _("Le mois « %(value)s » n'est pas valide : indiquez-le sous la forme AAAA-MM, par exemple 2026-09.")


def month_parse(value: str) -> date:
    """`"2026-09"` → `date(2026, 9, 1)`; a ValidationError in French for anything else."""
    match = MONTH_RE.match(value.strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return date(year, month, 1)
    raise forms.ValidationError(ERROR_BAD_MONTH, code="bad_month", params={"value": value[:20]})


class MonthForm(TextPolicyMixin, InlineFormMixin, forms.Form):
    """The month of the arrivals and departures page (`?mois=2026-09`)."""

    mois = forms.CharField(label=_("Mois (AAAA-MM)"), widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def clean_mois(self) -> date:
        return month_parse(self.cleaned_data["mois"])


class TrombinoscopeFilterForm(TextPolicyMixin, forms.Form):
    # Searched as one types (intranet/pickers.py): 500 units at the reference size.
    unite = PickerChoiceField(
        picker="services", kind="unit", label=_("Service"), required=False, queryset=OrgUnit.objects.all()
    )
    site = PickerChoiceField(picker="sites", kind="site", label=_("Site"), required=False, queryset=Site.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unite"].empty_label = _("Tous les services")
        self.fields["site"].empty_label = _("Tous les sites")

    def filters(self) -> tuple[int | None, int | None]:
        """(unit id, site id) of the valid filters."""
        data = self.cleaned_data if self.is_valid() else {}
        unit, site = data.get("unite"), data.get("site")
        return (unit.pk if unit else None, site.pk if site else None)
