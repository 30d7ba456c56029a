"""Reads of the vacancies board, with what each page needs loaded in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.audiences import unit_ids_with_descendants
from intranet.directory.search import Norm, is_postgresql, normalise, query_parse, sqlite_functions_register
from intranet.fulltext import text_match
from intranet.kept import KeptFragment
from intranet.models import OrgUnit, Site
from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset
from vacancies.models import Concours, Interest, Vacancy
from vacancies.permissions import can_browse_vacancies, can_manage_vacancies

# The board's filters and list (vacancies.views.board), kept for everyone with the same filters,
# page and interests: the vacancies and the names of their services and sites.
VACANCY_BOARD = KeptFragment("vacancies-board", changes_with=("vacancies.Vacancy", "intranet.OrgUnit", "intranet.Site"))


def vacancy_ids_of_interest(*, agent) -> list[int]:
    """The vacancies the agent expressed interest in (the board marks them), in order."""
    return list(Interest.objects.filter(agent=agent).order_by("vacancy_id").values_list("vacancy_id", flat=True))


def vacancy_list_open() -> QuerySet[Vacancy]:
    """Open vacancies (published, deadline today or later), soonest deadline first.

    The contract used by the newsletter's "open vacancies" block and the home slot."""
    return Vacancy.objects.open().select_related("org_unit", "site").order_by("deadline", "pk")


@dataclass(frozen=True)
class UnitChoice:
    pk: int
    label: str


def vacancy_filter_choices() -> dict:
    """The services (with the units above them, to filter a whole direction) and sites of
    the open vacancies, for the filter form: three queries whatever the size."""
    open_units = set(Vacancy.objects.open().values_list("org_unit_id", flat=True))
    units = {pk: (name, parent_id) for pk, name, parent_id in OrgUnit.objects.values_list("pk", "name", "parent_id")}
    wanted: set[int] = set()
    for pk in open_units:
        current = pk
        while current is not None and current not in wanted and current in units:
            wanted.add(current)
            current = units[current][1]
    site_ids = Vacancy.objects.open().exclude(site=None).values("site_id")
    return {
        "units": sorted((UnitChoice(pk=pk, label=units[pk][0]) for pk in wanted), key=lambda u: normalise(u.label)),
        "sites": list(Site.objects.filter(pk__in=site_ids).order_by("name")),
    }


def vacancy_filter_units() -> QuerySet[OrgUnit]:
    """The board's service filter: the services of the open vacancies and the units above them."""
    return OrgUnit.objects.filter(pk__in=[unit.pk for unit in vacancy_filter_choices()["units"]])


def vacancy_filter_sites() -> QuerySet[Site]:
    return Site.objects.filter(pk__in=Vacancy.objects.open().exclude(site=None).values("site_id"))


def _text_filter(query: str) -> Q | None:
    parsed = query_parse(query)
    if not parsed.terms:
        return None
    if not is_postgresql():
        sqlite_functions_register()
    condition = Q()
    for term in parsed.terms:
        condition &= Q(_n_text__contains=term)
    return condition


def vacancy_list_browse(
    *, user, q: str = "", unit: int | None = None, site: int | None = None, category: str = ""
) -> QuerySet[Vacancy]:
    """Open vacancies matching the agent's filters: words (accents and case ignored) in the
    title, description, grade, reference or service; a service and the units under it; a site;
    a category. Each vacancy carries `has_interest` (this agent already expressed interest)."""
    vacancies = vacancy_list_open()
    if unit:
        vacancies = vacancies.filter(org_unit_id__in=unit_ids_with_descendants([unit]))
    if site:
        vacancies = vacancies.filter(site_id=site)
    if category:
        vacancies = vacancies.filter(category=category)
    text = _text_filter(q)
    if text is not None:
        vacancies = vacancies.annotate(
            # One normalised text per row (unaccent is the cost), searched for every word.
            _n_text=Norm(
                Concat(
                    "title",
                    Value(" "),
                    "grade",
                    Value(" "),
                    "reference",
                    Value(" "),
                    "org_unit__name",
                    Value(" "),
                    "description",
                    output_field=CharField(),
                )
            ),
        ).filter(text)
    return vacancies.annotate(
        has_interest=Exists(Interest.objects.filter(vacancy=OuterRef("pk"), agent=user)),
    )


def vacancy_get_for(*, user, pk: int) -> Vacancy | None:
    """A vacancy as `user` may see it: agents see published and closed ones, HR drafts too."""
    vacancies = Vacancy.objects.select_related("org_unit", "site", "contact_agent", "short_period_confirmed_by")
    if not can_manage_vacancies(user):
        vacancies = vacancies.exclude(status=Vacancy.Status.DRAFT)
    return vacancies.filter(pk=pk).first()


def interest_of(*, vacancy, agent) -> Interest | None:
    return Interest.objects.filter(vacancy=vacancy, agent=agent).first()


def interest_list_of_agent(*, agent) -> QuerySet[Interest]:
    return Interest.objects.filter(agent=agent).select_related("vacancy", "vacancy__org_unit", "vacancy__site")


def vacancy_list_manage() -> QuerySet[Vacancy]:
    """Every vacancy for HR, with its number of expressions of interest, latest deadline first."""
    return (
        Vacancy.objects.select_related("org_unit", "site")
        .annotate(interest_count=Count("interests"))
        .order_by("-deadline", "-pk")
    )


def interest_list_for_vacancy(*, vacancy) -> QuerySet[Interest]:
    """The vacancy's expressions of interest, each with `is_new` (received since HR last marked
    them read)."""
    new = Q(created_at__gt=vacancy.interests_seen_at) if vacancy.interests_seen_at else Q(pk__isnull=False)
    return (
        vacancy.interests.select_related("agent", "agent__org_unit", "agent__site")
        .annotate(is_new=ExpressionWrapper(new, output_field=BooleanField()))
        .order_by("created_at", "pk")
    )


_NEW_INTEREST = Q(vacancy__interests_seen_at__isnull=True) | Q(created_at__gt=F("vacancy__interests_seen_at"))


def todo_interests(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire », for HR: the expressions of interest received since HR last read those of
    their vacancy, oldest first."""
    if not can_manage_vacancies(user):
        return None
    interests = Interest.objects.filter(_NEW_INTEREST).select_related("agent", "vacancy").order_by("created_at", "pk")
    return todo_group_from_queryset(
        interests,
        limit=limit,
        item=lambda interest: TodoItem(
            title=_("%(agent)s : %(title)s (%(reference)s)")
            % {
                "agent": interest.agent.get_full_name(),
                "title": interest.vacancy.title,
                "reference": interest.vacancy.reference,
            },
            url=reverse("vacancies:vacancy-interests", args=[interest.vacancy_id]) + f"#interet-{interest.pk}",
            detail=_("reçue le %(date)s") % {"date": f"{timezone.localtime(interest.created_at):%d/%m/%Y}"},
        ),
        url=reverse("vacancies:manage"),
    )


def concours_list_visible(*, today: date | None = None) -> QuerySet[Concours]:
    """Published concours for agents: those whose registration is open or to come first
    (soonest closing first), then those whose registration has closed."""
    today = today or timezone.localdate()
    return (
        Concours.objects.visible()
        .annotate(registration_over=Case(When(registration_closes__lt=today, then=1), default=0))
        .order_by("registration_over", "registration_closes", "pk")
    )


def concours_search(*, user, query: str, limit: int, today: date | None = None) -> list[Concours]:
    """The published concours matching every word of `query` (intranet.fulltext) in their name,
    organiser, calendar or preparation — « concours » finds them all — open or to come first."""
    if not can_browse_vacancies(user):
        return []
    concours = concours_list_visible(today=today).alias(_kind=Value("concours"))
    found = text_match(
        concours, query, fields=["name", "organiser", "exam_dates_detail", "preparation", "_kind"], title="name"
    )
    return list(found[:limit])


def concours_list_manage() -> QuerySet[Concours]:
    return Concours.objects.order_by("-registration_closes", "-pk")


def agent_data_export(agent) -> dict:
    """What the board holds on `agent`, for their "mes données" download."""
    return {
        "manifestations_d_interet": [
            {
                "offre": interest.vacancy.reference,
                "intitule": interest.vacancy.title,
                "date": interest.created_at.isoformat(),
                "message": interest.message,
                "cv_joint": bool(interest.cv),
            }
            for interest in interest_list_of_agent(agent=agent)
        ],
    }
