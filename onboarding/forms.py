"""The onboarding app's forms: they validate; the services write."""

from datetime import timedelta

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intranet.models import Agent
from intranet.pickers import PickerChoiceField
from intranet.text_policy import TextPolicyMixin
from intranet.widgets import RICH_TEXT_HELP, RichTextWidget
from onboarding.models import (
    BuddyVolunteer,
    GuideChapter,
    GuideSettings,
    JourneyTemplate,
    TemplateTask,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Agents whose arrival may be recorded: no arrival yet, and arrived less than a year ago (or date unknown).
RECENT = timedelta(days=365)


def _internal_agents():
    return Agent.objects.active().internal().select_related("org_unit").order_by("last_name", "first_name")


def arrival_candidates():
    """Agents whose arrival may be recorded: no arrival yet, arrived less than a year ago (or date unknown)."""
    today = timezone.localdate()
    return _internal_agents().filter(arrival__isnull=True).exclude(arrival_date__lt=today - RECENT)


def buddy_candidates():
    """The volunteers a newcomer's buddy is chosen among."""
    return _internal_agents().filter(buddy_volunteer__is_active=True)


def volunteer_candidates():
    """Agents who are not volunteers yet."""
    return _internal_agents().filter(buddy_volunteer__isnull=True)


class ArrivalForm(TextPolicyMixin, forms.Form):
    agent = PickerChoiceField(picker="arrivees", label=_("Agent qui arrive"), queryset=Agent.objects.none())
    arrival_date = forms.DateField(label=_("Date d'arrivée"), widget=DATE_WIDGET)
    manager = PickerChoiceField(
        picker="agents",
        label=_("Encadrant"),
        queryset=Agent.objects.none(),
        required=False,
        help_text=_("Laissé vide : le responsable hiérarchique indiqué dans l'annuaire."),
    )
    buddy = PickerChoiceField(
        picker="parrains",
        label=_("Parrain ou marraine (facultatif)"),
        queryset=Agent.objects.none(),
        required=False,
        help_text=_(
            "Parmi les volontaires ayant encore de la place ; vous pourrez aussi le choisir plus tard "
            "parmi les suggestions."
        ),
    )
    template = forms.ModelChoiceField(
        label=_("Modèle de parcours"), queryset=JourneyTemplate.objects.all(), empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = arrival_candidates()
        self.fields["manager"].queryset = _internal_agents()
        self.fields["buddy"].queryset = buddy_candidates()
        self.fields["template"].initial = JourneyTemplate.objects.filter(is_default=True).first()

    def clean(self):
        cleaned = super().clean()
        agent, manager, buddy = cleaned.get("agent"), cleaned.get("manager"), cleaned.get("buddy")
        if agent and manager and agent == manager:
            self.add_error("manager", _("L'agent ne peut pas être son propre encadrant."))
        if agent and buddy and agent == buddy:
            self.add_error("buddy", _("L'agent ne peut pas être son propre parrain."))
        return cleaned


class ArrivalUpdateForm(TextPolicyMixin, forms.Form):
    arrival_date = forms.DateField(label=_("Date d'arrivée"), widget=DATE_WIDGET)
    manager = PickerChoiceField(picker="agents", label=_("Encadrant"), queryset=Agent.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = _internal_agents()


class BuddyForm(TextPolicyMixin, forms.Form):
    buddy = PickerChoiceField(picker="parrains", label=_("Parrain ou marraine"), queryset=Agent.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buddy"].queryset = buddy_candidates()


class VolunteerForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = BuddyVolunteer
        fields = ["capacity", "note", "is_active"]
        widgets = {"capacity": forms.NumberInput(attrs={"min": 1, "max": 5})}


class VolunteerAddForm(VolunteerForm):
    agent = PickerChoiceField(picker="volontaires", label=_("Agent volontaire"), queryset=Agent.objects.none())

    class Meta(VolunteerForm.Meta):
        fields = ["agent", "capacity", "note", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = volunteer_candidates()


class JourneyTemplateForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = JourneyTemplate
        fields = ["name", "is_default", "it_email"]


TemplateTaskFormSet = inlineformset_factory(
    JourneyTemplate,
    TemplateTask,
    fields=["phase", "title", "assignee", "offset_days", "description"],
    extra=3,
    can_delete=True,
    widgets={"description": forms.Textarea(attrs={"rows": 2}), "offset_days": forms.NumberInput(attrs={"size": 4})},
)


class ChapterForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = GuideChapter
        fields = ["title", "body", "order", "is_published"]
        widgets = {"body": RichTextWidget(allow_list="guide", attrs={"rows": 16})}
        help_texts = {"body": RICH_TEXT_HELP}


class GuideSettingsForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = GuideSettings
        fields = ["administration_name", "title", "primary_colour", "accent_colour", "contacts"]
        widgets = {"contacts": forms.Textarea(attrs={"rows": 6})}


class IntegrationDayForm(TextPolicyMixin, forms.Form):
    """A journée d'intégration: its event and session (events app) and the period of arrivals it
    invites. Services write (onboarding.services.integration_days)."""

    title = forms.CharField(label=_("Intitulé"), max_length=200, initial=_("Journée d'intégration"))
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Heure de début"), required=False, widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Heure de fin"), required=False, widget=TIME_WIDGET)
    place = forms.CharField(label=_("Lieu"), max_length=200)
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=32767)
    arrivals_from = forms.DateField(label=_("Arrivés à partir du"), widget=DATE_WIDGET)
    arrivals_to = forms.DateField(label=_("Arrivés jusqu'au"), widget=DATE_WIDGET)
    programme = forms.CharField(label=_("Programme"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": instance.title,
                    "date": instance.date,
                    "start_time": instance.start_time,
                    "end_time": instance.end_time,
                    "place": instance.place,
                    "capacity": instance.capacity,
                    "arrivals_from": instance.arrivals_from,
                    "arrivals_to": instance.arrivals_to,
                    "programme": instance.programme,
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("arrivals_from"), cleaned.get("arrivals_to")
        if start and end and start > end:
            self.add_error("arrivals_to", _("La fin de la période doit suivre son début."))
        begins, finishes = cleaned.get("start_time"), cleaned.get("end_time")
        if begins and finishes and finishes <= begins:
            self.add_error("end_time", _("La fin doit suivre le début."))
        return cleaned
