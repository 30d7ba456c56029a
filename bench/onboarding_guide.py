"""Benchmark: a personalised welcome guide of about 20 pages, as a PDF, against WeasyPrint on
static HTML of the same size.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_onboarding` on postgres://postgres@127.0.0.1:5432, or a SQLite file
   under var/bench/ when PostgreSQL cannot be reached (it says so); dropped at the end with
   its media unless --keep;
2. builds one arrival: an agent in a service of 40 colleagues, a manager and a parrain with
   photos (generated JPEGs), the guide's starting chapters plus annexes to reach ~20 pages,
   the default journey (its first week in the guide's agenda) and a journée d'intégration;
3. times, in alternated rounds, (a) the whole personalised rendering the worker does —
   the guide's context read from the database, its HTML, WeasyPrint's layout with the
   cover, the table of contents with page numbers (target-counter), running headers and
   page numbers, and the PDF — and (b) the baseline: WeasyPrint on the same text as static
   HTML (no margin boxes, no cross-references, no images);
4. prints the medians, the ratio guide/baseline, the pages, and whether the guide renders
   within the 2 s target (DESIGN.md).

Only loopback is ever contacted. Run it with `.venv/bin/python bench/onboarding_guide.py --help`.
"""

import argparse
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database)
from home_load import BENCH_VAR, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_onboarding"  # never another bench's database
TARGET_SECONDS = 2.0
COLLEAGUES = 40
ANNEXES = 3


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed renderings of each (default: 5)")
    parser.add_argument("--annexes", type=int, default=ANNEXES, help=f"extra chapters (default: {ANNEXES}, ~20 pages)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--duration", type=int, default=None, help="ignored (run_all.py passes it to every bench)")
    return parser.parse_args()


ANNEX_TEXT = (
    "<p>Le projet d'administration est une feuille de route sur le fonctionnement des services communautaires, "
    "en lien avec les orientations et les engagements des élus. C'est un outil de cohésion qui fédère les agents "
    "autour de valeurs et d'ambitions communes, et un outil d'amélioration continue de la qualité du service "
    "public. Chaque agent peut y contribuer : aucune idée n'est écartée.</p>"
    "<h3>Ce que nous attendons de chacun</h3><ul><li>Rendre un service public de qualité ;</li>"
    "<li>favoriser la transversalité, la communication, l'écoute ;</li><li>respecter les avis divergents ;</li>"
    "<li>présenter et intégrer les nouveaux agents.</li></ul>"
    "<p>La formation accompagne chaque prise de poste : formations d'intégration du CNFPT, recensement annuel "
    "des vœux, préparations aux concours. Votre encadrant et les ressources humaines vous aident à construire "
    "votre parcours.</p>"
)


def build_arrival(*, annexes: int):
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from intranet.celery import app
    from intranet.demo import avatar_jpeg
    from intranet.models import Agent, OrgUnit, Site
    from onboarding import content
    from onboarding.models import BuddyVolunteer, GuideChapter
    from onboarding.services.integration_days import integration_day_create, integration_day_invite
    from onboarding.services.journeys import arrival_record
    from onboarding.services.welcome_guide import guide_settings

    app.conf.broker_url = "memory://"  # the mails and the guide asked for go nowhere: this bench renders itself
    today = timezone.localdate()
    site = Site.objects.create(name="Hôtel de la communauté")
    pole = OrgUnit.objects.create(name="Pôle ressources", kind=OrgUnit.Kind.POLE, site=site)
    unit = OrgUnit.objects.create(name="Service des ressources humaines", parent=pole, site=site)
    other = OrgUnit.objects.create(name="Service des sports", parent=pole, site=site)

    def agent(first, last, org_unit, colour, **extra):
        person = Agent.objects.create_user(
            email=f"{first}.{last}@bench.local".lower(),
            first_name=first,
            last_name=last,
            org_unit=org_unit,
            site=site,
            job_title="Gestionnaire",
            phone="03 83 00 00 00",
            **extra,
        )
        if colour:
            person.photo.save(f"{last.lower()}.jpg", ContentFile(avatar_jpeg(initials=person.initials, colour=colour)))
        return person

    manager = agent("Martine", "Encadrante", unit, "#0a3d91", arrival_date=today - timedelta(days=4000))
    unit.head = manager
    unit.save(update_fields=["head"])
    buddy = agent("Paul", "Parrain", other, "#c8102e", arrival_date=today - timedelta(days=3000))
    for index in range(COLLEAGUES):
        agent(f"Collègue{index}", f"Agent{index:02d}", unit, None, manager=manager)
    newcomer = agent("Nina", "Nouvelle", unit, None, manager=manager)
    content.chapters_seed()
    for index in range(annexes):
        GuideChapter.objects.create(
            title=f"Annexe {index + 1} : notre projet d'administration", body=ANNEX_TEXT * 3, order=100 + index
        )
    identity = guide_settings()
    identity.contacts = "\n".join(f"Contact {i} : 03 83 00 00 {i:02d}" for i in range(12))
    identity.save()
    template = content.journey_template_seed(it_email="dsi@bench.local")
    BuddyVolunteer.objects.create(agent=buddy, capacity=2)
    arrival = arrival_record(
        agent=newcomer,
        arrival_date=today + timedelta(days=3),
        manager=manager,
        buddy=buddy,
        template=template,
        user=None,
    )
    hr = Agent.objects.create_user(email="rh@bench.local", first_name="Rita", last_name="RH")
    hr.groups.add(Group.objects.get_or_create(name="rh")[0])
    session = integration_day_create(
        user=hr,
        title="Journée d'intégration",
        day=today + timedelta(days=30),
        place="Salle du conseil",
        capacity=20,
        arrivals_from=today - timedelta(days=30),
        arrivals_to=today + timedelta(days=30),
        programme="Accueil\nNos valeurs\nDéjeuner\nVisite des sites",
    )
    integration_day_invite(integration_day=session)
    return arrival


def baseline_html(guide_html: str) -> str:
    """The same text as static HTML: the guide's body without its styles, images and links."""
    body = guide_html[guide_html.index("<body>") :]
    body = re.sub(r"<img[^>]*>", "", body)
    body = re.sub(r"</?a[^>]*>", "", body)
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>@page { size: A4; margin: 20mm } '
        'body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45 } '
        "section { page-break-before: always }</style></head>" + body
    )


def measure(arrival, *, rounds: int) -> dict:
    import io

    from pypdf import PdfReader
    from weasyprint import HTML

    from onboarding import guide

    def personalised():
        context = guide.guide_context(arrival=arrival)
        return guide.guide_pdf_render(context=context)

    pdf, pages = personalised()  # warm-up: thumbnails written, fonts loaded
    static = baseline_html(guide.guide_html(context=guide.guide_context(arrival=arrival), for_pdf=True))
    baseline_pdf = HTML(string=static).write_pdf()
    times = {"guide": [], "baseline": []}
    for round_ in range(rounds):
        order = ("guide", "baseline") if round_ % 2 == 0 else ("baseline", "guide")
        for name in order:
            started = time.perf_counter()
            if name == "guide":
                pdf, pages = personalised()
            else:
                baseline_pdf = HTML(string=static).write_pdf()
            times[name].append(time.perf_counter() - started)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return {
        "times": times,
        "pages": pages,
        "baseline_pages": len(PdfReader(io.BytesIO(baseline_pdf)).pages),
        "bytes": len(pdf),
        "toc_ok": bool(re.search(r"Votre service \.+ ?\d+", text)),
    }


def report(result: dict) -> bool:
    guide_median = statistics.median(result["times"]["guide"])
    base_median = statistics.median(result["times"]["baseline"])
    say(
        f"\nPersonalised guide: {result['pages']} pages, {result['bytes'] / 1024:.0f} KiB; "
        f"table of contents with page numbers read back: {'yes' if result['toc_ok'] else 'NO'}"
    )
    say(f"  guide    median {guide_median:.3f} s  (runs: {', '.join(f'{t:.2f}' for t in result['times']['guide'])})")
    say(
        f"  baseline median {base_median:.3f} s  (static HTML, {result['baseline_pages']} pages; runs: "
        f"{', '.join(f'{t:.2f}' for t in result['times']['baseline'])})"
    )
    say(f"  ratio guide/baseline: {guide_median / base_median:.2f}")
    verdict = "met" if guide_median < TARGET_SECONDS else "NOT met"
    say(f"\nTarget: a ~20-page personalised guide within {TARGET_SECONDS:.0f} s — {verdict} ({guide_median:.2f} s).")
    return guide_median < TARGET_SECONDS


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Welcome guide PDF")
    with home_load.throwaway_database(args, media=BENCH_VAR / "media-onboarding", media_said="its media"):
        arrival = build_arrival(annexes=args.annexes)
        report(measure(arrival, rounds=args.rounds))
        return 0  # measured; whether the target is met is printed, not an error


if __name__ == "__main__":
    sys.exit(main())
