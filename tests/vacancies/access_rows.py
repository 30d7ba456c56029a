"""The vacancies app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

The board is for the administration's own agents: external partners are refused
everywhere (decision recorded in vacancies/permissions.py). The HR pages, expressions of
interest and CVs: rh and admin only."""

from django.core.files.base import ContentFile
from django.urls import reverse

from tests.access import FORBIDDEN, OK, Redirect, internal
from tests.vacancies.factories import ConcoursFactory, InterestFactory, VacancyFactory
from vacancies.demo import _cv_pdf
from vacancies.models import Vacancy


def _hr(**kw):
    """rh and admin only; other agents 403, partners 403, anonymous to the login page."""
    return internal(**{"default": FORBIDDEN, "rh": OK, "admin_user": OK, **kw})


def _vacancy(ctx):
    return {"pk": VacancyFactory().pk}


def _draft(ctx):
    return {"pk": VacancyFactory(status=Vacancy.Status.DRAFT, published_at=None).pk}


def _interest_with_cv(ctx):
    interest = InterestFactory()
    interest.cv.save("cv.pdf", ContentFile(_cv_pdf("Matrice")))
    return {"pk": interest.pk}


def _vacancy_page(ctx):
    return Vacancy.objects.get().get_absolute_url()


def _interests_page(ctx):
    return reverse("vacancies:vacancy-interests", args=[Vacancy.objects.get().pk])


def _concours(ctx):
    return {"pk": ConcoursFactory().pk}


ROWS: dict = {
    "vacancies:vacancy-list": internal(data={"q": "paie", "category": "B"}),
    "vacancies:vacancy-detail": internal(kwargs=_vacancy),
    # A draft is HR's: other agents get a 404 (the page does not exist for them yet).
    "vacancies:interest-create": internal(kwargs=_vacancy),
    "vacancies:my-interests": internal(),
    "intranet:picker-services-offres": internal(data={"q": "se"}),
    "intranet:picker-sites-offres": internal(data={"q": "si"}),
    "vacancies:concours-list": internal(),
    "vacancies:manage": _hr(),
    "vacancies:vacancy-create": _hr(),
    "vacancies:vacancy-update": _hr(kwargs=_draft),
    "vacancies:vacancy-publish": _hr(kwargs=_draft),
    "vacancies:vacancy-close": _hr(
        kwargs=_vacancy, method="post", rh=Redirect(_vacancy_page), admin_user=Redirect(_vacancy_page)
    ),
    "vacancies:vacancy-interests": _hr(kwargs=_vacancy),
    "vacancies:vacancy-interests-seen": _hr(
        kwargs=_vacancy, method="post", rh=Redirect(_interests_page), admin_user=Redirect(_interests_page)
    ),
    "vacancies:interest-cv": _hr(kwargs=_interest_with_cv),
    "vacancies:concours-create": _hr(),
    "vacancies:concours-update": _hr(kwargs=_concours),
    "vacancies:concours-status": _hr(
        kwargs=_concours,
        method="post",
        data={"status": "closed"},
        rh=Redirect("/emplois/gestion/"),
        admin_user=Redirect("/emplois/gestion/"),
    ),
}
