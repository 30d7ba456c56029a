"""Forms of the events app: they validate; services write."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import selectors
from events.models import Event, Material, Session
from intranet.models import Agent, Site
from intranet.pickers import PickerChoiceField, PickerMultipleChoiceField
from intranet.text_policy import TextPolicyMixin
from intranet.uploads import document_check

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def _datetime_field(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=help_text,
    )


def _organisers_field(label, help_text):
    return PickerMultipleChoiceField(
        picker="agents",
        kind="agent",
        label=label,
        queryset=Agent.objects.active().internal(),
        required=False,
        help_text=help_text,
    )


class EventForm(TextPolicyMixin, forms.ModelForm):
    organisers = _organisers_field(
        _("Organisateurs"), _("Ils modifient l'événement et suivent ses inscriptions. Vous, par défaut.")
    )

    class Meta:
        model = Event
        fields = ["title", "kind", "summary", "description", "single_session"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


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
    registration_opens_at = _datetime_field(
        _("Ouverture des inscriptions"), _("Laissez vide pour ouvrir les inscriptions dès la publication.")
    )
    registration_closes_at = _datetime_field(
        _("Clôture des inscriptions"), _("Laissez vide pour les accepter jusqu'au début de la séance.")
    )
    organisers = _organisers_field(_("Animateurs"), _("Ils pointent les présents le jour venu."))

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
    organisers = _organisers_field(_("Animateurs"), _("Les mêmes pour chaque séance."))

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


class AgendaFilterForm(TextPolicyMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Tous"))] + list(Event.Kind.choices))
    site = PickerChoiceField(
        picker="sites-agenda", kind="site", label=_("Site"), required=False, queryset=Site.objects.none()
    )
    audience = forms.ChoiceField(
        label=_("Public"),
        required=False,
        choices=[
            ("", _("Tous les publics")),
            ("pour-moi", _("Ouvertes à moi")),
            ("tous", _("Tous les agents")),
            ("encadrants", _("Encadrants")),
            ("partenaires", _("Partenaires")),
        ],
    )
    mine = forms.BooleanField(label=_("Mes inscriptions seulement"), required=False)
    mois = forms.CharField(required=False, max_length=7, widget=forms.HiddenInput)  # the month view's month

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = selectors.site_choices()
        self.fields["site"].empty_label = _("Tous")
        for name in ("kind", "audience"):
            self.fields[name].widget.attrs.update({"class": "form-select"})

    def filters(self) -> selectors.AgendaFilters:
        """The valid filters (a wrong value drops that filter only)."""
        if not self.is_bound:
            return selectors.AgendaFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        site = data.get("site")
        return selectors.AgendaFilters(
            kind=data.get("kind", ""),
            site=site.pk if site else None,
            audience=data.get("audience", ""),
            mine=bool(data.get("mine")),
        )


class MaterialForm(TextPolicyMixin, forms.ModelForm):
    """Slides or a document (checked by their bytes, 20 MB), or a link (the recording of a webinar)."""

    url = forms.URLField(
        label=_("Lien"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("L'enregistrement de la séance, une page : ou bien un fichier, ou bien un lien."),
    )

    class Meta:
        model = Material
        fields = ["title", "kind", "session", "file", "url"]
        help_texts = {
            "file": _(
                "PDF, Word, Excel, PowerPoint, OpenDocument ou image (JPEG, PNG, WebP), 20 Mo au plus ; "
                "une vidéo se partage par un lien."
            )
        }

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = event.sessions.order_by("starts_at", "pk")
        self.fields["session"].empty_label = _("Toutes les séances")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            document_check(upload)  # the French reason, on the field, before the service
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("file")) == bool(cleaned.get("url")):
            self.add_error("file", _("Joignez un fichier ou indiquez un lien (l'un ou l'autre)."))
        return cleaned


class EventSurveyForm(TextPolicyMixin, forms.Form):
    """The event's satisfaction questionnaire: one of the surveys the person manages."""

    survey = forms.ModelChoiceField(label=_("Questionnaire de satisfaction"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        from surveys.models import Survey

        super().__init__(*args, **kwargs)
        surveys = Survey.objects.exclude(status=Survey.Status.CLOSED)
        if not user.is_superuser:
            surveys = surveys.filter(authors=user)
        self.fields["survey"].queryset = surveys.order_by("-created_at", "-pk")
        self.fields["survey"].help_text = _(
            "Envoyé après chaque séance à ceux qui sont venus ; ses résultats se lisent par séance."
        )


class CheckinSearchForm(TextPolicyMixin, forms.Form):
    q = forms.CharField(label=_("Nom de la personne"), max_length=100, required=False)

    def __init__(self, *args, search_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        # Searched as one types (htmx swaps the list); the button sends the same GET without JavaScript.
        self.fields["q"].widget.attrs.update(
            {
                "class": "form-control",
                "autocomplete": "off",
                "hx-get": search_url,
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#resultats",
                "hx-swap": "outerHTML",
            }
        )


class RegisterForm(TextPolicyMixin, forms.Form):
    """An organiser registers someone (a person without a mailbox, a request on paper)."""

    agent = PickerChoiceField(
        picker="agents", kind="agent", label=_("Agent à inscrire"), queryset=Agent.objects.active().internal()
    )
