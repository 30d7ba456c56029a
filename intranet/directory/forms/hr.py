"""HR's forms: the import's upload, the org chart's unit edit and merge."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from intranet.directory.services.orgchart import orgunit_descendant_ids
from intranet.models import Agent, OrgUnit
from intranet.pickers import PickerChoiceField
from intranet.text_policy import TextPolicyMixin

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_EXTENSIONS = (".csv", ".txt", ".xlsx")


class _CrispyForm:
    def _crispy(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


def _unit_picker(*, exclude: set[int], **kwargs) -> PickerChoiceField:
    """A unit searched as one types (500 units at the reference size), never `exclude` (the unit
    itself and its sub-units: a cycle), refused with a French reason if chosen all the same."""
    return PickerChoiceField(
        picker="services",
        kind="unit",
        queryset=OrgUnit.objects.exclude(pk__in=exclude),
        error_messages={
            "invalid_choice": _("Une unité ne peut pas être rattachée à elle-même ni à l'une de ses sous-unités.")
        },
        **kwargs,
    )


class ImportUploadForm(TextPolicyMixin, _CrispyForm, forms.Form):
    file = forms.FileField(
        label=_("Fichier exporté du logiciel RH (CSV ou XLSX)"),
        help_text=_(
            "Colonnes : Matricule, Nom, Prénom, E-mail, Fonction, Service, Site, Matricule du responsable, "
            "Date d'arrivée, Date de départ (et, si vous les avez : Téléphone, Catégorie, Statut, Filière). "
            "10 Mo au plus."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._crispy()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_EXTENSIONS):
            raise forms.ValidationError(_("Choisissez un fichier CSV ou XLSX."))
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 10 Mo."))
        return upload


class ImportApplyForm(TextPolicyMixin, forms.Form):
    create_units = forms.BooleanField(
        label=_("Créer les services et sites inconnus listés ci-dessus"),
        required=False,
    )


class UnitForm(TextPolicyMixin, _CrispyForm, forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "short_name", "kind", "parent", "site", "head"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.instance
        exclude = {unit.pk, *orgunit_descendant_ids(unit=unit)} if unit.pk else set()
        self.fields["parent"] = _unit_picker(
            label=_("Unité parente"),
            required=False,
            exclude=exclude,
            initial=unit.parent_id,
            help_text=_("Laissez vide pour une unité de premier niveau."),
        )
        if unit.pk:
            # The head is one of the unit's members (or the current head), searched as one types.
            members = Agent.objects.active().filter(org_unit=unit) | Agent.objects.filter(pk=unit.head_id)
            self.fields["head"] = PickerChoiceField(
                picker="agents",
                queryset=members.distinct(),
                label=self.fields["head"].label,
                required=False,
                initial=unit.head_id,
                help_text=_("Un agent du service ; affectez-le d'abord s'il n'en fait pas partie."),
                error_messages={
                    "invalid_choice": _(
                        "Cet agent n'est pas membre du service : affectez-le d'abord au service, puis nommez-le."
                    )
                },
            )
        else:
            del self.fields["head"]
        self._crispy()


class UnitMergeForm(TextPolicyMixin, _CrispyForm, forms.Form):
    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        exclude = {unit.pk, *orgunit_descendant_ids(unit=unit)}
        self.fields["target"] = _unit_picker(
            label=_("Fusionner dans"),
            exclude=exclude,
            help_text=_(
                "Ses agents, ses sous-unités et les fiches actions qui la citent passent à l'unité choisie ; "
                "l'unité fusionnée est supprimée."
            ),
        )
        self._crispy()
