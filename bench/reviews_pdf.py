"""Benchmark: the steering committee's annual review as a PDF (26 cards, 5 years of indicator
values, a self-assessment, a proposal and a decision with its comment on every card), against
WeasyPrint on static HTML of the same text; and the review's opening (the snapshot of the 26
cards) against a plain read of the same cards.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_reviews` on postgres://postgres@127.0.0.1:5432, or a SQLite file under
   var/bench/ when PostgreSQL cannot be reached (it says so); dropped at the end unless --keep;
2. loads the real Mad & Moselle plan (26 cards), 2 indicators per card measured monthly for
   5 years, then opens a review, writes a self-assessment and a proposal on every card, and
   records the committee's decision and comment on every card;
3. times, in alternated rounds, (a) the review's PDF as the worker renders it (the review read
   from the database, its HTML, WeasyPrint) and (b) the baseline: WeasyPrint on the same text as
   static HTML; then (c) `review_open` — the 26 snapshots with each indicator's latest value —
   against (d) a plain read of the same cards with their indicators;
4. prints the medians and the ratios.

Only loopback is ever contacted. Run it with `.venv/bin/python bench/reviews_pdf.py --help`.
"""

import argparse
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database)
from home_load import BENCH_VAR, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_reviews"  # never another bench's database
YEARS = 5


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


def build_review():
    from django.contrib.auth.models import Group

    from actions.models import Indicator, Measurement
    from actions.reviews.models import Review
    from actions.reviews.services.committee import decision_record, review_close, review_open, review_session_start
    from actions.reviews.services.pilots import followup_join, proposal_post, self_assessment_save
    from actions.services.plan_loading import plan_data_read, plan_load
    from intranet.celery import app
    from intranet.models import Agent

    app.conf.broker_url = "memory://"  # nothing is published anywhere: this bench renders itself
    plan = plan_load(data=plan_data_read())
    copil = Agent.objects.create_user(email="copil@bench.local", first_name="Claude", last_name="Comité")
    copil.groups.add(Group.objects.get_or_create(name="copil")[0])
    pilot = Agent.objects.create_user(email="pilote@bench.local", first_name="Paule", last_name="Pilote")
    volunteer = Agent.objects.create_user(email="volontaire@bench.local", first_name="Victor", last_name="Volontaire")
    cards = list(plan.cards.order_by("objective__number", "position"))
    for card in cards:
        card.pilot_agents.add(pilot)
        for position in (101, 102):
            indicator = Indicator.objects.create(
                card=card, position=position, definition=f"Indicateur {position}", unit="agents", target=100
            )
            Measurement.objects.bulk_create(
                [
                    Measurement(indicator=indicator, date=date(2021 + m // 12, m % 12 + 1, 1), value=m)
                    for m in range(12 * YEARS)
                ]
            )
    followup_join(plan=plan, user=volunteer)
    review = Review.objects.create(plan=plan, year=2026, date=date(2026, 12, 10))
    review_open(review=review, user=copil)
    for card in cards:
        self_assessment_save(
            review=review,
            card=card,
            user=pilot,
            assessment="L'action a avancé comme prévu. " * 6,
            difficulties="La disponibilité des agents. " * 3,
            next_steps="Étendre la démarche aux communes. " * 3,
        )
        proposal_post(card=card, user=volunteer, text="Associer les secrétaires de mairie. " * 3)
    review_session_start(review=review, user=copil)
    for index, card in enumerate(cards):
        decision_record(
            review=review,
            card=card,
            user=copil,
            decision=("poursuivre", "reajuster", "arreter")[index % 3],
            comment="Le comité prend acte du bilan et fixe les échéances. " * 3,
        )
    review_close(review=review, user=copil, undecided_confirmed=True)
    return review, plan, copil


def baseline_html(html: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    body = body[body.index("<body>") :]
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>@page { size: A4; margin: 14mm } '
        'body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt }</style></head>' + body
    )


def measure(review, plan, copil, *, rounds: int) -> dict:
    import io

    from django.db import transaction
    from django.template.loader import render_to_string
    from pypdf import PdfReader
    from weasyprint import HTML

    from actions.reviews import pdf as review_pdf
    from actions.reviews.models import Review
    from actions.reviews.services.committee import review_open

    captured = {}
    real_render = render_to_string

    def capture(name, context=None, *args, **kwargs):
        html = real_render(name, context, *args, **kwargs)
        captured["html"] = html
        return html

    review_pdf.render_to_string = capture
    pdf = review_pdf.review_document_render(review_id=review.pk)[1]  # warm-up: fonts loaded
    review_pdf.render_to_string = real_render
    static = baseline_html(captured["html"])
    times = {"review": [], "baseline": [], "open": [], "read": []}
    for round_ in range(rounds):
        order = ("review", "baseline") if round_ % 2 == 0 else ("baseline", "review")
        for name in order:
            started = time.perf_counter()
            if name == "review":
                pdf = review_pdf.review_document_render(review_id=review.pk)[1]
            else:
                HTML(string=static).write_pdf()
            times[name].append(time.perf_counter() - started)
        for name in ("open", "read") if round_ % 2 == 0 else ("read", "open"):
            with transaction.atomic():
                started = time.perf_counter()
                if name == "open":
                    review_open(review=Review.objects.create(plan=plan, year=2030, date=date(2030, 1, 1)), user=copil)
                else:
                    cards = list(plan.cards.with_progress_data().prefetch_related("indicators__measurements"))
                    assert len(cards) == 26
                times[name].append(time.perf_counter() - started)
                transaction.set_rollback(True)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return {
        "times": times,
        "pages": len(reader.pages),
        "bytes": len(pdf),
        "complete": text.count("Décision du comité") == 26,
    }


def report(result: dict) -> None:
    times = result["times"]
    med = {name: statistics.median(values) for name, values in times.items()}
    say(
        f"\nReview PDF: {result['pages']} pages, {result['bytes'] / 1024:.0f} KiB; "
        f"26 decisions read back: {'yes' if result['complete'] else 'NO'}"
    )
    say(f"  review PDF   median {med['review']:.3f} s  (runs: {', '.join(f'{t:.2f}' for t in times['review'])})")
    say(f"  baseline     median {med['baseline']:.3f} s  (WeasyPrint on the same text as static HTML)")
    say(f"  ratio review/baseline: {med['review'] / med['baseline']:.2f}")
    say(f"  review_open  median {med['open'] * 1000:.0f} ms  (26 snapshots, 52 indicators × {YEARS * 12} values)")
    say(f"  plain read   median {med['read'] * 1000:.0f} ms  (the same cards with every measurement)")
    say(f"  ratio open/read: {med['open'] / med['read']:.2f}")


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Review PDF")
    with home_load.throwaway_database(args, media=BENCH_VAR / "media-reviews"):
        review, plan, copil = build_review()
        report(measure(review, plan, copil, rounds=args.rounds))
        return 0


if __name__ == "__main__":
    sys.exit(main())
