# Sourced by scripts/run.sh: the address the e-mails' links carry (intranet/links.py) follows the
# port served — `make run PORT=8811` mails links to http://127.0.0.1:8811/ — unless SITE_URL is
# set, in the environment or in .env.
env_file="${ENV_FILE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.env}"
if [ -z "${SITE_URL:-}" ] && ! grep -qs '^SITE_URL=' "$env_file"; then
    export SITE_URL="http://127.0.0.1:${PORT:-8000}"
fi
