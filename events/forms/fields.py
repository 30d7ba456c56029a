"""The widgets and fields the events forms share."""

from django import forms

from intranet.models import Agent
from intranet.pickers import PickerMultipleChoiceField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def datetime_field(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=help_text,
    )


def organisers_field(label, help_text):
    return PickerMultipleChoiceField(
        picker="agents",
        kind="agent",
        label=label,
        queryset=Agent.objects.active().internal(),
        required=False,
        help_text=help_text,
    )
