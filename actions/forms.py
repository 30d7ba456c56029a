"""The pilots' small forms of the "Mes actions" page (one per in-place update)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import ActionCard, Measurement, Step


class StepStateForm(forms.Form):
    state = forms.ChoiceField(label=_("État"), choices=Step.State.choices)


class CardStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=ActionCard.Status.choices)


class MeasurementForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Valeur"), max_digits=12, decimal_places=2, localize=True)
    comment = forms.CharField(label=_("Commentaire"), required=False, max_length=1000)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_date(self):
        date = self.cleaned_data["date"]
        if Measurement.objects.filter(indicator=self.indicator, date=date).exists():
            raise forms.ValidationError(_("Une mesure existe déjà à cette date pour cet indicateur."))
        return date
