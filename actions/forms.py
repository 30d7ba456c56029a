"""The pilots' small forms of the "Mes actions" page (one per in-place update), and HR's forms
that manage the plan (a card, its steps, its indicators)."""

import re

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actions.indicator_sources import indicator_source_choices, indicator_source_label
from actions.models import ActionCard, Indicator, Measurement, Step
from intranet.directory.forms.hr import UPLOAD_EXTENSIONS, _CrispyForm
from intranet.forms import InlineFormMixin
from intranet.models import Agent
from intranet.pickers import as_picker
from intranet.text_policy import TextPolicyMixin


class StepStateForm(TextPolicyMixin, InlineFormMixin, forms.Form):
    """A step's state, changed in place on « Mes actions » (a form per step: ids and label name it)."""

    state = forms.ChoiceField(label=_("État"), choices=Step.State.choices)

    def __init__(self, *args, step, **kwargs):
        kwargs.setdefault("auto_id", f"etape-{step.pk}-%s")
        kwargs.setdefault("initial", {"state": step.state})
        super().__init__(*args, **kwargs)
        self.fields["state"].label = _("État de l'étape %(position)s") % {"position": step.position}


class CardStatusForm(TextPolicyMixin, InlineFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Statut de la fiche"), choices=ActionCard.Status.choices)

    def __init__(self, *args, card, **kwargs):
        kwargs.setdefault("auto_id", f"fiche-{card.pk}-%s")
        kwargs.setdefault("initial", {"status": card.status})
        super().__init__(*args, **kwargs)


class MeasurementForm(TextPolicyMixin, InlineFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    value = forms.DecimalField(
        label=_("Valeur"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    comment = forms.CharField(label=_("Commentaire"), required=False, max_length=1000)
    inline_columns = {"comment": "col"}

    def __init__(self, *args, indicator, **kwargs):
        kwargs.setdefault("auto_id", f"indicateur-{indicator.pk}-%s")
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_date(self):
        date = self.cleaned_data["date"]
        if Measurement.objects.filter(indicator=self.indicator, date=date).exists():
            raise forms.ValidationError(_("Une mesure existe déjà à cette date pour cet indicateur."))
        return date


# --- HR and administrators manage the plan -------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CardForm(TextPolicyMixin, _CrispyForm, forms.ModelForm):
    """Everything HR edits on a card. Pilot agents are named by e-mail (10,000 agents do not
    fit a select); pilot units, contributing units and linked cards are chosen in lists."""

    pilot_emails = forms.CharField(
        label=_("Agents pilotes (adresses e-mail)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Une adresse par ligne (ou séparées par des virgules). Préférez un service pilote : "
            "la fiche survit alors aux départs."
        ),
    )

    class Meta:
        model = ActionCard
        fields = [
            "title",
            "subtitle",
            "context_note",
            "objectives",
            "resources",
            "pilot_label",
            "pilot_units",
            "contributing_units",
            "related_cards",
            "start_date",
            "end_date",
            "status",
            "progress_mode",
            "progress_indicator",
            "manual_progress",
            "weight",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 5}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "related_cards": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        card = self.instance
        self.fields["related_cards"].queryset = (
            ActionCard.objects.filter(plan=card.plan_id).exclude(pk=card.pk).order_by("objective__number", "position")
        )
        self.fields["related_cards"].label_from_instance = lambda other: f"{other.number} {other.title}"
        self.fields["progress_indicator"].queryset = card.indicators.all()
        self.fields["manual_progress"].validators.append(MaxValueValidator(100))
        self.fields["manual_progress"].widget.attrs.update(min=0, max=100)
        self.fields["weight"].widget.attrs.update(min=0)
        for name in ("pilot_units", "contributing_units"):
            self.fields[name] = as_picker(self.fields[name], picker="services", kind="unit")
            self.fields[name].help_text = ""
        if card.pk and not self.is_bound:
            emails = card.pilot_agents.order_by("email").values_list("email", flat=True)
            self.initial["pilot_emails"] = "\n".join(emails)
        self.order_fields(
            [
                "title",
                "subtitle",
                "context_note",
                "status",
                "start_date",
                "end_date",
                "objectives",
                "resources",
                "pilot_label",
                "pilot_emails",
            ]
        )
        self._crispy()

    def clean_pilot_emails(self):
        emails = [
            e.strip().lower() for e in re.split(r"[\s,;]+", self.cleaned_data.get("pilot_emails") or "") if e.strip()
        ]
        agents = {a.email.lower(): a for a in Agent.objects.active().internal().filter(email__in=emails)}
        unknown = [e for e in emails if e not in agents]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "Aucun agent actif n'a cette adresse : %(emails)s.",
                    "Aucun agent actif n'a ces adresses : %(emails)s.",
                    len(unknown),
                )
                % {"emails": ", ".join(unknown)}
            )
        self.cleaned_data["pilot_agents"] = list(dict.fromkeys(agents[e] for e in emails))
        return "\n".join(emails)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        mode = cleaned.get("progress_mode")
        if mode == ActionCard.ProgressMode.INDICATOR and not cleaned.get("progress_indicator"):
            self.add_error("progress_indicator", _("Choisissez l'indicateur qui mesure l'avancement."))
        if mode == ActionCard.ProgressMode.MANUAL and cleaned.get("manual_progress") is None:
            self.add_error("manual_progress", _("Saisissez l'avancement en pourcentage."))
        return cleaned

    def _post_clean(self):
        # The model's constraints are checked by the service (card_update); the form has said
        # in French what they require. Skip ModelForm's instance validation of M2M-less fields.
        pass


class StepForm(TextPolicyMixin, _CrispyForm, forms.Form):
    title = forms.CharField(label=_("Intitulé de l'étape"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(label=_("Échéance"), required=False, widget=DATE_WIDGET)


class _StepRowMixin(InlineFormMixin):
    """A step's row of the steps page: prefixed and labelled with the step's number."""

    inline_columns = {"title": "col-md-7", "due_date": "col-md-3"}

    def __init__(self, *args, step, **kwargs):
        kwargs.setdefault("prefix", f"etape-{step.pk}")
        super().__init__(*args, **kwargs)
        labels = {
            "title": _("Intitulé de l'étape %(position)s"),
            "due_date": _("Échéance de l'étape %(position)s"),
        }
        for name, field in self.fields.items():
            field.label = labels[name] % {"position": step.position}


class StepEditForm(TextPolicyMixin, _StepRowMixin, forms.Form):
    """HR: a step's title and due date, in its row."""

    title = StepForm.base_fields["title"]
    due_date = StepForm.base_fields["due_date"]


class StepDueDateForm(TextPolicyMixin, _StepRowMixin, forms.Form):
    """A pilot: a step's due date, in its row."""

    due_date = forms.DateField(label=_("Échéance"), required=False, widget=DATE_WIDGET)


class StepMoveForm(TextPolicyMixin, forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Monter")), ("down", _("Descendre"))])


class IndicatorForm(TextPolicyMixin, _CrispyForm, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["definition", "unit", "baseline", "target", "direction", "source"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, source_choices=None, **kwargs):
        """`source_choices`: `indicator_source_choices()` read once for a page of several forms."""
        super().__init__(*args, **kwargs)
        choices = list(source_choices) if source_choices is not None else indicator_source_choices()
        current = self.instance.source if self.instance.pk else ""
        if current and current not in dict(choices):
            choices.append((current, indicator_source_label(current)))
        self.fields["source"] = forms.ChoiceField(
            label=_("Alimenté par"),
            choices=choices,
            required=False,
            help_text=_("Saisie manuelle, ou un module qui fournit la valeur chaque jour."),
        )
        for name in ("baseline", "target"):
            self.fields[name].localize = True
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self._crispy()

    def _post_clean(self):
        pass


class PlanImportForm(TextPolicyMixin, _CrispyForm, forms.Form):
    file = forms.FileField(
        label=_("Fichier du plan (CSV ou XLSX)"),
        help_text=_("Une ligne par fiche action, dans les colonnes du modèle. 5 Mo au plus."),
    )
    title = forms.CharField(
        label=_("Titre du plan"),
        max_length=255,
        help_text=_("Un plan du même titre est mis à jour ; sinon un nouveau plan est créé."),
    )
    organisation = forms.CharField(label=_("Collectivité"), max_length=255, required=False)
    period_start = forms.DateField(label=_("Début de la période"), required=False, widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Fin de la période"), required=False, widget=DATE_WIDGET)

    MAX_BYTES = 5 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._crispy()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_EXTENSIONS):
            raise forms.ValidationError(_("Choisissez un fichier CSV ou XLSX."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
        return upload

    def clean_title(self):
        from actions.importer import plan_slug

        title = " ".join(self.cleaned_data["title"].split())
        if not plan_slug(title).strip("-"):
            raise forms.ValidationError(_("Le titre doit contenir des lettres ou des chiffres."))
        return title

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("La fin de la période doit suivre son début."))
        return cleaned
