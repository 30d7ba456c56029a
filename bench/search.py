"""Benchmark: the global search (/recherche/) at the reference size, against the bare view.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_search` on postgres://postgres@127.0.0.1:5432, migrated, dropped at the end
   unless --keep; a SQLite file under var/bench/ when PostgreSQL cannot be reached (such figures are
   not PostgreSQL's);
2. loads `manage.py seed_demo --agents 10000` (every app's demo: the plan's cards, concours,
   offers, surveys, events, the guide's chapters, news, pages, the library), then tops up the
   library to 5,000 documents and the news to 2,000 (bulk_create, their words drawn from a French
   vocabulary, their stored vectors written as the services write them), and runs ANALYZE;
3. times, through Django's test client in this process (the server's time: routing, session, every
   source's query, the template), the search page as an agent, a manager and a partner, with
   queries drawn from the data: a common word (« formation », « concours »), a rare one, two words,
   a last name, a typo, a word found nowhere, and one kind chosen (`type=`);
4. times the bare Django view (bench/urls.py) through the same client, interleaved;
5. prints p50/p95/max of each and the ratios to the bare view; the target is p95 ≤ 100 ms.

Only loopback is contacted. Run it with `.venv/bin/python bench/search.py --help`.

Longer than STYLE.md's 300 lines on purpose: a benchmark script read top to bottom (prepare,
seed, time, print).
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database and the seeding)
from home_load import BENCH_VAR, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_search"  # never another bench's database
TARGET_P95_MS = 100.0
DOCUMENTS = 5_000
NEWS = 2_000

WORDS = [
    "formation",
    "accueil",
    "agents",
    "budget",
    "cantine",
    "carrière",
    "charte",
    "collège",
    "comptabilité",
    "concertation",
    "congés",
    "crèche",
    "déchets",
    "déménagement",
    "dématérialisation",
    "écoles",
    "égalité",
    "élections",
    "emploi",
    "entretien",
    "espaces",
    "verts",
    "évaluation",
    "fiche",
    "handicap",
    "hygiène",
    "informatique",
    "inscription",
    "jardins",
    "lycées",
    "maintenance",
    "marché",
    "médiathèque",
    "mobilité",
    "mutuelle",
    "note",
    "nettoyage",
    "organigramme",
    "paie",
    "parentalité",
    "permanence",
    "plan",
    "prévention",
    "procédure",
    "protocole",
    "recrutement",
    "règlement",
    "restauration",
    "retraite",
    "sécurité",
    "séminaire",
    "services",
    "sport",
    "stationnement",
    "télétravail",
    "temps",
    "tickets",
    "transport",
    "travaux",
    "véhicules",
    "voirie",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=10_000, help="agents in the database (default: 10,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of every request (default: 5)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


SYLLABLES = tuple(
    re.findall(r"\w+", "ba be bi bo bu ca ce ci co da de di do fa fe fi fo ga ge la le li lo ma me mi mo")
)
SYLLABLES += tuple(
    re.findall(r"\w+", "na ne ni no pa pe po ra re ri ro sa se si so ta te ti to va ve vi vo tion ment eur ure")
)


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    """Made-up words (« bevolage », « ritamente »…): the bulk of a text, each rare."""
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)]


def _phrase(rng: random.Random, count: int, vocabulary: list[str]) -> str:
    """`count` words, one in twenty from the real words searched (« formation » is in about a fifth
    of the documents), the others made up and drawn unevenly (a few frequent, most rare)."""
    words = []
    for _ in range(count):
        if rng.random() < 0.05:
            words.append(rng.choice(WORDS))
        else:
            words.append(vocabulary[min(len(vocabulary) - 1, int(rng.paretovariate(1.2)) - 1)])
    return " ".join(words)


def top_up() -> None:
    """The library to DOCUMENTS documents and the news to NEWS items, with their searchable text."""
    from datetime import timedelta

    from django.utils import timezone

    from content import text
    from content.models import Document, Folder, News
    from intranet.audiences import AudienceSpec
    from intranet.models import Agent

    rng = random.Random(2026)  # noqa: S311 (not cryptography)
    vocabulary = _vocabulary(rng)
    rng.shuffle(vocabulary)
    author = Agent.objects.active().internal().order_by("pk").first()
    folders = list(Folder.objects.order_by("pk")) or [
        Folder.objects.create(title="Documents", slug="documents", audience=AudienceSpec(everyone=True).to_json())
    ]
    documents = []
    for number in range(max(0, DOCUMENTS - Document.objects.count())):
        title = f"{_phrase(rng, 3, vocabulary).capitalize()} ({number})"
        description = _phrase(rng, 20, vocabulary)
        body = _phrase(rng, 400, vocabulary)  # the text a worker would have extracted from the file
        documents.append(
            Document(
                folder=rng.choice(folders),
                title=title,
                description=description,
                owner=author,
                search_text=text.search_text(title, description, body),
            )
        )
    created = Document.objects.bulk_create(documents, batch_size=500)
    text.search_vector_refresh(Document, [document.pk for document in created])
    news = []
    now = timezone.now()
    for number in range(max(0, NEWS - News.objects.count())):
        title = f"{_phrase(rng, 4, vocabulary).capitalize()} ({number})"
        summary = _phrase(rng, 25, vocabulary)
        body = _phrase(rng, 250, vocabulary)
        news.append(
            News(
                title=title,
                summary=summary,
                body=f"<p>{body}</p>",
                audience=AudienceSpec(everyone=True).to_json(),
                audience_everyone=True,
                status=News.Status.PUBLISHED,
                publish_at=now - timedelta(hours=rng.randint(1, 24 * 365)),
                author=author,
                author_label=author.get_full_name(),
                search_text=text.search_text(title, summary, body),
            )
        )
    created = News.objects.bulk_create(news, batch_size=500)
    text.search_vector_refresh(News, [item.pk for item in created])


def build_requests() -> list[tuple[str, dict]]:
    """(label, query string) of every timed search, drawn from the data."""
    from intranet.directory.search import normalise
    from intranet.models import Agent

    rng = random.Random(2026)  # noqa: S311 (not cryptography)
    names = list(Agent.objects.active().internal().order_by("pk").values_list("last_name", flat=True))
    last = normalise(rng.choice([name for name in names if " " not in name and len(name) > 5]))
    return [
        ("« formation »", {"q": "formation"}),
        ("« concours »", {"q": "concours"}),
        ("« jardins »", {"q": "jardins"}),
        ("two words « télétravail charte »", {"q": "télétravail charte"}),
        (f"a last name « {last} »", {"q": last}),
        ("a typo « formaton »", {"q": "formaton"}),
        ("a word found nowhere « zygomatique »", {"q": "zygomatique"}),
        ("two letters « pa »", {"q": "pa"}),
        ("documents only « prévention »", {"q": "prévention", "type": "documents"}),
        ("news only « restauration »", {"q": "restauration", "type": "news"}),
    ]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _people():
    from intranet.models import Agent

    def first(email, **fallback):
        return Agent.objects.filter(email=email).first() or Agent.objects.filter(**fallback).first()

    return [
        ("agent", first("agent@demo.local", is_external=False, headed_units__isnull=True)),
        ("manager", first("manager@demo.local", headed_units__isnull=False)),
        ("partner", first("partenaire@demo.local", is_external=True)),
    ]


def _backend_cpu_seconds(pid: int) -> float:
    """utime + stime of the PostgreSQL backend (same machine), in seconds (ticks of 10 ms)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(requests, *, rounds: int) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    path = reverse("intranet:search")
    times: dict[str, list[float]] = {"bare view": []}
    found: dict[str, int] = {}
    queries: dict[str, int] = {}
    clients = []
    for role, person in _people():
        if person is None:
            say(f"(no {role} in the data: skipped)")
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(person)
        clients.append((role, client))
        for label, query in requests:  # warm-up, and what each search finds
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, query)
            if response.status_code != 200:
                raise SystemExit(f"{path}?{query} answered {response.status_code} to the {role}")
            found[f"{role}: {label}"] = response.text.count('class="list-group-item"')
            queries[f"{role}: {label}"] = len(captured)
    backend = connection.connection.info.backend_pid if connection.vendor == "postgresql" else None
    cpu: dict[str, float] = {}  # CPU seconds spent on each search (this process + PostgreSQL's backend)
    for _ in range(rounds):
        for role, client in clients:
            for label, query in requests:
                start = time.perf_counter()
                client.get("/bench/bare/")
                times["bare view"].append(_ms(start))
                db_before = _backend_cpu_seconds(backend) if backend else 0.0
                cpu_before = time.process_time()
                start = time.perf_counter()
                client.get(path, query)
                times.setdefault(f"{role}: {label}", []).append(_ms(start))
                spent = time.process_time() - cpu_before
                spent += (_backend_cpu_seconds(backend) - db_before) if backend else 0.0
                cpu[f"{role}: {label}"] = cpu.get(f"{role}: {label}", 0.0) + spent
                reset_queries()
    cpu_ms = {label: 1000 * total / rounds for label, total in cpu.items()}
    return {"times": times, "found": found, "queries": queries, "cpu": cpu_ms}


def providers_breakdown(requests, *, rounds: int) -> None:
    """Each source's own time (its search alone, the agent's), to see where the page's time goes."""
    from intranet.registry import registry

    people = dict(_people())
    for role in ("agent", "partner"):
        person = people.get(role)
        if person is None:
            continue
        say(f"\nEach source alone, as the {role} (p50 ms over the searches without a kind):")
        for provider in registry.search_providers_for(person):
            values = []
            for _ in range(rounds):
                for _label, query in requests:
                    if "type" in query:
                        continue
                    start = time.perf_counter()
                    provider.search(user=person, query=query["q"], limit=9)
                    values.append(_ms(start))
            say(f"  {provider.key:<20} p50 {statistics.median(values):>8.2f}  p95 {percentile(values, 0.95):>8.2f}")


def report(measured) -> bool:
    times, found, queries, cpu = measured["times"], measured["found"], measured["queries"], measured["cpu"]
    bare = statistics.median(times["bare view"])
    say("")
    say(
        "CPU ms: the CPU one search costs (this process + the PostgreSQL backend, mean over the rounds):"
        " what it takes on a machine with a core free, whatever the load."
    )
    say(f"{'what':<54} {'found':>5} {'SQL':>4} {'CPU ms':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p50/bare':>9}")
    everything = []
    for label, values in times.items():
        if label != "bare view":
            everything += values
        cpu_ms = f"{cpu[label]:.1f}" if label in cpu else ""
        say(
            f"{label[:54]:<54} {found.get(label, ''):>5} {queries.get(label, ''):>4} {cpu_ms:>7}"
            f" {statistics.median(values):>8.2f} {percentile(values, 0.95):>8.2f} {max(values):>8.2f}"
            f" {statistics.median(values) / bare:>9.1f}"
        )
    p95 = percentile(everything, 0.95)
    cpu_values = sorted(cpu.values())
    say(
        f"\nCPU per search: mean {statistics.mean(cpu_values):.1f} ms, the costliest {cpu_values[-1]:.1f} ms"
        f" (p95 of the searches' means {percentile(cpu_values, 0.95):.1f} ms)."
    )
    verdict = "met" if p95 <= TARGET_P95_MS else "MISSED"
    say(
        f"\nEvery search together: p50 {statistics.median(everything):.2f} ms, p95 {p95:.2f} ms on the server "
        f"(bare view p50 {bare:.2f} ms). Target p95 ≤ {TARGET_P95_MS:.0f} ms — {verdict}."
    )
    return p95 <= TARGET_P95_MS


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Global search")
    media = BENCH_VAR / "media-search"
    with home_load.throwaway_database(args, media=media, media_said="the seeded photos") as (_, env):
        from django.db import connection

        from content.models import Document, News
        from intranet.models import Agent

        home_load.seed(agents=args.agents, env=env)
        top_up()
        if connection.vendor == "postgresql":
            # VACUUM ANALYZE as autovacuum would have since the load: statistics and the visibility map.
            # (The GIN indexes keep no pending list since migrations intranet 0017 and content 0008.)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        requests = build_requests()
        say(
            f"Data: {Agent.objects.count()} agents, {Document.objects.count()} documents, {News.objects.count()} news; "
            f"{len(requests)} searches × 3 people, {args.rounds} timed rounds each, interleaved with the bare view."
        )
        report(measure(requests, rounds=args.rounds))
        providers_breakdown(requests, rounds=2)
        return 0  # measured; whether the target is met is printed, not an error


if __name__ == "__main__":
    sys.exit(main())
