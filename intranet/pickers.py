"""Search-as-you-type choices among agents, units, sites and skills (RGAA, and pages that stay
fast at 10,000 agents): never a `<select>` of every agent.

- An app registers a `Picker` (intranet.registry): its key, what it chooses among, who may search.
- Its form field is `PickerChoiceField(picker=key, queryset=…)` (or the multiple one): the page
  renders a `<select>` holding only the chosen values, which static/js/pickers.js turns into a
  Tom Select (django-tomselect's static build) searching `/choix/<key>/?q=…` as the person types.
- Without JavaScript, a text field stands beside it: the name typed is looked up on the server
  when the form is sent (one match: chosen; several: the error names them).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import View

from intranet.directory.search import (
    Name,
    Norm,
    agents_matching,
    is_postgresql,
    normalise,
    query_parse,
    sqlite_functions_register,
)
from intranet.directory.search_terms import score
from intranet.registry import Picker, registry
from intranet.selectors import agent_list_visible_to

RESULTS = 20
QUERY_MAX = 100
RANKED_AT_MOST = 2000  # matches ranked for a short query; beyond, the person types one more letter


def choice_label(kind: str, obj) -> str:
    if kind == "agent":
        unit = f" — {obj.org_unit.name}" if obj.org_unit_id else ""
        return f"{obj.last_name} {obj.first_name}{unit}"
    if kind == "unit":
        return f"{obj.name} ({obj.short_name})" if obj.short_name else obj.name
    if kind == "site":
        return f"{obj.name} ({obj.city})" if obj.city else obj.name
    return str(obj)


def _named_matching(kind: str, choices: QuerySet, query: str) -> QuerySet:
    """Units, sites, skills: every word of the query in the name (accents and case ignored), or a
    unit's acronym, or a site's town."""
    if not is_postgresql():
        sqlite_functions_register()
    terms = query_parse(query).terms
    choices = choices.alias(n_name=Norm("name"))
    if kind == "unit":
        choices = choices.alias(n_short=Norm("short_name"))
    if kind == "site":
        choices = choices.alias(n_city=Norm("city"))
    for term in terms:
        match = Q(n_name__contains=term)
        if kind == "unit":
            match |= Q(n_short=term)
        if kind == "site":
            match |= Q(n_city__contains=term)
        choices = choices.filter(match)
    return choices.order_by("name", "pk")


def _agents_by_name(agents: QuerySet, query: str, limit: int) -> list:
    """A person is picked by name: every word of the query in the first or last name (a word's
    beginning for one or two letters), ranked as the directory ranks names. Cheaper than the
    directory's search (no service, site, skill nor job title), which stays the fallback for a
    typo (PostgreSQL's trigram similarity)."""
    loaded = agents.select_related("org_unit").only("pk", "first_name", "last_name", "org_unit_id", "org_unit__name")
    parsed = query_parse(query)
    if not parsed.terms:
        return list(loaded.order_by("last_name", "first_name", "pk")[:limit])
    if not is_postgresql():
        sqlite_functions_register()
    matches = agents.alias(n_name=Name("first_name", "last_name"))
    for term in parsed.terms:
        if len(term) < 3:
            word_start = Q(n_name__startswith=term) | Q(n_name__contains=f" {term}") | Q(n_name__contains=f"-{term}")
            matches = matches.filter(word_start)
        else:
            matches = matches.filter(n_name__contains=term)
    rows = list(matches.order_by().values_list("pk", "first_name", "last_name")[:RANKED_AT_MOST])
    if not rows:
        return list(agents_matching(loaded, query)[:limit])
    rows.sort(key=lambda r: (-score(parsed.terms, r[1], r[2], ""), normalise(r[2]), normalise(r[1]), r[0]))
    pks = [pk for pk, _, _ in rows[:limit]]
    found = loaded.in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def choices_matching(kind: str, choices: QuerySet, query: str, *, limit: int = RESULTS) -> list:
    if kind == "agent":
        return _agents_by_name(choices, query, limit)
    return list(_named_matching(kind, choices, query)[:limit])


def picker_search(*, picker: Picker, user, query: str, limit: int = RESULTS) -> list[tuple[int, str]]:
    """(pk, label) of the best `limit` choices of `picker` matching `query` that `user` may see."""
    choices = picker.queryset()
    if picker.kind == "agent":
        choices = choices & agent_list_visible_to(user=user)
    return [
        (obj.pk, choice_label(picker.kind, obj)) for obj in choices_matching(picker.kind, choices, query, limit=limit)
    ]


class PickerSearchView(LoginRequiredMixin, View):
    """GET /choix/<key>/?q=… → {"results": [{"value", "text"}]}: the picker's JSON."""

    picker_key: str = ""

    def get(self, request):
        picker = registry.pickers[self.picker_key]
        if not picker.visible(request.user):
            raise PermissionDenied
        query = request.GET.get("q", "")[:QUERY_MAX]
        results = picker_search(picker=picker, user=request.user, query=query)
        return JsonResponse({"results": [{"value": str(pk), "text": label} for pk, label in results]})


# --- Form fields and widgets ---------------------------------------------------------------


class TypedText(str):
    """What was typed in the fallback text field, when nothing was chosen in the list."""


def _fallback_name(name: str) -> str:
    return f"{name}__recherche"


class _PickerWidgetMixin:
    template_name = "components/widgets/picker.html"
    picker_key = ""
    kind = ""

    class Media:
        css = {"all": ["django_tomselect/vendor/tom-select/css/tom-select.bootstrap5.min.css"]}
        js = ["django_tomselect/js/django-tomselect.min.js", "js/pickers.js"]

    def optgroups(self, name, value, attrs=None):
        """Only the chosen values: the others come from the search (rendering every agent is what
        made these pages take seconds)."""
        chosen = [v for v in value if v and not isinstance(v, TypedText)]
        iterator = self.choices
        options = []
        if not self.allow_multiple_selected and getattr(iterator.field, "empty_label", None) is not None:
            options.append(self.create_option(name, "", iterator.field.empty_label, not chosen, 0, attrs=attrs))
        if chosen:
            found = iterator.queryset.filter(pk__in=[v for v in chosen if str(v).isdigit()])
            if self.kind == "agent":
                found = found.select_related("org_unit")
            for index, obj in enumerate(found, start=len(options)):
                options.append(self.create_option(name, obj.pk, choice_label(self.kind, obj), True, index, attrs=attrs))
        return [(None, options, 0)]

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        classes = widget["attrs"].get("class", "").split()
        if "form-select" not in classes:
            widget["attrs"]["class"] = " ".join([*classes, "form-select"])
        widget["attrs"]["data-picker"] = reverse(f"intranet:picker-{self.picker_key}")
        widget["attrs"]["data-picker-placeholder"] = str(_("Tapez au moins deux lettres…"))
        widget["attrs"]["data-picker-no-results"] = str(_("Aucun résultat"))
        widget["attrs"]["data-picker-loading"] = str(_("Recherche…"))
        widget["attrs"]["data-picker-remove"] = str(_("Retirer"))
        values = value if isinstance(value, list | tuple) else [value]
        typed = next((v for v in values if isinstance(v, TypedText)), "")
        widget["fallback"] = {
            "name": _fallback_name(name),
            "id": f"{widget['attrs'].get('id', name)}{'__recherche'}",
            "value": typed,
        }
        return context

    def value_from_datadict(self, data, files, name):
        chosen = super().value_from_datadict(data, files, name)
        typed = (data.get(_fallback_name(name)) or "").strip()[:QUERY_MAX]
        if not typed:
            return chosen
        if self.allow_multiple_selected:
            return [*(chosen or []), TypedText(typed)]
        return chosen or TypedText(typed)

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and _fallback_name(name) not in data


class PickerSelect(_PickerWidgetMixin, forms.Select):
    pass


class PickerSelectMultiple(_PickerWidgetMixin, forms.SelectMultiple):
    pass


def _resolve(kind: str, queryset: QuerySet, typed: str):
    found = choices_matching(kind, queryset, typed, limit=6)
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(_("Rien ne correspond à « %(text)s » : vérifiez l'orthographe."), params={"text": typed})
    names = ", ".join(choice_label(kind, obj) for obj in found[:5])
    raise ValidationError(
        _("Plusieurs choix correspondent à « %(text)s » (%(names)s…) : précisez."),
        params={"text": typed, "names": names},
    )


class _PickerFieldMixin:
    def _wire(self, picker: str, kind: str) -> None:
        self.picker_key, self.kind = picker, kind
        self.widget.picker_key, self.widget.kind = picker, kind

    def label_from_instance(self, obj):
        return choice_label(self.kind, obj)


class PickerChoiceField(_PickerFieldMixin, forms.ModelChoiceField):
    """A ModelChoiceField chosen by searching (see the module)."""

    widget = PickerSelect

    def __init__(self, *, picker: str, kind: str = "agent", **kwargs):
        super().__init__(**kwargs)
        self._wire(picker, kind)

    def to_python(self, value):
        if isinstance(value, TypedText):
            return _resolve(self.kind, self.queryset, value)
        return super().to_python(value)


class PickerMultipleChoiceField(_PickerFieldMixin, forms.ModelMultipleChoiceField):
    widget = PickerSelectMultiple

    def __init__(self, *, picker: str, kind: str = "agent", **kwargs):
        super().__init__(**kwargs)
        self._wire(picker, kind)

    def clean(self, value):
        values = list(value or [])
        typed = [v for v in values if isinstance(v, TypedText)]
        chosen = [v for v in values if not isinstance(v, TypedText)]
        extra = [_resolve(self.kind, self.queryset, text).pk for text in typed]
        return super().clean([*chosen, *extra])


def as_picker(field: forms.ModelChoiceField, *, picker: str, kind: str) -> forms.ModelChoiceField:
    """The same field (label, help, required, choices), searched as one types: for a ModelForm's
    generated field, e.g. `self.fields["org_unit"] = as_picker(self.fields["org_unit"], …)`."""
    common = {
        "picker": picker,
        "kind": kind,
        "queryset": field.queryset,
        "label": field.label,
        "required": field.required,
        "help_text": field.help_text,
        "initial": field.initial,
    }
    if isinstance(field, forms.ModelMultipleChoiceField):
        return PickerMultipleChoiceField(**common)
    return PickerChoiceField(**common, empty_label=field.empty_label)
