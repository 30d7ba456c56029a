"""Partners' accesses: invitation, acceptance, yearly reconfirmation, expiry (services), and the
reads of the partners' pages (selectors). Rules of who may do it: identity.permissions."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from identity.models import PartnerAccess, PartnerContact
from identity.permissions import can_manage_partners, inviting_service
from identity.services import user_sessions_end
from intranet.links import absolute_url
from intranet.services import audit_log_record, email_queue

INVITATION_SALT = "identity.partner-invitation"
INVITATION_DAYS = 5


# --- invitation links ----------------------------------------------------------------------------
def _fingerprint(user) -> str:
    """Changes once the partner has set a password: a link works once."""
    return salted_hmac(INVITATION_SALT, f"{user.pk}:{user.password}:{user.is_active}").hexdigest()[:20]


def invitation_token(user) -> str:
    return signing.dumps({"p": user.pk, "f": _fingerprint(user)}, salt=INVITATION_SALT, compress=True)


def invitation_partner(token: str):
    """The partner a link is for, or None when it is unknown, used, or older than INVITATION_DAYS."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data.get("p"), is_external=True, is_active=True).first()
    if user is None or data.get("f") != _fingerprint(user):
        return None
    return user


# --- services ------------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def partner_invite(
    *, user, email: str, first_name: str, last_name: str, organisation: str, expires_on: date
) -> PartnerAccess:
    """Create the partner's account (no password yet) and mail them a link valid INVITATION_DAYS days."""
    if not can_manage_partners(user):
        raise PermissionDenied
    email = email.strip().lower()
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Un compte existe déjà avec cette adresse.")})
    if expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": _("La date de fin d'accès doit être dans le futur.")})
    partner = get_user_model().objects.create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        is_external=True,
        password=make_password(None),
    )
    access = PartnerAccess.objects.create(
        partner=partner, service=inviting_service(user), invited_by=user, expires_on=expires_on
    )
    _send_invitation(access)
    audit_log_record(actor=user, action="partner.invite", target=partner, details={"expires_on": str(expires_on)})
    return access


def _send_invitation(access: PartnerAccess) -> None:
    partner = access.partner
    link = absolute_url(reverse("identity:invitation-accept", kwargs={"token": invitation_token(partner)}))
    context = {"partner": partner, "access": access, "link": link, "days": INVITATION_DAYS}
    email_queue(
        to=partner.email,
        subject=_("Votre accès à l'extranet de l'administration"),
        text=render_to_string("identity/email/partner_invitation.txt", context),
        kind="identity.partner_invitation",
    )


@transaction.atomic(durable=True)
def partner_invitation_resend(*, user, access: PartnerAccess) -> None:
    if not can_manage_partners(user):
        raise PermissionDenied
    _send_invitation(access)


@transaction.atomic(durable=True)
def partner_invitation_accept(*, token: str, password: str):
    """The partner sets their password through their link; the link then no longer works."""
    partner = invitation_partner(token)
    if partner is None:
        raise ValidationError(_("Ce lien d'invitation n'est plus valable : demandez-en un nouveau."))
    access = PartnerAccess.objects.select_for_update().get(partner=partner)
    if access.is_expired(timezone.localdate()):
        raise ValidationError(_("Votre accès partenaire a expiré."))
    partner.set_password(password)
    partner.save(update_fields=["password"])
    access.accepted_at = timezone.now()
    access.save(update_fields=["accepted_at"])
    audit_log_record(actor=partner, action="partner.accept", target=partner)
    return partner


@transaction.atomic(durable=True)
def partner_reconfirm(*, user, access: PartnerAccess) -> PartnerAccess:
    """The inviting service confirms for another year that the partner still needs the access."""
    if not can_manage_partners(user):
        raise PermissionDenied
    access = PartnerAccess.objects.select_for_update().get(pk=access.pk)
    access.confirmed_at = timezone.now()
    access.save(update_fields=["confirmed_at"])
    audit_log_record(actor=user, action="partner.reconfirm", target=access.partner)
    return access


@transaction.atomic(durable=True)
def partners_expire(*, today: date) -> int:
    """Sign out the partners whose access has ended (they cannot sign in again: see
    identity.permissions.password_refused_reason and the adapter's pre_login)."""
    ended = 0
    for access in PartnerAccess.objects.select_related("partner"):
        if access.is_expired(today) and user_sessions_end(user=access.partner):
            ended += 1
    return ended


@transaction.atomic(durable=True)
def partner_contact_add(*, user, organisation: str, agent_email: str, role: str) -> PartnerContact:
    if not can_manage_partners(user):
        raise PermissionDenied
    agent = get_user_model().objects.active().internal().filter(email__iexact=agent_email.strip()).first()
    if agent is None:
        raise ValidationError({"agent_email": _("Aucun agent actif n'a cette adresse.")})
    if PartnerContact.objects.filter(organisation=organisation, agent=agent).exists():
        raise ValidationError({"agent_email": _("Cet agent est déjà un contact de cet organisme.")})
    order = PartnerContact.objects.filter(organisation=organisation).count()
    return PartnerContact.objects.create(organisation=organisation, agent=agent, role=role, order=order)


@transaction.atomic(durable=True)
def partner_contact_remove(*, user, contact: PartnerContact) -> None:
    if not can_manage_partners(user):
        raise PermissionDenied
    contact.delete()


# --- selectors -----------------------------------------------------------------------------------
def partner_access_list():
    return PartnerAccess.objects.select_related("partner", "invited_by").order_by(
        "partner__organisation", "partner__last_name", "partner__first_name"
    )


def partner_organisations() -> list[str]:
    names = set(
        get_user_model()
        .objects.filter(is_external=True)
        .exclude(organisation="")
        .values_list("organisation", flat=True)
    )
    return sorted(names | set(PartnerContact.objects.values_list("organisation", flat=True)))


def partner_contacts_for(*, user) -> list[PartnerContact]:
    """The contacts HR chose for the partner's organisation."""
    if not getattr(user, "is_external", False) or not user.organisation:
        return []
    return list(
        PartnerContact.objects.filter(organisation=user.organisation, agent__is_active=True).select_related(
            "agent", "agent__org_unit"
        )
    )


def partner_contact_list():
    return PartnerContact.objects.select_related("agent", "agent__org_unit")
