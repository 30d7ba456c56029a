"""Demo data of the content app: a year of news (a few « à la une », one for the managers, one
for the lycées' partners, one scheduled, one waiting for review, one sent back), the pages, the
library with the managers' space of seed 002 and a few questions and answers. Idempotent: nothing
is added when the demo news exist."""

from __future__ import annotations

import random
from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from content.models import Editor, News
from content.services.news import news_index
from content.text import html_to_text, search_text, search_vector_refresh
from intranet.audiences import AudienceSpec, audience_is_every_agent
from intranet.images import photo_reencode
from intranet.models import Agent
from intranet.roles import Role

DEMO_MARK = "demo-content"


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


EVERYONE = AudienceSpec(everyone=True)
MANAGERS = AudienceSpec(roles=(Role.MANAGER.value,))
WITH_PARTNERS = AudienceSpec(everyone=True, partners=True)

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


def _demo_image(colours: tuple, seed: int) -> SimpleUploadedFile:
    """An abstract illustration (shapes on a coloured ground), made in memory."""
    background, accent = colours
    rng = random.Random(seed)  # noqa: S311 (a drawing, not a secret)
    image = Image.new("RGB", (960, 540), background)
    draw = ImageDraw.Draw(image)
    for _ in range(7):
        x, y, size = rng.randint(-100, 900), rng.randint(-100, 480), rng.randint(80, 320)
        draw.ellipse((x, y, x + size, y + size), outline=accent, width=rng.randint(4, 14))
    draw.rectangle((0, 470, 960, 540), fill=accent)
    out = BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("illustration.png", out.getvalue(), content_type="image/png")


def _news(*, title, summary, body, audience, author, status, publish_at, featured=False, image=None, note=""):
    news = News(
        title=title,
        summary=summary,
        body=body,
        audience=audience.to_json(),
        audience_everyone=audience_is_every_agent(audience),
        audience_partners=audience.partners,
        audience_named=bool(audience.agents),
        featured=featured,
        status=status,
        publish_at=publish_at,
        author=author,
        author_label=author.get_full_name() if author else "",
        published_by=author if status == News.Status.PUBLISHED else None,
        submitted_at=timezone.now() - timedelta(hours=5) if status == News.Status.REVIEW else None,
        review_note=note,
    )
    if image is not None:
        news.image.save("image.jpg", photo_reencode(image), save=False)
        news.image_alt = title.split(":")[0]
    news_index(news)
    news.save()
    if publish_at:
        News.objects.filter(pk=news.pk).update(created_at=publish_at, updated_at=publish_at)
    return news


def news_seed(*, stdout) -> None:
    if News.objects.exists():
        stdout.write("Actualités : déjà chargées.\n")
        return
    communication = Agent.objects.filter(email="communication@demo.local").first()
    editor = Agent.objects.filter(email="pilote@demo.local").first()
    if communication is None:
        stdout.write("Actualités : pas de compte communication, rien à créer.\n")
        return
    now = timezone.now()
    with transaction.atomic():
        if editor is not None:
            Editor.objects.get_or_create(agent=editor, defaults={"added_by": communication})
        for number, (days, title, summary, body, featured, audience, colours) in enumerate(NEWS):
            _news(
                title=title,
                summary=summary,
                body=body,
                audience=audience,
                author=communication,
                status=News.Status.PUBLISHED,
                publish_at=now - timedelta(days=days, hours=number % 5),
                featured=featured and days < 60,
                image=_demo_image(colours, number) if colours else None,
            )
        _news(
            title=SCHEDULED[0],
            summary=SCHEDULED[1],
            body=SCHEDULED[2],
            audience=EVERYONE,
            author=communication,
            status=News.Status.PUBLISHED,
            publish_at=now + timedelta(days=6),
        )
        if editor is not None:
            _news(
                title=IN_REVIEW[0],
                summary=IN_REVIEW[1],
                body=IN_REVIEW[2],
                audience=EVERYONE,
                author=editor,
                status=News.Status.REVIEW,
                publish_at=None,
            )
            _news(
                title=RETURNED[0],
                summary=RETURNED[1],
                body=RETURNED[2],
                audience=EVERYONE,
                author=editor,
                status=News.Status.DRAFT,
                publish_at=None,
                note=RETURNED[3],
            )
        search_vector_refresh(News, News.objects.values_list("pk", flat=True))
    stdout.write(f"Actualités : {News.objects.count()} créées.\n")


# --- Pages -----------------------------------------------------------------------------------

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


# --- The library ------------------------------------------------------------------------------

GUIDE_HTML = """<html><head><style>
@page {{ size: A4; margin: 2cm; @bottom-center {{ content: "Espace managers — " counter(page); font-size: 9pt; }} }}
body {{ font-family: sans-serif; font-size: 11pt; color: #1d2433; }}
.band {{ background: #1f4e79; color: white; padding: 1.2cm 1cm; margin: -2cm -2cm 1cm; }}
h1 {{ font-size: 22pt; margin: 0; }} .sub {{ font-size: 11pt; opacity: .9; }}
h2 {{ color: #1f4e79; border-bottom: 2px solid #f0b43c; padding-bottom: 3pt; }}
</style></head><body>
<div class="band"><div class="sub">Manag'Est — l'école des managers</div><h1>{title}</h1></div>
<p><strong>{description}</strong></p>{sections}
<p style="margin-top:1cm;font-size:9pt">Direction des ressources humaines et délégation à l'innovation.</p>
</body></html>"""


def _guide_pdf(title: str, description: str, sections) -> bytes:
    from html import escape

    from intranet.pdf import pdf_from_html

    body = "".join(
        f"<h2>{escape(heading)}</h2><ul>" + "".join(f"<li>{escape(point)}</li>" for point in points) + "</ul>"
        for heading, points in sections
    )
    return pdf_from_html(GUIDE_HTML.format(title=escape(title), description=escape(description), sections=body))


def _office_file(kind: str, title: str, description: str) -> bytes:
    import zipfile
    from html import escape

    out = BytesIO()
    if kind == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append([title])
        sheet.append(["Semaine", "Voirie", "Bâtiments"])
        for week in range(1, 9):
            sheet.append([f"Semaine {week}", f"Équipe {week % 3 + 1}", f"Équipe {(week + 1) % 3 + 1}"])
        workbook.save(out)
        return out.getvalue()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
            archive.writestr(
                "content.xml",
                '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                f"<text:h>{escape(title)}</text:h><text:p>{escape(description)}</text:p>"
                "</office:text></office:body></office:document-content>",
            )
        else:
            namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            archive.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                'wordprocessingml.document.main+xml"/></Types>',
            )
            paragraphs = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in (title, description))
            archive.writestr(
                "word/document.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{namespace}">'
                f"<w:body>{paragraphs}</w:body></w:document>",
            )
    return out.getvalue()


def library_seed(*, stdout) -> None:
    from content import services
    from content.demo_data import GUIDES, SHARED
    from content.models import Folder

    if Folder.objects.exists():
        stdout.write("Bibliothèque : déjà chargée.\n")
        return
    by_email = {agent.email: agent for agent in Agent.objects.filter(email__endswith="@demo.local")}
    communication, rh = by_email.get("communication@demo.local"), by_email.get("rh@demo.local")
    if communication is None or rh is None:
        return
    managers = services.folder_create(
        user=communication,
        title="Espace managers — Ressourcez-vous",
        description="Guides, fiches réflexes et supports des webinaires pour accompagner les managers.",
        audience=MANAGERS,
        moderator=rh,
        position=0,
    )
    extensions = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "odt": "odt"}
    for number, (title, description, sections) in enumerate(GUIDES):
        data = _guide_pdf(title, description, sections)
        services.document_create(
            user=rh,
            folder=managers,
            title=title,
            description=description,
            owner=rh,
            review_on=timezone.localdate() + timedelta(days=30 * (number + 1)),
            upload=SimpleUploadedFile(f"{slugify(title)[:60]}.pdf", data, content_type="application/pdf"),
        )
    audiences = {"everyone": EVERYONE, "partners": WITH_PARTNERS}
    for position, (folder_title, folder_description, audience, documents) in enumerate(SHARED, start=1):
        folder = services.folder_create(
            user=communication,
            title=folder_title,
            description=folder_description,
            audience=audiences[audience],
            position=position,
        )
        for title, description, kind in documents:
            data = (
                _guide_pdf(title, description, (("Calendrier", ("Juillet : toitures", "Août : cuisines")),))
                if kind == "pdf"
                else _office_file(kind, title, description)
            )
            services.document_create(
                user=communication,
                folder=folder,
                title=title,
                description=description,
                owner=rh if folder_title == "Ressources humaines" else communication,
                upload=SimpleUploadedFile(f"{slugify(title)[:60]}.{extensions[kind]}", data),
            )
    services.document_texts_extract_pending(seconds=120)
    from content.models import Document

    for number, document in enumerate(Document.objects.order_by("pk")):
        Document.objects.filter(pk=document.pk).update(download_count=(number * 37) % 180 + 3)
    stdout.write(f"Bibliothèque : {Folder.objects.count()} dossiers, {Document.objects.count()} documents.\n")


# The managers' questions and answers (seed 002: « échanges » between managers during the crisis):
# (days ago, question, details, [(hours later, answer)…], index of the useful answer or None).
QUESTIONS = (
    (
        40,
        "Comment garder le lien avec une équipe entièrement en télétravail ?",
        "Depuis trois semaines toute mon équipe télétravaille. Les échanges informels ont disparu "
        "et j'ai du mal à sentir comment chacun va.",
        [
            (
                3,
                "Nous faisons un point de quinze minutes chaque matin, caméra allumée pour qui le souhaite : "
                "<strong>pas d'ordre du jour</strong>, juste comment ça va et qui a besoin de quoi.",
            ),
            (
                20,
                "Le guide du manager en télétravail (dans l'espace managers) propose une trame d'appel "
                "individuel hebdomadaire : je l'utilise avec mes six agents, cela prend une heure par semaine.",
            ),
        ],
        1,
    ),
    (
        21,
        "Reprise sur site : comment organiser le retour progressif ?",
        "Certains agents souhaitent revenir, d'autres craignent le retour. Comment avez-vous fait les plannings ?",
        [
            (
                5,
                "Nous avons fait un tableau de présence par demi-journée, en alternant deux groupes, et un "
                "entretien individuel avec chaque agent inquiet avant la reprise.",
            ),
        ],
        None,
    ),
    (
        6,
        "Quel outil pour un atelier participatif à distance ?",
        "",
        [
            (2, "Klaxoon fonctionne bien pour un atelier de 10 à 15 personnes ; prévoyez un test technique la veille."),
            (9, "Le webinaire « animer une réunion à distance » de la semaine prochaine en parlera."),
        ],
        None,
    ),
    (1, "Entretien de recadrage en visioconférence : à éviter ?", "", [], None),
)


def questions_seed(*, stdout) -> None:
    from content.models import Answer, Question

    if Question.objects.exists():
        return
    heads = list(Agent.objects.active().internal().filter(headed_units__isnull=False).distinct().order_by("pk")[:8])
    asker = Agent.objects.filter(email="manager@demo.local").first()
    if asker is None or len(heads) < 3:
        return
    others = [head for head in heads if head.pk != asker.pk]
    now = timezone.now()
    for number, (days, title, details, answers, useful) in enumerate(QUESTIONS):
        author = asker if number % 2 == 0 else others[number % len(others)]
        asked = now - timedelta(days=days)
        question = Question.objects.create(
            title=title,
            body=_p(details) if details else "",
            author=author,
            author_label=author.get_full_name(),
            created_at=asked,
        )
        created = []
        for index, (hours, text) in enumerate(answers):
            answerer = next(head for head in others[index:] + others if head.pk != author.pk)
            created.append(
                Answer.objects.create(
                    question=question,
                    body=_p(text),
                    author=answerer,
                    author_label=answerer.get_full_name(),
                    created_at=asked + timedelta(hours=hours),
                )
            )
        question.answer_count = len(created)
        question.last_answer_at = created[-1].created_at if created else None
        question.useful_answer = created[useful] if useful is not None else None
        question.save()
    stdout.write(f"Espace managers : {len(QUESTIONS)} questions et leurs réponses.\n")


def demo_seed(*, stdout) -> None:
    news_seed(stdout=stdout)
    pages_seed(stdout=stdout)
    library_seed(stdout=stdout)
    questions_seed(stdout=stdout)
