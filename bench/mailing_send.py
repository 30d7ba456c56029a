"""Benchmark: a mailing to 10,000 recipients through a local SMTP server, against raw smtplib.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_mailing` on postgres://postgres@127.0.0.1:5432 (dropped at the end
   unless --keep), or a SQLite file under var/bench/ when PostgreSQL cannot be reached;
2. creates 10,000 plain agents (bulk_create, home_load.bulk_agents), all with a mailbox;
3. for each run starts a fresh aiosmtpd server in its own process on a free loopback port
   (it counts what it accepts and reports it when stopped), then alternates:
   - the baseline: raw `smtplib` in this process, ONE connection, sending the same 10,000
     messages, already rendered to bytes (only the SMTP transport is timed);
   - the engine: a mailing to everyone (`mailing_create`), `mailing_start` (the audience frozen
     as 10,000 delivery rows, timed apart), then `mailing_send_batch` called in this process
     until the mailing is done (what the Celery task does: one SMTP connection per batch of
     500, each row claimed with SELECT … FOR UPDATE SKIP LOCKED and committed after the 250),
     with no rate limit;
4. checks that every recipient got exactly one message, prints messages per second, the total
   time of each run (the target: the engine under 2 minutes, freezing included) and the ratio
   engine / raw smtplib.

Only loopback is contacted; the Celery broker is memory:// (nothing is published anywhere).
"""

import argparse
import json
import signal
import subprocess
import sys
import threading
import time
from email.utils import parseaddr
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database)
from home_load import BENCH_VAR, free_port, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_mailing"  # never another benchmark's database
TARGET_SECONDS = 120

SERVER = r"""
import json, signal, sys, threading
from aiosmtpd.controller import Controller

class Counter:
    def __init__(self):
        self.total, self.rcpts = 0, {}

    async def handle_DATA(self, server, session, envelope):
        self.total += 1
        for address in envelope.rcpt_tos:
            self.rcpts[address] = self.rcpts.get(address, 0) + 1
        return "250 2.0.0 OK"

handler = Counter()
controller = Controller(handler, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *args: stop.set())
print("ready", flush=True)
while not stop.wait(0.2):
    pass
controller.stop()
print(json.dumps({"total": handler.total, "distinct": len(handler.rcpts),
                  "max": max(handler.rcpts.values(), default=0)}), flush=True)
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000, help="agents, hence messages (default: 10,000)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, alternated (default: 2)")
    parser.add_argument(
        "--senders",
        type=int,
        default=4,
        help="sending tasks at once on the mailing, as settings.MAILING_SENDERS (default: 4)",
    )
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


class SMTPServerProcess:
    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(  # noqa: S603 (this interpreter, our own script)
            [sys.executable, "-c", SERVER, str(self.port)], stdout=subprocess.PIPE, text=True
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the SMTP server did not start")

    def stop(self) -> dict:
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=30)
        return json.loads(out.strip().splitlines()[-1])


def run_raw(messages: list[tuple[str, bytes]], sender: str) -> tuple[float, dict]:
    import smtplib

    server = SMTPServerProcess()
    try:
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", server.port, timeout=30) as smtp:
            for to, payload in messages:
                smtp.sendmail(sender, [to], payload)
        elapsed = time.perf_counter() - started
    finally:
        counts = server.stop()
    return elapsed, counts


def run_senders(mailing_id: int, senders: int) -> None:
    """What `senders` workers do: each runs sending tasks (`mailing_send_batch`, which publishes
    its own next batch: here the loop stands in for the broker) until the mailing is done."""
    from django.db import connection

    from mailing.models import Mailing
    from mailing.services import mailing_send_batch

    def sender():
        try:
            while True:
                counts = mailing_send_batch(mailing_id=mailing_id)
                if not counts["more"] and not counts["sent"]:
                    if not Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).exists():
                        return
                    time.sleep(0.05)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_engine(settings, author, round_number: int, senders: int) -> tuple[float, float, dict, dict]:
    from intranet.audiences import AudienceSpec
    from mailing.models import Mailing
    from mailing.selectors import mailing_progress
    from mailing.services import mailing_create, mailing_start

    server = SMTPServerProcess()
    settings.EMAIL_PORT = server.port
    try:
        mailing = mailing_create(
            subject=f"Bienvenue n° {round_number}",
            html=HTML,
            text=TEXT,
            audience=AudienceSpec(everyone=True),
            created_by=author,
            kind="bench.mailing",
            web_url="https://intranet.example.fr/lettre/1/",
        )
        started = time.perf_counter()
        mailing_start(mailing=mailing, user=author)
        frozen = time.perf_counter() - started
        run_senders(mailing.pk, senders)
        elapsed = time.perf_counter() - started
        assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE, "the mailing did not finish"
        progress = mailing_progress(mailing)
    finally:
        counts = server.stop()
    return elapsed, frozen, counts, progress


HTML = (
    "<!doctype html><html lang='fr'><body><h1>Bienvenue</h1>"
    + "<p>Le mot de la direction, les arrivées du mois, les postes ouverts et l'équipe du mois.</p>" * 20
    + "</body></html>"
)
TEXT = "Bienvenue\n\n" + "Le mot de la direction, les arrivées du mois, les postes ouverts.\n" * 20


def rendered_messages(settings) -> list[tuple[str, bytes]]:
    """The same messages the engine sends (same builder, same headers), rendered once to bytes."""
    from intranet.models import Agent
    from mailing.models import Delivery, Mailing
    from mailing.services import build_message

    mailing = Mailing(
        pk=0,
        subject="Bienvenue n° 0",
        html=HTML,
        text=TEXT,
        kind="bench.mailing",
        web_url="https://intranet.example.fr/lettre/1/",
    )
    messages = []
    for number, (pk, email, first, last) in enumerate(
        Agent.objects.filter(is_active=True, is_external=False).values_list("pk", "email", "first_name", "last_name")
    ):
        delivery = Delivery(pk=number + 1, mailing_id=0, agent_id=pk, email=email, name=f"{first} {last}")
        message = build_message(mailing=mailing, delivery=delivery).message()
        messages.append((email, message.as_bytes(linesep="\r\n")))
    return messages


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Mailing send")
    media = BENCH_VAR / "media-mailing"
    with home_load.throwaway_database(args, media=media, environ={"REDIS_URL": None, "MAILING_RATE_LIMIT": "0"}):
        from django.conf import settings

        from intranet.celery import app
        from intranet.models import Agent

        app.conf.broker_url = "memory://"  # the engine publishes its next batch: to nowhere
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = "127.0.0.1", False, False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.MAILING_RATE_LIMIT, settings.MAILING_SENDERS = 0, args.senders
        home_load.bulk_agents(args.recipients)
        author = Agent.objects.order_by("pk").first()
        messages = rendered_messages(settings)
        say(f"Data: {len(messages)} recipients; message of {len(messages[0][1])} bytes (multipart text + HTML).")
        sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        raw_runs, engine_runs = [], []
        for number in range(args.rounds):
            order = ("raw", "engine") if number % 2 == 0 else ("engine", "raw")
            for what in order:
                if what == "raw":
                    elapsed, counts = run_raw(messages, sender)
                    raw_runs.append(elapsed)
                    say(
                        f"  raw smtplib : {elapsed:6.1f} s, {len(messages) / elapsed:7.0f} msg/s, server got "
                        f"{counts['total']} ({counts['distinct']} distinct)"
                    )
                else:
                    elapsed, frozen, counts, progress = run_engine(settings, author, number, args.senders)
                    engine_runs.append(elapsed)
                    ok = counts["total"] == counts["distinct"] == progress["sent"] == len(messages)
                    say(
                        f"  engine      : {elapsed:6.1f} s (freezing {frozen:.1f} s), "
                        f"{len(messages) / elapsed:7.0f} msg/s, server got {counts['total']} "
                        f"({counts['distinct']} distinct, at most {counts['max']} each), rows sent "
                        f"{progress['sent']}{'' if ok else '  <-- MISMATCH'}"
                    )
                    if not ok:
                        say("Every recipient should get exactly one message: this run did not.")
                        return 1
        raw, engine = min(raw_runs), min(engine_runs)
        say("")
        say(f"{'':14}{'best s':>8}{'msg/s':>9}")
        say(f"{'raw smtplib':14}{raw:8.1f}{len(messages) / raw:9.0f}")
        say(f"{'engine':14}{engine:8.1f}{len(messages) / engine:9.0f}   ({args.senders} sender(s))")
        say(f"Ratio engine / raw smtplib (messages per second): {raw / engine:.2f}x")
        verdict = "met" if max(engine_runs) < TARGET_SECONDS else "NOT met"
        say(
            f"Target: {len(messages)} recipients within {TARGET_SECONDS} s — {verdict} "
            f"(slowest engine run {max(engine_runs):.1f} s)."
        )
        return 0


if __name__ == "__main__":
    sys.exit(main())
