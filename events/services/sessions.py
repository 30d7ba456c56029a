"""Sessions: one, a series, their changes (more seats promote from the waiting list) and cancellation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from events.models import Event, Registration, Session
from events.permissions import can_edit_event
from events.services.seats import _lock, _mail_registration, _mail_session, _promote
from intranet.services import audit_log_record


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


def _check_site_scope(event: Event, values: dict) -> None:
    """A session « for the agents of its site, among the event's audience » needs an audience that
    holds agents by filter (everyone, services, sites, categories, roles) and, when it names sites,
    the session's own: else it would invite a site the event never addressed, or nobody."""
    if values["audience_scope"] != Session.Scope.SITE or values["site"] is None:
        return
    spec = event.audience_spec
    if not (spec.everyone or spec.has_filters):
        raise ValidationError(
            {
                "audience_scope": _(
                    "Le public de l'événement ne compte que des personnes nommées : la séance ne peut pas être "
                    "réservée aux agents de son site. Ajoutez des agents par site, service ou catégorie au public."
                )
            }
        )
    if spec.sites and values["site"].pk not in spec.sites:
        raise ValidationError(
            {
                "audience_scope": _(
                    "Le site %(site)s n'est pas dans le public de l'événement : ses agents n'y sont pas invités."
                )
                % {"site": values["site"].name}
            }
        )


@transaction.atomic
def session_create(*, event: Event, user, organisers=(), **values) -> Session:
    if not can_edit_event(user, event):
        raise PermissionDenied
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("L'événement est annulé."))
    values = _session_values(values)
    _check_site_scope(event, values)
    session = Session(event=event, **values)
    session.full_clean()
    session.save()
    if organisers:
        session.organisers.set(list(organisers))
    return session


@transaction.atomic(durable=True)
def session_update(*, session: Session, user, organisers=None, **values) -> Session:
    """Change a session: more seats promote from the waiting list; fewer than already taken is
    refused; a new date or place reaches those registered (iCalendar update)."""
    return session_change(session=session, user=user, organisers=organisers, **values)


@transaction.atomic
def session_change(*, session: Session, user, organisers=None, **values) -> Session:
    """session_update inside the caller's transaction: for a service that changes a session with
    rows of its own (onboarding's journée d'intégration and its period of arrivals)."""
    session = _lock(session)
    if not can_edit_event(user, session.event):
        raise PermissionDenied
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("Cette séance est annulée."))
    values = _session_values(values)
    _check_site_scope(session.event, values)
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
    for site in sites if per_site_audience else ():
        try:
            _check_site_scope(event, {"audience_scope": Session.Scope.SITE, "site": site})
        except ValidationError as error:  # said on the series form's own choice
            raise ValidationError({"per_site_audience": error.message_dict["audience_scope"]}) from None
    created, day = [], first_day
    tz = timezone.get_current_timezone()
    base = label or pgettext("a session of a series, numbered", "Séance")  # its title adds the event's
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
