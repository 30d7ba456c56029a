"""The demo news, as data: a year of published items, one scheduled, one waiting for review and one
sent back to its author."""

from __future__ import annotations

from content.demo.common import EVERYONE, MANAGERS, WITH_PARTNERS, _p

# (days ago, title, summary, body, featured, audience, image colours or None)
NEWS = (
    (
        2,
        "Le guide du manager en télétravail est en ligne",
        "Méthodes, outils et bonnes pratiques pour animer une équipe à distance : le guide est dans l'espace managers.",
        _p(
            "Fruit d'un travail conduit avec le secrétariat général et la délégation à l'innovation, "
            "le <strong>guide du manager en télétravail</strong> rassemble méthodes, outils et retours "
            "d'expérience pour garder le lien avec son équipe.",
            "Il se télécharge dans l'espace managers, rubrique « Ressourcez-vous ».",
        ),
        True,
        MANAGERS,
        ((31, 78, 121), (240, 180, 60)),
    ),
    (
        5,
        "Journée d'intégration des nouveaux agents le 12 du mois prochain",
        "Les agents arrivés depuis septembre sont attendus à l'Hôtel de Région pour une journée de découverte.",
        _p(
            "Au programme : présentation de la collectivité et de ses valeurs, visite des services, "
            "déjeuner avec les parrains et marraines.",
            "Les inscriptions se font auprès du service des ressources humaines.",
        ),
        True,
        EVERYONE,
        ((46, 125, 50), (250, 250, 240)),
    ),
    (
        9,
        "Restaurant administratif : réouverture après travaux",
        "Le restaurant de l'Hôtel de Région rouvre lundi, avec une salle agrandie et un nouvel espace de tri.",
        _p("Les horaires restent inchangés : de 11 h 30 à 13 h 45.", "Pensez à recharger votre badge."),
        False,
        EVERYONE,
        ((173, 20, 87), (255, 230, 200)),
    ),
    (
        16,
        "Réunion d'information avec les lycées partenaires",
        "Proviseurs et intendants sont invités à la réunion de rentrée sur l'entretien et la restauration des lycées.",
        _p(
            "La réunion présentera le calendrier des travaux d'été, les effectifs des agents des lycées et "
            "le nouveau questionnaire de satisfaction.",
        ),
        False,
        WITH_PARTNERS,
        None,
    ),
    (
        24,
        "Campagne des entretiens professionnels",
        "Les entretiens annuels se déroulent jusqu'à la fin du mois prochain ; les supports sont dans la bibliothèque.",
        _p(
            "Chaque encadrant reçoit la liste des agents de son équipe.",
            "La grille d'entretien intègre désormais les <em>valeurs de la collectivité</em> (savoir-être).",
        ),
        False,
        EVERYONE,
        None,
    ),
    (
        33,
        "Cybersécurité : attention aux faux courriels de livraison",
        "Plusieurs agents ont reçu des messages imitant un transporteur. Ne cliquez pas, signalez-les.",
        _p(
            "La direction du numérique rappelle qu'aucun service ne vous demandera votre mot de passe par courriel.",
            "Transférez tout message suspect à l'adresse de signalement.",
        ),
        True,
        EVERYONE,
        ((55, 71, 79), (0, 188, 212)),
    ),
    (
        47,
        "L'équipe du mois : la restauration scolaire du lycée Henri Loritz",
        "Douze agents, 1 400 repas par jour et un potager pédagogique : rencontre avec une équipe engagée.",
        _p(
            "Cuisine de produits locaux, lutte contre le gaspillage, accueil d'apprentis : l'équipe explique "
            "ses projets et comment elle fait vivre les valeurs du service public au quotidien.",
        ),
        False,
        EVERYONE,
        ((230, 81, 0), (255, 243, 224)),
    ),
    (
        61,
        "Formation aux premiers secours : nouvelles sessions",
        "Quatre sessions de formation aux gestes qui sauvent sont ouvertes aux agents volontaires.",
        _p("Inscription par votre encadrant auprès du service formation, dans la limite de dix places par session."),
        False,
        EVERYONE,
        None,
    ),
    (
        78,
        "Webinaire des managers : manager dans l'incertitude",
        "Manag'Est propose un webinaire d'échange de pratiques entre encadrants, avec parole libre.",
        _p("Une heure pour partager les difficultés rencontrées et les solutions trouvées par les équipes."),
        False,
        MANAGERS,
        None,
    ),
    (
        95,
        "Résultats du questionnaire de satisfaction des agents des lycées",
        "559 réponses, 88 % d'agents satisfaits : les résultats et les pistes retenues.",
        _p(
            "Merci aux agents qui ont répondu. Les résultats détaillés sont présentés dans la lettre « Bienvenue ».",
        ),
        False,
        WITH_PARTNERS,
        None,
    ),
    (
        120,
        "Lancement du projet d'administration",
        "Cinq objectifs et vingt-six actions : le projet d'administration se construit avec les agents.",
        _p("Chaque fiche action a ses pilotes, son calendrier et ses indicateurs, consultables sur l'intranet."),
        True,
        EVERYONE,
        ((40, 53, 147), (255, 255, 255)),
    ),
    (
        150,
        "Plan de sobriété énergétique : les gestes de l'hiver",
        "Chauffage à 19 °C, veille des écrans, covoiturage : chacun peut agir.",
        _p("Les consignes détaillées par bâtiment sont affichées dans les halls."),
        False,
        EVERYONE,
        None,
    ),
    (
        190,
        "« Montre-moi ton job » : premier bilan des immersions",
        "Quarante agents ont découvert le métier d'un collègue ; leurs rapports d'étonnement sont en ligne.",
        _p("Les demandes d'immersion restent ouvertes toute l'année."),
        False,
        EVERYONE,
        None,
    ),
    (
        230,
        "Don du sang à l'Hôtel de Région",
        "L'Établissement français du sang installe une collecte dans le hall le premier mardi du mois.",
        _p("Prévoyez une pièce d'identité ; une collation est offerte."),
        False,
        EVERYONE,
        None,
    ),
    (
        270,
        "Élections professionnelles : les résultats",
        "La participation atteint 61 % ; les nouveaux représentants siégeront dès le mois prochain.",
        _p("Les procès-verbaux sont consultables auprès du service des ressources humaines."),
        False,
        EVERYONE,
        None,
    ),
    (
        320,
        "Nouveaux horaires de l'accueil du siège",
        "L'accueil du public est ouvert en continu de 8 h 30 à 17 h 30 du lundi au vendredi.",
        _p("Les agents d'accueil ont été consultés sur cette nouvelle organisation."),
        False,
        EVERYONE,
        None,
    ),
    (
        355,
        "Bienvenue sur le nouvel intranet",
        "Actualités, annuaire, offres d'emploi et questionnaires : l'intranet réunit l'information des agents.",
        _p("Dites-nous ce qui vous manque : un questionnaire vous sera proposé dans quelques semaines."),
        False,
        EVERYONE,
        None,
    ),
)

IN_REVIEW = (
    "Parcours de formation aux outils numériques",
    "Teams, Klaxoon, Livestorm : des parcours courts pour travailler à distance, ouverts à tous les agents.",
    _p("Trois niveaux, à suivre à son rythme ; inscriptions auprès du service formation."),
)
RETURNED = (
    "Sensibilisation au télétravail",
    "Une demi-journée pour organiser son travail à distance.",
    _p("Contenu à préciser."),
    "Précisez les dates des sessions et le lien d'inscription.",
)
SCHEDULED = (
    "Fermeture des services le vendredi du pont de l'Ascension",
    "Les services de l'Hôtel de Région seront fermés ; une permanence est assurée pour l'état civil des lycées.",
    _p("Pensez à prévenir vos partenaires."),
)
