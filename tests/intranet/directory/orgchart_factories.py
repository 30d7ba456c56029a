"""A small org chart for the org chart, trombinoscope and arrivals tests."""

from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image

from intranet.models import Agent, OrgUnit, Site
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory


def jpeg_file(name: str = "photo.jpg", colour=(200, 120, 40)) -> ContentFile:
    out = BytesIO()
    Image.new("RGB", (400, 400), colour).save(out, format="JPEG")
    return ContentFile(out.getvalue(), name=name)


@dataclass
class Tree:
    pole: OrgUnit
    direction: OrgUnit
    finances: OrgUnit
    paie: OrgUnit
    other: OrgUnit
    siege: Site
    lycee: Site


def build_tree() -> Tree:
    """Pôle Ressources > Direction des finances > {Comptabilité, Paie}; and a separate root.

    Active agents: pôle 1, direction 1, comptabilité 3 (+1 inactive, +1 partner), paie 2,
    other root 1: the pôle's headcount is 7, the direction's 6."""
    siege, lycee = SiteFactory(name="Hôtel de Région"), SiteFactory(name="Lycée Jean Zay")
    pole = OrgUnitFactory(name="Pôle Ressources", kind=OrgUnit.Kind.POLE, short_name="PR")
    direction = OrgUnitFactory(name="Direction des finances", kind=OrgUnit.Kind.DIRECTION, parent=pole)
    finances = OrgUnitFactory(name="Comptabilité", parent=direction)
    paie = OrgUnitFactory(name="Paie", parent=direction)
    other = OrgUnitFactory(name="Direction de la communication", kind=OrgUnit.Kind.DIRECTION)
    head = AgentFactory(
        first_name="Paul", last_name="Directeur", org_unit=pole, site=siege, job_title="Directeur général adjoint"
    )
    pole.head = head
    pole.save(update_fields=["head"])
    AgentFactory(first_name="Dora", last_name="Finances", org_unit=direction, site=siege, job_title="Directrice")
    for first, last in [("Hélène", "Dupont"), ("Jean", "Martin"), ("Zoé", "Bernard")]:
        AgentFactory(first_name=first, last_name=last, org_unit=finances, site=siege, job_title="Comptable")
    AgentFactory(first_name="Parti", last_name="Inactif", org_unit=finances, is_active=False)
    AgentFactory(first_name="Pat", last_name="Partenaire", org_unit=finances, is_external=True)
    AgentFactory(first_name="Lina", last_name="Paie", org_unit=paie, site=lycee, job_title="Gestionnaire de paie")
    AgentFactory(first_name="Marc", last_name="Paie", org_unit=paie, site=lycee, job_title="Gestionnaire de paie")
    AgentFactory(first_name="Camille", last_name="Com", org_unit=other, site=siege)
    return Tree(pole=pole, direction=direction, finances=finances, paie=paie, other=other, siege=siege, lycee=lycee)


def add_units_and_agents(*, parent: OrgUnit, units: int, agents_per_unit: int, site: Site | None = None) -> None:
    """Bulk-grow the tree under `parent` (for the query-count tests)."""
    start = OrgUnit.objects.count()
    new_units = OrgUnit.objects.bulk_create(
        [OrgUnit(name=f"Unité ajoutée {start + i}", parent=parent) for i in range(units)]
    )
    count = Agent.objects.count()
    Agent.objects.bulk_create(
        [
            Agent(
                email=f"ajout{count}-{u.pk}-{i}@test.local",
                first_name="Agent",
                last_name=f"Ajouté {i}",
                org_unit=u,
                site=site,
                job_title="Agent",
                matricule=f"AJ{u.pk}-{i}",
            )
            for u in new_units
            for i in range(agents_per_unit)
        ]
    )
