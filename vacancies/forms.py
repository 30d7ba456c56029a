"""Forms of the vacancies board: they validate; services write."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from intranet.models import Agent, OrgUnit, Site
from intranet.pickers import PickerChoiceField, as_picker
from intranet.roles import Role
from intranet.text_policy import TextPolicyMixin
from vacancies import selectors
from vacancies.models import Concours, Vacancy

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VacancyForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = [
            "reference",
            "title",
            "org_unit",
            "site",
            "category",
            "grade",
            "description",
            "soft_skills",
            "deadline",
            "contact_agent",
            "contact_email",
        ]
        widgets = {
            "deadline": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 12}),
            "soft_skills": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"reference": _("Laissez vide pour une référence automatique (OE-année-numéro).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].required = False
        self.fields["org_unit"] = as_picker(self.fields["org_unit"], picker="services", kind="unit")
        self.fields["site"] = as_picker(self.fields["site"], picker="sites", kind="site")
        # HR and the heads of units, not every agent: a select of 10,000 names is unusable.
        contacts = Q(groups__name=Role.HR.value) | Q(headed_units__isnull=False)
        if self.instance.contact_agent_id:
            contacts |= Q(pk=self.instance.contact_agent_id)
        self.fields["contact_agent"].queryset = (
            Agent.objects.active().internal().filter(contacts).distinct().order_by("last_name", "first_name")
        )
        self.fields["contact_agent"].help_text = _(
            "Un agent des ressources humaines ou le responsable d'un service ; sinon, indiquez une adresse e-mail."
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("contact_agent") and not cleaned.get("contact_email"):
            self.add_error("contact_email", _("Indiquez un agent à contacter ou une adresse e-mail de contact."))
        return cleaned

    def validate_unique(self):
        # A blank reference is filled in by the service; the unique check of a given one still runs.
        if self.cleaned_data.get("reference"):
            super().validate_unique()


class PublishForm(TextPolicyMixin, forms.Form):
    confirm_short_period = forms.BooleanField(
        label=_("Je confirme la publication avec une période de candidature inférieure à un mois."),
        required=False,
    )


class ConcoursForm(TextPolicyMixin, forms.ModelForm):
    link = forms.URLField(
        label=_("lien vers l'avis de concours"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Concours
        fields = [
            "name",
            "category",
            "organiser",
            "registration_opens",
            "registration_closes",
            "exam_date",
            "exam_dates_detail",
            "preparation",
            "link",
        ]
        widgets = {
            "registration_opens": DATE_WIDGET,
            "registration_closes": DATE_WIDGET,
            "exam_date": DATE_WIDGET,
            "preparation": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("registration_opens"), cleaned.get("registration_closes")
        if opens and closes and closes < opens:
            self.add_error("registration_closes", _("La clôture des inscriptions doit suivre leur ouverture."))
        exam = cleaned.get("exam_date")
        if exam and closes and exam < closes:
            self.add_error("exam_date", _("La première épreuve doit avoir lieu après la clôture des inscriptions."))
        return cleaned


class InterestForm(TextPolicyMixin, forms.Form):
    message = forms.CharField(
        label=_("Votre message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Présentez en quelques lignes votre intérêt pour ce poste."),
    )
    cv = forms.FileField(
        label=_("Votre CV (PDF, 5 Mo au plus)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("Facultatif. Seul le service des ressources humaines pourra le lire."),
    )

    def clean_cv(self):
        from vacancies.services.interests import cv_check

        upload = self.cleaned_data.get("cv")
        if upload:
            cv_check(upload)  # raises the French message the field shows
        return upload


class VacancyFilterForm(TextPolicyMixin, forms.Form):
    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=100)
    # Searched as one types: the open vacancies' services can be hundreds (intranet/pickers.py).
    unit = PickerChoiceField(
        picker="services-offres", kind="unit", label=_("Service"), required=False, queryset=OrgUnit.objects.none()
    )
    site = PickerChoiceField(
        picker="sites-offres", kind="site", label=_("Site"), required=False, queryset=Site.objects.none()
    )
    category = forms.ChoiceField(
        label=_("Catégorie"), required=False, choices=[("", _("Toutes"))] + list(Vacancy.Category.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:  # the choices a filter is checked against (an empty form checks none)
            self.fields["unit"].queryset = selectors.vacancy_filter_units()
            self.fields["site"].queryset = selectors.vacancy_filter_sites()
        self.fields["unit"].empty_label = _("Tous")
        self.fields["site"].empty_label = _("Tous")
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"class": "form-control"})
        self.fields["category"].widget.attrs.update({"class": "form-select"})

    def filters(self) -> dict:
        """The valid filters (a wrong value drops that filter only, with its error shown)."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        unit, site = data.get("unit"), data.get("site")
        return {
            "q": data.get("q", ""),
            "unit": unit.pk if unit else None,
            "site": site.pk if site else None,
            "category": data.get("category", ""),
        }
