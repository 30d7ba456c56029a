"""The role × URL access matrix: ONE table, every URL of the project has a row.

Adding an app: add one row per URL name of the app, in MATRIX below or, for the feature apps built
in parallel (reviews, surveys, mailing, newsletter, vacancies, onboarding, shadowing), in the app's
`tests/<app>/access_rows.py`, whose ROWS are merged into MATRIX (a key defined twice fails), e.g.
    "surveys:survey-detail": internal(kwargs=lambda ctx: {"pk": SurveyFactory().pk}),
    "onboarding:visit-detail": row(kwargs=lambda ctx: {"pk": VisitFactory(visitor=ctx.users["agent"]).pk},
                                   anonymous=LOGIN, default=NOT_FOUND, agent=OK, rh=OK, admin_user=OK),
`ctx.user` is the user of the role under test, `ctx.users["agent"]` any role's user, `ctx.fixture(name)`
any pytest fixture: build real objects there, including other people's objects for the 404 case.
Helpers and outcomes (`public`, `login_required`, `internal`, `admin_only`, `row`, `OK`, `LOGIN`,
`FORBIDDEN`, `NOT_FOUND`, `Redirect(...)`) come from tests/access.py. A model registered in the
admin needs a builder in ADMIN_OBJECTS; its admin rows are then generated (override them below
when the admin refuses something). A URL without a row, or a row without a URL, fails the tests.
"""

from collections import Counter
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.http import int_to_base36
from django.utils.timezone import now

from actions.models import ActionCard
from intranet.models import AuditLogEntry, DocumentRequest
from intranet.services import audit_log_record, email_queue
from tests.access import (
    FORBIDDEN,
    HOME,
    LOGIN,
    NOT_FOUND,
    OK,
    ROLES,
    Redirect,
    admin_only,
    admin_rows,
    check_access,
    internal,
    login_required,
    public,
    row,
    staff_only,
    url_patterns,
)
from tests.actions.factories import ActionCardFactory, IndicatorFactory, MeasurementFactory, StepFactory
from tests.content.access_rows import ROWS as CONTENT_ROWS
from tests.events.access_rows import ROWS as EVENTS_ROWS
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory, SkillFactory
from tests.identity.access_rows import ADMIN_OBJECTS as IDENTITY_ADMIN_OBJECTS
from tests.identity.access_rows import ROWS as IDENTITY_ROWS
from tests.mailing.access_rows import ROWS as MAILING_ROWS
from tests.newsletters.access_rows import ROWS as NEWSLETTER_ROWS
from tests.onboarding.access_rows import ROWS as ONBOARDING_ROWS
from tests.reviews.access_rows import ROWS as REVIEWS_ROWS
from tests.shadowing.access_rows import ROWS as SHADOWING_ROWS
from tests.surveys.access_rows import ROWS as SURVEYS_ROWS
from tests.surveys.results_access_rows import ROWS as SURVEYS_RESULTS_ROWS
from tests.vacancies.access_rows import ROWS as VACANCIES_ROWS


def _audit_entry(ctx):
    return audit_log_record(actor=ctx.users["rh"], action="agent.update", target=ctx.users["agent"])


def _card_change(ctx):
    from actions.services.cards import card_update

    return card_update(card=ActionCardFactory(), user=ctx.users["rh"], data={"status": "en_cours"})[0]


def _email_address(ctx):
    agent = AgentFactory()
    return EmailAddress.objects.create(user=agent, email=agent.email, primary=True, verified=True)


def _media_file(ctx):
    path = Path(ctx.fixture("settings").MEDIA_ROOT) / "photos" / "matrice.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8\xff\xe0")
    return {"path": "photos/matrice.jpg"}


def _piloted_card(ctx):
    card = ActionCardFactory()
    card.pilot_agents.add(ctx.users["pilote"])
    return {"pk": card.pk}


def _piloted_step(ctx):
    card = ActionCardFactory()
    card.pilot_agents.add(ctx.users["pilote"])
    return {"pk": card.pk, "step_pk": StepFactory(card=card).pk}


def _piloted_indicator(ctx):
    card = ActionCardFactory()
    card.pilot_agents.add(ctx.users["pilote"])
    return {"pk": card.pk, "indicator_pk": IndicatorFactory(card=card).pk}


def _my_cards_page(ctx):
    _piloted_card(ctx)
    return {}


def _plan_with_a_card(ctx):
    """A plan to export (its card's plan is the current one)."""
    _piloted_card(ctx)
    return {}


def _plan_pdf_status(ctx):
    return reverse("intranet:document-status", args=[DocumentRequest.objects.get().pk])


def _card_page(ctx):
    return reverse("actions:card-detail", args=[ActionCard.objects.get().pk])


def _card_edit(kwargs, data=None):
    """A POST on a card by its pilots or HR/admins, who go back to the card's page."""
    return internal(
        kwargs=kwargs,
        method="post",
        data=data or {},
        default=FORBIDDEN,
        pilote=Redirect(_card_page),
        rh=Redirect(_card_page),
        admin_user=Redirect(_card_page),
    )


def _card_manage(kwargs, page, data=None, *, pilote=False):
    """A POST of HR's management of a card (and, for `pilote`, of its pilots too): back to the
    card's `page` (its steps, its indicators); everyone else is refused."""

    def back(ctx):
        return reverse(f"actions:{page}", args=[ActionCard.objects.get().pk])

    def post_data(ctx):
        return data(ctx) if callable(data) else (data or {})

    allowed = {"rh": Redirect(back), "admin_user": Redirect(back)}
    if pilote:
        allowed["pilote"] = Redirect(back)
    return internal(kwargs=kwargs, method="post", data=post_data, default=FORBIDDEN, **allowed)


def _step_edit_data(ctx):
    from actions.models import Step

    step = Step.objects.get()
    return {f"etape-{step.pk}-title": "Intitulé", f"etape-{step.pk}-due_date": "2026-06-30"}


def _indicator_edit_data(ctx):
    from actions.models import Indicator

    prefix = f"indicateur-{Indicator.objects.get().pk}"
    return {f"{prefix}-definition": "Taux de satisfaction", f"{prefix}-direction": "higher"}


def _card_update(kwargs, data):
    """A pilot's in-place update: the card's pilots go back to "Mes actions", HR and
    administrators to the card's page; other agents are refused."""

    def card_page(ctx):
        return reverse("actions:card-detail", args=[ActionCard.objects.get().pk])

    return internal(
        kwargs=kwargs,
        method="post",
        data=data,
        default=FORBIDDEN,
        pilote=Redirect("/plan/mes-actions/"),
        rh=Redirect(card_page),
        admin_user=Redirect(card_page),
    )


def _own_document(ctx, *, done=False):
    """A trombinoscope asked for by the agent: only they (and administrators) see it."""
    document = DocumentRequest.objects.create(
        kind="directory.trombinoscope",
        params={"unit_id": None, "site_id": ctx.fixture("site").pk},
        requested_by=ctx.users["agent"],
    )
    if done:
        document.file.save("matrice.pdf", ContentFile(b"%PDF-1.7 matrice"), save=False)
        document.status, document.filename, document.done_at = DocumentRequest.Status.DONE, "matrice.pdf", now()
        document.save()
    return {"pk": document.pk}


def _status_url(ctx):
    return reverse("intranet:document-status", kwargs={"pk": DocumentRequest.objects.get().pk})


def _hr_only(**kw):
    """HR's pages: HR and administrators; other agents get 403, partners too."""
    return row(**{"anonymous": LOGIN, "default": FORBIDDEN, "rh": OK, "admin_user": OK, **kw})


# Real objects for the admin's object URLs (change, delete, history…), by model label.
ADMIN_OBJECTS = {
    "auth.group": lambda ctx: Group.objects.get(name="rh"),
    "account.emailaddress": _email_address,
    "intranet.agent": lambda ctx: AgentFactory(),
    "intranet.orgunit": lambda ctx: OrgUnitFactory(),
    "intranet.site": lambda ctx: SiteFactory(),
    "intranet.skill": lambda ctx: SkillFactory(),
    "intranet.auditlogentry": _audit_entry,
    "intranet.outgoingemail": lambda ctx: email_queue(to="matrice@test.local", subject="s", text="t", kind="test"),
    "actions.plan": lambda ctx: ActionCardFactory().plan,
    "actions.objective": lambda ctx: ActionCardFactory().objective,
    "actions.actioncard": lambda ctx: ActionCardFactory(),
    "actions.indicator": lambda ctx: IndicatorFactory(),
    "actions.measurement": lambda ctx: MeasurementFactory(),
    "actions.cardchange": _card_change,
}
ADMIN_OBJECTS.update(IDENTITY_ADMIN_OBJECTS)


def _mailing(ctx):
    from tests.mailing.factories import make_mailing

    return make_mailing(created_by=ctx.users["communication"])


def _factory(path: str):
    """A builder from a factory named "tests.<app>.factories.<Factory>", imported when used."""

    def build(ctx):
        import importlib

        module, name = path.rsplit(".", 1)
        return getattr(importlib.import_module(module), name)()

    return build


# The feature apps' rows in the admin are read-only (intranet.admin.ReadOnlyAdmin): administrators
# look them up; every change goes through the app's pages.
READ_ONLY_ADMIN_OBJECTS = {
    "surveys.survey": _factory("tests.surveys.factories.SurveyFactory"),
    "mailing.mailing": _mailing,
    "newsletters.issue": _factory("tests.newsletters.factories.IssueFactory"),
    "vacancies.vacancy": _factory("tests.vacancies.factories.VacancyFactory"),
    "onboarding.arrival": _factory("tests.onboarding.factories.ArrivalFactory"),
    "shadowing.campaign": _factory("tests.shadowing.factories.CampaignFactory"),
    "reviews.review": _factory("tests.reviews.factories.ReviewFactory"),
    "events.event": _factory("tests.events.factories.EventFactory"),
}
ADMIN_OBJECTS.update(READ_ONLY_ADMIN_OBJECTS)
ADMIN = admin_rows(admin.site, ADMIN_OBJECTS)

MATRIX = {
    # --- The core ---
    "intranet:home": login_required(),  # partners land on their own home
    "intranet:search": login_required(data={"q": "du"}),  # partners: no provider answers them
    # « À faire »: everyone signed in (partners are invited to surveys); each source decides what it shows.
    "intranet:todo": login_required(),
    "intranet:todo-digest": row(
        method="post", data={"todo_digest": "on"}, anonymous=LOGIN, default=Redirect("/a-faire/")
    ),
    "intranet:accessibility": public(),
    "intranet:legal": public(),
    "intranet:privacy": public(),
    "intranet:health": public(),
    "intranet:health-detail": admin_only(),
    "intranet:retention": _hr_only(),
    "intranet:metrics": public(),  # from 127.0.0.1, the test client's address (see tests/intranet/test_health.py)
    "intranet:audit-log": admin_only(),
    "intranet:picker-agents": internal(data={"q": "du"}),
    "intranet:picker-services": internal(data={"q": "ress"}),
    "intranet:picker-sites": internal(data={"q": "si"}),
    "intranet:picker-competences": internal(data={"q": "ex"}),
    "intranet:mail-outbox": admin_only(  # exists in DEBUG only: see test_mail_outbox_is_absent_without_debug
        settings=lambda ctx: {"DEBUG": True, "EMAIL_FILE_PATH": ctx.fixture("tmp_path")},
    ),
    "intranet:media": internal(kwargs=_media_file),
    "set_language": row(method="post", data={"language": "en", "next": "/"}, default=HOME),
    # Onboarding's former address: a permanent redirect for everyone (the new page decides).
    "moved-onboarding-accueil": row(url=lambda ctx: "/accueil/", default=Redirect("/integration/", code=301)),
    # --- Accounts (allauth): the entrance is public, the account pages need a login ---
    "account_login": row(anonymous=OK, logged_in=HOME),
    "account_logout": row(anonymous=HOME, logged_in=OK),  # GET asks to confirm; logging out is a POST
    "account_inactive": public(),
    "account_signup": row(anonymous=OK.containing("Pas d'inscription en libre-service"), logged_in=HOME),
    "account_reauthenticate": login_required(),
    "account_email": login_required(),
    "account_email_verification_sent": public(),
    "account_confirm_email": public(
        kwargs={"key": "cle-inconnue"},
        default=OK.containing("a expiré ou n'est pas valide"),
    ),
    "account_change_password": login_required(),
    "account_set_password": row(anonymous=LOGIN, logged_in=Redirect("/comptes/password/change/")),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key": public(
        kwargs=lambda ctx: {"uidb36": int_to_base36(ctx.users["agent"].pk), "key": "jeton-faux"},
        default=OK.containing("Mauvais jeton"),
    ),
    "account_reset_password_from_key_done": public(),
    "account_confirm_login_code": row(anonymous=Redirect("/comptes/login/"), logged_in=HOME),  # codes are off
    # --- actions: the projet d'administration, read by every internal agent ---
    "actions:plan-overview": internal(),
    "actions:plan-calendar": internal(),
    "actions:plan-exports": internal(),
    # The import of a plan is HR's; a token this session did not upload is unknown (real flow: tests/actions).
    "actions:plan-import": internal(default=FORBIDDEN, rh=OK, admin_user=OK),
    "actions:plan-import-template-xlsx": internal(default=FORBIDDEN, rh=OK, admin_user=OK),
    "actions:plan-import-template-csv": internal(default=FORBIDDEN, rh=OK, admin_user=OK),
    "actions:plan-import-preview": internal(
        kwargs={"token": "0" * 32}, default=FORBIDDEN, rh=NOT_FOUND, admin_user=NOT_FOUND
    ),
    "actions:plan-import-apply": internal(
        kwargs={"token": "0" * 32}, method="post", default=FORBIDDEN, rh=NOT_FOUND, admin_user=NOT_FOUND
    ),
    "actions:plan-export-csv": internal(kwargs=_plan_with_a_card),
    "actions:plan-export-xlsx": internal(kwargs=_plan_with_a_card),
    "actions:plan-export-pdf": internal(kwargs=_plan_with_a_card, method="post", default=Redirect(_plan_pdf_status)),
    "actions:card-detail": internal(kwargs=_piloted_card),
    "actions:my-cards": internal(kwargs=_my_cards_page, default=FORBIDDEN, pilote=OK),  # pilots only
    "actions:card-status": _card_update(_piloted_card, {"status": "en_cours"}),
    "actions:step-update": _card_update(_piloted_step, {"state": "realisee"}),
    "actions:measurement-create": _card_update(_piloted_indicator, {"date": "2026-03-01", "value": "12"}),
    "actions:card-indicators-refresh": _card_edit(_piloted_card),
    # HR and administrators manage the plan; the card's pilots set their steps' due dates.
    "actions:card-edit": internal(kwargs=_piloted_card, default=FORBIDDEN, rh=OK, admin_user=OK),
    "actions:card-steps": internal(kwargs=_piloted_card, default=FORBIDDEN, pilote=OK, rh=OK, admin_user=OK),
    "actions:step-create": _card_manage(_piloted_card, "card-steps", {"nouvelle-title": "Nouvelle étape"}),
    "actions:step-edit": _card_manage(_piloted_step, "card-steps", _step_edit_data, pilote=True),
    "actions:step-move": _card_manage(_piloted_step, "card-steps", {"direction": "up"}),
    "actions:step-delete": _card_manage(_piloted_step, "card-steps"),
    "actions:card-indicators": internal(kwargs=_piloted_card, default=FORBIDDEN, rh=OK, admin_user=OK),
    "actions:indicator-create": _card_manage(
        _piloted_card, "card-indicators", {"nouvel-definition": "Nombre de participants", "nouvel-direction": "higher"}
    ),
    "actions:indicator-edit": _card_manage(_piloted_indicator, "card-indicators", _indicator_edit_data),
    "actions:indicator-delete": _card_manage(_piloted_indicator, "card-indicators"),
    # --- directory, HR: the import, the org chart's edits and the export are for HR (and admins) ---
    "directory:hr-home": _hr_only(),
    "directory:hr-import": _hr_only(),
    # A token this session did not upload is unknown, even to HR (the real flow: tests/intranet/directory).
    "directory:hr-import-preview": _hr_only(kwargs={"token": "0" * 32}, rh=NOT_FOUND, admin_user=NOT_FOUND),
    "directory:hr-import-apply": _hr_only(
        kwargs={"token": "0" * 32}, method="post", rh=NOT_FOUND, admin_user=NOT_FOUND
    ),
    "directory:hr-unit-create": _hr_only(),
    "directory:hr-unit-edit": _hr_only(kwargs=lambda ctx: {"pk": OrgUnitFactory().pk}),
    "directory:hr-unit-merge": _hr_only(kwargs=lambda ctx: {"pk": OrgUnitFactory().pk}),
    "directory:export-csv": _hr_only(),
    "directory:export-xlsx": _hr_only(data=lambda ctx: {"unite": OrgUnitFactory().pk}),
    # --- directory: org chart, unit pages, trombinoscope, arrivals and their PDFs (internal agents) ---
    "directory:orgchart": internal(),
    "directory:orgchart-pdf": internal(),
    "directory:unit-detail": internal(kwargs=lambda ctx: {"pk": ctx.fixture("unit").pk}),
    "directory:trombinoscope": internal(data=lambda ctx: {"site": ctx.fixture("site").pk}),
    "directory:trombinoscope-pdf": internal(data=lambda ctx: {"site": ctx.fixture("site").pk}),
    "directory:arrivals": internal(data={"mois": "2026-01"}),
    # A document a worker renders (a big trombinoscope): its requester and administrators only.
    "intranet:document-status": row(kwargs=_own_document, anonymous=LOGIN, default=NOT_FOUND, agent=OK, admin_user=OK),
    "intranet:document-retry": row(
        kwargs=_own_document,
        method="post",
        anonymous=LOGIN,
        default=NOT_FOUND,
        agent=Redirect(_status_url),
        admin_user=Redirect(_status_url),
    ),
    "intranet:document-download": row(
        kwargs=lambda ctx: _own_document(ctx, done=True), anonymous=LOGIN, default=NOT_FOUND, agent=OK, admin_user=OK
    ),
    # --- directory, profiles: each agent's own profile and data; HR edits, completes, anonymises ---
    "directory:profile-edit": internal(),
    "directory:profile-confirm": row(method="post", anonymous=LOGIN, default=HOME, partenaire=FORBIDDEN),
    "directory:my-data": login_required(),  # partners are data subjects too
    "directory:my-data-download": login_required(),
    "directory:agent-edit": row(
        kwargs=lambda ctx: {"pk": ctx.users["agent"].pk}, anonymous=LOGIN, default=FORBIDDEN, rh=OK, admin_user=OK
    ),
    "directory:agent-anonymise": row(
        kwargs=lambda ctx: {"pk": ctx.users["agent"].pk}, anonymous=LOGIN, default=FORBIDDEN, rh=OK, admin_user=OK
    ),
    "directory:completion": row(anonymous=LOGIN, default=FORBIDDEN, rh=OK, admin_user=OK),
    # --- directory, people: search, agent page, vCard (internal agents; partners see no agent) ---
    "directory:agent-list": internal(data={"q": "dupont"}),
    "directory:agent-detail": internal(kwargs=lambda ctx: {"pk": ctx.users["agent"].pk}),
    "directory:agent-vcard": internal(kwargs=lambda ctx: {"pk": ctx.users["agent"].pk}),
    # --- Django admin: staff only. Per-model rows are generated from admin.site ---
    **ADMIN,
    "admin:index": staff_only(),
    "admin:login": public(admin_user=Redirect("/admin/")),  # non-staff see "not authorised"
    "admin:logout": row(method="post", default=Redirect("/admin/"), admin_user=OK),
    "admin:password_change": staff_only(),
    "admin:password_change_done": staff_only(),
    "admin:jsi18n": staff_only(),
    "admin:app_list": staff_only(kwargs={"app_label": "intranet"}),
    "admin:autocomplete": staff_only(data={"app_label": "intranet", "model_name": "agent", "field_name": "org_unit"}),
    "admin:view_on_site": staff_only(
        kwargs=lambda ctx: {
            "content_type_id": ContentType.objects.get_for_model(AuditLogEntry).pk,
            "object_id": _audit_entry(ctx).pk,
        },
        admin_user=Redirect(lambda ctx: reverse("admin:intranet_auditlogentry_change", args=[ctx.object_pk])),
    ),
    "admin/(?P<url>.*)$": staff_only(url=lambda ctx: "/admin/pas-de-page-ici/", admin_user=NOT_FOUND),
    "admin:auth_user_password_change": staff_only(kwargs=lambda ctx: {"id": ctx.users["agent"].pk}),
    # The audit log is read-only, even in the admin.
    "admin:intranet_auditlogentry_add": ADMIN["admin:intranet_auditlogentry_add"].but(admin_user=FORBIDDEN),
    "admin:intranet_auditlogentry_delete": ADMIN["admin:intranet_auditlogentry_delete"].but(admin_user=FORBIDDEN),
    # A card's history is written by the services only, even from the admin.
    "admin:actions_cardchange_add": ADMIN["admin:actions_cardchange_add"].but(admin_user=FORBIDDEN),
    "admin:actions_cardchange_delete": ADMIN["admin:actions_cardchange_delete"].but(admin_user=FORBIDDEN),
    # The outbox is written by the services only.
    "admin:intranet_outgoingemail_add": ADMIN["admin:intranet_outgoingemail_add"].but(admin_user=FORBIDDEN),
}
for _label in READ_ONLY_ADMIN_OBJECTS:
    for _view in ("add", "delete"):
        _name = f"admin:{_label.replace('.', '_')}_{_view}"
        MATRIX[_name] = ADMIN[_name].but(admin_user=FORBIDDEN)

APP_ROWS = (
    REVIEWS_ROWS,
    SURVEYS_ROWS,
    SURVEYS_RESULTS_ROWS,
    MAILING_ROWS,
    NEWSLETTER_ROWS,
    VACANCIES_ROWS,
    ONBOARDING_ROWS,
    SHADOWING_ROWS,
    IDENTITY_ROWS,
    CONTENT_ROWS,
    EVENTS_ROWS,
)
_DEFINED_TWICE = sorted(key for rows in APP_ROWS for key in rows if key in MATRIX) + sorted(
    key for key, count in Counter(key for rows in APP_ROWS for key in rows).items() if count > 1
)
for _rows in APP_ROWS:
    MATRIX.update(_rows)

PATTERNS = {pattern.key: pattern for pattern in url_patterns()}


def test_no_row_is_defined_twice():
    assert not _DEFINED_TWICE, "Rows defined twice in the access matrix: " + ", ".join(_DEFINED_TWICE)


@pytest.mark.parametrize(
    ("key", "role"),
    [(key, role) for key in sorted(MATRIX) for role in ROLES],
    ids=[f"{key}-{role}" for key in sorted(MATRIX) for role in ROLES],
)
def test_access(key, role, request, db):
    check_access(key=key, role=role, row=MATRIX[key], patterns=PATTERNS, request=request)


def test_every_url_has_a_row():
    missing = sorted(set(PATTERNS) - set(MATRIX))
    hint = ""
    unbuilt = sorted(
        model._meta.label_lower for model in admin.site._registry if model._meta.label_lower not in ADMIN_OBJECTS
    )
    if unbuilt:
        hint = f"\nModels registered in the admin without a builder in ADMIN_OBJECTS: {', '.join(unbuilt)}"
    assert not missing, (
        "URLs without a row in the access matrix:\n  "
        + "\n  ".join(key if key == PATTERNS[key].route else f"{key}  ({PATTERNS[key].route})" for key in missing)
        + hint
    )


def test_every_row_has_a_url():
    stale = sorted(set(MATRIX) - set(PATTERNS))
    assert not stale, "Rows of the access matrix whose URL no longer exists:\n  " + "\n  ".join(stale)


@pytest.mark.parametrize("role", ROLES)
def test_mail_outbox_is_absent_without_debug(role, db, client, request, settings):
    settings.DEBUG = False
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("intranet:mail-outbox")).status_code == 404
