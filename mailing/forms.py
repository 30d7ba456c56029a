from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intranet.text_policy import TextPolicyMixin
from mailing.models import Delivery


class ScheduleForm(TextPolicyMixin, forms.Form):
    at = forms.DateTimeField(
        label=_("Date et heure d'envoi"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        error_messages={
            "required": _("Indiquez une date et une heure d'envoi."),
            "invalid": _("Saisissez une date et une heure valides."),
        },
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise forms.ValidationError(_("La date d'envoi doit être dans le futur."))
        return at


class DeliveryFilterForm(TextPolicyMixin, forms.Form):
    etat = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous")), *Delivery.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
