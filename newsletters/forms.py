"""Forms of the newsletter's editor pages: they validate; the services store."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content.selectors import NEWSLETTER_CHOICES, news_for_newsletter
from intranet.forms import InlineFormMixin
from intranet.images import PHOTO_MAX_SIDE, photo_validate
from intranet.models import OrgUnit
from intranet.pickers import PickerChoiceField
from intranet.text_policy import TextPolicyMixin
from intranet.widgets import RICH_TEXT_HELP, RichTextWidget
from newsletters.models import Block, Issue


class IssueForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["number", "title", "edito"]
        widgets = {"edito": forms.Textarea(attrs={"rows": 6})}


class BlockForm(TextPolicyMixin, forms.Form):
    """One form for every kind of block: only the fields the kind uses are kept."""

    FIELDS_BY_KIND = {
        Block.Kind.TEXT: ["title", "body"],
        Block.Kind.IMAGE: ["title", "image", "alt", "caption"],
        Block.Kind.TEAM: ["title", "org_unit", "body"],
        Block.Kind.AGENDA: ["title", "agenda"],
        Block.Kind.ARRIVALS: ["title"],
        Block.Kind.VACANCIES: ["title"],
        Block.Kind.SURVEY: ["title", "survey", "body"],
        Block.Kind.NEWS: ["title", "news"],
    }

    title = forms.CharField(
        label=_("Titre du bloc"),
        max_length=200,
        required=False,
        help_text=_("Facultatif : le nom du type de bloc sinon."),
    )
    body = forms.CharField(label=_("Texte"), required=False, widget=RichTextWidget(allow_list="rich_text"))
    image = forms.FileField(label=_("Image"), required=False)
    alt = forms.CharField(
        label=_("Texte alternatif"),
        max_length=300,
        required=False,
        help_text=_("Obligatoire : ce que montre l'image, pour qui ne la voit pas."),
    )
    caption = forms.CharField(label=_("Légende"), max_length=300, required=False)
    org_unit = PickerChoiceField(
        picker="services", kind="unit", label=_("Équipe présentée"), queryset=OrgUnit.objects.all(), required=False
    )
    survey = forms.ModelChoiceField(label=_("Questionnaire"), queryset=None, required=False)
    news = forms.ModelMultipleChoiceField(
        label=_("Actualités"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les dernières actualités publiées pour tous les agents ; leur titre, leur chapeau et un lien."),
    )
    agenda = forms.CharField(
        label=_("Dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Une date par ligne : « 03/12/2026 Réunion d'information au lycée Fabert »."),
    )

    def __init__(self, *args, kind: str, block: Block | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        from surveys.models import Survey

        self.fields["survey"].queryset = Survey.objects.exclude(status=Survey.Status.DRAFT).order_by("-pk")
        latest = list(news_for_newsletter().values_list("pk", flat=True)[:NEWSLETTER_CHOICES])
        chosen = block.data.get("news", []) if block is not None else []
        self.fields["news"].queryset = news_for_newsletter().filter(pk__in=[*latest, *chosen])
        self.fields["body"].help_text = RICH_TEXT_HELP
        self.fields["image"].help_text = gettext(
            "JPEG, PNG ou WebP, 5 Mo et %(side)s × %(side)s pixels au plus ; réenregistrée sans métadonnées, "
            "1200 pixels de côté au plus."
        ) % {"side": PHOTO_MAX_SIDE}
        keep = self.FIELDS_BY_KIND[kind]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if kind == Block.Kind.TEXT:
            self.fields["body"].required = True
        if kind == Block.Kind.IMAGE:
            self.fields["alt"].required = True
            self.fields["image"].required = block is None or not block.image
        if kind == Block.Kind.TEAM:
            self.fields["org_unit"].required = True
            self.fields["body"].label = _("Ce que fait l'équipe, comment elle fait vivre nos valeurs")
        if kind == Block.Kind.SURVEY:
            self.fields["survey"].required = True
            self.fields["body"].label = _("Texte d'invitation")
        if kind == Block.Kind.AGENDA:
            self.fields["agenda"].required = True
        if kind == Block.Kind.NEWS:
            self.fields["news"].required = True

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image:
            photo_validate(image)
        return image

    def clean_agenda(self):
        from newsletters.services.blocks import agenda_parse

        agenda_parse(self.cleaned_data["agenda"])  # the line-by-line French error, before the service
        return self.cleaned_data["agenda"]

    def values(self) -> dict:
        values = {name: self.cleaned_data.get(name) for name in self.fields if name not in ("image", "news")}
        values["image"] = self.cleaned_data.get("image") or None
        if "news" in self.fields:
            values["news"] = [news.pk for news in self.cleaned_data.get("news") or []]
        return values


class SendForm(TextPolicyMixin, forms.Form):
    when = forms.ChoiceField(
        label=_("Quand ?"),
        widget=forms.RadioSelect,
        initial="now",
        choices=[("now", _("Envoyer maintenant")), ("later", _("Programmer l'envoi"))],
    )
    at = forms.DateTimeField(
        label=_("Date et heure d'envoi"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Seulement pour un envoi programmé."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "later":
            at = cleaned.get("at")
            if at is None:
                self.add_error("at", _("Indiquez la date et l'heure de l'envoi programmé."))
            elif at <= timezone.now():
                self.add_error("at", _("La date d'envoi doit être dans le futur."))
        else:
            cleaned["at"] = None
        return cleaned

    @property
    def scheduled_at(self) -> datetime | None:
        return self.cleaned_data.get("at")


class ArchiveSearchForm(TextPolicyMixin, InlineFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Rechercher dans les numéros"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    inline_columns = {"q": "col-md-8"}
