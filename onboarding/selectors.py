"""Permission-aware reads of the onboarding app."""

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from events.models import Registration
from intranet.fulltext import text_match
from intranet.registry import TodoGroup, TodoItem
from intranet.roles import is_internal
from intranet.selectors import todo_group_from_queryset
from onboarding.models import Arrival, GuideChapter, IntegrationDay, JourneyTask
from onboarding.permissions import can_edit_guide, can_manage_onboarding


def arrival_list_visible_to(*, user) -> QuerySet[Arrival]:
    """HR: every arrival; others: those they arrive in, manage or accompany. With progress."""
    arrivals = Arrival.objects.with_progress().select_related(
        "agent__org_unit",
        "agent__site",
        "manager",
        "buddy",
        "guide",
    )
    if not can_manage_onboarding(user):
        arrivals = arrivals.filter(Q(agent=user) | Q(manager=user) | Q(buddy=user))
    return arrivals.order_by("-arrival_date", "pk")


def arrival_get(*, user, pk: int) -> Arrival | None:
    """One arrival the user may see, with its tasks, or None."""
    return (
        arrival_list_visible_to(user=user)
        .prefetch_related(Prefetch("tasks", queryset=JourneyTask.objects.select_related("assignee", "done_by")))
        .filter(pk=pk)
        .first()
    )


def arrival_of(*, user) -> Arrival | None:
    return Arrival.objects.filter(agent=user).select_related("guide").first()


def task_list_for(*, user) -> QuerySet[JourneyTask]:
    """The open tasks given to the user (as manager, buddy, HR or agent)."""
    return (
        JourneyTask.objects.filter(assignee=user, done_at__isnull=True)
        .select_related("arrival__agent")
        .order_by("due_date", "pk")
    )


def _todo_task_item(task: JourneyTask, *, user, today) -> TodoItem:
    own = task.arrival.agent_id == user.pk
    return TodoItem(
        title=task.title,
        url=reverse("onboarding:arrival-detail", args=[task.arrival_id]) + f"#tache-{task.pk}",
        due=task.due_date,
        late=task.due_date < today,
        detail=_("votre parcours d'intégration")
        if own
        else _("parcours de %(agent)s") % {"agent": task.arrival.agent.get_full_name()},
    )


def todo_tasks(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire »: the open journey tasks given to `user` — as the newcomer, their manager, their
    parrain or marraine, or the HR agent who recorded the arrival —, soonest due first, the
    overdue ones late."""
    return todo_group_from_queryset(
        task_list_for(user=user),
        limit=limit,
        late=Q(due_date__lt=today),
        item=lambda task: _todo_task_item(task, user=user, today=today),
        url=reverse("onboarding:my-journey"),
    )


def todo_tasks_late(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire », for HR who follow every journey: the overdue tasks of others (the IT
    service's, a manager's…), oldest first."""
    if not can_manage_onboarding(user):
        return None
    late = (
        JourneyTask.objects.filter(done_at__isnull=True, due_date__lt=today)
        .exclude(assignee=user)
        .select_related("arrival__agent")
        .order_by("due_date", "pk")
    )
    return todo_group_from_queryset(
        late,
        limit=limit,
        late=Q(pk__isnull=False),
        item=lambda task: _todo_task_item(task, user=user, today=today),
        url=reverse("onboarding:arrival-list"),
    )


def chapter_list() -> QuerySet[GuideChapter]:
    return GuideChapter.objects.order_by("order", "pk")


def chapter_search(*, user, query: str, limit: int) -> list[tuple[GuideChapter, str]]:
    """The welcome guide's chapters holding every word of `query` (intranet.fulltext), each with
    where the person reads it: its edit page for those who write the guide, its place in their own
    guide for an arriving agent (published chapters only); nothing for the others."""
    if can_edit_guide(user):
        chapters, arrival = GuideChapter.objects.all(), None
    else:
        arrival = Arrival.objects.filter(agent=user).only("pk").first() if is_internal(user) else None
        if arrival is None:
            return []
        chapters = GuideChapter.objects.filter(is_published=True)
    found = text_match(chapters, query, fields=["title", "body"], title="title").only("pk", "title", "body")
    return [
        (
            chapter,
            reverse("onboarding:guide-detail", args=[arrival.pk]) + f"#chapitre-{chapter.pk}"
            if arrival
            else reverse("onboarding:chapter-edit", args=[chapter.pk]),
        )
        for chapter in found.order_by("order", "pk")[:limit]
    ]


def session_list() -> QuerySet[IntegrationDay]:
    """The journées d'intégration, the latest first, with their event and session (its counters say
    how many are invited and waiting)."""
    return (
        IntegrationDay.objects.select_related("event_session__event", "event_session__site")
        .annotate(invited=F("event_session__confirmed_count"), waiting=F("event_session__waiting_count"))
        .order_by("-event_session__starts_at", "pk")
    )


def session_invitations(*, session: IntegrationDay) -> QuerySet[Registration]:
    """Those invited to a journée d'intégration (the event's registrations), each with its arrival
    date: by status, then in the waiting list's order."""
    arrival_date = (
        Arrival.objects.filter(agent_id=OuterRef("agent_id")).order_by("-arrival_date").values("arrival_date")[:1]
    )
    return (
        Registration.objects.filter(session_id=session.event_session_id)
        .select_related("agent__org_unit")
        .annotate(arrival_date=Subquery(arrival_date))
        .order_by("status", "waiting_since", "arrival_date", "registered_at", "pk")
    )


def volunteer_list():
    """The volunteers with how many newcomers each accompanies now (one query)."""
    from onboarding.models import BuddyVolunteer
    from onboarding.services.buddies import buddy_load

    return (
        BuddyVolunteer.objects.select_related("agent__org_unit", "agent__site")
        .annotate(load=buddy_load())
        .order_by("agent__last_name", "agent__first_name", "pk")
    )


def agent_data_export(agent) -> dict:
    """What onboarding holds on `agent`, for their "mes données" download (RGPD)."""
    from onboarding.models import Arrival, BuddyVolunteer

    arrival = Arrival.objects.filter(agent=agent).select_related("manager", "buddy").first()
    volunteer = BuddyVolunteer.objects.filter(agent=agent).first()
    return {
        "arrivee": None
        if arrival is None
        else {
            "date": arrival.arrival_date.isoformat(),
            "encadrant": str(arrival.manager or ""),
            "parrain_ou_marraine": str(arrival.buddy or ""),
            "taches": [
                {
                    "tache": task.title,
                    "echeance": task.due_date.isoformat(),
                    "faite_le": task.done_at.isoformat() if task.done_at else None,
                }
                for task in arrival.tasks.order_by("due_date", "pk")
            ],
        },
        "parrainage_volontaire": None
        if volunteer is None
        else {
            "capacite": volunteer.capacity,
            "note": volunteer.note,
            "disponible": volunteer.is_active,
        },
        "nouveaux_agents_parraines": [
            str(newcomer.agent) for newcomer in Arrival.objects.filter(buddy=agent).select_related("agent")
        ],
    }
