"""The vacancies app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

The board is for the administration's own agents: external partners are refused
everywhere (decision recorded in vacancies/permissions.py). HR pages: rh and admin only."""

from tests.access import internal
from tests.vacancies.factories import VacancyFactory

ROWS: dict = {
    "vacancies:vacancy-detail": internal(kwargs=lambda ctx: {"pk": VacancyFactory().pk}),
}
