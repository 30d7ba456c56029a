"""The GET forms of the trombinoscope (filter by service or site) and of the arrivals (month)."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from intranet.models import Site

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


class TrombinoscopeFilterForm(forms.Form):
    unite = forms.TypedChoiceField(label=_("Service"), required=False, coerce=int, empty_value=None)
    site = forms.TypedChoiceField(label=_("Site"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, chart, **kwargs):
        """`chart` is the org chart already loaded: the units cost no query of their own."""
        super().__init__(*args, **kwargs)
        self.fields["unite"].choices = [("", _("Tous les services"))] + [
            (node.pk, "\u00a0\u00a0" * node.depth + str(node.unit)) for node in chart.walk()
        ]
        self.fields["site"].choices = [("", _("Tous les sites"))] + list(Site.objects.values_list("pk", "name"))
