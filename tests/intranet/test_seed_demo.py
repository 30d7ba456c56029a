"""`seed_demo`: what `make run` loads, checked the way a person trying the demo would (on a database
seeded once for the module; the command's refusals and extensions: test_seed_demo_runs.py)."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from intranet import demo
from intranet.models import Agent, OrgUnit, Site, Skill
from intranet.roles import Role, has_role, roles_of
from tests.harness import rolled_back_transaction

EMAILS = [
    "agent@demo.local",
    "manager@demo.local",
    "rh@demo.local",
    "communication@demo.local",
    "copil@demo.local",
    "pilote@demo.local",
    "partenaire@demo.local",
    "admin@demo.local",
]
SMALL = 60  # the smallest size that still gives every unit a head, plus a few agents

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, built once for the module (each test runs in a savepoint rolled back after it;
    the module's transaction is rolled back after its last test). Its output."""
    with django_db_blocker.unblock(), rolled_back_transaction():
        yield seed(agents=SMALL)


def counts():
    return (
        Agent.objects.count(),
        OrgUnit.objects.count(),
        Site.objects.count(),
        Skill.objects.count(),
        Agent.skills.through.objects.count(),
        Agent.groups.through.objects.count(),
    )


def test_seed_demo_builds_the_requested_number_of_agents(seeded):
    assert Agent.objects.internal().count() == SMALL
    assert Agent.objects.filter(is_external=True).count() >= 2


def test_every_demo_account_logs_in_with_the_demo_password(seeded, client):
    for email in EMAILS:
        assert client.login(email=email, password="maison-commune"), email
        client.logout()
    response = client.post(reverse("account_login"), {"login": "agent@demo.local", "password": "maison-commune"})
    assert response.status_code == 302
    assert response["Location"] == reverse("intranet:home")


def test_manager_heads_the_service_of_agent_and_manages_them(seeded):
    agent = Agent.objects.get(email="agent@demo.local")
    manager = Agent.objects.get(email="manager@demo.local")
    assert agent.manager == manager
    assert agent.org_unit.head == manager
    assert agent.org_unit.kind == OrgUnit.Kind.SERVICE
    assert has_role(manager, Role.MANAGER)
    assert roles_of(agent) == {Role.AGENT}


def test_each_role_group_holds_its_demo_account(seeded):
    for role in (Role.HR, Role.COMMUNICATION, Role.COPIL, Role.PARTNER, Role.ADMIN):
        members = Group.objects.get(name=role.value).user_set.values_list("email", flat=True)
        assert f"{role.value}@demo.local" in members
        assert has_role(Agent.objects.get(email=f"{role.value}@demo.local"), role)
    admin = Agent.objects.get(email="admin@demo.local")
    assert admin.is_superuser
    assert admin.is_staff
    assert Agent.objects.filter(is_superuser=True).count() == 1


def test_hr_and_communication_work_in_their_services(seeded):
    assert Agent.objects.get(email="rh@demo.local").org_unit.name == "Ressources humaines"
    assert Agent.objects.get(email="communication@demo.local").org_unit.name == "Communication"


def test_partner_is_an_external_lycee_principal(seeded):
    partner = Agent.objects.get(email="partenaire@demo.local")
    assert partner.is_external
    assert partner.organisation == "Lycée Jean Zay"
    assert partner.job_title == "Proviseur"
    assert partner.org_unit is None
    assert roles_of(partner) == {Role.PARTNER}
    assert Site.objects.filter(name="Lycée Jean Zay", kind=Site.Kind.LYCEE).exists()


def test_sites_include_the_seat_and_lycees(seeded):
    assert Site.objects.filter(kind=Site.Kind.SIEGE).count() == 1
    assert Site.objects.filter(kind=Site.Kind.LYCEE).count() >= 3
    lycee_agents = Agent.objects.internal().filter(site__kind=Site.Kind.LYCEE)
    assert lycee_agents.exists()
    assert set(lycee_agents.values_list("category", "filiere").distinct()) == {("C", Agent.Filiere.TECHNIQUE)}


def test_org_chart_has_poles_directions_and_services_each_with_a_head(seeded):
    root = OrgUnit.objects.roots().get()
    assert root.name == "Direction générale des services"
    service = OrgUnit.objects.get(
        kind=OrgUnit.Kind.SERVICE,
        parent__kind=OrgUnit.Kind.DIRECTION,
        parent__parent__kind=OrgUnit.Kind.POLE,
        name="Comptabilité",
    )
    assert service.parent.parent.parent == root
    assert not OrgUnit.objects.filter(head__isnull=True).exists()


def test_everyone_is_managed_by_the_head_of_their_unit_or_of_the_unit_above(seeded):
    for agent in Agent.objects.internal().select_related("org_unit__head", "org_unit__parent__head"):
        unit = agent.org_unit
        heads_own_unit = unit.head_id == agent.pk
        expected = (unit.parent.head_id if unit.parent else None) if heads_own_unit else unit.head_id
        assert agent.manager_id == expected, agent.email


def test_a_few_agents_arrived_this_month(seeded):
    first_of_month = timezone.localdate().replace(day=1)
    assert Agent.objects.internal().filter(arrival_date__gte=first_of_month).exists()


def test_every_agent_has_a_real_jpeg_photo(seeded, client):
    agents = list(Agent.objects.all())
    assert all(agent.photo for agent in agents)
    for agent in agents:
        with Image.open(Path(agent.photo.path)) as image:
            assert image.format == "JPEG"
            assert image.size == (demo.AVATAR_SIZE, demo.AVATAR_SIZE)
    client.force_login(agents[0])
    response = client.get(agents[0].photo.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_output_lists_the_demo_accounts_with_their_password(seeded):
    for email in EMAILS:
        assert email in seeded
    assert "Mot de passe" in seeded
    assert "maison-commune" in seeded
    assert "Création de" in seeded


def test_second_run_changes_nothing_and_still_prints_the_accounts(seeded):
    before = counts()
    output = seed()
    assert counts() == before
    assert "déjà en place" in output
    for email in EMAILS:
        assert email in output


def test_agents_option_on_a_seeded_database_adds_only_the_missing_agents(seeded):
    units = OrgUnit.objects.count()
    output = seed(agents=SMALL + 25)
    assert Agent.objects.internal().count() == SMALL + 25
    assert OrgUnit.objects.count() == units
    assert "25 agents ajoutés" in output
    for agent in Agent.objects.order_by("-pk")[:25].select_related("org_unit"):
        assert agent.manager_id == agent.org_unit.head_id
        assert agent.photo
    seed(agents=SMALL)
    assert Agent.objects.internal().count() == SMALL + 25
