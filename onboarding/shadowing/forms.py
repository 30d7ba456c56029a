from django import forms
from django.utils.translation import gettext_lazy as _

from intranet.forms import InlineFormMixin
from intranet.models import Agent
from intranet.pickers import PickerChoiceField, as_picker
from intranet.text_policy import TextPolicyMixin
from onboarding.shadowing.models import AgreementVersion, Availability, Campaign, Offer, Slot, Visit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OfferForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = Offer
        fields = ["job_title", "description", "org_unit", "site", "availability", "availability_note", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"] = as_picker(self.fields["org_unit"], picker="services", kind="unit")
        self.fields["site"] = as_picker(self.fields["site"], picker="sites", kind="site")


class OfferFilterForm(TextPolicyMixin, forms.Form):
    """The catalogue's filters: the services and sites that have offers (short lists)."""

    service = forms.TypedChoiceField(label=_("Service"), required=False, coerce=int, empty_value=None)
    site = forms.TypedChoiceField(label=_("Site"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, units, sites, **kwargs):
        super().__init__(*args, auto_id="filtre-%s", **kwargs)
        self.fields["service"].choices = [("", _("Tous les services")), *units]
        self.fields["site"].choices = [("", _("Tous les sites")), *sites]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> tuple[int | None, int | None]:
        """The valid filters: a wrong one is dropped, the other kept."""
        if not self.is_bound:
            return None, None
        self.is_valid()
        return self.cleaned_data.get("service"), self.cleaned_data.get("site")


class WishForm(TextPolicyMixin, forms.Form):
    offer = forms.ModelChoiceField(
        label=_("Offre du catalogue"),
        queryset=Offer.objects.none(),
        required=False,
        empty_label=_("— Aucune : je décris le métier ci-dessous —"),
    )
    wished_job = forms.CharField(label=_("Métier que vous aimeriez découvrir"), max_length=200, required=False)
    motivation = forms.CharField(
        label=_("Pourquoi ce métier ?"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    duration = forms.ChoiceField(
        label=_("Durée souhaitée"), choices=Availability.choices[:2], initial=Availability.HALF_DAY
    )

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers

    def clean(self):
        data = super().clean()
        if not data.get("offer") and not (data.get("wished_job") or "").strip() and "wished_job" not in self.errors:
            # Tied to the field a person can always fill (the catalogue may be empty).
            self.add_error("wished_job", _("Choisissez une offre ou décrivez le métier que vous aimeriez découvrir."))
        return data


class RefuseForm(TextPolicyMixin, forms.Form):
    reason = forms.CharField(label=_("Motif du refus"), max_length=2000)


class QueueRefuseForm(InlineFormMixin, RefuseForm):
    """The refusal's reason in a request's row of « À décider » (one per request on the page)."""

    def __init__(self, *args, visit, **kwargs):
        kwargs.setdefault("auto_id", f"motif-{visit.pk}-%s")
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Motif du refus (%(visitor)s)") % {"visitor": visit.visitor.get_full_name()}


class CampaignVisitFilterForm(TextPolicyMixin, InlineFormMixin, forms.Form):
    """HR's filter of a campaign's requests by state."""

    etat = forms.ChoiceField(label=_("État"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filtre-%s")
        super().__init__(*args, **kwargs)
        self.fields["etat"].choices = [("", _("Tous les états")), *Visit.State.choices]


class CancelForm(TextPolicyMixin, forms.Form):
    reason = forms.CharField(label=_("Motif de l'annulation"), max_length=2000, required=False)


class ScheduleForm(TextPolicyMixin, forms.Form):
    on = forms.DateField(label=_("Date de la visite"), widget=DateInput())
    slot = forms.ChoiceField(label=_("Moment"), choices=Slot.choices)


class AssignHostForm(TextPolicyMixin, forms.Form):
    host = PickerChoiceField(picker="agents", label=_("Accueillant"), queryset=Agent.objects.none())
    offer = forms.ModelChoiceField(queryset=Offer.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Agent.objects.internal().active().order_by("last_name", "first_name")
        self.fields["offer"].queryset = Offer.objects.active()


class HostSuggestionForm(AssignHostForm):
    """One suggested host, designated in one click (the same fields as AssignHostForm, hidden)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)
        self.fields["host"] = forms.ModelChoiceField(queryset=self.fields["host"].queryset, widget=forms.HiddenInput)


class AgreementSignForm(TextPolicyMixin, forms.Form):
    version = forms.ModelChoiceField(queryset=AgreementVersion.objects.all(), widget=forms.HiddenInput)
    accept = forms.BooleanField(label=_("J'ai lu l'engagement de discrétion et je m'engage à le respecter."))


class ReportForm(TextPolicyMixin, forms.Form):
    report = forms.CharField(
        label=_("Votre rapport d'étonnement"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Ce qui vous a surpris, ce que vous avez appris, ce que vous changeriez."),
    )
    consent = forms.BooleanField(
        label=_("J'accepte que mon rapport soit publié sur l'intranet (avec mon nom)."), required=False
    )


class CampaignForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "description", "wishes_open_on", "wishes_close_on", "visits_end_on"]
        widgets = {
            "wishes_open_on": DateInput(),
            "wishes_close_on": DateInput(),
            "visits_end_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        opens, closes, ends = data.get("wishes_open_on"), data.get("wishes_close_on"), data.get("visits_end_on")
        if opens and closes and closes < opens:
            self.add_error("wishes_close_on", _("La clôture des souhaits doit suivre leur ouverture."))
        if closes and ends and ends < closes:
            self.add_error("visits_end_on", _("La fin des visites doit suivre la clôture des souhaits."))
        return data


class AbsenceForm(TextPolicyMixin, forms.Form):
    manager = PickerChoiceField(
        picker="agents",
        label=_("Encadrant absent"),
        required=False,
        queryset=Agent.objects.none(),
        help_text=_("RH : l'encadrant pour qui vous déclarez l'absence (vous-même sinon)."),
    )
    starts_on = forms.DateField(label=_("Absent(e) du"), widget=DateInput())
    ends_on = forms.DateField(label=_("au"), widget=DateInput())
    substitute = PickerChoiceField(
        picker="agents",
        label=_("Suppléant(e) désigné(e) (facultatif)"),
        required=False,
        queryset=Agent.objects.none(),
        help_text=_("Sinon, le responsable de votre service (ou les RH) décide."),
    )

    def __init__(self, *args, for_hr: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        agents = Agent.objects.internal().active().order_by("last_name", "first_name")
        self.fields["substitute"].queryset = agents
        if for_hr:
            self.fields["manager"].queryset = agents
        else:
            del self.fields["manager"]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin de l'absence doit suivre son début."))
        return data


class AgreementTextForm(TextPolicyMixin, forms.Form):
    text = forms.CharField(
        label=_("Texte de la nouvelle version"), max_length=10000, widget=forms.Textarea(attrs={"rows": 14})
    )
