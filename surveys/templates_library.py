"""The questionnaires a survey can start from (`surveys.services.drafting.survey_create_from_template`).

Written from the seeds: 000 (satisfaction after the information meetings of the TOS agents),
004 (hot evaluation of a "Montre-moi ton job !" day by the visitor and by the host; the year-end
questionnaire to managers on cooperation and belonging), 001 5.4 (the 3-month satisfaction grid
of the newcomers' integration). Each: (intro, anonymous, [(section title, [question dicts])]).
A question dict: kind, label, and optionally required, help_text, choices, condition=(index of an
earlier question of the whole survey, value) — value "non"/"oui", a level, or a choice's label.
"""

from django.utils.translation import gettext_lazy as _

S, M, SCALE, NPS, YN, NUM, DATE, SHORT, LONG = (
    "single",
    "multiple",
    "scale",
    "nps",
    "yesno",
    "number",
    "date",
    "short_text",
    "long_text",
)

TEMPLATE_LABELS = {
    "meeting": _("Satisfaction après une réunion"),
    "shadowing_visitor": _("« Montre-moi ton job ! » : évaluation par le visiteur"),
    "shadowing_host": _("« Montre-moi ton job ! » : évaluation par l'accueillant"),
    "onboarding_3_months": _("Intégration : votre accueil, trois mois après"),
    "managers_year_end": _("Questionnaire de fin d'année aux encadrants"),
}

TEMPLATES: dict[str, dict] = {
    "meeting": {
        "anonymous": True,
        "intro": "Merci d'avoir participé à cette réunion d'information. Ce questionnaire anonyme prend "
        "deux minutes : vos réponses nous aident à améliorer les prochaines séances.",
        "sections": [
            (
                "La réunion",
                [
                    {
                        "kind": SCALE,
                        "label": "Dans l'ensemble, êtes-vous satisfait(e) de la réunion ?",
                        "required": True,
                    },
                    {"kind": SCALE, "label": "Les informations présentées étaient-elles claires ?", "required": True},
                    {"kind": SCALE, "label": "Le support de présentation vous a-t-il été utile ?"},
                    {"kind": YN, "label": "Avez-vous pu poser vos questions ?", "required": True},
                    {"kind": LONG, "label": "Quelles questions sont restées sans réponse ?", "condition": (3, "non")},
                    {
                        "kind": S,
                        "label": "La durée de la réunion était…",
                        "choices": ["Trop courte", "Adaptée", "Trop longue"],
                    },
                ],
            ),
            (
                "Pour la suite",
                [
                    {
                        "kind": M,
                        "label": "Sur quels sujets souhaiteriez-vous être informé(e) ?",
                        "choices": [
                            "Carrière et concours",
                            "Postes vacants",
                            "Formation",
                            "Action sociale",
                            "Organisation du travail",
                            "Santé et sécurité",
                        ],
                    },
                    {"kind": NPS, "label": "Recommanderiez-vous ces réunions à un collègue ?"},
                    {"kind": LONG, "label": "Vos remarques et suggestions"},
                ],
            ),
        ],
    },
    "shadowing_visitor": {
        "anonymous": False,
        "intro": "Vous venez de découvrir le métier d'un(e) collègue. Dites-nous, à chaud, ce que vous en retenez.",
        "sections": [
            (
                "Votre journée de découverte",
                [
                    {"kind": SCALE, "label": "Êtes-vous satisfait(e) de cette expérience ?", "required": True},
                    {
                        "kind": SCALE,
                        "label": "L'accueil de votre collègue vous a-t-il satisfait(e) ?",
                        "required": True,
                    },
                    {
                        "kind": YN,
                        "label": "Avez-vous découvert des contraintes du métier que vous ignoriez ?",
                        "required": True,
                    },
                    {"kind": LONG, "label": "Lesquelles ?", "condition": (2, "oui")},
                    {
                        "kind": YN,
                        "label": "Cette découverte changera-t-elle votre façon de travailler avec ce service ?",
                    },
                    {
                        "kind": M,
                        "label": "Qu'avez-vous retiré de cette journée ?",
                        "choices": [
                            "Une meilleure compréhension du métier",
                            "Des contacts utiles",
                            "Des idées pour mon propre travail",
                            "L'envie d'évoluer vers ce métier",
                        ],
                    },
                ],
            ),
            (
                "Votre rapport d'étonnement",
                [
                    {"kind": LONG, "label": "Qu'est-ce qui vous a le plus étonné(e) ?"},
                    {"kind": NPS, "label": "Recommanderiez-vous « Montre-moi ton job ! » à un collègue ?"},
                ],
            ),
        ],
    },
    "shadowing_host": {
        "anonymous": False,
        "intro": "Vous avez accueilli un(e) collègue pour lui faire découvrir votre métier. Merci de nous dire "
        "comment cela s'est passé.",
        "sections": [
            (
                "L'accueil",
                [
                    {
                        "kind": SCALE,
                        "label": "Êtes-vous satisfait(e) de cette expérience d'accueil ?",
                        "required": True,
                    },
                    {
                        "kind": S,
                        "label": "La durée de la découverte était…",
                        "choices": ["Trop courte", "Adaptée", "Trop longue"],
                    },
                    {"kind": YN, "label": "L'organisation de la journée a-t-elle été facile avec votre encadrant(e) ?"},
                    {"kind": LONG, "label": "Qu'est-ce qui aurait pu être mieux organisé ?", "condition": (2, "non")},
                    {"kind": YN, "label": "Avez-vous eu le sentiment que votre métier était reconnu ?"},
                    {
                        "kind": YN,
                        "label": "Seriez-vous prêt(e) à accueillir à nouveau un(e) collègue ?",
                        "required": True,
                    },
                    {"kind": LONG, "label": "Vos remarques"},
                ],
            ),
        ],
    },
    "onboarding_3_months": {
        "anonymous": True,
        "intro": "Vous êtes arrivé(e) il y a environ trois mois. Ce questionnaire anonyme nous aide à améliorer "
        "l'accueil des nouveaux agents.",
        "sections": [
            (
                "Votre accueil",
                [
                    {
                        "kind": SCALE,
                        "label": "Êtes-vous satisfait(e) de votre accueil dans la collectivité ?",
                        "required": True,
                    },
                    {"kind": SCALE, "label": "Votre poste de travail était-il prêt à votre arrivée ?"},
                    {"kind": YN, "label": "Avez-vous reçu le guide d'accueil ?"},
                    {"kind": YN, "label": "Avez-vous participé à une journée d'intégration ?"},
                    {
                        "kind": SCALE,
                        "label": "La journée d'intégration vous a-t-elle été utile ?",
                        "condition": (3, "oui"),
                    },
                ],
            ),
            (
                "Votre parrain ou votre marraine",
                [
                    {"kind": YN, "label": "Un parrain ou une marraine vous a-t-il (elle) été proposé(e) ?"},
                    {"kind": SCALE, "label": "Son accompagnement vous a-t-il aidé(e) ?", "condition": (5, "oui")},
                ],
            ),
            (
                "Aujourd'hui",
                [
                    {"kind": SCALE, "label": "Vous sentez-vous intégré(e) dans votre équipe ?", "required": True},
                    {
                        "kind": M,
                        "label": "Qu'est-ce qui vous a le plus aidé(e) ?",
                        "choices": [
                            "Mon encadrant(e)",
                            "Mes collègues",
                            "Mon parrain ou ma marraine",
                            "Le guide d'accueil",
                            "L'intranet",
                            "La journée d'intégration",
                        ],
                    },
                    {"kind": LONG, "label": "Que faudrait-il améliorer dans l'accueil des nouveaux agents ?"},
                ],
            ),
        ],
    },
    "managers_year_end": {
        "anonymous": True,
        "intro": "Ce questionnaire de fin d'année s'adresse aux encadrants. Il mesure l'effet des actions de "
        "l'année (dont « Montre-moi ton job ! ») sur la coopération entre services et le sentiment "
        "d'appartenance. Il est anonyme.",
        "sections": [
            (
                "La coopération entre services",
                [
                    {
                        "kind": SCALE,
                        "label": "Êtes-vous satisfait(e) de la coopération de votre équipe avec les autres services ?",
                        "required": True,
                    },
                    {
                        "kind": S,
                        "label": "Depuis un an, les relations avec les autres services…",
                        "choices": ["Se sont améliorées", "N'ont pas changé", "Se sont dégradées"],
                        "required": True,
                    },
                    {"kind": YN, "label": "Des agents de votre équipe ont-ils participé à « Montre-moi ton job ! » ?"},
                    {
                        "kind": NUM,
                        "label": "Combien d'agents de votre équipe y ont participé ?",
                        "condition": (2, "oui"),
                    },
                    {
                        "kind": SCALE,
                        "label": "Avez-vous constaté une meilleure compréhension des métiers des autres services ?",
                        "condition": (2, "oui"),
                    },
                ],
            ),
            (
                "Le sentiment d'appartenance",
                [
                    {
                        "kind": SCALE,
                        "label": "Vos agents se sentent-ils appartenir à une même collectivité ?",
                        "required": True,
                    },
                    {"kind": SCALE, "label": "Les fonctions support sont-elles mieux reconnues qu'il y a un an ?"},
                    {"kind": LONG, "label": "Quelles actions proposeriez-vous pour l'année prochaine ?"},
                ],
            ),
        ],
    },
}
