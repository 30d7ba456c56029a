"""Reads of the vacancies board, with what each page needs loaded in a fixed number of queries."""

from django.db.models import QuerySet

from vacancies.models import Vacancy


def vacancy_list_open() -> QuerySet[Vacancy]:
    """Open vacancies (published, deadline today or later), soonest deadline first.

    The contract used by the newsletter's "open vacancies" block and the home slot."""
    return Vacancy.objects.open().select_related("org_unit", "site").order_by("deadline", "pk")
