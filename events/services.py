"""What the events app does: functions that change state, one transaction each.

Seats: every decision about a session's seats (register, unregister, promote from the waiting
list, change the capacity) is taken under the session's row lock (`SELECT … FOR UPDATE`), and the
database refuses more confirmed registrations than seats (Session.confirmed_count ≤ capacity): two
people taking the last seat at the same moment never both get it, and a freed seat goes to exactly
one person from the waiting list. Mails leave after the commit, through the outbox."""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime, time, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events import mails
from events.models import CalendarFeed, Event, Material, Registration, Session
from events.permissions import can_edit_event, can_manage_events, can_run_session, may_register, member_of
from intranet.audiences import AudienceSpec
from intranet.links import absolute_url
from intranet.services import audit_log_record
from intranet.uploads import document_check

# --- Events ------------------------------------------------------------------------------------


def _check_event_fields(*, title: str, audience: AudienceSpec | None) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("L'intitulé est obligatoire.")
    if audience is None or audience.is_empty:
        errors["audience"] = _(
            "Choisissez au moins un public : tous les agents, un filtre, des noms ou les partenaires."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(
    *,
    user,
    title: str,
    kind: str,
    audience: AudienceSpec,
    summary: str = "",
    description: str = "",
    organisers=(),
    single_session: bool = True,
) -> Event:
    """A draft event (nothing is visible to agents until it is published)."""
    if not can_manage_events(user):
        raise PermissionDenied(_("Seuls les ressources humaines et la communication créent des événements."))
    _check_event_fields(title=title, audience=audience)
    event = Event(
        title=title.strip(),
        kind=kind,
        summary=summary,
        description=description,
        audience=audience.to_json(),
        single_session=single_session,
        created_by=user,
    )
    event.full_clean()
    event.save()
    event.organisers.set(list(organisers) or [user])
    audit_log_record(actor=user, action="event.create", target=event)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    user,
    title: str,
    kind: str,
    audience: AudienceSpec,
    summary: str = "",
    description: str = "",
    organisers=(),
    single_session: bool = True,
) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied
    _check_event_fields(title=title, audience=audience)
    event.title, event.kind, event.summary, event.description = title.strip(), kind, summary, description
    event.audience, event.single_session = audience.to_json(), single_session
    event.full_clean()
    event.save()
    if organisers:
        event.organisers.set(list(organisers))
    audit_log_record(actor=user, action="event.update", target=event)
    return event


@transaction.atomic
def event_publish(*, event: Event, user, now: datetime | None = None) -> Event:
    """Visible in the agenda; registrations open as each session's window says."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Seul un brouillon peut être publié."))
    if not event.sessions.filter(status=Session.Status.SCHEDULED).exists():
        raise ValidationError(_("Ajoutez au moins une séance avant de publier l'événement."))
    event.status, event.published_at = Event.Status.PUBLISHED, now or timezone.now()
    event.save(update_fields=["status", "published_at"])
    audit_log_record(actor=user, action="event.publish", target=event)
    return event


@transaction.atomic(durable=True)
def event_cancel(*, event: Event, user) -> Event:
    """Every session of the event is cancelled; those registered are told (iCalendar CANCEL)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied
    if event.status == Event.Status.CANCELLED:
        return event
    for session in event.sessions.filter(status=Session.Status.SCHEDULED).order_by("pk"):
        _session_cancel(session, user=user)
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])
    audit_log_record(actor=user, action="event.cancel", target=event)
    return event


# --- Sessions ----------------------------------------------------------------------------------


def _check_session_fields(
    *, starts_at, ends_at, site, room, video_url, capacity, registration_opens_at, registration_closes_at
) -> None:
    errors: dict[str, str] = {}
    if starts_at is None or ends_at is None:
        errors["starts_at"] = _("Indiquez le début et la fin de la séance.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("La fin doit suivre le début.")
    if site is None and not (room or "").strip() and not (video_url or "").strip():
        errors["site"] = _("Indiquez un lieu (un site ou une salle) ou le lien de la visioconférence.")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Au moins une place, ou laissez vide pour un nombre illimité.")
    if registration_opens_at and registration_closes_at and registration_closes_at <= registration_opens_at:
        errors["registration_closes_at"] = _("La clôture des inscriptions doit suivre leur ouverture.")
    if registration_closes_at and starts_at and registration_closes_at > starts_at:
        errors["registration_closes_at"] = _("Les inscriptions doivent être closes au plus tard au début de la séance.")
    if errors:
        raise ValidationError(errors)


SESSION_FIELDS = (
    "label",
    "starts_at",
    "ends_at",
    "site",
    "room",
    "video_url",
    "capacity",
    "audience_scope",
    "registration_opens_at",
    "registration_closes_at",
)
# A change of these is news for those registered: a new SEQUENCE and a mail.
NEWS_FIELDS = ("starts_at", "ends_at", "site", "room", "video_url")


def _session_values(values: dict) -> dict:
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    values = {
        "label": "",
        "site": None,
        "room": "",
        "video_url": "",
        "capacity": None,
        "audience_scope": Session.Scope.EVENT,
        "registration_opens_at": None,
        "registration_closes_at": None,
        **values,
    }
    _check_session_fields(**{key: values.get(key) for key in SESSION_FIELDS if key not in ("label", "audience_scope")})
    if values["audience_scope"] == Session.Scope.SITE and values["site"] is None:
        raise ValidationError({"audience_scope": _("Choisissez le site de la séance pour en inviter les agents.")})
    return values


@transaction.atomic
def session_create(*, event: Event, user, organisers=(), **values) -> Session:
    if not can_edit_event(user, event):
        raise PermissionDenied
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("L'événement est annulé."))
    session = Session(event=event, **_session_values(values))
    session.full_clean()
    session.save()
    if organisers:
        session.organisers.set(list(organisers))
    return session


@transaction.atomic(durable=True)
def session_update(*, session: Session, user, organisers=None, **values) -> Session:
    """Change a session: more seats promote from the waiting list; fewer than already taken is
    refused; a new date or place reaches those registered (iCalendar update)."""
    session = _lock(session)
    if not can_edit_event(user, session.event):
        raise PermissionDenied
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("Cette séance est annulée."))
    values = _session_values(values)
    if values["capacity"] is not None and values["capacity"] < session.confirmed_count:
        raise ValidationError(
            {
                "capacity": _("%(count)d personnes sont déjà inscrites : la séance ne peut pas en accueillir moins.")
                % {"count": session.confirmed_count}
            }
        )
    news = any(
        getattr(session, f"{name}_id" if name == "site" else name) != (getattr(values[name], "pk", values[name]))
        for name in NEWS_FIELDS
    )
    for name, value in values.items():
        setattr(session, name, value)
    if news:
        session.sequence += 1
    session.full_clean()
    session.save()
    if organisers is not None:
        session.organisers.set(list(organisers))
    promoted = _promote(session)
    if news:
        Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED).exclude(
            pk__in=[registration.pk for registration in promoted]
        ).update(ics_sequence=F("ics_sequence") + 1)
        transaction.on_commit(partial(_mail_session, session.pk, "updated", exclude=[r.pk for r in promoted]))
    for registration in promoted:
        transaction.on_commit(partial(_mail_registration, registration.pk, "promoted"))
    audit_log_record(actor=user, action="session.update", target=session, details={"news": news})
    return session


def _session_cancel(session: Session, *, user) -> Session:
    session = _lock(session)
    if session.status == Session.Status.CANCELLED:
        return session
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence"])
    Registration.objects.filter(
        session=session, status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING]
    ).update(ics_sequence=F("ics_sequence") + 1)
    transaction.on_commit(partial(_mail_session, session.pk, "cancelled", waiting_too=True))
    audit_log_record(actor=user, action="session.cancel", target=session)
    return session


@transaction.atomic(durable=True)
def session_cancel(*, session: Session, user) -> Session:
    """Cancelled: those registered or waiting are told (iCalendar CANCEL); the rows are kept."""
    if not can_edit_event(user, session.event):
        raise PermissionDenied
    return _session_cancel(session, user=user)


@transaction.atomic
def session_series_create(
    *,
    event: Event,
    user,
    first_day: date,
    start: time,
    end: time,
    count: int,
    every_days: int = 7,
    sites=(),
    room: str = "",
    video_url: str = "",
    capacity: int | None = None,
    per_site_audience: bool = False,
    label: str = "",
    registration_days_before: int | None = None,
    organisers=(),
) -> list[Session]:
    """`count` sessions in one go, every `every_days` days from `first_day` (weekends skipped to the
    next Monday), at the sites given in turn (one per site: 15 meetings in 15 lycées), each session
    numbered in its label. With `per_site_audience`, each session is for the agents of its site."""
    if not can_edit_event(user, event):
        raise PermissionDenied
    errors = {}
    if not 1 <= count <= 200:
        errors["count"] = _("Entre 1 et 200 séances.")
    if not 1 <= every_days <= 90:
        errors["every_days"] = _("Entre 1 et 90 jours.")
    if end <= start:
        errors["end"] = _("La fin doit suivre le début.")
    if per_site_audience and not sites:
        errors["sites"] = _("Choisissez les sites des séances pour en inviter les agents.")
    if errors:
        raise ValidationError(errors)
    sites = list(sites)
    created, day = [], first_day
    tz = timezone.get_current_timezone()
    base = label or event.title
    for number in range(1, count + 1):
        while day.weekday() >= 5:
            day += timedelta(days=1)
        site = sites[(number - 1) % len(sites)] if sites else None
        starts_at = datetime.combine(day, start, tzinfo=tz)
        closes = starts_at - timedelta(days=registration_days_before) if registration_days_before else None
        session_label = _("%(label)s n° %(number)d") % {"label": base, "number": number}
        if site is not None:
            session_label += f" — {site.name}"
        created.append(
            session_create(
                event=event,
                user=user,
                organisers=organisers,
                label=session_label[:200],
                starts_at=starts_at,
                ends_at=datetime.combine(day, end, tzinfo=tz),
                site=site,
                room=room,
                video_url=video_url,
                capacity=capacity,
                audience_scope=Session.Scope.SITE if per_site_audience and site else Session.Scope.EVENT,
                registration_closes_at=closes,
            )
        )
        day += timedelta(days=every_days)
    audit_log_record(actor=user, action="session.series", target=event, details={"count": count})
    return created


# --- Registration ------------------------------------------------------------------------------


def _lock(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)


def _counts(session: Session, **deltas: int) -> None:
    """Move the session's counters (the caller holds its row lock)."""
    Session.objects.filter(pk=session.pk).update(**{name: F(name) + delta for name, delta in deltas.items()})
    for name, delta in deltas.items():
        setattr(session, name, getattr(session, name) + delta)


def _promote(session: Session, *, now: datetime | None = None) -> list[Registration]:
    """Give the free seats to the first people waiting, in order (the caller holds the lock)."""
    if session.status == Session.Status.CANCELLED or session.has_ended(now=now):
        return []
    promoted = []
    while session.capacity is None or session.confirmed_count < session.capacity:
        registration = (
            Registration.objects.select_for_update()
            .filter(session=session, status=Registration.Status.WAITING)
            .order_by("waiting_since", "pk")
            .first()
        )
        if registration is None:
            break
        registration.status, registration.waiting_since = Registration.Status.CONFIRMED, None
        registration.ics_sequence += 1
        registration.save(update_fields=["status", "waiting_since", "ics_sequence"])
        _counts(session, confirmed_count=1, waiting_count=-1)
        promoted.append(registration)
    return promoted


class RegistrationRefused(ValidationError):
    pass


def _refusal(session: Session, *, member, now: datetime) -> str | None:
    """Why this person may not register now (None: they may)."""
    if session.is_cancelled:
        return _("Cette séance est annulée.")
    if not session.event.is_published:
        return _("Cet événement n'est pas encore publié.")
    if now >= session.starts_at:
        return _("Cette séance a déjà commencé.")
    if session.registration_opens_at and now < session.registration_opens_at:
        return _("Les inscriptions ouvrent le %(date)s.") % {
            "date": timezone.localtime(session.registration_opens_at).strftime("%d/%m/%Y %H:%M")
        }
    if session.registration_closes_at and now >= session.registration_closes_at:
        return _("Les inscriptions sont closes depuis le %(date)s.") % {
            "date": timezone.localtime(session.registration_closes_at).strftime("%d/%m/%Y %H:%M")
        }
    if not may_register(session, member=member, now=now):
        return _("Cette séance n'est pas ouverte à votre public.")
    return None


@transaction.atomic(durable=True)
def registration_create(*, session: Session, agent, by=None, now: datetime | None = None) -> Registration:
    """Register `agent` (`by` someone who runs the session, for a person without a mailbox or who
    asked on paper): a seat when one is free, the waiting list otherwise. Registering again is
    harmless (the current registration is returned)."""
    now = now or timezone.now()
    session = _lock(session)
    on_behalf = by is not None and by.pk != agent.pk
    if on_behalf:
        if not can_run_session(by, session):
            raise PermissionDenied
        if session.is_cancelled or session.has_ended(now=now):
            raise RegistrationRefused(_("Cette séance est annulée ou terminée."))
    else:
        refusal = _refusal(session, member=member_of(agent), now=now)
        if refusal:
            raise RegistrationRefused(refusal)
    registration = Registration.objects.select_for_update().filter(session=session, agent=agent).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    if session.event.single_session:
        other = (
            Registration.objects.filter(session__event_id=session.event_id, agent=agent)
            .filter(status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING])
            .exclude(session=session)
            .filter(session__status=Session.Status.SCHEDULED)
            .select_related("session")
            .first()
        )
        if other is not None:
            raise RegistrationRefused(
                _(
                    "Vous êtes déjà inscrit(e) à une autre séance de cet événement (%(when)s) : "
                    "désinscrivez-vous d'abord."
                )
                % {"when": mails.when(other.session)}
            )
    seat = session.capacity is None or session.confirmed_count < session.capacity
    if registration is None:
        registration = Registration(session=session, agent=agent)
    else:
        registration.ics_sequence += 1  # after a CANCEL, the new REQUEST must win
    registration.status = Registration.Status.CONFIRMED if seat else Registration.Status.WAITING
    registration.registered_at, registration.cancelled_at = now, None
    registration.waiting_since = None if seat else now
    registration.registered_by = by if on_behalf else None
    registration.checked_in_at = registration.checked_in_by = None
    registration.save()
    _counts(session, **({"confirmed_count": 1} if seat else {"waiting_count": 1}))
    transaction.on_commit(partial(_mail_registration, registration.pk, "confirmed" if seat else "waiting"))
    return registration


@transaction.atomic(durable=True)
def registration_cancel(*, registration: Registration, user, now: datetime | None = None) -> Registration | None:
    """Unregister (the person, or someone who runs the session): the seat goes to the first person
    waiting, who is told. Returns the promoted registration, if any."""
    now = now or timezone.now()
    session = _lock(registration.session)
    registration = Registration.objects.select_for_update().select_related("agent").get(pk=registration.pk)
    if registration.agent_id != user.pk and not can_run_session(user, session):
        raise PermissionDenied
    if registration.status == Registration.Status.CANCELLED:
        return None
    if session.has_ended(now=now) or (now >= session.starts_at and registration.agent_id == user.pk):
        raise ValidationError(_("La séance a commencé : la désinscription n'est plus possible."))
    was_confirmed = registration.is_confirmed
    registration.status, registration.cancelled_at, registration.waiting_since = (
        Registration.Status.CANCELLED,
        now,
        None,
    )
    if registration.checked_in_at:
        _counts(session, checked_in_count=-1)
    registration.checked_in_at = registration.checked_in_by = None
    registration.ics_sequence += 1 if was_confirmed else 0
    registration.save()
    _counts(session, **({"confirmed_count": -1} if was_confirmed else {"waiting_count": -1}))
    promoted = _promote(session, now=now) if was_confirmed else []
    if was_confirmed:
        transaction.on_commit(partial(_mail_registration, registration.pk, "unregistered"))
    for other in promoted:
        transaction.on_commit(partial(_mail_registration, other.pk, "promoted"))
    return promoted[0] if promoted else None


def _mail_registration(registration_id: int, what: str) -> None:
    registration = (
        Registration.objects.select_related("agent", "session__event", "session__site")
        .filter(pk=registration_id)
        .first()
    )
    if registration is not None:
        mails.registration_mail(registration, what)


def _mail_session(session_id: int, what: str, *, exclude=(), waiting_too: bool = False) -> int:
    statuses = [Registration.Status.CONFIRMED] + ([Registration.Status.WAITING] if waiting_too else [])
    registrations = (
        Registration.objects.filter(session_id=session_id, status__in=statuses)
        .exclude(pk__in=list(exclude))
        .select_related("agent", "session__event", "session__site")
        .order_by("pk")
    )
    with transaction.atomic():
        return mails.registrations_mail(registrations.iterator(chunk_size=500), what)


# --- Attendance --------------------------------------------------------------------------------


@transaction.atomic
def registration_check_in(
    *, registration: Registration, user, present: bool = True, now: datetime | None = None
) -> Registration:
    """Mark the person present (or not) at their session: an organiser, on the day."""
    session = _lock(registration.session)
    if not can_run_session(user, session):
        raise PermissionDenied
    registration = Registration.objects.select_for_update().select_related("agent").get(pk=registration.pk)
    if not registration.is_confirmed:
        raise ValidationError(_("Cette personne n'a pas de place confirmée à cette séance."))
    if present and registration.checked_in_at is None:
        registration.checked_in_at, registration.checked_in_by = now or timezone.now(), user
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
        _counts(session, checked_in_count=1)
    elif not present and registration.checked_in_at is not None:
        registration.checked_in_at = registration.checked_in_by = None
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
        _counts(session, checked_in_count=-1)
    registration.session = session
    return registration


# --- The personal calendar feed ----------------------------------------------------------------


@transaction.atomic
def calendar_feed_get_or_create(*, agent) -> CalendarFeed:
    feed = CalendarFeed.objects.select_for_update().filter(agent=agent).first()
    if feed is None:
        feed = CalendarFeed(agent=agent)
        feed.set_token_hash()
        feed.save()
    return feed


@transaction.atomic
def calendar_feed_reset(*, agent) -> CalendarFeed:
    """A new secret address: the former one stops answering at once."""
    feed = calendar_feed_get_or_create(agent=agent)
    feed.token_salt = CalendarFeed._meta.get_field("token_salt").default()
    feed.set_token_hash()
    feed.created_at, feed.last_read_at = timezone.now(), None
    feed.save(update_fields=["token_salt", "token_hash", "created_at", "last_read_at"])
    audit_log_record(actor=agent, action="event.feed_reset", target=feed)
    return feed


def calendar_feed_touch(*, feed: CalendarFeed) -> None:
    """When the feed was last read (its page says whether a calendar follows it)."""
    now = timezone.now()
    if feed.last_read_at is None or now - feed.last_read_at > timedelta(minutes=10):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)


# --- Materials ---------------------------------------------------------------------------------


@transaction.atomic
def material_add(*, event: Event, user, title: str, kind: str, file=None, url: str = "", session=None) -> Material:
    """Slides or a document (checked by their bytes: intranet.uploads), or a link (a recording):
    shared with those registered (a session's own material with that session's), who are told by
    mail when their session has taken place."""
    if not can_edit_event(user, event) and not (session is not None and can_run_session(user, session)):
        raise PermissionDenied
    if session is not None and session.event_id != event.pk:
        raise ValidationError({"session": _("Cette séance n'est pas de cet événement.")})
    if bool(file) == bool(url):
        raise ValidationError(_("Joignez un fichier ou indiquez un lien (l'un ou l'autre)."))
    if not (title or "").strip():
        raise ValidationError({"title": _("Le titre est obligatoire.")})
    material = Material(event=event, session=session, title=title.strip(), kind=kind, url=url or "", added_by=user)
    if file:
        checked = document_check(file)
        stem = os.path.splitext(os.path.basename(getattr(file, "name", "") or ""))[0][:150] or slugify(title)[:60]
        material.file_kind, material.filename = checked.kind.key, f"{stem}.{checked.kind.extension}"
        material.file.save(f"{uuid.uuid4().hex}.{checked.kind.extension}", ContentFile(checked.data), save=False)
    try:
        material.full_clean()
        material.save()
    except Exception:
        if material.file:
            material.file.storage.delete(material.file.name)
        raise
    sessions = [session] if session is not None else list(event.sessions.filter(status=Session.Status.SCHEDULED))
    for held in sessions:
        if held.has_ended():
            transaction.on_commit(partial(_mail_session, held.pk, "materials"))
    audit_log_record(actor=user, action="event.material_add", target=event, details={"title": material.title})
    return material


@transaction.atomic
def material_delete(*, material: Material, user) -> None:
    if not can_edit_event(user, material.event):
        raise PermissionDenied
    if material.file:
        transaction.on_commit(partial(material.file.storage.delete, material.file.name))
    audit_log_record(
        actor=user, action="event.material_delete", target=material.event, details={"title": material.title}
    )
    material.delete()


# --- Invitations and reminders -----------------------------------------------------------------

INVITATION_KIND = "events.invitation"


def _upcoming_sessions(event: Event, *, now: datetime) -> list[Session]:
    return list(
        event.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
        .select_related("site")
        .order_by("starts_at", "pk")
    )


@transaction.atomic(durable=True)
def event_invite(*, event: Event, user, now: datetime | None = None):
    """Invite the event's audience through the mailing engine: one message listing the sessions to
    come and the link to register; the agents without a mailbox are frozen « on paper » by the
    mailing (their printable list: documents.paper_list_render). Once per event."""
    from mailing.services import mailing_create, mailing_start

    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied
    if not event.is_published:
        raise ValidationError(_("Publiez l'événement avant d'envoyer les invitations."))
    if event.invited_at is not None:
        raise ValidationError(
            _("Les invitations sont déjà parties le %(date)s.")
            % {"date": timezone.localtime(event.invited_at).strftime("%d/%m/%Y %H:%M")}
        )
    sessions = _upcoming_sessions(event, now=now)
    if not sessions:
        raise ValidationError(_("Aucune séance à venir : ajoutez une séance avant d'inviter."))
    mailing = mailing_create(
        subject=_("Invitation : %(title)s") % {"title": event.title},
        html="",
        text=mails.invitation_text(event=event, sessions=sessions),
        audience=event.audience_spec,
        created_by=user,
        kind=INVITATION_KIND,
        web_url=absolute_url(event.get_absolute_url()),
        source=event,
    )
    mailing = mailing_start(mailing=mailing, user=user)
    event.invited_at = now
    event.save(update_fields=["invited_at"])
    audit_log_record(actor=user, action="event.invite", target=event, details={"mailing": mailing.pk})
    return mailing


def session_reminders_send(*, now: datetime | None = None) -> int:
    """The day before: those with a seat at a session starting tomorrow get a reminder, once (the
    session's `reminded_at`, set under its row lock, says it left). Returns the sessions reminded."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.combine(tomorrow, time.min, tzinfo=tz)
    due = Session.objects.live().filter(
        starts_at__gte=start, starts_at__lt=start + timedelta(days=1), reminded_at__isnull=True
    )
    reminded = 0
    for session_id in due.values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            session = Session.objects.select_for_update().filter(pk=session_id, reminded_at__isnull=True).first()
            if session is None:
                continue
            session.reminded_at = now
            session.save(update_fields=["reminded_at"])
            Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED).update(reminded_at=now)
            transaction.on_commit(partial(_mail_session, session.pk, "reminder"))
        reminded += 1
    return reminded


# --- The satisfaction questionnaire (surveys) --------------------------------------------------

SURVEY_SEND_WITHIN = timedelta(days=7)  # a session ended longer ago is not surveyed any more


@transaction.atomic
def event_survey_attach(*, event: Event, survey, user) -> Event:
    """One questionnaire (a survey the person manages) over the event's sessions: a survey session
    per session, so its results read per session and overall. Each session's people are invited
    when it has ended (session_surveys_send)."""
    from surveys.models import Survey
    from surveys.permissions import can_manage_survey
    from surveys.services.questionnaire import session_create as survey_session_create

    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied
    if not can_manage_survey(user, survey):
        raise ValidationError({"survey": _("Choisissez un questionnaire dont vous êtes l'auteur.")})
    if survey.status == Survey.Status.CLOSED:
        raise ValidationError({"survey": _("Ce questionnaire est clôturé.")})
    if event.survey_id and event.sessions.filter(survey_sent_at__isnull=False).exists():
        raise ValidationError(_("Le questionnaire a déjà été envoyé après une séance : il ne change plus."))
    event.sessions.update(survey_session=None)
    event.survey = survey
    event.save(update_fields=["survey"])
    labels = set(survey.sessions.values_list("label", flat=True))
    for session in event.sessions.filter(status=Session.Status.SCHEDULED).order_by("starts_at", "pk"):
        base = f"{session.label or event.title} — {timezone.localtime(session.starts_at):%d/%m/%Y %H:%M}"[:240]
        label, number = base, 1
        while label in labels:
            number += 1
            label = f"{base} ({number})"
        labels.add(label)
        survey_session = survey_session_create(
            survey=survey, label=label, held_on=timezone.localtime(session.starts_at).date()
        )
        Session.objects.filter(pk=session.pk).update(survey_session=survey_session)
    audit_log_record(actor=user, action="event.survey", target=event, details={"survey": survey.pk})
    return event


def session_surveys_send(*, now: datetime | None = None) -> int:
    """After a session (within a week): those who came (checked in; those registered when nobody
    was) are invited to the event's questionnaire, for that session, once. Returns the sessions."""
    from surveys.models import Survey
    from surveys.services.invitations import survey_invite

    now = now or timezone.now()
    due = Session.objects.live().filter(
        ends_at__lte=now,
        ends_at__gt=now - SURVEY_SEND_WITHIN,
        survey_sent_at__isnull=True,
        survey_session__isnull=False,
        event__survey__isnull=False,
        event__survey__status__in=[Survey.Status.DRAFT, Survey.Status.SCHEDULED, Survey.Status.OPEN],
    )
    sent = 0
    for session_id in due.values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            session = (
                Session.objects.select_for_update(of=("self",))
                .select_related("event__survey", "survey_session")
                .filter(pk=session_id, survey_sent_at__isnull=True)
                .first()
            )
            if session is None:
                continue
            seated = Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
            present = seated.filter(checked_in_at__isnull=False)
            agents = (present if session.checked_in_count else seated).values_list("agent_id", flat=True)
            survey_invite(survey=session.event.survey, agents=list(agents), session=session.survey_session)
            session.survey_sent_at = now
            session.save(update_fields=["survey_sent_at"])
        sent += 1
    return sent
