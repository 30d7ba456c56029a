"""Benchmark: rendering a full "Bienvenue" issue — the e-mail (HTML with its CSS inlined by
css-inline, and the generated text part) and the printable PDF — against baselines measured in
the same run: the same e-mail template rendered without inlining nor text part, and WeasyPrint on
static HTML of the same text.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_newsletter` on postgres://postgres@127.0.0.1:5432, or a SQLite file under
   var/bench/ when PostgreSQL cannot be reached (it says so); dropped at the end unless --keep;
2. builds one issue of every kind of block: three rich-text blocks, an image (re-encoded), the team
   of the month (a head and 12 members with photos), an agenda of 10 dates, 30 new arrivals (with
   photos) and 20 open vacancies;
3. times, in alternated rounds, (a) `issue_render` (the e-mail's two parts) against (b) the template
   alone, then (c) the issue's PDF (its cache emptied each round) against (d) WeasyPrint on the same
   text as static HTML without images;
4. prints the medians and the ratios.

Only loopback is ever contacted. Run it with `.venv/bin/python bench/newsletter_issue.py --help`.
"""

import argparse
import re
import statistics
import sys
import time
from datetime import timedelta
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database)
from home_load import BENCH_VAR, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_newsletter"  # never another bench's database
BASE_URL = "https://intranet.example.fr"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each (default: 5)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--duration", type=int, default=None, help="ignored (run_all.py passes it to every bench)")
    return parser.parse_args()


def _png(color) -> BytesIO:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (800, 600), color).save(out, format="PNG")
    out.seek(0)
    return out


def _upload(color):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.png", _png(color).getvalue(), content_type="image/png")


def build_issue():
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from intranet.celery import app
    from intranet.images import photo_reencode
    from intranet.models import Agent, OrgUnit, Site
    from newsletters.services.blocks import block_create
    from newsletters.services.issues import issue_create
    from vacancies.models import Vacancy

    app.conf.broker_url = "memory://"  # nothing is published anywhere: this bench renders itself
    today = timezone.localdate()
    site = Site.objects.create(name="Lycée Fabert")
    unit = OrgUnit.objects.create(name="Service communication interne")
    author = Agent.objects.create_user(email="communication@bench.local", first_name="Léa", last_name="Moreau")
    author.groups.add(Group.objects.get_or_create(name="communication")[0])

    def agent(n, **extra):
        person = Agent.objects.create_user(
            email=f"agent{n}@bench.local",
            first_name="Agent",
            last_name=f"Numéro {n}",
            site=site,
            job_title="Agent polyvalent des lycées",
            missions="Accueil, entretien et restauration. " * 4,
            **extra,
        )
        photo = photo_reencode(_upload((20 * n % 255, 80, 160)))
        person.photo.save(photo.name, photo, save=True)
        return person

    head = agent(0, org_unit=unit)
    unit.head = head
    unit.save(update_fields=["head"])
    for n in range(1, 13):
        agent(n, org_unit=unit)
    for n in range(13, 43):
        agent(n, arrival_date=today - timedelta(days=n % 50))
    for n in range(20):
        Vacancy.objects.create(
            reference=f"BENCH-{n}",
            title=f"Poste à pourvoir {n}",
            org_unit=unit,
            site=site,
            category="C",
            description="Missions.",
            deadline=today + timedelta(days=40 + n),
            status=Vacancy.Status.PUBLISHED,
            published_at=timezone.now(),
        )
    issue = issue_create(title="L'équipe du mois", edito="Chaque mois, une équipe se présente. " * 8, user=author)
    text = (
        "<h2>Les réunions d'information</h2><p>Quinze réunions, <strong>90 %</strong> de participation, "
        '<a href="https://intranet.example.fr/agenda/">le calendrier</a>.</p>'
        "<ul><li>un support adapté</li><li>des séminaires</li><li>559 réponses</li></ul>"
    ) * 3
    for title in ("Actualités", "Nos valeurs", "Concours"):
        block_create(issue=issue, kind="text", title=title, body=text, user=author)
    block_create(issue=issue, kind="image", alt="La cour du lycée", image=_upload((200, 120, 40)), user=author)
    block_create(issue=issue, kind="team", org_unit=unit, body="<p>Une équipe soudée.</p>", user=author)
    block_create(
        issue=issue,
        kind="agenda",
        user=author,
        agenda="\n".join(
            f"{today + timedelta(days=7 * n):%d/%m/%Y} Réunion d'information numéro {n}" for n in range(10)
        ),
    )
    block_create(issue=issue, kind="arrivals", user=author)
    block_create(issue=issue, kind="vacancies", user=author)
    return issue


def baseline_html(html: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    body = re.sub(r"<img[^>]*>", "", body)
    body = body[body.index("<body>") :]
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>@page { size: A4; margin: 14mm } '
        'body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt }</style></head>' + body
    )


def measure(issue, *, rounds: int) -> dict:
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from pypdf import PdfReader
    from weasyprint import HTML

    from newsletters import pdf as issue_pdf
    from newsletters.content.view import issue_view
    from newsletters.services.sending import issue_render

    rendered = issue_render(issue=issue, base_url=BASE_URL)  # warm-up
    captured = {}
    real_render = issue_pdf.render_to_string

    def capture(name, context=None, *args, **kwargs):
        captured["html"] = real_render(name, context, *args, **kwargs)
        return captured["html"]

    issue_pdf.render_to_string = capture
    pdf = issue_pdf.issue_pdf_render(issue=issue)  # warm-up: fonts loaded
    issue_pdf.render_to_string = real_render
    static = baseline_html(captured["html"])
    times = {"email": [], "template": [], "pdf": [], "baseline": []}
    for round_ in range(rounds):
        for name in ("email", "template") if round_ % 2 == 0 else ("template", "email"):
            started = time.perf_counter()
            if name == "email":
                rendered = issue_render(issue=issue, base_url=BASE_URL)
            else:
                render_to_string("newsletters/email/issue.html", issue_view(issue, base_url=BASE_URL))
            times[name].append(time.perf_counter() - started)
        for name in ("pdf", "baseline") if round_ % 2 == 0 else ("baseline", "pdf"):
            cache.clear()
            started = time.perf_counter()
            if name == "pdf":
                pdf = issue_pdf.issue_pdf_render(issue=issue)
            else:
                HTML(string=static).write_pdf()
            times[name].append(time.perf_counter() - started)
    reader = PdfReader(BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return {
        "times": times,
        "pages": len(reader.pages),
        "bytes": len(pdf),
        "html": len(rendered["html"]),
        "text": len(rendered["text"]),
        "complete": "Poste à pourvoir 19" in text and "Numéro 42" in text,
    }


def report(result: dict) -> None:
    times = result["times"]
    med = {name: statistics.median(values) for name, values in times.items()}
    say(
        f"\nIssue: e-mail HTML {result['html'] / 1024:.0f} KiB, text {result['text'] / 1024:.0f} KiB; "
        f"PDF {result['pages']} pages, {result['bytes'] / 1024:.0f} KiB; "
        f"every block read back: {'yes' if result['complete'] else 'NO'}"
    )
    say(f"  e-mail (inlined HTML + text)  median {med['email'] * 1000:.0f} ms")
    say(f"  template alone                median {med['template'] * 1000:.0f} ms  (same data, no inlining/text)")
    say(f"  ratio e-mail/template: {med['email'] / med['template']:.2f}")
    say(f"  issue PDF      median {med['pdf']:.3f} s  (runs: {', '.join(f'{t:.2f}' for t in times['pdf'])})")
    say(f"  baseline       median {med['baseline']:.3f} s  (WeasyPrint on the same text, static, no images)")
    say(f"  ratio PDF/baseline: {med['pdf'] / med['baseline']:.2f}")


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Newsletter issue")
    with home_load.throwaway_database(args, media=BENCH_VAR / "media-newsletter"):
        report(measure(build_issue(), rounds=args.rounds))
        return 0


if __name__ == "__main__":
    sys.exit(main())
