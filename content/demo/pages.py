"""The demo pages: the values, the charter, who does what and the procedures, each with its history."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from content.text import html_to_text, search_text, search_vector_refresh
from intranet.models import Agent

VALUES = "".join(
    [
        "<p>Nos valeurs ont été définies ensemble, lors du séminaire des managers puis avec les agents. "
        "Elles disent ce qui nous rassemble et ce que les usagers peuvent attendre de nous.</p>",
        "<h2>Le sens de l'intérêt général</h2>",
        "<ul><li>Rendre un service public de qualité</li><li>Reconnaître l'engagement professionnel</li>"
        "<li>Donner du sens au travail engagé</li><li>Mettre en application les valeurs du service public</li></ul>",
        "<h2>La cohésion d'équipe</h2>",
        "<ul><li>Favoriser la transversalité, la communication, l'écoute, la délégation</li>"
        "<li>Consacrer du temps à ses équipes</li><li>Organiser des activités communes</li>"
        "<li>Privilégier les échanges oraux</li></ul>",
        "<h2>Chaque fonction est nécessaire</h2>",
        "<p>Agents des lycées, des routes, des services administratifs : chacun contribue aux missions du "
        "service public.</p>",
        "<h2>Faire vivre nos valeurs au quotidien</h2>",
        "<ul><li><strong>L'équipe du mois</strong> : dans la lettre « Bienvenue », une équipe explique ses "
        "projets et comment elle incarne nos valeurs.</li>"
        "<li>L'accueil des nouveaux agents : les valeurs ont une place centrale dans le livret d'accueil.</li>"
        "<li>L'entretien annuel : le respect des valeurs (le savoir-être) fait partie de l'évaluation.</li>"
        "<li>Chaque année, une action symbolique pour les rappeler.</li></ul>",
    ]
)
CHARTER = "".join(
    [
        "<p>La charte du management participatif accompagne la fonction managériale : elle permet à chaque "
        "encadrant de s'approprier son rôle et ses missions, d'harmoniser les pratiques à tous les niveaux et "
        "d'améliorer l'efficacité des services (fiche action 4.5 du projet d'administration).</p>",
        "<h2>Nos engagements d'encadrants</h2>",
        "<ol><li>Donner du sens : expliquer les décisions et les objectifs de l'équipe.</li>"
        "<li>Faire confiance et déléguer, en reconnaissant le droit à l'erreur.</li>"
        "<li>Consacrer du temps à chacun : un entretien individuel au moins par trimestre.</li>"
        "<li>Associer l'équipe aux décisions qui la concernent.</li>"
        "<li>Reconnaître l'engagement et les réussites.</li>"
        "<li>Veiller à la qualité de vie au travail et au droit à la déconnexion.</li></ol>",
        "<h2>Les fonctions essentielles et le savoir-être attendus</h2>",
        "<table><thead><tr><th>Fonction</th><th>Ce que l'on attend</th></tr></thead><tbody>"
        "<tr><td>Piloter</td><td>Fixer des objectifs clairs, suivre les indicateurs du service</td></tr>"
        "<tr><td>Animer</td><td>Réunir l'équipe, favoriser la transversalité et les échanges oraux</td></tr>"
        "<tr><td>Accompagner</td><td>Former, faire grandir, préparer les entretiens annuels</td></tr>"
        "<tr><td>Communiquer</td><td>Relayer l'information dans les deux sens</td></tr></tbody></table>",
        "<h2>Échanger entre managers</h2>",
        "<p>Un groupe d'échange de pratiques se réunit chaque trimestre ; le partage d'expérience est un temps "
        "de travail (fiche action 4.6). Les guides et webinaires sont dans l'espace managers.</p>",
    ]
)
WHO_DOES_WHAT = "".join(
    [
        "<p>À qui s'adresser ? Les principaux interlocuteurs des agents.</p>",
        "<table><thead><tr><th>Votre question</th><th>Service</th><th>Contact</th></tr></thead><tbody>"
        "<tr><td>Paie, carrière, congés</td><td>Ressources humaines</td><td>rh@demo.local</td></tr>"
        "<tr><td>Formation, concours</td><td>Formation</td><td>formation@demo.local</td></tr>"
        "<tr><td>Poste de travail, mot de passe</td><td>Applications et usages numériques</td>"
        "<td>support@demo.local</td></tr>"
        "<tr><td>Intranet, lettre « Bienvenue »</td><td>Communication</td><td>communication@demo.local</td></tr>"
        "<tr><td>Hygiène et sécurité, accident</td><td>Prévention</td><td>prevention@demo.local</td></tr>"
        "</tbody></table>",
    ]
)
PROCEDURES = (
    (
        "Demander un congé",
        "rh@demo.local",
        30,
        "<ol><li>Vérifiez vos droits dans votre espace RH.</li><li>Faites la demande à votre encadrant au "
        "moins quinze jours avant.</li><li>Votre encadrant valide ; le service RH enregistre.</li></ol>",
    ),
    (
        "Déclarer un accident de service",
        "rh@demo.local",
        400,
        "<p>Dans les 48 heures, prévenez votre encadrant et remplissez la déclaration avec le service "
        "prévention.</p><p>Joignez le certificat médical initial.</p>",
    ),
    (
        "Faire une demande de télétravail",
        "rh@demo.local",
        90,
        "<p>Le télétravail est possible jusqu'à deux jours par semaine pour les missions qui le permettent.</p>"
        "<ol><li>Remplissez le formulaire de demande.</li><li>Échangez avec votre encadrant.</li>"
        "<li>La décision vous est notifiée dans le mois.</li></ol>",
    ),
    (
        "Être remboursé de ses frais de déplacement",
        "rh@demo.local",
        200,
        "<p>Les frais de mission sont remboursés sur justificatifs, dans le mois qui suit le déplacement.</p>",
    ),
)


def pages_seed(*, stdout) -> None:
    from content.models import Page, PageRevision

    if Page.objects.exists():
        stdout.write("Pages : déjà chargées.\n")
        return
    by_email = {agent.email: agent for agent in Agent.objects.filter(email__endswith="@demo.local")}
    communication = by_email.get("communication@demo.local")
    if communication is None:
        return
    today = timezone.localdate()
    now = timezone.now()

    def page(title, body, *, owner=None, parent=None, position=0, reviewed_days=60, revisions=()):
        created = now - timedelta(days=reviewed_days + 30)
        page = Page(
            title=title,
            slug=slugify(title)[:70],
            body=body,
            parent=parent,
            position=position,
            owner=owner,
            reviewed_on=today - timedelta(days=reviewed_days),
            created_at=created,
            updated_at=now - timedelta(days=reviewed_days),
        )
        page.search_text = search_text(title, html_to_text(body))
        page.save()
        history = [*revisions, (body, "Création de la page" if not revisions else "Mise à jour")]
        for number, (text, note) in enumerate(history, start=1):
            PageRevision.objects.create(
                page=page,
                number=number,
                title=title,
                body=text,
                note=note if number > 1 else "Création de la page",
                author=communication if number % 2 else (owner or communication),
                author_label=(communication if number % 2 else (owner or communication)).get_full_name(),
                created_at=created + timedelta(days=10 * number),
            )
        return page

    with transaction.atomic():
        page(
            "Nos valeurs",
            VALUES,
            owner=communication,
            position=1,
            revisions=((VALUES.split("<h2>Chaque fonction")[0], "Première rédaction après le séminaire"),),
        )
        first_charter = CHARTER.split("<h2>Les fonctions essentielles")[0]
        page(
            "Charte du management participatif",
            CHARTER,
            owner=by_email.get("copil@demo.local"),
            position=2,
            reviewed_days=120,
            revisions=((first_charter, "Engagements validés par le comité de direction"),),
        )
        page("Qui fait quoi", WHO_DOES_WHAT, owner=communication, position=3, reviewed_days=20)
        procedures = page(
            "Procédures",
            "<p>Les démarches les plus courantes, pas à pas.</p>",
            owner=by_email.get("rh@demo.local"),
            position=4,
        )
        for number, (title, owner_email, reviewed_days, body) in enumerate(PROCEDURES):
            page(
                title,
                body,
                owner=by_email.get(owner_email),
                parent=procedures,
                position=number,
                reviewed_days=reviewed_days,
            )
        search_vector_refresh(Page, Page.objects.values_list("pk", flat=True))
    stdout.write(f"Pages : {Page.objects.count()} créées.\n")
