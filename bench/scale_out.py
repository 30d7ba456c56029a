"""Benchmark: scaling out on loopback — the home page's requests/s through one gunicorn server
and through two, and a newsletter's mails/s sent by two workers and by one.

What it does, and undoes:

1. starts the production stack of scripts/stack_smoke.py with --scale: two gunicorn servers
   (WEB_CONCURRENCY=3 each, two loopback ports), two workers (6 processes each), one beat, one
   PostgreSQL database and one redis-server of its own, yesterday's demo restored and migrated;
   runs its smoke test (a newsletter through both workers, each recipient once);
2. signs an agent in through the login form and runs wrk on the home page with that session:
   two wrk processes (one thread, half the connections each) both on server 1, then one on each
   server, alternated for --rounds rounds (the same load generator both ways);
3. sends the same newsletter to --recipients agents with both workers, then stops the second
   worker and sends it again with one (each send checked: every recipient once, no duplicate);
4. stops everything and drops the databases.

It prints the machine (CPUs, load average, memory) with the figures: on a shared machine the load
of others weighs on both sides alike, not on the ratio's sense. docs/exploitation.md keeps them.

    .venv/bin/python bench/scale_out.py [--duration 10] [--rounds 2] [--ports 8170-8179]
"""

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
AGENT_LOGIN = "agent@demo.local"


def _stack_smoke():
    spec = importlib.util.spec_from_file_location("stack_smoke", ROOT / "scripts" / "stack_smoke.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def say(message: str) -> None:
    print(message, flush=True)


def machine() -> str:
    memory = ""
    with open("/proc/meminfo") as meminfo:  # noqa: PTH123
        total = next((line.split()[1] for line in meminfo if line.startswith("MemTotal:")), "")
        memory = f", {int(total) // 1024 // 1024} GB" if total else ""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {os.cpu_count()} CPUs{memory}, load average {load}"


def rss_mb(group: int) -> int:
    """Resident memory of a process group (a gunicorn master and its workers, a worker and its pool)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # the process group, after the state and the parent
                status = (stat.parent / "status").read_text()
                total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
        except (OSError, IndexError, ValueError, StopIteration):
            continue
    return total // 1024


def wrk(url: str, *, connections: int, duration: int, headers: dict) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", str(WRK_SCRIPT)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 30, check=False)  # noqa: S603
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    figures = json.loads(line.removeprefix("WRK_JSON "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def load(urls: list[str], *, connections: int, duration: int, headers: dict) -> dict:
    """Two wrk processes at once, on urls[0] and urls[1] (the same one twice for one server)."""
    results: list[dict] = [{}, {}]

    def one(index: int) -> None:
        results[index] = wrk(urls[index], connections=connections // 2, duration=duration, headers=headers)

    threads = [threading.Thread(target=one, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    not_200 = sum(result.get("not_200", 0) for result in results)
    if not_200 or not all(results):
        raise SystemExit(f"the home page answered other than 200 ({not_200} times): {results}")
    return {
        "rps": sum(result["rps"] for result in results),
        "p50_ms": max(result["p50_us"] for result in results) / 1000,
        "p99_ms": max(result["p99_us"] for result in results) / 1000,
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run (default: 10)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of one/two servers, alternated (default: 2)")
    parser.add_argument("--connections", type=int, default=8, help="open connections in all (default: 8)")
    parser.add_argument("--recipients", type=int, default=250, help="agents each newsletter goes to (default: 250)")
    parser.add_argument("--sends", type=int, default=2, help="newsletters with two workers, then one (default: 2)")
    parser.add_argument("--ports", default="", help="loopback ports to use, e.g. 8170-8179 (default: free ones)")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        say("wrk is not installed. On Debian: apt-get install -y wrk (`make bench` does it when run as root).")
        return 1
    smoke = _stack_smoke()
    ports = ["--ports", args.ports] if args.ports else []
    stack = smoke.Stack(smoke.parse_args(["--scale", "--recipients", str(args.recipients), *ports]))
    say(f"Scale-out on loopback — {machine()}")
    figures: dict[str, object] = {}
    try:
        stack.start()
        stack.smoke()
        agent = smoke.Browser(stack.base_urls, stack.host)
        stack._sign_in(agent, AGENT_LOGIN)
        headers = {
            "Host": stack.host,
            **smoke.HEALTHCHECK_HEADERS,
            "Cookie": "; ".join(f"{k}={v}" for k, v in agent.cookies.items()),
        }
        home = [f"{base}/" for base in stack.base_urls]
        say(f"Warm-up: 2 s on each server (not counted). Home page of {AGENT_LOGIN}, {args.connections} connections.")
        load(home, connections=args.connections, duration=2, headers=headers)
        runs: dict[str, list[dict]] = {"one server": [], "two servers": []}
        for number in range(args.rounds):
            order = ["one server", "two servers"] if number % 2 == 0 else ["two servers", "one server"]
            for name in order:
                urls = [home[0], home[0]] if name == "one server" else home
                result = load(urls, connections=args.connections, duration=args.duration, headers=headers)
                runs[name].append(result)
                latency = f"p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms"
                say(f"  {name}: {result['rps']:.1f} requests/s, {latency}")
        for name, results in runs.items():
            figures[f"home page, {name} (requests/s, best of {args.rounds})"] = round(max(r["rps"] for r in results), 1)

        recipients = stack.recipients(args.recipients)
        for workers in (2, 1):
            if workers == 1:
                second = next(s for s in stack.services if s.name == "worker2")
                stack.services.remove(second)
                second.stop()
            rates = []
            for _send in range(args.sends):
                seconds, mailing, _deliveries = stack.newsletter(recipients)
                rates.append(len(recipients) / seconds)
                shares = stack.senders_share(mailing)
                say(
                    f"  {workers} worker(s): {len(recipients)} messages in {seconds:.1f} s, each once; sent by {shares}"
                )
            figures[f"newsletter, {workers} worker(s) (mails/s, best of {args.sends})"] = round(max(rates), 1)
        figures["memory of each service (MB, all its processes)"] = {
            service.name: rss_mb(service.process.pid) for service in stack.services
        }
        figures["PostgreSQL connections of the stack"] = smoke.query(
            smoke.database_url(stack.server_url, "postgres"),
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
            (stack.db_name,),
        )[0][0]
    finally:
        stack.stop()
    say(f"Machine after the run: {machine()}")
    for name, value in figures.items():
        say(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
