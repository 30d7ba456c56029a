"""Benchmark: the action plan's calendar and exports at the reference size (the real 26 cards,
2 indicators each measured monthly for 5 years): the calendar page and the CSV/XLSX exports
against a bare Django view through the same client, and the plan's PDF against WeasyPrint on
the same text as static HTML.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_actions` on postgres://postgres@127.0.0.1:5432, or a SQLite file under
   var/bench/ when PostgreSQL cannot be reached (it says so); dropped at the end unless --keep;
2. loads the Mad & Moselle plan, dates every card, adds 2 indicators per card with a value a
   month for 5 years (3,120 measurements);
3. times, in alternated rounds, GET of the calendar, the CSV and the XLSX export against the
   bare view (bench/urls.py) through the same logged-in test client, with each page's query
   count; then the plan's PDF as the worker renders it against WeasyPrint on the same text as
   static HTML;
4. prints the medians and the ratios.

Only loopback is ever contacted. Run it with `.venv/bin/python bench/actions_plan.py --help`.
"""

import argparse
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database)
from home_load import BENCH_VAR, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_actions"  # never another bench's database
YEARS = 5
PAGES = {
    "calendar": "/plan/calendrier/",
    "csv export": "/plan/exports/plan.csv",
    "xlsx export": "/plan/exports/plan.xlsx",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9, help="timed runs of each page (default: 9)")
    parser.add_argument("--pdf-rounds", type=int, default=3, help="timed PDF renderings (default: 3)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--duration", type=int, default=None, help="ignored (run_all.py passes it to every bench)")
    return parser.parse_args()


def build_plan():
    from actions.models import Indicator, Measurement
    from actions.services.plan_loading import plan_data_read, plan_load
    from intranet.models import Agent

    plan = plan_load(data=plan_data_read())
    for index, card in enumerate(plan.cards.order_by("objective__number", "position")):
        card.start_date = date(2021, 1, 1) + timedelta(days=50 * index)
        card.end_date = card.start_date + timedelta(days=700)
        card.save()
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
    viewer = Agent.objects.create_user(email="agent@bench.local", first_name="Anne", last_name="Agent")
    return plan, viewer


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def measure_pages(viewer, *, rounds: int) -> tuple[dict, dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)
    queries = {}
    for name, url in PAGES.items():  # warm-up, and the query counts
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries[name] = len(captured)
    client.get("/bench/bare/")
    times = {name: [] for name in PAGES} | {"bare view": []}
    for round_ in range(rounds):
        for name, url in PAGES.items() if round_ % 2 == 0 else reversed(PAGES.items()):
            started = time.perf_counter()
            client.get("/bench/bare/")
            times["bare view"].append(_ms(started))
            started = time.perf_counter()
            client.get(url)
            times[name].append(_ms(started))
    return times, queries


def baseline_html(html: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    body = body[body.index("<body>") :]
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>@page { size: A4; margin: 14mm } '
        'body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt }</style></head>' + body
    )


def measure_pdf(plan, *, rounds: int) -> dict:
    import io

    from pypdf import PdfReader
    from weasyprint import HTML

    from actions import exports

    captured = {}
    real_render = exports.render_to_string

    def capture(name, context=None, *args, **kwargs):
        html = real_render(name, context, *args, **kwargs)
        captured["html"] = html
        return html

    exports.render_to_string = capture
    pdf = exports.plan_document_render(plan_id=plan.pk)[1]  # warm-up: fonts loaded
    exports.render_to_string = real_render
    static = baseline_html(captured["html"])
    times = {"plan PDF": [], "baseline": []}
    for round_ in range(rounds):
        for name in ("plan PDF", "baseline") if round_ % 2 == 0 else ("baseline", "plan PDF"):
            started = time.perf_counter()
            if name == "plan PDF":
                pdf = exports.plan_document_render(plan_id=plan.pk)[1]
            else:
                HTML(string=static).write_pdf()
            times[name].append(time.perf_counter() - started)
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    titles = [re.sub(r"\s+", " ", t) for t in plan.cards.values_list("title", flat=True)]
    return {
        "times": times,
        "pages": len(reader.pages),
        "bytes": len(pdf),
        "complete": all(title in text for title in titles),
    }


def report(times: dict, queries: dict, pdf: dict) -> None:
    bare = statistics.median(times["bare view"])
    say(f"\n{'page':<14} {'p50 ms':>8} {'max ms':>8} {'queries':>8} {'p50 / bare':>11}")
    for name in PAGES:
        values = times[name]
        say(
            f"{name:<14} {statistics.median(values):8.1f} {max(values):8.1f} {queries[name]:8d} "
            f"{statistics.median(values) / bare:11.1f}"
        )
    say(f"{'bare view':<14} {bare:8.1f}")
    med = {name: statistics.median(values) for name, values in pdf["times"].items()}
    say(
        f"\nPlan PDF: {pdf['pages']} pages, {pdf['bytes'] / 1024:.0f} KiB; "
        f"26 card titles read back: {'yes' if pdf['complete'] else 'NO'}"
    )
    runs = ", ".join(f"{t:.2f}" for t in pdf["times"]["plan PDF"])
    say(f"  plan PDF   median {med['plan PDF']:.2f} s  (runs: {runs})")
    say(f"  baseline   median {med['baseline']:.2f} s  (WeasyPrint on the same text as static HTML)")
    say(f"  ratio plan/baseline: {med['plan PDF'] / med['baseline']:.2f}")


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Action plan")
    with home_load.throwaway_database(args, media=BENCH_VAR / "media-actions"):
        plan, viewer = build_plan()
        times, queries = measure_pages(viewer, rounds=args.rounds)
        report(times, queries, measure_pdf(plan, rounds=args.pdf_rounds))
        return 0


if __name__ == "__main__":
    sys.exit(main())
