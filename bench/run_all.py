"""Run every benchmark of bench/ in its own process, one after the other, and show its output.

A benchmark is a bench/*.py meant to run as a script (it has a `__main__` block); the
settings, URLs and this runner are not. Arguments after `--` go to every benchmark, e.g.
`.venv/bin/python bench/run_all.py -- --duration 5`. Exits non-zero if any benchmark did.
"""

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def benchmarks() -> list[Path]:
    return sorted(
        path
        for path in BENCH.glob("*.py")
        if path.name != Path(__file__).name and 'if __name__ == "__main__":' in path.read_text()
    )


def main() -> int:
    extra = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else []
    results = []
    for script in benchmarks():
        print(f"\n=== {script.name} ===", flush=True)
        started = time.monotonic()
        code = subprocess.run([sys.executable, str(script), *extra], cwd=BENCH.parent, check=False).returncode
        results.append((script.name, code, time.monotonic() - started))
    print("\n=== summary ===")
    for name, code, seconds in results:
        print(f"{name:<24} {'ok' if code == 0 else f'failed (exit {code})':<18} {seconds:6.0f} s")
    if not results:
        print("No benchmark found in bench/.")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
