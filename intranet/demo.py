"""Demo data: a believable administration for `make run`, the demos and the benchmarks.

`demo_seed(agents=1350)` builds a région-like administration: sites (the Hôtel de Région,
antennes, a centre technique, a crèche and lycées in Lorraine and Alsace), an org chart
(Direction générale des services > pôles > directions > services, plus one team of TOS
agents per lycée), agents with French names, generated avatar photos, skills, and one
demo account per role. Everybody's password is `maison-commune`.

It is deterministic (a seeded `random.Random`; only the dates follow today) and
idempotent: when the demo accounts exist it builds nothing. Other apps add their own demo
data with a `DemoSeed` of the registry; it runs on every call and must therefore be
idempotent and fast when its data already exists.
"""

import io
import random
import time
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from intranet.models import Agent, OrgUnit, Site, Skill
from intranet.registry import registry
from intranet.roles import LABELS, Role

DEMO_PASSWORD = "maison-commune"  # noqa: S105 (a public demo password, printed by `make run`)
DEMO_DOMAIN = "demo.local"
DEFAULT_AGENTS = 1350
SEED = 1350

# Share of the generated agents who work in the lycées (seed 000: 1,350 TOS agents).
TOS_SHARE = 0.74
NEW_ARRIVALS = 12
AVATAR_SIZE = 256


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    note: str = ""

    @property
    def label(self) -> str:
        label = str(LABELS[self.role])
        return f"{label} ({self.note})" if self.note else label


DEMO_ACCOUNTS = (
    DemoAccount(f"agent@{DEMO_DOMAIN}", Role.AGENT, "service Comptabilité"),
    DemoAccount(f"manager@{DEMO_DOMAIN}", Role.MANAGER, f"responsable d'agent@{DEMO_DOMAIN}"),
    DemoAccount(f"rh@{DEMO_DOMAIN}", Role.HR),
    DemoAccount(f"communication@{DEMO_DOMAIN}", Role.COMMUNICATION),
    DemoAccount(f"copil@{DEMO_DOMAIN}", Role.COPIL),
    DemoAccount(f"pilote@{DEMO_DOMAIN}", Role.PILOT),
    DemoAccount(f"partenaire@{DEMO_DOMAIN}", Role.PARTNER, "proviseur du lycée Jean Zay"),
    DemoAccount(f"admin@{DEMO_DOMAIN}", Role.ADMIN),
)


# --- The administration -----------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """A job title ("masculine|feminine" when the two differ), its category and filière."""

    title: str
    category: str
    filiere: str = Agent.Filiere.ADMINISTRATIVE
    weight: float = 1

    def title_for(self, female: bool) -> str:
        masculine, _, feminine = self.title.partition("|")
        return (feminine or masculine) if female else masculine


ADM, TECH, SOC, MED, ANIM = (
    Agent.Filiere.ADMINISTRATIVE,
    Agent.Filiere.TECHNIQUE,
    Agent.Filiere.SOCIALE,
    Agent.Filiere.MEDICO_SOCIALE,
    Agent.Filiere.ANIMATION,
)

ASSISTANT = Job("Assistant de direction|Assistante de direction", "B")

TOS_JOBS = (
    Job("Agent polyvalent des lycées", "C", TECH, 6),
    Job("Agent d'entretien", "C", TECH, 3),
    Job("Agent de restauration", "C", TECH, 3),
    Job("Cuisinier|Cuisinière", "C", TECH, 1),
    Job("Second de cuisine|Seconde de cuisine", "C", TECH, 1),
    Job("Agent d'accueil", "C", TECH, 1),
    Job("Agent de maintenance", "C", TECH, 1.5),
    Job("Magasinier|Magasinière", "C", TECH, 0.5),
    Job("Agent de lingerie", "C", TECH, 0.5),
    Job("Agent des espaces verts", "C", TECH, 0.5),
)
TOS_MISSIONS = (
    "Entretien des locaux d'enseignement, de l'internat et des espaces communs.",
    "Participation à la production et au service des repas de la demi-pension.",
    "Accueil des élèves, des familles et des visiteurs à la loge.",
    "Petite maintenance des bâtiments et des équipements.",
    "Entretien des espaces verts et des abords du lycée.",
    "Gestion de la lingerie de l'internat.",
    "Application des règles d'hygiène alimentaire (HACCP).",
)
TOS_SKILLS = (
    "HACCP",
    "Cuisine collective",
    "Habilitation électrique",
    "Sauveteur secouriste du travail (SST)",
    "Espaces verts",
    "Accueil du public",
)


@dataclass(frozen=True)
class UnitSpec:
    name: str
    kind: str = OrgUnit.Kind.SERVICE
    short_name: str = ""
    sites: tuple[str, ...] = ("siege",)  # keys of SITES; the first is the unit's own site
    weight: float = 0  # share of the generated agents
    jobs: tuple[Job, ...] = ()
    missions: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    head: str = ""  # the head's job title; derived from the kind when empty
    filiere: str = ADM
    children: tuple["UnitSpec", ...] = ()

    def head_title(self, female: bool) -> str:
        if self.head:
            return Job(self.head, "A").title_for(female)
        if self.kind == OrgUnit.Kind.POLE:
            pole = self.name.removeprefix("Pôle ")
            return ("Directrice générale adjointe" if female else "Directeur général adjoint") + f" – {pole}"
        if self.kind == OrgUnit.Kind.DIRECTION:
            return ("Directrice" if female else "Directeur") + self.name.removeprefix("Direction")
        if self.kind == OrgUnit.Kind.UNITE:
            return "Cheffe d'équipe" if female else "Chef d'équipe"
        return "Cheffe de service" if female else "Chef de service"


def _direction(name, short_name, *children, filiere=ADM, sites=("siege",)):
    return UnitSpec(
        name, OrgUnit.Kind.DIRECTION, short_name, sites, 1, (ASSISTANT,), filiere=filiere, children=children
    )


def _pole(name, short_name, *children):
    return UnitSpec(name, OrgUnit.Kind.POLE, short_name, ("siege",), 1, (ASSISTANT,), children=children)


TOS_SERVICE = "Lycées – agents TOS"
COMPTABILITE = "Comptabilité"

ORG_CHART = UnitSpec(
    "Direction générale des services",
    OrgUnit.Kind.DIRECTION,
    "DGS",
    weight=3,
    jobs=(ASSISTANT, Job("Chargé de mission|Chargée de mission", "A")),
    missions=(
        "Préparation des séances du comité de direction.",
        "Suivi du projet d'administration et de ses indicateurs.",
        "Coordination des relations avec les élus.",
    ),
    skills=("Gestion de projet", "Animation de réunion", "Évaluation des politiques publiques"),
    head="Directeur général des services|Directrice générale des services",
    children=(
        _direction(
            "Direction de la communication",
            "DIRCOM",
            UnitSpec(
                "Communication",
                weight=9,
                jobs=(
                    Job("Chargé de communication|Chargée de communication", "A", weight=2),
                    Job("Chargé de communication interne|Chargée de communication interne", "B", weight=2),
                    Job("Chargé des relations presse|Chargée des relations presse", "A"),
                    Job("Infographiste", "B", TECH),
                    Job("Webmestre", "B", TECH),
                    Job("Photographe", "C", TECH, 0.5),
                ),
                missions=(
                    "Rédaction de la lettre interne « Bienvenue » et des actualités de l'intranet.",
                    "Organisation des cérémonies et des événements internes.",
                    "Relations avec la presse locale et régionale.",
                    "Conception des supports imprimés et numériques.",
                    "Animation des réseaux sociaux de la collectivité.",
                ),
                skills=("Rédaction web", "PAO (InDesign)", "Photographie", "Réseaux sociaux", "Relations presse"),
            ),
        ),
        _pole(
            "Pôle Ressources",
            "PR",
            _direction(
                "Direction des finances",
                "DF",
                UnitSpec(
                    "Finances",
                    weight=8,
                    jobs=(
                        Job("Gestionnaire budgétaire", "B", weight=3),
                        Job("Analyste financier|Analyste financière", "A"),
                        Job("Contrôleur de gestion|Contrôleuse de gestion", "A"),
                    ),
                    missions=(
                        "Préparation du budget primitif et des décisions modificatives.",
                        "Suivi de la dette et de la trésorerie.",
                        "Analyse financière et prospective pluriannuelle.",
                    ),
                    skills=("Comptabilité publique (M57)", "Tableur avancé", "Contrôle de gestion"),
                ),
                UnitSpec(
                    COMPTABILITE,
                    weight=12,
                    jobs=(
                        Job("Gestionnaire comptable", "C", weight=4),
                        Job("Comptable", "B", weight=2),
                        Job("Assistant comptable|Assistante comptable", "C"),
                    ),
                    missions=(
                        "Mandatement des dépenses et émission des titres de recettes.",
                        "Relations avec la paierie régionale.",
                        "Suivi des immobilisations et de l'inventaire.",
                        "Accueil téléphonique des fournisseurs.",
                    ),
                    skills=("Comptabilité publique (M57)", "Tableur avancé", "Chorus Pro"),
                ),
            ),
            _direction(
                "Direction des ressources humaines",
                "DRH",
                UnitSpec(
                    "Ressources humaines",
                    weight=12,
                    jobs=(
                        Job("Chargé de ressources humaines|Chargée de ressources humaines", "B", weight=3),
                        Job("Gestionnaire ressources humaines", "C", weight=3),
                        Job("Chargé de recrutement|Chargée de recrutement", "B"),
                        Job("Conseiller en prévention|Conseillère en prévention", "B", TECH),
                        Job("Assistant social du personnel|Assistante sociale du personnel", "A", SOC),
                    ),
                    missions=(
                        "Recrutement et accueil des nouveaux agents.",
                        "Organisation de la journée d'intégration.",
                        "Suivi des effectifs et de la masse salariale.",
                        "Prévention des risques professionnels et qualité de vie au travail.",
                        "Organisation des concours et examens professionnels.",
                    ),
                    skills=(
                        "Droit de la fonction publique",
                        "Recrutement",
                        "Entretien professionnel",
                        "Qualité de vie au travail",
                    ),
                ),
                UnitSpec(
                    "Formation",
                    weight=6,
                    jobs=(
                        Job("Chargé de formation|Chargée de formation", "B", weight=2),
                        Job("Gestionnaire formation", "C", weight=2),
                        Job("Conseiller en évolution professionnelle|Conseillère en évolution professionnelle", "A"),
                    ),
                    missions=(
                        "Élaboration du plan de formation.",
                        "Accompagnement des agents dans leur projet professionnel.",
                        "Organisation des préparations aux concours.",
                        "Relations avec le CNFPT.",
                    ),
                    skills=("Ingénierie de formation", "Animation de réunion", "Entretien professionnel"),
                ),
                UnitSpec(
                    "Paie et carrières",
                    weight=10,
                    jobs=(
                        Job("Gestionnaire paie et carrière", "C", weight=4),
                        Job("Gestionnaire carrière", "B", weight=2),
                        Job("Responsable de la paie", "B"),
                    ),
                    missions=(
                        "Préparation et contrôle de la paie mensuelle.",
                        "Suivi des avancements d'échelon et de grade.",
                        "Gestion des dossiers de retraite.",
                        "Gestion des absences et des arrêts maladie.",
                    ),
                    skills=("Paie", "Droit de la fonction publique", "Tableur avancé"),
                ),
            ),
            _direction(
                "Direction des systèmes d'information",
                "DSI",
                UnitSpec(
                    "Infrastructures et réseaux",
                    weight=8,
                    jobs=(
                        Job("Administrateur systèmes et réseaux|Administratrice systèmes et réseaux", "B", TECH, 2),
                        Job("Technicien support|Technicienne support", "B", TECH, 3),
                        Job("Ingénieur sécurité|Ingénieure sécurité", "A", TECH),
                    ),
                    missions=(
                        "Administration des serveurs et du réseau des sites.",
                        "Assistance aux utilisateurs et gestion du parc informatique.",
                        "Sécurité du système d'information et sauvegardes.",
                    ),
                    skills=("Administration Linux", "Réseaux", "Cybersécurité"),
                ),
                UnitSpec(
                    "Applications et usages numériques",
                    weight=8,
                    jobs=(
                        Job("Chef de projet applicatif|Cheffe de projet applicatif", "A", TECH, 2),
                        Job("Développeur|Développeuse", "A", TECH, 2),
                        Job("Administrateur de données|Administratrice de données", "A", TECH),
                        Job("Chargé d'accompagnement au numérique|Chargée d'accompagnement au numérique", "B", TECH),
                    ),
                    missions=(
                        "Maintien en condition des applications métier.",
                        "Conduite des projets de dématérialisation.",
                        "Administration de l'intranet et de l'annuaire.",
                        "Accompagnement des agents aux outils numériques.",
                    ),
                    skills=("Python", "Bases de données", "Gestion de projet", "Protection des données (RGPD)"),
                ),
                filiere=TECH,
            ),
            _direction(
                "Direction de la commande publique et des affaires juridiques",
                "DCPAJ",
                UnitSpec(
                    "Commande publique",
                    weight=7,
                    jobs=(
                        Job("Acheteur public|Acheteuse publique", "A", weight=2),
                        Job("Gestionnaire marchés publics", "B", weight=2),
                        Job("Assistant marchés|Assistante marchés", "C"),
                    ),
                    missions=(
                        "Rédaction et passation des marchés publics.",
                        "Conseil aux services acheteurs.",
                        "Suivi de l'exécution des marchés.",
                    ),
                    skills=("Marchés publics", "Rédaction administrative"),
                ),
                UnitSpec(
                    "Affaires juridiques et assemblées",
                    weight=6,
                    jobs=(
                        Job("Juriste", "A", weight=2),
                        Job("Gestionnaire des assemblées", "C", weight=2),
                        Job("Chargé des assurances|Chargée des assurances", "B"),
                    ),
                    missions=(
                        "Préparation des séances plénières et des commissions.",
                        "Conseil juridique aux services.",
                        "Gestion des contentieux et des sinistres.",
                    ),
                    skills=("Droit public", "Rédaction administrative", "Protection des données (RGPD)"),
                ),
            ),
        ),
        _pole(
            "Pôle Aménagement du territoire",
            "PAT",
            _direction(
                "Direction des routes et des mobilités",
                "DRM",
                UnitSpec(
                    "Voirie",
                    sites=("centre-technique", "antenne-epinal", "antenne-metz"),
                    weight=22,
                    jobs=(
                        Job("Agent d'exploitation de la route", "C", TECH, 6),
                        Job("Chef d'équipe voirie|Cheffe d'équipe voirie", "C", TECH),
                        Job("Technicien voirie|Technicienne voirie", "B", TECH, 2),
                        Job("Conducteur de travaux|Conductrice de travaux", "B", TECH),
                    ),
                    missions=(
                        "Entretien et surveillance du réseau routier.",
                        "Service hivernal : salage et déneigement.",
                        "Suivi des chantiers de réfection des chaussées.",
                        "Signalisation et sécurité des usagers.",
                    ),
                    skills=("Permis poids lourd", "CACES", "Conduite de chantier", "Signalisation temporaire"),
                    filiere=TECH,
                ),
                UnitSpec(
                    "Mobilités et transports scolaires",
                    sites=("antenne-metz", "siege"),
                    weight=8,
                    jobs=(
                        Job("Chargé des transports scolaires|Chargée des transports scolaires", "B", weight=2),
                        Job("Gestionnaire transports", "C", weight=2),
                        Job("Chargé de mission mobilités|Chargée de mission mobilités", "A"),
                    ),
                    missions=(
                        "Organisation des circuits de transport scolaire.",
                        "Relations avec les transporteurs et les familles.",
                        "Développement du covoiturage et des mobilités douces.",
                    ),
                    skills=("Marchés publics", "Accueil du public", "SIG (QGIS)"),
                ),
                filiere=TECH,
            ),
            _direction(
                "Direction du patrimoine",
                "DP",
                UnitSpec(
                    "Bâtiments",
                    sites=("centre-technique", "siege"),
                    weight=14,
                    jobs=(
                        Job("Technicien bâtiment|Technicienne bâtiment", "B", TECH, 2),
                        Job("Électricien|Électricienne", "C", TECH, 2),
                        Job("Plombier chauffagiste|Plombière chauffagiste", "C", TECH, 2),
                        Job("Menuisier|Menuisière", "C", TECH),
                        Job("Ingénieur travaux|Ingénieure travaux", "A", TECH),
                    ),
                    missions=(
                        "Maintenance des bâtiments de la collectivité et des lycées.",
                        "Suivi des travaux de rénovation énergétique.",
                        "Contrôles réglementaires et sécurité incendie.",
                    ),
                    skills=(
                        "Habilitation électrique",
                        "Conduite de chantier",
                        "Lecture de plans",
                        "Sauveteur secouriste du travail (SST)",
                    ),
                    filiere=TECH,
                ),
                UnitSpec(
                    "Moyens généraux",
                    weight=10,
                    jobs=(
                        Job("Agent d'accueil", "C", ADM, 2),
                        Job("Agent logistique", "C", TECH, 2),
                        Job("Gestionnaire de la flotte automobile", "C", TECH),
                        Job("Reprographe", "C", TECH),
                        Job("Agent du courrier", "C", ADM),
                    ),
                    missions=(
                        "Accueil physique et téléphonique du siège.",
                        "Gestion du courrier et de la reprographie.",
                        "Logistique des réunions et des déménagements.",
                        "Gestion du parc de véhicules.",
                    ),
                    skills=("Accueil du public", "Permis poids lourd", "Logistique"),
                ),
                filiere=TECH,
            ),
            _direction(
                "Direction de l'environnement",
                "DE",
                UnitSpec(
                    "Environnement",
                    weight=8,
                    jobs=(
                        Job("Chargé de mission biodiversité|Chargée de mission biodiversité", "A", TECH),
                        Job("Technicien rivières|Technicienne rivières", "B", TECH),
                        Job("Animateur nature|Animatrice nature", "B", ANIM),
                    ),
                    missions=(
                        "Préservation des espaces naturels sensibles.",
                        "Animations de sensibilisation dans les écoles.",
                        "Suivi du plan climat air énergie territorial.",
                    ),
                    skills=("SIG (QGIS)", "Biodiversité", "Animation de réunion"),
                ),
                UnitSpec(
                    "Eau et assainissement",
                    sites=("centre-technique",),
                    weight=8,
                    jobs=(
                        Job("Technicien eau et assainissement|Technicienne eau et assainissement", "B", TECH, 2),
                        Job("Agent de réseaux", "C", TECH, 3),
                        Job("Ingénieur hydraulique|Ingénieure hydraulique", "A", TECH),
                    ),
                    missions=(
                        "Exploitation des réseaux d'eau potable.",
                        "Contrôle des installations d'assainissement non collectif.",
                        "Interventions d'astreinte sur les réseaux.",
                    ),
                    skills=("Habilitation électrique", "SIG (QGIS)", "CACES"),
                    filiere=TECH,
                ),
                filiere=TECH,
            ),
        ),
        _pole(
            "Pôle Solidarités",
            "PSOL",
            _direction(
                "Direction de l'action sociale",
                "DAS",
                UnitSpec(
                    "Action sociale",
                    sites=("antenne-metz", "antenne-epinal", "antenne-strasbourg"),
                    weight=14,
                    jobs=(
                        Job("Assistant social|Assistante sociale", "A", SOC, 3),
                        Job(
                            "Conseiller en économie sociale et familiale|Conseillère en économie sociale et familiale",
                            "A",
                            SOC,
                        ),
                        Job("Agent d'accueil social", "C", SOC, 2),
                        Job("Secrétaire médico-sociale", "C", ADM),
                    ),
                    missions=(
                        "Accueil et accompagnement des personnes en difficulté.",
                        "Instruction des demandes d'aides sociales.",
                        "Travail en réseau avec les partenaires associatifs.",
                    ),
                    skills=("Écoute active", "Médiation", "Accueil du public"),
                    filiere=SOC,
                ),
                UnitSpec(
                    "Insertion",
                    sites=("antenne-metz", "antenne-strasbourg"),
                    weight=8,
                    jobs=(
                        Job(
                            "Conseiller en insertion professionnelle|Conseillère en insertion professionnelle",
                            "B",
                            SOC,
                            3,
                        ),
                        Job("Chargé de mission insertion|Chargée de mission insertion", "A"),
                    ),
                    missions=(
                        "Accompagnement des bénéficiaires du RSA vers l'emploi.",
                        "Animation des ateliers collectifs.",
                        "Relations avec les entreprises du territoire.",
                    ),
                    skills=("Médiation", "Animation de réunion", "Écoute active"),
                ),
                filiere=SOC,
            ),
            _direction(
                "Direction de l'enfance et de la famille",
                "DEF",
                UnitSpec(
                    "Petite enfance",
                    sites=("creche",),
                    weight=16,
                    jobs=(
                        Job("Auxiliaire de puériculture", "C", MED, 4),
                        Job("Éducateur de jeunes enfants|Éducatrice de jeunes enfants", "A", SOC, 2),
                        Job("Infirmier puériculteur|Infirmière puéricultrice", "A", MED),
                        Job("Agent social", "C", SOC, 2),
                        Job("Cuisinier|Cuisinière", "C", TECH),
                    ),
                    missions=(
                        "Accueil des enfants et de leurs familles à la crèche.",
                        "Mise en place d'activités d'éveil.",
                        "Suivi de la santé et du développement des enfants.",
                        "Préparation des repas adaptés à chaque âge.",
                    ),
                    skills=("Premiers secours (PSC1)", "Cuisine collective", "Écoute active"),
                    filiere=MED,
                ),
                filiere=SOC,
            ),
        ),
        _pole(
            "Pôle Éducation et lycées",
            "PEL",
            _direction(
                "Direction des lycées",
                "DL",
                UnitSpec(
                    TOS_SERVICE,
                    weight=2,
                    jobs=(Job("Gestionnaire des agents des lycées", "B"),),
                    missions=(
                        "Gestion des remplacements dans les lycées.",
                        "Organisation des réunions d'information des agents TOS.",
                        "Relations avec les proviseurs et les intendants.",
                    ),
                    skills=("Droit de la fonction publique", "Animation de réunion"),
                    head="Responsable des agents des lycées",
                    filiere=TECH,
                ),
                UnitSpec(
                    "Restauration scolaire",
                    weight=6,
                    jobs=(
                        Job("Conseiller en restauration scolaire|Conseillère en restauration scolaire", "B", TECH, 2),
                        Job("Diététicien|Diététicienne", "B", MED),
                        Job("Chargé de l'hygiène alimentaire|Chargée de l'hygiène alimentaire", "B", TECH),
                    ),
                    missions=(
                        "Accompagnement des équipes de cuisine des lycées.",
                        "Promotion des circuits courts et du bio.",
                        "Contrôle de l'hygiène alimentaire.",
                    ),
                    skills=("HACCP", "Cuisine collective", "Marchés publics"),
                    filiere=TECH,
                ),
                UnitSpec(
                    "Équipement des lycées",
                    weight=7,
                    jobs=(
                        Job("Chargé d'opérations|Chargée d'opérations", "A", TECH, 2),
                        Job("Gestionnaire équipement", "B", ADM, 2),
                        Job("Technicien informatique des lycées|Technicienne informatique des lycées", "B", TECH, 2),
                    ),
                    missions=(
                        "Programmation des investissements dans les lycées.",
                        "Équipement numérique des établissements.",
                        "Suivi des dotations de fonctionnement.",
                    ),
                    skills=("Marchés publics", "Réseaux", "Gestion de projet"),
                ),
            ),
            _direction(
                "Direction de l'orientation et de l'apprentissage",
                "DOA",
                UnitSpec(
                    "Apprentissage",
                    weight=6,
                    jobs=(
                        Job("Chargé de mission apprentissage|Chargée de mission apprentissage", "A"),
                        Job("Gestionnaire des contrats d'apprentissage", "C", weight=2),
                    ),
                    missions=(
                        "Suivi des centres de formation d'apprentis.",
                        "Promotion de l'apprentissage auprès des entreprises.",
                    ),
                    skills=("Droit du travail", "Animation de réunion"),
                ),
                UnitSpec(
                    "Orientation",
                    weight=5,
                    jobs=(
                        Job("Conseiller en orientation|Conseillère en orientation", "A", weight=2),
                        Job("Chargé de projets éducatifs|Chargée de projets éducatifs", "B", ANIM),
                    ),
                    missions=(
                        "Organisation des salons de l'orientation.",
                        "Information des lycéens sur les métiers.",
                        "Partenariats avec les établissements scolaires.",
                    ),
                    skills=("Animation de réunion", "Accueil du public"),
                ),
            ),
        ),
    ),
)

GENERAL_SKILLS = (
    "Anglais",
    "Allemand",
    "Langue des signes française",
    "Tableur avancé",
    "Gestion de projet",
    "Sauveteur secouriste du travail (SST)",
    "Rédaction administrative",
    "Management d'équipe",
)


@dataclass(frozen=True)
class SiteSpec:
    key: str
    name: str
    kind: str
    address: str
    postal_code: str
    city: str
    area: str  # the first digits of the phone numbers ("03 83")


SITES = (
    SiteSpec("siege", "Hôtel de Région", Site.Kind.SIEGE, "12 boulevard de la Mothe", "54000", "Nancy", "03 83"),
    SiteSpec("antenne-metz", "Antenne de Metz", Site.Kind.ANTENNE, "3 rue du Pont-des-Morts", "57000", "Metz", "03 87"),
    SiteSpec("antenne-epinal", "Antenne d'Épinal", Site.Kind.ANTENNE, "8 quai de Juillet", "88000", "Épinal", "03 29"),
    SiteSpec(
        "antenne-strasbourg",
        "Antenne de Strasbourg",
        Site.Kind.ANTENNE,
        "15 rue du Marais-Vert",
        "67000",
        "Strasbourg",
        "03 88",
    ),
    SiteSpec(
        "centre-technique",
        "Centre technique régional",
        Site.Kind.CENTRE_TECHNIQUE,
        "Zone d'activités du Saule-Gaillard",
        "54320",
        "Maxéville",
        "03 83",
    ),
    SiteSpec("creche", "Crèche Les P'tits Loups", Site.Kind.CRECHE, "4 rue des Jardiniers", "54000", "Nancy", "03 83"),
)

LYCEES = (  # (name, address, postal code, city, phone area); Jean Zay first: the partner's lycée
    ("Lycée Jean Zay", "2 rue de la Tuilerie", "54800", "Jarny", "03 82"),
    ("Lycée Henri Loritz", "29 rue des Jardiniers", "54000", "Nancy", "03 83"),
    ("Lycée Fabert", "12 rue Saint-Vincent", "57000", "Metz", "03 87"),
    ("Lycée Claude Gellée", "44 rue Abel Ferry", "88000", "Épinal", "03 29"),
    ("Lycée Kléber", "25 place de Bordeaux", "67000", "Strasbourg", "03 88"),
    ("Lycée Henri Poincaré", "2 rue de la Visitation", "54000", "Nancy", "03 83"),
    ("Lycée Georges de La Tour", "5 place Maud'huy", "57000", "Metz", "03 87"),
    ("Lycée Bartholdi", "9 rue du Lycée", "68000", "Colmar", "03 89"),
    ("Lycée Raymond Poincaré", "1 place Paul Lemagny", "55000", "Bar-le-Duc", "03 29"),
    ("Lycée Lavoisier", "42 rue Lavoisier", "68100", "Mulhouse", "03 89"),
    ("Lycée Frédéric Chopin", "39 rue du Sergent Blandan", "54000", "Nancy", "03 83"),
    ("Lycée Louis Vincent", "rue de Verdun", "57000", "Metz", "03 87"),
    ("Lycée Pierre Mendès France", "2 rue du Haut des Étages", "88000", "Épinal", "03 29"),
    ("Lycée Fustel de Coulanges", "1 place du Château", "67000", "Strasbourg", "03 88"),
    ("Lycée Jean Mermoz", "53 rue du Docteur Hurst", "68300", "Saint-Louis", "03 89"),
)

# For the larger sizes: more lycées, named after these people, in these towns.
LYCEE_PATRONS = (
    "Victor Hugo",
    "Jules Ferry",
    "Marie Curie",
    "Louis Pasteur",
    "Émile Gallé",
    "Jacques Callot",
    "Paul Verlaine",
    "Robert Schuman",
    "Albert Schweitzer",
    "Jean Moulin",
    "Camille Claudel",
    "Simone Veil",
    "Jean Monnet",
    "Antoine de Saint-Exupéry",
    "Gustave Eiffel",
    "Georges Brassens",
    "Alfred Kastler",
    "Jean de Pange",
    "Charles Hermite",
    "Erckmann-Chatrian",
    "Jean Rostand",
    "Condorcet",
    "Montesquieu",
    "Stanislas",
    "Vauban",
    "Jean Lurçat",
    "Arthur Varoquaux",
    "Louis Majorelle",
    "Marie Marvingt",
    "Pierre de Coubertin",
)
LYCEE_TOWNS = (
    ("Lunéville", "54300", "03 83"),
    ("Toul", "54200", "03 83"),
    ("Pont-à-Mousson", "54700", "03 83"),
    ("Thionville", "57100", "03 82"),
    ("Sarreguemines", "57200", "03 87"),
    ("Forbach", "57600", "03 87"),
    ("Saint-Dié-des-Vosges", "88100", "03 29"),
    ("Remiremont", "88200", "03 29"),
    ("Verdun", "55100", "03 29"),
    ("Haguenau", "67500", "03 88"),
    ("Sélestat", "67600", "03 88"),
    ("Saverne", "67700", "03 88"),
    ("Guebwiller", "68500", "03 89"),
    ("Thann", "68800", "03 89"),
    ("Longwy", "54400", "03 82"),
    ("Sarrebourg", "57400", "03 87"),
    ("Neufchâteau", "88300", "03 29"),
    ("Commercy", "55200", "03 29"),
)

FEMALE_NAMES = (
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Valérie",
    "Christine",
    "Sandrine",
    "Stéphanie",
    "Véronique",
    "Céline",
    "Hélène",
    "Sophie",
    "Martine",
    "Nicole",
    "Anne",
    "Aurélie",
    "Émilie",
    "Julie",
    "Camille",
    "Léa",
    "Chloé",
    "Manon",
    "Laura",
    "Sarah",
    "Pauline",
    "Élodie",
    "Laetitia",
    "Audrey",
    "Virginie",
    "Caroline",
    "Delphine",
    "Karine",
    "Agnès",
    "Brigitte",
    "Monique",
    "Patricia",
    "Corinne",
    "Florence",
    "Laurence",
    "Mélanie",
    "Marion",
    "Charlotte",
    "Justine",
    "Inès",
    "Clémence",
    "Mathilde",
    "Lucie",
    "Juliette",
    "Océane",
    "Anaïs",
    "Noémie",
    "Maëlle",
    "Zoé",
    "Béatrice",
    "Geneviève",
    "Annick",
    "Josiane",
    "Mireille",
    "Chantal",
    "Danielle",
    "Fabienne",
    "Carole",
    "Myriam",
    "Samia",
    "Fatima",
    "Nadia",
    "Amandine",
    "Élise",
    "Solène",
    "Gaëlle",
    "Odile",
    "Claire",
    "Estelle",
    "Ophélie",
    "Cécile",
    "Marie-Claude",
    "Anne-Sophie",
    "Aïcha",
    "Yasmine",
    "Margaux",
    "Jeanne",
)
MALE_NAMES = (
    "Jean",
    "Pierre",
    "Michel",
    "Philippe",
    "Alain",
    "Nicolas",
    "Christophe",
    "Patrick",
    "Laurent",
    "Frédéric",
    "Stéphane",
    "Éric",
    "Olivier",
    "David",
    "Thierry",
    "Pascal",
    "Sébastien",
    "Julien",
    "Thomas",
    "Alexandre",
    "Guillaume",
    "Vincent",
    "François",
    "Jérôme",
    "Didier",
    "Bruno",
    "Gilles",
    "Franck",
    "Hervé",
    "Yves",
    "Bernard",
    "Daniel",
    "Serge",
    "Denis",
    "Cédric",
    "Romain",
    "Antoine",
    "Maxime",
    "Kévin",
    "Mathieu",
    "Benoît",
    "Fabrice",
    "Lionel",
    "Grégory",
    "Ludovic",
    "Arnaud",
    "Jérémy",
    "Anthony",
    "Damien",
    "Florian",
    "Adrien",
    "Hugo",
    "Lucas",
    "Théo",
    "Raphaël",
    "Mehdi",
    "Karim",
    "Rachid",
    "Yannick",
    "Régis",
    "Gérard",
    "Jacques",
    "René",
    "Joël",
    "Marc",
    "Hugues",
    "Loïc",
    "Gaël",
    "Aurélien",
    "Clément",
    "Baptiste",
    "Quentin",
    "Rémi",
    "Sylvain",
    "Emmanuel",
    "Xavier",
    "Jean-Marc",
    "Jean-Luc",
    "Jean-Pierre",
    "Paul",
    "Louis",
    "Étienne",
    "Noël",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèbvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martinez",
    "Gérard",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Vidal",
    "Caron",
    "Picard",
    "Roger",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoît",
    "Rey",
    "Leclerc",
    "Rolland",
    "Guillaume",
    "Lecomte",
    "Lopez",
    "Dupuy",
    "Guillot",
    "Hubert",
    "Berger",
    "Carpentier",
    "Sanchez",
    "Dupuis",
    "Moulin",
    "Louis",
    "Deschamps",
    "Huet",
    "Vasseur",
    "Perez",
    "Boucher",
    "Fleury",
    "Royer",
    "Klein",
    "Jacquet",
    "Adam",
    "Poirier",
    "Aubry",
    "Guyot",
    "Carré",
    "Charles",
    "Renault",
    "Charpentier",
    "Ménard",
    "Maillard",
    "Baron",
    "Bertin",
    "Bailly",
    "Hervé",
    "Schneider",
    "Fernandez",
    "Le Gall",
    "Collet",
    "Léger",
    "Bouvier",
    "Julien",
    "Prévost",
    "Millet",
    "Perrot",
    "Cousin",
    "Germain",
    "Breton",
    "Besson",
    "Langlois",
    "Rémy",
    "Pelletier",
    "Lévêque",
    "Perrier",
    "Leblanc",
    "Lebrun",
    "Marchal",
    "Weber",
    "Mallet",
    "Boulanger",
    "Jacob",
    "Monnier",
    "Michaud",
    "Gillet",
    "Étienne",
    "Poulain",
    "Tessier",
    "Collin",
    "Chauvin",
    "Da Silva",
    "Lemaître",
    "Hoffmann",
    "Wagner",
    "Fischer",
    "Becker",
    "Keller",
    "Koch",
    "Huber",
    "Kieffer",
    "Thiébaut",
    "Hanriot",
    "Antoine",
    "Didier",
    "Georges",
    "Jacquot",
    "Thiriet",
    "Mangin",
    "Grandjean",
    "Humbert",
    "Colnot",
    "Claude",
    "Haddad",
    "Benali",
    "Nguyen",
    "Diallo",
    "Ferreira",
    "Dos Santos",
    "Rossi",
    "Kaya",
    "Zimmermann",
    "Schaeffer",
    "Wolff",
    "Stoltz",
    "Burger",
    "Walter",
    "Herrmann",
    "Frey",
)

# The demo accounts other than the partner: (key, first name, last name, female, unit, job).
DEMO_AGENTS = {
    "manager": ("Jérôme", "Lambert", False, COMPTABILITE, Job("Chef de service|Cheffe de service", "A")),
    "agent": ("Hélène", "Dupont", True, COMPTABILITE, Job("Gestionnaire comptable", "C")),
    "rh": (
        "Françoise",
        "Girard",
        True,
        "Ressources humaines",
        Job("Chargé de ressources humaines|Chargée de ressources humaines", "B"),
    ),
    "communication": (
        "Léa",
        "Moreau",
        True,
        "Communication",
        Job("Chargé de communication interne|Chargée de communication interne", "B"),
    ),
    "copil": (
        "François",
        "Mercier",
        False,
        ORG_CHART.name,
        Job("Chargé de mission pilotage et évaluation|Chargée de mission pilotage et évaluation", "A"),
    ),
    "pilote": ("Nathalie", "Rousseau", True, "Formation", Job("Chargé de formation|Chargée de formation", "B")),
    "admin": (
        "Thomas",
        "Petit",
        False,
        "Applications et usages numériques",
        Job("Administrateur de l'intranet|Administratrice de l'intranet", "A", TECH),
    ),
}
DEMO_GROUPS = {
    "rh": Role.HR,
    "communication": Role.COMMUNICATION,
    "copil": Role.COPIL,
    "partenaire": Role.PARTNER,
    "admin": Role.ADMIN,
}

AVATAR_COLOURS = (
    "#1f4e79",
    "#2e7d32",
    "#6a1b9a",
    "#ad1457",
    "#c62828",
    "#00695c",
    "#4e342e",
    "#283593",
    "#37474f",
    "#8e24aa",
    "#00838f",
    "#5d4037",
    "#b23c17",
    "#455a64",
)


# --- Building -----------------------------------------------------------------------------


@dataclass
class _Unit:
    """A unit being built: its spec, its row, and where its agents work."""

    spec: UnitSpec
    row: OrgUnit
    parent: "_Unit | None"
    sites: list[Site]
    weight: float
    head: Agent | None = None
    children: list["_Unit"] = field(default_factory=list)


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 (reproducible demo data, not a secret)


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())


@cache
def _avatar_font():
    return ImageFont.load_default(size=AVATAR_SIZE * 2 // 5)


@cache  # the colour follows the initials: a few hundred images serve thousands of agents
def avatar_jpeg(*, initials: str, colour: str) -> bytes:
    """A square of `colour` with white initials, as a small JPEG. Pillow's built-in font
    has no accented capitals: "Élodie Étienne" is drawn "EE"."""
    letters = unicodedata.normalize("NFKD", initials).encode("ascii", "ignore").decode() or "?"
    image = Image.new("RGB", (AVATAR_SIZE, AVATAR_SIZE), colour)
    ImageDraw.Draw(image).text(
        (AVATAR_SIZE / 2, AVATAR_SIZE / 2), letters, fill="white", font=_avatar_font(), anchor="mm"
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


class _AgentMaker:
    """Makes unsaved agents: unique e-mails and matricules, dates, phones, photos."""

    def __init__(self, *, rng: random.Random, today: date, taken_emails: set[str], next_matricule: int):
        self.rng = rng
        self.today = today
        self.taken = taken_emails
        self.next_matricule = next_matricule
        self.password = make_password(DEMO_PASSWORD)  # hashed once: every account shares it
        self.areas = {spec.name: spec.area for spec in SITES}
        self.made_dirs: set[Path] = set()

    def email_for(self, first_name: str, last_name: str) -> str:
        local = f"{_ascii_slug(first_name)}.{_ascii_slug(last_name)}"
        email, n = f"{local}@{DEMO_DOMAIN}", 1
        while email in self.taken:
            n += 1
            email = f"{local}{n}@{DEMO_DOMAIN}"
        self.taken.add(email)
        return email

    def phone(self, site: Site | None) -> str:
        """A fake number in the site's area ("03 83 …" in Nancy)."""
        area = (self.areas.get(site.name) or site.phone[:5]) if site else ""
        return " ".join([area or "03 83", *(f"{self.rng.randint(10, 99)}" for _ in range(3))])

    def mobile(self) -> str:
        return " ".join([f"0{self.rng.choice('67')}", *(f"{self.rng.randint(10, 99)}" for _ in range(4))])

    def name(self) -> tuple[str, str, bool]:
        female = self.rng.random() < 0.56
        return self.rng.choice(FEMALE_NAMES if female else MALE_NAMES), self.rng.choice(LAST_NAMES), female

    def arrival(self, *, senior: bool = False) -> date:
        """Over the past 30 years, more of them recent; never in the last two months, which
        belong to the dozen planned new arrivals."""
        years = 30 * self.rng.random() ** (0.8 if senior else 1.4)
        return self.today - timedelta(days=max(60, int(years * 365.25)))

    def make(
        self,
        *,
        first_name: str,
        last_name: str,
        female: bool,
        unit: _Unit | None,
        site: Site | None,
        job: Job,
        email: str | None = None,
        **fields,
    ) -> Agent:
        rng = self.rng
        agent = Agent(
            email=email or self.email_for(first_name, last_name),
            first_name=first_name,
            last_name=last_name,
            password=self.password,
            job_title=job.title_for(female),
            category=job.category,
            filiere=job.filiere,
            org_unit=unit.row if unit else None,
            site=site,
            phone=self.phone(site),
            arrival_date=self.arrival(),
            status=Agent.Status.TITULAIRE,
            show_phone=rng.random() < 0.97,
            show_photo=rng.random() < 0.95,
        )
        if not fields.get("is_external"):
            agent.matricule = f"{self.next_matricule:06d}"
            self.next_matricule += 1
        if rng.random() < 0.25:
            agent.mobile = self.mobile()
            agent.show_mobile = rng.random() < 0.15
        if rng.random() < 0.55:
            agent.details_confirmed_at = timezone.now() - timedelta(
                days=rng.randint(0, 700), minutes=rng.randint(0, 600)
            )
        if unit and unit.spec.missions and rng.random() < 0.3:
            agent.missions = "\n".join(
                rng.sample(unit.spec.missions, k=min(len(unit.spec.missions), rng.randint(2, 3)))
            )
        for name, value in fields.items():
            setattr(agent, name, value)
        return agent

    def ordinary(self, unit: _Unit) -> Agent:
        """An agent of `unit` with a job of the unit, managed by its head."""
        rng = self.rng
        first_name, last_name, female = self.name()
        job = rng.choices(unit.spec.jobs, weights=[j.weight for j in unit.spec.jobs])[0]
        agent = self.make(
            first_name=first_name,
            last_name=last_name,
            female=female,
            unit=unit,
            site=rng.choice(unit.sites),
            job=job,
            manager=unit.head,
        )
        roll = rng.random()
        if roll < 0.04:
            agent.status = Agent.Status.STAGIAIRE
            agent.arrival_date = self.today - timedelta(days=rng.randint(60, 360))
        elif roll < 0.05 and job.category != "C":
            agent.status, agent.category = Agent.Status.APPRENTI, ""
            agent.job_title = f"{'Apprentie' if female else 'Apprenti'} – {unit.row.name}"
            agent.arrival_date = self.today - timedelta(days=rng.randint(60, 700))
        elif roll < 0.20:
            agent.status = Agent.Status.CONTRACTUEL
            agent.arrival_date = self.today - timedelta(days=rng.randint(60, 8 * 365))
        if agent.details_confirmed_at and agent.details_confirmed_at.date() < agent.arrival_date:
            agent.details_confirmed_at = None  # nobody confirms their details before arriving
        return agent

    def with_photo(self, agent: Agent) -> Agent:
        """Give `agent` an avatar with their initials, stored under the field's upload_to."""
        colour = AVATAR_COLOURS[zlib.crc32(agent.initials.encode()) % len(AVATAR_COLOURS)]
        data = avatar_jpeg(initials=agent.initials, colour=colour)
        field = agent.photo.field
        name = field.generate_filename(agent, f"demo-{agent.matricule or _ascii_slug(agent.email)}.jpg")
        try:
            path = Path(field.storage.path(name))
        except NotImplementedError:  # a remote storage: its own API, slower
            agent.photo.save(name.rpartition("/")[2], ContentFile(data), save=False)
            return agent
        # On the local disk, a plain write is ten times faster than Storage.save (which
        # locks and renames): these demo files are ours, named after the matricule.
        if path.parent not in self.made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made_dirs.add(path.parent)
        path.write_bytes(data)
        agent.photo = name
        return agent


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), deterministically."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _lycee_count(agents: int) -> int:
    return max(3, round(agents * len(LYCEES) / DEFAULT_AGENTS))


def _lycee_rows(count: int) -> list[tuple[str, str, str, str, str]]:
    rows = list(LYCEES[:count])
    names = {row[0] for row in rows}
    rng = _rng(SEED + 1)
    extra = [(patron, town) for patron in LYCEE_PATRONS for town in LYCEE_TOWNS]
    rng.shuffle(extra)
    for patron, (city, postal_code, area) in extra:
        if len(rows) >= count:
            break
        name = f"Lycée {patron}" if f"Lycée {patron}" not in names else f"Lycée {patron} ({city})"
        if name not in names:
            names.add(name)
            rows.append((name, f"{rng.randint(1, 80)} rue du Lycée", postal_code, city, area))
    return rows


def _team_spec(lycee: Site, weight: float) -> UnitSpec:
    """The TOS agents of one lycée: a team under the "Lycées – agents TOS" service."""
    return UnitSpec(
        f"Équipe du l{lycee.name[1:]}",
        OrgUnit.Kind.UNITE,
        sites=(lycee.name,),
        weight=weight,
        jobs=TOS_JOBS,
        missions=TOS_MISSIONS,
        skills=TOS_SKILLS,
        filiere=TECH,
    )


def _walk(spec: UnitSpec) -> Iterable[UnitSpec]:
    yield spec
    for child in spec.children:
        yield from _walk(child)


def _tos_weight() -> float:
    """The lycée teams' total weight, so that they hold TOS_SHARE of the generated agents."""
    return sum(spec.weight for spec in _walk(ORG_CHART)) * TOS_SHARE / (1 - TOS_SHARE)


def _minimum_agents() -> int:
    """One head per unit, plus the demo accounts who head nothing."""
    return sum(1 for _ in _walk(ORG_CHART)) + _lycee_count(0) + len(DEMO_AGENTS) - 1


def _create_sites(lycees) -> dict[str, Site]:
    """The sites, keyed by their SITES key (lycées by their name)."""
    rows = [
        Site(
            name=s.name,
            kind=s.kind,
            address=s.address,
            postal_code=s.postal_code,
            city=s.city,
            phone=f"{s.area} 40 00 00",
        )
        for s in SITES
    ]
    rows += [
        Site(
            name=name,
            kind=Site.Kind.LYCEE,
            address=address,
            postal_code=postal_code,
            city=city,
            phone=f"{area} {50 + i % 40} 10 00",
        )
        for i, (name, address, postal_code, city, area) in enumerate(lycees)
    ]
    Site.objects.bulk_create(rows)
    by_key = {spec.key: row for spec, row in zip(SITES, rows[: len(SITES)], strict=True)}
    by_key.update({row.name: row for row in rows[len(SITES) :]})
    return by_key


def _create_units(*, sites: dict[str, Site], lycees: list[Site], rng: random.Random) -> list[_Unit]:
    """The org chart, saved level by level (a unit's parent needs its primary key first)."""
    flat: list[_Unit] = []
    sizes = [rng.uniform(0.6, 1.4) for _ in lycees]
    teams = [_team_spec(lycee, _tos_weight() * size / sum(sizes)) for lycee, size in zip(lycees, sizes, strict=True)]

    def plan(spec: UnitSpec, parent: _Unit | None) -> _Unit:
        unit_sites = [sites[key] for key in spec.sites]
        row = OrgUnit(name=spec.name, short_name=spec.short_name, kind=spec.kind, site=unit_sites[0])
        unit = _Unit(spec, row, parent, unit_sites, spec.weight)
        flat.append(unit)
        children = spec.children + (tuple(teams) if spec.name == TOS_SERVICE else ())
        unit.children = [plan(child, unit) for child in children]
        return unit

    level = [plan(ORG_CHART, None)]
    while level:
        for unit in level:
            unit.row.parent = unit.parent.row if unit.parent else None
        OrgUnit.objects.bulk_create([unit.row for unit in level])
        level = [child for unit in level for child in unit.children]
    return flat


@transaction.atomic
def demo_administration_build(*, agents: int, stdout) -> int:
    """Build the whole administration on an empty database; returns the agents created."""
    rng = _rng(SEED)
    today = timezone.localdate()
    lycee_rows = _lycee_rows(_lycee_count(agents))
    stdout.write(f"Création de {len(SITES) + len(lycee_rows)} sites, dont {len(lycee_rows)} lycées…\n")
    sites = _create_sites(lycee_rows)
    lycees = [sites[row[0]] for row in lycee_rows]
    units = _create_units(sites=sites, lycees=lycees, rng=rng)
    by_name = {unit.row.name: unit for unit in units}
    stdout.write(
        f"Création de l'organigramme : {len(units)} unités (pôles, directions, services, équipes des lycées)…\n"
    )

    maker = _AgentMaker(
        rng=rng, today=today, taken_emails=set(Agent.objects.values_list("email", flat=True)), next_matricule=100001
    )
    demo = {
        key: maker.make(
            first_name=first_name,
            last_name=last_name,
            female=female,
            unit=by_name[unit_name],
            site=by_name[unit_name].sites[0],
            job=job,
            email=f"{key}@{DEMO_DOMAIN}",
            arrival_date=maker.arrival(senior=True),
        )
        for key, (first_name, last_name, female, unit_name, job) in DEMO_AGENTS.items()
    }
    demo["admin"].is_staff = demo["admin"].is_superuser = True

    # The heads first: every other agent's manager is the head of their unit, and a
    # head's manager is the head of the unit above.
    for unit in units:
        if unit.row.name == COMPTABILITE:
            unit.head = demo["manager"]
            continue
        first_name, last_name, female = maker.name()
        category = "C" if unit.spec.kind == OrgUnit.Kind.UNITE else rng.choice("AAAB")
        unit.head = maker.make(
            first_name=first_name,
            last_name=last_name,
            female=female,
            unit=unit,
            site=unit.sites[0],
            arrival_date=maker.arrival(senior=True),
            job=Job(unit.spec.head_title(female), category, unit.spec.filiere),
        )
    heads = [unit.head for unit in units]

    demo_members = [agent for key, agent in demo.items() if key != "manager"]
    for agent in demo_members:
        agent.manager = by_name[agent.org_unit.name].head
    ordinary = []
    for unit, count in zip(
        units, _allocate(agents - len(heads) - len(demo_members), [u.weight for u in units]), strict=True
    ):
        ordinary += [maker.ordinary(unit) for _ in range(count)]
    _mark_arrivals_and_departures(ordinary, rng=rng, today=today)

    partners = [
        _partner(
            maker, lycees[0], "Philippe", "Garnier", False, "Proviseur|Proviseure", email=f"partenaire@{DEMO_DOMAIN}"
        )
    ]
    partners += [_partner(maker, lycee, *maker.name(), "Proviseur|Proviseure") for lycee in lycees[1:]]
    partners += [_partner(maker, lycee, *maker.name(), "Intendant|Intendante") for lycee in lycees]

    everyone = heads + demo_members + ordinary + partners
    stdout.write(
        f"Création de {agents} agents et de {len(partners)} partenaires externes "
        f"(proviseurs et intendants des lycées)…\n"
    )
    stdout.write(f"Génération de {len(everyone)} photos…\n")
    for agent in everyone:
        maker.with_photo(agent)

    Agent.objects.bulk_create(heads)
    for unit in units:
        unit.row.head = unit.head
        unit.head.manager = unit.parent.head if unit.parent else None
    OrgUnit.objects.bulk_update([unit.row for unit in units], ["head"])
    Agent.objects.bulk_update(heads, ["manager"])
    Agent.objects.bulk_create(demo_members + ordinary + partners, batch_size=1000)

    stdout.write("Attribution des rôles et des compétences…\n")
    groups = {role: Group.objects.get(name=role.value) for role in DEMO_GROUPS.values()}
    memberships = [(demo[key], groups[role]) for key, role in DEMO_GROUPS.items() if key in demo]
    memberships += [(partner, groups[Role.PARTNER]) for partner in partners]
    Membership = Agent.groups.through
    Membership.objects.bulk_create([Membership(agent_id=a.pk, group_id=g.pk) for a, g in memberships])
    _give_skills(everyone, units, rng=rng)
    return len(heads) + len(demo_members) + len(ordinary)


def _partner(
    maker: _AgentMaker, lycee: Site, first_name: str, last_name: str, female: bool, title: str, email: str | None = None
) -> Agent:
    """A lycée's proviseur or intendant: an external partner, in no unit of ours."""
    return maker.make(
        first_name=first_name,
        last_name=last_name,
        female=female,
        unit=None,
        site=None,
        job=Job(title, ""),
        email=email,
        is_external=True,
        organisation=lycee.name,
        filiere="",
        status="",
        phone=maker.phone(lycee),
        arrival_date=None,
    )


def _mark_arrivals_and_departures(agents: list[Agent], *, rng: random.Random, today: date) -> None:
    """A dozen arrivals this month (the "new arrivals" page), and a few departures."""
    if not agents:
        return
    arrival_count = min(NEW_ARRIVALS, max(1, len(agents) // 5))
    picked = rng.sample(agents, k=min(len(agents), arrival_count + len(agents) // 50))
    first_of_month = today.replace(day=1)
    arrivals = picked[:arrival_count]
    for agent in arrivals:
        agent.arrival_date = first_of_month + timedelta(days=rng.randint(0, (today - first_of_month).days))
        agent.details_confirmed_at = None
        agent.missions = ""
        if agent.status == Agent.Status.TITULAIRE:
            agent.status = rng.choice([Agent.Status.STAGIAIRE, Agent.Status.CONTRACTUEL, Agent.Status.TITULAIRE])
    for i, agent in enumerate(picked[len(arrivals) :]):
        if i % 3 == 2:  # leaving soon: still active
            agent.departure_date = today + timedelta(days=rng.randint(7, 90))
        else:  # gone: the account is closed, waiting for the anonymisation
            agent.departure_date = today - timedelta(days=rng.randint(10, 540))
            agent.is_active = False
        if agent.arrival_date >= agent.departure_date:
            agent.arrival_date = agent.departure_date - timedelta(days=rng.randint(200, 5000))


def _give_skills(agents: list[Agent], units: list[_Unit], *, rng: random.Random) -> None:
    names = sorted({name for unit in units for name in unit.spec.skills} | set(GENERAL_SKILLS))
    Skill.objects.bulk_create([Skill(name=name) for name in names], ignore_conflicts=True)
    skills = dict(Skill.objects.filter(name__in=names).values_list("name", "pk"))
    spec_of = {unit.row.pk: unit.spec for unit in units}
    Through = Agent.skills.through
    rows = []
    for agent in agents:
        if agent.is_external or rng.random() > 0.4:
            continue
        spec = spec_of.get(agent.org_unit_id)
        pool = list(spec.skills if spec else ()) * 3 + list(GENERAL_SKILLS)
        for name in set(rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))):
            rows.append(Through(agent_id=agent.pk, skill_id=skills[name]))
    Through.objects.bulk_create(rows, batch_size=2000)


@transaction.atomic
def demo_agents_top_up(*, agents: int, stdout) -> int:
    """Add generated agents to a seeded database until it holds `agents` internal agents.
    They join the existing org chart, which is not enlarged; returns the agents added."""
    missing = agents - Agent.objects.internal().count()
    if missing <= 0:
        return 0
    rng = _rng(SEED + agents)
    specs = {spec.name: spec for spec in _walk(ORG_CHART)}
    sites = {site.name: site for site in Site.objects.all()}
    site_names = {spec.key: spec.name for spec in SITES}
    rows = list(OrgUnit.objects.select_related("site", "parent", "head").filter(head__isnull=False))
    teams = [row for row in rows if row.kind == OrgUnit.Kind.UNITE and row.parent and row.parent.name == TOS_SERVICE]
    units = []
    for row in teams:
        spec = _team_spec(row.site, _tos_weight() / len(teams))
        units.append(_Unit(spec, row, None, [row.site], spec.weight, head=row.head))
    for row in rows:
        if row.name in specs and row not in teams:
            spec = specs[row.name]
            unit_sites = [sites[site_names[key]] for key in spec.sites if site_names[key] in sites]
            units.append(_Unit(spec, row, None, unit_sites or [row.site], spec.weight, head=row.head))
    matricules = Agent.objects.filter(matricule__regex=r"^[0-9]{6}$").values_list("matricule", flat=True)
    maker = _AgentMaker(
        rng=rng,
        today=timezone.localdate(),
        taken_emails=set(Agent.objects.values_list("email", flat=True)),
        next_matricule=max(map(int, matricules), default=100000) + 1,
    )
    stdout.write(f"Ajout de {missing} agents dans l'organigramme existant…\n")
    new = []
    for unit, count in zip(units, _allocate(missing, [u.weight for u in units]), strict=True):
        new += [maker.with_photo(maker.ordinary(unit)) for _ in range(count)]
    Agent.objects.bulk_create(new, batch_size=1000)
    _give_skills(new, units, rng=rng)
    return len(new)


@dataclass(frozen=True)
class DemoSeedResult:
    built: bool  # False when the demo was already there
    agents_added: int
    internal_agents: int
    seconds: float


def demo_seed(*, agents: int = DEFAULT_AGENTS, stdout, top_up: bool = False) -> DemoSeedResult:
    """Seed the demo administration once. On a seeded database nothing is built, unless
    `top_up` asks for the generated agents missing to reach `agents`. Then the extensions run.

    Raises ValidationError on a database that holds other data (it only fills an empty one)."""
    started = time.monotonic()
    present = Agent.objects.filter(email__in=[account.email for account in DEMO_ACCOUNTS]).count()
    built, added = False, 0
    if present == len(DEMO_ACCOUNTS):
        if top_up:
            added = demo_agents_top_up(agents=agents, stdout=stdout)
    elif present:
        raise ValidationError(
            "Base partiellement peuplée : des comptes de démonstration manquent. "
            "Repartez d'une base vide (en local : supprimez var/db.sqlite3) pour recréer la démonstration."
        )
    elif OrgUnit.objects.exists() or Site.objects.exists():
        raise ValidationError(
            "La base contient déjà un organigramme ou des sites qui ne viennent pas de la démonstration : "
            "seed_demo ne peuple qu'une base vide."
        )
    elif agents < _minimum_agents():
        raise ValidationError(
            f"Il faut au moins {_minimum_agents()} agents : un responsable par unité, "
            "plus les comptes de démonstration."
        )
    else:
        added = demo_administration_build(agents=agents, stdout=stdout)
        built = True
    for extension in registry.demo_seeds.values():
        extension.seed(stdout=stdout)
    return DemoSeedResult(
        built=built,
        agents_added=added,
        internal_agents=Agent.objects.internal().count(),
        seconds=time.monotonic() - started,
    )
