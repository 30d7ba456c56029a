"""Forms of the surveys app: they validate; services change state."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from intranet.text_policy import TextPolicyMixin
from surveys.models import DEFAULT_SCALE_LABELS, SCALE_SIZE, Question, Survey, SurveySession
from surveys.templates_library import TEMPLATE_LABELS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "anonymous", "opens_on", "closes_on", "auto_remind_days"]
        widgets = {"opens_on": DATE_WIDGET, "closes_on": DATE_WIDGET, "intro": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"auto_remind_days": _("Laissez vide pour ne relancer qu'à la main.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.has_responses:
            self.fields["anonymous"].disabled = True
            self.fields["anonymous"].help_text = _("Figé : l'enquête a déjà des réponses.")

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("La date de clôture doit suivre la date d'ouverture."))
        return cleaned


class AuthorsForm(TextPolicyMixin, forms.Form):
    authors = forms.CharField(
        label=_("Auteurs (une adresse e-mail par ligne)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Les auteurs gèrent l'enquête : questions, invitations, relances et résultats."),
    )

    def clean_authors(self):
        from intranet.models import Agent

        addresses = [line.strip().lower() for line in self.cleaned_data["authors"].splitlines() if line.strip()]
        found = {
            agent.email.lower(): agent
            for agent in Agent.objects.active().filter(is_external=False, email__in=addresses)
        }
        unknown = [address for address in addresses if address not in found]
        if unknown:
            raise ValidationError(
                _("Aucun agent actif avec l'adresse : %(addresses)s.") % {"addresses": ", ".join(unknown)}
            )
        if not found:
            raise ValidationError(_("Une enquête garde au moins un auteur."))
        return list(dict.fromkeys(found[address] for address in addresses))

    @classmethod
    def initial_for(cls, survey) -> dict:
        return {"authors": "\n".join(survey.authors.order_by("email").values_list("email", flat=True))}


class SurveyCreateForm(SurveyForm):
    template = forms.ChoiceField(
        label=_("Partir d'un modèle"),
        required=False,
        choices=[("", _("Aucun (enquête vide)")), *TEMPLATE_LABELS.items()],
    )

    class Meta(SurveyForm.Meta):
        fields = ["template", "title", "intro", "anonymous", "opens_on", "closes_on", "auto_remind_days"]


class SectionForm(TextPolicyMixin, forms.Form):
    title = forms.CharField(label=_("Titre de la section"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SessionForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = SurveySession
        fields = ["label", "held_on"]
        widgets = {"held_on": DATE_WIDGET}


class QuestionForm(TextPolicyMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type de question"), choices=Question.Kind.choices)
    label = forms.CharField(label=_("Question"), max_length=500)
    help_text = forms.CharField(label=_("Aide (facultatif)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Réponse obligatoire"), required=False)
    section = forms.ModelChoiceField(label=_("Section"), queryset=None, empty_label=None)
    choices = forms.CharField(
        label=_("Choix (un par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pour les questions à choix unique ou multiples."),
    )
    scale_labels = forms.CharField(
        label=_("Libellés de l'échelle (5 lignes, du niveau 1 au niveau 5)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="\n".join(DEFAULT_SCALE_LABELS),
    )
    min_value = forms.DecimalField(label=_("Minimum (nombre)"), required=False, max_digits=12, decimal_places=2)
    max_value = forms.DecimalField(label=_("Maximum (nombre)"), required=False, max_digits=12, decimal_places=2)
    condition_question = forms.ModelChoiceField(
        label=_("Afficher seulement si la question…"),
        queryset=None,
        required=False,
        empty_label=_("(toujours afficher)"),
    )
    condition_value = forms.CharField(
        label=_("…a pour réponse"),
        required=False,
        max_length=100,
        help_text=_("« oui » ou « non », un niveau de 1 à 5, une note, ou le libellé exact d'un choix."),
    )

    def __init__(self, *args, survey: Survey, question: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.order_by("order", "pk")
        others = survey.questions.exclude(kind__in=Question.TEXT_KINDS).exclude(kind=Question.Kind.DATE)
        if question is not None:
            others = others.exclude(pk=question.pk)
        self.fields["condition_question"].queryset = others.select_related("section").order_by(
            "section__order", "order", "pk"
        )
        self.fields["condition_question"].label_from_instance = lambda q: q.label[:80]

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]

    def clean_scale_labels(self) -> list[str]:
        labels = [line.strip() for line in self.cleaned_data["scale_labels"].splitlines() if line.strip()]
        return labels if len(labels) == SCALE_SIZE else list(DEFAULT_SCALE_LABELS)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in Question.CHOICE_KINDS and len(cleaned.get("choices") or []) < 2:
            self.add_error("choices", _("Une question à choix demande au moins deux choix."))
        parent, value = cleaned.get("condition_question"), (cleaned.get("condition_value") or "").strip()
        if parent is not None:
            if not value:
                self.add_error("condition_value", _("Indiquez la réponse qui fait afficher la question."))
            elif parent.is_choice:
                choice = parent.choices.filter(label__iexact=value).first()
                if choice is None:
                    self.add_error("condition_value", _("Ce choix n'existe pas dans la question choisie."))
                else:
                    value = str(choice.pk)
            else:
                value = value.lower()
        cleaned["condition_value"] = value if parent is not None else ""
        return cleaned

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        value = question.condition_value
        if question.condition_question is not None and question.condition_question.is_choice:
            choice = question.condition_question.choices.filter(pk=value).first() if value.isdigit() else None
            value = choice.label if choice else value
        return {
            "kind": question.kind,
            "label": question.label,
            "help_text": question.help_text,
            "required": question.required,
            "section": question.section_id,
            "choices": "\n".join(choice.label for choice in question.choices.all()),
            "scale_labels": "\n".join(label for _level, label in question.levels),
            "min_value": question.min_value,
            "max_value": question.max_value,
            "condition_question": question.condition_question_id,
            "condition_value": value,
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "kind",
                "label",
                "help_text",
                "required",
                "choices",
                "scale_labels",
                "min_value",
                "max_value",
                "condition_question",
                "condition_value",
            )
        }


class InviteForm(TextPolicyMixin, forms.Form):
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=None, required=False, empty_label=_("(aucune session)")
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = survey.sessions.all()


def validate_direction(value: str) -> str:
    if value not in ("up", "down"):
        raise ValidationError(_("Direction inconnue."))
    return value
