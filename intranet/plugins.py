"""The core's own entries in the registry: the same way any app plugs in."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intranet import selectors
from intranet.directory import search as directory_search
from intranet.directory.permissions import can_manage_directory, can_view_orgchart
from intranet.directory.selectors import arrivals as selectors_arrivals
from intranet.directory.selectors import orgchart as selectors_orgchart
from intranet.directory.selectors import people  # noqa: F401  (its kept agent page watches its models in every process)
from intranet.directory.selectors.profile import profile_confirm_slot_context
from intranet.models import Agent, OrgUnit, Site, Skill
from intranet.permissions import can_manage_retention, can_read_audit_log
from intranet.registry import (
    DerivedRole,
    DocumentRenderer,
    HomeSlot,
    NavGroup,
    NavItem,
    PeriodicTask,
    Picker,
    Recoverer,
    RetentionRule,
    SearchProvider,
    SearchResult,
    register,
)
from intranet.roles import Role, has_role, roles_depend_on
from intranet.services import document_dispatch_pending, email_dispatch_pending


def _everyone(user) -> bool:
    return True


def _partner_only(user) -> bool:
    return has_role(user, Role.PARTNER) and user.is_external


def _is_manager(user) -> bool:
    return user.reports.filter(is_active=True).exists() or user.headed_units.exists()


register(
    DerivedRole(key=Role.MANAGER, rule=_is_manager),
    # The menus of the main navigation: apps put their entries in them by key (the core knows
    # the menus, not the apps).
    NavGroup(key="my-space", label=_("Mon espace"), order=10),
    NavGroup(key="directory", label=_("Annuaire"), order=20),
    NavGroup(key="plan", label=_("Projet d'administration"), order=30),
    NavGroup(key="communication", label=_("Communication"), order=40),
    NavGroup(key="career", label=_("Emploi et parcours"), order=50),
    NavGroup(key="manage", label=_("Gestion"), order=90),
    NavItem(key="home", label=_("Accueil"), url_name="intranet:home", order=0, visible=_everyone),
    NavItem(
        key="directory", label=_("Annuaire des agents"), url_name="directory:agent-list", order=20, group="directory"
    ),
    NavItem(
        key="orgchart",
        label=_("Organigramme"),
        url_name="directory:orgchart",
        order=30,
        visible=can_view_orgchart,
        group="directory",
    ),
    NavItem(
        key="trombinoscope",
        label=_("Trombinoscope"),
        url_name="directory:trombinoscope",
        order=31,
        visible=can_view_orgchart,
        group="directory",
    ),
    NavItem(
        key="hr",
        label=_("Agents et organigramme"),
        url_name="directory:hr-home",
        order=800,
        visible=can_manage_directory,
        group="manage",
    ),
    NavItem(
        key="retention",
        label=_("Durées de conservation"),
        url_name="intranet:retention",
        order=880,
        visible=can_manage_retention,
        group="manage",
    ),
    NavItem(
        key="audit",
        label=_("Journal des actions sensibles"),
        url_name="intranet:audit-log",
        order=900,
        visible=can_read_audit_log,
        group="manage",
    ),
    # Work no live worker holds (lost with a killed worker, asked for while the broker was down,
    # due for a retry) is published again by every app's Recoverer. A tick that waited longer than
    # a tick (no worker free) is dropped: the next one does the same.
    PeriodicTask(
        key="recover-stalled-work",
        task="intranet.tasks.recover_stalled_work_task",
        schedule=float(settings.WORK_RECOVERY_TICK),
        options={"expires": settings.WORK_RECOVERY_TICK},
    ),
    # The nightly purge of what is kept only for a while (intranet.retention).
    PeriodicTask(key="retention-purge", task="intranet.tasks.retention_purge_task", schedule=24 * 3600.0),
    Recoverer(key="intranet.outbox", recover=email_dispatch_pending),
    Recoverer(key="intranet.documents", recover=document_dispatch_pending),
    # « À faire »: the weekly e-mail of what waits for each agent, on its day (idempotent per agent and week).
    PeriodicTask(key="todo-digests", task="intranet.tasks.todo_digests_task", schedule=600.0),
)


def _render_trombinoscope(**params):
    from intranet.directory import pdf_orgchart  # WeasyPrint, loaded when printing

    return pdf_orgchart.trombinoscope_document_render(**params)


register(
    DocumentRenderer(key="directory.trombinoscope", render=_render_trombinoscope, reports_progress=True)
)  # TROMBINOSCOPE_DOCUMENT: a large one is a ZIP of one PDF per unit, its progress on the status page


def _render_orgchart(**params):
    from intranet.directory import pdf_orgchart  # WeasyPrint, loaded when printing

    return pdf_orgchart.orgchart_document_render(**params)


register(DocumentRenderer(key="directory.orgchart", render=_render_orgchart))  # ORGCHART_DOCUMENT


def _search_agents(*, user, query, limit):
    """The directory's search (accents, typos, ranking: intranet.directory.search), linking
    to the agent's page."""
    return [
        SearchResult(
            title=str(agent),
            url=reverse("directory:agent-detail", kwargs={"pk": agent.pk}),
            summary=" · ".join(filter(None, [agent.job_title, str(agent.org_unit or ""), agent.email])),
        )
        for agent in directory_search.agent_search(user=user, query=query)[:limit]
    ]


def _search_units(*, user, query, limit):
    return [
        SearchResult(
            title=f"{unit.name} ({unit.short_name})" if unit.short_name else unit.name,
            url=reverse("directory:unit-detail", kwargs={"pk": unit.pk}),
            summary=" · ".join(filter(None, [unit.get_kind_display(), unit.parent_name])),
        )
        for unit in selectors_orgchart.unit_search(user=user, query=query, limit=limit)
    ]


register(
    SearchProvider(key="agents", label=_("Agents"), search=_search_agents, order=0),
    SearchProvider(key="units", label=_("Services"), search=_search_units, order=1, visible=can_view_orgchart),
    HomeSlot(
        key="my-unit",
        title=_("Mon service"),
        template="intranet/slots/my_unit.html",
        kept=HomeSlot.KEPT_PERSON,
        context=lambda request: selectors.home_unit_context(user=request.user),
        order=10,
    ),
    HomeSlot(
        key="profile-confirm",
        title=_("Vos coordonnées sont-elles à jour ?"),
        template="intranet/directory/profile_confirm_slot.html",
        context=lambda request: profile_confirm_slot_context(user=request.user),
        order=5,
    ),
    HomeSlot(
        key="new-arrivals",
        title=_("Nouveaux arrivants"),
        template="intranet/directory/arrivals_slot.html",
        kept=HomeSlot.KEPT_EVERYONE,
        changes_with=("intranet.Agent",),
        context=lambda request: selectors_arrivals.arrivals_home_context(user=request.user, today=timezone.localdate()),
        order=20,
        visible=can_view_orgchart,
    ),
    HomeSlot(
        key="partner-welcome",
        title=_("Votre espace partenaire"),
        template="intranet/slots/partner_welcome.html",
        context=lambda request: {},
        order=0,
        visible=_partner_only,
    ),
)


# The pickers of the core: any agent, unit, site or skill, for the staff (never partners).
register(
    Picker(key="agents", kind="agent", queryset=lambda: Agent.objects.active().internal()),
    Picker(key="services", kind="unit", queryset=lambda: OrgUnit.objects.all()),
    Picker(key="sites", kind="site", queryset=lambda: Site.objects.all()),
    Picker(key="competences", kind="skill", queryset=lambda: Skill.objects.all()),
)


def _metrics() -> None:
    from intranet.metrics import BackgroundWorkCollector
    from intranet.metrics import register as register_collector

    register_collector(BackgroundWorkCollector())


_metrics()


def _retention_rules():
    from intranet import retention

    register(
        RetentionRule(
            key="intranet.sent_emails",
            label=_("Courriels envoyés (la trace de chaque envoi)"),
            default_days=90,
            purge=retention.sent_emails_purge,
            basis=_("Trace technique : le contenu reste dans le module qui l'a écrit."),
            order=10,
        ),
        RetentionRule(
            key="intranet.documents",
            label=_("Documents PDF produits à la demande"),
            default_days=30,
            purge=retention.documents_purge,
            basis=_("Copies de travail : chacun peut être produit de nouveau."),
            order=20,
        ),
        RetentionRule(
            key="intranet.audit_log",
            label=_("Journal des actions sensibles"),
            default_days=365,
            purge=retention.audit_log_purge,
            basis=_("CNIL, journalisation : de six mois à un an."),
            order=80,
        ),
        RetentionRule(
            key="intranet.sessions",
            label=_("Sessions de connexion expirées"),
            default_days=0,
            purge=retention.sessions_purge,
            basis=_("Supprimées dès leur expiration."),
            order=90,
        ),
    )


_retention_rules()

# Joining or leaving a group (HR's form, the admin) gives or takes its role at once.
roles_depend_on("intranet.Agent_groups")
