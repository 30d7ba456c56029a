"""Permission-aware reads of the surveys app."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from intranet.fulltext import text_match
from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset
from surveys.models import Invitation, Question, Survey


def _count(queryset):
    """A correlated COUNT(*) subquery on the survey (no join fan-out between the counts)."""
    counted = queryset.filter(survey=OuterRef("pk")).order_by().values("survey").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def invitation_list_to_answer(*, user, limit: int | None = None):
    """The invitations of `user` to surveys accepting answers now, not yet answered."""
    today = timezone.localdate()
    queryset = (
        Invitation.objects.filter(agent=user, answered=False)
        .filter(survey__in=Survey.objects.accepting_answers(today=today))
        .select_related("survey")
        .order_by("survey__closes_on", "survey__title", "pk")
    )
    return queryset[:limit] if limit else queryset


def survey_search(*, user, query: str, limit: int) -> list[Invitation]:
    """The person's invitations to surveys open now and not yet answered whose title or
    introduction holds every word of `query` (intranet.fulltext), the soonest closing first."""
    found = text_match(
        invitation_list_to_answer(user=user), query, fields=["survey__title", "survey__intro"], title="survey__title"
    )
    return list(found[:limit])


def invitation_list_mine(*, user):
    """Every invitation of `user` to a published survey (answered or not), newest first."""
    return (
        Invitation.objects.filter(agent=user)
        .exclude(survey__status=Survey.Status.DRAFT)
        .select_related("survey")
        .order_by("answered", "-invited_at", "-pk")
    )


def todo_surveys_to_answer(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire »: the surveys `user` is invited to and has not answered, soonest closing first."""
    return todo_group_from_queryset(
        invitation_list_to_answer(user=user),
        limit=limit,
        item=lambda invitation: TodoItem(
            title=invitation.survey.title,
            url=invitation.survey.get_absolute_url(),
            due=invitation.survey.closes_on,
        ),
        url=reverse("surveys:survey-mine"),
    )


def survey_list_managed(*, user):
    """The surveys `user` manages, with their counts (one query whatever the number of surveys)."""
    return (
        Survey.objects.managed_by(user)
        .annotate(
            invited_count=_count(Invitation.objects.all()),
            answered_count=_count(Invitation.objects.filter(answered=True)),
            question_count=_count(Question.objects.all()),
        )
        .order_by("-created_at", "-pk")
    )


def survey_for_manager(*, user, pk: int) -> Survey | None:
    return Survey.objects.managed_by(user).filter(pk=pk).first()


def invitation_list_for_manager(*, survey, answered: bool | None = None):
    """Who was invited, and for an identified survey whether they answered (never what). For an
    anonymous survey the list cannot be filtered on the answer: whoever saw a name leave the « not
    answered » list would know whose answer the next publication holds (invitation_counts gives
    the numbers)."""
    queryset = Invitation.objects.filter(survey=survey).select_related("agent", "agent__org_unit", "session")
    if answered is not None and not survey.anonymous:
        queryset = queryset.filter(answered=answered)
    return queryset.order_by("agent__last_name", "agent__first_name", "pk")


def invitation_counts(*, survey) -> dict:
    """How many were invited and how many answered: what organisers of an anonymous survey see."""
    counts = Invitation.objects.filter(survey=survey).aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(answered=True))
    )
    counts["pending"] = counts["invited"] - counts["answered"]
    return counts
