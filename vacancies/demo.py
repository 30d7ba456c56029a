"""Demo data for the vacancies board: eight open vacancies across services and sites, two
closed ones, three concours and a few expressions of interest (one with a CV). Idempotent:
rows are matched by their reference or name, and nothing is added twice."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from intranet.models import Agent, OrgUnit, Site
from vacancies.models import Concours, Interest, Vacancy

# (reference, title, unit, site, category, grade, days left to apply, days since publication)
OPEN = (
    (
        "DEMO-2026-01",
        "Gestionnaire paie et carrières",
        "Paie et carrières",
        "Hôtel de Région",
        "B",
        "Rédacteur territorial",
        40,
        5,
    ),
    (
        "DEMO-2026-02",
        "Agent d'entretien des espaces verts",
        "Voirie",
        "Centre technique régional",
        "C",
        "Adjoint technique",
        35,
        2,
    ),
    (
        "DEMO-2026-03",
        "Chargé de communication interne",
        "Communication",
        "Hôtel de Région",
        "A",
        "Attaché territorial",
        50,
        10,
    ),
    (
        "DEMO-2026-04",
        "Auxiliaire de puériculture",
        "Petite enfance",
        "Crèche Les P'tits Loups",
        "C",
        "Auxiliaire de puériculture",
        31,
        1,
    ),
    (
        "DEMO-2026-05",
        "Cuisinier en restauration scolaire",
        "Restauration scolaire",
        "Lycée Henri Loritz",
        "C",
        "Adjoint technique des établissements d'enseignement",
        45,
        7,
    ),
    (
        "DEMO-2026-06",
        "Technicien réseaux",
        "Infrastructures et réseaux",
        "Hôtel de Région",
        "B",
        "Technicien territorial",
        60,
        3,
    ),
    ("DEMO-2026-07", "Travailleur social", "Action sociale", "Antenne de Metz", "A", "Assistant socio-éducatif", 33, 4),
    ("DEMO-2026-08", "Acheteur public", "Commande publique", "Hôtel de Région", "B", "Rédacteur territorial", 38, 8),
)
CLOSED = (
    (
        "DEMO-2025-11",
        "Agent de maintenance des bâtiments",
        "Bâtiments",
        "Centre technique régional",
        "C",
        "Adjoint technique",
        -10,
        45,
    ),
    (
        "DEMO-2025-12",
        "Juriste marchés publics",
        "Affaires juridiques et assemblées",
        "Hôtel de Région",
        "A",
        "Attaché territorial",
        -3,
        40,
    ),
)
DESCRIPTION = (
    "Au sein du service {unit}, vous contribuez aux missions du service auprès des usagers et des agents.\n\n"
    "Missions principales :\n- assurer le suivi quotidien des dossiers du service ;\n"
    "- travailler en lien avec les autres services de la collectivité ;\n- rendre compte à votre encadrant.\n\n"
    "Profil : sens du service public, rigueur, goût du travail en équipe."
)
# Seed 003: the values are part of the job offer (« savoir-être »). Our values (the page « Nos
# valeurs »): the sense of the general interest, team cohesion, every function is needed.
SOFT_SKILLS = {
    "A": (
        "Le sens de l'intérêt général : vous rendez compte de votre action et donnez du sens au travail "
        "des équipes.\n"
        "La cohésion d'équipe : écoute, délégation, temps consacré à vos collègues ; vous privilégiez les "
        "échanges directs."
    ),
    "B": (
        "Le sens du service public : rigueur et discrétion, réponse à chaque usager et à chaque agent.\n"
        "La cohésion d'équipe : vous partagez l'information et travaillez avec les autres services."
    ),
    "C": (
        "Chaque fonction est nécessaire : votre travail fait vivre le service public au quotidien.\n"
        "Le sens de l'accueil et du respect de chacun, usagers, élèves et collègues ; l'entraide dans "
        "l'équipe."
    ),
}
# (name, category, organiser, registration opens, closes, first paper: days from today; the
# stages: (what, days after the first paper); preparation). The stages' dates are written out
# from the first paper's, so that the detail never contradicts the dates (issue 15: an oral
# « en décembre » after written papers in January).
CONCOURS = (
    (
        "Adjoint technique principal de 2e classe des établissements d'enseignement",
        "C",
        "Centre de gestion du Bas-Rhin",
        -10,
        20,
        75,
        (("écrit", 0), ("épreuve pratique", 42)),
        "Préparation proposée avec le CNFPT : 6 journées, inscription auprès du service formation.",
    ),
    (
        "Rédacteur territorial",
        "B",
        "Centre de gestion de Meurthe-et-Moselle",
        15,
        45,
        120,
        (("écrit", 0), ("oral", 63)),
        "Préparation à distance du CNFPT et deux oraux blancs organisés en interne.",
    ),
    (
        "Attaché territorial (concours interne)",
        "A",
        "CIG Grande Couronne",
        -60,
        -20,
        30,
        (("épreuves écrites", 0), ("oral", 70)),
        "Préparation à l'oral : accompagnement par un cadre de la collectivité.",
    ),
)


def _cv_pdf(name: str) -> bytes:
    """A tiny but valid one-page PDF (the demo's CV)."""
    text = f"CV - {name}".encode("latin-1", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stages_detail(first_paper, stages) -> str:
    """« écrit le 05/01/2027 ; oral à partir du 16/03/2027 »: each stage dated from the first paper."""
    parts = []
    for number, (what, days) in enumerate(stages):
        day = first_paper + timedelta(days=days)
        parts.append(f"{what} le {day:%d/%m/%Y}" if number == 0 else f"{what} à partir du {day:%d/%m/%Y}")
    return " ; ".join(parts)


def _concours_dates_fix() -> None:
    """A demo loaded before its stages were dated: write them from each concours' first paper."""
    for name, *_rest, stages, _preparation in CONCOURS:
        for concours in Concours.objects.filter(name=name).exclude(exam_date=None):
            detail = stages_detail(concours.exam_date, stages)
            if concours.exam_dates_detail != detail:
                Concours.objects.filter(pk=concours.pk).update(exam_dates_detail=detail)


def _unit(name):
    return OrgUnit.objects.filter(name=name).first() or OrgUnit.objects.order_by("pk").first()


def _site(name):
    return Site.objects.filter(name=name).first()


def demo_seed(*, stdout) -> None:
    if Vacancy.objects.filter(reference__startswith="DEMO-").exists():
        for category, text in SOFT_SKILLS.items():  # a demo loaded before the field existed
            Vacancy.objects.filter(reference__startswith="DEMO-", category=category, soft_skills="").update(
                soft_skills=text
            )
        _concours_dates_fix()
        stdout.write("Offres d'emploi : déjà chargées.\n")
        return
    if not OrgUnit.objects.exists():
        stdout.write("Offres d'emploi : pas d'organigramme, rien à créer.\n")
        return
    now, today = timezone.now(), timezone.localdate()
    hr = Agent.objects.filter(email="rh@demo.local").first()
    with transaction.atomic():
        vacancies = []
        for rows, status in ((OPEN, Vacancy.Status.PUBLISHED), (CLOSED, Vacancy.Status.CLOSED)):
            for reference, title, unit_name, site_name, category, grade, days_left, days_ago in rows:
                unit = _unit(unit_name)
                vacancy, _created = Vacancy.objects.get_or_create(
                    reference=reference,
                    defaults={
                        "title": title,
                        "org_unit": unit,
                        "site": _site(site_name),
                        "category": category,
                        "grade": grade,
                        "description": DESCRIPTION.format(unit=unit.name),
                        "soft_skills": SOFT_SKILLS[category],
                        "deadline": today + timedelta(days=days_left),
                        "contact_agent": hr,
                        "contact_email": "recrutement@demo.local",
                        "status": status,
                        "published_at": now - timedelta(days=days_ago),
                        "closed_at": now + timedelta(days=days_left) if status == Vacancy.Status.CLOSED else None,
                        "created_by": hr,
                    },
                )
                vacancies.append(vacancy)
        for name, category, organiser, opens, closes, exam, stages, preparation in CONCOURS:
            Concours.objects.get_or_create(
                name=name,
                defaults={
                    "category": category,
                    "organiser": organiser,
                    "registration_opens": today + timedelta(days=opens),
                    "registration_closes": today + timedelta(days=closes),
                    "exam_date": today + timedelta(days=exam),
                    "exam_dates_detail": stages_detail(today + timedelta(days=exam), stages),
                    "preparation": preparation,
                    "link": "https://www.cnfpt.fr/",
                    "status": Concours.Status.PUBLISHED,
                    "published_at": now,
                    "created_by": hr,
                },
            )
        candidates = list(
            Agent.objects.active()
            .internal()
            .exclude(email__endswith="rh@demo.local")
            .filter(org_unit__isnull=False)
            .order_by("pk")[:4]
        )
        agent = Agent.objects.filter(email="agent@demo.local").first()
        if agent:
            candidates = [agent, *[c for c in candidates if c.pk != agent.pk]][:4]
        for index, candidate in enumerate(candidates):
            vacancy = vacancies[index % 3]
            interest, created = Interest.objects.get_or_create(
                vacancy=vacancy,
                agent=candidate,
                defaults={
                    "message": "Bonjour, ce poste correspond à mon projet professionnel ; parlons-en.",
                },
            )
            if created and index % 2 == 0:
                content = _cv_pdf(f"{candidate.first_name} {candidate.last_name}")
                interest.cv.save("cv.pdf", ContentFile(content), save=False)
                interest.cv_filename, interest.cv_size = "cv.pdf", len(content)
                interest.save(update_fields=["cv", "cv_filename", "cv_size"])
    stdout.write(f"Offres d'emploi : {len(OPEN)} ouvertes, {len(CLOSED)} clôturées, {len(CONCOURS)} concours.\n")
