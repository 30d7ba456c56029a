"""Benchmark: the surveys' demo data (seed 000: 559 anonymous responses) against bulk_create in the same run.

What it does, and undoes:

1. prepares a throwaway database with home_load.py's helpers: PostgreSQL
   `maison_commune_bench_surveys_demo` on postgres://postgres@127.0.0.1:5432 (dropped at the end
   unless --keep), or a SQLite file under var/bench/ when PostgreSQL cannot be reached (it says so);
2. creates the population the demo invites: 640 TOS agents of a lycée and the demo accounts;
3. times `surveys.demo.demo_seed` (the closed survey of the meetings with its responses and the
   open intranet survey), then its second run (nothing to add);
4. times the baseline: bulk_create of as many responses with one answer each, rolled back;
5. prints the times and the ratio; the target is the first run within 20 s (the figure the test
   suite used to assert, moved here: a shared machine's duration is no test).

Only loopback is contacted. Run it with `.venv/bin/python bench/surveys_demo.py --help`.
"""

import argparse
import io
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database and the environment)
from home_load import BENCH_VAR, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_surveys_demo"
TARGET_SECONDS = 20.0
POPULATION = 640


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


def population() -> None:
    from intranet.models import Agent, Site

    lycee = Site.objects.create(name="Lycée Jean Zay", kind=Site.Kind.LYCEE)
    Agent.objects.bulk_create(
        Agent(email=f"tos{n}@demo.local", first_name="Agent", last_name=f"TOS {n}", matricule=f"T{n:05d}", site=lycee)
        for n in range(POPULATION)
    )
    for name in ("agent", "rh", "communication"):
        Agent.objects.create_user(f"{name}@demo.local", "bench", first_name=name.title(), last_name="Démo")


def _baseline(count: int) -> float:
    """bulk_create of `count` responses with one answer each to the demo's survey, rolled back."""
    from django.db import transaction

    from surveys.demo import MEETINGS_TITLE
    from surveys.models import Answer, Question, Response, Survey

    survey = Survey.objects.get(title=MEETINGS_TITLE)
    question = survey.questions.filter(kind=Question.Kind.SCALE).first()
    started = time.perf_counter()
    with transaction.atomic():
        responses = Response.objects.bulk_create(Response(survey=survey) for _ in range(count))
        Answer.objects.bulk_create(Answer(response=r, question=question, number=Decimal(4)) for r in responses)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def measure() -> dict[str, float]:
    from surveys.demo import demo_seed
    from surveys.models import Response

    population()
    started = time.perf_counter()
    demo_seed(stdout=io.StringIO())
    times = {"first run": time.perf_counter() - started}
    responses = Response.objects.count()
    started = time.perf_counter()
    demo_seed(stdout=io.StringIO())
    times["second run"] = time.perf_counter() - started
    if Response.objects.count() != responses:
        raise SystemExit("The second run added responses: the demo is not idempotent.")
    times["baseline"] = _baseline(responses)
    times["responses"] = responses
    return times


def report(times: dict[str, float]) -> None:
    say("")
    say(
        f"surveys demo: first run {times['first run']:.1f} s ({times['responses']:.0f} responses), "
        f"second run {times['second run']:.2f} s"
    )
    say(
        f"baseline: bulk_create of as many responses, one answer each {times['baseline']:.2f} s; "
        f"first run / baseline × {times['first run'] / times['baseline']:.1f}"
    )
    verdict = "met" if times["first run"] < TARGET_SECONDS else "MISSED"
    say(f"Target: the first run within {TARGET_SECONDS:.0f} s — {verdict} ({times['first run']:.1f} s).")


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Surveys demo")
    with home_load.throwaway_database(args, media=BENCH_VAR / "media-surveys-demo"):
        report(measure())
        return 0  # measured; whether the target is met is printed, not an error


if __name__ == "__main__":
    sys.exit(main())
