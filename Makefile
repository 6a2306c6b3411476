# The two commands: `make run` (set up and start everything) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The web server's port, the one the banner prints. `make run BACKPROP_PORT=8001` (or an
# exported BACKPROP_PORT) moves it; PORT is not read, as honcho sets PORT for every process.
BACKPROP_PORT ?= 8000
# `make serve PROCESSES=web` starts only the named Procfile processes (default: all).
PROCESSES ?=

.PHONY: run serve test install lint bench clean

$(STAMP): pyproject.toml package.json package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Backprop needs Python 3.11 or newer")'
	@echo "Installing Python and npm packages into $(VENV) and node_modules (a few minutes the first time)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -qq --disable-pip-version-check --upgrade pip
	@$(BIN)/pip install -qq --disable-pip-version-check -e '.[dev]'
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent --loglevel=error; \
	  else echo "npm not found: charts will not render and coding answers get a plain textarea (install Node.js)"; fi
	@touch $(STAMP)

install: $(STAMP)

run: install
	@$(BIN)/python manage.py migrate --noinput --verbosity 0
	@$(BIN)/python manage.py load_bank
	@BACKPROP_PORT=$(BACKPROP_PORT) $(BIN)/python manage.py seed_demo
	@$(MAKE) --no-print-directory serve

# What `make run` ends with: the banner as the last lines before the servers' own logs,
# then web server, the Celery workers (text grading, code) and beat in the foreground (no install, no migrate).
serve:
	@echo
	@echo "Backprop: open http://127.0.0.1:$(BACKPROP_PORT)/  (Ctrl-C stops web, workers and beat)"
	@echo "Demo logins, password backprop-demo: candidate@demo.backprop.dev, manager@demo.backprop.dev,"
	@echo "  reviewer@demo.backprop.dev, admin@demo.backprop.dev (staff: /admin/)"
	@echo
	@BACKPROP_PORT=$(BACKPROP_PORT) DEBUG=$${DEBUG:-true} exec $(BIN)/honcho start -f Procfile $(PROCESSES)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy accounts interviews hiring config

test: lint
	$(BIN)/pytest

clean:
	rm -rf var/broker var/celerybeat-schedule* var/test.sqlite3

# Budgets from DESIGN.md, measured against PostgreSQL and Redis (local defaults below).
bench: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/backprop_bench} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/2} \
	$(BIN)/python -m bench.run
