"""The identity app's entries in the core's registry: the partners' page in HR's menu, the useful
contacts on a partner's home, the daily expiry of partners' accesses."""

from django.utils.translation import gettext_lazy as _

from identity import partners
from identity.permissions import can_manage_partners
from intranet.registry import DemoSeed, HomeSlot, NavItem, PeriodicTask, register


def _partner_only(user) -> bool:
    return getattr(user, "is_external", False)


def _demo_seed(*, stdout) -> None:
    """The demo's partners get an access a year long, invited by HR, and HR's agent as their contact."""
    from datetime import timedelta

    from django.utils import timezone

    from identity.models import PartnerAccess, PartnerContact
    from intranet.models import Agent

    hr = Agent.objects.filter(email="rh@demo.local").first()
    for partner in Agent.objects.filter(is_external=True, partner_access__isnull=True):
        PartnerAccess.objects.create(
            partner=partner,
            service="rh",
            invited_by=hr,
            accepted_at=timezone.now(),
            expires_on=timezone.localdate() + timedelta(days=365),
        )
        if hr and partner.organisation:
            PartnerContact.objects.get_or_create(
                organisation=partner.organisation, agent=hr, defaults={"role": "Gestion des agents des lycées"}
            )


def _contacts_context(request):
    contacts = partners.partner_contacts_for(user=request.user)
    return {"contacts": contacts} if contacts else None


register(
    NavItem(
        key="partners",
        label=_("Partenaires extérieurs"),
        url_name="identity:partner-list",
        order=60,
        visible=can_manage_partners,
        group="manage",
    ),
    HomeSlot(
        key="partner-contacts",
        title=_("Les contacts utiles de l'administration"),
        template="identity/slots/partner_contacts.html",
        context=_contacts_context,
        order=1,
        visible=_partner_only,
    ),
    DemoSeed(key="identity", seed=_demo_seed),
    # Active Directory / LDAP: the nightly sync (does nothing while LDAP_SERVER_URI is unset).
    PeriodicTask(key="identity-directory-sync", task="identity.tasks.directory_sync_task", schedule=24 * 3600.0),
    PeriodicTask(key="identity-partners-expire", task="identity.tasks.partners_expire_task", schedule=3600.0),
)
