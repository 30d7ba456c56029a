"""Widgets shared by every app's forms: the rich-text editor (django-prose-editor's ProseMirror
build, started by our own module under the CSP) and the search-as-you-type pickers."""

import json

from django import forms
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intranet.sanitize import ALLOW_LISTS


def _editor_labels() -> dict[str, str]:
    """The editor's toolbar speaks English: its buttons' names, in the page's language."""
    return {
        "bold": _("Gras"),
        "italic": _("Italique"),
        "underline": _("Souligné"),
        "unordered list": _("Liste à puces"),
        "ordered list": _("Liste numérotée"),
        "List properties": _("Numérotation de la liste"),
        "blockquote": _("Citation"),
        "paragraph": _("Paragraphe"),
        "heading 2": _("Titre de niveau 2"),
        "heading 3": _("Titre de niveau 3"),
        "heading 4": _("Titre de niveau 4"),
        "insert link": _("Insérer un lien"),
        "remove link": _("Retirer le lien"),
        "undo": _("Annuler"),
        "redo": _("Rétablir"),
        "Insert table": _("Insérer un tableau"),
        "Add column": _("Ajouter une colonne"),
        "Delete column": _("Supprimer la colonne"),
        "Add row": _("Ajouter une ligne"),
        "Delete row": _("Supprimer la ligne"),
        "Merge cells": _("Fusionner les cellules"),
        "Split cell": _("Scinder la cellule"),
        "Toggle header cell": _("Cellule d'en-tête"),
        "Toggle fullscreen": _("Plein écran"),
        # The link and table dialogs.
        "URL": _("Adresse (URL)"),
        "Title": _("Titre du lien (facultatif)"),
        "Edit Link": _("Lien"),
        "Update": _("Valider"),
        "Insert": _("Insérer"),
        "Cancel": _("Annuler"),
        "Rows": _("Lignes"),
        "Columns": _("Colonnes"),
        "Include header row": _("Avec une ligne d'en-tête"),
        "Insert Table": _("Insérer un tableau"),
        "Table Properties": _("Tableau"),
        "toolbar": _("Mise en forme du texte"),
    }


RICH_TEXT_HELP = gettext_lazy(
    "Mettez en forme avec la barre d'outils ou au clavier : Ctrl+B gras, Ctrl+I italique, "
    "Ctrl+Alt+2, 3 ou 4 titre, Ctrl+Maj+8 liste à puces, Ctrl+Maj+7 liste numérotée. "
    "Ce qui n'est pas proposé (couleurs, polices, scripts) est retiré à l'enregistrement."
)

# The toolbar: every group as buttons (no drop-down list, whose keyboard use is poor).
MENU_GROUPS = [
    {"group": "blockType -lists"},
    {"group": "lists"},
    {"group": "nodes -blockType -lists"},
    {"group": "marks"},
    {"group": "link"},
    {"group": "table"},
    {"group": "history"},
]


class RichTextWidget(forms.Textarea):
    """A textarea that becomes a rich-text editor offering exactly what `allow_list` keeps
    (intranet/sanitize.py). Without JavaScript it stays a textarea of simple HTML; the services
    sanitise on save either way."""

    def __init__(self, *, allow_list: str = "rich_text", attrs=None):
        self.allow_list = allow_list
        super().__init__(attrs={"rows": 12, **(attrs or {})})

    @property
    def media(self):
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                ]
            },
            js=[forms.Script("js/rich-text.js", type="module")],
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        extensions = {
            "Document": True,
            "Paragraph": True,
            "Text": True,
            "Dropcursor": True,
            "Gapcursor": True,
            "History": True,
            "Menu": {"groups": MENU_GROUPS},
            **ALLOW_LISTS[self.allow_list].editor,
        }
        context["widget"]["attrs"]["data-rich-text"] = json.dumps(
            {
                "module": static("django_prose_editor/editor.js"),
                "extensions": extensions,
                "labels": _editor_labels(),
            },
            separators=(",", ":"),
        )
        return context

    def use_required_attribute(self, initial):
        return False  # the textarea is hidden behind the editor: the browser could not point at it
