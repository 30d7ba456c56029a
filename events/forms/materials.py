"""A material: slides or a document, or a link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event, Material
from intranet.text_policy import TextPolicyMixin
from intranet.uploads import document_check


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
