"""What every app's views share: a page of a list, a service's error on a form or in a message."""

import hashlib
from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from intranet.kept import KeptFragment
from intranet.templatetags.form_a11y import form_failed


def paginate(request, items, per_page: int, *, param: str = "page") -> Page:
    """The page of `items` the request asks for (`?page=N`): the last one past the end, the first
    when N is not a number. Drawn by `templates/components/pagination.html`."""
    return Paginator(items, per_page).get_page(request.GET.get(param))


def digest(*parts) -> str:
    """A short token standing for `parts` in a kept fragment's key (intranet.kept): what a reader
    typed, the links offered to them; "" when every part is empty."""
    if not any(parts):
        return ""
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def query_digest(request) -> str:
    """The request's query string in a kept fragment's key: a list's filters and page, and any
    other parameter (its pagination's links keep them all, in their order); "" for none."""
    return digest(*request.GET.lists())


_FAILED_FORM = "<!-- a form of this fragment failed -->"


def kept_partial(
    fragment: KeptFragment, *vary, request, template_name: str, context: Callable[[], dict]
) -> tuple[SafeString, bool]:
    """A page's partial (`"page.html#name"`) drawn from `context()` with the request, kept by
    `fragment` for `vary` (intranet.kept); and whether a bound form in it failed, kept with it: the
    page's title says so (« Erreur : », templatetags.form_a11y) when the fragment is read as kept."""

    def render() -> str:
        values = context()
        html = render_to_string(template_name, values, request)
        return _FAILED_FORM + html if any(form_failed(value) for value in values.values()) else html

    html = fragment.html(*vary, render=render)
    if html.startswith(_FAILED_FORM):
        return mark_safe(html[len(_FAILED_FORM) :]), True  # noqa: S308 - rendered by our templates
    return html, False


class ReaderSlot:
    """Where a reader's own part goes in a kept fragment (intranet.kept keeps no form: its CSRF token
    is the reader's): the fragment is drawn with `marker` in that place, and `fill` puts the part
    drawn for this reader there at each visit."""

    def __init__(self, name: str):
        self.marker = mark_safe(f"<!-- {name} -->")  # noqa: S308 - a constant of ours

    def fill(self, page: str, html: str) -> SafeString:
        return mark_safe(page.replace(self.marker, html, 1))  # noqa: S308 - both drawn by our templates


class Counted(Sequence):
    """A queryset whose length is already known (kept with other derived data), for the
    paginator: `count()` asks no query; a slice is the queryset's (only that page is read)."""

    def __init__(self, items, count: int):
        self._items = items
        self._count = count

    @property
    def ordered(self) -> bool:  # read by the paginator's check for an unordered list
        return self._items.ordered

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self._items[index]


def form_add_service_error(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field when it names one of the
    form's fields, on the form otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def service_error_text(error: ValidationError) -> str:
    """A service's ValidationError as one sentence, for a message."""
    return " ".join(error.messages)
