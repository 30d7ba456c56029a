"""Forms of the content app: they validate; services write."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import Answer, Document, Folder, News, Page, Question
from intranet.forms import InlineFormMixin
from intranet.images import photo_validate
from intranet.models import Agent
from intranet.pickers import PickerChoiceField, as_picker
from intranet.text_policy import TextPolicyMixin
from intranet.uploads import document_check
from intranet.widgets import RICH_TEXT_HELP, RichTextWidget

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewsForm(TextPolicyMixin, forms.ModelForm):
    image = forms.ImageField(
        label=_("Image"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 5 Mo au plus ; elle est réenregistrée sans ses métadonnées."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_image = forms.BooleanField(label=_("Retirer l'image actuelle"), required=False)
    expires_at = forms.DateTimeField(
        label=_("Retirée de l'accueil le"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=DATETIME_WIDGET,
        help_text=_("Facultatif : l'actualité quitte alors la page d'accueil ; elle reste dans les archives."),
    )

    class Meta:
        model = News
        fields = ["title", "summary", "body", "image", "image_alt", "featured", "expires_at"]
        widgets = {"body": RichTextWidget(allow_list="rich_text"), "summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"body": RICH_TEXT_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance.pk and self.instance.image):
            del self.fields["remove_image"]
        self.fields["featured"].help_text = _("Les actualités à la une s'affichent en premier sur la page d'accueil.")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image:
            photo_validate(image)
        return image


class PublishForm(TextPolicyMixin, forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publier le"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=DATETIME_WIDGET,
        help_text=_("Laissez vide pour publier maintenant ; une date à venir programme la publication."),
    )

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value and value < timezone.now() - timedelta(minutes=5):
            raise forms.ValidationError(_("Choisissez une date à venir, ou laissez vide pour publier maintenant."))
        return value


class ReturnForm(TextPolicyMixin, forms.Form):
    note = forms.CharField(
        label=_("Ce qu'il faut changer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("L'auteur le reçoit par courriel et retrouve son brouillon dans « À faire »."),
    )


class EditorAddForm(TextPolicyMixin, forms.Form):
    agent = PickerChoiceField(picker="agents", kind="agent", label=_("Agent"), queryset=Agent.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = Agent.objects.active().internal()


class NewsFilterForm(TextPolicyMixin, InlineFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Mots-clés"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    year = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int, empty_value=None)
    featured = forms.BooleanField(label=_("À la une seulement"), required=False)
    inline_columns = {"q": "col-md-5", "year": "col-md-2", "featured": "col-md-3 pb-2"}

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Toutes"))] + [(year, str(year)) for year in years]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"query": data.get("q", ""), "year": data.get("year"), "featured": bool(data.get("featured"))}


class PageForm(TextPolicyMixin, forms.ModelForm):
    """A page's title and text; communication also places it in the tree and names its owner."""

    note = forms.CharField(
        label=_("Ce qui a changé"),
        max_length=300,
        required=False,
        help_text=_("Une phrase pour l'historique de la page, par exemple « Mise à jour des horaires »."),
    )

    class Meta:
        model = Page
        fields = ["title", "body", "parent", "position", "owner"]
        widgets = {"body": RichTextWidget(allow_list="guide", attrs={"rows": 18})}
        help_texts = {"body": RICH_TEXT_HELP}

    def __init__(self, *args, manage: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not manage:
            for name in ("parent", "position", "owner"):
                del self.fields[name]
            return
        pages = Page.objects.only("pk", "title").order_by("title")
        if self.instance.pk:
            pages = pages.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = pages
        self.fields["parent"].empty_label = _("Aucune : page de premier niveau")
        self.fields["owner"] = as_picker(self.fields["owner"], picker="agents", kind="agent")
        self.fields["position"].help_text = _("Les pages d'un même niveau sont rangées par position, puis par titre.")


class FolderForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = Folder
        fields = ["title", "description", "parent", "moderator", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        folders = Folder.objects.only("pk", "title").order_by("title")
        if self.instance.pk:
            folders = folders.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = folders
        self.fields["parent"].empty_label = _("Aucun : dossier de premier niveau")
        self.fields["moderator"] = as_picker(self.fields["moderator"], picker="agents", kind="agent")


class DocumentForm(TextPolicyMixin, forms.ModelForm):
    """A document's description; its first file when it is new."""

    file = forms.FileField(
        label=_("Fichier"),
        help_text=_(
            "PDF, Word, Excel, PowerPoint (.docx, .xlsx, .pptx), OpenDocument ou image JPEG, PNG, WebP ; "
            "20 Mo au plus, sans macros."
        ),
    )

    class Meta:
        model = Document
        fields = ["title", "description", "folder", "owner", "review_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "review_on": DATE_WIDGET}

    def __init__(self, *args, folders=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["file"]
        if folders is None:
            del self.fields["folder"]
        else:
            self.fields["folder"].queryset = folders
        self.fields["owner"] = as_picker(self.fields["owner"], picker="agents", kind="agent")
        self.fields["owner"].help_text = _("Garde le document à jour ; vous, si personne n'est choisi.")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            document_check(upload)  # the French reason, on the field, before the service
        return upload


class VersionForm(TextPolicyMixin, forms.Form):
    file = forms.FileField(label=_("Nouvelle version du fichier"), help_text=DocumentForm.base_fields["file"].help_text)
    note = forms.CharField(
        label=_("Ce qui a changé"),
        max_length=300,
        required=False,
        help_text=_("Une phrase pour les lecteurs, par exemple « Mise à jour des contacts »."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            document_check(upload)
        return upload


# --- The managers' questions and answers


class QuestionForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["title", "body"]
        widgets = {"body": RichTextWidget(allow_list="rich_text")}
        help_texts = {
            "title": _("En une phrase, par exemple « Comment organiser un entretien de recadrage à distance ? »"),
            "body": _("Facultatif : le contexte, ce que vous avez déjà essayé."),
        }


class AnswerForm(TextPolicyMixin, forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["body"]
        widgets = {"body": RichTextWidget(allow_list="rich_text")}
        help_texts = {"body": _("La personne qui a posé la question est prévenue par courriel.")}


class HideForm(TextPolicyMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple « propos personnels sur un agent » : il reste visible des modérateurs."),
    )
