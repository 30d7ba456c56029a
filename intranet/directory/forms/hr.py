"""HR's forms: the import's upload, the org chart's unit edit and merge."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from intranet.directory.importer import UnitIndex
from intranet.directory.services.orgchart import orgunit_descendant_ids
from intranet.models import Agent, OrgUnit
from intranet.text_policy import TextPolicyMixin

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_EXTENSIONS = (".csv", ".txt", ".xlsx")


class _CrispyForm:
    def _crispy(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class UnitChoiceField(forms.ModelChoiceField):
    """Units labelled by their path ("Pôle / Direction / Service"), sorted by it."""

    def __init__(self, *args, exclude: set[int] = frozenset(), **kwargs):
        units = list(OrgUnit.objects.exclude(pk__in=exclude).only("pk", "name", "short_name", "parent_id"))
        index = UnitIndex(OrgUnit.objects.only("pk", "name", "short_name", "parent_id"))
        self._labels = {unit.pk: " / ".join(index.paths[unit.pk]) for unit in units}
        super().__init__(*args, queryset=OrgUnit.objects.exclude(pk__in=exclude), **kwargs)
        self.choices = [
            ("", "---------"),
            *sorted(((pk, label) for pk, label in self._labels.items()), key=lambda choice: choice[1].lower()),
        ]

    def label_from_instance(self, obj):
        return self._labels.get(obj.pk, str(obj))


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
        self.fields["parent"] = UnitChoiceField(
            label=_("Unité parente"),
            required=False,
            exclude=exclude,
            initial=unit.parent_id,
            help_text=_("Laissez vide pour une unité de premier niveau."),
        )
        if unit.pk:
            # The head is chosen among the unit's members (and the current head): a short list.
            members = Agent.objects.active().filter(org_unit=unit) | Agent.objects.filter(pk=unit.head_id)
            self.fields["head"].queryset = members.distinct().order_by("last_name", "first_name")
            self.fields["head"].help_text = _("Un agent du service ; affectez-le d'abord s'il n'en fait pas partie.")
        else:
            del self.fields["head"]
        self._crispy()


class UnitMergeForm(TextPolicyMixin, _CrispyForm, forms.Form):
    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        exclude = {unit.pk, *orgunit_descendant_ids(unit=unit)}
        self.fields["target"] = UnitChoiceField(
            label=_("Fusionner dans"),
            exclude=exclude,
            help_text=_(
                "Ses agents, ses sous-unités et les fiches actions qui la citent passent à l'unité choisie ; "
                "l'unité fusionnée est supprimée."
            ),
        )
        self._crispy()
