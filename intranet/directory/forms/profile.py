"""Profile forms: what an agent edits on their own profile, and everything HR edits."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from intranet.directory.services.profile import MAX_SKILLS
from intranet.images import PHOTO_MAX_SIDE, photo_validate
from intranet.models import Agent, OrgUnit, Site, Skill
from intranet.pickers import PickerChoiceField, PickerMultipleChoiceField
from intranet.text_policy import TextPolicyMixin


def _skill_names(raw: str) -> list[str]:
    return [name for name in (" ".join(part.split()) for part in raw.split(",")) if name]


class ProfileForm(TextPolicyMixin, forms.ModelForm):
    """The agent's own profile. The photo is validated here (by its content) and re-encoded
    by the service; skills are chosen from the list or typed in, comma-separated."""

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Supprimer ma photo"), required=False)
    skills = PickerMultipleChoiceField(
        picker="competences", kind="skill", label=_("Compétences"), queryset=Skill.objects.all(), required=False
    )
    new_skills = forms.CharField(
        label=_("Ajouter des compétences"),
        required=False,
        max_length=500,
        help_text=_("Absentes de la liste ? Tapez-les, séparées par des virgules."),
    )

    class Meta:
        model = Agent
        fields = ["photo", "missions", "skills", "phone", "mobile", "show_phone", "show_mobile", "show_photo"]
        widgets = {"missions": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"missions": _("Ce que vous faites, en quelques lignes (2000 caractères au plus).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the language of the request (not once, at import time).
        self.fields["photo"].help_text = gettext(
            "JPEG, PNG ou WebP, 5 Mo et %(side)s × %(side)s pixels au plus. "
            "Les métadonnées (position GPS, appareil) sont supprimées."
        ) % {"side": PHOTO_MAX_SIDE}
        self.fields["skills"].help_text = gettext(
            "Tapez le début d'une compétence et choisissez-la ; %(max)s au plus."
        ) % {"max": MAX_SKILLS}
        if not self.instance.photo:
            del self.fields["remove_photo"]

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            photo_validate(upload)
        return upload

    def clean_new_skills(self):
        names = _skill_names(self.cleaned_data.get("new_skills", ""))
        if any(len(name) > 100 for name in names):
            raise forms.ValidationError(_("Une compétence tient en 100 caractères au plus."))
        return names

    def clean(self):
        cleaned = super().clean()
        chosen = {skill.name.lower() for skill in cleaned.get("skills") or []}
        chosen.update(name.lower() for name in cleaned.get("new_skills") or [])
        if len(chosen) > MAX_SKILLS:
            self.add_error("skills", _("Vous pouvez indiquer %(max)s compétences au plus.") % {"max": MAX_SKILLS})
        return cleaned

    def _post_clean(self):
        # The service writes the agent (and re-encodes the photo); the form only validates.
        pass


class AgentForm(ProfileForm):
    """Everything HR edits on an agent."""

    manager_email = forms.EmailField(
        label=_("Responsable hiérarchique (adresse e-mail)"),
        required=False,
        help_text=_("L'adresse e-mail de son responsable ; laissez vide s'il n'en a pas."),
    )
    org_unit = PickerChoiceField(
        picker="services", kind="unit", label=_("Service"), queryset=OrgUnit.objects.all(), required=False
    )
    site = PickerChoiceField(picker="sites", kind="site", label=_("Site"), queryset=Site.objects.all(), required=False)

    class Meta(ProfileForm.Meta):
        fields = [
            "first_name",
            "last_name",
            "email",
            "matricule",
            "job_title",
            "org_unit",
            "site",
            "status",
            "category",
            "filiere",
            "arrival_date",
            "departure_date",
            "photo",
            "missions",
            "skills",
            "phone",
            "mobile",
            "show_phone",
            "show_mobile",
            "show_photo",
        ]
        widgets = {
            **ProfileForm.Meta.widgets,
            "arrival_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "departure_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {
            "show_phone": _("Afficher le téléphone professionnel"),
            "show_mobile": _("Afficher le téléphone mobile"),
            "show_photo": _("Afficher la photo"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remove_photo" in self.fields:
            self.fields["remove_photo"].label = _("Supprimer la photo")
        if self.instance.manager_id:
            self.initial.setdefault("manager_email", self.instance.manager.email)
        order = [*self.Meta.fields[:7], "manager_email", *self.Meta.fields[7:]]
        self.order_fields(order)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if Agent.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Un autre agent a déjà cette adresse e-mail."))
        return email

    def clean_matricule(self):
        matricule = (self.cleaned_data.get("matricule") or "").strip()
        if matricule and Agent.objects.filter(matricule=matricule).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Un autre agent a déjà ce matricule."))
        return matricule or None

    def clean_manager_email(self):
        email = (self.cleaned_data.get("manager_email") or "").strip().lower()
        if not email:
            self.cleaned_data["manager"] = None
            return ""
        manager = Agent.objects.active().internal().filter(email__iexact=email).first()
        if manager is None:
            raise forms.ValidationError(_("Aucun agent actif n'a cette adresse e-mail."))
        if manager.pk == self.instance.pk:
            raise forms.ValidationError(_("Un agent ne peut pas être son propre responsable."))
        self.cleaned_data["manager"] = manager
        return email

    def clean(self):
        cleaned = super().clean()
        arrival, departure = cleaned.get("arrival_date"), cleaned.get("departure_date")
        if arrival and departure and departure < arrival:
            self.add_error("departure_date", _("La date de départ précède la date d'arrivée."))
        return cleaned


class AnonymiseForm(TextPolicyMixin, forms.Form):
    """HR's confirmation before the irreversible anonymisation of a departed agent."""

    confirm = forms.BooleanField(
        label=_("Je confirme l'anonymisation définitive de cet agent."),
        error_messages={"required": _("Cochez la case de confirmation pour anonymiser cet agent.")},
    )
