"""The starting content HR and communication then edit: the guide's chapters (their words
taken from the seeds: the DGS's editorial and the values of seed 001, the welcome brochure
of seed 000, the values at the heart of the welcome of seed 003, the training and taking up
a post of card 2.3) and a journey template (card 5.4: "définir une procédure d'accueil et un
parcours d'intégration"). Idempotent: nothing is created twice, nothing edited is replaced."""

from django.db import transaction

from onboarding.models import Assignee, GuideChapter, JourneyTemplate, Phase, TemplateTask

CHAPTERS = [
    (
        "Le mot du directeur",
        """
<p>Bienvenue ! Vous rejoignez une administration où nous sommes toutes et tous interdépendants les uns des
autres, avec des fonctions, des missions et des niveaux de responsabilité différents. Mais nous sommes toutes
et tous une pierre de ce bel édifice.</p>
<p>Notre projet d'administration est un outil au service des agents : une feuille de route sur le
fonctionnement des services, un outil de cohésion qui fédère les agents autour de valeurs et d'ambitions
communes, un outil d'amélioration continue de la qualité du service public.</p>
<p><strong>Soyez fiers de ce que vous êtes ! Soyez fiers de ce que vous faites ! Soyez fiers de porter haut les
valeurs de ce beau et indispensable service public que vous incarnez !</strong></p>
<p><em>Le directeur général des services</em></p>
""",
    ),
    (
        "Nos valeurs",
        """
<p>Les valeurs ont été définies ensemble, lors du séminaire des managers et des rencontres du personnel. Elles
ont une place centrale dans cette brochure d'accueil : nous comptons sur vous pour les faire vivre au
quotidien.</p>
<h3>Sens de l'intérêt général</h3>
<ul><li>Rendre un service public de qualité</li><li>Reconnaître l'engagement professionnel</li>
<li>Donner du sens au travail engagé</li><li>Mettre en application les valeurs du service public</li></ul>
<h3>Cohésion d'équipe</h3>
<ul><li>Favoriser la transversalité, la communication, l'écoute, la délégation</li>
<li>Consacrer du temps à ses équipes</li><li>Privilégier les échanges oraux</li>
<li>Lutter contre l'isolement et l'éloignement</li><li>Respecter les avis divergents</li>
<li>Présenter et intégrer les nouveaux agents</li></ul>
<h3>Le service au public</h3>
<p>Se placer du point de vue de l'usager : « qu'est-ce qui me plairait à la place du citoyen ? ».
S'adapter à tout type de public, et montrer que chaque fonction est nécessaire aux missions du service
public.</p>
""",
    ),
    (
        "Comment fonctionne l'administration",
        """
<p>L'administration est organisée en pôles, directions et services, sous l'autorité du directeur général des
services, qui met en œuvre les orientations et les engagements des élus.</p>
<ul><li><strong>Les élus</strong> décident, en conseil et en bureau ;</li>
<li><strong>la direction générale</strong> coordonne les services ;</li>
<li><strong>les pôles et directions</strong> portent les politiques publiques ;</li>
<li><strong>les services</strong> rendent le service au public, au siège et sur les sites.</li></ul>
<p>Le projet d'administration rassemble nos objectifs et nos actions ; vous pouvez suivre son avancement
sur l'intranet et y contribuer : aucune idée n'est écartée.</p>
""",
    ),
    (
        "La vie pratique",
        """
<ul><li><strong>Horaires et temps de travail</strong> : votre encadrant vous présente l'organisation de votre
service, vos horaires et la pose des congés.</li>
<li><strong>Badge, clés, poste de travail</strong> : remis le premier jour ; le service informatique crée vos
comptes avant votre arrivée.</li>
<li><strong>Restauration</strong> : renseignez-vous auprès de votre service sur les possibilités proches de
votre site.</li>
<li><strong>Action sociale</strong> : l'adhésion au Comité national d'action sociale (CNAS) vous donne accès à
des prestations (chèques vacances, aides, billetterie).</li>
<li><strong>Intranet</strong> : l'annuaire, la lettre d'information « Bienvenue », les postes vacants et les
concours.</li></ul>
""",
    ),
    (
        "Vos droits et la formation",
        """
<p>Nous voulons apporter une information claire et accessible sur la formation et permettre à chaque agent
d'être acteur de son parcours de formation.</p>
<ul><li>Les formations d'intégration et de professionnalisation du CNFPT ;</li>
<li>le recensement annuel de vos vœux de formation, avec votre encadrant ;</li>
<li>les concours et les préparations aux concours, annoncés sur l'intranet ;</li>
<li>l'entretien professionnel annuel, moment d'échange sur vos missions et vos perspectives.</li></ul>
<p>Vos droits et obligations d'agent public (temps de travail, congés, protection sociale, droit syndical)
vous sont présentés par les ressources humaines lors de votre accueil.</p>
""",
    ),
    (
        "À qui s'adresser ?",
        """
<ul><li><strong>Votre encadrant</strong> : votre organisation de travail, vos missions, vos congés.</li>
<li><strong>Votre parrain ou votre marraine</strong> : un collègue volontaire d'un autre service, pour toutes
les questions que l'on n'ose pas poser.</li>
<li><strong>Les ressources humaines</strong> : votre carrière, votre paie, la formation, l'action sociale.</li>
<li><strong>Le service informatique</strong> : vos comptes, votre messagerie, votre matériel.</li>
<li><strong>Les représentants du personnel</strong> : leurs coordonnées sont affichées sur chaque site.</li></ul>
""",
    ),
]

JOURNEY_TASKS = [
    (Phase.BEFORE, Assignee.HR, -14, "Envoyer le courrier d'accueil et le guide « Bienvenue »"),
    (Phase.BEFORE, Assignee.IT, -7, "Créer les comptes informatiques et la messagerie"),
    (Phase.BEFORE, Assignee.MANAGER, -7, "Préparer le poste de travail et le planning de la première semaine"),
    (Phase.BEFORE, Assignee.MANAGER, -3, "Annoncer l'arrivée à l'équipe"),
    (Phase.DAY_ONE, Assignee.MANAGER, 0, "Accueillir l'agent et lui présenter l'équipe"),
    (Phase.DAY_ONE, Assignee.HR, 0, "Remettre le badge, les clés et le dossier administratif"),
    (Phase.DAY_ONE, Assignee.BUDDY, 0, "Déjeuner avec le nouvel agent"),
    (Phase.DAY_ONE, Assignee.AGENT, 0, "Lire le guide d'accueil et se connecter à l'intranet"),
    (Phase.WEEK_ONE, Assignee.MANAGER, 2, "Présenter les missions et la fiche de poste"),
    (Phase.WEEK_ONE, Assignee.BUDDY, 3, "Faire visiter les sites et présenter les autres services"),
    (Phase.WEEK_ONE, Assignee.AGENT, 4, "Compléter sa fiche dans l'annuaire (photo, missions)"),
    (Phase.MONTH_ONE, Assignee.MANAGER, 30, "Faire un premier point d'étape"),
    (Phase.MONTH_ONE, Assignee.AGENT, 30, "Participer à la journée d'intégration"),
    (Phase.MONTH_ONE, Assignee.HR, 30, "Inscrire l'agent aux formations d'intégration"),
    (Phase.MONTH_THREE, Assignee.BUDDY, 60, "Faire le point avec le nouvel agent"),
    (Phase.MONTH_THREE, Assignee.MANAGER, 90, "Conduire l'entretien de fin de période d'intégration"),
    (Phase.MONTH_THREE, Assignee.AGENT, 90, "Répondre au questionnaire de satisfaction des trois mois"),
]


@transaction.atomic
def chapters_seed() -> int:
    """Create the starting chapters when the guide has none. Returns how many were created."""
    if GuideChapter.objects.exists():
        return 0
    GuideChapter.objects.bulk_create(
        GuideChapter(title=title, body=" ".join(body.split()), order=(index + 1) * 10)
        for index, (title, body) in enumerate(CHAPTERS)
    )
    return len(CHAPTERS)


@transaction.atomic
def journey_template_seed(*, it_email: str = "") -> JourneyTemplate:
    """The default journey template, created once."""
    template, created = JourneyTemplate.objects.get_or_create(
        name="Parcours d'intégration",
        defaults={"is_default": not JourneyTemplate.objects.filter(is_default=True).exists(), "it_email": it_email},
    )
    if created:
        TemplateTask.objects.bulk_create(
            TemplateTask(
                template=template, phase=phase, assignee=assignee, offset_days=offset, title=title, order=index
            )
            for index, (phase, assignee, offset, title) in enumerate(JOURNEY_TASKS)
        )
    return template
