"""What every app's views share: a page of a list, a service's error on a form or in a message."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator


def paginate(request, items, per_page: int, *, param: str = "page") -> Page:
    """The page of `items` the request asks for (`?page=N`): the last one past the end, the first
    when N is not a number. Drawn by `templates/components/pagination.html`."""
    return Paginator(items, per_page).get_page(request.GET.get(param))


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
