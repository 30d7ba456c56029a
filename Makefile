# Maison commune — `make run` sets everything up and serves the site; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: install run test lint messages extract bench stack clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The project's catalogue and each app's own <app>/locale.
messages: install
	@find . -path ./.venv -prune -o -path ./var -prune -o -path '*/locale/en/LC_MESSAGES/django.po' -print \
		| while read -r po; do $(VENV)/bin/pybabel compile --domain django --directory "$${po%/en/LC_MESSAGES/django.po}" --statistics || exit 1; done

# Extract new strings into the English catalogues (then translate them: the tests check every entry).
extract: install
	bash scripts/messages.sh

run: install messages
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} bash scripts/run.sh

test: install messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo --no-cache

# The load generator is Debian's wrk: installed when missing and root; otherwise the bench says how.
bench: install
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || apt-get install -y -q wrk \
		|| { apt-get update -q && apt-get install -y -q wrk; }
	$(PY) bench/run_all.py

# The production stack of docker-compose.yml started without Docker, smoke-tested, stopped
# (docs/exploitation.md): needs PostgreSQL in DATABASE_URL and redis-server.
stack: install
	$(PY) scripts/stack_smoke.py

clean:
	rm -rf $(VENV) var
