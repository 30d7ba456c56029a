"""The demo library's documents, as data: the managers' guides of seed 002 (Région Grand Est: « un
bouquet de services pour accompagner les managers » — guides, webinaires, ressources, échanges) and a
few shared documents. Each guide becomes a PDF rendered at seeding (intranet.pdf)."""

# (title, description, sections: (heading, points))
GUIDES = (
    (
        "Guide méthodologique du manager en période de confinement",
        "Diffusé dès le lendemain du confinement à toute la collectivité : organiser le télétravail, "
        "garder le lien, prioriser les missions.",
        (
            ("Organiser le travail", ("Identifier les missions essentielles", "Fixer des objectifs hebdomadaires")),
            ("Garder le lien", ("Un point d'équipe court chaque matin", "Un appel individuel par semaine")),
            ("Prendre soin", ("Repérer l'isolement", "Respecter les horaires et la déconnexion")),
        ),
    ),
    (
        "Guide du manager en situation de déconfinement",
        "Réalisé début mai : préparer le retour sur site, alterner présentiel et télétravail, rassurer.",
        (
            ("Préparer le retour", ("Plan de reprise par service", "Consignes sanitaires affichées")),
            ("Organiser l'alternance", ("Planning des présences", "Règles de partage des bureaux")),
            ("Accompagner", ("Entretien de reprise avec chaque agent", "Écoute des inquiétudes")),
        ),
    ),
    (
        "Manager une équipe en télétravail",
        "Méthodes et outils pour animer une équipe à distance, fixer le cadre et mesurer l'avancement.",
        (
            ("Fixer le cadre", ("Plages de disponibilité", "Outils partagés : Teams, Klaxoon")),
            ("Piloter par les objectifs", ("Objectifs clairs et mesurables", "Points d'étape réguliers")),
        ),
    ),
    (
        "Animer une réunion à distance",
        "Préparer, animer et conclure une réunion en visioconférence avec Teams et Klaxoon.",
        (
            ("Avant", ("Ordre du jour envoyé la veille", "Tester le son et le partage d'écran")),
            ("Pendant", ("Donner la parole à chacun", "Utiliser un tableau Klaxoon")),
            ("Après", ("Compte rendu en 24 heures", "Décisions et responsables nommés")),
        ),
    ),
    (
        "Organiser un webinaire avec Livestorm",
        "Pas à pas : créer l'événement, inviter, animer, partager l'enregistrement.",
        (
            ("Créer", ("Titre, date, durée", "Lien d'inscription")),
            ("Animer", ("Un animateur et un modérateur des questions", "Sondages en direct")),
        ),
    ),
    (
        "Rituels d'équipe à distance",
        "Des rendez-vous simples pour garder la cohésion : café virtuel, météo de l'équipe, bilan du vendredi.",
        (("Rituels", ("Café virtuel du lundi", "Météo de l'équipe", "Bilan du vendredi")),),
    ),
    (
        "Prévenir l'isolement et les risques psychosociaux",
        "Repérer les signaux faibles, orienter vers le médecin de prévention et l'assistante sociale.",
        (
            ("Repérer", ("Baisse de participation", "Retards inhabituels", "Repli sur soi")),
            ("Agir", ("Entretien bienveillant", "Orienter vers les ressources d'écoute")),
        ),
    ),
    (
        "Conduire l'entretien professionnel annuel",
        "Préparer l'entretien, évaluer les résultats et le savoir-être, fixer les objectifs et la formation.",
        (
            ("Préparer", ("Relire les objectifs de l'an passé", "Proposer un créneau d'une heure")),
            ("Conduire", ("Écouter avant d'évaluer", "Parler des valeurs de la collectivité")),
        ),
    ),
    (
        "Accueillir un nouvel agent dans son équipe",
        "Le parcours d'intégration côté encadrant : avant l'arrivée, le premier jour, le premier mois.",
        (
            ("Avant l'arrivée", ("Poste de travail prêt", "Parrain ou marraine désigné")),
            ("Le premier mois", ("Point d'étonnement à un mois", "Journée d'intégration")),
        ),
    ),
    (
        "Déléguer et faire confiance",
        "Déléguer pour faire grandir : choisir quoi confier, à qui, avec quel suivi ; le droit à l'erreur.",
        (("Déléguer", ("Confier un résultat, pas une méthode", "Convenir des points de suivi")),),
    ),
    (
        "Gérer un conflit dans l'équipe",
        "Comprendre, écouter chaque partie, rechercher une solution, savoir passer le relais.",
        (("Étapes", ("Entretiens séparés", "Réunion de médiation", "Suivi à un mois")),),
    ),
    (
        "Fiche réflexe : le droit à la déconnexion",
        "Ce que dit la charte, ce que l'encadrant fait et ne fait pas en dehors des heures de travail.",
        (("Repères", ("Pas de courriel le soir ni le week-end", "Envoi différé des messages")),),
    ),
)

# (folder title, description, audience key, documents: (title, description, kind))
SHARED = (
    (
        "Ressources humaines",
        "Procédures, formulaires et tableaux du service des ressources humaines.",
        "everyone",
        (
            ("Guide des congés et absences", "Droits, demandes et calendrier des congés.", "docx"),
            ("Tableau des astreintes", "Les astreintes de la voirie et des bâtiments, par semaine.", "xlsx"),
        ),
    ),
    (
        "Communication interne",
        "Chartes, modèles et logos pour les supports internes.",
        "everyone",
        (("Charte des réunions efficaces", "Les règles communes de nos réunions.", "odt"),),
    ),
    (
        "Lycées partenaires",
        "Documents partagés avec les proviseurs et intendants des lycées.",
        "partners",
        (
            (
                "Calendrier des travaux d'été dans les lycées",
                "Les chantiers de juillet et d'août, lycée par lycée.",
                "pdf",
            ),
        ),
    ),
)
