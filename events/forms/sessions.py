"""A session's form and a series' (sessions created in one go)."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.forms.fields import DATE_WIDGET, TIME_WIDGET, datetime_field, organisers_field
from events.models import Session
from intranet.models import Site
from intranet.pickers import PickerChoiceField, PickerMultipleChoiceField
from intranet.text_policy import TextPolicyMixin


class SessionForm(TextPolicyMixin, forms.Form):
    label = forms.CharField(
        label=_("Intitulé de la séance"),
        max_length=200,
        required=False,
        help_text=_("Facultatif, par exemple « Séance du matin » ou « Lycée Fabert »."),
    )
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start = forms.TimeField(label=_("Début"), widget=TIME_WIDGET)
    end = forms.TimeField(label=_("Fin"), widget=TIME_WIDGET)
    site = PickerChoiceField(picker="sites", kind="site", label=_("Site"), queryset=Site.objects.all(), required=False)
    room = forms.CharField(label=_("Salle ou adresse"), max_length=200, required=False)
    video_url = forms.URLField(
        label=_("Lien de la visioconférence"), max_length=500, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        min_value=1,
        required=False,
        help_text=_("Laissez vide pour un nombre de places illimité."),
    )
    audience_scope = forms.ChoiceField(
        label=_("Qui peut s'inscrire"),
        choices=Session.Scope.choices,
        initial=Session.Scope.EVENT,
        widget=forms.RadioSelect,
    )
    registration_opens_at = datetime_field(
        _("Ouverture des inscriptions"), _("Laissez vide pour ouvrir les inscriptions dès la publication.")
    )
    registration_closes_at = datetime_field(
        _("Clôture des inscriptions"), _("Laissez vide pour les accepter jusqu'au début de la séance.")
    )
    organisers = organisers_field(_("Animateurs"), _("Ils pointent les présents le jour venu."))

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            if end <= start:
                self.add_error("end", _("La fin doit suivre le début."))
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = datetime.combine(day, start, tzinfo=tz)
            cleaned["ends_at"] = datetime.combine(day, end, tzinfo=tz)
        return cleaned

    def session_values(self) -> dict:
        data = self.cleaned_data
        return {
            "label": data["label"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "site": data["site"],
            "room": data["room"],
            "video_url": data["video_url"],
            "capacity": data["capacity"],
            "audience_scope": data["audience_scope"],
            "registration_opens_at": data["registration_opens_at"],
            "registration_closes_at": data["registration_closes_at"],
        }

    @classmethod
    def initial_from(cls, session: Session) -> dict:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        local = lambda value: timezone.localtime(value) if value else None  # noqa: E731
        return {
            "label": session.label,
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "site": session.site_id,
            "room": session.room,
            "video_url": session.video_url,
            "capacity": session.capacity,
            "audience_scope": session.audience_scope,
            "registration_opens_at": local(session.registration_opens_at),
            "registration_closes_at": local(session.registration_closes_at),
            "organisers": list(session.organisers.values_list("pk", flat=True)),
        }


class SeriesForm(TextPolicyMixin, forms.Form):
    label = forms.CharField(
        label=_("Intitulé des séances"),
        max_length=150,
        required=False,
        help_text=_("Chaque séance est numérotée : « Réunion d'information n° 3 — Lycée Fabert »."),
    )
    first_day = forms.DateField(label=_("Date de la première séance"), widget=DATE_WIDGET)
    start = forms.TimeField(label=_("Début"), widget=TIME_WIDGET)
    end = forms.TimeField(label=_("Fin"), widget=TIME_WIDGET)
    count = forms.IntegerField(label=_("Nombre de séances"), min_value=1, max_value=200, initial=15)
    every_days = forms.IntegerField(
        label=_("Une séance tous les … jours"),
        min_value=1,
        max_value=90,
        initial=7,
        help_text=_("Une date tombant un samedi ou un dimanche passe au lundi suivant."),
    )
    sites = PickerMultipleChoiceField(
        picker="sites",
        kind="site",
        label=_("Sites, pris à tour de rôle"),
        queryset=Site.objects.all(),
        required=False,
        help_text=_("Une séance par site, dans l'ordre alphabétique : 15 sites pour 15 réunions."),
    )
    per_site_audience = forms.BooleanField(
        label=_("Chaque séance est pour les agents de son site"), required=False, initial=False
    )
    room = forms.CharField(label=_("Salle ou adresse"), max_length=200, required=False)
    video_url = forms.URLField(
        label=_("Lien de la visioconférence"), max_length=500, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(
        label=_("Nombre de places par séance"), min_value=1, required=False, help_text=_("Vide : illimité.")
    )
    registration_days_before = forms.IntegerField(
        label=_("Clôture des inscriptions, jours avant chaque séance"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Vide : jusqu'au début de la séance."),
    )
    organisers = organisers_field(_("Animateurs"), _("Les mêmes pour chaque séance."))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("La fin doit suivre le début."))
        sites = cleaned.get("sites")
        if (
            not self.errors
            and not sites
            and not (cleaned.get("room") or "").strip()
            and not (cleaned.get("video_url") or "").strip()
        ):
            self.add_error("sites", _("Indiquez des sites, une salle ou le lien de la visioconférence."))
        return cleaned
