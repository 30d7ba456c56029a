"""Benchmark: the results page of a survey with 10,000 answers, against a bare view in the same process.

What it does, and undoes:

1. prepares a throwaway database with home_load.py's helpers: PostgreSQL
   `maison_commune_bench_surveys` on postgres://postgres@127.0.0.1:5432 (dropped at the end unless
   --keep), or a SQLite file under var/bench/ when PostgreSQL cannot be reached (it says so);
2. creates an anonymous survey with one question of every kind over 15 sessions, and --responses
   responses (default 10,000: about 110,000 answer rows, 5 % of free texts), bulk-inserted; ANALYZE;
3. times, interleaved: `survey_results()` (the figures, computed in the database), the whole results
   page through Django's test client as its author (server-side render), and the bare view;
4. prints p50/p95/max and the ratios; the target is the page under 200 ms on the server (p95).

Only loopback is contacted. Run it with `.venv/bin/python bench/survey_results.py --help`.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database and the environment)
from home_load import BENCH_VAR, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_surveys"
TARGET_P95_MS = 200.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=10_000, help="responses to the survey (default: 10,000)")
    parser.add_argument("--rounds", type=int, default=30, help="timed runs of each target (default: 30)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


def build_survey(responses: int):
    """The survey, its author and `responses` responses with realistic answers."""
    from intranet.models import Agent
    from surveys.models import Answer, Choice, Question, Response, Section, Survey, SurveySession

    rng = random.Random(2026)  # noqa: S311 (not cryptography)
    author = Agent.objects.create_user("auteur@bench.local", "bench", first_name="Auteur", last_name="Bench")
    survey = Survey.objects.create(
        title="Réunions d'information : votre avis", anonymous=True, status=Survey.Status.CLOSED
    )
    survey.authors.add(author)
    section = Section.objects.create(survey=survey, title="Votre avis", order=1)
    questions = {
        kind: Question.objects.create(survey=survey, section=section, kind=kind, label=f"Question {label}", order=index)
        for index, (kind, label) in enumerate(Question.Kind.choices)
    }
    choices = {
        kind: [Choice.objects.create(question=questions[kind], label=f"Option {n}", order=n) for n in range(5)]
        for kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
    }
    sessions = [SurveySession.objects.create(survey=survey, label=f"Réunion {n}", order=n) for n in range(15)]
    started = time.monotonic()
    for first in range(0, responses, 2000):
        batch = [
            Response(survey=survey, session=sessions[n % 15], published=True)
            for n in range(first, min(responses, first + 2000))
        ]
        Response.objects.bulk_create(batch)
        answers = []
        for response in batch:
            level = rng.choices([5, 4, 3, 2, 1], weights=[45, 43, 8, 3, 1])[0]
            answers += [
                Answer(response=response, question=questions["scale"], number=Decimal(level)),
                Answer(response=response, question=questions["nps"], number=Decimal(rng.randint(0, 10))),
                Answer(response=response, question=questions["yesno"], number=Decimal(rng.randint(0, 1))),
                Answer(response=response, question=questions["number"], number=Decimal(rng.randint(1, 40))),
                Answer(response=response, question=questions["date"], date_value=date(2026, rng.randint(1, 12), 1)),
                Answer(response=response, question=questions["single"], choice=rng.choice(choices["single"])),
                *(
                    Answer(response=response, question=questions["multiple"], choice=choice)
                    for choice in rng.sample(choices["multiple"], rng.randint(1, 3))
                ),
            ]
            if rng.random() < 0.05:
                answers.append(
                    Answer(
                        response=response,
                        question=questions["long_text"],
                        text="Très bonne réunion, merci pour les documents. " * rng.randint(1, 4),
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=5000)
    say(f"Created {responses} responses, {Answer.objects.count()} answers in {time.monotonic() - started:.1f} s.")
    return survey, author


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(survey, author, *, rounds: int) -> dict[str, list[float]]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from surveys.results import survey_results

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(author)
    url = f"/enquetes/gestion/{survey.pk}/resultats/"
    for _ in range(3):  # warm-up: connections, templates, the planner's first plans
        survey_results(survey=survey)
        client.get(url)
        client.get("/bench/bare/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    say(
        f"The results page issues {len(queries)} queries; it shows "
        f"{'a' if '% de satisfaits' in response.content.decode() else 'NO'} headline satisfaction figure."
    )
    times = {"figures": [], "page": [], "bare view": []}
    for _ in range(rounds):
        start = time.perf_counter()
        survey_results(survey=survey)
        times["figures"].append(_ms(start))
        start = time.perf_counter()
        client.get(url)
        times["page"].append(_ms(start))
        start = time.perf_counter()
        client.get("/bench/bare/")
        times["bare view"].append(_ms(start))
        reset_queries()
    return times


def report(times: dict[str, list[float]]) -> None:
    say("")
    say(f"{'what':<46} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, label in [
        ("figures", "survey_results(): the figures, in the database"),
        ("page", "results page via the test client (server)"),
        ("bare view", "baseline: bare view via the test client"),
    ]:
        values = times[name]
        say(f"{label:<46} {statistics.median(values):>8.2f} {percentile(values, 0.95):>8.2f} {max(values):>8.2f}")
    page_p95 = percentile(times["page"], 0.95)
    say(
        f"\npage / bare view: p50 × {statistics.median(times['page']) / statistics.median(times['bare view']):.1f}, "
        f"p95 × {page_p95 / percentile(times['bare view'], 0.95):.1f}"
    )
    verdict = "met" if page_p95 < TARGET_P95_MS else "MISSED"
    say(f"Target: results page p95 < {TARGET_P95_MS:.0f} ms on the server — {verdict} ({page_p95:.2f} ms).")


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Survey results")
    with home_load.throwaway_database(args, media=BENCH_VAR / "media-surveys"):
        from django.db import connection

        survey, author = build_survey(args.responses)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        report(measure(survey, author, rounds=args.rounds))
        return 0  # measured; whether the target is met is printed, not an error


if __name__ == "__main__":
    sys.exit(main())
