#!/usr/bin/env bash
# Started by `make run`: migrate, load the demo once, then serve the site and run a real
# Celery worker side by side. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
source scripts/site_url.sh
mkdir -p var/mail var/broker/queue var/broker/processed var/cache var/media var/static

$PY manage.py migrate --noinput
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

.venv/bin/celery -A intranet worker --beat --schedule var/celerybeat-schedule --loglevel=INFO --concurrency=1 --pool=solo &
pids+=($!)
$PY manage.py runserver "127.0.0.1:${PORT:-8000}" &
pids+=($!)
echo "Maison commune : http://127.0.0.1:${PORT:-8000}/  (Ctrl-C pour arrêter)"
wait -n "${pids[@]}"
