"""« À faire »: the weekly e-mail of what waits for each person, and their choice to receive it."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext, override

from intranet.links import absolute_url
from intranet.models import Agent, OutgoingEmail
from intranet.selectors import TODO_PAGE_LIMIT, todo_inbox
from intranet.services.outbox import email_queue


@transaction.atomic
def agent_todo_digest_set(*, agent, enabled: bool) -> None:
    """The person's choice: the weekly « À faire » e-mail on or off."""
    agent.todo_digest = enabled
    agent.save(update_fields=["todo_digest"])


def todo_digest_moment(*, now) -> datetime:
    """This week's digest time (the latest TODO_DIGEST_WEEKDAY at TODO_DIGEST_HOUR, local time,
    not after `now`): agents not considered since then are due."""
    local = timezone.localtime(now)
    days_back = (local.weekday() - settings.TODO_DIGEST_WEEKDAY) % 7
    moment = (local - timedelta(days=days_back)).replace(
        hour=settings.TODO_DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    return moment - timedelta(days=7) if moment > local else moment


def _todo_digest_due(moment):
    return (
        Agent.objects.active()
        .filter(todo_digest=True)
        .filter(Q(todo_digest_checked_at__isnull=True) | Q(todo_digest_checked_at__lt=moment))
    )


def todo_digest_email(*, agent, inbox) -> OutgoingEmail:
    """The digest's mail: the same groups and items as the « À faire » page, with absolute links."""
    with override(settings.LANGUAGE_CODE):
        groups = [
            {
                "label": entry.source.label,
                "count": entry.group.count,
                "late": entry.group.late,
                "more": entry.more,
                "url": absolute_url(entry.group.url) if entry.group.url else "",
                "items": [{"item": item, "url": absolute_url(item.url)} for item in entry.group.items],
            }
            for entry in inbox.entries
        ]
        context = {
            "agent": agent,
            "groups": groups,
            "count": inbox.count,
            "late": inbox.late,
            "todo_url": absolute_url(reverse("intranet:todo")),
            "site_name": settings.SITE_NAME,
        }
        subject = ngettext(
            "À faire : %(count)s chose vous attend sur l'intranet",
            "À faire : %(count)s choses vous attendent sur l'intranet",
            inbox.count,
        ) % {"count": inbox.count}
        return email_queue(
            to=agent.email,
            subject=subject,
            text=render_to_string("intranet/email/todo_digest.txt", context),
            html=render_to_string("intranet/email/todo_digest.html", context),
            kind="intranet.todo_digest",
        )


def todo_digests_send(*, now=None, limit: int = 500) -> int:
    """The weekly « À faire » e-mail: to each active agent who keeps it on and has not been
    considered since this week's digest time, when something waits for them (nothing is sent
    otherwise). Each agent in their own transaction, their row locked (SKIP LOCKED) and marked
    considered with the mail queued, so two runs at once, or a run again, send nothing twice.
    Returns how many mails were queued."""
    now = now or timezone.now()
    moment = todo_digest_moment(now=now)
    today = timezone.localdate(now)
    sent = 0
    for pk in list(_todo_digest_due(moment).order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            agent = _todo_digest_due(moment).select_for_update(skip_locked=True).filter(pk=pk).first()
            if agent is None:
                continue  # another run holds it, or took it already
            if agent.email and agent.has_mailbox:
                inbox = todo_inbox(user=agent, today=today, limit=TODO_PAGE_LIMIT)
                if inbox.count:
                    todo_digest_email(agent=agent, inbox=inbox)
                    sent += 1
            agent.todo_digest_checked_at = now
            agent.save(update_fields=["todo_digest_checked_at"])
    return sent
