#!/usr/bin/env bash
# Started by `make run`: migrate, load the demo once, then serve the site and run a real
# Celery worker side by side. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
source scripts/site_url.sh
mkdir -p var/mail var/broker/queue var/broker/processed var/cache var/media var/static

echo "Base de données : application des migrations…"
$PY manage.py migrate --noinput --verbosity 0
$PY manage.py seed_demo

pids=()
stop() {
    trap - INT TERM EXIT
    echo
    echo "Arrêt du serveur et du worker…"
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

# One pool process (SQLite and the file queue want one writer at a time), replaced after 100 tasks
# or once it holds 300 MB, between two tasks: the same limits as in production, smaller.
.venv/bin/celery -A intranet worker --beat --schedule var/celerybeat-schedule --loglevel=INFO \
    --pool=prefork --concurrency=1 --max-tasks-per-child=100 --max-memory-per-child=300000 &
pids+=($!)
$PY manage.py runserver "127.0.0.1:${PORT:-8000}" &
pids+=($!)
echo "Maison commune : http://127.0.0.1:${PORT:-8000}/  (Ctrl-C pour arrêter)"
wait -n "${pids[@]}"
