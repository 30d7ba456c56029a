"""« À faire »: the requests waiting for a decision, and what a visitor or a host has to do."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset
from onboarding.shadowing.models import Visit
from onboarding.shadowing.selectors.visits import visit_queue


def todo_decisions(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire »: the requests waiting for `user`'s decision (`visit_queue`, the « À décider »
    page's own list), oldest first; late once their campaign's visits should be over."""
    return todo_group_from_queryset(
        visit_queue(user=user),
        limit=limit,
        late=Q(campaign__visits_end_on__lt=today),
        item=lambda visit: TodoItem(
            title=str(visit),
            url=visit.get_absolute_url(),
            due=visit.campaign.visits_end_on,
            late=visit.campaign.visits_end_on < today,
            detail=visit.get_state_display(),
        ),
        url=reverse("shadowing:visit-queue"),
    )


_TO_SIGN = (Visit.State.APPROVED, Visit.State.ACCEPTED, Visit.State.SCHEDULED)


def _todo_visit_item(visit: Visit, *, user, today) -> TodoItem:
    if visit.host_id == user.pk and visit.state == Visit.State.ACCEPTED:
        title = _("Programmer la visite de %(visitor)s") % {"visitor": visit.visitor.get_full_name()}
        due = visit.campaign.visits_end_on
    elif visit.state == Visit.State.SCHEDULED and visit.agreement_signed_at and visit.scheduled_on <= today:
        title = _("Confirmer que la visite a eu lieu")
        due = visit.scheduled_on
    elif visit.state in _TO_SIGN:
        title = _("Signer l'engagement de discrétion avant votre visite")
        due = visit.scheduled_on
    else:
        title = _("Écrire votre rapport d'étonnement")
        due = visit.campaign.visits_end_on
    return TodoItem(
        title=title,
        url=visit.get_absolute_url(),
        due=due,
        late=due is not None and due < today,
        detail=visit.job_label,
    )


def todo_my_visits(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire » on `user`'s own visits: as the visitor, the discretion agreement to sign before
    the visit and, after it, the rapport d'étonnement (while the campaign lasts); as the host,
    an accepted visit to schedule; for both, from its day on, to confirm that the visit took place."""
    visits = (
        Visit.objects.with_people()
        .filter(
            Q(visitor=user, state__in=_TO_SIGN, agreement_signed_at__isnull=True)
            | Q(host=user, state=Visit.State.ACCEPTED)
            | (Q(visitor=user) | Q(host=user))
            & Q(state=Visit.State.SCHEDULED, agreement_signed_at__isnull=False, scheduled_on__lte=today)
            | Q(visitor=user, state__in=[Visit.State.DONE, Visit.State.EVALUATED], report="")
            & Q(campaign__visits_end_on__gte=today)
        )
        .order_by("scheduled_on", "created_at", "pk")
    )
    return todo_group_from_queryset(
        visits,
        limit=limit,
        late=Q(scheduled_on__lt=today, state__in=_TO_SIGN) | Q(host=user, campaign__visits_end_on__lt=today),
        item=lambda visit: _todo_visit_item(visit, user=user, today=today),
        url=reverse("shadowing:visit-mine"),
    )
