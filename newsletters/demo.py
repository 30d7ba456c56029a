"""Demo data of the newsletter: three sent issues in the archive and a draft, written after the
seeds (000: the "BIENVENUE" letter to the lycées' TOS staff and its information meetings; 003:
"l'équipe du mois" and the values; 000 again: vacancies and concours). Idempotent: nothing is
done when issue n° 1 exists.

The sent issues go through the real send (`issue_send`) as history (`sent_before`): their mailings
freeze the audience, so agents find them in the archive, and record every delivery as sent on
the issue's date: nothing is left pending and nothing is mailed to the demo's addresses.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from intranet.audiences import AudienceSpec
from intranet.demo import DEMO_DOMAIN
from intranet.models import Agent, OrgUnit
from newsletters.content.live_data import arrivals_data
from newsletters.models import Block, Issue
from newsletters.services.blocks import block_create
from newsletters.services.issues import issue_create
from newsletters.services.sending import issue_send

ISSUES = [
    {
        "number": 1,
        "title": "Bienvenue aux personnels des lycées",
        "days_ago": 84,
        "partners": True,
        "edito": (
            "Cette lettre vous est dédiée : agents techniques, ouvriers et de service des lycées, intendants "
            "et proviseurs. Elle vous donnera chaque mois des nouvelles de la collectivité, de vos collègues "
            "et des projets qui vous concernent.\n\n"
            "Nous voulons instaurer un véritable climat de confiance : écrivez-nous, vos idées nourriront "
            "les prochains numéros."
        ),
        "blocks": [
            (
                "text",
                "Les réunions d'information",
                (
                    "<p>Quinze réunions d'information se sont tenues de janvier à mars dans les lycées. "
                    "<strong>90 %</strong> d'entre vous y ont participé : merci !</p>"
                    "<ul><li>un support de présentation préparé avec le CNFPT ;</li>"
                    "<li>des séminaires de travail avec les proviseurs et intendants ;</li>"
                    "<li>559 réponses au questionnaire de satisfaction, 88 % de satisfaits.</li></ul>"
                ),
            ),
            (
                "agenda",
                "À noter",
                [(14, "Journée d'intégration des nouveaux agents"), (30, "Réunion d'information au lycée Fabert")],
            ),
            ("arrivals", "Ils nous ont rejoints", None),
        ],
    },
    {
        "number": 2,
        "title": "L'équipe du mois : la communication interne",
        "days_ago": 56,
        "partners": False,
        "edito": (
            "Chaque mois, une équipe se présente : ce qu'elle fait, ses projets, et comment elle fait vivre "
            "au quotidien les valeurs que nous avons partagées.\n\n"
            "Connaître le travail des autres, c'est déjà mieux travailler ensemble."
        ),
        "blocks": [
            (
                "team",
                "L'équipe du mois",
                (
                    "<p>Elle prépare cette lettre, le guide d'accueil et l'intranet. Son credo : "
                    "<em>communiquer sur les gens qui font les services, au quotidien</em>.</p>"
                ),
            ),
            (
                "text",
                "Nos valeurs, au quotidien",
                (
                    "<h3>Le service au public</h3><p>Chaque fonction est nécessaire aux missions du service "
                    "public : l'accueil, l'entretien, la restauration, la gestion.</p>"
                    "<h3>Une action symbolique par an</h3><p>Proposez la vôtre à "
                    '<a href="mailto:communication@demo.local">communication@demo.local</a>.</p>'
                ),
            ),
            ("arrivals", "Nouveaux arrivants", None),
        ],
    },
    {
        "number": 3,
        "title": "Postes à pourvoir et concours",
        "days_ago": 21,
        "partners": False,
        "edito": (
            "Vous souhaitez évoluer, changer de lycée ou de métier ? Les postes vacants et les concours "
            "sont désormais publiés dans la bourse de l'emploi de l'intranet, et rappelés dans chaque numéro."
        ),
        "blocks": [
            ("vacancies", "Postes à pourvoir", None),
            (
                "text",
                "Préparer un concours",
                (
                    "<p>Le centre de gestion organise les concours d'adjoint technique principal. Une préparation "
                    "est proposée avec le CNFPT.</p><ol><li>Inscrivez-vous auprès du service des ressources "
                    "humaines ;</li><li>suivez les modules de préparation ;</li><li>passez les épreuves.</li></ol>"
                ),
            ),
            (
                "agenda",
                "Calendrier",
                [(10, "Clôture des inscriptions au concours d'adjoint technique"), (45, "Épreuves écrites")],
            ),
            ("survey", "Votre avis compte", "<p>Dites-nous ce que vous pensez de l'intranet et de cette lettre.</p>"),
        ],
    },
]

DRAFT = {
    "number": 4,
    "title": "Vis ma vie : une journée au centre technique",
    "edito": "Trois agents volontaires ont découvert le métier d'un collègue. Ils racontent.",
    "blocks": [
        (
            "text",
            "Rapports d'étonnement",
            ("<p>« Je ne savais pas tout ce qu'il fallait préparer avant l'ouverture de la cantine. »</p>"),
        )
    ],
}


def _team_unit():
    return (
        OrgUnit.objects.filter(name__icontains="communication").order_by("pk").first()
        or OrgUnit.objects.filter(head__isnull=False).order_by("pk").first()
    )


def _add_block(issue, kind, title, content, *, author, sent_day):
    values = {"title": title}
    if kind in ("text",):
        values["body"] = content
    if kind == "team":
        unit = _team_unit()
        if unit is None:
            return
        values.update(body=content, org_unit=unit)
    if kind == "survey":
        from surveys.models import Survey

        survey = (
            Survey.objects.filter(status=Survey.Status.OPEN, title__icontains="intranet").first()
            or Survey.objects.filter(status=Survey.Status.OPEN).order_by("pk").first()
        )
        if survey is None:
            return
        values.update(body=content, survey=survey)
    if kind == "agenda":
        values["agenda"] = "\n".join(
            f"{sent_day + timedelta(days=offset):%d/%m/%Y} {label}" for offset, label in content
        )
    block_create(issue=issue, kind=kind, user=author, **values)


def demo_seed(*, stdout) -> None:
    if Issue.objects.filter(number=1).exists():
        return
    author = Agent.objects.filter(email=f"communication@{DEMO_DOMAIN}").first()
    if author is None:
        stdout.write("Lettre « Bienvenue » : pas de compte communication de démonstration, rien n'est créé.\n")
        return
    # The vacancies' demo runs after this one (app order): its data is wanted now, frozen in issue n° 3.
    # It is idempotent, so asking it first changes nothing when it runs again in its turn.
    from vacancies.demo import demo_seed as vacancies_demo_seed

    vacancies_demo_seed(stdout=stdout)
    now = timezone.now()
    with transaction.atomic():
        for spec in ISSUES:
            sent_at = now - timedelta(days=spec["days_ago"])
            issue = issue_create(
                number=spec["number"],
                title=spec["title"],
                edito=spec["edito"],
                user=author,
                audience=AudienceSpec(everyone=True, partners=spec["partners"]),
            )
            for kind, title, content in spec["blocks"]:
                _add_block(issue, kind, title, content, author=author, sent_day=timezone.localdate(sent_at))
            # History: recorded as sent on that date (every delivery written as sent), nothing mailed.
            issue_send(issue=issue, user=author, sent_before=sent_at)
            # Its new arrivals counted as of that date (the send froze them as of today).
            issue.refresh_from_db()
            for block in issue.blocks.filter(kind=Block.Kind.ARRIVALS):
                block.data = arrivals_data(issue)
                block.save(update_fields=["data"])
        draft = issue_create(
            number=DRAFT["number"],
            title=DRAFT["title"],
            edito=DRAFT["edito"],
            user=author,
            audience=AudienceSpec(everyone=True),
        )
        for kind, title, content in DRAFT["blocks"]:
            _add_block(draft, kind, title, content, author=author, sent_day=timezone.localdate())
    stdout.write(f"Lettre « Bienvenue » : {len(ISSUES)} numéros envoyés et un brouillon.\n")
